"""User actions of the control API: a user sends, edits or presses, and the bot gets the Update.

Every action builds a real Update, queues it for the bot (or the webhook pushes it) and returns
it as JSON (see ``control.py`` for the routes).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from .core import Core
from .entities import utf16_len
from .methods.files import photo_sizes
from .state import BotState, Chat, ControlError, StoredMessage, User, new_file_id

Body = dict[str, Any]

_COMMAND_RE = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![^\s])")
_URL_RE = re.compile(r"(?<![^\s(])https?://[^\s<>\"]+[^\s<>\".,;:!?)]")
DEFAULT_LOCATION = (43.238949, 76.889709)  # Almaty


def text_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram detects in a user's plain text: bot commands and URLs."""
    found = []
    for regex, kind in ((_COMMAND_RE, "bot_command"), (_URL_RE, "url")):
        for m in regex.finditer(text):
            found.append(
                {
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m.group()),
                    "type": kind,
                }
            )
    return sorted(found, key=lambda e: e["offset"])


def _file(prefix: str, fields: Body) -> Body:
    """A file object with new ids (file_id begins with the prefix Telegram uses for its kind)."""
    file_id, file_unique_id = new_file_id(prefix)
    return {"file_id": file_id, "file_unique_id": file_unique_id, **fields}


def _voice(options: Body) -> Body:
    return _file(
        "AwACAgIAAxkBAAI",
        {
            "duration": int(options.get("duration", 4)),
            "mime_type": "audio/ogg",
            "file_size": int(options.get("size", 12_000)),
        },
    )


def _document(options: Body) -> Body:
    return _file(
        "BQACAgIAAxkBAAI",
        {
            "file_name": str(options.get("file_name", "doc.pdf")),
            "mime_type": str(options.get("mime_type", "application/pdf")),
            "file_size": int(options.get("size", 120_000)),
        },
    )


def _sticker(options: Body) -> Body:
    return _file(
        "CAACAgIAAxkBAAI",
        {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": str(options.get("emoji", "👍")),
            "set_name": str(options.get("set_name", "EmuStickers")),
            "file_size": 20_000,
        },
    )


# The media a user can send, by the body field that asks for it (checked in this order), each
# built from that field's options.
USER_MEDIA: dict[str, Callable[[Body], Body | list[Body]]] = {
    "photo": lambda options: photo_sizes(int(options.get("size", 60_000))),
    "voice": _voice,
    "document": _document,
    "sticker": _sticker,
}


def user_of(emu: Core, body: Body) -> User:
    data = body.get("user")
    if not isinstance(data, dict) or "id" not in data:
        raise ControlError("'user' object with an 'id' is required")
    return emu.upsert_user(data)


def group_of(bot: BotState, chat_id: Any) -> Chat:
    chat = bot.chats.get(int(chat_id))
    if chat is None:
        raise ControlError(f"chat {chat_id} not found", 404)
    return chat


def target_chat(emu: Core, bot: BotState, user: User, body: Body) -> Chat:
    chat_id = body.get("chat_id")
    if chat_id is None or int(chat_id) == user.id:
        chat = emu.private_chat(bot, user)
        if chat.blocked:
            raise ControlError("the user has blocked the bot; unblock first")
        return chat
    chat = group_of(bot, chat_id)
    if chat.bot_status in ("kicked", "left"):
        raise ControlError("the bot is not a member of this chat")
    chat.members.setdefault(user.id, "member")
    return chat


def message_of(bot: BotState, chat: Chat, mid: Any) -> StoredMessage:
    msg = chat.messages.get(int(mid))
    if msg is None or msg.deleted:
        raise ControlError(f"message {mid} not found in chat {chat.id}", 404)
    return msg


def user_message(emu: Core, bot: BotState, body: Body, kind: str, content: Body) -> Body:
    user = user_of(emu, body)
    chat = target_chat(emu, bot, user, body)
    thread_id = body.get("thread_id")
    if thread_id is not None:
        thread_id = int(thread_id)
        topic = chat.topics.get(thread_id)
        if chat.is_forum and (topic is None or topic.deleted):
            raise ControlError(f"topic {thread_id} not found", 404)
    reply_to = body.get("reply_to")
    if reply_to is not None:
        reply_to = message_of(bot, chat, reply_to).message_id
    msg = emu.store_message(
        bot, chat, user, kind, content, from_bot=False, thread_id=thread_id, reply_to=reply_to
    )
    return bot.enqueue({"message": msg.data})


# --- actions (POST) ------------------------------------------------------------------------


def act_message(emu: Core, bot: BotState, body: Body) -> Body:
    """A user sends a text or other content; the field present in body picks the kind."""
    if "text" in body:
        text = str(body["text"])
        content: Body = {"text": text}
        entities = text_entities(text)
        if entities:
            content["entities"] = entities
        return user_message(emu, bot, body, "text", content)
    if "location" in body:
        loc = body["location"] or {}
        lat = float(loc.get("latitude", DEFAULT_LOCATION[0]))
        lon = float(loc.get("longitude", DEFAULT_LOCATION[1]))
        point: Body = {"latitude": lat, "longitude": lon}
        if loc.get("live_period"):  # a live location: the app then edits it as she moves
            point["live_period"] = int(loc["live_period"])
        return user_message(emu, bot, body, "location", {"location": point})
    if "contact" in body:
        user = user_of(emu, body)
        c = dict(body["contact"])
        contact: Body = {
            "phone_number": str(c["phone_number"]),
            "first_name": str(c.get("first_name") or user.first_name),
        }
        if c.get("last_name") or (c.get("own", True) and user.last_name):
            contact["last_name"] = c.get("last_name") or user.last_name
        if c.get("own", True):
            contact["user_id"] = user.id  # Telegram sets user_id when users share their own contact
        elif c.get("user_id"):
            contact["user_id"] = int(c["user_id"])
        return user_message(emu, bot, body, "contact", {"contact": contact})
    kind = next((key for key in USER_MEDIA if key in body), None)
    if kind is None:
        raise ControlError("nothing to send: give text, location, contact, photo, voice, ...")
    value = USER_MEDIA[kind](body[kind] or {})
    for file in value if isinstance(value, list) else [value]:
        bot.files[file["file_id"]] = {"kind": kind, "obj": value}
    media: Body = {kind: value}
    if body.get("caption"):
        media["caption"] = str(body["caption"])
    return user_message(emu, bot, body, kind, media)


def act_edit(emu: Core, bot: BotState, body: Body) -> Body:
    user = user_of(emu, body)
    chat = target_chat(emu, bot, user, body)
    msg = message_of(bot, chat, body["message_id"])
    if msg.from_bot or msg.sender_id != user.id:
        raise ControlError("a user can only edit their own messages")
    if "location" in body:  # a live location moving: Telegram sends it as an edited message
        point = msg.data.get("location")
        if msg.kind != "location" or not point or not point.get("live_period"):
            raise ControlError("only a live location can be moved")
        point["latitude"] = float(body["location"]["latitude"])
        point["longitude"] = float(body["location"]["longitude"])
        msg.data["edit_date"] = emu.now()
        msg.edits += 1
        return bot.enqueue({"edited_message": msg.data})
    text = str(body["text"])
    if msg.kind == "text":
        msg.data["text"] = text
        msg.data.pop("entities", None)
        if entities := text_entities(text):
            msg.data["entities"] = entities
    else:
        msg.data["caption"] = text
    msg.data["edit_date"] = emu.now()
    msg.edits += 1
    return bot.enqueue({"edited_message": msg.data})


def _inline_buttons(msg: StoredMessage) -> list[Body]:
    rows = (msg.data.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b for row in rows for b in row]


def act_press(emu: Core, bot: BotState, body: Body) -> Body:
    """Press an inline button (by text or callback_data) or a reply-keyboard button."""
    user = user_of(emu, body)
    chat = target_chat(emu, bot, user, body)
    msg = message_of(bot, chat, body["message_id"])
    if not msg.from_bot:
        raise ControlError("only the bot's messages have buttons")
    text, data = body.get("text"), body.get("data")
    buttons = _inline_buttons(msg)
    if text is not None:
        match = [b for b in buttons if b.get("text") == text]
        if not match:
            return _press_reply_keyboard(emu, bot, body, msg, str(text))
        if "callback_data" not in match[0]:
            raise ControlError(f"button {text!r} has no callback_data: {match[0]}")
        data = match[0]["callback_data"]
    elif data is None:
        raise ControlError("give the button 'text' or its callback 'data'")
    elif not body.get("forge") and not any(b.get("callback_data") == data for b in buttons):
        raise ControlError(f"message {msg.message_id} has no button with callback_data {data!r}")
    qid = str((bot.id % 10**6) * 10**12 + bot.next_query)
    bot.next_query += 1
    query = {
        "id": qid,
        "from": user.to_dict(),
        "message": copy.deepcopy(msg.data),
        "chat_instance": bot.chat_instance(chat.id),
        "data": str(data),
    }
    bot.callback_queries[qid] = {"query": query, "answered": False, "answer": None}
    return bot.enqueue({"callback_query": query})


def _press_reply_keyboard(
    emu: Core, bot: BotState, body: Body, msg: StoredMessage, text: str
) -> Body:
    rows = (msg.reply_markup or {}).get("keyboard") or []
    for button in (b for row in rows for b in row):
        if button.get("text") != text:
            continue
        send = {k: v for k, v in body.items() if k in ("user", "chat_id")}
        if button.get("request_contact"):
            phone = body.get("phone_number") or f"7701{user_of(emu, body).id % 10**7:07d}"
            return act_message(emu, bot, {**send, "contact": {"phone_number": phone}})
        if button.get("request_location"):
            return act_message(emu, bot, {**send, "location": {}})
        return act_message(emu, bot, {**send, "text": text})
    raise ControlError(f"message {msg.message_id} has no button {text!r}")
