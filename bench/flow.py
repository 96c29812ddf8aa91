"""The people the load benchmarks play: mothers going through the whole flow, or an echo script.

A step is one update (a text, a tap, a location, a contact) and what the person waits for
before the next one: a button (the bot's next screen) or, for the echo bot, any reply. Every
update goes through the emulator's own control actions, in its process, so the user side costs
no HTTP round trip and the bot sees ordinary Telegram updates.
"""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fluent.syntax import FluentParser, ast

from bench.harness import BenchEmulator
from bot.emulator.actions import act_message, act_press
from bot.emulator.state import StoredMessage

LOCALES = Path(__file__).resolve().parent.parent / "bot" / "locales"
LANGUAGES = ("kk", "ru", "en")
LANGUAGE_BUTTONS = {"kk": "🇰🇿 Қазақша", "ru": "🇷🇺 Русский", "en": "🇬🇧 English"}
STEP_TIMEOUT = 60.0  # one reply; far above any figure, so a stuck bot shows as an error
# Points inside Kazakhstan (lat, lon ranges) for shared locations.
LAT, LON = (41.0, 54.0), (50.0, 86.0)
PHONE_BASE = 77010000000  # Kazakhstan mobile numbers +7 701 ..., one per benchmark person


@functools.cache  # parsing the locale files takes tens of ms: once per language, not per person
def labels(lang: str) -> dict[str, str]:
    """Single-line Fluent messages of a language (button labels), read from the locale files."""
    found: dict[str, str] = {}
    parser = FluentParser(with_spans=False)
    for path in sorted((LOCALES / lang).glob("*.ftl")):
        for entry in parser.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, ast.Message) and entry.value is not None:
                elements = entry.value.elements
                if len(elements) == 1 and isinstance(elements[0], ast.TextElement):
                    found[entry.id.name] = elements[0].value
    return found


@dataclass(frozen=True)
class Step:
    """One update: `kind` is text, tap, tap_data (a callback data prefix), location or contact;
    `expect` is the button label of the screen that must follow (None: any reply will do)."""

    kind: str
    value: str = ""
    expect: str | None = None
    name: str = ""  # the step of the flow, for figures per step


def mother_steps(uid: int) -> list[Step]:
    """/start, language, triage, location or region, nearest houses, consent, phone, way, time,
    note: the handoff. 11 updates (by location) or 12 (by region list)."""
    lang = LANGUAGES[uid % 3]
    t = labels(lang)
    steps = [
        Step("text", "/start", LANGUAGE_BUTTONS[lang], name="start"),
        Step("tap", LANGUAGE_BUTTONS[lang], t["menu-button-mother"], name="language"),
        Step("tap", t["menu-button-mother"], t["mother-button-safe"], name="need help"),
        Step("tap", t["mother-button-safe"], t["mother-button-regions"], name="safe now"),
    ]
    if uid % 2 == 0:
        steps.append(Step("location", "", t["mother-button-baby"], name="location"))
    else:
        steps.append(Step("tap", t["mother-button-regions"], "rg:", name="region list"))
        steps.append(Step("tap_data", "rg:", t["mother-button-baby"], name="region"))
    steps += [
        Step("tap", t["mother-button-baby"], t["mother-button-agree"], name="baby"),
        Step("tap", t["mother-button-agree"], t["mother-button-share-phone"], name="consent"),
        Step(
            "contact", f"+{PHONE_BASE + uid % 10_000_000}", t["mother-button-call"], name="contact"
        ),
        Step("tap", t["mother-button-call"], t["mother-button-any-time"], name="call me"),
        Step("tap", t["mother-button-any-time"], t["mother-button-no-note"], name="any time"),
        Step("text", "Коляска керек, need a pram", None, name="note (handoff)"),
    ]
    return steps


def echo_steps(uid: int) -> list[Step]:
    """The same mix of updates (texts, taps, a location, a contact), each waiting for any reply."""
    out = []
    for step in mother_steps(uid):
        if step.kind in ("tap", "tap_data"):
            out.append(Step("tap_any", name=step.name))
        else:
            out.append(Step(step.kind, step.value, name=step.name))
    return out


class Person:
    """One Telegram user talking to the bot through the in-process emulator."""

    def __init__(self, emulator: BenchEmulator, uid: int, trace: bool = False) -> None:
        self.emu = emulator
        self.uid = uid
        self.trace = trace
        self.user = {"id": uid, "first_name": f"M{uid}"}  # no language_code: the picker shows
        self.rng = random.Random(uid)

    def _messages(self) -> list[StoredMessage]:
        chat = self.emu.state.chats.get(self.uid)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if m.from_bot and not m.deleted]

    def _with_button(
        self, match: Callable[[dict[str, str]], bool], after: int
    ) -> StoredMessage | None:
        for msg in reversed(self._messages()):
            if msg.seq <= after:
                break
            rows = (
                (msg.reply_markup or {}).get("inline_keyboard")
                or (msg.reply_markup or {}).get("keyboard")
                or []
            )
            if any(match(b) for row in rows for b in row if isinstance(b, dict)):
                return msg
        return None

    def _button(self, step: Step) -> tuple[int, str] | None:
        """The newest message carrying the inline button, and the button's callback data;
        None for a reply-keyboard button (tapping it sends its text)."""
        if step.kind == "tap_any":  # the echo bot's last message: a forged callback on it
            return self._messages()[-1].message_id, "bench"
        for msg in reversed(self._messages()):
            rows = (msg.reply_markup or {}).get("keyboard") or []
            if any(b.get("text") == step.value for row in rows for b in row):
                return None
            for row in (msg.reply_markup or {}).get("inline_keyboard") or []:
                for b in row:
                    data = b.get("callback_data", "")
                    if step.kind == "tap" and b.get("text") == step.value:
                        return msg.message_id, data
                    if step.kind == "tap_data" and data.startswith(step.value):
                        return msg.message_id, data
        raise LookupError(f"user {self.uid}: no button for {step}")

    def _send(self, step: Step) -> None:
        body: dict[str, object] = {"user": self.user}
        if step.kind == "text":
            act_message(self.emu, self.emu.state, {**body, "text": step.value})
        elif step.kind == "location":
            location = {"latitude": self.rng.uniform(*LAT), "longitude": self.rng.uniform(*LON)}
            act_message(self.emu, self.emu.state, {**body, "location": location})
        elif step.kind == "contact":
            act_message(self.emu, self.emu.state, {**body, "contact": {"phone_number": step.value}})
        else:
            button = self._button(step)
            if button is None:
                act_message(self.emu, self.emu.state, {**body, "text": step.value})
                return
            message_id, data = button
            press = {
                **body,
                "message_id": message_id,
                "data": data,
                "forge": step.kind == "tap_any",
            }
            act_press(self.emu, self.emu.state, press)

    async def step(self, step: Step) -> None:
        """Offer one update and wait until the person could take the next step."""
        after = self.emu.state.seq
        offer = self.emu.clock.offer(self.uid, step.name)
        self._send(step)

        def done() -> bool:
            if step.expect is None:
                return offer.first_message is not None or (
                    step.kind == "tap_any" and offer.first_call is not None
                )
            return (
                self._with_button(lambda b: _is_expected(b, step.expect or ""), after) is not None
            )

        deadline = time.monotonic() + STEP_TIMEOUT
        while not done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"user {self.uid}: no reply to {step} in {STEP_TIMEOUT:.0f} s")
            try:
                await self.emu.clock.changed(self.uid, remaining)
            except TimeoutError:
                continue
        if self.trace:
            for msg in self._messages():
                if msg.seq > after:
                    print(f"  {step.kind} {step.value!r} -> {(msg.text or '')[:70]!r}")


def _is_expected(button: dict[str, str], expect: str) -> bool:
    """A button with this label, or (for "rg:") whose callback data has this prefix."""
    if expect.endswith(":"):
        return button.get("callback_data", "").startswith(expect)
    return button.get("text") == expect


class Pacer:
    """Offers at a fixed rate: slot i is due at start + i / rate; a slot nobody took is dropped
    (not made up later in a burst), so the offered load never exceeds the rate."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = time.monotonic()

    async def slot(self) -> None:
        now = time.monotonic()
        if self.next < now - self.interval:
            self.next = now
        due = self.next
        self.next += self.interval
        if due > now:
            await asyncio.sleep(due - now)


async def play(
    emulator: BenchEmulator,
    uid: int,
    steps: Sequence[Step],
    pacer: Pacer | None = None,
    trace: bool = False,
) -> None:
    """One person's whole script; with a pacer, each update waits for its slot."""
    person = Person(emulator, uid, trace)
    for step in steps:
        if pacer is not None:
            await pacer.slot()
        await person.step(step)
