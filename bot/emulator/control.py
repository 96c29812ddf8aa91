"""Control / user-side HTTP API of the emulator, under ``/_emu/``.

It plays the people: every user action builds a real Update, queues it for the bot (or the
webhook pushes it) and returns it as JSON. Reads and event-driven waits serve the tests.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .html import utf16_len
from .state import (
    MEMBER_STATUSES,
    BotState,
    Chat,
    ControlError,
    Fault,
    StoredMessage,
    User,
    member_dict,
    new_file_id,
)

if TYPE_CHECKING:
    from .server import Emulator

Body = dict[str, Any]
Action = Callable[["Emulator", BotState, Body], Any]

_COMMAND_RE = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![^\s])")
_URL_RE = re.compile(r"(?<![^\s(])https?://[^\s<>\"]+[^\s<>\".,;:!?)]")
DEFAULT_LOCATION = (43.238949, 76.889709)  # Almaty
FAULT_KINDS = {
    "429": "429", "flood": "429", "retry_after": "429",
    "500": "500", "internal": "500",
    "502": "502", "bad_gateway": "502",
    "403": "403", "forbidden": "403", "blocked": "403",
    "delay": "delay", "slow": "delay",
}  # fmt: skip


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


def _json(payload: Any, status: int = 200, bot: BotState | None = None) -> web.Response:
    headers = {"X-Emu-Seq": str(bot.seq)} if bot is not None else None
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def _user(emu: Emulator, body: Body) -> User:
    data = body.get("user")
    if not isinstance(data, dict) or "id" not in data:
        raise ControlError("'user' object with an 'id' is required")
    return emu.upsert_user(data)


def _group(bot: BotState, chat_id: Any) -> Chat:
    chat = bot.chats.get(int(chat_id))
    if chat is None:
        raise ControlError(f"chat {chat_id} not found", 404)
    return chat


def _target_chat(emu: Emulator, bot: BotState, user: User, body: Body) -> Chat:
    chat_id = body.get("chat_id")
    if chat_id is None or int(chat_id) == user.id:
        chat = emu.private_chat(bot, user)
        if chat.blocked:
            raise ControlError("the user has blocked the bot; unblock first")
        return chat
    chat = _group(bot, chat_id)
    if chat.bot_status in ("kicked", "left"):
        raise ControlError("the bot is not a member of this chat")
    chat.members.setdefault(user.id, "member")
    return chat


def _message(bot: BotState, chat: Chat, mid: Any) -> StoredMessage:
    msg = chat.messages.get(int(mid))
    if msg is None or msg.deleted:
        raise ControlError(f"message {mid} not found in chat {chat.id}", 404)
    return msg


def _user_message(emu: Emulator, bot: BotState, body: Body, kind: str, content: Body) -> Body:
    user = _user(emu, body)
    chat = _target_chat(emu, bot, user, body)
    thread_id = body.get("thread_id")
    if thread_id is not None:
        thread_id = int(thread_id)
        topic = chat.topics.get(thread_id)
        if chat.is_forum and (topic is None or topic.deleted):
            raise ControlError(f"topic {thread_id} not found", 404)
    reply_to = body.get("reply_to")
    if reply_to is not None:
        reply_to = _message(bot, chat, reply_to).message_id
    msg = emu.store_message(
        bot,
        chat,
        from_bot=False,
        sender=user,
        kind=kind,
        content=content,
        thread_id=thread_id,
        reply_to=reply_to,
    )
    return bot.enqueue({"message": msg.data})


# --- actions (POST) ------------------------------------------------------------------------


def act_message(emu: Emulator, bot: BotState, body: Body) -> Body:
    """A user sends a text or other content; the field present in body picks the kind."""
    if "text" in body:
        text = str(body["text"])
        content: Body = {"text": text}
        entities = text_entities(text)
        if entities:
            content["entities"] = entities
        return _user_message(emu, bot, body, "text", content)
    if "location" in body:
        loc = body["location"] or {}
        lat = float(loc.get("latitude", DEFAULT_LOCATION[0]))
        lon = float(loc.get("longitude", DEFAULT_LOCATION[1]))
        point: Body = {"latitude": lat, "longitude": lon}
        if loc.get("live_period"):  # a live location: the app then edits it as she moves
            point["live_period"] = int(loc["live_period"])
        return _user_message(emu, bot, body, "location", {"location": point})
    if "contact" in body:
        user = _user(emu, body)
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
        return _user_message(emu, bot, body, "contact", {"contact": contact})
    media: Body = {}
    if "photo" in body:
        from .server import photo_sizes

        media["photo"] = photo_sizes(int((body["photo"] or {}).get("size", 60_000)))
        kind = "photo"
    elif "voice" in body:
        fid, fuid = new_file_id("AwACAgIAAxkBAAI")
        v = body["voice"] or {}
        media["voice"] = {
            "file_id": fid,
            "file_unique_id": fuid,
            "duration": int(v.get("duration", 4)),
            "mime_type": "audio/ogg",
            "file_size": int(v.get("size", 12_000)),
        }
        kind = "voice"
    elif "document" in body:
        fid, fuid = new_file_id("BQACAgIAAxkBAAI")
        d = body["document"] or {}
        media["document"] = {
            "file_id": fid,
            "file_unique_id": fuid,
            "file_name": str(d.get("file_name", "doc.pdf")),
            "mime_type": str(d.get("mime_type", "application/pdf")),
            "file_size": int(d.get("size", 120_000)),
        }
        kind = "document"
    elif "sticker" in body:
        fid, fuid = new_file_id("CAACAgIAAxkBAAI")
        s = body["sticker"] or {}
        media["sticker"] = {
            "file_id": fid,
            "file_unique_id": fuid,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": str(s.get("emoji", "👍")),
            "set_name": str(s.get("set_name", "EmuStickers")),
            "file_size": 20_000,
        }
        kind = "sticker"
    else:
        raise ControlError("nothing to send: give text, location, contact, photo, voice, ...")
    for key, value in media.items():
        ids = [s["file_id"] for s in value] if isinstance(value, list) else [value["file_id"]]
        for file_id in ids:
            bot.files[file_id] = {"kind": key, "obj": value}
    if body.get("caption"):
        media["caption"] = str(body["caption"])
    return _user_message(emu, bot, body, kind, media)


def act_edit(emu: Emulator, bot: BotState, body: Body) -> Body:
    user = _user(emu, body)
    chat = _target_chat(emu, bot, user, body)
    msg = _message(bot, chat, body["message_id"])
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


def act_press(emu: Emulator, bot: BotState, body: Body) -> Body:
    """Press an inline button (by text or callback_data) or a reply-keyboard button."""
    user = _user(emu, body)
    chat = _target_chat(emu, bot, user, body)
    msg = _message(bot, chat, body["message_id"])
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
    emu: Emulator, bot: BotState, body: Body, msg: StoredMessage, text: str
) -> Body:
    rows = (msg.reply_markup or {}).get("keyboard") or []
    for button in (b for row in rows for b in row):
        if button.get("text") != text:
            continue
        send = {k: v for k, v in body.items() if k in ("user", "chat_id")}
        if button.get("request_contact"):
            phone = body.get("phone_number") or f"7701{_user(emu, body).id % 10**7:07d}"
            return act_message(emu, bot, {**send, "contact": {"phone_number": phone}})
        if button.get("request_location"):
            return act_message(emu, bot, {**send, "location": {}})
        return act_message(emu, bot, {**send, "text": text})
    raise ControlError(f"message {msg.message_id} has no button {text!r}")


def _my_chat_member(
    emu: Emulator, bot: BotState, chat: Chat, actor: User, old: str, new: str
) -> Body:
    me = bot.user.to_dict()
    return bot.enqueue(
        {
            "my_chat_member": {
                "chat": chat.to_dict(),
                "from": actor.to_dict(),
                "date": emu.now(),
                "old_chat_member": member_dict(old, me),
                "new_chat_member": member_dict(new, me),
            }
        }
    )


def act_block(emu: Emulator, bot: BotState, body: Body) -> Body:
    user = _user(emu, body)
    chat = emu.private_chat(bot, user)
    if chat.blocked:
        raise ControlError("already blocked")
    chat.blocked = True
    return _my_chat_member(emu, bot, chat, user, "member", "kicked")


def act_unblock(emu: Emulator, bot: BotState, body: Body) -> Body:
    user = _user(emu, body)
    chat = emu.private_chat(bot, user)
    if not chat.blocked:
        raise ControlError("not blocked")
    chat.blocked = False
    return _my_chat_member(emu, bot, chat, user, "kicked", "member")


def act_kick(emu: Emulator, bot: BotState, body: Body) -> Body:
    """Remove the bot from a group (by a user, or the group's creator)."""
    chat = _group(bot, body["chat_id"])
    if chat.type == "private":
        raise ControlError("use block for private chats")
    if "user" in body:
        actor = _user(emu, body)
    else:
        creator = next((u for u, s in chat.members.items() if s == "creator"), None)
        actor = emu.users.get(creator or 0) or User(1, "Admin")
    old = chat.bot_status
    chat.bot_status = "kicked"
    return _my_chat_member(emu, bot, chat, actor, old, "kicked")


def act_group(emu: Emulator, bot: BotState, body: Body) -> Body:
    chat_id = int(body["chat_id"])
    if chat_id >= 0:
        raise ControlError("group ids are negative, e.g. -1001234567890")
    kind = str(body.get("type") or "supergroup")
    if kind not in ("group", "supergroup"):
        raise ControlError("type must be group or supergroup")
    is_forum = bool(body.get("is_forum"))
    if is_forum and kind != "supergroup":
        raise ControlError("only supergroups can be forums")
    chat = Chat(
        chat_id,
        kind,
        title=str(body.get("title") or "Group"),
        username=body.get("username"),
        is_forum=is_forum,
        bot_status=str(body.get("bot_status") or "administrator"),
    )
    if is_forum:
        chat.next_message_id = 2  # thread id 1 is the General topic
    for user in body.get("users") or []:
        emu.upsert_user(user)
    for uid, status in (body.get("members") or {}).items():
        if status not in MEMBER_STATUSES:
            raise ControlError(f"bad member status {status!r}")
        if int(uid) not in emu.users:
            emu.upsert_user({"id": int(uid)})
        chat.members[int(uid)] = status
    bot.chats[chat_id] = chat
    bot.bump()
    return chat.to_dict()


def act_member(emu: Emulator, bot: BotState, body: Body) -> Body:
    """Set a user's status in a group (joins, leaves, promotions...). A change is a chat_member
    update, which Telegram sends to a bot that is an administrator there and asked for it in
    allowed_updates; `by` (a user object) is who made the change, else the user herself."""
    chat = _group(bot, body["chat_id"])
    user = _user(emu, body)
    status = str(body.get("status") or "member")
    if status not in MEMBER_STATUSES:
        raise ControlError(f"bad member status {status!r}")
    old = chat.members.get(user.id, "left")
    chat.members[user.id] = status
    actor = emu.upsert_user(body["by"]) if isinstance(body.get("by"), dict) else user
    update = None
    if old != status and chat.bot_status == "administrator":
        update = bot.enqueue(
            {
                "chat_member": {
                    "chat": chat.to_dict(),
                    "from": actor.to_dict(),
                    "date": emu.now(),
                    "old_chat_member": member_dict(old, user.to_dict()),
                    "new_chat_member": member_dict(status, user.to_dict()),
                }
            }
        )
    return {"member": member_dict(status, user.to_dict()), "update": update}


def act_delete_topic(emu: Emulator, bot: BotState, body: Body) -> Body:
    chat = _group(bot, body["chat_id"])
    emu.delete_topic(bot, chat, int(body["thread_id"]))
    return {"ok": True}


def act_fault(emu: Emulator, bot: BotState, body: Body) -> Body:
    kind = FAULT_KINDS.get(str(body.get("kind")))
    if kind is None:
        raise ControlError(f"fault kind must be one of {sorted(FAULT_KINDS)}")
    chat_id = body.get("chat_id")
    fault = Fault(
        method=str(body.get("method") or "*").lower(),
        kind=kind,
        count=int(body.get("count", 1)),
        retry_after=int(body.get("retry_after", 1)),
        delay=float(body.get("delay", 0.0)),
        chat_id=int(chat_id) if chat_id is not None else None,
    )
    bot.faults.append(fault)
    return {"ok": True}


def act_clear_faults(emu: Emulator, bot: BotState, body: Body) -> Body:
    bot.faults.clear()
    return {"ok": True}


def act_clear_calls(emu: Emulator, bot: BotState, body: Body) -> Body:
    bot.calls.clear()
    return {"ok": True}


ACTIONS: dict[str, Action] = {
    "message": act_message,
    "edit": act_edit,
    "press": act_press,
    "block": act_block,
    "unblock": act_unblock,
    "kick": act_kick,
    "group": act_group,
    "member": act_member,
    "delete_topic": act_delete_topic,
    "fault": act_fault,
    "clear_faults": act_clear_faults,
    "clear_calls": act_clear_calls,
}


# --- reads and waits (GET) ---------------------------------------------------------------------


def _int_q(request: web.Request, key: str) -> int | None:
    value = request.query.get(key)
    return int(value) if value not in (None, "") else None


def _float_q(request: web.Request, key: str, default: float) -> float:
    value = request.query.get(key)
    return float(value) if value not in (None, "") else default


def _messages(bot: BotState, chat_id: int, thread_id: int | None) -> list[Body]:
    chat = bot.chats.get(chat_id)
    if chat is None:
        return []
    return [
        m.view() for m in chat.messages.values() if thread_id is None or m.thread_id == thread_id
    ]


async def read_messages(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    chat_id = _int_q(request, "chat_id")
    if chat_id is None:
        raise ControlError("chat_id is required")
    return {"messages": _messages(bot, chat_id, _int_q(request, "thread_id"))}


async def read_calls(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    method = request.query.get("method")
    calls = [c for c in bot.calls if not method or c["method"].lower() == method.lower()]
    return {"calls": calls}


async def read_commands(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    scope = request.query.get("scope")
    key = (
        emu.scope_key(json.loads(scope) if scope else None),
        request.query.get("language_code", ""),
    )
    return {
        "commands": bot.commands.get(key, []),
        "all": [
            {"scope": json.loads(s), "language_code": lang, "commands": cmds}
            for (s, lang), cmds in bot.commands.items()
        ],
    }


async def read_webhook(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    info = emu.webhook_info(bot)
    info["secret_token"] = (bot.webhook or {}).get("secret_token")
    return info


async def read_pending(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    return {"pending_update_count": len(bot.updates), "updates": bot.updates}


async def read_updates(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    return {"updates": bot.update_log}


async def read_callback_answers(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    return {
        "answers": [
            {
                "id": qid,
                "data": q["query"].get("data"),
                "answered": q["answered"],
                **(q["answer"] or {}),
            }
            for qid, q in bot.callback_queries.items()
        ]
    }


async def read_members(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    """Every user's status in a group, by user id."""
    chat = _group(bot, request.query.get("chat_id", "0"))
    return {"members": {str(uid): status for uid, status in chat.members.items()}}


async def read_file(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    """The bytes of a small file the bot uploaded (as UTF-8 text), by its file_id."""
    record = bot.files.get(request.query.get("file_id", ""))
    if record is None or record.get("data") is None:
        raise ControlError("no stored bytes for this file_id", 404)
    return {"text": record["data"].decode("utf-8", errors="replace")}


async def read_me(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    return {"bot": bot.user.to_dict(), "token": bot.token}


async def wait_messages(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    """Long-poll until the bot has sent (or, with since_seq, sent or edited) count messages."""
    chat_id = _int_q(request, "chat_id")
    if chat_id is None:
        raise ControlError("chat_id is required")
    after = _int_q(request, "after") or 0
    since_seq = _int_q(request, "since_seq")
    thread_id = _int_q(request, "thread_id")
    count = _int_q(request, "count") or 1
    timeout = _float_q(request, "timeout", 10.0)

    def found() -> list[StoredMessage]:
        chat = bot.chats.get(chat_id)
        if chat is None:
            return []
        out = []
        for m in chat.messages.values():
            if not m.from_bot or m.deleted or m.kind == "service":
                continue
            if thread_id is not None and m.thread_id != thread_id:
                continue
            if (since_seq is not None and m.seq > since_seq) or (
                since_seq is None and m.message_id > after
            ):
                out.append(m)
        return out

    ok = await bot.wait(lambda: len(found()) >= count, timeout)
    messages = [m.view() for m in found()]
    if not ok:
        return _json(
            {
                "ok": False,
                "error": f"timeout: {len(messages)} of {count} messages",
                "messages": messages,
            },
            408,
            bot,
        )
    return {"messages": messages, "seq": bot.seq}


async def wait_idle(emu: Emulator, bot: BotState, request: web.Request) -> Any:
    """Wait until every update queued so far was confirmed (offset or webhook 2xx)."""
    target = bot.next_update_id
    timeout = _float_q(request, "timeout", 10.0)
    ok = await bot.wait(lambda: all(u["update_id"] > target for u in bot.updates), timeout)
    if not ok:
        return _json(
            {"ok": False, "error": "timeout", "pending_update_count": len(bot.updates)}, 408, bot
        )
    return {"ok": True}


READS: dict[str, Callable[[Emulator, BotState, web.Request], Awaitable[Any]]] = {
    "messages": read_messages,
    "calls": read_calls,
    "commands": read_commands,
    "webhook": read_webhook,
    "pending": read_pending,
    "updates": read_updates,
    "callback_answers": read_callback_answers,
    "me": read_me,
    "file": read_file,
    "members": read_members,
    "wait_messages": wait_messages,
    "wait_idle": wait_idle,
}


def add_control_routes(app: web.Application, emu: Emulator) -> None:
    def bot_of(request: web.Request) -> BotState:
        found = emu._lookup_bot(request.match_info["token"])
        if found is None:
            raise ControlError("unknown bot token", 404)
        return found

    async def post_action(request: web.Request) -> web.Response:
        try:
            bot = bot_of(request)
            action = ACTIONS.get(request.match_info["action"])
            if action is None:
                raise ControlError("unknown action", 404)
            body = await request.json() if request.can_read_body else {}
            return _json(action(emu, bot, body or {}), bot=bot)
        except ControlError as exc:
            return _json({"ok": False, "error": str(exc)}, exc.status)
        except (KeyError, TypeError, ValueError) as exc:
            return _json({"ok": False, "error": f"bad request: {exc!r}"}, 400)

    async def get_read(request: web.Request) -> web.Response:
        try:
            bot = bot_of(request)
            read = READS.get(request.match_info["action"])
            if read is None:
                raise ControlError("unknown read", 404)
            result = await read(emu, bot, request)
            return result if isinstance(result, web.Response) else _json(result, bot=bot)
        except ControlError as exc:
            return _json({"ok": False, "error": str(exc)}, exc.status)
        except (KeyError, TypeError, ValueError) as exc:
            return _json({"ok": False, "error": f"bad request: {exc!r}"}, 400)

    async def health(request: web.Request) -> web.Response:
        return _json({"ok": True, "bots": [b.user.to_dict() for b in emu.bots.values()]})

    async def clock(request: web.Request) -> web.Response:
        if request.method == "POST":
            body = await request.json()
            emu.clock_offset = float(body.get("offset", 0))
        return _json({"offset": emu.clock_offset, "now": emu.now()})

    async def add_bot(request: web.Request) -> web.Response:
        body = await request.json()
        try:
            bot = emu.add_bot(str(body["token"]), username=body.get("username"))
        except (KeyError, ValueError) as exc:
            return _json({"ok": False, "error": str(exc)}, 400)
        return _json({"bot": bot.user.to_dict()})

    app.router.add_get("/_emu/health", health)
    app.router.add_route("*", "/_emu/clock", clock)
    app.router.add_post("/_emu/bots", add_bot)
    app.router.add_post("/_emu/{token}/{action}", post_action)
    app.router.add_get("/_emu/{token}/{action}", get_read)
