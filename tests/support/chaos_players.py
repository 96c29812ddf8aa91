"""The people of the chaos runs (tests/chaos): what the bot acknowledged, to be found stored."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.emulator.client import BotMessage, EmulatorClient, EmulatorTimeout
from bot.emulator.server import Emulator
from tests.support.mother import LABELS
from tests.support.process import (
    E2E_STAFF_CHAT,
    E2E_TOKEN,
    LOCATION,
    SHARE,
    STEP_TIMEOUT,
    button,
    find_message,
    open_db,
    run_env,
    tap,
)

# Her message after the handoff: passed at once, or kept for the follow-up that delivers it.
RELAYED = {
    "kk": "Қызметкерлерге жіберілді|Өтінішіңізбен бірге сақталды",
    "ru": "Передано сотрудникам|Сохранено в вашем обращении",
    "en": "Passed to the staff|Saved with your request",
}


HANDED = re.compile(r"№ (\d+)")


async def passed_on(emu: EmulatorClient, user_id: int, lang: str, text: str, after: int) -> None:
    """Her message after the handoff reached the staff: her words copied into the staff group,
    or her chat says it is passed on or kept. The tick alone is not enough to wait for: it is a
    courtesy, skipped by design while her chat is at its limit (room_for_courtesy,
    bot/middlewares/flood.py), as when a staff reply and a check-in reach her at that moment;
    on a fast machine that happened (test_random_sigkills_lose_and_repeat_nothing)."""
    deadline = asyncio.get_running_loop().time() + STEP_TIMEOUT
    while True:
        seq = emu.last_seq
        told = [m for m in await emu.messages(user_id) if m.from_bot and m.message_id > after]
        if any(re.search(RELAYED[lang], m.text or "") for m in told):
            return
        if any(m.text == text for m in await emu.messages(E2E_STAFF_CHAT) if m.from_bot):
            return
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"her {text!r} neither passed on nor kept: {[m.text for m in told]}"
        with contextlib.suppress(EmulatorTimeout):  # her chat's change, or look again in 1 s
            await emu.wait_for_bot_messages(user_id, 0, 1, min(remaining, 1), since_seq=seq)


CARD = re.compile(r"^(?:🆕 Обращение|🚨 СРОЧНО · обращение) № (\d+)")


ESCALATED = re.compile(r"^⏰ Обращение № (\d+) всё ещё ждёт")


ESCALATED_PRIVATE = re.compile(r"^⏰ Обращение № (\d+) ждёт, его никто не взял")


@dataclass
class Ledger:
    """What the bot acknowledged to the people playing, to be found stored afterwards."""

    cases: dict[int, tuple[int, str, str]] = field(default_factory=dict)  # mother → case
    relayed: list[tuple[int, str]] = field(default_factory=list)  # case, her text
    replies: list[tuple[int, str]] = field(default_factory=list)  # case, staff text
    taken: set[int] = field(default_factory=set)
    application: int | None = None


def chaos_env(emulator_url: str, directory: Path, admin: int, **settings: str) -> dict[str, str]:
    """The bot's environment for a chaos run: one admin, follow-ups looked at five times a
    second, working hours all day (normal cases escalate at any hour too), escalations after
    seconds; `settings` add the run's own."""
    return run_env(
        emulator_url,
        directory,
        ADMIN_IDS=str(admin),
        FOLLOW_UP_TICK="0.2",
        WORKING_HOURS="Mon-Sun 00:00-24:00",
        ESCALATE_NORMAL_AFTER="3",
        ESCALATE_TO_COORDINATORS_AFTER="2",
        **settings,
    )


@contextlib.asynccontextmanager
async def emulator_client(emulator: Emulator) -> AsyncIterator[EmulatorClient]:
    # One HTTP client per actor: each waits on the change counter of its own last read.
    async with EmulatorClient(emulator.url, E2E_TOKEN) as emu:
        yield emu


async def play_mother(
    emulator: Emulator, user_id: int, lang: str, urgent: bool, ledger: Ledger
) -> None:
    words = LABELS[lang]
    where = words["night"] if urgent else words["safe"]
    phone = f"+7701{user_id:07d}"
    async with emulator_client(emulator) as emu:
        user = emu.user(user_id, f"Mother{user_id}", language_code=lang)
        await user.send("/start")
        await tap(user, words["help"])
        await tap(user, where)
        for _ in range(3):
            try:
                await asyncio.wait_for(button(user, LOCATION[lang]), 12)
                break
            except (TimeoutError, AssertionError):
                # A kill can leave her tap on a screen the restarted bot answers with "this
                # button no longer works, here is the menu": as a person would, she taps again.
                await tap(user, words["help"])
                await tap(user, where)
        await button(user, LOCATION[lang])
        await user.send_location(49.80, 73.09)
        await tap(user, words["baby"])
        await tap(user, words["agree"])
        await button(user, SHARE[lang])
        await user.send_contact(phone)
        await tap(user, words["call"])
        await tap(user, words["any"])
        await button(user, words["no_note"])
        note = await user.send(f"note {user_id}")
        handed = await find_message(emu, user_id, "✅.*№", after=note["message"]["message_id"])
        case_id = int(HANDED.search(handed.text or "").group(1))  # type: ignore[union-attr]
        ledger.cases[user_id] = (case_id, phone, lang)
        text = f"still waiting {user_id}"
        sent = await user.send(text)
        await passed_on(emu, user_id, lang, text, after=sent["message"]["message_id"])
        ledger.relayed.append((case_id, text))


async def wait_quiet(database: Path, later: tuple[str, ...] = ("draft_reminder",)) -> None:
    """Every update handled and every follow-up done but the kinds due `later` (days later)."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        with open_db(database) as db:
            open_rows = db.execute(
                "SELECT count(*) FROM follow_ups WHERE state IN ('pending', 'claimed')"
                f" AND kind NOT IN ({','.join('?' * len(later))})",
                later,
            ).fetchone()[0]
            inbox = db.execute(
                "SELECT count(*) FROM inbox_updates WHERE state != 'done'"
            ).fetchone()[0]
        if open_rows == 0 and inbox == 0:
            return
        assert asyncio.get_running_loop().time() < deadline, (open_rows, inbox)
        await asyncio.sleep(0.1)  # polling a file: there is no event to wait on here


def count_ids(messages: list[BotMessage], pattern: re.Pattern[str]) -> Counter[int]:
    found: Counter[int] = Counter()
    for message in messages:
        if message.from_bot and (match := pattern.search(message.text or "")):
            found[int(next(g for g in match.groups() if g))] += 1
    return found
