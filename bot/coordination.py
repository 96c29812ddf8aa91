"""What several instances of the bot share: Redis when REDIS_URL is set, else this process only.

- `lock(name)`: one holder at a time across instances (e.g. creating a case's forum topic).
- `handled(update)` / `mark_handled(update)`: a fast, shared record of updates already handled,
  checked before the database. The inbox table stays the source of truth: if Redis is down or
  has forgotten, the database still turns a repeat into a no-op.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from redis.asyncio import Redis
from redis.exceptions import LockError, RedisError

log = logging.getLogger(__name__)

HANDLED_KEEP = timedelta(days=2)  # Telegram redelivers for at most a day
LOCK_TIMEOUT = 60.0  # seconds: a holder that died releases the lock after this (REDIS_LOCK_TIMEOUT)


class Coordination:
    def __init__(
        self,
        redis: Redis | None = None,
        *,
        prefix: str = "anabot",
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.lock_timeout = lock_timeout
        # Refcounted so the dict does not keep a lock for every case ever seen.
        self._local: dict[str, tuple[asyncio.Lock, int]] = {}

    @classmethod
    def from_url(
        cls, redis_url: str | None, *, prefix: str = "anabot", lock_timeout: float = LOCK_TIMEOUT
    ) -> Coordination:
        redis = Redis.from_url(redis_url) if redis_url else None
        return cls(redis, prefix=prefix, lock_timeout=lock_timeout)

    @asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[None]:
        """Held by one task of one instance at a time. Without Redis, by one task here."""
        if self.redis is not None:
            # No blocking timeout: a waiter gets the lock when its holder lets go, or when the
            # lock expires because the holder died (after `lock_timeout`); it never gives up.
            shared = self.redis.lock(f"{self.prefix}:lock:{name}", timeout=self.lock_timeout)
            await shared.acquire()
            try:
                yield
            finally:
                try:
                    await shared.release()
                except LockError:  # it expired while held (a very slow holder): others went on
                    log.warning("lock %s expired before it was released", name)
            return
        lock, users = self._local.get(name, (asyncio.Lock(), 0))
        self._local[name] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._local[name]
            if users <= 1:
                del self._local[name]
            else:
                self._local[name] = (lock, users - 1)

    def _update_key(self, bot_id: int, update_id: int) -> str:
        return f"{self.prefix}:update:{bot_id}:{update_id}"

    async def handled(self, bot_id: int, update_id: int) -> bool:
        """True only when Redis says so; any doubt goes to the database."""
        if self.redis is None:
            return False
        try:
            return bool(await self.redis.exists(self._update_key(bot_id, update_id)))
        except RedisError as error:
            log.warning("redis unavailable for update dedup (%s)", type(error).__name__)
            return False

    async def mark_handled(self, bot_id: int, update_id: int) -> None:
        if self.redis is None:
            return
        try:
            await self.redis.set(self._update_key(bot_id, update_id), 1, ex=HANDLED_KEEP)
        except RedisError as error:
            log.warning("redis unavailable for update dedup (%s)", type(error).__name__)

    async def ping(self) -> bool | None:
        """None without Redis; else whether it answers."""
        if self.redis is None:
            return None
        try:
            return bool(await self.redis.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
