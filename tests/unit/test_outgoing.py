"""TelegramLimits: rate limits and retry rules, against the in-process Bot API emulator."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, SendMessage, TelegramMethod

from bot.emulator import Emulator, EmulatorClient
from bot.middlewares.limits import (
    Limits,
    TelegramLimits,
    WindowLimiter,
    chat_key,
    limits_of,
    safe_description,
)
from tests.support.requests import FastLimitedSession, SentRequests
from tests.support.windows import max_in_window

TOKEN = "123456:LIMITS-token"
USER = 1001
GROUP = -100500


@pytest.fixture
async def control(emulator: Emulator) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emulator.url, TOKEN) as client:
        await client.user(USER, "Aigerim").send("/start")  # opens the private chat
        await client.create_group(GROUP, "Staff")
        yield client


MakeBot = Callable[..., tuple[Bot, TelegramLimits, SentRequests]]


@pytest.fixture
async def make_bot(emulator: Emulator) -> AsyncIterator[MakeBot]:
    bots: list[Bot] = []

    def make(
        limits: Limits,
        on_forbidden: Callable[[int, str], Awaitable[None]] | None = None,
    ) -> tuple[Bot, TelegramLimits, SentRequests]:
        limiter = TelegramLimits(limits, on_forbidden=on_forbidden)
        session = FastLimitedSession(limiter, api=TelegramAPIServer.from_base(emulator.url))
        send_log = SentRequests()
        session.middleware(send_log)
        bot = Bot(TOKEN, session=session)
        bots.append(bot)
        return bot, limiter, send_log

    yield make
    for bot in bots:
        await bot.session.close()


FAST = Limits(window_scale=0.01)  # 429 of 1 s → 10 ms, first backoff 5 ms


async def bot_texts(control: EmulatorClient, chat_id: int) -> list[str | None]:
    return [m.text for m in await control.messages(chat_id) if m.from_bot]


# --- 429 ---------------------------------------------------------------------------------------


async def test_429_is_waited_out_and_sent_once(control: EmulatorClient, make_bot: MakeBot) -> None:
    bot, limiter, _ = make_bot(FAST)
    await control.inject_fault("sendMessage", "429", retry_after=2, count=2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bot.send_message(USER, "hello")
    assert loop.time() - started >= 2 * 2 * FAST.window_scale  # both waits were kept
    assert await bot_texts(control, USER) == ["hello"]
    assert [c.get("error_code") for c in await control.calls("sendMessage")] == [429, 429, None]
    assert limiter.stats.retried_429 == 2
    assert limiter.stats.retried_errors == 0  # a flood wait is no failure
    assert limiter.stats.sent == 1


async def test_429_does_not_use_up_attempts(control: EmulatorClient, make_bot: MakeBot) -> None:
    bot, limiter, _ = make_bot(Limits(window_scale=0.001, max_attempts=2))
    await control.inject_fault("sendMessage", "429", count=4)
    await bot.send_message(USER, "hello")
    assert len(await control.calls("sendMessage")) == 5
    assert limiter.stats.retried_429 == 4


async def test_429_gives_up_past_the_wait_ceiling(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    # Ceiling 5 s scaled; each 429 asks 2 s: two waits (4 s) fit, a third (6 s) does not.
    bot, limiter, _ = make_bot(Limits(window_scale=0.01, max_flood_wait=5))
    await control.inject_fault("sendMessage", "429", retry_after=2, count=10)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(USER, "hello")
    assert len(await control.calls("sendMessage")) == 3
    assert limiter.stats.retried_429 == 2
    assert await bot_texts(control, USER) == []


# --- network errors and 5xx -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["500", "502"])
async def test_server_errors_then_success(
    control: EmulatorClient, make_bot: MakeBot, kind: str
) -> None:
    bot, limiter, _ = make_bot(FAST)
    await control.inject_fault("sendMessage", kind, count=2)
    await bot.send_message(USER, "hello")
    assert await bot_texts(control, USER) == ["hello"]
    assert [c["ok"] for c in await control.calls("sendMessage")] == [False, False, True]
    assert limiter.stats.retried_errors == 2
    assert limiter.stats.sent == 1


async def test_always_502_gives_up_after_max_attempts(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    bot, limiter, _ = make_bot(Limits(window_scale=0.01, max_attempts=4))
    await control.inject_fault("sendMessage", "502", count=100)
    with pytest.raises(TelegramServerError, match="Bad Gateway") as raised:
        await bot.send_message(USER, "hello")
    # The last failure alone: the logs must not show the first try's 502 as its cause.
    assert raised.value.__context__ is None
    assert len(await control.calls("sendMessage")) == 4
    assert limiter.stats.retried_errors == 3  # the last failure is raised, not retried
    assert limiter.stats.sent == 0
    assert await bot_texts(control, USER) == []


async def test_network_error_is_retried_on_other_methods(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    # getMe is not a message method: no limiter, but the same retries.
    bot, limiter, _ = make_bot(FAST)
    await control.inject_fault("getMe", "delay", delay=0.5)
    me = await bot.get_me(request_timeout=0.1)  # type: ignore[call-arg]
    assert me.id == 123456
    assert limiter.stats.retried_errors == 1
    assert limiter.stats.sent == 0  # only message methods count


async def test_get_updates_passes_straight_through(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    bot, limiter, _ = make_bot(FAST)
    await control.inject_fault("getUpdates", "502", count=5)
    with pytest.raises(TelegramServerError):
        await bot(GetUpdates(timeout=0))
    assert len(await control.calls("getUpdates")) == 1  # aiogram's polling retries it
    assert limiter.stats.retried_errors == 0


# --- 403 and 400 --------------------------------------------------------------------------------


async def test_403_calls_on_forbidden_and_raises(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    reported: list[tuple[int, str]] = []

    async def on_forbidden(chat_id: int, method: str) -> None:
        reported.append((chat_id, method))

    bot, limiter, _ = make_bot(FAST, on_forbidden=on_forbidden)
    await control.inject_fault("sendMessage", "403", chat_id=USER, count=5)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER, "hello")
    assert reported == [(USER, "sendMessage")]
    assert len(await control.calls("sendMessage")) == 1
    assert limiter.stats.forbidden == 1


async def test_403_raised_even_if_the_callback_fails(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    async def on_forbidden(chat_id: int, method: str) -> None:
        raise RuntimeError("database down")

    bot, _, _ = make_bot(FAST, on_forbidden=on_forbidden)
    await control.user(USER).block()
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER, "hello")


async def test_400_is_raised_once_and_logged_without_text(
    control: EmulatorClient, make_bot: MakeBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot, limiter, _ = make_bot(FAST)
    with (
        caplog.at_level(logging.WARNING, logger="bot.middlewares.limits"),
        pytest.raises(TelegramBadRequest, match="can't parse entities"),
    ):
        await bot.send_message(USER, "<b>secret", parse_mode="HTML")
    assert len(await control.calls("sendMessage")) == 1
    assert limiter.stats.bad_request == 1
    [record] = [r for r in caplog.records if r.name == "bot.middlewares.limits"]
    logged = record.getMessage()
    assert "sendMessage" in logged and "can't parse entities" in logged
    assert '"' not in logged and "secret" not in logged


def test_safe_description_stops_at_quotes() -> None:
    described = 'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 0'
    assert safe_description(described) == "Bad Request: can't parse entities: Unsupported start tag"
    assert safe_description("Bad Request: chat not found") == "Bad Request: chat not found"
    assert safe_description("Bad Request: 'quoted text'") == "Bad Request:"


# --- rates ---------------------------------------------------------------------------------------


async def test_group_burst_keeps_the_per_minute_limit(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    limits = Limits(group_per_minute=20, window_scale=0.05)  # 20 per 3 s
    window = 60 * limits.window_scale
    bot, limiter, send_log = make_bot(limits)
    # All at once, as concurrent handlers would: they still go out in call order.
    await asyncio.gather(*(bot.send_message(GROUP, f"m{i}") for i in range(60)))

    assert await bot_texts(control, GROUP) == [f"m{i}" for i in range(60)]
    assert limiter.stats.sent == 60
    # The guarantee: requests made in any scaled minute never exceed group_per_minute. (The
    # round trips of the first burst, sent one after the other, may leave room for one less.)
    assert 15 <= max_in_window(send_log.times(), window) <= 20
    # Seen by the emulator: requests to one chat go one at a time, so at most one more can
    # land in a window (sent just before it, logged inside it).
    seen = [c["time"] for c in await control.calls("sendMessage")]
    assert len(seen) == 60
    assert max_in_window(seen, window) <= 21


async def test_many_private_chats_keep_the_global_limit(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    limits = Limits(per_second=30, window_scale=0.2)  # 30 per 0.2 s
    window = limits.window_scale
    users = range(2001, 2201)
    await asyncio.gather(*(control.user(uid).send("/start") for uid in users))
    bot, limiter, send_log = make_bot(limits)
    await asyncio.gather(*(bot.send_message(uid, f"to {uid}") for uid in users))

    calls = await control.calls("sendMessage")
    assert sorted(int(c["params"]["chat_id"]) for c in calls if c["ok"]) == list(users)
    assert limiter.stats.sent == 200
    assert max_in_window(send_log.times(), window) <= 30
    # Seen by the emulator: 200 messages at no more than 30 per scaled second take at least
    # (200 - 30) / 30 of them, whatever the network jitter.
    seen = sorted(c["time"] for c in calls)
    assert seen[-1] - seen[0] >= (200 - 30) / 30 * window
    assert limiter.tracked_chats == 200


async def test_private_chat_allows_a_short_burst(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    limits = Limits(private_per_second=1, window_scale=0.1)
    bot, _, send_log = make_bot(limits)
    for i in range(6):
        await bot.send_message(USER, f"p{i}")
    times = send_log.times()
    assert times[2] - times[0] < limits.window_scale / 2  # three at once
    assert times[3] - times[0] >= limits.window_scale * 0.99  # then one per scaled second
    assert await bot_texts(control, USER) == [f"p{i}" for i in range(6)]


async def test_window_limiter_uses_the_whole_allowance_and_no_more() -> None:
    # 20 a window at once (Telegram counts per minute, not per bucket drip), the 21st waits for
    # the first to leave the window: 20 of 20, where a leaky bucket kept 17.
    loop = asyncio.get_running_loop()
    limiter = WindowLimiter(20, 0.2)
    started = loop.time()
    for _ in range(20):
        await limiter.acquire()
        limiter.release()
    assert loop.time() - started < 0.1
    assert limiter.free_now() == 0 and limiter.wait_needed() > 0.1
    await limiter.acquire()
    assert loop.time() - started >= 0.2


async def test_window_limiter_counts_a_request_in_flight_until_it_finishes() -> None:
    # Telegram counts a request when it arrives, anywhere up to our finish: a slow one counts
    # from its finish, so the next window cannot be crowded by it.
    loop = asyncio.get_running_loop()
    limiter = WindowLimiter(2, 0.1)
    await limiter.acquire()
    await limiter.acquire()
    third = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0.15)  # longer than a window, with both still in flight
    assert not third.done()
    finished = loop.time()
    limiter.release()
    await third
    assert loop.time() - finished >= 0.1


async def test_busy_tells_a_handler_that_a_group_is_at_its_limit(
    control: EmulatorClient, make_bot: MakeBot
) -> None:
    bot, limiter, _ = make_bot(Limits(group_per_minute=3, window_scale=0.05))
    assert limits_of(bot) is limiter
    assert not limiter.busy(GROUP)  # never written to
    await bot.send_message(GROUP, "one")
    assert not limiter.busy(GROUP) and limiter.busy(GROUP, messages=3)
    await bot.send_message(GROUP, "two")
    await bot.send_message(GROUP, "three")
    assert limiter.busy(GROUP)  # a fourth would wait most of a scaled minute
    assert not limiter.busy(USER)


# --- per-chat state -------------------------------------------------------------------------------


async def test_per_chat_limiters_are_lru_bounded() -> None:
    limiter = TelegramLimits(Limits(window_scale=0.001, max_tracked_chats=5))
    released = asyncio.Event()

    async def make_request(bot: Bot, method: TelegramMethod[Any]) -> bool:
        if method.chat_id == 1 and not released.is_set():  # type: ignore[attr-defined]
            await released.wait()
        return True

    bot = Bot("42:stub")  # never used for a request: make_request above answers
    busy = asyncio.create_task(limiter(make_request, bot, SendMessage(chat_id=1, text="x")))
    await asyncio.sleep(0)  # let it take chat 1's lock
    for chat_id in range(2, 30):
        await limiter(make_request, bot, SendMessage(chat_id=chat_id, text="x"))
        await limiter(make_request, bot, SendMessage(chat_id=-chat_id, text="x"))
        assert limiter.tracked_chats <= 5
    assert 1 in limiter._chats  # in use: never dropped
    released.set()
    await busy
    await limiter(make_request, bot, SendMessage(chat_id=-29, text="x"))  # most recent again
    for chat_id in range(100, 104):
        await limiter(make_request, bot, SendMessage(chat_id=chat_id, text="x"))
    assert list(limiter._chats) == [-29, 100, 101, 102, 103]
    assert limiter.stats.sent == 2 * 28 + 1 + 1 + 4
    await bot.session.close()


def test_chat_key() -> None:
    assert chat_key(5) == 5
    assert chat_key("-100123") == -100123
    assert chat_key("@Channel") == "@channel"


async def test_network_error_limit_with_stub() -> None:
    limiter = TelegramLimits(Limits(window_scale=0.001, max_attempts=3))
    calls = 0

    async def make_request(bot: Bot, method: TelegramMethod[Any]) -> bool:
        nonlocal calls
        calls += 1
        raise TelegramNetworkError(method=method, message="ClientConnectorError")

    bot = Bot("42:stub")
    with pytest.raises(TelegramNetworkError):
        await limiter(make_request, bot, SendMessage(chat_id=USER, text="x"))
    assert calls == 3
    await bot.session.close()
