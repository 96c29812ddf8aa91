"""Telegram's sending windows shared by every instance of one bot through Redis (REDIS_URL).

Telegram counts a bot's messages per token, whichever process sends them; the limiter in
bot/middlewares/limits.py keeps each window in its process, so N instances would send N times
the budget. With Redis, each window is also kept here, where every instance reads and takes it:

- a sliding window (the whole bot per second, a group per minute): a sorted set of the
  requests in it. A request counts from when it is taken (scored `now + HOLD`, "in flight")
  until a window after it finished (scored again with its finish time), as the local
  `WindowLimiter` counts it, so a slow answer never lets two windows' worth land at once;
- a private chat's pace (a burst of 3, then 1/s): the GCRA script of storage/coordination.py,
  one timestamp a chat; where the flood limit hears "no", the sender waits what it answers.

Small Lua scripts, not the `limits` library: its moving window counts a hit from when it is
taken and forgets it a window later, with no "in flight until finished" (the guarantee above
against network delay), and it answers "allowed?" where the sender needs "how long to wait".
Both scripts use Redis' clock (`TIME`), as instances' clocks may differ.

Any Redis failure returns None: the caller then keeps only its process' windows (sending must
not stop because Redis did) and the failure is logged once until Redis answers again.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError, RedisError

from storage.coordination import GCRA

log = logging.getLogger(__name__)

# Seconds a taken request counts as in flight if its instance never reports its finish (it
# died): longer than any Bot API request lasts (aiogram's timeout is 60 s).
HOLD = 90.0
# Seconds without asking Redis after it failed: a Redis that does not answer would otherwise
# add its timeouts to every message.
COOL_OFF = 5.0

_TAKE_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local hold = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil((window + hold) * 1000))
  return '0'
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local finished = tonumber(first[2])
if finished > now then return '-1' end
return tostring(finished + window - now)
"""

_FINISH_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 1
"""


class SharedLimits:
    """The Redis side of Telegram's windows; keys are `{prefix}:tg:{bot id}:...`."""

    def __init__(self, redis: Redis, prefix: str = "anabot") -> None:
        self.redis = redis
        self.prefix = prefix
        self._ids = itertools.count()
        self._me = f"{os.getpid()}.{id(self):x}"  # with the counter: a member unique to a take
        self._failing = False
        self._retry_at = 0.0  # monotonic: while failing, Redis is not asked again before this
        self._take_window = redis.register_script(_TAKE_WINDOW)
        self._finish_window = redis.register_script(_FINISH_WINDOW)
        self._take_pace = redis.register_script(GCRA)

    @classmethod
    def from_url(cls, url: str, prefix: str = "anabot") -> SharedLimits:
        # Short timeouts: a message must not wait long for a Redis that does not answer. A
        # blocking pool: a burst of sends waits its turn for a connection instead of failing.
        pool = BlockingConnectionPool.from_url(
            url, max_connections=16, timeout=5.0, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        return cls(Redis.from_pool(pool), prefix)

    def key(self, bot_id: int, name: str) -> str:
        return f"{self.prefix}:tg:{bot_id}:{name}"

    def _skip(self) -> bool:
        return self._failing and time.monotonic() < self._retry_at

    def _failed(self, error: Exception) -> None:
        self._retry_at = time.monotonic() + COOL_OFF
        if not self._failing:
            self._failing = True
            log.warning(
                "redis unavailable for Telegram's shared limits, keeping this process' (%s)",
                type(error).__name__,
            )

    def _answered(self) -> None:
        if self._failing:
            self._failing = False
            log.warning("redis answers again: Telegram's limits are shared again")

    async def _run(self, script: AsyncScript, key: str, *args: float | str) -> Any:
        # One more try on a connection error: a pooled connection found closed is dropped and
        # the next try opens a new one; a Redis that is down fails both.
        try:
            return await script(keys=[key], args=list(args))
        except ConnectionError:
            return await script(keys=[key], args=list(args))

    async def _take(
        self,
        script: AsyncScript,
        key: str,
        *args: float | str,
        pause: Callable[[float], float],
        on_wait: Callable[[float], None] | None,
    ) -> bool:
        """Run `script` until it answers a wait of 0 (taken), sleeping `pause(wait)` between
        tries (after telling `on_wait` how long); False at once if Redis fails."""
        while True:
            if self._skip():
                return False
            try:
                answer = await self._run(script, key, *args)
            except (RedisError, OSError) as error:
                self._failed(error)
                return False
            self._answered()
            wait = float(answer)
            if wait == 0:
                return True
            seconds = pause(wait)
            if on_wait is not None:
                on_wait(seconds)
            await asyncio.sleep(seconds)

    async def take_window(
        self, key: str, limit: int, window: float, *, on_wait: Callable[[float], None] | None = None
    ) -> str | None:
        """Wait until the window at `key` has room and take one place: the member to pass to
        `finish_window`, or None if Redis failed (the caller keeps its local window only)."""
        member = f"{self._me}.{next(self._ids)}"

        def pause(wait: float) -> float:
            # -1: every place is in flight; one frees a window after it finishes, so look again
            # soon (the finish may come from another instance, which cannot wake this one).
            return window / 20 if wait < 0 else min(wait, window)

        taken = await self._take(
            self._take_window, key, limit, window, member, HOLD, pause=pause, on_wait=on_wait
        )
        return member if taken else None

    async def finish_window(self, key: str, member: str) -> None:
        """The request finished: it counts for one window from now."""
        if self._skip():
            return  # it stays in flight for HOLD seconds: stricter, never looser
        try:
            await self._run(self._finish_window, key, member)
        except (RedisError, OSError) as error:
            self._failed(error)  # it stays in flight for HOLD seconds: stricter, never looser

    async def take_pace(
        self,
        key: str,
        burst: int,
        per_second: float,
        *,
        on_wait: Callable[[float], None] | None = None,
    ) -> bool:
        """Wait until the pace at `key` allows one more; False if Redis failed."""
        interval = 1 / per_second
        tolerance = (burst - 1) * interval
        return await self._take(
            self._take_pace, key, interval, tolerance, pause=lambda wait: wait, on_wait=on_wait
        )

    async def close(self) -> None:
        await self.redis.aclose()
