"""Hypothesis strategies for the chaos test: what people could send the bot, of every shape.

An `Act` is plain data (who, where, what); a `Player` turns it into a real update through the
emulator, so the chats and messages it refers to exist there; tests/chaos/test_chaos_updates.py
feeds it to the bot and checks what happened.
"""

from __future__ import annotations

import copy
import enum
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from aiogram.filters.callback_data import CallbackData
from hypothesis import strategies as st

from bot.emulator.client import BotMessage, EmulatorClient, UserClient
from bot.emulator.server import Emulator
from bot.emulator.state import BotState
from bot.handlers.staff import STAFF_COMMANDS
from bot.ui import callbacks
from tests.support.constants import ADMIN, STAFF_CHAT, TOKEN

PEOPLE = {71001: "kk", 71002: "ru", 71003: None, 71004: "en"}
STRANGER = 71009  # no role, yet tries the staff group and staff buttons
OTHER_CHAT = -1001000000555  # a group that is not a staff group

PRIVATE_COMMANDS = (
    "start", "help", "cancel", "menu", "emergency", "sos", "help_now", "language", "lang",
    "til", "yazyk", "clear", "mydata", "forget", "status", "note",
)  # fmt: skip
COMMANDS = (*PRIVATE_COMMANDS, *sorted(STAFF_COMMANDS), "unknown", "START", "Start")

INJECTIONS = (
    "<b>", "</i>", "&", "&amp;", "&lt;", "&#0;", "&#x110000;", "<a href='javascript:x'>x</a>",
    '<a href="tg://user?id=1">me</a>', "<script>alert(1)</script>", "<tg-spoiler>", "</b></b>",
    "<pre><code class=\"language-py\">", "**bold**", "__it__", "`code`", "```\nblock", "[x](http://e.co)",
    "_*[]()~`>#+-=|{}.!", "\\", "<", ">", "<<>>", "<b>x</i>", "&nbsp", "@anabot_emu_bot",
    "\u202eevil\u202c", "\u200d", "👩‍👩‍👧‍👦", "🏳️‍🌈", "e\u0301\u0301\u0301", "مرحبا بك",
    "שלום", "қазір көмек керек", "он меня бьёт", "нет жилья сегодня", "nowhere to sleep",
    "+77012345678", "8 701 234 56 78", "01.01.1990", "Караганда", "Qaraghandy", "ВКО", "\n\n",
)  # fmt: skip

# Every Unicode category except lone surrogates (not valid in JSON text); NUL-free.
UNICODE = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def _huge(seed: str, size: int) -> str:
    return (seed * (size // len(seed) + 1))[:size]


short_texts = st.text(UNICODE, min_size=1, max_size=40)
texts = st.one_of(
    short_texts,
    st.sampled_from(INJECTIONS),
    st.lists(st.sampled_from(INJECTIONS) | short_texts, min_size=2, max_size=6).map(" ".join),
    st.builds(_huge, st.text(UNICODE, min_size=1, max_size=6), st.integers(500, 10_000)),
)
arguments = st.one_of(
    st.none(),
    texts,
    st.integers(-5, 10**12).map(str),
    st.sampled_from(("mother", "foster", "src_poster1", "staff_forged", "kk", "ru", "on", "off")),
    st.sampled_from(("week", "month", "personal", "admin", "coordinator", "house karaganda-1")),
)


@st.composite
def commands(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(COMMANDS))
    mention = draw(st.sampled_from(("", "", "@anabot_emu_bot", "@other_bot")))
    argument = draw(arguments)
    return f"/{name}{mention}" + ("" if argument is None else f" {argument}")


# --- callback data -----------------------------------------------------------------------------

CALLBACK_CLASSES: tuple[type[CallbackData], ...] = tuple(
    cls
    for cls in vars(callbacks).values()
    if isinstance(cls, type) and issubclass(cls, CallbackData) and cls is not CallbackData
)


def _values(annotation: Any) -> st.SearchStrategy[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return st.one_of(*(_values(arg) for arg in typing.get_args(annotation)))
    if annotation is type(None):
        return st.none()
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from(list(annotation))
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.one_of(st.integers(0, 6), st.integers(-(2**63), 2**63 - 1))
    return st.text(st.characters(blacklist_characters=":\x00", blacklist_categories=("Cs",)))


@st.composite
def packed(draw: st.DrawFn) -> str:
    """Well-formed data of any CallbackData class, with any values: a forged or stale button."""
    cls = draw(st.sampled_from(CALLBACK_CLASSES))
    values = {name: draw(_values(f.annotation)) for name, f in cls.model_fields.items()}
    try:
        data = cls(**values).pack()
    except ValueError:  # over 64 bytes or a ':' in a value: a client can't send that
        data = f"{cls.__prefix__}:"
    return data


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """Truncated, padded or nonsense data, at most 64 bytes as Telegram allows."""
    data = draw(packed())
    how = draw(st.sampled_from(("cut", "extra", "junk", "prefix")))
    if how == "cut":
        data = data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    elif how == "extra":
        data = data + ":" + draw(st.text(UNICODE, max_size=8))
    elif how == "junk":
        data = draw(st.text(UNICODE, max_size=20))
    else:
        data = draw(st.sampled_from([c.__prefix__ for c in CALLBACK_CLASSES])) + ":"
    return data.encode("utf-8")[:64].decode("utf-8", "ignore")


# --- acts ----------------------------------------------------------------------------------


@dataclass
class Act:
    """One thing a person does; `pick` chooses among the bot's messages of that chat."""

    kind: str
    user: int
    chat: int | None = None  # None: the person's private chat
    text: str | None = None
    data: str | None = None  # callback data; None presses a real button
    pick: int = 0
    number: float = 0.0
    other: float = 0.0
    shape: str = "plain"  # how the update is bent before the bot sees it
    extra: dict[str, Any] = field(default_factory=dict)


people = st.sampled_from(sorted(PEOPLE))
anyone = st.sampled_from((*sorted(PEOPLE), STRANGER, ADMIN))
groups = st.sampled_from((STAFF_CHAT, STAFF_CHAT, OTHER_CHAT))
picks = st.integers(0, 50)
shapes = st.sampled_from(("plain", "plain", "plain", "bare_user", "no_entities", "future_field"))
coordinates = st.one_of(
    st.floats(-90, 90), st.sampled_from((91.0, -91.0, 1e9, -1e9, 0.0, 180.5, -720.0, 49.8))
)
phones = st.one_of(
    st.sampled_from(("+77012345678", "87012345678", "+1 202 555 0100", "7", "", "++", "0" * 30)),
    short_texts,
)
callback_data = st.one_of(st.none(), st.none(), packed(), mangled())

acts = st.one_of(
    st.builds(Act, kind=st.just("text"), user=anyone, text=texts, shape=shapes),
    st.builds(Act, kind=st.just("text"), user=anyone, text=commands(), shape=shapes),
    st.builds(Act, kind=st.just("press"), user=anyone, data=callback_data, pick=picks),
    st.builds(Act, kind=st.just("press"), user=anyone, chat=groups, data=callback_data, pick=picks),
    st.builds(Act, kind=st.just("group_text"), user=anyone, chat=groups, text=texts | commands()),
    st.builds(Act, kind=st.just("group_reply"), user=anyone, chat=groups, text=texts, pick=picks),
    st.builds(Act, kind=st.just("location"), user=anyone, number=coordinates, other=coordinates),
    st.builds(
        Act,
        kind=st.just("contact"),
        user=anyone,
        text=phones,
        extra=st.fixed_dictionaries({"own": st.booleans(), "user_id": anyone}),
    ),
    st.builds(
        Act,
        kind=st.sampled_from(("photo", "voice", "document", "sticker")),
        user=anyone,
        text=st.none() | texts,
        chat=st.none() | groups,
    ),
    st.builds(Act, kind=st.just("edit"), user=anyone, text=texts, pick=picks),
    st.builds(Act, kind=st.sampled_from(("raw", "block")), user=anyone, pick=picks),
)
scripts = st.lists(acts, min_size=1, max_size=6)


# --- raw updates and bent fields ---------------------------------------------------------------

ANONYMOUS_ADMIN = {"id": 1087968824, "first_name": "Group"}  # Telegram's placeholder account
CHANNEL = {"id": -1009999, "type": "channel", "title": "news"}
FILE = {"file_id": "DQACAgIAAxkBAAI", "file_unique_id": "AgAD", "length": 1, "duration": 1}
THUMBS_UP = {"type": "emoji", "emoji": "👍"}
Stored = tuple[str, str, dict[str, Any]]  # a message put straight into a chat: where, kind, content


def raw_events(who: dict[str, Any], chats: dict[str, Any], now: int) -> list[dict[str, Any]]:
    """Updates of types no handler takes, or this aiogram doesn't know; `chats` are the
    person's private chat and the staff group, as Telegram shows them."""
    private, staff = chats["private"], chats["staff"]
    reaction = {"chat": private, "message_id": 1, "date": now, "user": who}
    poll = {"poll_id": "5", "user": who, "option_ids": [0], "option_persistent_ids": ["a"]}
    return [
        {"inline_query": {"id": "1", "from": who, "query": "help", "offset": ""}},
        {"future_update_kind": {"from": who, "anything": [1, 2]}},
        {"channel_post": {"message_id": 7, "date": now, "chat": CHANNEL, "text": "<b>post</b>"}},
        {"message_reaction": {**reaction, "old_reaction": [], "new_reaction": [THUMBS_UP]}},
        {"poll_answer": poll},
        {"chat_join_request": {"chat": staff, "from": who, "user_chat_id": who["id"], "date": now}},
    ]


def raw_messages(who: dict[str, Any], chats: dict[str, Any], now: int) -> list[Stored]:
    """Messages the user API can't send, as (chat: "private" | "staff", kind, content)."""
    hidden = {"type": "hidden_user", "sender_user_name": "<b>Someone</b>", "date": now}
    return [
        ("private", "dice", {"dice": {"emoji": "🎲", "value": 3}}),
        ("private", "other", {}),  # a kind of message this aiogram doesn't know
        ("private", "other", {"video_note": FILE, "forward_origin": hidden}),
        ("private", "other", {"animation": {**FILE, "width": 1, "height": 1}}),
        ("staff", "other", {"new_chat_members": [who]}),
        ("staff", "text", {"text": "/queue", "sender_chat": chats["staff"]}),  # anonymous admin
        ("staff", "text", {"text": "/stats", "via_bot": who}),
    ]


def bent(update: dict[str, Any], shape: str) -> dict[str, Any]:
    """The same update without optional fields, or with fields a newer Bot API may add."""
    if shape == "plain":
        return update
    update = copy.deepcopy(update)
    event = next(value for key, value in update.items() if key != "update_id")
    if shape == "bare_user":
        for who in (event.get("from"), event.get("chat")):
            for key in ("language_code", "username", "last_name", "is_premium"):
                (who or {}).pop(key, None)
    elif shape == "no_entities":
        event.pop("entities", None)
    elif shape == "future_field":
        event["future_field"] = {"nested": [1, "<b>"]}
        update["future_update_kind"] = {"x": 1}
    return update


# --- acts played through the emulator --------------------------------------------------------


@dataclass
class Player:
    """Turns an `Act` into the update Telegram would send, through the emulator's user API, so
    the chats and messages it refers to exist there; `feed` hands an update to the bot."""

    emulator: Emulator
    client: EmulatorClient
    blocked: set[int] = field(default_factory=set, kw_only=True)

    async def feed(self, update: dict[str, Any], act: Act | None) -> None:
        raise NotImplementedError

    @property
    def state(self) -> BotState:
        return self.emulator.bot(TOKEN)

    def user(self, user_id: int) -> UserClient:
        names = {ADMIN: "Айгерим", STRANGER: "Чужой"}
        language = PEOPLE.get(user_id, "ru")
        return self.client.user(user_id, names.get(user_id, "Айгуль"), language_code=language)

    async def _bot_messages(self, chat_id: int) -> list[BotMessage]:
        chat = await self.client.messages(chat_id)
        return [m for m in chat if m.from_bot and not m.deleted and m.kind != "service"]

    async def _ensure_open(self, user_id: int) -> None:
        if user_id in self.blocked:
            self.blocked.discard(user_id)
            await self.user(user_id).unblock()
            await self.feed(self.state.update_log[-1], None)

    async def build(self, act: Act) -> tuple[dict[str, Any] | None, Act]:
        """The update for `act` (None if it can't happen now) and the act as it was done."""
        user = self.user(act.user)
        if act.chat is None:
            await self._ensure_open(act.user)
        kind = act.kind
        if kind in ("text", "group_text"):
            return await user.send(act.text or "x", chat_id=act.chat), act
        if kind == "group_reply" or (kind == "press" and act.chat is not None):
            assert act.chat is not None
            messages = await self._bot_messages(act.chat)
            if not messages:
                return await user.send(act.text or "/queue", chat_id=act.chat), act
            target = messages[act.pick % len(messages)]
            if kind == "group_reply":
                reply = {"thread_id": target.thread_id, "reply_to": target.message_id}
                return await user.send(act.text or "x", chat_id=act.chat, **reply), act
            return await self._press(user, target, act, chat_id=act.chat), act
        if kind == "press":
            messages = await self._bot_messages(act.user)
            if not messages:
                return await user.send("/start"), Act("text", act.user, text="/start")
            return await self._press(user, messages[act.pick % len(messages)], act), act
        if kind == "location":
            return await user.send_location(act.number, act.other), act
        if kind == "contact":
            own = bool(act.extra.get("own"))
            whose = None if own else act.extra.get("user_id")
            contact = await user.send_contact(
                act.text or "", own=own, user_id=whose, first_name="Кто-то"
            )
            return contact, act
        if kind in ("photo", "voice", "document", "sticker"):
            if act.chat is not None and act.chat not in (STAFF_CHAT, OTHER_CHAT):
                return None, act
            body: dict[str, Any] = {kind: {}, "chat_id": act.chat}
            if act.text and kind in ("photo", "document"):
                body["caption"] = act.text[:1024]
            return await user._act("message", body), act
        if kind == "edit":
            own = [m for m in await self.client.messages(act.user) if m.from_id == act.user]
            own = [m for m in own if m.kind == "text" and not m.deleted]
            if not own:
                return await user.send(act.text or "x"), Act("text", act.user, text=act.text)
            return await user.edit(own[act.pick % len(own)].message_id, act.text or "x"), act
        if kind == "block":
            if act.user in self.blocked:
                self.blocked.discard(act.user)
                await user.unblock()
            else:
                self.blocked.add(act.user)
                await user.block()
            return self.state.update_log[-1], act
        return self.raw(act), act

    async def _press(
        self, user: UserClient, message: BotMessage, act: Act, chat_id: int | None = None
    ) -> dict[str, Any]:
        if act.data is not None:
            return await user.press(message, data=act.data, forge=True, chat_id=chat_id)
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        inline = [b["callback_data"] for row in rows for b in row if "callback_data" in b]
        if inline:
            data = inline[act.pick % len(inline)]
            return await user.press(message, data=data, chat_id=chat_id)
        if message.buttons() and chat_id is None:
            texts = message.button_texts
            return await user.press(message, text=texts[act.pick % len(texts)])
        return await user.press(message, data="m:home", forge=True, chat_id=chat_id)

    def raw(self, act: Act) -> dict[str, Any]:
        """Update types and message kinds the emulator's user API doesn't make."""
        emu_user = self.emulator.upsert_user(self.user(act.user).profile)
        private = self.emulator.private_chat(self.state, emu_user)
        chats = {"private": private, "staff": self.state.chats[STAFF_CHAT]}
        where = {name: chat.to_dict() for name, chat in chats.items()}
        events = raw_events(emu_user.to_dict(), where, self.emulator.now())
        stored = raw_messages(emu_user.to_dict(), where, self.emulator.now())
        choice = act.pick % (len(events) + len(stored))
        if choice < len(events):
            return self.state.enqueue(events[choice])
        chat_name, kind, content = stored[choice - len(events)]
        sender = emu_user
        if "sender_chat" in content:  # an anonymous admin: Telegram's placeholder account
            sender = self.emulator.upsert_user(ANONYMOUS_ADMIN)
            sender.is_bot = True
        message = self.emulator.store_message(
            self.state, chats[chat_name], from_bot=False, sender=sender, kind=kind, content=content
        )
        return self.state.enqueue({"message": message.data})
