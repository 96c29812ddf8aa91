"""Flood control: one person's flood reaches the staff grouped, keeps every word, and slows
neither another mother's relay nor the emergency numbers, at Telegram's real limits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Resources, create_bot
from bot.config import Settings
from bot.emulator.client import BotMessage, EmulatorClient
from bot.emulator.server import Emulator
from bot.follow_ups.ticker import create_runner
from storage.models import Case, MessageLink, utcnow
from tests.support.chat import Chat
from tests.support.constants import STAFF_CHAT
from tests.support.mother import handed_off
from tests.support.staff import Workspace

FLOOD = 80


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """Telegram's own refusal: a 429 for a 21st message to one group within a minute."""
    emu = Emulator(group_rate_limit=20, group_window=60)
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
async def real_bot(
    settings: Settings, resources: Resources, emulator: Emulator
) -> AsyncIterator[Bot]:
    """The same bot, with Telegram's real limits (the flows before it ran at full speed)."""
    real = settings.model_copy(
        update={"telegram_api_url": emulator.url, "telegram_limits_scale": 1.0}
    )
    bot = create_bot(real, resources.sessionmaker)
    yield bot
    await bot.session.close()


async def _case_of(resources: Resources, user_id: int) -> Case:
    async with resources.sessionmaker() as session:
        return (await session.scalars(select(Case).where(Case.user_id == user_id))).one()


async def _in_thread(client: EmulatorClient, case: Case) -> list[BotMessage]:
    return [
        m
        for m in await client.messages(STAFF_CHAT)
        if m.from_bot and m.thread_id == case.thread_id and m.message_id != case.card_message_id
    ]


def _long_text(number: int) -> str:
    words = f"№{number:02d} " + "мне нужна помощь, " * 200
    return words[:3000]


async def _flood(
    chat: Chat, dispatcher: Dispatcher, bot: Bot, halfway: asyncio.Event | None = None
) -> None:
    for number in range(FLOOD):
        await dispatcher.feed_raw_update(bot, await chat.user.send(_long_text(number)))
        if halfway is not None and number == FLOOD // 2:
            halfway.set()


async def test_a_flood_reaches_staff_grouped_whole_and_does_not_delay_another_mother(
    workspace: Workspace, chat_with: Callable[..., Chat], settings: Settings, real_bot: Bot
) -> None:
    dispatcher, _ = workspace.admin.app
    client, resources = workspace.client, workspace.resources
    flooder, other = chat_with(user_id=8301), chat_with(user_id=8302)
    await handed_off(flooder)
    await handed_off(other)
    flood_case, other_case = await _case_of(resources, 8301), await _case_of(resources, 8302)
    replies_before = len(await flooder.user.bot_messages())
    thread_before = len(await _in_thread(client, flood_case))

    halfway = asyncio.Event()
    flooding = asyncio.create_task(_flood(flooder, dispatcher, real_bot, halfway))
    await halfway.wait()  # well into her flood
    started = time.monotonic()
    await dispatcher.feed_raw_update(real_bot, await other.user.send("Я у больницы, жду"))
    assert time.monotonic() - started < 1.0  # her relay did not wait behind the flood
    assert (await _in_thread(client, other_case))[-1].text == "Я у больницы, жду"
    await flooding

    # Her phone got a few replies, not eighty; the staff a few messages, not eighty.
    assert len(await flooder.user.bot_messages()) - replies_before <= 6
    direct = (await _in_thread(client, flood_case))[thread_before:]
    assert 1 <= len(direct) <= settings.flood_burst
    async with resources.sessionmaker() as session:
        kept = list(
            await session.scalars(
                select(MessageLink).where(
                    MessageLink.case_id == flood_case.id, MessageLink.from_staff.is_(False)
                )
            )
        )
    assert len([link for link in kept if link.kind == "text"]) >= FLOOD  # all stored at once

    # When the window ends, the rest arrive together: one file with every word.
    runner = create_runner(real_bot, dispatcher, resources, settings)
    await runner.tick(utcnow() + timedelta(minutes=2))
    grouped = (await _in_thread(client, flood_case))[thread_before + len(direct) :]
    [file] = grouped
    assert file.kind == "document" and f"({FLOOD - len(direct)})" in file.text
    words = await client.file_text(file.raw["document"]["file_id"])
    relayed = [m.text for m in direct]
    for number in range(FLOOD):
        assert _long_text(number) in words or _long_text(number) in relayed
    assert (await client.stats())["group_rate_limited"] == 0  # Telegram never refused
    await runner.tick(utcnow() + timedelta(minutes=4))
    assert len(await _in_thread(client, flood_case)) == thread_before + len(direct) + 1  # once


async def test_emergency_during_a_flood_answers_at_once(
    app: tuple[Dispatcher, Bot], chat_with: Callable[..., Chat], real_bot: Bot
) -> None:
    dispatcher, _ = app
    mother = chat_with(user_id=8303)
    await handed_off(mother)
    await _flood(mother, dispatcher, real_bot)
    started = time.monotonic()
    await dispatcher.feed_raw_update(real_bot, await mother.user.send("/emergency"))
    assert time.monotonic() - started < 0.5
    assert "112" in (await mother.user.bot_messages())[-1].text


async def test_live_location_moves_get_no_replies_and_are_not_relayed(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    mother = chat_with(user_id=8304)
    await handed_off(mother)
    case = await _case_of(resources, 8304)
    [ack] = await mother.do(await mother.user.send_live_location(43.25, 76.95))
    assert "Передано" in ack.text
    shared = mother.user.last_message_id
    relayed = len(await _in_thread(client, case))
    for step in range(30):
        assert (
            await mother.do(await mother.user.move_live_location(shared, 43.25 + step / 1e4, 76.95))
            == []
        )
    assert len(await _in_thread(client, case)) == relayed
