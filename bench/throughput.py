"""Throughput: updates per second through the whole mother flow, against a bare echo bot.

    .venv/bin/python -m bench.throughput [--users 1000] [--concurrency 50] [--modes polling webhook]

Each person (a distinct Telegram user) plays the whole mother flow, 11 or 12 updates: /start,
the language, "I need help", "I'm safe", a location or a region from the list, "I have a
baby", consent, her number, "call me", "any time" and a note (the handoff: a case, a staff card
in the forum group). `--concurrency` people are in the middle of it at any time, each sending her
next update once the bot's next screen has arrived (a closed loop: the bot is kept busy).
The echo bot (bench/echo_bot.py) gets the same people and the same mix of updates (texts, taps,
a location, a contact), each waiting for its reply. Both run against a fresh emulator, as a
separate process, one after the other, in polling and in webhook mode, on SQLite.

Figure: anabot's updates/s divided by the echo bot's (aim >= 0.2, issue 16). Counted from the
emulator's side: updates offered, and the time until the last one's reply. Telegram's outgoing
limits are lifted in the bot (see harness.UNLIMITED): at 30 messages/s every bot would be equal.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from bench.figures import Figure, by_step, latencies_ms, measure_in_tempdir, percentile
from bench.flow import echo_steps, mother_steps, play
from bench.harness import serving

FIRST_UID = 500_000_000
WARM_UP_USERS = 4  # first updates import and compile lazily: not counted


async def closed_loop(
    target: str, mode: str, workdir: Path, users: int, concurrency: int, first_uid: int
) -> dict[str, Any]:
    """`users` people through the flow, `concurrency` at a time; the figures of one bot."""
    steps_of = mother_steps if target == "anabot" else echo_steps
    async with serving(target, mode, workdir) as (emulator, process):
        await asyncio.gather(
            *(play(emulator, first_uid + i, steps_of(first_uid + i)) for i in range(WARM_UP_USERS))
        )
        emulator.clock.reset()
        queue = iter(range(first_uid + WARM_UP_USERS, first_uid + WARM_UP_USERS + users))

        async def worker() -> None:
            for uid in queue:
                await play(emulator, uid, steps_of(uid))

        cpu_bot, cpu_here = process.cpu_seconds(), time.process_time()
        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - began
        cpu_bot, cpu_here = process.cpu_seconds() - cpu_bot, time.process_time() - cpu_here
        offers = emulator.clock.offers
        replies = latencies_ms(offers, "first_call")
    updates = len(offers)
    return {
        "target": target,
        "mode": mode,
        "users": users,
        "concurrency": concurrency,
        "updates": updates,
        "seconds": round(elapsed, 3),
        "updates_per_s": round(updates / elapsed, 2),
        "bot_cpu_ms_per_update": round(cpu_bot * 1000 / updates, 3),
        "bot_cpu_share": round(cpu_bot / elapsed, 3),  # of one core
        "emulator_cpu_share": round(cpu_here / elapsed, 3),  # players + emulator, one core
        "first_reply_p50_ms": round(percentile(replies, 0.5), 2),
        "first_reply_by_step_ms": by_step(offers, "first_call"),
        "first_reply_p99_ms": round(percentile(replies, 0.99), 2),
    }


async def measure(
    workdir: Path, users: int, concurrency: int, modes: list[str]
) -> tuple[list[Figure], dict[str, Any]]:
    runs: dict[str, Any] = {}
    figures = []
    for index, mode in enumerate(modes):
        for target in ("echo", "anabot"):
            print(f"throughput: {target}, {mode}, {users} people...", file=sys.stderr)
            first = FIRST_UID + (index * 2 + (target == "anabot")) * 10_000_000
            runs[f"{target}_{mode}"] = await closed_loop(
                target, mode, workdir, users, concurrency, first
            )
        anabot, echo = runs[f"anabot_{mode}"], runs[f"echo_{mode}"]
        ratio = anabot["updates_per_s"] / echo["updates_per_s"]
        figures += [
            Figure(f"throughput {mode}: echo bot", echo["updates_per_s"], "updates/s"),
            Figure(f"throughput {mode}: anabot", anabot["updates_per_s"], "updates/s"),
            Figure(
                f"throughput {mode}: anabot CPU per update",
                anabot["bot_cpu_ms_per_update"],
                "ms",
                f"echo {echo['bot_cpu_ms_per_update']:.2f} ms",
            ),
            Figure(
                f"throughput {mode}: anabot / echo", round(ratio, 3), "", ">= 0.2", ratio >= 0.2
            ),
        ]
    return figures, {"throughput": runs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__)
    parser.add_argument("--users", type=int, default=1000, help="distinct people per bot and mode")
    parser.add_argument("--concurrency", type=int, default=50, help="people mid-flow at once")
    parser.add_argument(
        "--modes", nargs="+", choices=["polling", "webhook"], default=["polling", "webhook"]
    )
    args = parser.parse_args(argv)
    if args.users < 1 or args.concurrency < 1:
        parser.error("--users and --concurrency must be at least 1")
    measure_in_tempdir(
        "throughput",
        argv,
        lambda workdir: measure(workdir, args.users, args.concurrency, args.modes),
    )


if __name__ == "__main__":
    main()
