"""The bot as a process: `bot_process` starts `python -m bot run` against the emulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.emulator.server import Emulator
from tests.support.process import E2E_STAFF_CHAT, E2E_TOKEN, BotProcess


@pytest.fixture
def bot_process(tmp_path: Path, emulator: Emulator) -> Iterator[BotProcess]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))},
        "BOT_TOKEN": E2E_TOKEN,
        "TELEGRAM_API_URL": emulator.url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'anabot.db'}",
        "STAFF_CHAT_ID": str(E2E_STAFF_CHAT),
        "PYTHONUNBUFFERED": "1",
        "TELEGRAM_LIMITS_SCALE": "0.01",
    }
    env.pop("REDIS_URL", None)
    process = BotProcess(env, tmp_path / "bot.log")
    yield process
    process.stop()
    log = process.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
