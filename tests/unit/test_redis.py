"""REDIS_URL: FSM state and per-user locks in Redis, shared by several bot instances.

CI runs Redis on 127.0.0.1:6379 (`.ci/run` starts it if it is down). Elsewhere these tests say
plainly that they were skipped and why.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis import exceptions as redis_errors
from redis.asyncio import Redis

from bot.app import Resources, create_fsm
from bot.config import Settings
from bot.emulator.client import BotMessage, EmulatorClient
from bot.emulator.server import Emulator
from bot.middlewares.inbox import replay_unfinished
from storage import inbox
from storage.coordination import Coordination
from tests.support.app import start_app, stop_app
from tests.support.backends import REDIS_URL
from tests.support.chat import Chat
from tests.support.databases import redis_or_skip


@pytest.fixture
async def redis_url() -> str:
    await (await redis_or_skip()).aclose()
    return REDIS_URL


async def test_redis_url_switches_the_fsm_and_the_locks(
    settings: Settings, resources: Resources, redis_url: str
) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    storage, isolation = create_fsm(
        settings.model_copy(update={"redis_url": redis_url}), resources.sessionmaker, prefix=prefix
    )
    assert isinstance(storage, RedisStorage) and isinstance(isolation, RedisEventIsolation)
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    await storage.set_state(key, "Mother:place")
    await storage.set_data(key, {"flow_id": "abc"})
    assert await storage.get_state(key) == "Mother:place"
    await storage.redis.delete(*[k async for k in storage.redis.scan_iter(f"{prefix}:*")])
    await storage.close()
    without, _ = create_fsm(settings, resources.sessionmaker)
    assert not isinstance(without, RedisStorage)  # no REDIS_URL: the database


async def test_a_burst_of_people_waits_for_redis_connections_instead_of_failing(
    settings: Settings, resources: Resources, redis_url: str
) -> None:
    """A campaign post: 400 people write at once. Each one's lock, state and case lock wait
    their turn for a Redis connection; none fails with "Too many connections" (redis-py's
    default pool refuses the 101st command in flight: those updates waited minutes for the
    inbox's replay)."""
    prefix = f"test-{uuid.uuid4().hex}"
    shared = settings.model_copy(update={"redis_url": redis_url})
    storage, isolation = create_fsm(shared, resources.sessionmaker, prefix=prefix)
    coordination = Coordination.from_url(redis_url, prefix=prefix)

    async def step(person: int) -> str | None:
        key = StorageKey(bot_id=1, chat_id=person, user_id=person)
        async with isolation.lock(key), coordination.lock(f"case:{person}"):
            await storage.set_state(key, "Mother:place")
            return await storage.get_state(key)

    try:
        states = await asyncio.gather(*(step(20_000 + n) for n in range(400)))
        assert states == ["Mother:place"] * 400
    finally:
        await storage.redis.delete(*[k async for k in storage.redis.scan_iter(f"{prefix}:*")])
        await storage.close()
        assert coordination.redis is not None
        await coordination.redis.aclose()


async def _instance(
    settings: Settings, resources: Resources, prefix: str
) -> tuple[Dispatcher, Bot, RedisStorage]:
    storage, isolation = create_fsm(settings, resources.sessionmaker, prefix=prefix)
    assert isinstance(storage, RedisStorage)
    dispatcher, bot = await start_app(
        settings, resources, fsm_storage=storage, events_isolation=isolation
    )
    return dispatcher, bot, storage


async def _step(
    shared: Settings,
    resources: Resources,
    prefix: str,
    action: Callable[[Dispatcher, Bot], Awaitable[list[BotMessage]]],
) -> list[BotMessage]:
    """One step of the conversation on a brand-new instance: nothing is kept in memory."""
    dispatcher, bot, storage = await _instance(shared, resources, prefix)
    try:
        return await action(dispatcher, bot)
    finally:
        await stop_app(dispatcher, bot)
        await storage.close()


async def test_a_conversation_moves_between_instances(
    settings: Settings,
    resources: Resources,
    emulator: Emulator,
    client: EmulatorClient,
    redis_url: str,
) -> None:
    """Each step lands on another instance (as behind a load balancer): the flow goes on,
    because its state is in Redis and its data in the shared database."""
    prefix = f"test-{uuid.uuid4().hex}"
    # A prefix of its own: the emulator numbers updates the same way each run, and a handled
    # update is remembered in Redis (dedup) for two days.
    shared = settings.model_copy(
        update={"redis_url": redis_url, "redis_prefix": prefix, "telegram_api_url": emulator.url}
    )
    user = client.user(9950, "Aru", language_code="en")

    def chat(dispatcher: Dispatcher, bot: Bot) -> Chat:
        return Chat(user, dispatcher, bot)

    [menu] = await _step(shared, resources, prefix, lambda d, b: chat(d, b).send("/start"))
    [safety] = await _step(
        shared, resources, prefix, lambda d, b: chat(d, b).press(menu, "🤱 I need help")
    )
    *_, place = await _step(
        shared, resources, prefix, lambda d, b: chat(d, b).press(safety, "✅ I'm safe for now")
    )
    assert "Where are you now?" in place.text  # the state set on one instance, read on another

    async def location(dispatcher: Dispatcher, bot: Bot) -> list:
        return await chat(dispatcher, bot).do(await user.send_location(49.80, 73.09))

    houses = await _step(shared, resources, prefix, location)
    assert any("Mothers' houses nearest to you" in (m.text or "") for m in houses)
    redis = Redis.from_url(redis_url)
    await redis.delete(*[key async for key in redis.scan_iter(f"{prefix}:*")])
    await redis.aclose()


async def test_redis_not_answering_inside_a_handler_leaves_the_update_for_a_replay(
    app: tuple[Dispatcher, Bot], chat_with: Callable[..., Chat], resources: Resources
) -> None:
    """No connection free in Redis' pool within its wait (or Redis restarting) while her update
    is handled: like a busy database, the update stays unfinished and the replay answers it.
    It was marked done as if it were a bug, and she never got her answer."""
    dispatcher, bot = app
    refusing = [True]

    async def redis_away(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        if refusing[0]:
            raise redis_errors.ConnectionError("No connection available.")
        return await handler(event, data)

    dispatcher.message.outer_middleware(redis_away)
    chat = chat_with(user_id=9061, language_code="en")
    update = await chat.user.send("/start")
    async with resources.sessionmaker() as session:
        await inbox.store(session, bot.id, [update])  # as the recorder does
        await session.commit()
    await dispatcher.feed_raw_update(bot, update)  # she is told something went wrong
    async with resources.sessionmaker() as session:
        assert [row[0] for row in await inbox.unfinished(session, bot.id, None)] == [
            update["update_id"]
        ]
    refusing[0] = False
    assert await replay_unfinished(dispatcher, bot, resources.sessionmaker) == 1
    assert (await chat.user.bot_messages())[-1].text.startswith("Hello!")
