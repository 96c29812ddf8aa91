"""Editing the bot's messages (text, caption, keyboard) and deleting messages (48-hour rule)."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram.methods import (
    DeleteMessage,
    DeleteMessages,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
)

from ..core import Core
from ..state import ApiError, BotState, Chat, StoredMessage, bad
from .common import chat_of, live_message, markup_of, serves, text_of

DELETE_WINDOW = 48 * 3600  # Telegram deletes messages for everyone only within 48 hours
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
NO_CAPTION_KINDS = ("text", "location", "venue", "contact", "sticker")

Edit = EditMessageText | EditMessageCaption | EditMessageReplyMarkup


def _own_message(emu: Core, bot: BotState, m: Edit) -> StoredMessage:
    if m.inline_message_id is not None:
        raise bad("message to edit not found")  # the emulator has no inline messages
    chat = chat_of(emu, bot, m.chat_id)
    if m.message_id is None:
        raise bad("message identifier is not specified")
    msg = live_message(chat, m.message_id, "message to edit not found")
    if not msg.from_bot:
        raise bad("message can't be edited")
    return msg


def _set_inline(msg: StoredMessage, markup: dict[str, Any] | None) -> None:
    msg.data.pop("reply_markup", None)
    if markup:
        msg.data["reply_markup"] = markup
    msg.reply_markup = markup


def _edited(emu: Core, bot: BotState, msg: StoredMessage) -> dict[str, Any]:
    msg.data["edit_date"] = emu.now()
    msg.edits += 1
    msg.seq = bot.bump()
    return msg.data


def _rewritten(
    emu: Core,
    bot: BotState,
    m: EditMessageText | EditMessageCaption,
    msg: StoredMessage,
    parsed: tuple[str, list[dict[str, Any]], str],
    keys: tuple[str, str],
) -> dict[str, Any]:
    """Put a new text or caption (under `keys`: the text's and its entities') and keyboard."""
    text, entities, raw = parsed
    text_key, entities_key = keys
    markup = markup_of(m.reply_markup, inline_only=True)
    data = msg.data
    old = (data.get(text_key, ""), data.get(entities_key, []), data.get("reply_markup"))
    if (text, entities, markup) == old:
        raise bad(NOT_MODIFIED)
    if text:
        data[text_key] = text
    else:
        data.pop(text_key, None)  # a caption removed
    data.pop(entities_key, None)
    if entities:
        data[entities_key] = entities
    _set_inline(msg, markup)
    msg.html = raw
    return _edited(emu, bot, msg)


@serves(EditMessageText)
async def edit_message_text(emu: Core, bot: BotState, m: EditMessageText) -> dict[str, Any]:
    msg = _own_message(emu, bot, m)
    if msg.kind != "text":
        raise bad("there is no text in the message to edit")
    parsed = text_of(emu, m.text, m.parse_mode, m.entities)
    return _rewritten(emu, bot, m, msg, parsed, ("text", "entities"))


@serves(EditMessageCaption)
async def edit_message_caption(emu: Core, bot: BotState, m: EditMessageCaption) -> dict[str, Any]:
    msg = _own_message(emu, bot, m)
    if msg.kind in NO_CAPTION_KINDS:
        raise bad("there is no caption in the message to edit")
    parsed = text_of(emu, m.caption, m.parse_mode, m.caption_entities, caption=True)
    return _rewritten(emu, bot, m, msg, parsed, ("caption", "caption_entities"))


@serves(EditMessageReplyMarkup)
async def edit_message_reply_markup(
    emu: Core, bot: BotState, m: EditMessageReplyMarkup
) -> dict[str, Any]:
    msg = _own_message(emu, bot, m)
    markup = markup_of(m.reply_markup, inline_only=True)
    if markup == msg.data.get("reply_markup"):
        raise bad(NOT_MODIFIED)
    _set_inline(msg, markup)
    return _edited(emu, bot, msg)


def _deletable(emu: Core, chat: Chat, mid: int) -> StoredMessage:
    msg = live_message(chat, mid, "message to delete not found")
    if emu.now() - msg.date > DELETE_WINDOW:
        raise bad("message can't be deleted for everyone")
    if chat.type != "private" and not msg.from_bot and chat.bot_status != "administrator":
        raise bad("message can't be deleted")
    return msg


@serves(DeleteMessage)
async def delete_message(emu: Core, bot: BotState, m: DeleteMessage) -> bool:
    msg = _deletable(emu, chat_of(emu, bot, m.chat_id), m.message_id)
    msg.deleted = True
    msg.seq = bot.bump()
    return True


@serves(DeleteMessages)
async def delete_messages(emu: Core, bot: BotState, m: DeleteMessages) -> bool:
    chat = chat_of(emu, bot, m.chat_id)
    if not 1 <= len(m.message_ids) <= 100:
        raise bad("message_ids is empty" if not m.message_ids else "too many messages to delete")
    for mid in m.message_ids:
        # Messages that cannot be found or deleted are skipped, as documented.
        with contextlib.suppress(ApiError):
            _deletable(emu, chat, mid).deleted = True
    bot.bump()
    return True
