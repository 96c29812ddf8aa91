"""Telegram's limits shared through Redis: two instances of the bot (two sessions, two limiters,
two Redis clients, as two processes have) together keep one token's budget."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer

from bot.app import create_bot
from bot.config import Settings
from bot.emulator import Emulator, EmulatorClient
from bot.middlewares.limits import LimitedSession, Limits, TelegramLimits, limits_of
from storage.shared_limits import SharedLimits
from tests.support.backends import REDIS_URL
from tests.support.databases import redis_prefix
from tests.support.requests import SentRequests
from tests.support.windows import max_in_window

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
TOKEN = "123456:SHARED-token"
GROUP = -100700


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are dropped afterwards."""
    async with redis_prefix("test-shared") as name:
        yield name


@pytest.fixture
async def control(emulator: Emulator) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emulator.url, TOKEN) as client:
        await client.create_group(GROUP, "Staff")
        yield client


class Instances:
    """Bots of one token, each with its own session, limiter and Redis client."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.bots: list[Bot] = []
        self.sent = SentRequests()  # every instance's requests, on the loop's clock

    def start(self, limits: Limits, redis_url: str | None, prefix: str) -> Bot:
        shared = SharedLimits.from_url(redis_url, prefix) if redis_url else None
        session = LimitedSession(
            TelegramLimits(limits, shared=shared),
            api=TelegramAPIServer.from_base(self.emulator.url),
        )
        session.middleware(self.sent)
        bot = Bot(TOKEN, session=session)
        self.bots.append(bot)
        return bot


@pytest.fixture
async def instances(emulator: Emulator) -> AsyncIterator[Instances]:
    made = Instances(emulator)
    yield made
    for bot in made.bots:
        await bot.session.close()


async def test_two_instances_keep_the_global_budget_together(
    control: EmulatorClient, instances: Instances, prefix: str
) -> None:
    limits = Limits(per_second=30, window_scale=0.2)  # 30 per 0.2 s for the token
    window = limits.window_scale
    users = list(range(3001, 3121))
    await asyncio.gather(*(control.user(uid).send("/start") for uid in users))
    first = instances.start(limits, REDIS_URL, prefix)
    second = instances.start(limits, REDIS_URL, prefix)
    # Each instance sends to half of the people, both at once, as fast as they are allowed.
    await asyncio.gather(
        *(
            bot.send_message(uid, f"to {uid}")
            for bot, uid in zip([first, second] * 60, users, strict=True)
        )
    )

    calls = await control.calls("sendMessage")
    assert sorted(int(c["params"]["chat_id"]) for c in calls if c["ok"]) == users
    # Together, never more than the token's budget in any window (each alone would send 30).
    assert max_in_window(instances.sent.times(), window) <= 30
    seen = sorted(c["time"] for c in calls)
    assert max_in_window(seen, window) <= 30
    # And the budget is used: 120 at 30 a window take about three windows after the first.
    assert seen[-1] - seen[0] >= (120 - 30) / 30 * window * 0.95


async def test_two_instances_keep_a_groups_budget_together(
    control: EmulatorClient, instances: Instances, prefix: str
) -> None:
    limits = Limits(group_per_minute=20, window_scale=0.01)  # 20 per 0.6 s for the group
    window = 60 * limits.window_scale
    first = instances.start(limits, REDIS_URL, prefix)
    second = instances.start(limits, REDIS_URL, prefix)
    await asyncio.gather(
        *(
            bot.send_message(GROUP, f"{n}-{i}")
            for n, bot in enumerate([first, second])
            for i in range(25)
        )
    )

    calls = await control.calls("sendMessage")
    assert sum(c["ok"] for c in calls) == 50
    assert max_in_window(instances.sent.times(), window) <= 20
    # Each instance's own messages still reach the group in the order they were sent.
    texts = [m.text or "" for m in await control.messages(GROUP) if m.from_bot]
    for n in (0, 1):
        assert [t for t in texts if t.startswith(f"{n}-")] == [f"{n}-{i}" for i in range(25)]


async def test_without_redis_each_instance_keeps_its_own_windows(
    control: EmulatorClient, instances: Instances, prefix: str
) -> None:
    limits = Limits(group_per_minute=20, window_scale=0.01)
    window = 60 * limits.window_scale
    bot = instances.start(limits, None, prefix)
    await asyncio.gather(*(bot.send_message(GROUP, f"m{i}") for i in range(25)))
    assert max_in_window(instances.sent.times(), window) <= 20
    assert limits_of(bot) is not None and limits_of(bot).shared is None  # type: ignore[union-attr]


async def test_a_redis_failure_falls_back_to_the_local_windows(
    control: EmulatorClient,
    instances: Instances,
    prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    limits = Limits(group_per_minute=20, window_scale=0.01)
    window = 60 * limits.window_scale
    bot = instances.start(limits, DEAD_REDIS_URL, prefix)
    with caplog.at_level(logging.WARNING):
        await asyncio.gather(*(bot.send_message(GROUP, f"secret {i}") for i in range(25)))

    texts = [m.text for m in await control.messages(GROUP) if m.from_bot]
    assert texts == [f"secret {i}" for i in range(25)]  # sending did not stop
    assert max_in_window(instances.sent.times(), window) <= 20  # this process' window still holds
    warnings = [r.getMessage() for r in caplog.records if r.name == "storage.shared_limits"]
    assert len(warnings) == 1 and "redis unavailable" in warnings[0]  # once, not per message
    assert all("secret" not in w and str(GROUP) not in w for w in warnings)


async def test_create_bot_shares_the_limits_when_redis_url_is_set(settings: Settings) -> None:
    with_redis = create_bot(settings.model_copy(update={"redis_url": REDIS_URL}), None, TOKEN)  # type: ignore[arg-type]
    without = create_bot(settings.model_copy(update={"redis_url": None}), None, TOKEN)  # type: ignore[arg-type]
    try:
        assert limits_of(with_redis).shared is not None  # type: ignore[union-attr]
        assert limits_of(without).shared is None  # type: ignore[union-attr]
    finally:
        await with_redis.session.close()
        await without.session.close()
