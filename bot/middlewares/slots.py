"""At most MAX_CONCURRENT_UPDATES updates handled at once by one instance.

A campaign's burst started a handler for every update at once: hundreds of commands in flight
ran Redis' and the database's connection pools dry and failed the updates beyond them
(bench.two_bots). With the cap, the rest of a burst waits its turn, stored (the inbox) and in
arrival order (asyncio.Semaphore wakes its waiters first come, first served).

An update that starts waiting for Telegram's limits (a staff group takes 20 messages a minute,
a 429 asks for seconds) steps out of its slot and goes on without one: it holds no connection
while it waits (the unit of work commits before each request), the wait can last minutes, and
held slots would keep every other person, an emergency tap included, waiting behind a busy
group. It never takes a slot again: it may hold her lock, for which updates in slots may wait.
Those leaving a wait come out at Telegram's pace, which bounds them without a slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update


class UpdateSlots:
    """The cap: `hold()` around handling an update, `step_aside()` before a long wait."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
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
        if task in self._holders:  # an update fed from inside another's handling
            yield
            return
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


class SlottedDispatcher(Dispatcher):
    """aiogram's dispatcher, each update handled in a slot: polling, the webhook and the inbox's
    replays all come through `feed_update`."""

    def __init__(self, *, slots: UpdateSlots, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.slots = slots

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        async with self.slots.hold():
            return await super().feed_update(bot, update, **kwargs)
