"""Hypothesis strategies for the chaos test: what people could send the bot, of every shape.

An `Act` is plain data (who, where, what); tests/test_chaos_updates.py turns it into a real
update through the emulator, so the chats and messages it refers to exist there.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from aiogram.filters.callback_data import CallbackData
from hypothesis import strategies as st

from bot import callbacks
from bot.handlers import STAFF_COMMANDS

ADMIN = 900001
PEOPLE = {71001: "kk", 71002: "ru", 71003: None, 71004: "en"}
STRANGER = 71009  # no role, yet tries the staff group and staff buttons
STAFF_CHAT = -1001000000001
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
