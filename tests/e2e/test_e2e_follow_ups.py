"""End to end: follow-ups and updates survive SIGKILL of the real bot process."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import sqlite3
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import open_resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient, EmulatorTimeout
from bot.emulator.server import Emulator
from storage.models import Case, FollowUp, utcnow
from tests.support.process import E2E_STAFF_CHAT, BotProcess, run_env, serving

REMINDERS = 40


@pytest.fixture
def bot_env(tmp_path: Path, emulator: Emulator) -> dict[str, str]:
    # 20 a minute per group becomes 20 per 3 s
    return run_env(emulator.url, tmp_path, TELEGRAM_LIMITS_SCALE="0.05", FOLLOW_UP_TICK="0.2")


async def _seed(database_url: str) -> None:
    """40 reminders due now, each for its own case, all to the staff group."""
    settings = Settings(_env_file=None, database_url=database_url)
    resources = await open_resources(settings)
    async with resources.sessionmaker() as session:
        for number in range(1, REMINDERS + 1):
            session.add(Case(id=number, kind="baby", staff_chat_id=E2E_STAFF_CHAT))
            session.add(
                FollowUp(
                    kind="staff_reminder",
                    due_at=utcnow() - timedelta(seconds=1),
                    target_chat_id=E2E_STAFF_CHAT,
                    case_id=number,
                    unique_key=f"remind:{number}",
                )
            )
        await session.commit()
    await resources.close()


async def _delivered(client: EmulatorClient) -> Counter[int]:
    numbers: Counter[int] = Counter()
    for message in await client.messages(E2E_STAFF_CHAT):
        if match := re.search(r"обращение № (\d+)", message.text or ""):
            numbers[int(match.group(1))] += 1
    return numbers


async def _wait_for(client: EmulatorClient, at_least: int) -> Counter[int]:
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        delivered = await _delivered(client)
        if len(delivered) >= at_least:
            return delivered
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"only {len(delivered)} of {at_least} reminders arrived"
        newest = max((m.message_id for m in await client.messages(E2E_STAFF_CHAT)), default=0)
        with contextlib.suppress(EmulatorTimeout):
            await client.wait_for_bot_messages(E2E_STAFF_CHAT, newest, 1, min(remaining, 5))


async def _wait_all_done(database: Path) -> None:
    """The last rows are marked done right after their message: wait for that commit."""
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        with sqlite3.connect(database) as db:
            left = db.execute("SELECT count(*) FROM follow_ups WHERE state != 'done'").fetchone()
        if left[0] == 0:
            return
        assert asyncio.get_running_loop().time() < deadline, f"{left[0]} rows not done"
        await asyncio.sleep(0.05)  # polling a file: there is no event to wait on here


async def test_sigkill_during_dispatch_loses_no_follow_up(
    tmp_path: Path, emulator: Emulator, bot_env: dict[str, str], bot_process: BotProcess
) -> None:
    await _seed(bot_env["DATABASE_URL"])
    kills = 0
    async with serving(bot_process, emulator.url, forum=False) as client:
        for target in (random.randint(3, 12), random.randint(15, 28)):
            await _wait_for(client, target)
            bot_process.restart()  # at a random point of the dispatch
            kills += 1
        delivered = await _wait_for(client, REMINDERS)
        await _wait_all_done(tmp_path / "anabot.db")
    await bot_process.terminate()
    assert set(delivered) == set(range(1, REMINDERS + 1))  # none lost
    # A kill between Telegram's "ok" and the row's "done" can repeat that one message; no more.
    assert sum(delivered.values()) - REMINDERS <= kills
    with sqlite3.connect(tmp_path / "anabot.db") as db:
        states = dict(
            db.execute("SELECT state, count(*) FROM follow_ups GROUP BY state").fetchall()
        )
    assert states == {"done": REMINDERS}


async def test_update_stored_then_killed_before_handling_is_handled_once_after_restart(
    tmp_path: Path, emulator: Emulator, bot_process: BotProcess
) -> None:
    async with serving(bot_process, emulator.url, forum=False) as client:
        user = client.user(6201, "Aru", language_code="en")
        await user.ask("/help", timeout=30)  # the bot is up
        # Its next answer hangs in "Telegram": the process dies while handling the update.
        await client.inject_fault("sendMessage", "delay", delay=15, chat_id=6201)
        await user.send("/start")
        deadline = asyncio.get_running_loop().time() + 30
        while True:  # until the update is safely in the inbox
            with sqlite3.connect(tmp_path / "anabot.db") as db:
                stored = db.execute(
                    "SELECT state FROM inbox_updates ORDER BY update_id DESC LIMIT 1"
                ).fetchone()
            if stored and stored[0] == "received" and await client.pending_update_count() == 0:
                break
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)  # polling a file: there is no event to wait on here
        bot_process.restart()
        replies = await user.wait_reply(timeout=30)
        assert replies[0].text.startswith("Hello!")
        await user.ask("/help", timeout=30)
        greetings = [m for m in await user.bot_messages() if (m.text or "").startswith("Hello!")]
        assert len(greetings) == 1
    await bot_process.terminate()
