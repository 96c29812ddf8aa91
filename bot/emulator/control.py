"""Control / user-side HTTP API of the emulator, under ``/_emu/``.

It plays the people: the actions (``actions.py``, ``chat_actions.py``) build real Updates for the
bot; the reads and event-driven waits here serve the tests.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .actions import act_edit, act_message, act_press, group_of
from .chat_actions import (
    act_block,
    act_clear_calls,
    act_clear_faults,
    act_delete_topic,
    act_fault,
    act_group,
    act_kick,
    act_member,
    act_unblock,
)
from .core import Core
from .state import BotState, ControlError, StoredMessage

Body = dict[str, Any]
Action = Callable[[Core, BotState, Body], Any]


def _json(payload: Any, status: int = 200, bot: BotState | None = None) -> web.Response:
    headers = {"X-Emu-Seq": str(bot.seq)} if bot is not None else None
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False),
        status=status,
        content_type="application/json",
        headers=headers,
    )


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


async def read_messages(emu: Core, bot: BotState, request: web.Request) -> Any:
    chat_id = _int_q(request, "chat_id")
    if chat_id is None:
        raise ControlError("chat_id is required")
    return {"messages": _messages(bot, chat_id, _int_q(request, "thread_id"))}


async def read_calls(emu: Core, bot: BotState, request: web.Request) -> Any:
    method = request.query.get("method")
    calls = [c for c in bot.calls if not method or c["method"].lower() == method.lower()]
    return {"calls": calls}


async def read_commands(emu: Core, bot: BotState, request: web.Request) -> Any:
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


async def read_webhook(emu: Core, bot: BotState, request: web.Request) -> Any:
    info = emu.webhook_info(bot)
    info["secret_token"] = (bot.webhook or {}).get("secret_token")
    return info


async def read_pending(emu: Core, bot: BotState, request: web.Request) -> Any:
    return {"pending_update_count": len(bot.updates), "updates": bot.updates}


async def read_updates(emu: Core, bot: BotState, request: web.Request) -> Any:
    return {"updates": bot.update_log}


async def read_callback_answers(emu: Core, bot: BotState, request: web.Request) -> Any:
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


async def read_members(emu: Core, bot: BotState, request: web.Request) -> Any:
    """Every user's status in a group, by user id."""
    chat = group_of(bot, request.query.get("chat_id", "0"))
    return {"members": {str(uid): status for uid, status in chat.members.items()}}


async def read_file(emu: Core, bot: BotState, request: web.Request) -> Any:
    """The bytes of a small file the bot uploaded (as UTF-8 text), by its file_id."""
    record = bot.files.get(request.query.get("file_id", ""))
    if record is None or record.get("data") is None:
        raise ControlError("no stored bytes for this file_id", 404)
    return {"text": record["data"].decode("utf-8", errors="replace")}


async def read_me(emu: Core, bot: BotState, request: web.Request) -> Any:
    return {"bot": bot.user.to_dict(), "token": bot.token}


async def wait_messages(emu: Core, bot: BotState, request: web.Request) -> Any:
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


async def wait_idle(emu: Core, bot: BotState, request: web.Request) -> Any:
    """Wait until every update queued so far was confirmed (offset or webhook 2xx)."""
    target = bot.next_update_id
    timeout = _float_q(request, "timeout", 10.0)
    ok = await bot.wait(lambda: all(u["update_id"] > target for u in bot.updates), timeout)
    if not ok:
        return _json(
            {"ok": False, "error": "timeout", "pending_update_count": len(bot.updates)}, 408, bot
        )
    return {"ok": True}


READS: dict[str, Callable[[Core, BotState, web.Request], Awaitable[Any]]] = {
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


def add_control_routes(app: web.Application, emu: Core) -> None:
    def bot_of(request: web.Request) -> BotState:
        found = emu.lookup_bot(request.match_info["token"])
        if found is None:
            raise ControlError("unknown bot token", 404)
        return found

    def per_bot(
        serve: Callable[[web.Request, BotState], Awaitable[web.Response]],
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        """A route under /_emu/{token}/: its bot found, and misuse answered as ok=false."""

        async def route(request: web.Request) -> web.Response:
            try:
                return await serve(request, bot_of(request))
            except ControlError as exc:
                return _json({"ok": False, "error": str(exc)}, exc.status)
            except (KeyError, TypeError, ValueError) as exc:
                return _json({"ok": False, "error": f"bad request: {exc!r}"}, 400)

        return route

    @per_bot
    async def post_action(request: web.Request, bot: BotState) -> web.Response:
        action = ACTIONS.get(request.match_info["action"])
        if action is None:
            raise ControlError("unknown action", 404)
        body = await request.json() if request.can_read_body else {}
        return _json(action(emu, bot, body or {}), bot=bot)

    @per_bot
    async def get_read(request: web.Request, bot: BotState) -> web.Response:
        read = READS.get(request.match_info["action"])
        if read is None:
            raise ControlError("unknown read", 404)
        result = await read(emu, bot, request)
        return result if isinstance(result, web.Response) else _json(result, bot=bot)

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
