"""What the Bot API methods share: their registry (@serves) and the checks of chats, threads,
replies, keyboards and texts, and sending."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiogram.methods.base import TelegramMethod
from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from ..core import Core, Handler, Method
from ..entities import check_url, finalize_text, sort_entities, utf16_len
from ..html import HtmlParseError, parse_html
from ..params import dump, given
from ..state import ApiError, BotState, Chat, StoredMessage, bad

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
    "copy_text", "callback_game", "pay",
)  # fmt: skip

# Every served method by its lower-case name (Bot API method names ignore case), filled by
# @serves as each family module is imported.
SERVED: dict[str, Method] = {}
H = TypeVar("H", bound=Handler)


def serves(*models: type[TelegramMethod[Any]]) -> Callable[[H], H]:
    """Register the decorated coroutine as the emulator's implementation of these methods."""

    def register(handler: H) -> H:
        for model in models:
            SERVED[model.__api_method__.lower()] = (model, handler)
        return handler

    return register


def chat_of(emu: Core, bot: BotState, chat_id: int | str | None, key: str = "chat_id") -> Chat:
    """The chat a chat_id (a number or an @username) names, as Telegram resolves it."""
    if chat_id is None:
        raise bad(f"{key} is empty")
    if isinstance(chat_id, str) and chat_id.startswith("@"):
        for chat in bot.chats.values():
            if chat.username and chat.username.lower() == chat_id[1:].lower():
                return chat
        raise bad("chat not found")
    try:
        number = int(chat_id)
    except (TypeError, ValueError):
        raise bad("chat not found") from None
    chat = bot.chats.get(number)
    if chat is None:
        if number > 0 and number in emu.users:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        raise bad("chat not found")
    return chat


def writable_chat(emu: Core, bot: BotState, chat_id: int | str | None) -> Chat:
    """A chat the bot may post to: not blocked by the user, still a member of the group."""
    chat = chat_of(emu, bot, chat_id)
    if chat.type == "private" and chat.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if chat.type != "private" and chat.bot_status == "kicked":
        raise ApiError(403, f"Forbidden: bot was kicked from the {chat.kind_word()}")
    if chat.type != "private" and chat.bot_status == "left":
        raise ApiError(403, f"Forbidden: bot is not a member of the {chat.kind_word()}")
    return chat


def live_message(chat: Chat, message_id: int, missing: str) -> StoredMessage:
    """A message of the chat that is not deleted, else the 400 `missing` describes."""
    msg = chat.messages.get(message_id)
    if msg is None or msg.deleted:
        raise bad(missing)
    return msg


def thread_of(chat: Chat, thread_id: int | None) -> int | None:
    """A message_thread_id checked against the chat's live topics (or reply threads)."""
    if not thread_id:
        return None
    if chat.is_forum:
        if thread_id == 1:
            return None  # the General topic carries no thread id
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise bad("message thread not found")
        return thread_id
    return live_message(chat, thread_id, "message thread not found").message_id


def reply_to_of(chat: Chat, m: Any) -> int | None:
    """The message a send replies to (reply_parameters or the older reply_to_message_id)."""
    rp = given(getattr(m, "reply_parameters", None))
    old_id = getattr(m, "reply_to_message_id", None)
    allow = bool(given(getattr(m, "allow_sending_without_reply", None)))
    if rp is not None:
        if rp.message_id is None:
            raise bad("can't parse reply parameters JSON object")
        mid, target_chat = rp.message_id, rp.chat_id
        allow = allow or bool(given(rp.allow_sending_without_reply))
    elif old_id is not None:
        mid, target_chat = int(old_id), None
    else:
        return None
    if target_chat not in (None, chat.id, str(chat.id)):
        raise bad("message to be replied not found")
    target = chat.messages.get(mid)
    if target is None or target.deleted:
        if allow:
            return None
        raise bad("message to be replied not found")
    return mid


def markup_of(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """A reply_markup checked as Telegram checks it, as the JSON stored with the message."""
    if markup is None:
        return None
    if isinstance(markup, InlineKeyboardMarkup):
        for button in (b for row in markup.inline_keyboard for b in row):
            if button.callback_data is not None:
                data = button.callback_data
                if not data or len(data.encode()) > MAX_CALLBACK_DATA:
                    raise bad("BUTTON_DATA_INVALID")
            elif button.url is not None:
                url = button.url
                if not url.startswith("tg://") and check_url(url) is None:
                    raise bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
            elif all(getattr(button, key, None) is None for key in BUTTON_ACTIONS):
                raise bad("text buttons are unallowed in the inline keyboard")
        return dump(markup)
    if inline_only:
        raise bad("inline keyboard expected")
    if isinstance(markup, ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply):
        return dump(markup)
    raise bad("can't parse reply keyboard markup JSON object")


def text_of(
    emu: Core,
    raw: str | None,
    parse_mode: Any,
    given_entities: list[MessageEntity] | None,
    *,
    caption: bool = False,
) -> tuple[str, list[dict[str, Any]], str]:
    """Parse a text or caption with its parse_mode; returns (text, entities, raw source)."""
    raw = raw or ""
    mode = (given(parse_mode) or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(raw, strict_ampersand=emu.strict_html)
        except HtmlParseError as exc:
            raise ApiError(400, exc.description) from None
    else:
        # Markdown modes are not parsed: the text is kept as is (documented limitation).
        text = raw
        entities = sort_entities(dump(list(given_entities or [])))
    text, entities = finalize_text(text, entities)
    if caption:
        if utf16_len(text) > MAX_CAPTION:
            raise bad("message caption is too long")
    else:
        if not text:
            raise bad("message text is empty")
        if len(text) > MAX_TEXT:
            raise bad("message is too long")
    return text, entities, raw


def caption_into(emu: Core, m: Any, content: dict[str, Any]) -> str | None:
    """Put a send's caption (if any) into the message content; returns its raw source."""
    if not m.caption:
        return None
    text, entities, raw = text_of(emu, m.caption, m.parse_mode, m.caption_entities, caption=True)
    if text:
        content["caption"] = text
    if entities:
        content["caption_entities"] = entities
    return raw


def send(
    emu: Core,
    bot: BotState,
    m: Any,
    chat: Chat,
    kind: str,
    content: dict[str, Any],
    *,
    html: str | None = None,
    plain: bool = False,
) -> StoredMessage:
    """Store the bot's new message; `plain` (a forward) ignores replies and keyboards."""
    thread_id = thread_of(chat, getattr(m, "message_thread_id", None))
    reply_to = None if plain else reply_to_of(chat, m)
    markup = None if plain else markup_of(getattr(m, "reply_markup", None))
    if given(getattr(m, "protect_content", None)):
        content["has_protected_content"] = True
    return emu.store_message(
        bot,
        chat,
        bot.user,
        kind,
        content,
        from_bot=True,
        thread_id=thread_id,
        reply_to=reply_to,
        reply_markup=markup,
        html=html,
    )
