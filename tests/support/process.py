"""`python -m bot run` as a process against the emulator over HTTP: the e2e and chaos tests."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.emulator.client import BotMessage, EmulatorClient, EmulatorTimeout, UserClient
from tests.support.constants import ROOT

# The bot process's own token and staff group (the in-process tests use tests.support.constants').
E2E_TOKEN = "222333:E2E-token"
E2E_STAFF_CHAT = -1002000000001
START_TIMEOUT = 30  # the first start creates the database; a slow CI machine needs the margin


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

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def location_label(lang: str) -> str:
    return {
        "kk": " Тұрған жерімді жіберу",
        "ru": " Отправить моё местоположение",
        "en": " Send my location",
    }[lang]


def share_label(lang: str) -> str:
    return {"kk": "📱 Нөмірімді жіберу", "ru": "📱 Поделиться номером", "en": "📱 Share my number"}[
        lang
    ]


def no_note_label(lang: str) -> str:
    return {
        "kk": "📨 Жазбасыз жіберу",
        "ru": "📨 Отправить без комментария",
        "en": "📨 Send without a note",
    }[lang]


MOTHER_E2E = {
    "kk": (
        "🤱 Маған көмек керек",
        "✅ Қазір қауіпсіз жердемін",
        "👶 Сәбиім бар",
        "✅ Келісемін",
        "📞 Маған қоңырау шалыңыз",
        "🕘 Кез келген уақытта",
        "жіберілді",
    ),
    "ru": (
        "🤱 Мне нужна помощь",
        "✅ Сейчас я в безопасности",
        "👶 У меня есть малыш",
        "✅ Согласна",
        "📞 Позвоните мне",
        "🕘 В любое время",
        "передано",
    ),
    "en": (
        "🤱 I need help",
        "✅ I'm safe for now",
        "👶 I have a baby",
        "✅ I agree",
        "📞 Call me",
        "🕘 Any time",
        "is with our staff",
    ),
}


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
