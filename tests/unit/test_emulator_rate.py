"""The emulator's optional global flood limit: off by default, Telegram's 429 when set."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter

from bot.emulator.client import EmulatorClient
from bot.emulator.server import RATE_LIMITED_METHODS, Emulator
from bot.middlewares.limits import MESSAGE_METHODS

TOKEN = "123456:RATE-token"
FIRST_CHAT = 7_000_001


async def started(rate_limit: float | None, chats: int) -> Emulator:
    emu = Emulator(bot_token=TOKEN, rate_limit=rate_limit)
    await emu.start()
    bot = emu.bot(TOKEN)
    for uid in range(FIRST_CHAT, FIRST_CHAT + chats):
        emu.private_chat(bot, emu.upsert_user({"id": uid, "first_name": f"U{uid}"}))
    return emu


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def send(http: aiohttp.ClientSession, emu: Emulator, chat_id: int) -> dict[str, Any]:
    url = f"{emu.url}/bot{TOKEN}/sendMessage"
    async with http.post(url, json={"chat_id": chat_id, "text": "hi"}) as response:
        payload: dict[str, Any] = await response.json()
        assert response.status == (200 if payload["ok"] else payload["error_code"])
        return payload


def test_limited_methods_are_the_outgoing_family() -> None:
    assert {name.lower() for name in MESSAGE_METHODS} == RATE_LIMITED_METHODS


async def test_burst_beyond_the_limit_gets_429(http: aiohttp.ClientSession) -> None:
    emu = await started(rate_limit=30, chats=40)
    try:
        chats = range(FIRST_CHAT, FIRST_CHAT + 40)
        answers = await asyncio.gather(*(send(http, emu, chat) for chat in chats))
        refused = [a for a in answers if not a["ok"]]
        assert len(refused) == 10  # all 40 arrive within one second: 30 pass
        for answer in refused:
            assert answer["error_code"] == 429
            assert answer["description"] == "Too Many Requests: retry after 1"
            assert answer["parameters"] == {"retry_after": 1}
        async with EmulatorClient(emu.url, TOKEN) as client:
            stats = await client.stats()
        assert stats["messages"] == 30
        assert stats["rate_limited"] == 10
        # Not a message call: outside the limit, and not counted.
        async with http.get(f"{emu.url}/bot{TOKEN}/getMe") as response:
            assert response.status == 200
        # aiogram sees Telegram's flood error, with its retry_after.
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.url)))
        try:
            with pytest.raises(TelegramRetryAfter) as caught:
                await bot.send_message(FIRST_CHAT, "one more")
            assert caught.value.retry_after == 1
        finally:
            await bot.session.close()
        assert emu.stats()["rate_limited"] == 11
    finally:
        await emu.stop()


async def test_spaced_calls_within_the_limit_pass(http: aiohttp.ClientSession) -> None:
    emu = await started(rate_limit=30, chats=30)
    try:
        begin = time.monotonic()
        for i, chat in enumerate(range(FIRST_CHAT, FIRST_CHAT + 30)):
            await asyncio.sleep(max(0.0, begin + i * 0.04 - time.monotonic()))
            assert (await send(http, emu, chat))["ok"]
        assert time.monotonic() - begin > 1.0
        assert emu.stats() == {
            "messages": 30,
            "rate_limited": 0,
            "rate_limit": 30,
            "group_rate_limited": 0,
        }
    finally:
        await emu.stop()


async def test_off_by_default(http: aiohttp.ClientSession) -> None:
    emu = await started(rate_limit=None, chats=40)
    try:
        chats = range(FIRST_CHAT, FIRST_CHAT + 40)
        answers = await asyncio.gather(*(send(http, emu, chat) for chat in chats))
        assert all(a["ok"] for a in answers)
        async with http.get(f"{emu.url}/_emu/{TOKEN}/stats") as response:
            assert await response.json() == {
                "messages": 40,
                "rate_limited": 0,
                "rate_limit": None,
                "group_rate_limited": 0,
            }
    finally:
        await emu.stop()


def test_rate_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Emulator(rate_limit=0)


async def test_a_group_gets_429_past_its_per_minute_limit(http: aiohttp.ClientSession) -> None:
    # Telegram's 20 a minute to one group, the minute shrunk to 0.5 s; other chats unaffected.
    emu = Emulator(group_rate_limit=20, group_window=0.5)
    await emu.start()
    try:
        group = -1001000000077
        async with EmulatorClient(emu.url, TOKEN) as control:
            await control.create_group(group, "Staff")
        answers = [await send(http, emu, group) for _ in range(21)]
        assert all(a["ok"] for a in answers[:20])
        assert answers[20]["error_code"] == 429 and answers[20]["parameters"]["retry_after"] >= 1
        assert emu.stats()["group_rate_limited"] == 1
        await asyncio.sleep(0.5)  # the window itself is what is tested: it must pass
        assert (await send(http, emu, group))["ok"]
    finally:
        await emu.stop()
