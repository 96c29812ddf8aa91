"""Two instances of the bot sending at full rate with one token: Telegram's 429s, with and without
the limits shared through Redis.

    .venv/bin/python -m bench.shared_limits [--messages 150]

An emulator enforces Telegram's 30 messages/s for the token (a sliding second; a 429 beyond).
Two processes, each with the bot's own session and limiter (bot/middlewares/limits.py, real
windows, not scaled), send `--messages` messages each to as many private chats, all at once.
Run twice: with REDIS_URL (the windows shared, storage/shared_limits.py) and without (each
process alone). Figures: 429s seen by the emulator (aim 0) and accepted messages/s from the
first to the last, the first second's
burst of 30 left out (aim >= 0.95 of 30).

The same with two whole bot processes (`python -m bot run` behind a webhook balancer, on one
PostgreSQL database) sending follow-ups and relays: bench/two_bots.py. This one isolates the
limiter: the same session and windows, without the rest of the bot's time between sends.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid

from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer

from bench.harness import REDIS_URL, forget_redis_prefix
from bot.emulator import Emulator, EmulatorClient
from bot.middlewares.limits import LimitedSession, Limits, TelegramLimits
from storage.shared_limits import SharedLimits

TOKEN = "424242:BENCH-shared-limits"
FIRST_UID = 800_000_000
PER_SECOND = 30


async def child(url: str, redis_url: str | None, prefix: str, first: int, count: int) -> None:
    shared = SharedLimits.from_url(redis_url, prefix) if redis_url else None
    session = LimitedSession(
        TelegramLimits(Limits(), shared=shared), api=TelegramAPIServer.from_base(url)
    )
    bot = Bot(TOKEN, session=session)
    try:
        await asyncio.gather(
            *(bot.send_message(uid, "hello") for uid in range(first, first + count))
        )
    finally:
        await bot.session.close()


async def one_run(messages: int, shared: bool) -> tuple[int, float, int]:
    """429s, accepted messages/s, accepted messages."""
    emulator = Emulator(rate_limit=PER_SECOND)
    await emulator.start()
    prefix = f"bench-limits-{uuid.uuid4().hex}"
    try:
        async with EmulatorClient(emulator.url, TOKEN) as control:
            users = range(FIRST_UID, FIRST_UID + 2 * messages)
            await asyncio.gather(*(control.user(uid).send("/start") for uid in users))
            args = [emulator.url, REDIS_URL if shared else "-", prefix]
            children = [
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bench.shared_limits",
                    "--child",
                    *args,
                    str(FIRST_UID + n * messages),
                    str(messages),
                )
                for n in (0, 1)
            ]
            for process in children:
                if await process.wait() != 0:
                    raise RuntimeError("a sending process failed")
            calls = await control.calls("sendMessage")
            stats = emulator.stats(emulator.lookup_bot(TOKEN))
    finally:
        await emulator.stop()
        await forget_redis_prefix(REDIS_URL, prefix)
    ok = sorted(c["time"] for c in calls if c["ok"])
    # The steady rate: the first second's burst of PER_SECOND comes at once, the rest at the pace.
    rate = (len(ok) - PER_SECOND) / (ok[-1] - ok[0]) if len(ok) > PER_SECOND else 0.0
    return int(stats["rate_limited"]), rate, len(ok)


async def main(messages: int) -> None:
    print(
        f"two processes x {messages} messages, emulator at {PER_SECOND}/s; load {os.getloadavg()}"
    )
    for shared in (True, False):
        started = time.monotonic()
        refused, rate, ok = await one_run(messages, shared)
        name = "shared through Redis" if shared else "each process alone"
        print(
            f"{name:22} 429s {refused:4} (aim 0)   accepted {ok}   "
            f"{rate:5.1f}/s = {rate / PER_SECOND:.2f} of {PER_SECOND}/s (aim >= 0.95)   "
            f"{time.monotonic() - started:.1f} s"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        url, redis_url, prefix, first, count = sys.argv[2:7]
        asyncio.run(
            child(url, None if redis_url == "-" else redis_url, prefix, int(first), int(count))
        )
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--messages", type=int, default=150, help="messages per process")
        asyncio.run(main(parser.parse_args().messages))
