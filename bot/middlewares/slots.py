"""At most MAX_CONCURRENT_UPDATES updates handled at once by one instance.

A campaign's burst started a handler for every update at once: hundreds of commands in flight
ran Redis' and the database's connection pools dry and failed the updates beyond them
(bench.two_bots). With the cap, the rest of a burst waits its turn, stored (the inbox) and in
arrival order (asyncio.Semaphore wakes its waiters first come, first served).

A slot is taken inside the person's lock (an update waiting for her earlier one holds none),
and left for good before a long wait for Telegram's limits (a staff group takes 20 messages a
minute, a 429 asks for seconds or minutes): the update holds no connection while it waits (the
unit of work commits before each request), and held slots would keep every other person, an
emergency tap included, behind a busy group. It never takes a slot again, as it still holds her
lock; those leaving a wait come out at Telegram's pace, which bounds them without a slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject


class UpdateSlots:
    """The cap: `hold()` around handling an update, `step_aside()` before a long wait."""

    def __init__(self, limit: int) -> None:
        self._free = asyncio.Semaphore(limit)
        self._holders: set[asyncio.Task[Any]] = set()
        self._queued: set[asyncio.Task[Any]] = set()  # waiting for a slot

    @property
    def held(self) -> int:
        return len(self._holders)

    @property
    def waiting(self) -> int:
        """Updates waiting for a slot: the queue a burst builds."""
        return len(self._queued)

    async def cancel_queued(self) -> None:  # async: aiogram runs a plain function in a thread
        """Stopping: the updates still waiting for a slot are given up here. They are stored
        (the inbox), so the next start, or another instance, handles them; run now, they would
        meet a closed session and database and be lost as failures."""
        for task in self._queued:
            task.cancel()

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        assert task is not None  # only ever entered from a running task
        self._queued.add(task)
        try:
            await self._free.acquire()
        finally:
            self._queued.discard(task)
        self._holders.add(task)
        try:
            yield
        finally:
            self._leave(task)

    def step_aside(self) -> None:
        """The calling task is about to wait for something outside the process: its slot goes
        to the next update. Nothing if it holds none."""
        task = asyncio.current_task()
        if task is not None:
            self._leave(task)

    def _leave(self, task: asyncio.Task[Any]) -> None:
        if task in self._holders:
            self._holders.discard(task)
            self._free.release()


class SlotsMiddleware(BaseMiddleware):
    """Each update handled in a slot; registered as the first of the project's outer update
    middlewares, so inside aiogram's FSM middleware, which holds the person's lock."""

    def __init__(self, slots: UpdateSlots) -> None:
        self.slots = slots

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with self.slots.hold():
            return await handler(event, data)
