"""A late second tap asks Telegram to show what a message already shows: success, not an error."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Resources
from bot.emulator.client import EmulatorClient
from storage.models import Application
from tests.support.chat import Chat
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.foster import WORDS, fill_application


async def test_a_double_tap_on_an_application_status_is_no_error(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    app: tuple[Dispatcher, Bot],
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = chat_with(user_id=8701, language_code="ru")
    review = (await fill_application(chat, "ru"))[-1]
    await chat.press(review, WORDS["ru"]["submit"])
    [card] = [m for m in await client.messages(STAFF_CHAT) if m.from_bot]
    admin = client.user(ADMIN, "Айгерим", language_code="ru")
    data = card.button_data("📞 Связались")
    dispatcher, bot = app
    caplog.set_level(logging.WARNING)
    await dispatcher.feed_raw_update(bot, await admin.press(card, data=data, chat_id=STAFF_CHAT))
    # The same tap again, arriving late from a slow phone: the card already shows it.
    await dispatcher.feed_raw_update(
        bot, await admin.press(card, data=data, forge=True, chat_id=STAFF_CHAT)
    )
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert all(a["answered"] for a in await client.callback_answers())
    async with resources.sessionmaker() as session:
        assert (await session.scalars(select(Application))).one().status == "contacted"
    card = await client.message(STAFF_CHAT, card.message_id)
    assert "📞 Связались" not in card.button_texts
