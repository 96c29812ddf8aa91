"""What several instances of the bot share: Redis when REDIS_URL is set, else this process only.

- `lock(name)`: one holder at a time across instances (e.g. creating a case's forum topic).
- `handled(update)` / `mark_handled(update)`: a fast, shared record of updates already handled,
  checked before the database. The inbox table stays the source of truth: if Redis is down or
  has forgotten, the database still turns a repeat into a no-op.
- `spend(name, burst, per_second)`: a rate limit (a burst, then a steady rate) shared by every
  instance through Redis; without Redis, kept in this process (one process runs on SQLite).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from storage.locks import KeyedLocks, redis_lock

if TYPE_CHECKING:  # redis is imported only when REDIS_URL is set (7 MB resident, issue 16)
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

HANDLED_KEEP = timedelta(days=2)  # Telegram redelivers for at most a day
LOCK_TIMEOUT = 60.0  # seconds: a holder that died releases the lock after this (REDIS_LOCK_TIMEOUT)
LOCAL_RATES_KEPT = 10_000  # process-local rate states kept (expired ones are dropped first)

# GCRA (the "generic cell rate algorithm", a token bucket kept as one timestamp: the theoretical
# arrival time, TAT). Hand-written rather than aiolimiter, whose buckets live in one process:
# the state must be shared by every instance, and one timestamp per person fits in one Redis
# key, updated atomically by this script with Redis' own clock (instances' clocks may differ).
# It answers the seconds to wait, '0' when one was taken (a string: Redis truncates Lua
# numbers); storage/shared_limits.py runs it too, for a private chat's pace.
GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat - now > tolerance then return tostring(tat - now - tolerance) end
local new = tat + interval
redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil((new - now) * 1000) + 1)
return '0'
"""


def _redis_error() -> type[Exception]:
    """redis' base error, looked up when an exception is matched: only with a Redis client,
    so redis is already imported (and this module does not import it for the others)."""
    from redis.exceptions import RedisError

    return RedisError


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
        self._local: KeyedLocks[str] = KeyedLocks()
        self._rates: dict[str, float] = {}  # without Redis: each bucket's TAT (monotonic clock)

    @classmethod
    def from_url(
        cls, redis_url: str | None, *, prefix: str = "anabot", lock_timeout: float = LOCK_TIMEOUT
    ) -> Coordination:
        if not redis_url:
            return cls(None, prefix=prefix, lock_timeout=lock_timeout)
        from storage.redis_pool import redis_client

        return cls(redis_client(redis_url), prefix=prefix, lock_timeout=lock_timeout)

    @asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[None]:
        """Held by one task of one instance at a time. Without Redis, by one task here."""
        if self.redis is not None:
            key = f"{self.prefix}:lock:{name}"
            async with redis_lock(
                self.redis, key, expires_after=self.lock_timeout, what=f"lock {name}"
            ):
                yield
            return
        async with self._local.hold(name):
            yield

    def _update_key(self, bot_id: int, update_id: int) -> str:
        return f"{self.prefix}:update:{bot_id}:{update_id}"

    async def handled(self, bot_id: int, update_id: int) -> bool:
        """True only when Redis says so; any doubt goes to the database."""
        if self.redis is None:
            return False
        try:
            return bool(await self.redis.exists(self._update_key(bot_id, update_id)))
        except _redis_error() as error:
            log.warning("redis unavailable for update dedup (%s)", type(error).__name__)
            return False

    async def mark_handled(self, bot_id: int, update_id: int) -> None:
        if self.redis is None:
            return
        try:
            await self.redis.set(self._update_key(bot_id, update_id), 1, ex=HANDLED_KEEP)
        except _redis_error() as error:
            log.warning("redis unavailable for update dedup (%s)", type(error).__name__)

    async def spend(self, name: str, *, burst: int, per_second: float) -> bool:
        """Take one from the `name` bucket: True within `burst` at once and `per_second` after,
        False beyond. A Redis failure allows (nothing is refused for a limit we can't read)."""
        interval = 1 / per_second
        tolerance = (burst - 1) * interval
        if self.redis is not None:
            try:
                key = f"{self.prefix}:rate:{name}"
                wait = await self.redis.eval(GCRA, 1, key, interval, tolerance)
                return float(wait) == 0
            except _redis_error() as error:
                log.warning("redis unavailable for a rate limit (%s)", type(error).__name__)
                return True
        now = time.monotonic()
        tat = max(self._rates.get(name, now), now)
        if tat - now > tolerance:
            return False
        self._rates[name] = tat + interval
        if len(self._rates) > LOCAL_RATES_KEPT:
            self._rates = {key: at for key, at in self._rates.items() if at > now}
        return True

    async def forget_rate(self, name: str) -> None:
        """Drop the `name` bucket: a person's flood count goes with /forget (its key has her id)."""
        self._rates.pop(name, None)
        if self.redis is None:
            return
        try:
            await self.redis.delete(f"{self.prefix}:rate:{name}")
        except _redis_error() as error:
            log.warning("redis unavailable to drop a rate limit (%s)", type(error).__name__)

    async def ping(self) -> bool | None:
        """None without Redis; else whether it answers."""
        if self.redis is None:
            return None
        try:
            return bool(await self.redis.ping())
        except (_redis_error(), OSError):
            return False

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
