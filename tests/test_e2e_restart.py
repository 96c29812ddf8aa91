"""End to end: `anabot run` as a process against the emulator over HTTP, killed and restarted."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.emulator.client import BotMessage, EmulatorClient, EmulatorTimeout, UserClient
from bot.emulator.server import Emulator

TOKEN = "222333:E2E-token"
STAFF_CHAT = -1002000000001
ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture
def bot_process(tmp_path: Path, emulator: Emulator) -> Iterator[BotProcess]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))},
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emulator.url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'anabot.db'}",
        "STAFF_CHAT_ID": str(STAFF_CHAT),
        "PYTHONUNBUFFERED": "1",
        "TELEGRAM_LIMITS_SCALE": "0.01",
    }
    env.pop("REDIS_URL", None)
    process = BotProcess(env, tmp_path / "bot.log")
    yield process
    process.stop()
    log = process.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]


async def test_kill_mid_conversation_and_restart_continues(
    bot_process: BotProcess, emulator: Emulator
) -> None:
    async with EmulatorClient(emulator.url, TOKEN) as client:
        await client.create_group(STAFF_CHAT, "Staff", is_forum=True)
        user = client.user(6001, "Ainur", language_code=None)
        bot_process.start()

        [picker] = await user.ask("/start mother", timeout=START_TIMEOUT)
        assert "Выберите язык" in picker.text

        # SIGKILL while the bot waits for the language: no chance to save anything more.
        await settled(bot_process.database)
        bot_process.kill()
        bot_process.start()

        await user.press(picker, text="🇷🇺 Русский")
        [mother] = await user.wait_reply(after=picker.message_id, timeout=START_TIMEOUT)
        # The deep link's destination was kept in the database across the kill.
        assert "Вы не одна" in mother.text

        [language] = await user.ask("/language")
        await user.press(language, text="🇬🇧 English")
        [switched] = await user.wait_reply(after=language.message_id)
        assert "I will write in English" in switched.text

        await settled(bot_process.database)
        bot_process.kill()
        bot_process.start()
        [help_reply] = await user.ask("/help", timeout=START_TIMEOUT)
        assert "emergency numbers" in help_reply.text  # the choice outlived the process

        commands = await client.commands(language_code="kk", scope={"type": "all_private_chats"})
        assert "Шұғыл көмек нөмірлері" in [c["description"] for c in commands]

    assert bot_process.stop() == 0  # SIGTERM: a clean stop


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


async def _button(user: UserClient, label: str) -> BotMessage:
    """The newest bot message carrying this button, waiting for it on the emulator's events."""
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT
    while True:
        messages = await user.bot_messages()
        with_label = [m for m in messages if label in m.button_texts and not m.deleted]
        if with_label:
            return with_label[-1]
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"no button {label!r} in {[m.text for m in messages[-3:]]}"
        seq = max((m.seq for m in messages), default=0)
        with contextlib.suppress(EmulatorTimeout):
            await user.emu.wait_for_bot_messages(user.chat_id, 0, 1, remaining, since_seq=seq)


async def _tap(user: UserClient, label: str) -> None:
    await user.press(await _button(user, label), text=label)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_mother_flow_over_http_survives_a_kill_mid_handoff(
    bot_process: BotProcess, emulator: Emulator, lang: str
) -> None:
    help_label, safe, baby, agree, call, any_time, handed = MOTHER_E2E[lang]
    async with EmulatorClient(emulator.url, TOKEN) as client:
        await client.create_group(STAFF_CHAT, "Staff", is_forum=True)
        user = client.user(6100, "Мадина", language_code=lang)
        bot_process.start()
        await user.send("/start")
        await _tap(user, help_label)
        await _tap(user, safe)
        await _button(user, "📍" + location_label(lang))
        await user.send_location(49.80, 73.09)
        await _tap(user, baby)
        await _tap(user, agree)
        await _button(user, share_label(lang))

        await settled(bot_process.database)
        bot_process.kill()  # between the consent and her phone number
        bot_process.start()

        await user.send_contact("+77012345678")
        await _tap(user, call)
        await _tap(user, any_time)
        await _button(user, no_note_label(lang))
        done = await user.ask("Коляска керек / need a pram", timeout=START_TIMEOUT)
        assert handed in done[-1].text
        cards = await client.wait_for_bot_messages(STAFF_CHAT, timeout=START_TIMEOUT)
        assert "+77012345678" in cards[0].text
    assert bot_process.stop() == 0


async def test_foster_application_over_http_survives_a_kill_mid_form(
    bot_process: BotProcess, emulator: Emulator
) -> None:
    async with EmulatorClient(emulator.url, TOKEN) as client:
        await client.create_group(STAFF_CHAT, "Staff", is_forum=True)
        user = client.user(6400, "Айгуль", language_code="ru")
        bot_process.start()
        await user.send("/start foster")
        await _tap(user, "📝 Заполнить анкету")
        await user.ask("Айгуль Нурланова", timeout=START_TIMEOUT)
        await user.ask("12.03.1985")
        await settled(bot_process.database)
        bot_process.kill()  # in the middle of the form
        bot_process.start()
        await user.ask("Караганда", timeout=START_TIMEOUT)  # the same step goes on
        await user.send_contact("+77012345678")
        for label in (
            "Да, в браке",
            "Да",
            "Нет детей",
            "Своё жильё",
            "Приёмная семья",
            "Растим или вырастили своих детей",
        ):
            await _tap(user, label)
        await _button(user, "⬅️ Назад")
        await user.ask("Хотим, чтобы у ребёнка был дом.")
        await _tap(user, "В любое время")
        await _tap(user, "📨 Отправить анкету")
        cards = await client.wait_for_bot_messages(STAFF_CHAT, timeout=START_TIMEOUT)
        assert "Айгуль Нурланова" in cards[-1].text and "+77012345678" in cards[-1].text
    assert bot_process.stop() == 0
