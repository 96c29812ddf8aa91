"""Memory: peak RSS of the bot process with many stored people and open conversations.

    .venv/bin/python -m bench.memory [--users 100000] [--conversations 10000] [--traffic 1000]

A fresh SQLite database is migrated, then filled with SQLAlchemy Core: `--users` people
(`users` rows in the three languages) and, for the first `--conversations` of them, an FSM state
in the middle of the mother flow (`fsm_states` rows keyed like the bot's own storage). The real
bot (`python -m bot run`, polling) starts on it; then `--traffic` new people go through the whole
mother flow, and as many stored people with an open conversation send /start. The figure is
the bot's peak resident set (VmHWM in /proc/<pid>/status) at the end (aim: at most the echo
bot's + 40 MB); its resident set after start, and the peak of the bare echo bot, are reported too.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from sqlalchemy import insert

from bench.figures import Figure, measure_in_tempdir
from bench.flow import LANGUAGES, Person, Step, echo_steps, mother_steps, play
from bench.harness import TOKEN, serving
from bot.ui.states import Mother
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import FsmRecord, User, utcnow

FIRST_STORED = 700_000_000
FIRST_NEW = 710_000_000
CHUNK = 10_000
CONCURRENCY = 20
AIM_ABOVE_ECHO_MB = 40.0  # issue 16: anabot may add this much to the bare aiogram floor
OPEN_STATES = (Mother.safety, Mother.place, Mother.houses, Mother.kind, Mother.phone)


async def fill(database: Path, users: int, conversations: int) -> float:
    """Migrate and bulk-insert; returns the seconds it took."""
    began = time.monotonic()
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    keys = DefaultKeyBuilder(with_destiny=True)  # the key builder of storage/fsm.py
    bot_id = int(TOKEN.split(":")[0])
    now = utcnow()
    try:
        await upgrade(engine)
        async with engine.begin() as connection:
            for start in range(0, users, CHUNK):
                await connection.execute(
                    insert(User),
                    [
                        {
                            "id": FIRST_STORED + i,
                            "language": LANGUAGES[i % 3],
                            "telegram_language": LANGUAGES[i % 3],
                            "shared_phone": False,
                            "created_at": now,
                            "last_seen_at": now,
                        }
                        for i in range(start, min(start + CHUNK, users))
                    ],
                )
            for start in range(0, conversations, CHUNK):
                rows = []
                for i in range(start, min(start + CHUNK, conversations)):
                    uid = FIRST_STORED + i
                    key = StorageKey(bot_id=bot_id, chat_id=uid, user_id=uid)
                    state = OPEN_STATES[i % len(OPEN_STATES)]
                    rows.append(
                        {
                            "key": keys.build(key),
                            "state": state.state,
                            "data": {"urgent": False, "region": "karaganda"},
                            "updated_at": now,
                        }
                    )
                await connection.execute(insert(FsmRecord), rows)
    finally:
        await engine.dispose()
    return time.monotonic() - began


async def run(workdir: Path, users: int, conversations: int, traffic: int) -> dict[str, Any]:
    database = workdir / "memory.db"
    print(f"memory: {users} people, {conversations} open conversations...", file=sys.stderr)
    fill_s = await fill(database, users, conversations)
    async with serving("anabot", "polling", workdir, database=database) as (emulator, process):
        rss_start = process.status_kb("VmRSS")
        print(f"memory: traffic of {traffic} new people and {traffic} stored...", file=sys.stderr)
        queue = iter(range(traffic))

        async def worker() -> None:
            for i in queue:
                await play(emulator, FIRST_NEW + i, mother_steps(FIRST_NEW + i))
                if i < conversations:  # someone with an open conversation comes back
                    await Person(emulator, FIRST_STORED + i).step(Step("text", "/start", None))

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        rss_end = process.status_kb("VmRSS")
        peak = process.status_kb("VmHWM")
        updates = len(emulator.clock.offers)
    # The baseline: a bare aiogram bot (bench/echo_bot.py) after the same kind of traffic.
    async with serving("echo", "polling", workdir) as (emulator, echo):
        for i in range(min(traffic, 50)):
            await play(emulator, FIRST_NEW + i, echo_steps(FIRST_NEW + i))
        echo_peak = echo.status_kb("VmHWM")
    return {
        "users": users,
        "conversations": conversations,
        "traffic_people": traffic,
        "updates": updates,
        "fill_s": round(fill_s, 1),
        "database_mb": round(database.stat().st_size / 2**20, 1),
        "rss_after_start_mb": round(rss_start / 1024, 1),
        "rss_after_traffic_mb": round(rss_end / 1024, 1),
        "peak_rss_mb": round(peak / 1024, 1),
        "echo_bot_peak_rss_mb": round(echo_peak / 1024, 1),
    }


async def measure(
    workdir: Path, users: int, conversations: int, traffic: int
) -> tuple[list[Figure], dict[str, Any]]:
    result = await run(workdir, users, conversations, traffic)
    label = f"memory, {users:,} people, {conversations:,} open"
    above = round(result["peak_rss_mb"] - result["echo_bot_peak_rss_mb"], 1)
    figures = [
        Figure(f"{label}: RSS after start", result["rss_after_start_mb"], "MB"),
        Figure(
            f"{label}: peak RSS",
            result["peak_rss_mb"],
            "MB",
            f"<= echo + {AIM_ABOVE_ECHO_MB:g} MB",
            above <= AIM_ABOVE_ECHO_MB,
        ),
        Figure("memory: bare aiogram echo bot, peak RSS", result["echo_bot_peak_rss_mb"], "MB"),
        # The same aim as a difference measured in this run: what anabot adds to aiogram's floor.
        Figure(
            f"{label}: peak RSS above the echo bot's",
            above,
            "MB",
            f"<= {AIM_ABOVE_ECHO_MB:g} MB",
            above <= AIM_ABOVE_ECHO_MB,
        ),
    ]
    return figures, {"memory": result}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--users", type=int, default=100_000, help="stored people")
    parser.add_argument("--conversations", type=int, default=10_000, help="open FSM states")
    parser.add_argument("--traffic", type=int, default=1_000, help="people in the traffic")
    args = parser.parse_args(argv)
    if args.users < args.conversations or min(args.conversations, args.traffic) < 0:
        parser.error("--conversations must be between 0 and --users; --traffic at least 0")
    measure_in_tempdir(
        "memory",
        argv,
        lambda workdir: measure(workdir, args.users, args.conversations, args.traffic),
    )


if __name__ == "__main__":
    main()
