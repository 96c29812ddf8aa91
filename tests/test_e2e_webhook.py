"""Webhook mode as a real process: the secret is checked, updates are stored before the 200."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import aiohttp

from bot.emulator.client import EmulatorClient
from bot.emulator.server import Emulator
from tests.test_e2e_restart import STAFF_CHAT, START_TIMEOUT, TOKEN, BotProcess


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_mode_answers_and_refuses_a_wrong_secret(
    tmp_path: Path, emulator: Emulator
) -> None:
    import os

    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_", "REDIS"))},
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emulator.url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'anabot.db'}",
        "STAFF_CHAT_ID": str(STAFF_CHAT),
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/hook",
        "WEBHOOK_SECRET": "s3cret-token",
        "WEBHOOK_PORT": str(port),
        "TELEGRAM_LIMITS_SCALE": "0.01",
        "PYTHONUNBUFFERED": "1",
    }
    process = BotProcess(env, tmp_path / "bot.log")
    async with EmulatorClient(emulator.url, TOKEN) as client:
        await client.create_group(STAFF_CHAT, "Staff", is_forum=True)
        process.start()
        user = client.user(6301, "Dana", language_code="en")
        [greeting] = await user.ask("/start", timeout=START_TIMEOUT)  # pushed by the emulator
        assert greeting.text.startswith("Hello!")
        info = await client.webhook_info()
        assert info["url"].endswith("/telegram/hook")
        forged = {
            "update_id": 999999,
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": 6301, "type": "private"},
                "from": {"id": 6301, "is_bot": False, "first_name": "X"},
                "text": "/start",
            },
        }
        url = f"http://127.0.0.1:{port}/telegram/hook"
        async with aiohttp.ClientSession() as http:
            for secret in (None, "wrong"):
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
                async with http.post(url, json=forged, headers=headers) as response:
                    assert response.status == 401
            async with http.post(
                url,
                json={**forged, "update_id": 1000000},
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
            ) as response:
                assert response.status == 200
                # Stored before the 200 was sent.
                with sqlite3.connect(tmp_path / "anabot.db") as db:
                    ids = {row[0] for row in db.execute("SELECT update_id FROM inbox_updates")}
                assert 1000000 in ids and 999999 not in ids
    assert process.stop() == 0
