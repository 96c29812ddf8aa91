"""Latency: from an update's arrival to the bot's first reply, at a fixed offered load.

    .venv/bin/python -m bench.latency [--rate 100] [--seconds 60] [--mode polling]

People play the whole mother flow (see bench.throughput); a pacer lets one update go every
1/rate s, to whichever person is ready for her next step, so the load offered to the bot is
fixed (open loop) rather than set by how fast it answers. A slot that finds nobody ready is
dropped, and the rate actually offered is reported.

Measured from the emulator's side: from the moment the update is queued in the emulator to the
arrival of the bot's first request that puts a message in her chat (sendMessage, an edit...),
and to its first request of any kind for her (answerCallbackQuery counts). Aim: p99 < 50 ms
on SQLite. Telegram's outgoing limits are lifted in the bot, as in bench.throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time
from pathlib import Path
from typing import Any

from bench.figures import Figure, by_step, latencies_ms, measure_in_tempdir, percentile
from bench.flow import Pacer, Person, mother_steps, play
from bench.harness import collector_paused, serving

FIRST_UID = 600_000_000
WARM_UP_USERS = 4
AIM_P99_MS = 50.0


async def open_loop(
    workdir: Path, rate: float, seconds: float, mode: str, first_uid: int = FIRST_UID
) -> dict[str, Any]:
    async with serving(
        "anabot", mode, workdir, database=workdir / f"latency-{mode}-{rate:g}.db"
    ) as (
        emulator,
        _process,
    ):
        await asyncio.gather(
            *(
                play(emulator, first_uid + i, mother_steps(first_uid + i))
                for i in range(WARM_UP_USERS)
            )
        )
        emulator.clock.reset()
        uids = itertools.count(first_uid + WARM_UP_USERS)
        pacer = Pacer(rate)
        stop = time.monotonic() + seconds

        async def person() -> None:
            # A new person each time one finishes: the load is always made of full flows.
            while time.monotonic() < stop:
                uid = next(uids)
                mother = Person(emulator, uid)
                for step in mother_steps(uid):
                    await pacer.slot()
                    if time.monotonic() >= stop:
                        return
                    await mother.step(step)

        # Enough people that one is always ready: each waits about a reply per step.
        with collector_paused():
            await asyncio.gather(*(person() for _ in range(max(10, int(rate)))))
        offers = list(emulator.clock.offers)
    span = offers[-1].at - offers[0].at if len(offers) > 1 else 0.0
    messages = latencies_ms(offers, "first_message")
    calls = latencies_ms(offers, "first_call")
    return {
        "mode": mode,
        "rate": rate,
        "seconds": seconds,
        "updates": len(offers),
        "offered_per_s": round((len(offers) - 1) / span, 2) if span else 0.0,
        "people": next(uids) - first_uid - WARM_UP_USERS,
        "first_message_ms": summary(messages),
        "first_call_ms": summary(calls),
        "first_message_by_step_ms": by_step(offers),
        "unanswered": sum(1 for o in offers if o.first_call is None),
    }


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        name: round(percentile(values, share), 2)
        for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
    }


async def measure(
    workdir: Path, rate: float, seconds: float, mode: str
) -> tuple[list[Figure], dict[str, Any]]:
    print(f"latency: anabot, {mode}, {rate:g} updates/s for {seconds:g} s...", file=sys.stderr)
    run = await open_loop(workdir, rate, seconds, mode)
    first = run["first_message_ms"]
    prefix = f"latency {mode} at {rate:g}/s"
    figures = [
        Figure(f"{prefix}: updates/s actually offered", run["offered_per_s"], "updates/s"),
        Figure(f"{prefix}: first reply p50", first.get("p50"), "ms"),
        Figure(f"{prefix}: first reply p95", first.get("p95"), "ms"),
        Figure(
            f"{prefix}: first reply p99",
            first.get("p99"),
            "ms",
            f"< {AIM_P99_MS:g} ms",
            first.get("p99", float("inf")) < AIM_P99_MS,
        ),
        Figure(f"{prefix}: first request of any kind p99", run["first_call_ms"].get("p99"), "ms"),
    ]
    return figures, {"latency": run}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument("--rate", type=float, default=100.0, help="offered updates per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to offer them")
    parser.add_argument("--mode", choices=["polling", "webhook"], default="polling")
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.seconds <= 0:
        parser.error("--rate and --seconds must be positive")
    measure_in_tempdir(
        "latency", argv, lambda workdir: measure(workdir, args.rate, args.seconds, args.mode)
    )


if __name__ == "__main__":
    main()
