"""Local Telegram Bot API emulator (aiohttp).

Serves ``POST {url}/bot{token}/{method}`` like api.telegram.org, plus a JSON control API under
``/_emu/`` that plays the users (see ``control.py``). State lives in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import logging
import math
import signal
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from .html import HtmlParseError, check_url, finalize_text, parse_html, sort_entities, utf16_len
from .state import (
    TOKEN_RE,
    ApiError,
    BotState,
    Chat,
    ControlError,
    StoredMessage,
    Topic,
    User,
    bad,
    member_dict,
    new_file_id,
)

log = logging.getLogger(__name__)

Params = dict[str, Any]
Handler = Callable[[BotState, Params], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
DELETE_WINDOW = 48 * 3600
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
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
# Calls Telegram's global flood limit counts: the family of bot/outgoing.py's MESSAGE_METHODS,
# lowercased like the method lookup (Bot API method names are case-insensitive).
RATE_LIMITED_METHODS = frozenset(
    name.lower()
    for name in (
        "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation", "sendVenue",
        "sendContact", "copyMessage", "forwardMessage", "editMessageText",
        "editMessageReplyMarkup", "sendMediaGroup", "sendAudio", "sendVideo", "sendVideoNote",
        "sendAnimation", "sendSticker", "createForumTopic",
    )
)  # fmt: skip
RATE_WINDOW = 1.0  # seconds: Telegram's global limit is about 30 messages per second
JSON_PARAMS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "reply_parameters",
        "link_preview_options", "commands", "scope", "allowed_updates", "message_ids",
    }
)  # fmt: skip


@dataclass
class RateState:
    """Per bot: accepted message calls, calls refused by the flood limit, recent call times."""

    messages: int = 0
    rate_limited: int = 0
    recent: deque[float] = field(default_factory=deque)
    group_rate_limited: int = 0
    group_recent: dict[str, deque[float]] = field(default_factory=dict)


@dataclass
class Upload:
    """A file sent in a multipart request."""

    filename: str
    content_type: str
    size: int
    # The bytes of a small upload (tests read a sent document back, see the control API's
    # `file` read); None for larger ones, which only count their size.
    data: bytes | None = None


UPLOAD_KEEP = 1 << 20  # uploads up to 1 MiB keep their bytes


def _json_response(payload: Any, status: int = 200, **headers: str) -> web.Response:
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False),
        status=status,
        content_type="application/json",
        headers=headers or None,
    )


# --- parameter helpers: Telegram accepts strings for everything in form data -------------


def _get(params: Params, key: str) -> Any:
    value = params.get(key)
    return None if value == "" else value


def p_int(params: Params, key: str, *, required: bool = False) -> int | None:
    value = _get(params, key)
    if value is None:
        if required:
            raise bad(f"{key} is empty")
        return None
    if isinstance(value, bool):
        return int(value)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad(f"invalid {key} specified") from None


def p_float(params: Params, key: str, *, required: bool = False) -> float | None:
    value = _get(params, key)
    if value is None:
        if required:
            raise bad(f"{key} is empty")
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad(f"invalid {key} specified") from None


def p_str(params: Params, key: str) -> str | None:
    value = _get(params, key)
    return None if value is None else str(value)


def p_bool(params: Params, key: str) -> bool:
    value = params.get(key)
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


def p_json(params: Params, key: str) -> Any:
    value = _get(params, key)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            if key == "reply_markup":
                raise bad("can't parse reply keyboard markup JSON object") from None
            raise bad(f"can't parse {key} JSON object") from None
    return value


def _sanitize(params: Params) -> Params:
    """Params for the call log: uploads become a short description, JSON strings are decoded."""
    out: Params = {}
    for key, value in params.items():
        if isinstance(value, Upload):
            out[key] = f"<file {value.filename} {value.size} bytes>"
        elif key in JSON_PARAMS and isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
        else:
            out[key] = value
    return out


class Emulator:
    """An in-memory Telegram Bot API server for tests, demos and benchmarks."""

    def __init__(
        self,
        *,
        bot_token: str | None = None,
        strict_html: bool = True,
        webhook_backoff: float = 0.05,
        rate_limit: float | None = None,
        group_rate_limit: int | None = None,
        group_window: float = 60.0,
    ) -> None:
        # With bot_token=None any well-formed token is accepted and gets its own bot.
        self.bot_token = bot_token
        # Off by default. When set: more than `rate_limit` message calls of one bot within any
        # sliding second get Telegram's 429 "retry after 1" (see RATE_LIMITED_METHODS).
        if rate_limit is not None and rate_limit <= 0:
            raise ValueError("rate_limit must be positive")
        self.rate_limit = rate_limit
        # Off by default. When set: more than `group_rate_limit` message calls to one group
        # within any sliding `group_window` seconds get a 429 (Telegram: 20 a minute).
        self.group_rate_limit = group_rate_limit
        self.group_window = group_window
        self._rates: dict[str, RateState] = {}
        self.strict_html = strict_html
        self.webhook_backoff = webhook_backoff
        self.clock_offset = 0.0
        self._closing = False
        self.users: dict[int, User] = {}
        self.bots: dict[str, BotState] = {}
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._http: aiohttp.ClientSession | None = None
        self._methods: dict[str, Handler] = {}
        for name in dir(self):
            if name.startswith("m_"):
                self._methods[name[2:].lower()] = getattr(self, name)
        if bot_token is not None:
            self.add_bot(bot_token)

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("emulator is not started")
        return self._url

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        # Before the control routes: their GET /_emu/{token}/{action} would catch it otherwise.
        app.router.add_get("/_emu/{token}/stats", self._handle_stats)
        from .control import add_control_routes  # local import: control depends on server

        add_control_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving; with port=0 a free port is chosen (see ``url``)."""
        self._closing = False
        self._http = aiohttp.ClientSession()
        self._runner = web.AppRunner(self.make_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
        real_port = sockets[0].getsockname()[1] if sockets else port
        self._url = f"http://{host}:{real_port}"

    async def stop(self) -> None:
        self._closing = True  # pending long polls return at once instead of delaying shutdown
        for bot in self.bots.values():
            bot.webhook = None
            if bot.webhook_task is not None:
                bot.webhook_task.cancel()
                with contextlib.suppress(BaseException):
                    await bot.webhook_task
            bot.bump()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- state helpers -------------------------------------------------------------------------

    def now(self) -> int:
        return int(time.time() + self.clock_offset)

    def add_bot(
        self, token: str, *, username: str | None = None, first_name: str = "anabot"
    ) -> BotState:
        """Register a bot token (idempotent)."""
        if not TOKEN_RE.match(token):
            raise ValueError(f"malformed bot token: {token!r}")
        if token in self.bots:
            return self.bots[token]
        if username is None:
            username = "anabot_emu_bot" if not self.bots else f"anabot_emu{token.split(':')[0]}_bot"
        bot = BotState(token, username, first_name)
        self.bots[token] = bot
        return bot

    def bot(self, token: str | None = None) -> BotState:
        """The state of a bot; without a token, the only (or first) one."""
        if token is None:
            if not self.bots:
                raise KeyError("no bot registered")
            return next(iter(self.bots.values()))
        found = self._lookup_bot(token)
        if found is None:
            raise KeyError(token)
        return found

    def _lookup_bot(self, token: str) -> BotState | None:
        if token in self.bots:
            return self.bots[token]
        if self.bot_token is None and TOKEN_RE.match(token):
            # Open mode: tokens register on first use, but one id cannot have two secrets.
            bot_id = token.split(":", 1)[0]
            if any(t.split(":", 1)[0] == bot_id for t in self.bots):
                return None
            return self.add_bot(token)
        return None

    def upsert_user(self, data: dict[str, Any]) -> User:
        uid = int(data["id"])
        user = self.users.get(uid)
        if user is None:
            user = User(uid, str(data.get("first_name") or f"User{uid}"))
            self.users[uid] = user
        for key in ("first_name", "last_name", "username", "language_code"):
            if key in data:
                setattr(user, key, data[key])
        return user

    def private_chat(self, bot: BotState, user: User) -> Chat:
        chat = bot.chats.get(user.id)
        if chat is None:
            chat = Chat(user.id, "private", user=user)
            bot.chats[user.id] = chat
        return chat

    def store_message(
        self,
        bot: BotState,
        chat: Chat,
        *,
        from_bot: bool,
        sender: User,
        kind: str,
        content: dict[str, Any],
        thread_id: int | None = None,
        reply_to: int | None = None,
        reply_markup: dict[str, Any] | None = None,
        html: str | None = None,
    ) -> StoredMessage:
        """Create a message with the chat's next id and a realistic Message object."""
        mid = chat.next_message_id
        chat.next_message_id += 1
        date = self.now()
        data: dict[str, Any] = {"message_id": mid}
        if thread_id is not None:
            data["message_thread_id"] = thread_id
        data.update({"from": sender.to_dict(), "chat": chat.to_dict(), "date": date})
        if from_bot:
            data["from"].pop("language_code", None)
        if thread_id is not None and chat.is_forum:
            data["is_topic_message"] = True
        reply_target = reply_to
        if reply_target is None and thread_id is not None and chat.is_forum:
            reply_target = thread_id  # Telegram links topic messages to the topic's first message
        if reply_target is not None and reply_target in chat.messages:
            replied = copy.deepcopy(chat.messages[reply_target].data)
            replied.pop("reply_to_message", None)
            data["reply_to_message"] = replied
        data.update(copy.deepcopy(content))
        if reply_markup and "inline_keyboard" in reply_markup:
            data["reply_markup"] = reply_markup  # only inline keyboards are part of a Message
        msg = StoredMessage(
            message_id=mid,
            chat_id=chat.id,
            date=date,
            from_bot=from_bot,
            sender_id=sender.id,
            data=data,
            kind=kind,
            html=html,
            thread_id=thread_id,
            reply_to=reply_to,
            reply_markup=reply_markup,
        )
        chat.messages[mid] = msg
        msg.seq = bot.bump() if from_bot else bot.seq
        return msg

    # --- HTTP: Bot API ---------------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> Params:
        params: Params = dict(request.query)
        if request.method != "POST" or not request.can_read_body:
            return params
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad("can't parse JSON object") from None
            if isinstance(body, dict):
                params.update(body)
        elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    kept = data if len(data) <= UPLOAD_KEEP else None
                    params[key] = Upload(value.filename or key, value.content_type, len(data), kept)
                else:
                    params[key] = value
        return params

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        bot = self._lookup_bot(token)
        if bot is None:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        handler = self._methods.get(method.lower())
        if handler is None:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        started = time.monotonic()
        try:
            params = await self._read_params(request)
        except ApiError as exc:
            params = {}
            return self._finish(bot, method, params, exc, started)
        counted = method.lower() in RATE_LIMITED_METHODS
        try:
            if counted:
                self._check_rate(bot, method, params)
            await self._apply_faults(bot, method, params)
            result = await handler(bot, params)
        except ApiError as exc:
            return self._finish(bot, method, params, exc, started)
        if counted:
            self.rate_state(bot).messages += 1
        return self._finish(bot, method, params, result, started)

    def rate_state(self, bot: BotState) -> RateState:
        state = self._rates.get(bot.token)
        if state is None:
            state = self._rates[bot.token] = RateState()
        return state

    def stats(self, bot: BotState | None = None) -> dict[str, Any]:
        """Message calls answered ok, and calls refused by the flood limit, of one bot."""
        state = self.rate_state(bot or self.bot())
        return {
            "messages": state.messages,
            "rate_limited": state.rate_limited,
            "rate_limit": self.rate_limit,
            "group_rate_limited": state.group_rate_limited,
        }

    def _check_group_rate(self, bot: BotState, params: Params) -> None:
        """Telegram's per-group limit, if enabled: a sliding window of `group_window`."""
        chat = str(params.get("chat_id", ""))
        if self.group_rate_limit is None or not chat.startswith(("-", "@")):
            return
        state = self.rate_state(bot)
        recent = state.group_recent.setdefault(chat, deque())
        now = time.monotonic()
        while recent and now - recent[0] >= self.group_window:
            recent.popleft()
        if len(recent) >= self.group_rate_limit:
            state.group_rate_limited += 1
            wait = max(1, math.ceil(recent[0] + self.group_window - now))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        recent.append(now)

    def _check_rate(self, bot: BotState, method: str, params: Params) -> None:
        """Telegram's global flood limit, if enabled: a sliding window of RATE_WINDOW."""
        if self.rate_limit is None:
            self._check_group_rate(bot, params)
            return
        weight = 1
        if method.lower() == "sendmediagroup":
            media = p_json(params, "media")
            weight = max(len(media), 1) if isinstance(media, list) else 1
        state = self.rate_state(bot)
        now = time.monotonic()
        while state.recent and now - state.recent[0] >= RATE_WINDOW:
            state.recent.popleft()
        if len(state.recent) + weight > self.rate_limit:
            state.rate_limited += 1
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self._check_group_rate(bot, params)
        state.recent.extend([now] * weight)

    async def _handle_stats(self, request: web.Request) -> web.Response:
        bot = self._lookup_bot(request.match_info["token"])
        if bot is None:
            return _json_response({"ok": False, "error": "unknown bot token"}, 404)
        return _json_response(self.stats(bot))

    def _finish(
        self, bot: BotState, method: str, params: Params, outcome: Any, started: float
    ) -> web.Response:
        entry: dict[str, Any] = {
            "method": method,
            "params": _sanitize(params),
            "time": time.time(),
            "duration": time.monotonic() - started,
        }
        if isinstance(outcome, ApiError):
            entry.update(ok=False, error_code=outcome.code, description=outcome.description)
            payload, status = outcome.payload(), outcome.code
        else:
            entry.update(ok=True, result=outcome)
            payload, status = {"ok": True, "result": outcome}, 200
        bot.calls.append(entry)
        if len(bot.calls) > 20000:
            del bot.calls[:10000]  # bounded memory for long benchmark runs
        return _json_response(payload, status)

    async def _apply_faults(self, bot: BotState, method: str, params: Params) -> None:
        name = method.lower()
        for fault in list(bot.faults):
            if fault.method not in ("*", name):
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            fault.count -= 1
            if fault.count <= 0:
                bot.faults.remove(fault)
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay)
                continue  # then served normally
            if fault.kind == "429":
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {fault.retry_after}",
                    {"retry_after": fault.retry_after},
                )
            if fault.kind == "500":
                raise ApiError(500, "Internal Server Error")
            if fault.kind == "502":
                raise ApiError(502, "Bad Gateway")
            if fault.kind == "403":
                raise ApiError(403, "Forbidden: bot was blocked by the user")

    # --- shared validation -----------------------------------------------------------------------

    def _chat(self, bot: BotState, params: Params, key: str = "chat_id") -> Chat:
        raw = _get(params, key)
        if raw is None:
            raise bad(f"{key} is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat in bot.chats.values():
                if chat.username and chat.username.lower() == raw[1:].lower():
                    return chat
            raise bad("chat not found")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad("chat not found") from None
        chat = bot.chats.get(chat_id)
        if chat is None:
            if chat_id > 0 and chat_id in self.users:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise bad("chat not found")
        return chat

    def _writable_chat(self, bot: BotState, params: Params, key: str = "chat_id") -> Chat:
        chat = self._chat(bot, params, key)
        if chat.type == "private" and chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.type != "private" and chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.kind_word()}")
        if chat.type != "private" and chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.kind_word()}")
        return chat

    def _thread(self, chat: Chat, thread_id: int | None) -> int | None:
        if not thread_id:
            return None
        if chat.is_forum:
            if thread_id == 1:
                return None  # the General topic carries no thread id
            topic = chat.topics.get(thread_id)
            if topic is None or topic.deleted:
                raise bad("message thread not found")
            return thread_id
        root = chat.messages.get(thread_id)
        if root is None or root.deleted:
            raise bad("message thread not found")
        return thread_id

    def _reply_to(self, chat: Chat, params: Params) -> int | None:
        rp = p_json(params, "reply_parameters")
        if rp is None and _get(params, "reply_to_message_id") is not None:
            rp = {"message_id": p_int(params, "reply_to_message_id")}
        if not rp:
            return None
        if not isinstance(rp, dict) or "message_id" not in rp:
            raise bad("can't parse reply parameters JSON object")
        mid = int(rp["message_id"])
        if rp.get("chat_id") not in (None, chat.id, str(chat.id)):
            raise bad("message to be replied not found")
        target = chat.messages.get(mid)
        if target is None or target.deleted:
            if rp.get("allow_sending_without_reply") or p_bool(
                params, "allow_sending_without_reply"
            ):
                return None
            raise bad("message to be replied not found")
        return mid

    def _markup(self, params: Params, *, inline_only: bool = False) -> dict[str, Any] | None:
        markup = p_json(params, "reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            actions = (
                "url", "callback_data", "web_app", "login_url", "switch_inline_query",
                "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                "copy_text", "callback_game", "pay",
            )  # fmt: skip
            for row in rows:
                for button in row:
                    if not isinstance(button, dict) or "text" not in button:
                        raise bad("can't parse inline keyboard button: Text must be a String")
                    if "callback_data" in button:
                        data = button["callback_data"]
                        if not isinstance(data, str) or not data or len(data.encode()) > 64:
                            raise bad("BUTTON_DATA_INVALID")
                    elif "url" in button:
                        url = str(button["url"])
                        if not url.startswith("tg://") and check_url(url) is None:
                            raise bad(
                                f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
                            )
                    elif not any(key in button for key in actions):
                        raise bad("text buttons are unallowed in the inline keyboard")
            return {"inline_keyboard": rows}
        if inline_only:
            raise bad("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list):
                raise bad("can't parse reply keyboard markup JSON object")
            norm = [[b if isinstance(b, dict) else {"text": str(b)} for b in row] for row in rows]
            return {**markup, "keyboard": norm}
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return markup
        raise bad("can't parse reply keyboard markup JSON object")

    def _text(
        self,
        params: Params,
        *,
        key: str = "text",
        entities_key: str = "entities",
        caption: bool = False,
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        """Parse text/caption with its parse_mode; returns (text, entities, raw source)."""
        raw = p_str(params, key) or ""
        mode = (p_str(params, "parse_mode") or "").lower()
        if mode == "html":
            try:
                text, entities = parse_html(raw, strict_ampersand=self.strict_html)
            except HtmlParseError as exc:
                raise ApiError(400, exc.description) from None
        else:
            # Markdown modes are not parsed: the text is kept as is (documented limitation).
            text = raw
            given = p_json(params, entities_key) or []
            entities = sort_entities([dict(e) for e in given if isinstance(e, dict)])
        text, entities = finalize_text(text, entities)
        limit = MAX_CAPTION if caption else MAX_TEXT
        if caption:
            if utf16_len(text) > limit:
                raise bad("message caption is too long")
        else:
            if not text:
                raise bad("message text is empty")
            if len(text) > limit:
                raise bad("message is too long")
        return text, entities, raw

    def _send(
        self,
        bot: BotState,
        params: Params,
        kind: str,
        content: dict[str, Any],
        *,
        html: str | None = None,
        chat: Chat | None = None,
    ) -> StoredMessage:
        chat = chat or self._writable_chat(bot, params)
        thread_id = self._thread(chat, p_int(params, "message_thread_id"))
        reply_to = self._reply_to(chat, params)
        markup = self._markup(params)
        for flag in ("has_protected_content",):
            if p_bool(params, "protect_content"):
                content[flag] = True
        return self.store_message(
            bot,
            chat,
            from_bot=True,
            sender=bot.user,
            kind=kind,
            content=content,
            thread_id=thread_id,
            reply_to=reply_to,
            reply_markup=markup,
            html=html,
        )

    def _own_message(self, bot: BotState, chat: Chat, params: Params) -> StoredMessage:
        mid = p_int(params, "message_id")
        if mid is None:
            raise bad("message identifier is not specified")
        msg = chat.messages.get(mid)
        if msg is None or msg.deleted:
            raise bad("message to edit not found")
        if not msg.from_bot:
            raise bad("message can't be edited")
        return msg

    def _file(self, bot: BotState, params: Params, key: str, prefix: str) -> tuple[str, Any]:
        """Resolve a file_id, URL or upload into (file_id, registry record or Upload)."""
        value = _get(params, key)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://") :])
        if value is None:
            raise bad(f"there is no {key} in the request")
        if isinstance(value, Upload):
            return "", value
        value = str(value)
        record = bot.files.get(value)
        if record is not None:
            return value, record
        # Unknown ids and URLs are accepted (lenient): they become a fresh fake file.
        return "", Upload(value.rsplit("/", 1)[-1] or key, "application/octet-stream", 1024)

    def _register(self, bot: BotState, kind: str, obj: dict[str, Any], ids: list[str]) -> None:
        for file_id in ids:
            bot.files[file_id] = {"kind": kind, "obj": obj}

    # --- Bot API methods -------------------------------------------------------------------------

    async def m_getMe(self, bot: BotState, params: Params) -> dict[str, Any]:
        return {
            **bot.user.to_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
            "has_topics_enabled": False,
        }

    async def m_logOut(self, bot: BotState, params: Params) -> bool:
        return True

    async def m_close(self, bot: BotState, params: Params) -> bool:
        return True

    async def m_getUpdates(self, bot: BotState, params: Params) -> list[dict[str, Any]]:
        if bot.webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        offset = p_int(params, "offset") or 0
        limit = min(max(p_int(params, "limit") or 100, 1), 100)
        timeout = max(p_float(params, "timeout") or 0.0, 0.0)
        allowed = p_json(params, "allowed_updates")
        if allowed is not None:
            bot.allowed_updates = list(allowed) or None
        bot.poll_gen += 1
        gen = bot.poll_gen
        bot.bump()  # wakes an older long poll, which then answers 409
        bot.confirm(offset)
        if not bot.updates and timeout > 0:
            await bot.wait(
                lambda: (
                    bool(bot.updates)
                    or bot.poll_gen != gen
                    or bot.webhook is not None
                    or self._closing
                ),
                timeout,
            )
            if bot.poll_gen != gen:
                raise ApiError(409, CONFLICT_POLL)
            if bot.webhook is not None:
                return []
        return copy.deepcopy(bot.updates[:limit])

    async def m_setWebhook(self, bot: BotState, params: Params) -> bool:
        url = p_str(params, "url") or ""
        if not url:
            return await self.m_deleteWebhook(bot, params)
        if not url.startswith(("http://", "https://")):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p_str(params, "secret_token")
        if secret is not None and (
            len(secret) > 256 or not all(c.isalnum() or c in "_-" for c in secret)
        ):
            raise bad("secret token contains unallowed characters")
        if p_bool(params, "drop_pending_updates"):
            bot.updates.clear()
        allowed = p_json(params, "allowed_updates")
        if allowed is not None:
            bot.allowed_updates = list(allowed) or None
        bot.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": p_int(params, "max_connections") or 40,
            "ip_address": p_str(params, "ip_address") or "127.0.0.1",
        }
        bot.last_error_date = bot.last_error_message = None
        bot.poll_gen += 1  # a pending long poll ends (it returns [])
        bot.bump()
        if bot.webhook_task is None or bot.webhook_task.done():
            bot.webhook_task = asyncio.create_task(self._webhook_loop(bot))
        return True

    async def m_deleteWebhook(self, bot: BotState, params: Params) -> bool:
        if p_bool(params, "drop_pending_updates"):
            bot.updates.clear()
        bot.webhook = None
        bot.bump()
        return True

    async def m_getWebhookInfo(self, bot: BotState, params: Params) -> dict[str, Any]:
        return self.webhook_info(bot)

    def webhook_info(self, bot: BotState) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": bot.webhook["url"] if bot.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        if bot.webhook:
            info["max_connections"] = bot.webhook["max_connections"]
            info["ip_address"] = bot.webhook["ip_address"]
        if bot.last_error_date:
            info["last_error_date"] = bot.last_error_date
            info["last_error_message"] = bot.last_error_message
        if bot.allowed_updates:
            info["allowed_updates"] = bot.allowed_updates
        return info

    async def _webhook_loop(self, bot: BotState) -> None:
        """Push updates one at a time, in order; an update is confirmed only by a 2xx."""
        backoff = self.webhook_backoff
        while bot.webhook is not None:
            if not bot.updates:
                await bot.wait(lambda: bool(bot.updates) or bot.webhook is None, None)
                continue
            update = bot.updates[0]
            hook = bot.webhook
            headers = {"Content-Type": "application/json"}
            if hook.get("secret_token"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
            status: int | None = None
            error = "Connection refused"
            body = b""
            reply_type = ""
            assert self._http is not None
            try:
                async with self._http.post(
                    hook["url"],
                    data=json.dumps(update, ensure_ascii=False).encode(),
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=60),
                ) as resp:
                    status = resp.status
                    error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
                    body = await resp.read()
                    reply_type = resp.content_type
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                error = f"Connection error: {type(exc).__name__}"
            if status is not None and 200 <= status < 300:
                if bot.updates and bot.updates[0] is update:
                    bot.updates.pop(0)
                backoff = self.webhook_backoff
                bot.bump()
                await self._webhook_reply(bot, body, reply_type)
                continue
            bot.last_error_date = self.now()
            bot.last_error_message = error
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    async def _webhook_reply(self, bot: BotState, body: bytes, content_type: str) -> None:
        """Execute a method returned in the webhook response, as Telegram does."""
        if content_type != "application/json" or not body:
            return  # aiogram's multipart replies are not executed (documented limitation)
        try:
            payload = json.loads(body)
        except ValueError:
            return
        if not isinstance(payload, dict) or "method" not in payload:
            return
        method = str(payload.pop("method"))
        handler = self._methods.get(method.lower())
        if handler is None:
            return
        started = time.monotonic()
        try:
            result = await handler(bot, payload)
        except ApiError as exc:
            self._finish(bot, method, payload, exc, started)
        else:
            self._finish(bot, method, payload, result, started)

    async def m_sendMessage(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        text, entities, raw = self._text(params)
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        lpo = p_json(params, "link_preview_options")
        if isinstance(lpo, dict) and lpo:
            content["link_preview_options"] = lpo
        return self._send(bot, params, "text", content, html=raw, chat=chat).data

    async def m_editMessageText(self, bot: BotState, params: Params) -> dict[str, Any]:
        if _get(params, "inline_message_id") is not None:
            raise bad("message to edit not found")
        chat = self._chat(bot, params)
        msg = self._own_message(bot, chat, params)
        if msg.kind != "text":
            raise bad("there is no text in the message to edit")
        text, entities, raw = self._text(params)
        markup = self._markup(params, inline_only=True)
        data = msg.data
        if (
            text == data.get("text")
            and entities == data.get("entities", [])
            and markup == data.get("reply_markup")
        ):
            raise bad(NOT_MODIFIED)
        data["text"] = text
        data.pop("entities", None)
        if entities:
            data["entities"] = entities
        self._set_inline(msg, markup)
        msg.html = raw
        return self._edited(bot, msg)

    async def m_editMessageCaption(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._chat(bot, params)
        msg = self._own_message(bot, chat, params)
        if msg.kind in ("text", "location", "venue", "contact", "sticker"):
            raise bad("there is no caption in the message to edit")
        text, entities, raw = self._text(
            params, key="caption", entities_key="caption_entities", caption=True
        )
        markup = self._markup(params, inline_only=True)
        data = msg.data
        if (
            text == data.get("caption", "")
            and entities == data.get("caption_entities", [])
            and markup == data.get("reply_markup")
        ):
            raise bad(NOT_MODIFIED)
        data.pop("caption", None)
        data.pop("caption_entities", None)
        if text:
            data["caption"] = text
        if entities:
            data["caption_entities"] = entities
        self._set_inline(msg, markup)
        msg.html = raw
        return self._edited(bot, msg)

    async def m_editMessageReplyMarkup(self, bot: BotState, params: Params) -> dict[str, Any]:
        if _get(params, "inline_message_id") is not None:
            raise bad("message to edit not found")
        chat = self._chat(bot, params)
        msg = self._own_message(bot, chat, params)
        markup = self._markup(params, inline_only=True)
        if markup == msg.data.get("reply_markup"):
            raise bad(NOT_MODIFIED)
        self._set_inline(msg, markup)
        return self._edited(bot, msg)

    def _set_inline(self, msg: StoredMessage, markup: dict[str, Any] | None) -> None:
        msg.data.pop("reply_markup", None)
        if markup:
            msg.data["reply_markup"] = markup
        msg.reply_markup = markup

    def _edited(self, bot: BotState, msg: StoredMessage) -> dict[str, Any]:
        msg.data["edit_date"] = self.now()
        msg.edits += 1
        msg.seq = bot.bump()
        return msg.data

    def _delete_check(self, bot: BotState, chat: Chat, mid: int) -> StoredMessage:
        msg = chat.messages.get(mid)
        if msg is None or msg.deleted:
            raise bad("message to delete not found")
        if self.now() - msg.date > DELETE_WINDOW:
            raise bad("message can't be deleted for everyone")
        if chat.type != "private" and not msg.from_bot and chat.bot_status != "administrator":
            raise bad("message can't be deleted")
        return msg

    async def m_deleteMessage(self, bot: BotState, params: Params) -> bool:
        chat = self._chat(bot, params)
        mid = p_int(params, "message_id")
        if mid is None:
            raise bad("message identifier is not specified")
        msg = self._delete_check(bot, chat, mid)
        msg.deleted = True
        msg.seq = bot.bump()
        return True

    async def m_deleteMessages(self, bot: BotState, params: Params) -> bool:
        chat = self._chat(bot, params)
        ids = p_json(params, "message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message_ids is empty" if not ids else "too many messages to delete")
        for mid in ids:
            # Messages that cannot be found or deleted are skipped, as documented.
            with contextlib.suppress(ApiError):
                msg = self._delete_check(bot, chat, int(mid))
                msg.deleted = True
        bot.bump()
        return True

    async def m_answerCallbackQuery(self, bot: BotState, params: Params) -> bool:
        qid = p_str(params, "callback_query_id") or ""
        query = bot.callback_queries.get(qid)
        if query is None or query["answered"]:
            raise bad(QUERY_INVALID)
        query["answered"] = True
        query["answer"] = {
            "text": p_str(params, "text"),
            "show_alert": p_bool(params, "show_alert"),
            "url": p_str(params, "url"),
            "cache_time": p_int(params, "cache_time") or 0,
        }
        bot.bump()
        return True

    def _location(self, params: Params) -> dict[str, Any]:
        lat = p_float(params, "latitude", required=True)
        lon = p_float(params, "longitude", required=True)
        assert lat is not None and lon is not None
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            raise bad("wrong latitude or longitude")  # hedged: Telegram reports a similar 400
        loc: dict[str, Any] = {"latitude": lat, "longitude": lon}
        acc = p_float(params, "horizontal_accuracy")
        if acc is not None:
            loc["horizontal_accuracy"] = acc
        return loc

    async def m_sendLocation(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        loc = self._location(params)
        live = p_int(params, "live_period")
        if live:
            loc["live_period"] = live
        return self._send(bot, params, "location", {"location": loc}, chat=chat).data

    async def m_sendVenue(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        loc = self._location(params)
        title, address = p_str(params, "title"), p_str(params, "address")
        if not title:
            raise bad("venue title is empty")  # hedged wording
        venue: dict[str, Any] = {"location": loc, "title": title, "address": address or ""}
        for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if p_str(params, key):
                venue[key] = p_str(params, key)
        content = {"venue": venue, "location": loc}
        return self._send(bot, params, "venue", content, chat=chat).data

    async def m_sendContact(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        phone, first = p_str(params, "phone_number"), p_str(params, "first_name")
        if not phone:
            raise bad("phone number is empty")  # hedged wording
        if not first:
            raise bad("first name is empty")  # hedged wording
        contact: dict[str, Any] = {"phone_number": phone, "first_name": first}
        for key in ("last_name", "vcard"):
            if p_str(params, key):
                contact[key] = p_str(params, key)
        return self._send(bot, params, "contact", {"contact": contact}, chat=chat).data

    def _caption(self, params: Params, content: dict[str, Any]) -> str | None:
        if _get(params, "caption") is None:
            return None
        text, entities, raw = self._text(
            params, key="caption", entities_key="caption_entities", caption=True
        )
        if text:
            content["caption"] = text
        if entities:
            content["caption_entities"] = entities
        return raw

    async def m_sendPhoto(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        file_id, record = self._file(bot, params, "photo", "AgACAgIAAxkDAAI")
        if file_id and record["kind"] == "photo":
            sizes = record["obj"]
        else:
            sizes = photo_sizes(record.size if isinstance(record, Upload) else 50_000)
            self._register(bot, "photo", sizes, [s["file_id"] for s in sizes])
        content: dict[str, Any] = {"photo": sizes}
        if p_bool(params, "has_spoiler"):
            content["has_media_spoiler"] = True
        raw = self._caption(params, content)
        return self._send(bot, params, "photo", content, html=raw, chat=chat).data

    async def _send_file(
        self, bot: BotState, params: Params, key: str, prefix: str, build: Callable[[Upload], dict]
    ) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        file_id, record = self._file(bot, params, key, prefix)
        if file_id and record["kind"] == key:
            obj = record["obj"]
        else:
            upload = record if isinstance(record, Upload) else Upload(key, "", 1024)
            fid, fuid = new_file_id(prefix)
            obj = {"file_id": fid, "file_unique_id": fuid, **build(upload)}
            self._register(bot, key, obj, [fid])
            if upload.data is not None:
                bot.files[fid]["data"] = upload.data
        content: dict[str, Any] = {key: obj}
        raw = self._caption(params, content)
        return self._send(bot, params, key, content, html=raw, chat=chat).data

    async def m_sendDocument(self, bot: BotState, params: Params) -> dict[str, Any]:
        def build(up: Upload) -> dict[str, Any]:
            ctype = up.content_type or "application/octet-stream"
            return {"file_name": up.filename, "mime_type": ctype, "file_size": up.size}

        return await self._send_file(bot, params, "document", "BQACAgIAAxkDAAI", build)

    async def m_sendVoice(self, bot: BotState, params: Params) -> dict[str, Any]:
        duration = p_int(params, "duration") or 3

        def build(up: Upload) -> dict[str, Any]:
            return {"duration": duration, "mime_type": "audio/ogg", "file_size": up.size}

        return await self._send_file(bot, params, "voice", "AwACAgIAAxkDAAI", build)

    async def m_getFile(self, bot: BotState, params: Params) -> dict[str, Any]:
        file_id = p_str(params, "file_id") or ""
        record = bot.files.get(file_id)
        if record is None:
            raise bad("wrong file_id or the file is temporarily unavailable")
        obj = record["obj"]
        if isinstance(obj, list):
            obj = next(s for s in obj if s["file_id"] == file_id)
        return {
            "file_id": file_id,
            "file_unique_id": obj["file_unique_id"],
            "file_size": obj.get("file_size", 0),
            "file_path": f"{record['kind']}s/file_{len(file_id) % 97}.bin",
        }

    def _source(self, bot: BotState, params: Params, what: str) -> StoredMessage:
        src_chat = self._chat(bot, params, "from_chat_id")
        mid = p_int(params, "message_id")
        msg = src_chat.messages.get(mid or 0)
        if msg is None or msg.deleted:
            raise bad(f"message to {what} not found")
        return msg

    async def m_copyMessage(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        src = self._source(bot, params, "copy")
        content = {k: copy.deepcopy(v) for k, v in src.data.items() if k in CONTENT_KEYS}
        if not content:
            raise bad("message can't be copied")
        html = src.html
        if _get(params, "caption") is not None:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            html = self._caption(params, content)
        msg = self._send(bot, params, src.kind, content, html=html, chat=chat)
        return {"message_id": msg.message_id}

    async def m_forwardMessage(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(bot, params)
        src = self._source(bot, params, "forward")
        content = {k: copy.deepcopy(v) for k, v in src.data.items() if k in CONTENT_KEYS}
        if not content:
            raise bad("message can't be forwarded")
        content["forward_origin"] = {
            "type": "user",
            "sender_user": src.data["from"],
            "date": src.date,
        }
        params = {k: v for k, v in params.items() if k not in ("reply_markup", "reply_parameters")}
        return self._send(bot, params, src.kind, content, html=src.html, chat=chat).data

    # --- forum topics ----------------------------------------------------------------------------

    def _forum(self, bot: BotState, params: Params) -> Chat:
        chat = self._writable_chat(bot, params)
        if not chat.is_forum:
            raise bad("the chat is not a forum")
        if chat.bot_status != "administrator":
            raise bad("not enough rights to manage topics")
        return chat

    def _topic(self, chat: Chat, params: Params) -> Topic:
        tid = p_int(params, "message_thread_id")
        topic = chat.topics.get(tid or 0)
        if topic is None or topic.deleted:
            raise bad("message thread not found")
        return topic

    def _service(self, bot: BotState, chat: Chat, topic: Topic, content: dict[str, Any]) -> None:
        self.store_message(
            bot,
            chat,
            from_bot=True,
            sender=bot.user,
            kind="service",
            content=content,
            thread_id=topic.thread_id,
        )

    async def m_createForumTopic(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._forum(bot, params)
        name = p_str(params, "name") or ""
        if not name or len(name) > 128:
            raise bad("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        color = p_int(params, "icon_color") or TOPIC_COLORS[0]
        if color not in TOPIC_COLORS:
            raise bad("TOPIC_ICON_COLOR_INVALID")  # hedged wording
        emoji = p_str(params, "icon_custom_emoji_id")
        created: dict[str, Any] = {"name": name, "icon_color": color}
        if emoji:
            created["icon_custom_emoji_id"] = emoji
        topic = Topic(chat.next_message_id, name, color, emoji)
        chat.topics[topic.thread_id] = topic
        self._service(bot, chat, topic, {"forum_topic_created": created})
        return topic.to_dict()

    async def m_editForumTopic(self, bot: BotState, params: Params) -> bool:
        chat = self._forum(bot, params)
        topic = self._topic(chat, params)
        name = p_str(params, "name")
        emoji = p_str(params, "icon_custom_emoji_id")
        edited: dict[str, Any] = {}
        if name is not None and name != topic.name:
            topic.name = edited["name"] = name
        if emoji is not None and emoji != (topic.icon_custom_emoji_id or ""):
            topic.icon_custom_emoji_id = edited["icon_custom_emoji_id"] = emoji
        if not edited:
            raise bad("TOPIC_NOT_MODIFIED")
        self._service(bot, chat, topic, {"forum_topic_edited": edited})
        return True

    async def m_closeForumTopic(self, bot: BotState, params: Params) -> bool:
        chat = self._forum(bot, params)
        topic = self._topic(chat, params)
        if topic.closed:
            raise bad("TOPIC_NOT_MODIFIED")
        topic.closed = True
        self._service(bot, chat, topic, {"forum_topic_closed": {}})
        return True

    async def m_reopenForumTopic(self, bot: BotState, params: Params) -> bool:
        chat = self._forum(bot, params)
        topic = self._topic(chat, params)
        if not topic.closed:
            raise bad("TOPIC_NOT_MODIFIED")
        topic.closed = False
        self._service(bot, chat, topic, {"forum_topic_reopened": {}})
        return True

    async def m_deleteForumTopic(self, bot: BotState, params: Params) -> bool:
        chat = self._forum(bot, params)
        topic = self._topic(chat, params)
        self.delete_topic(bot, chat, topic.thread_id)
        return True

    def delete_topic(self, bot: BotState, chat: Chat, thread_id: int) -> None:
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise ControlError("topic not found", 404)
        topic.deleted = True
        for msg in chat.messages.values():
            if msg.thread_id == thread_id:
                msg.deleted = True
        bot.bump()

    # --- commands, chats, misc ------------------------------------------------------------------

    @staticmethod
    def scope_key(scope: Any) -> str:
        if not scope:
            scope = {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        norm = dict(scope)
        for key in ("chat_id", "user_id"):
            if key in norm and str(norm[key]).lstrip("-").isdigit():
                norm[key] = int(norm[key])
        return json.dumps(norm, sort_keys=True)

    async def m_setMyCommands(self, bot: BotState, params: Params) -> bool:
        commands = p_json(params, "commands")
        if not isinstance(commands, list):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("too many commands")  # hedged wording
        clean = []
        for cmd in commands:
            name = str(cmd.get("command", "")) if isinstance(cmd, dict) else ""
            desc = str(cmd.get("description", "")) if isinstance(cmd, dict) else ""
            if not 1 <= len(name) <= 32 or not all(
                c.isascii() and (c.isalnum() or c == "_") for c in name
            ):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(desc) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")  # hedged wording
            clean.append({"command": name.lower(), "description": desc})
        key = (self.scope_key(p_json(params, "scope")), p_str(params, "language_code") or "")
        if clean:
            bot.commands[key] = clean
        else:
            bot.commands.pop(key, None)
        return True

    async def m_getMyCommands(self, bot: BotState, params: Params) -> list[dict[str, str]]:
        key = (self.scope_key(p_json(params, "scope")), p_str(params, "language_code") or "")
        return bot.commands.get(key, [])

    async def m_deleteMyCommands(self, bot: BotState, params: Params) -> bool:
        key = (self.scope_key(p_json(params, "scope")), p_str(params, "language_code") or "")
        bot.commands.pop(key, None)
        return True

    async def _store_setting(self, bot: BotState, params: Params, name: str) -> bool:
        lang = p_str(params, "language_code") or ""
        bot.settings[f"{name}:{lang}"] = _sanitize(params)
        return True

    async def m_setMyDescription(self, bot: BotState, params: Params) -> bool:
        return await self._store_setting(bot, params, "description")

    async def m_setMyShortDescription(self, bot: BotState, params: Params) -> bool:
        return await self._store_setting(bot, params, "short_description")

    async def m_setMyName(self, bot: BotState, params: Params) -> bool:
        return await self._store_setting(bot, params, "name")

    async def m_setChatMenuButton(self, bot: BotState, params: Params) -> bool:
        return await self._store_setting(bot, params, "menu_button")

    async def m_getMyDescription(self, bot: BotState, params: Params) -> dict[str, str]:
        lang = p_str(params, "language_code") or ""
        stored = bot.settings.get(f"description:{lang}", {})
        return {"description": stored.get("description", "")}

    async def m_getMyShortDescription(self, bot: BotState, params: Params) -> dict[str, str]:
        lang = p_str(params, "language_code") or ""
        stored = bot.settings.get(f"short_description:{lang}", {})
        return {"short_description": stored.get("short_description", "")}

    async def m_getMyName(self, bot: BotState, params: Params) -> dict[str, str]:
        lang = p_str(params, "language_code") or ""
        stored = bot.settings.get(f"name:{lang}", {})
        return {"name": stored.get("name", bot.user.first_name)}

    async def m_getChatMenuButton(self, bot: BotState, params: Params) -> dict[str, Any]:
        stored = bot.settings.get("menu_button:", {}).get("menu_button")
        return stored if isinstance(stored, dict) else {"type": "commands"}

    async def m_getChat(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._chat(bot, params)
        info = chat.to_dict()
        info.update(
            accent_color_id=chat.id % 7,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": chat.type == "private",
                "limited_gifts": chat.type == "private",
                "unique_gifts": chat.type == "private",
                "premium_subscription": chat.type == "private",
                "gifts_from_channels": False,
            },
        )
        if chat.type != "private":
            info["permissions"] = {"can_send_messages": True, "can_manage_topics": False}
        return info

    async def m_getChatMember(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._chat(bot, params)
        uid = p_int(params, "user_id", required=True)
        if uid == bot.id:
            status = "member" if chat.type == "private" else chat.bot_status
            return member_dict(status, bot.user.to_dict())
        user = self.users.get(uid or 0)
        if user is None:
            raise bad("user not found")
        if chat.type == "private":
            if uid != chat.id:
                raise bad("user not found")
            return member_dict("member", user.to_dict())
        return member_dict(chat.members.get(user.id, "left"), user.to_dict())

    async def m_getChatMemberCount(self, bot: BotState, params: Params) -> int:
        chat = self._chat(bot, params)
        if chat.type == "private":
            return 2
        active = ("creator", "administrator", "member", "restricted")
        return 1 + sum(1 for s in chat.members.values() if s in active)

    def _restrictable(self, bot: BotState, params: Params) -> tuple[Chat, User]:
        """The group and the user of a ban/unban, checked as Telegram checks them."""
        chat = self._writable_chat(bot, params)
        if chat.type == "private":
            raise bad("method is available for supergroup and channel chats only")
        if chat.bot_status != "administrator":
            raise bad("not enough rights to restrict/unrestrict chat member")
        uid = p_int(params, "user_id", required=True) or 0
        if uid == bot.id:
            raise bad("can't restrict self")
        user = self.users.get(uid) or self.upsert_user({"id": uid})
        return chat, user

    def _member_changed(self, bot: BotState, chat: Chat, user: User, old: str, new: str) -> None:
        """A chat_member update (opt-in, as in Telegram: only with allowed_updates)."""
        chat.members[user.id] = new
        bot.enqueue(
            {
                "chat_member": {
                    "chat": chat.to_dict(),
                    "from": bot.user.to_dict(),
                    "date": self.now(),
                    "old_chat_member": member_dict(old, user.to_dict()),
                    "new_chat_member": member_dict(new, user.to_dict()),
                }
            }
        )

    async def m_banChatMember(self, bot: BotState, params: Params) -> bool:
        chat, user = self._restrictable(bot, params)
        old = chat.members.get(user.id, "left")
        if old == "creator":
            raise bad("can't remove chat owner")
        if old == "administrator":
            raise bad("user is an administrator of the chat")
        if old != "kicked":
            self._member_changed(bot, chat, user, old, "kicked")
        return True

    async def m_unbanChatMember(self, bot: BotState, params: Params) -> bool:
        chat, user = self._restrictable(bot, params)
        old = chat.members.get(user.id, "left")
        if old == "kicked":
            self._member_changed(bot, chat, user, old, "left")
        elif not p_bool(params, "only_if_banned") and old in ("member", "restricted"):
            # Telegram: without only_if_banned, unbanning a member removes them from the chat.
            self._member_changed(bot, chat, user, old, "left")
        elif old in ("creator", "administrator") and not p_bool(params, "only_if_banned"):
            raise bad("user is an administrator of the chat")
        return True

    async def m_sendChatAction(self, bot: BotState, params: Params) -> bool:
        chat = self._writable_chat(bot, params)
        self._thread(chat, p_int(params, "message_thread_id"))
        if p_str(params, "action") not in CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        return True


def photo_sizes(size: int) -> list[dict[str, Any]]:
    """Three PhotoSize objects like Telegram generates for an uploaded photo."""
    out = []
    for width, height, share in ((90, 67, 0.02), (320, 240, 0.15), (1280, 960, 1.0)):
        fid, fuid = new_file_id("AgACAgIAAxkDAAI")
        out.append(
            {
                "file_id": fid,
                "file_unique_id": fuid,
                "file_size": max(int(size * share), 1),
                "width": width,
                "height": height,
            }
        )
    return out


async def main(argv: list[str] | None = None) -> None:
    """Run a standalone emulator; prints its URL as the first stdout line."""
    parser = argparse.ArgumentParser(prog="python -m bot.emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=None, help="accept only this bot token")
    parser.add_argument(
        "--lenient-html", action="store_true", help="accept a bare '&' like tdlib does"
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        metavar="N",
        help="answer 429 beyond N message calls per second per bot, like Telegram (default: off)",
    )
    args = parser.parse_args(argv)
    if args.rate_limit is not None and args.rate_limit <= 0:
        parser.error("--rate-limit must be positive")
    emulator = Emulator(
        bot_token=args.token, strict_html=not args.lenient_html, rate_limit=args.rate_limit
    )
    await emulator.start(args.host, args.port)
    print(emulator.url, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


__all__ = ["ApiError", "ControlError", "Emulator", "main"]
