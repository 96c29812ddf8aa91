"""`python -m bot run` as a process against the emulator over HTTP: the e2e and chaos tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from bot.emulator.client import BotMessage, EmulatorClient, EmulatorTimeout, UserClient
from tests.support.constants import ROOT
from tests.support.mother import LABELS

# The bot process's own token and staff group (the in-process tests use tests.support.constants').
E2E_TOKEN = "222333:E2E-token"
E2E_STAFF_CHAT = -1002000000001
START_TIMEOUT = 30  # the first start creates the database; a slow CI machine needs the margin


# Telegram's windows in a bot process of the tests: a second lasts 10 ms.
LIMITS_SCALE = 0.01


def run_env(emulator_url: str, directory: Path, **settings: str) -> dict[str, str]:
    """The environment of `python -m bot run` against the emulator: this machine's without its
    bot, webhook and Redis settings, a SQLite database in `directory`, Telegram's windows
    shrunk; `settings` add to it or replace (`FOLLOW_UP_TICK="0.2"`)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_", "REDIS"))},
        "BOT_TOKEN": E2E_TOKEN,
        "TELEGRAM_API_URL": emulator_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'anabot.db'}",
        "STAFF_CHAT_ID": str(E2E_STAFF_CHAT),
        "PYTHONUNBUFFERED": "1",
        "TELEGRAM_LIMITS_SCALE": str(LIMITS_SCALE),
        **settings,
    }


async def settled(database: Path) -> None:
    """Wait until the bot has recorded every update it answered as handled (the commit right
    after its reply), so a kill lands mid-conversation rather than mid-update."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        with sqlite3.connect(database) as db:
            busy = db.execute(
                "SELECT count(*) FROM inbox_updates WHERE state = 'received'"
            ).fetchone()[0]
        if busy == 0:
            return
        assert asyncio.get_running_loop().time() < deadline, "an update stayed unfinished"
        await asyncio.sleep(0.02)  # polling a file: there is no event to wait on here


class BotProcess:
    """`python -m bot run` with its output in a file, so a crash can be read afterwards."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.database = Path(env["DATABASE_URL"].removeprefix("sqlite+aiosqlite:///"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def restart(self) -> None:
        """SIGKILL, then start again: nothing gets a chance to be saved on the way out."""
        self.kill()
        self.start()

    async def restart_settled(self) -> None:
        """SIGKILL once every update it answered is recorded as handled, then start again."""
        await settled(self.database)
        self.restart()

    def output(self) -> str:
        """What it printed, over all its starts."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def assert_no_traceback(self) -> None:
        assert "Traceback" not in (output := self.output()), output[-3000:]

    async def terminate(self) -> int | None:
        """`stop` without stopping the event loop: the emulator serving the bot runs on it, and
        a request the bot has in flight at the stop (a follow-up tick's) must still be answered
        for the bot to finish it and exit cleanly."""
        return await asyncio.to_thread(self.stop)

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


@contextlib.asynccontextmanager
async def serving(
    process: BotProcess, emulator_url: str, *, forum: bool = True
) -> AsyncIterator[EmulatorClient]:
    """The staff group made, then the bot started: a client of the emulator to talk to it."""
    async with EmulatorClient(emulator_url, E2E_TOKEN) as client:
        await client.create_group(E2E_STAFF_CHAT, "Staff", is_forum=forum)
        process.start()
        yield client


# Her buttons over HTTP that the flow tests' LABELS (tests.support.mother) do not name.
LOCATION = {
    "kk": "📍 Тұрған жерімді жіберу",
    "ru": "📍 Отправить моё местоположение",
    "en": "📍 Send my location",
}
SHARE = {"kk": "📱 Нөмірімді жіберу", "ru": "📱 Поделиться номером", "en": "📱 Share my number"}


STEP_TIMEOUT = 60  # one step may wait out a kill and a restart (or several in a row)


def open_db(database: Path) -> sqlite3.Connection:
    return sqlite3.connect(database, timeout=30)


async def find_message(
    emu: EmulatorClient, chat_id: int, pattern: str | re.Pattern[str], *, after: int = 0
) -> BotMessage:
    """The first bot message after message `after` whose text matches, waiting on the
    emulator's change events (a kill and restart may stand in between)."""
    deadline = asyncio.get_running_loop().time() + STEP_TIMEOUT
    while True:
        messages = await emu.messages(chat_id)
        seq = emu.last_seq
        for message in messages:
            if (
                message.from_bot
                and message.message_id > after
                and re.search(pattern, message.text or "")
            ):
                return message
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"no {pattern!r} in chat {chat_id}: {[m.text for m in messages[-3:]]}"
        with contextlib.suppress(EmulatorTimeout):
            await emu.wait_for_bot_messages(chat_id, 0, 1, min(remaining, 5), since_seq=seq)


async def button(user: UserClient, label: str, within: float = STEP_TIMEOUT) -> BotMessage:
    """The newest message of hers carrying this button."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        messages = await user.bot_messages()
        seq = user.emu.last_seq
        with_label = [m for m in messages if label in m.button_texts and not m.deleted]
        if with_label:
            return with_label[-1]
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"no button {label!r} in {[m.text for m in messages[-3:]]}"
        with contextlib.suppress(EmulatorTimeout):
            await user.emu.wait_for_bot_messages(
                user.chat_id, 0, 1, min(remaining, 5), since_seq=seq
            )


async def tap(user: UserClient, label: str) -> None:
    await user.press(await button(user, label), text=label)


async def reach_her_phone(user: UserClient, lang: str, situation: str = "safe") -> None:
    """From /start to the question for her phone: help, her `situation` (a key of LABELS:
    safe, night), her location, a baby, her consent."""
    words = LABELS[lang]
    await user.send("/start")
    await tap(user, words["help"])
    await tap(user, words[situation])
    await button(user, LOCATION[lang])
    await user.send_location(49.80, 73.09)
    await tap(user, words["baby"])
    await tap(user, words["agree"])
    await button(user, SHARE[lang])


async def reach_her_note(user: UserClient, lang: str) -> None:
    """From the question for her phone to the one for a note: her number, "call me", any time."""
    words = LABELS[lang]
    await user.send_contact("+77012345678")
    await tap(user, words["call"])
    await tap(user, words["any"])


# The foster form's questions answered with a button (in ru), in their order.
FOSTER_CHOICES = (
    "Да, в браке",
    "Да",
    "Нет детей",
    "Своё жильё",
    "Приёмная семья",
    "Растим или вырастили своих детей",
)


async def choose_foster_answers(user: UserClient) -> None:
    """Her phone, then every choice of the foster form, up to its free-text question."""
    await user.send_contact("+77012345678")
    for label in FOSTER_CHOICES:
        await tap(user, label)
    await button(user, "⬅️ Назад")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def metric_samples(page: str) -> dict[str, float]:
    """Prometheus text format: one `name{labels} value` per line, comments skipped."""
    samples = {}
    for line in page.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples
