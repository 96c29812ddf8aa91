"""Webhook mode as a real process: the secret is checked, updates are stored before the 200."""

from __future__ import annotations

import asyncio
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
            # What an operator's monitoring reads, on the same server.
            base = f"http://127.0.0.1:{port}"
            async with http.get(f"{base}/healthz") as response:
                assert response.status == 200
                assert await response.json() == {"database": "ok"}  # no REDIS_URL here
            handled = 'anabot_updates_total{outcome="handled"}'
            deadline = asyncio.get_running_loop().time() + 10
            while True:  # the second update is handled in the background after its 200
                async with http.get(f"{base}/metrics") as response:
                    assert response.status == 200
                    metrics = _samples(await response.text())
                if metrics[handled] >= 2 or asyncio.get_running_loop().time() > deadline:
                    break
                await asyncio.sleep(0.05)
    assert metrics[handled] == 2  # the two accepted updates; the refused ones are not updates
    assert metrics["anabot_update_seconds_count"] >= 2
    assert metrics["anabot_messages_sent_total"] >= 2  # the greetings
    assert metrics["anabot_telegram_429_total"] == 0
    assert metrics["anabot_follow_ups_due"] == 0 and metrics["anabot_follow_ups_late"] == 0
    assert process.stop() == 0


def _samples(page: str) -> dict[str, float]:
    """Prometheus text format: one `name{labels} value` per line, comments skipped."""
    samples = {}
    for line in page.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples
