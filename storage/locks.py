"""The two lock implementations: per-key asyncio locks in this process, and a Redis lock.

Both are used for "one holder at a time" (a person's updates, a case's forum topic); each is
written once here, for `storage.coordination` and the FSM's event isolation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # redis is imported only where REDIS_URL gives a Redis (7 MB resident)
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)


class KeyedLocks(Generic[K]):
    """One asyncio lock per key, dropped when nobody holds or waits for it.

    Refcounted, unlike aiogram's SimpleEventIsolation (a lock for every user forever), so memory
    stays flat with many users or cases.
    """

    def __init__(self) -> None:
        self._locks: dict[K, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: K) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            # No entry: clear() ran while this holder was in flight (a shutdown).
            entry = self._locks.get(key)
            if entry is not None and entry[1] <= 1:
                del self._locks[key]
            elif entry is not None:
                self._locks[key] = (entry[0], entry[1] - 1)

    def __len__(self) -> int:
        return len(self._locks)

    def clear(self) -> None:
        self._locks.clear()


@asynccontextmanager
async def redis_lock(
    redis: Redis, name: str, *, expires_after: float, what: str = "a lock"
) -> AsyncIterator[None]:
    """Held by one task of one instance at a time, across instances.

    No blocking timeout: a waiter gets the lock when its holder lets go, or when the lock
    expires because the holder died (after `expires_after` seconds); it never gives up. A
    holder that outlives it (a long flood wait) still finishes normally: releasing a lock that
    already expired is logged (as `what`, never the key: keys carry ids of people), not raised.
    """
    from redis.exceptions import LockError  # loaded already: `redis` is a client

    held = redis.lock(name, timeout=expires_after)
    await held.acquire()
    try:
        yield
    finally:
        try:
            await held.release()
        except LockError:
            log.warning("%s expired before it was released", what)
