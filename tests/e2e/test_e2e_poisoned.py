"""An update nobody can read never stops the bot, and never reaches its logs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot.emulator.client import UserClient
from bot.emulator.server import Emulator
from tests.support.process import (
    E2E_TOKEN,
    START_TIMEOUT,
    BotProcess,
    free_port,
    metric_samples,
    serving,
)

BOT_ID = int(E2E_TOKEN.split(":")[0])
# What a mother may write; none of it may appear in a log line, at any level.
HER_NAME = "Сауле Ермекқызы"
HER_PHONE = "+77015550101"
HER_WORDS = "он снова пришёл ночью"


def _poison(database: Path, update_id: int) -> None:
    """A row the bot stored and cannot read back (an older version stored it unchecked)."""
    payload = {
        "update_id": update_id,
        # No chat, no date, no sender: aiogram refuses it; her words are still in it.
        "message": {"message_id": 1, "text": f"{HER_NAME}, {HER_PHONE}: {HER_WORDS}"},
    }
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO inbox_updates (bot_id, update_id, payload, state, received_at) "
            "VALUES (?, ?, ?, 'received', ?)",
            (BOT_ID, update_id, json.dumps(payload, ensure_ascii=False), now),
        )


def _row(database: Path, update_id: int) -> tuple[str, str]:
    with sqlite3.connect(database) as db:
        found = db.execute(
            "SELECT state, payload FROM inbox_updates WHERE bot_id = ? AND update_id = ?",
            (BOT_ID, update_id),
        ).fetchone()
    assert found is not None, f"update {update_id} is not in the inbox"
    return found


async def _set_aside(port: int, expected: int) -> float:
    """/metrics' count of updates set aside, waited for until it reaches `expected`."""
    deadline = asyncio.get_running_loop().time() + 10
    async with aiohttp.ClientSession() as http:
        while True:
            async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                count = metric_samples(await response.text()).get("anabot_updates_set_aside", -1)
            if count >= expected or asyncio.get_running_loop().time() > deadline:
                return count
            await asyncio.sleep(0.05)  # a scrape is the only way to read it


def _assert_log_clean(process: BotProcess) -> None:
    log = process.output()
    for secret in (HER_NAME, HER_PHONE, HER_PHONE[1:], HER_WORDS):
        assert secret not in log, f"{secret!r} in the bot's output:\n{log[-3000:]}"


@contextlib.asynccontextmanager
async def _greeted(
    process: BotProcess, emulator: Emulator, user_id: int
) -> AsyncIterator[tuple[UserClient, int]]:
    """The bot started with its /metrics on a port of its own, logging everything (DEBUG), and
    greeting her: she and that port."""
    port = free_port()
    process.env.update({"HEALTH_PORT": str(port), "LOG_LEVEL": "DEBUG"})
    async with serving(process, emulator.url) as client:
        user = client.user(user_id, "Dana", language_code="en")
        [greeting] = await user.ask("/start", timeout=START_TIMEOUT)
        assert greeting.text.startswith("Hello!")
        yield user, port


async def test_a_poisoned_inbox_row_is_set_aside_and_the_bot_starts(
    bot_process: BotProcess,
    emulator: Emulator,
) -> None:
    async with _greeted(bot_process, emulator, 6501) as (user, port):
        assert await bot_process.terminate() == 0

        _poison(bot_process.database, 77)
        bot_process.start()  # used to end with rc=1 on every start, printing her words
        [help_reply] = await user.ask("/help", timeout=START_TIMEOUT)
        assert "emergency numbers" in help_reply.text
        assert await _set_aside(port, 1) == 1
    assert _row(bot_process.database, 77) == ("poisoned", "{}")  # kept by id, her words gone
    assert await bot_process.terminate() == 0
    _assert_log_clean(bot_process)


async def test_an_unreadable_update_in_a_polled_batch_does_not_block_the_others(
    bot_process: BotProcess,
    emulator: Emulator,
) -> None:
    async with _greeted(bot_process, emulator, 6502) as (user, port):
        # Telegram sends something aiogram cannot read, alone, then before a real message.
        state = emulator.bots[E2E_TOKEN]
        broken = {"message": {"message_id": 5, "text": f"{HER_NAME} {HER_PHONE} {HER_WORDS}"}}
        first = state.enqueue(broken)["update_id"]
        [help_reply] = await user.ask("/help", timeout=START_TIMEOUT)
        assert "emergency numbers" in help_reply.text
        second = state.enqueue(broken)["update_id"]  # last in its batch this time
        assert await _set_aside(port, 2) == 2
        # Telegram is told we have it: left last, it would come back at every poll.
        assert await state.wait(lambda: not state.updates, 10)
        [again] = await user.ask("/help", timeout=START_TIMEOUT)
        assert "emergency numbers" in again.text
    for update_id in (first, second):
        assert _row(bot_process.database, update_id) == ("poisoned", "{}")
    assert await bot_process.terminate() == 0
    _assert_log_clean(bot_process)
