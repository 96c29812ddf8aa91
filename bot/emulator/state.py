"""In-memory state of the emulator: users, chats, messages, per-bot queues."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

TOKEN_RE = re.compile(r"^(\d+):[\w-]+$")

# Updates Telegram does not send unless explicitly listed in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class ApiError(Exception):
    """A Bot API error response."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def bad(description: str) -> ApiError:
    return ApiError(400, "Bad Request: " + description)


class ControlError(Exception):
    """An error of the control API (caller misuse), returned as {"ok": false, "error": ...}."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def new_file_id(prefix: str) -> tuple[str, str]:
    """Fake (file_id, file_unique_id) shaped like Telegram's base64 identifiers."""
    return prefix + secrets.token_urlsafe(54), "AQAD" + secrets.token_urlsafe(12)


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass
class Topic:
    thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    deleted: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            out["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return out


@dataclass
class StoredMessage:
    data: dict[str, Any]  # the current Bot API Message object: its id, chat, date and sender
    kind: str
    from_bot: bool
    html: str | None = None  # text as the bot submitted it, before parsing
    thread_id: int | None = None
    reply_to: int | None = None
    reply_markup: dict[str, Any] | None = None  # as submitted: inline or reply keyboard
    deleted: bool = False
    edits: int = 0
    seq: int = 0  # bot-side change sequence number, used by waiters

    # Read from data when stored (the Message object's own id, chat, date and sender).
    message_id: int = field(init=False)
    chat_id: int = field(init=False)
    date: int = field(init=False)
    sender_id: int = field(init=False)

    def __post_init__(self) -> None:
        self.message_id = self.data["message_id"]
        self.chat_id = self.data["chat"]["id"]
        self.date = self.data["date"]
        self.sender_id = self.data["from"]["id"]

    @property
    def text(self) -> str | None:
        return self.data.get("text", self.data.get("caption"))

    def view(self) -> dict[str, Any]:
        """The control API representation."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "date": self.date,
            "text": self.text,
            "html": self.html,
            "from_bot": self.from_bot,
            "from_id": self.sender_id,
            "thread_id": self.thread_id,
            "reply_to": self.reply_to,
            "deleted": self.deleted,
            "edits": self.edits,
            "reply_markup": self.reply_markup,
            "kind": self.kind,
            "seq": self.seq,
            "raw": self.data,
        }


@dataclass
class Chat:
    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    user: User | None = None  # the other side of a private chat
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "administrator"
    topics: dict[int, Topic] = field(default_factory=dict)
    blocked: bool = False  # private: the user blocked the bot

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            out["first_name"] = self.user.first_name
            if self.user.last_name:
                out["last_name"] = self.user.last_name
            if self.user.username:
                out["username"] = self.user.username
        else:
            out["title"] = self.title or ""
            if self.username:
                out["username"] = self.username
            if self.is_forum:
                out["is_forum"] = True
        return out

    def kind_word(self) -> str:
        return {"group": "group chat", "supergroup": "supergroup chat"}.get(self.type, self.type)


@dataclass
class Fault:
    method: str  # lower-case method name or "*"
    kind: str  # "429", "500", "502", "403", "delay"
    count: int
    retry_after: int = 1
    delay: float = 0.0
    chat_id: int | None = None


class BotState:
    """Everything one bot token sees: its chats, update queue, webhook, commands, call log."""

    def __init__(self, token: str, username: str, first_name: str = "anabot") -> None:
        self.token = token
        self.id = int(token.split(":", 1)[0])
        self.user = User(self.id, first_name, username=username, is_bot=True)
        self.chats: dict[int, Chat] = {}
        self.updates: list[dict[str, Any]] = []  # pending (unconfirmed) updates, in order
        self.update_log: list[dict[str, Any]] = []
        self.next_update_id = 100_000_000 + (self.id % 1000) * 1000
        self.allowed_updates: list[str] | None = None
        self.webhook: dict[str, Any] | None = None
        self.webhook_task: asyncio.Task[None] | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.settings: dict[str, Any] = {}
        self.faults: list[Fault] = []
        self.calls: list[dict[str, Any]] = []
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.next_query = 1
        self.files: dict[str, dict[str, Any]] = {}
        self.poll_gen = 0
        self.seq = 0
        self.changed = asyncio.Event()

    def bump(self) -> int:
        """Wake every waiter: state changed. Returns the new sequence number."""
        self.seq += 1
        event, self.changed = self.changed, asyncio.Event()
        event.set()
        return self.seq

    async def wait(self, predicate: Any, timeout: float | None) -> bool:  # noqa: ASYNC109
        """Wait until predicate() is true (re-checked on every change) or the timeout."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not predicate():
            event = self.changed
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return bool(predicate())
        return True

    def chat_instance(self, chat_id: int) -> str:
        digest = hashlib.sha1(f"{self.id}:{chat_id}".encode()).hexdigest()
        return str(int(digest[:15], 16))

    def is_allowed(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_UPDATES

    def enqueue(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Create an Update with the next update_id and queue it if the bot wants that type."""
        self.next_update_id += 1
        update = {"update_id": self.next_update_id, **copy.deepcopy(payload)}
        self.update_log.append(update)
        if self.is_allowed(update):
            self.updates.append(update)
        self.bump()
        return update

    def confirm(self, offset: int) -> None:
        """getUpdates offset semantics: positive confirms smaller ids, negative keeps the tail."""
        before = len(self.updates)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        if len(self.updates) != before:
            self.bump()
