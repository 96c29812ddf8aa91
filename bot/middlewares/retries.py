"""The retry rules of a Bot API request that failed (used by `bot.middlewares.limits`).

- 429: waited out (not counted as a failure) up to a total ceiling, `max_flood_wait`;
- network errors and 5xx: exponential backoff with jitter, up to `max_attempts` failures;
- anything else (403, 400, 413): not tried again.

The first try is made by the caller without tenacity: nearly every request succeeds at once,
and a tenacity loop costs about 50 µs per request (3.5 % of the bot's CPU in bench.profile).
Only a request whose first try failed in a retryable way comes here, and tenacity's loop then
counts that failure as its first attempt, so the rules are the same as if it had made it.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import (
    TelegramEntityTooLarge,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from bot.middlewares.windows import ChatKey, Limits, Stats

log = logging.getLogger("bot.middlewares.limits")  # the limits' log, as before the split

Answer = TypeVar("Answer")


def retryable(exc: BaseException) -> bool:
    if isinstance(exc, TelegramRetryAfter | TelegramServerError):
        return True
    # 413 is a TelegramNetworkError subclass in aiogram, but sending it again cannot help.
    return isinstance(exc, TelegramNetworkError) and not isinstance(exc, TelegramEntityTooLarge)


class _Tries:
    """Failures of one request so far, split the way the retry rules count them."""

    __slots__ = ("errors", "flood_wait")

    def __init__(self) -> None:
        self.errors = 0
        self.flood_wait = 0.0


async def retry_failed(
    first_failure: BaseException,
    attempt: Callable[[], Awaitable[Answer]],
    *,
    limits: Limits,
    stats: Stats,
    waiting: Callable[[float], None],
    name: str,
    chat_id: ChatKey | None,
) -> Answer:
    """Try `attempt` again after its first try failed with `first_failure` (retryable), by the
    rules above; `waiting(seconds)` is told before each pause. Raises the last failure when
    the rules give up."""
    tries = _Tries()

    def count_failure(state: RetryCallState) -> None:
        # Runs before `pause` and `give_up`, which both need the count of this failure.
        exc = state.outcome.exception() if state.outcome else None
        if not isinstance(exc, TelegramRetryAfter):
            tries.errors += 1

    def pause(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TelegramRetryAfter):
            return exc.retry_after * limits.window_scale
        backoff = (
            min(limits.backoff_base * 2 ** (tries.errors - 1), limits.backoff_max)
            * limits.window_scale
        )
        # Jitter spreads out requests that failed together, so they don't return together.
        return backoff * (0.5 + random.random())

    def give_up(state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TelegramRetryAfter):
            wait = state.upcoming_sleep
            if tries.flood_wait + wait > limits.max_flood_wait * limits.window_scale:
                log.warning(
                    "%s to %s: flood wait ceiling reached (waited %.1fs, asked %ds)",
                    name,
                    chat_id,
                    tries.flood_wait,
                    exc.retry_after,
                )
                return True
            tries.flood_wait += wait
            stats.retried_429 += 1
            # Warning: a 429 means the limits above are looser than Telegram is today.
            log.warning("%s to %s: 429, retrying in %.2fs", name, chat_id, wait)
            return False
        if tries.errors >= limits.max_attempts:
            log.warning(
                "%s to %s: giving up after %d attempts (%s)",
                name,
                chat_id,
                tries.errors,
                type(exc).__name__,
            )
            return True
        stats.retried_errors += 1
        log.info(
            "%s to %s: %s, attempt %d of %d",
            name,
            chat_id,
            type(exc).__name__,
            tries.errors,
            limits.max_attempts,
        )
        return False

    def before_sleep(state: RetryCallState) -> None:
        # Only when it will sleep (not on the last, failing try): seconds, or a 429's minutes.
        waiting(state.upcoming_sleep)

    retrying = AsyncRetrying(
        retry=retry_if_exception(retryable),
        after=count_failure,
        wait=pause,
        stop=give_up,
        before_sleep=before_sleep,
        reraise=True,
    )
    failure: BaseException | None = first_failure
    async for try_ in retrying:
        with try_:
            if failure is not None:
                # The caller's first try, handed to tenacity as its attempt 1.
                raise_now, failure = failure, None
                raise raise_now
            return await attempt()
    raise AssertionError("tenacity's loop ends by returning or raising")  # pragma: no cover
