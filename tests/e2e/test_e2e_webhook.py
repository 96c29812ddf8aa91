"""Webhook mode as a real process: the secret is checked, updates are stored before the 200."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp

from bot.emulator.server import Emulator
from tests.support.constants import ROOT
from tests.support.process import (
    START_TIMEOUT,
    BotProcess,
    free_port,
    metric_samples,
    run_env,
    serving,
)

SECRET = "s3cret-token"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _webhook_env(tmp_path: Path, emulator_url: str, port: int) -> dict[str, str]:
    return run_env(
        emulator_url,
        tmp_path,
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
    )


async def test_webhook_mode_answers_and_refuses_a_wrong_secret(
    tmp_path: Path, emulator: Emulator
) -> None:
    port = free_port()
    env = _webhook_env(tmp_path, emulator.url, port)
    process = BotProcess(env, tmp_path / "bot.log")
    async with serving(process, emulator.url) as client:
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
                headers={HEADER: SECRET},
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
                    metrics = metric_samples(await response.text())
                if metrics[handled] >= 2 or asyncio.get_running_loop().time() > deadline:
                    break
                await asyncio.sleep(0.05)
    assert metrics[handled] == 2  # the two accepted updates; the refused ones are not updates
    assert metrics["anabot_update_seconds_count"] >= 2
    assert metrics["anabot_messages_sent_total"] >= 2  # the greetings
    assert metrics["anabot_telegram_429_total"] == 0
    assert metrics["anabot_follow_ups_due"] == 0 and metrics["anabot_follow_ups_late"] == 0
    assert await process.terminate() == 0


def test_webhook_mode_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    env = _webhook_env(tmp_path, "http://127.0.0.1:9", free_port())
    del env["WEBHOOK_SECRET"]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("the bot started a webhook anyone can post to") from None
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()  # one plain line, as for other settings
    assert "WEBHOOK_SECRET" in line
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "anabot.db").exists()  # refused before anything was opened


def _message(update_id: int, user_id: int, text: str, message_id: int = 10_000) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "X", "language_code": "en"},
            "text": text,
        },
    }


async def _raw_post(port: int, body: bytes, headers: dict[str, bytes]) -> int:
    """A request aiohttp's client would not send (a header that is not ASCII): by hand."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [
        b"POST /telegram/hook HTTP/1.1",
        f"Host: 127.0.0.1:{port}".encode(),
        b"Content-Type: application/json",
        f"Content-Length: {len(body)}".encode(),
        b"Connection: close",
        *(name.encode() + b": " + value for name, value in headers.items()),
    ]
    writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    return int(status_line.split()[1])


def _stored(database: Path, update_id: int) -> bool:
    with sqlite3.connect(database) as db:
        found = db.execute("SELECT 1 FROM inbox_updates WHERE update_id = ?", (update_id,))
        return found.fetchone() is not None


async def test_forged_and_malformed_webhook_posts_are_refused_and_leave_no_trace(
    tmp_path: Path, emulator: Emulator
) -> None:
    port = free_port()
    process = BotProcess(_webhook_env(tmp_path, emulator.url, port), tmp_path / "bot.log")
    url = f"http://127.0.0.1:{port}/telegram/hook"
    database = tmp_path / "anabot.db"
    async with serving(process, emulator.url) as client, aiohttp.ClientSession() as http:
        user = client.user(6302, "Dana", language_code="en")
        [greeting] = await user.ask("/start", timeout=START_TIMEOUT)
        # An attacker posts an update with an id Telegram is about to use.
        forged = _message(555_001, 6302, "/help")
        for headers in ({}, {HEADER: "wrong"}, {HEADER: SECRET + "x"}, {HEADER: ""}):
            async with http.post(url, json=forged, headers=headers) as response:
                assert response.status == 401, headers
        for secret in ("секрет".encode(), SECRET.encode() + "é".encode(), b"\xff\xfe"):
            body = b'{"update_id": 555001}'
            assert await _raw_post(port, body, {HEADER: secret}) == 401, secret
        assert not _stored(database, 555_001)
        # Telegram's real update with that id is handled, not skipped as a repeat.
        async with http.post(url, json=forged, headers={HEADER: SECRET}) as response:
            assert response.status == 200
        [help_reply] = await client.wait_for_bot_messages(6302, greeting.message_id)
        assert "emergency numbers" in help_reply.text

        # With the right secret, a body that is not an update: 400, nothing stored.
        bad_bodies: list[bytes] = [
            b"{not json",
            b"\xff\xfe\x00",
            b"[1, 2]",
            b'"text"',
            b'{"update_id": "555002"}',
            b'{"update_id": 555003, "message": {"text": "no chat, no date"}}',
        ]
        for body in bad_bodies:
            headers = {HEADER: SECRET, "Content-Type": "application/json"}
            async with http.post(url, data=body, headers=headers) as response:
                assert response.status == 400, body
        assert not _stored(database, 555_003)
        # The bot goes on.
        [again] = await user.ask("/help", timeout=START_TIMEOUT)
        assert "emergency numbers" in again.text
    assert await process.terminate() == 0
    process.assert_no_traceback()
    assert "no chat, no date" not in process.output()
