"""Two whole bots with one token at full rate: Telegram's 429s with and without shared limits.

    .venv/bin/python -m bench.two_bots [--follow-ups 400] [--relays 1100]

Two `python -m bot run` processes in webhook mode behind bench/balancer.py (two instances cannot
both long-poll one token), on one fresh PostgreSQL database (and, shared, one Redis prefix),
with Telegram's real limits (30/s for the bot, 1/s a private chat, 20/min a group), against an
emulator that answers 429 beyond 30 messages/s for the token. At one moment both get work:

- `--follow-ups` due check-ins, one to each of as many mothers, inserted into the shared
  database: both instances' tickers claim them (bot/follow_ups/runner.py);
- `--relays` staff replies to as many cases' cards in the staff group, from STAFF_MEMBERS
  people, which the balancer hands to the instances in turn: each is relayed to its mother's
  private chat (bot/handlers/staff/relay.py).

Every message goes to a private chat of its own, so the global 30/s is what binds. Run three
times: with REDIS_URL (the windows shared, storage/shared_limits.py); without (each instance
keeps its own 30/s: 429s, which shows the benchmark can tell); and the baseline, no limits in
the bots or the emulator (harness.UNLIMITED): what the two bots can send on this machine. Below
30/s there, the machine (CPU), not the limiter, sets the pace of the first two. Figures: the
emulator's 429s (aim 0 shared), accepted messages/s from the first to the last, the first
second's burst of 30 left out (aim >= 0.95 of 30/s), whether every mother got exactly one.
"""

from __future__ import annotations

import argparse
import asyncio
import operator
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.balancer import Balancer
from bench.figures import Figure, measure_in_tempdir
from bench.followups import max_in_window
from bench.harness import (
    REDIS_URL,
    STAFF_GROUP,
    UNLIMITED,
    BenchEmulator,
    BotProcess,
    bot_env,
    forget_redis_prefix,
    free_port,
    staffed_emulator,
    wait_until_ready,
)
from bench.scale_out import ADMIN_DSN, _healthy
from bench.two_bots_world import (
    FIRST_MOTHER,
    FIRST_STAFF,
    done_by,
    due_check_ins,
    open_chats,
    seed,
    settled,
)
from bot.emulator.actions import act_message
from bot.emulator.limits import RATE_LIMITED_METHODS as COUNTED
from storage.db import create_engine

PER_SECOND = 30  # Telegram's messages/s for one token: the emulator enforces it
# Staff replies come from several people: one person's updates are handled one at a time
# (her lock), so a single sender would pace the relays by the handling, not by the limit.
STAFF_MEMBERS = 20
# Limits shared through Redis; each instance alone; the baseline: no limits anywhere (what the
# two bots can send on this machine: below 30/s, the machine, not the limiter, sets the pace).
MODES = ("shared", "alone", "lifted")


def pace(calls: list[dict[str, Any]]) -> dict[str, Any]:
    """Accepted messages and their rate from the first to the last, the first second's burst
    left out (Telegram's window slides: 30 go at once, then 30 more each second)."""
    sent = sorted(c["time"] for c in calls if c["ok"] and c["method"].lower() in COUNTED)
    span = sent[-1] - sent[0] if len(sent) > 1 else 0.0
    rate = (len(sent) - PER_SECOND) / span if span > 0 and len(sent) > PER_SECOND else 0.0
    return {
        "accepted": len(sent),
        "first_to_last_s": round(span, 2),
        "messages_per_s": round(rate, 2),
        "ratio_to_limit": round(rate / PER_SECOND, 4),
        # Where the time went: a full second holds 30 (the limit); a long gap is a stall.
        "busiest_second": max_in_window(sent, 1.0),
        "longest_gap_s": round(max(map(operator.sub, sent[1:], sent), default=0.0), 3),
    }


def instance_env(
    emulator: BenchEmulator, workdir: Path, port: int, *, limited: bool, **more: str
) -> dict[str, str]:
    """An instance with Telegram's real limits, or (not `limited`) the harness' lifted ones."""
    env = bot_env(emulator.url, workdir / "unused.db", webhook_port=port)
    for name in UNLIMITED if limited else ():
        env.pop(name)
    staff = ",".join(str(FIRST_STAFF + n) for n in range(STAFF_MEMBERS))
    env.update(ADMIN_IDS=staff, **more)
    return env


@dataclass
class Instances:
    """Two instances behind the balancer, their emulator, and their database."""

    emulator: BenchEmulator
    engine: AsyncEngine
    balancer: Balancer
    processes: list[BotProcess]


@asynccontextmanager
async def two_instances(workdir: Path, mode: str) -> AsyncIterator[Instances]:
    """A fresh PostgreSQL database (and, shared, a Redis prefix), an emulator at 30/s (lifted:
    none, and no limits in the bots), two instances ready. An instance that wrote a traceback
    makes the run fail afterwards."""
    shared = mode == "shared"
    name = f"anabot_two_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    emulator = await staffed_emulator(rate_limit=None if mode == "lifted" else PER_SECOND)
    ports = [free_port() for _ in range(2)]
    balancer = Balancer([f"http://127.0.0.1:{port}/hook" for port in ports])
    await balancer.start()
    env = {"DATABASE_URL": url, "WEBHOOK_URL": balancer.url}
    if shared:
        env.update(REDIS_URL=REDIS_URL, REDIS_PREFIX=f"bench-{name}")
    processes = [
        BotProcess(
            ["-m", "bot", "run"],
            instance_env(emulator, workdir, port, limited=mode != "lifted", **env),
            workdir / f"two-{mode}-{index}.log",
        )
        for index, port in enumerate(ports)
    ]
    engine = create_engine(url)
    try:
        for process, port in zip(processes, ports, strict=True):
            process.start()
            await _healthy(port)  # the first migrates the database: one at a time
        await wait_until_ready(emulator, processes[0], webhook=True)
        yield Instances(emulator, engine, balancer, processes)
    finally:
        for process in processes:
            await asyncio.to_thread(process.stop)  # the emulator on this loop answers meanwhile
        await balancer.stop()
        await emulator.stop()
        await engine.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        if shared:
            await forget_redis_prefix(REDIS_URL, f"bench-{name}")
    for process in processes:
        crash = process.crashed()
        if crash:
            raise RuntimeError(f"an instance failed:\n{crash}")


async def one_run(workdir: Path, follow_ups: int, relays: int, mode: str) -> dict[str, Any]:
    mothers = follow_ups + relays
    async with two_instances(workdir, mode) as bots:
        emulator, engine, state = bots.emulator, bots.engine, bots.emulator.state
        cards = open_chats(emulator, mothers, follow_ups + 1)
        await seed(engine, mothers, cards)
        before = len(state.calls)
        print(f"two bots ({mode}): {follow_ups} check-ins, {relays} relays...", file=sys.stderr)
        began = time.monotonic()
        await due_check_ins(engine, follow_ups)
        for n, (case, card) in enumerate(cards.items()):
            staff = {"id": FIRST_STAFF + n % STAFF_MEMBERS, "first_name": "Staff"}
            reply = {"chat_id": STAFF_GROUP, "text": f"reply {case}", "reply_to": card}
            act_message(emulator, state, {"user": staff, **reply})
        # At 30/s, with a margin for the 429s' retries of the run without Redis.
        deadline = began + 3 * mothers / PER_SECOND + 60
        delivered = lambda: emulator.stats(state)["messages"] >= mothers  # noqa: E731
        if not await state.wait(delivered, deadline - time.monotonic()):
            raise RuntimeError(f"{emulator.stats(state)['messages']} of {mothers} delivered")
        while not await settled(engine):
            if time.monotonic() > deadline:
                raise RuntimeError("follow-ups or updates still unfinished")
            await asyncio.sleep(0.2)
        per_chat = [
            sum(1 for m in state.chats[FIRST_MOTHER + i].messages.values() if m.from_bot)
            for i in range(mothers)
        ]
        found = {
            "mode": mode,
            "follow_ups": follow_ups,
            "relays": relays,
            **pace(state.calls[before:]),
            "emulator_429": emulator.stats(state)["rate_limited"],
            "exactly_once": all(n == 1 for n in per_chat),
            "chats_without": per_chat.count(0),
            "chats_with_more": sum(1 for n in per_chat if n > 1),
            "follow_ups_done_per_instance": await done_by(engine),
            "updates_per_instance": list(bots.balancer.sent.values()),
        }
    logs = [p.log.read_text(encoding="utf-8", errors="replace") for p in bots.processes]
    # From the instances' logs: 429s they waited out, times Redis failed them.
    found["bot_retried_429"] = sum(log.count(": 429, retrying") for log in logs)
    found["redis_failures"] = sum(log.count("redis unavailable") for log in logs)
    return found


def figures_of(runs: dict[str, dict[str, Any]]) -> list[Figure]:
    shared, alone, lifted = runs["shared"], runs["alone"], runs["lifted"]
    ratio, refused = shared["ratio_to_limit"], shared["emulator_429"]
    return [
        Figure("two bots, Redis: 429s from the emulator", refused, "", "0", refused == 0),
        Figure("two bots, Redis: messages/s, ratio to 30/s", ratio, "", ">= 0.95", ratio >= 0.95),
        Figure(
            "two bots, Redis: each mother exactly once",
            float(shared["exactly_once"]),
            "",
            "1",
            shared["exactly_once"],
        ),
        Figure(
            "two bots, no Redis: 429s (the benchmark can tell)",
            alone["emulator_429"],
            "",
            "> 0",
            alone["emulator_429"] > 0,
        ),
        Figure("two bots, no Redis: messages/s, ratio to 30/s", alone["ratio_to_limit"], ""),
        Figure(
            "two bots, no Redis: each mother exactly once",
            float(alone["exactly_once"]),
            "",
            "1",
            alone["exactly_once"],
        ),
        Figure(
            "two bots, no limits: messages/s (what the machine offers)",
            lifted["messages_per_s"],
            "/s",
            "> 30 for the ratio to be the limiter's",
            lifted["messages_per_s"] > PER_SECOND,
        ),
    ]


async def measure(
    workdir: Path, follow_ups: int, relays: int
) -> tuple[list[Figure], dict[str, Any]]:
    runs = {mode: await one_run(workdir, follow_ups, relays, mode) for mode in MODES}
    return figures_of(runs), {"two_bots": runs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.two_bots", description=__doc__)
    parser.add_argument("--follow-ups", type=int, default=400, help="due check-ins per run")
    parser.add_argument("--relays", type=int, default=1100, help="staff replies per run")
    args = parser.parse_args(argv)
    if args.follow_ups < 1 or args.relays < 1:
        parser.error("--follow-ups and --relays must be at least 1")
    measure_in_tempdir(
        "two_bots",
        argv,
        lambda workdir: measure(workdir, args.follow_ups, args.relays),
        prefix="anabot-two-bots-",
    )


if __name__ == "__main__":
    main()
