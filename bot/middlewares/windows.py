"""The parts TelegramLimits (bot/middlewares/limits.py) is built from: its settings and
counters, the window limiter it keeps per chat and for the whole bot, how a chat id is keyed,
and the safe part of an error Telegram gives."""

from __future__ import annotations

import asyncio
import heapq
import re
from dataclasses import dataclass

PRIVATE_BURST = 3  # messages a private chat may receive at once before the 1/s pace
ChatKey = int | str


@dataclass(frozen=True)
class Limits:
    per_second: float = 30  # all messages, whole bot (Telegram: about 30/s)
    private_per_second: float = 1  # per private chat, after a burst of PRIVATE_BURST
    group_per_minute: float = 20  # per group/supergroup/channel (negative or "@name" chat id)
    window_scale: float = 1.0  # tests shrink every window (e.g. 0.05 → 20 per 3 s)
    max_attempts: int = 5  # network errors and 5xx; 429s are not counted
    backoff_base: float = 0.5  # seconds, exponential with jitter, scaled by window_scale
    backoff_max: float = 30.0  # seconds, cap of one backoff pause, scaled
    max_flood_wait: float = 600.0  # seconds of 429 waits for one request before giving up, scaled
    max_tracked_chats: int = 10_000  # per-chat limiters kept (least recently used dropped)


@dataclass
class Stats:
    """Counters for metrics; `sent` counts message requests Telegram accepted."""

    sent: int = 0
    retried_429: int = 0
    retried_errors: int = 0
    forbidden: int = 0
    bad_request: int = 0


class WindowLimiter:
    """At most `limit` requests in any `window` seconds, counted from when each one finished.

    Written here rather than taken from aiolimiter: a leaky bucket can only promise "at most N
    in any window" by draining at (N - burst) / window, which loses 3-15% of Telegram's
    allowance (29 of 30 a second; 17 of 20 a minute). Telegram counts a request when it
    arrives, which is between our start and our finish; counting a finished request from its
    finish (and one in flight as present) keeps any window Telegram sees within the limit,
    whatever the network delay. Waiters are served in arrival order (asyncio.Lock is fair).
    """

    __slots__ = ("_done", "_finished", "_in_flight", "_lock", "limit", "window")

    def __init__(self, limit: float, window: float) -> None:
        if limit >= 1:
            self.limit, self.window = int(limit), window
        else:  # fewer than one a window: one per window / limit
            self.limit, self.window = 1, window / limit
        self._finished: list[float] = []  # a heap of finish times still inside the window
        self._in_flight = 0
        self._lock = asyncio.Lock()
        self._done = asyncio.Event()

    def _expire(self, now: float) -> None:
        while self._finished and self._finished[0] + self.window <= now:
            heapq.heappop(self._finished)

    def free_now(self) -> int:
        """How many could start at once right now."""
        self._expire(asyncio.get_running_loop().time())
        return self.limit - self._in_flight - len(self._finished)

    def long_wait(self, seconds: float) -> bool:
        """Would one more wait at least `seconds`: others queued before it, or a full window?"""
        return self._lock.locked() or self.wait_needed() >= seconds

    def wait_needed(self) -> float:
        """Seconds until one more could start, if none in flight finishes (0: at once)."""
        if self.free_now() > 0:
            return 0.0
        if not self._finished:
            return self.window  # all in flight: at least a window after the first finishes
        return self._finished[0] + self.window - asyncio.get_running_loop().time()

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._lock:
            while self.free_now() <= 0:
                if self._finished:
                    await asyncio.sleep(self._finished[0] + self.window - loop.time())
                else:
                    self._done.clear()
                    await self._done.wait()
            self._in_flight += 1

    def release(self) -> None:
        """The request finished (answered or failed): it counts from now for one window."""
        self._in_flight -= 1
        heapq.heappush(self._finished, asyncio.get_running_loop().time())
        self._done.set()


def chat_key(chat_id: int | str) -> ChatKey:
    """A numeric string and its int are one chat; "@channel" names stay strings."""
    if isinstance(chat_id, str):
        text = chat_id.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        return text.lower()
    return chat_id


def is_private(key: ChatKey) -> bool:
    # Users (private chats) have positive ids; groups and channels negative ids or @usernames.
    return isinstance(key, int) and key > 0


_QUOTE = re.compile(r"\"|(?<![A-Za-z])'")


def safe_description(description: str) -> str:
    """The part of a Telegram error before any quote: the rest may quote the message text.

    An apostrophe inside a word ("can't") is not a quote.
    """
    match = _QUOTE.search(description)
    head = description[: match.start()] if match else description
    return head.strip()[:200]
