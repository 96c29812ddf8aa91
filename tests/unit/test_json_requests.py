"""The bot's requests go to the Bot API as JSON bodies (bot/middlewares/json_requests.py): the
same parameters aiogram's form carried, nested objects as objects; uploads stay multipart."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import web

from bot.emulator import Emulator, EmulatorClient
from bot.middlewares.limits import Limits, TelegramLimits
from tests.support.local_server import local_server
from tests.support.requests import FastLimitedSession

TOKEN = "42:JSON"
USER = 5101

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Мен қауіпсізбін", callback_data="mo:safe")]]
)


@asynccontextmanager
async def bot_at(base_url: str) -> AsyncIterator[Bot]:
    """The bot's own session (limits, JSON bodies) against `base_url`, closed afterwards."""
    session = FastLimitedSession(
        TelegramLimits(Limits(window_scale=0.01)), api=TelegramAPIServer.from_base(base_url)
    )
    bot = Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
async def captured() -> AsyncIterator[tuple[str, list[tuple[str, bytes]]]]:
    """A server that records each request's content type and body, and answers as Telegram."""
    seen: list[tuple[str, bytes]] = []

    async def answer(request: web.Request) -> web.Response:
        seen.append((request.content_type, await request.read()))
        message = {"message_id": 1, "date": 0, "chat": {"id": USER, "type": "private"}}
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_post("/{path:.*}", answer)
    async with local_server(app) as url:
        yield url, seen


async def test_a_message_goes_as_json_with_its_keyboard_as_an_object(
    captured: tuple[str, list[tuple[str, bytes]]],
) -> None:
    url, seen = captured
    async with bot_at(url) as bot:
        await bot.send_message(
            USER, "Сәлем <b>&amp;</b>", reply_markup=KEYBOARD, disable_notification=False
        )
    [(content_type, body)] = seen
    assert content_type == "application/json"
    sent: dict[str, Any] = json.loads(body)
    assert sent["chat_id"] == USER
    assert sent["text"] == "Сәлем <b>&amp;</b>"
    assert sent["parse_mode"] == "HTML"  # the bot's default, resolved as aiogram's form does
    assert sent["disable_notification"] is False  # a false flag is sent, not dropped
    assert sent["reply_markup"] == {
        "inline_keyboard": [[{"text": "Мен қауіпсізбін", "callback_data": "mo:safe"}]]
    }
    assert "reply_parameters" not in sent  # absent parameters stay absent


async def test_an_upload_still_goes_as_a_multipart_form(
    captured: tuple[str, list[tuple[str, bytes]]],
) -> None:
    url, seen = captured
    async with bot_at(url) as bot:
        await bot.send_document(USER, BufferedInputFile(b"a;b\n1;2\n", "cases.csv"))
    [(content_type, body)] = seen
    assert content_type == "multipart/form-data"
    assert b'filename="cases.csv"' in body
    assert b"a;b\n1;2\n" in body


async def test_the_emulator_takes_json_messages_and_uploads_alike(emulator: Emulator) -> None:
    async with EmulatorClient(emulator.url, TOKEN) as control:
        await control.user(USER, "Aigerim").send("/start")  # opens the private chat
        async with bot_at(emulator.url) as bot:
            await bot.send_message(USER, "<b>Сәлем</b>", reply_markup=KEYBOARD)
            await bot.send_document(USER, BufferedInputFile(b"x", "note.txt"), caption="файл")
        sent = [m for m in await control.messages(USER) if m.from_bot]
    assert len(sent) == 2
    assert sent[0].text == "Сәлем"
    assert sent[0].reply_markup == KEYBOARD.model_dump(exclude_none=True)
