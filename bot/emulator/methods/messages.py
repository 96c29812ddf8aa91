"""Sending: text, location, venue, contact, copies and forwards, chat actions, button answers."""

from __future__ import annotations

import copy
from typing import Any

from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    ForwardMessage,
    SendChatAction,
    SendContact,
    SendLocation,
    SendMessage,
    SendVenue,
)

from ..core import Core
from ..params import dump, given
from ..state import BotState, Chat, StoredMessage, bad
from .common import (
    caption_into,
    chat_of,
    live_message,
    send,
    serves,
    text_of,
    thread_of,
    writable_chat,
)

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)  # fmt: skip
# Message fields that make up its content (copied by copyMessage/forwardMessage).
CONTENT_KEYS = (
    "text", "entities", "caption", "caption_entities", "photo", "document", "voice", "sticker",
    "location", "venue", "contact", "video", "audio", "animation", "link_preview_options",
    "dice", "video_note",
)  # fmt: skip


@serves(SendMessage)
async def send_message(emu: Core, bot: BotState, m: SendMessage) -> dict[str, Any]:
    chat = writable_chat(emu, bot, m.chat_id)
    text, entities, raw = text_of(emu, m.text, m.parse_mode, m.entities)
    content: dict[str, Any] = {"text": text}
    if entities:
        content["entities"] = entities
    preview = dump(given(m.link_preview_options))
    if preview:
        content["link_preview_options"] = preview
    return send(emu, bot, m, chat, "text", content, html=raw).data


def _location(latitude: float, longitude: float, accuracy: float | None) -> dict[str, Any]:
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise bad("wrong latitude or longitude")  # hedged: Telegram reports a similar 400
    loc: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if accuracy is not None:
        loc["horizontal_accuracy"] = accuracy
    return loc


@serves(SendLocation)
async def send_location(emu: Core, bot: BotState, m: SendLocation) -> dict[str, Any]:
    chat = writable_chat(emu, bot, m.chat_id)
    loc = _location(m.latitude, m.longitude, m.horizontal_accuracy)
    if m.live_period:
        loc["live_period"] = m.live_period
    return send(emu, bot, m, chat, "location", {"location": loc}).data


@serves(SendVenue)
async def send_venue(emu: Core, bot: BotState, m: SendVenue) -> dict[str, Any]:
    chat = writable_chat(emu, bot, m.chat_id)
    loc = _location(m.latitude, m.longitude, None)
    if not m.title:
        raise bad("venue title is empty")  # hedged wording
    venue: dict[str, Any] = {"location": loc, "title": m.title, "address": m.address or ""}
    for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
        if getattr(m, key):
            venue[key] = getattr(m, key)
    return send(emu, bot, m, chat, "venue", {"venue": venue, "location": loc}).data


@serves(SendContact)
async def send_contact(emu: Core, bot: BotState, m: SendContact) -> dict[str, Any]:
    chat = writable_chat(emu, bot, m.chat_id)
    if not m.phone_number:
        raise bad("phone number is empty")  # hedged wording
    if not m.first_name:
        raise bad("first name is empty")  # hedged wording
    contact: dict[str, Any] = {"phone_number": m.phone_number, "first_name": m.first_name}
    if m.last_name:
        contact["last_name"] = m.last_name
    if m.vcard:
        contact["vcard"] = m.vcard
    return send(emu, bot, m, chat, "contact", {"contact": contact}).data


def _source(
    emu: Core, bot: BotState, m: CopyMessage | ForwardMessage, what: str, done: str
) -> tuple[Chat, StoredMessage, dict[str, Any]]:
    """The target chat, the message to copy or forward and a copy of its content."""
    chat = writable_chat(emu, bot, m.chat_id)
    src_chat = chat_of(emu, bot, m.from_chat_id, "from_chat_id")
    src = live_message(src_chat, m.message_id, f"message to {what} not found")
    content = {k: copy.deepcopy(v) for k, v in src.data.items() if k in CONTENT_KEYS}
    if not content:
        raise bad(f"message can't be {done}")
    return chat, src, content


@serves(CopyMessage)
async def copy_message(emu: Core, bot: BotState, m: CopyMessage) -> dict[str, Any]:
    chat, src, content = _source(emu, bot, m, "copy", "copied")
    html = src.html
    if m.caption:
        content.pop("caption", None)
        content.pop("caption_entities", None)
        html = caption_into(emu, m, content)
    return {"message_id": send(emu, bot, m, chat, src.kind, content, html=html).message_id}


@serves(ForwardMessage)
async def forward_message(emu: Core, bot: BotState, m: ForwardMessage) -> dict[str, Any]:
    chat, src, content = _source(emu, bot, m, "forward", "forwarded")
    content["forward_origin"] = {"type": "user", "sender_user": src.data["from"], "date": src.date}
    return send(emu, bot, m, chat, src.kind, content, html=src.html, plain=True).data


@serves(AnswerCallbackQuery)
async def answer_callback_query(emu: Core, bot: BotState, m: AnswerCallbackQuery) -> bool:
    query = bot.callback_queries.get(m.callback_query_id)
    if query is None or query["answered"]:
        raise bad(QUERY_INVALID)
    query["answered"] = True
    query["answer"] = {
        "text": m.text,
        "show_alert": bool(m.show_alert),
        "url": m.url,
        "cache_time": m.cache_time or 0,
    }
    bot.bump()
    return True


@serves(SendChatAction)
async def send_chat_action(emu: Core, bot: BotState, m: SendChatAction) -> bool:
    chat = writable_chat(emu, bot, m.chat_id)
    thread_of(chat, m.message_thread_id)
    if m.action not in CHAT_ACTIONS:
        raise bad("wrong parameter action in request")
    return True
