"""The emulator's world without its HTTP server: bots, users, chats, the clock, method dispatch.

The Bot API methods (``methods/``) and the control API (``control.py``) work on this class;
``server.Emulator`` adds the aiohttp application on top, so nothing here imports them.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiogram.methods.base import TelegramMethod

from .params import Params, sanitize, validate
from .state import TOKEN_RE, ApiError, BotState, Chat, ControlError, StoredMessage, User

# A Bot API method: aiogram's model of its parameters and the coroutine that serves it.
Handler = Callable[["Core", BotState, Any], Awaitable[Any]]
Method = tuple[type[TelegramMethod[Any]], Handler]


class Core:
    """In-memory Telegram: everything a method or a user action reads and changes."""

    def __init__(self, *, bot_token: str | None = None, strict_html: bool = True) -> None:
        # With bot_token=None any well-formed token is accepted and gets its own bot.
        self.bot_token = bot_token
        self.strict_html = strict_html
        self.clock_offset = 0.0
        self.closing = False
        self.users: dict[int, User] = {}
        self.bots: dict[str, BotState] = {}
        self.methods: dict[str, Method] = {}  # by lower-case name (Telegram ignores the case)
        self.http: aiohttp.ClientSession | None = None  # for webhook pushes, while started
        self.webhook_backoff = 0.05
        if bot_token is not None:
            self.add_bot(bot_token)

    def now(self) -> int:
        return int(time.time() + self.clock_offset)

    async def run(self, bot: BotState, method: str, params: Params) -> Any:
        """Validate the parameters with the method's aiogram model and serve the call."""
        model, handler = self.methods[method.lower()]
        return await handler(self, bot, validate(model, method, params))

    def record(
        self, bot: BotState, method: str, params: Params, outcome: Any, started: float
    ) -> tuple[dict[str, Any], int]:
        """Log a call (tests read the log) and return its Bot API answer and HTTP status."""
        entry: dict[str, Any] = {
            "method": method,
            "params": sanitize(params),
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
        return payload, status

    # --- bots and users ----------------------------------------------------------------------

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
        found = self.lookup_bot(token)
        if found is None:
            raise KeyError(token)
        return found

    def lookup_bot(self, token: str) -> BotState | None:
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

    # --- messages, topics, settings ------------------------------------------------------------

    def store_message(
        self,
        bot: BotState,
        chat: Chat,
        sender: User,
        kind: str,
        content: dict[str, Any],
        *,
        from_bot: bool,
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
            data,
            kind,
            from_bot,
            html=html,
            thread_id=thread_id,
            reply_to=reply_to,
            reply_markup=reply_markup,
        )
        chat.messages[mid] = msg
        msg.seq = bot.bump() if from_bot else bot.seq
        return msg

    def delete_topic(self, bot: BotState, chat: Chat, thread_id: int) -> None:
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise ControlError("topic not found", 404)
        topic.deleted = True
        for msg in chat.messages.values():
            if msg.thread_id == thread_id:
                msg.deleted = True
        bot.bump()

    @staticmethod
    def scope_key(scope: Any) -> str:
        """A BotCommandScope (dict or JSON) as the key its commands are stored under."""
        if not scope:
            scope = {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        norm = dict(scope)
        for key in ("chat_id", "user_id"):
            if key in norm and str(norm[key]).lstrip("-").isdigit():
                norm[key] = int(norm[key])
        return json.dumps(norm, sort_keys=True)

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
