"""Webhook mode under a burst: every update is stored and answered 200 at once, and at most
MAX_CONCURRENT_UPDATES are handled at a time; the rest wait their turn and are all handled.
Unbounded, a campaign's burst started hundreds of handlers at once, which ran Redis' and the
database's connection pools dry and failed the updates beyond them (bench.two_bots)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Resources
from bot.emulator.client import EmulatorClient
from bot.middlewares.inbox import SECRET_HEADER, InboxRequestHandler
from storage import inbox

SECRET = "burst-secret"
AT_ONCE = 3
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


async def test_a_burst_is_stored_at_once_and_handled_a_few_at_a_time(
    app: tuple[Dispatcher, Bot], client: EmulatorClient, resources: Resources
) -> None:
    dispatcher, bot = app
    gate = _Gate()
    dispatcher.update.outer_middleware(gate)
    handler = InboxRequestHandler(
        dispatcher, bot, resources.sessionmaker, secret_token=SECRET, concurrency=AT_ONCE
    )
    webapp = web.Application()
    webapp.router.add_post("/hook", handler.handle)
    people = [client.user(7100 + n, "Aru", language_code="en") for n in range(PEOPLE)]
    async with TestClient(TestServer(webapp)) as http:
        for person in people:
            update = await person.send("/start")
            answer = await http.post("/hook", json=update, headers={SECRET_HEADER: SECRET})
            assert answer.status == 200  # stored and acknowledged, though none is handled yet

        async def queued() -> bool:
            return gate.inside == AT_ONCE and handler.waiting == PEOPLE - AT_ONCE

        await _until(queued, "three handled, seven waiting")
        gate.open.set()

        async def everyone_greeted() -> bool:
            for person in people:
                if not any(m.text.startswith("Hello!") for m in await person.bot_messages()):
                    return False
            return True

        await _until(everyone_greeted, "every person greeted")
    assert gate.most_inside == AT_ONCE
    assert handler.waiting == 0
    async with resources.sessionmaker() as session:
        assert await inbox.unfinished(session, bot.id, None) == []
