"""Forum topics: create, edit, close, reopen and delete (a deleted topic refuses new posts)."""

from __future__ import annotations

from typing import Any

from aiogram.methods import (
    CloseForumTopic,
    CreateForumTopic,
    DeleteForumTopic,
    EditForumTopic,
    ReopenForumTopic,
)

from ..core import Core
from ..state import BotState, Chat, Topic, bad
from .common import serves, writable_chat

TopicMethod = EditForumTopic | CloseForumTopic | ReopenForumTopic | DeleteForumTopic
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


def _forum(emu: Core, bot: BotState, chat_id: int | str) -> Chat:
    chat = writable_chat(emu, bot, chat_id)
    if not chat.is_forum:
        raise bad("the chat is not a forum")
    if chat.bot_status != "administrator":
        raise bad("not enough rights to manage topics")
    return chat


def _topic(emu: Core, bot: BotState, m: TopicMethod) -> tuple[Chat, Topic]:
    """The forum and its live topic a topic method names."""
    chat = _forum(emu, bot, m.chat_id)
    topic = chat.topics.get(m.message_thread_id)
    if topic is None or topic.deleted:
        raise bad("message thread not found")
    return chat, topic


def _service(emu: Core, bot: BotState, chat: Chat, topic: Topic, content: dict[str, Any]) -> None:
    emu.store_message(
        bot, chat, bot.user, "service", content, from_bot=True, thread_id=topic.thread_id
    )


@serves(CreateForumTopic)
async def create_forum_topic(emu: Core, bot: BotState, m: CreateForumTopic) -> dict[str, Any]:
    chat = _forum(emu, bot, m.chat_id)
    if not m.name or len(m.name) > 128:
        raise bad("TOPIC_TITLE_EMPTY" if not m.name else "TOPIC_TITLE_TOO_LONG")
    color = m.icon_color or TOPIC_COLORS[0]
    if color not in TOPIC_COLORS:
        raise bad("TOPIC_ICON_COLOR_INVALID")  # hedged wording
    created: dict[str, Any] = {"name": m.name, "icon_color": color}
    if m.icon_custom_emoji_id:
        created["icon_custom_emoji_id"] = m.icon_custom_emoji_id
    topic = Topic(chat.next_message_id, m.name, color, m.icon_custom_emoji_id)
    chat.topics[topic.thread_id] = topic
    _service(emu, bot, chat, topic, {"forum_topic_created": created})
    return topic.to_dict()


@serves(EditForumTopic)
async def edit_forum_topic(emu: Core, bot: BotState, m: EditForumTopic) -> bool:
    chat, topic = _topic(emu, bot, m)
    edited: dict[str, Any] = {}
    if m.name is not None and m.name != topic.name:
        topic.name = edited["name"] = m.name
    emoji = m.icon_custom_emoji_id
    if emoji is not None and emoji != (topic.icon_custom_emoji_id or ""):
        topic.icon_custom_emoji_id = edited["icon_custom_emoji_id"] = emoji
    if not edited:
        raise bad("TOPIC_NOT_MODIFIED")
    _service(emu, bot, chat, topic, {"forum_topic_edited": edited})
    return True


@serves(CloseForumTopic, ReopenForumTopic)
async def close_or_reopen_forum_topic(
    emu: Core, bot: BotState, m: CloseForumTopic | ReopenForumTopic
) -> bool:
    chat, topic = _topic(emu, bot, m)
    closing = isinstance(m, CloseForumTopic)
    if topic.closed == closing:
        raise bad("TOPIC_NOT_MODIFIED")
    topic.closed = closing
    event = "forum_topic_closed" if closing else "forum_topic_reopened"
    _service(emu, bot, chat, topic, {event: {}})
    return True


@serves(DeleteForumTopic)
async def delete_forum_topic(emu: Core, bot: BotState, m: DeleteForumTopic) -> bool:
    chat, topic = _topic(emu, bot, m)
    emu.delete_topic(bot, chat, topic.thread_id)
    return True
