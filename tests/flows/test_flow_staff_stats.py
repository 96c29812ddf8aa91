"""/stats names each status of the foster applications in the staff's language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aiogram import Bot, Dispatcher

from bot.config import Settings
from bot.emulator.client import EmulatorClient
from tests.support.chat import Chat
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.foster import WORDS, fill_application

SUBMITTED = {"kk": "• жіберілді — 1", "ru": "• отправлена — 1"}


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_stats_name_application_statuses_in_words(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    app: tuple[Dispatcher, Bot],
    settings: Settings,
    language: str,
) -> None:
    dispatcher, bot = app
    dispatcher["settings"] = settings.model_copy(update={"staff_language": language})
    chat = chat_with(user_id=8801, language_code="ru")
    review = (await fill_application(chat, "ru"))[-1]
    await chat.press(review, WORDS["ru"]["submit"])
    admin = client.user(ADMIN, "Айгерим", language_code="ru")
    await dispatcher.feed_raw_update(bot, await admin.send("/stats", chat_id=STAFF_CHAT))
    shown = "\n".join(m.text or "" for m in await client.messages(STAFF_CHAT) if m.from_bot)
    assert SUBMITTED[language] in shown
    assert "submitted" not in shown
