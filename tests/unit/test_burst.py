"""A burst of cases to one staff group: Telegram lets a group receive 20 messages a minute.

The emulator here enforces that limit itself (a 429 for the 21st message to a group in any
sliding minute), with every window shrunk by SCALE so the test takes seconds. Sixty mothers
hand off at the same moment through the real dispatcher; each gets her case number at once,
and every card reaches the group, once, without a single 429.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient
from bot.emulator.server import Emulator
from bot.follow_ups.ticker import create_runner
from storage.models import Case, FollowUp
from tests.support.chat import Chat
from tests.support.constants import STAFF_CHAT
from tests.support.mother import LABELS, at_the_note

SCALE = 0.02  # a minute lasts 1.2 s; the bot's 2% margin is 24 ms, above loopback jitter
MOTHERS = 60


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token="123456:TEST-token",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'anabot.db'}",
        staff_chat_id=STAFF_CHAT,
        admin_ids=(900001,),
        telegram_limits_scale=SCALE,
    )


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator(group_rate_limit=20, group_window=60 * SCALE)
    await emu.start()
    yield emu
    await emu.stop()


async def test_a_burst_of_sixty_cases_reaches_the_group_complete_and_within_its_limit(
    app: tuple[Dispatcher, Bot],
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    settings: Settings,
) -> None:
    dispatcher, bot = app
    mothers = [chat_with(user_id=30_000 + i) for i in range(MOTHERS)]
    ready = await asyncio.gather(*(at_the_note(mother) for mother in mothers))
    # The last taps at the same moment: sixty cases within a second or two.
    no_note = LABELS["ru"]["no_note"]
    answers = await asyncio.gather(
        *(mother.tap(steps, no_note) for mother, steps in zip(mothers, ready, strict=True))
    )

    # Each mother has her case number without waiting for the group's queue.
    async with resources.sessionmaker() as session:
        cases = {case.user_id: case for case in await session.scalars(select(Case))}
        queued = set(
            await session.scalars(select(FollowUp.case_id).where(FollowUp.kind == "case_alert"))
        )
    assert len(cases) == MOTHERS
    for mother, answer in zip(mothers, answers, strict=True):
        case = cases[mother.user.user_id]
        assert any(f"№ {case.id}" in (m.text or "") for m in answer)
    # Ten cards (20 messages) go at once; the rest waited in the queue, not in her chat.
    assert len(queued) >= 3

    runner = create_runner(bot, dispatcher, resources, settings)
    await asyncio.wait_for(runner.tick(), timeout=60)

    posts = [m for m in await client.messages(STAFF_CHAT) if m.from_bot and m.kind != "service"]
    cards = [m for m in posts if "Take" in m.button_texts or "Взять" in " ".join(m.button_texts)]
    numbers = sorted(int(m.text.split("№ ")[1].split()[0]) for m in cards)
    assert numbers == sorted(case.id for case in cases.values())  # every case once
    async with resources.sessionmaker() as session:
        assert all(case.card_message_id for case in await session.scalars(select(Case)))

    # One message announced the queued burst at once, listing every queued case.
    [notice] = [m for m in posts if "Сразу" in (m.text or "")]
    missing = [number for number in queued if f"№ {number} ·" not in notice.text]
    assert not missing, notice.text
    assert (await client.stats())["group_rate_limited"] == 0  # Telegram never had to refuse
