"""MAX_CONCURRENT_UPDATES: a burst is stored and acknowledged at once and handled a few updates
at a time; an update waiting for Telegram's limits leaves its slot to the next one. Unbounded,
a campaign's burst started hundreds of handlers at once, which ran Redis' and the database's
connection pools dry and failed the updates beyond them (bench.two_bots)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiogram import BaseMiddleware, Bot, Dispatcher
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient, UserClient
from bot.emulator.server import Emulator
from bot.middlewares.inbox import SECRET_HEADER, InboxRequestHandler
from bot.middlewares.limits import limits_of
from bot.middlewares.slots import UpdateSlots
from storage import inbox
from tests.support.app import start_app, stop_app

SECRET = "burst-secret"
PEOPLE = 10


class _Gate(BaseMiddleware):
    """Holds each update inside its handling until the test opens it; counts who is inside."""

    def __init__(self) -> None:
        self.inside = 0
        self.most_inside = 0
        self.open = asyncio.Event()

    async def __call__(self, handler: Any, event: Any, data: dict[str, Any]) -> Any:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        try:
            await self.open.wait()
            return await handler(event, data)
        finally:
            self.inside -= 1


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + 30  # a failure's bound: the check ends it
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"not reached: {what}"
        await asyncio.sleep(0.01)


async def _greeted(person: UserClient) -> bool:
    return any(m.text.startswith("Hello!") for m in await person.bot_messages())


def _gated_webhook(
    dispatcher: Dispatcher, bot: Bot, resources: Resources
) -> tuple[_Gate, InboxRequestHandler, web.Application]:
    """The webhook's handler on a web app of its own, every update held at a closed gate."""
    gate = _Gate()
    dispatcher.update.outer_middleware(gate)
    handler = InboxRequestHandler(dispatcher, bot, resources.sessionmaker, secret_token=SECRET)
    webapp = web.Application()
    webapp.router.add_post("/hook", handler.handle)
    return gate, handler, webapp


@pytest.fixture
async def capped(
    settings: Settings, resources: Resources, emulator: Emulator, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[Dispatcher, Bot, UpdateSlots]]:
    """The real dispatcher with MAX_CONCURRENT_UPDATES set to the test's parameter."""
    cap = settings.model_copy(
        update={"telegram_api_url": emulator.url, "max_concurrent_updates": request.param}
    )
    dispatcher, bot = await start_app(cap, resources)
    yield dispatcher, bot, dispatcher["update_slots"]
    await stop_app(dispatcher, bot)


@pytest.mark.parametrize("capped", [3], indirect=True)
async def test_a_burst_is_stored_at_once_and_handled_a_few_at_a_time(
    capped: tuple[Dispatcher, Bot, UpdateSlots], client: EmulatorClient, resources: Resources
) -> None:
    dispatcher, bot, slots = capped
    gate, _, webapp = _gated_webhook(dispatcher, bot, resources)
    people = [client.user(7100 + n, "Aru", language_code="en") for n in range(PEOPLE)]
    async with TestClient(TestServer(webapp)) as http:
        for person in people:
            update = await person.send("/start")
            answer = await http.post("/hook", json=update, headers={SECRET_HEADER: SECRET})
            assert answer.status == 200  # stored and acknowledged, though none is handled yet

        async def queued() -> bool:
            return gate.inside == 3 and slots.waiting == PEOPLE - 3

        await _until(queued, "three handled, seven waiting")
        assert gate.most_inside == 3  # (once open, one waiting for Telegram may let a 4th in)
        gate.open.set()

        async def everyone_finished() -> bool:
            async with resources.sessionmaker() as session:
                unfinished = await inbox.unfinished(session, bot.id, None)
            return not unfinished and all([await _greeted(p) for p in people])

        await _until(everyone_finished, "every person greeted, every update marked done")
    assert slots.waiting == 0 and slots.held == 0


@pytest.mark.parametrize("capped", [1], indirect=True)
async def test_an_update_waiting_for_telegrams_limits_leaves_its_slot_to_the_next(
    capped: tuple[Dispatcher, Bot, UpdateSlots], client: EmulatorClient
) -> None:
    """One slot. Aru's greeting has to wait its turn in her chat (held here, as a slow earlier
    message would): meanwhile Dana, another person, is answered. Held slots would keep
    everyone, an emergency tap included, behind a busy chat or a staff group's 20 a minute."""
    dispatcher, bot, slots = capped
    aru = client.user(7200, "Aru", language_code="en")
    dana = client.user(7201, "Dana", language_code="en")
    limits = limits_of(bot)
    assert limits is not None
    her_chat = limits._slot(7200)  # her chat's requests, in order
    her_chat.users += 1  # an earlier request to her chat, still going
    await her_chat.lock.acquire()
    aru_start = asyncio.create_task(dispatcher.feed_raw_update(bot, await aru.send("/start")))

    async def aru_waits_without_a_slot() -> bool:
        return her_chat.users == 2 and slots.held == 0

    await _until(aru_waits_without_a_slot, "Aru's greeting waiting for her chat's turn")
    assert slots.held == 0
    await asyncio.wait_for(dispatcher.feed_raw_update(bot, await dana.send("/start")), 30)
    assert await _greeted(dana) and not await _greeted(aru)
    her_chat.lock.release()
    her_chat.users -= 1
    await asyncio.wait_for(aru_start, 30)
    assert await _greeted(aru)
    assert slots.held == 0 and slots.waiting == 0


@pytest.mark.parametrize("capped", [1], indirect=True)
async def test_stopping_leaves_the_queued_updates_stored_for_the_next_start(
    capped: tuple[Dispatcher, Bot, UpdateSlots], client: EmulatorClient, resources: Resources
) -> None:
    """A webhook instance stops with one update in hand and two waiting for the slot: the one
    in hand finishes, the two waiting are not run against a closing session (they would fail
    and be marked done, lost); they stay stored, unfinished, for the next start's replay."""
    dispatcher, bot, slots = capped
    gate, handler, webapp = _gated_webhook(dispatcher, bot, resources)
    people = [client.user(7300 + n, "Aru", language_code="en") for n in range(3)]
    ids = []
    async with TestClient(TestServer(webapp)) as http:
        for person in people:
            update = await person.send("/start")
            ids.append(update["update_id"])
            await http.post("/hook", json=update, headers={SECRET_HEADER: SECRET})

        async def one_in_hand_two_queued() -> bool:
            return gate.inside == 1 and slots.waiting == 2

        await _until(one_in_hand_two_queued, "one handled, two waiting")
        stopping = asyncio.create_task(handler._handle_close())

        async def queue_given_up() -> bool:
            return slots.waiting == 0

        await _until(queue_given_up, "the waiting updates given up")
        gate.open.set()
        await asyncio.wait_for(stopping, 30)
    assert await _greeted(people[0])
    assert not await _greeted(people[1]) and not await _greeted(people[2])
    async with resources.sessionmaker() as session:
        unfinished = [row[0] for row in await inbox.unfinished(session, bot.id, None)]
    assert unfinished == ids[1:]
