"""At DEBUG, the logs of a whole mother's flow carry ids: never her name, phone or words."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bot.emulator.client import EmulatorClient
from tests.support.chat import Chat
from tests.support.mother import handed_off

NAME = "Айгуль"  # the Telegram name `chat_with` gives her
PHONE = "77012345678"  # shared by _at_the_note as +77012345678
NOTE = "Нужна коляска и памперсы"
LATER = "Я у вокзала, он ищет меня"


async def test_debug_logs_of_a_mother_flow_hold_no_name_phone_or_words(
    chat_with: Callable[..., Chat], client: EmulatorClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = chat_with(user_id=7401, language_code="ru")
    done = await handed_off(chat)
    assert "передано" in done[-1].text
    [ack] = await chat.send(LATER)
    assert "Передано сотрудникам" in ack.text
    assert logging.getLogger().getEffectiveLevel() == logging.DEBUG
    lines = [record for record in caplog.records if not record.name.startswith("bot.emulator")]
    assert any(record.name == "aiogram.event" for record in lines)  # the capture saw the bot
    text = "\n".join(
        f"{record.name}: {record.getMessage()}\n{record.exc_text or ''}" for record in lines
    )
    for personal in (NAME, PHONE, NOTE, LATER):
        assert personal not in text, f"{personal!r} logged"
