"""Follow-up dispatch benchmark: the real runner, bot and limiter against the emulator.

    .venv/bin/python -m bench.followups [--rows 10000] [--pending 100000]

Figure A (sustained dispatch): `--rows` due `staff_reminder` follow-ups to as many distinct
private chats, drained by `runner.tick()` in a loop through the real bot (`create_bot`, its
TelegramLimits at the default 30 messages/s) into an emulator that enforces Telegram's global
flood limit (30/s, 429 beyond). Reports messages/s between the first and the last delivered
message, its ratio to 30/s, the emulator's 429 count and whether each chat got exactly one.

Figure B (time to first dispatch with a backlog): `--pending` due follow-ups in a fresh
database; the time of one `claim_due(limit=50)` and from calling `runner.tick()` to the first
message stored by the emulator.

Everything runs in one process and one event loop, on a temporary SQLite database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from sqlalchemy import func, insert, select, update

from bot.app import Resources, create_bot, create_dispatcher, open_resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient
from bot.emulator.server import Emulator
from bot.emulator.state import BotState
from bot.follow_ups.runner import STALE_CLAIM, FollowUpRunner
from bot.follow_ups.ticker import create_runner
from bot.middlewares.limits import TelegramLimits
from bot.services.follow_ups import FollowUpKind
from storage.follow_ups import claim_due
from storage.models import Case, CaseKind, CaseStatus, FollowUp, FollowUpState, utcnow

TOKEN = "123456:BENCH-followups"
TELEGRAM_LIMIT = 30.0  # messages per second, whole bot: the emulator enforces it
STAFF_GROUP = -1001000000001
FIRST_CHAT = 800_000_001  # staff members' private chats, one per reminder
INSERT_CHUNK = 5_000
PROBE_LIMIT = 50  # figure B: one claim_due(limit=50), whatever the runner's own batch is
FIGURE_B_CASES = 1_000  # backlog rows share these cases and chats; claim_due never joins them

log = logging.getLogger("bench.followups")


@dataclass
class App:
    emulator: Emulator
    emu_bot: BotState
    resources: Resources
    bot: Bot
    dispatcher: Dispatcher
    runner: FollowUpRunner


@asynccontextmanager
async def running_app(workdir: Path, name: str) -> AsyncIterator[App]:
    """A fresh database, an emulator enforcing 30/s, the real bot, dispatcher and runner."""
    emulator = Emulator(bot_token=TOKEN, rate_limit=TELEGRAM_LIMIT)
    await emulator.start()
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{workdir / f'{name}.db'}",
        telegram_api_url=emulator.url,
        staff_chat_id=STAFF_GROUP,
    )
    resources = await open_resources(settings)
    bot = create_bot(settings, resources.sessionmaker)
    dispatcher = create_dispatcher(settings, resources)
    workflow = dispatcher.workflow_data
    await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher, bots=[bot], **workflow)
    runner = create_runner(bot, dispatcher, resources, settings)
    try:
        yield App(emulator, emulator.bot(TOKEN), resources, bot, dispatcher, runner)
    finally:
        await dispatcher.emit_shutdown(bot=bot, dispatcher=dispatcher, bots=[bot], **workflow)
        await bot.session.close()
        await resources.close()
        await emulator.stop()


def open_chats(app: App, count: int) -> list[int]:
    """Private chats the bot may write to: in Telegram, people who started it (in-process)."""
    chats = list(range(FIRST_CHAT, FIRST_CHAT + count))
    for uid in chats:
        app.emulator.private_chat(
            app.emu_bot, app.emulator.upsert_user({"id": uid, "first_name": f"Staff{uid}"})
        )
    return chats


async def insert_rows(
    app: App, *, cases: int, follow_ups: int, chats: list[int], now: datetime
) -> None:
    """Cases 1..cases and due staff reminders spread over the past hour, oldest first."""
    async with app.resources.sessionmaker() as session:
        for start in range(0, cases, INSERT_CHUNK):
            await session.execute(
                insert(Case),
                [
                    {
                        "id": i + 1,
                        "kind": CaseKind.OTHER,
                        "urgency": "normal",
                        "status": CaseStatus.NEW,
                        "triage": {},
                        "shared_phone": False,
                        "staff_chat_id": STAFF_GROUP,
                        "card_message_id": 1000 + i,
                        "created_at": now,
                    }
                    for i in range(start, min(start + INSERT_CHUNK, cases))
                ],
            )
        step = timedelta(hours=1) / max(follow_ups, 1)
        for start in range(0, follow_ups, INSERT_CHUNK):
            await session.execute(
                insert(FollowUp),
                [
                    {
                        "kind": FollowUpKind.STAFF_REMINDER,
                        "due_at": now - timedelta(hours=1) + i * step,
                        "target_chat_id": chats[i % len(chats)],
                        "case_id": i % cases + 1,
                        "payload": {},
                        "state": FollowUpState.PENDING,
                        "attempts": 0,
                        "unique_key": f"bench:{i}",
                        "created_at": now,
                    }
                    for i in range(start, min(start + INSERT_CHUNK, follow_ups))
                ],
            )
        await session.commit()


async def count_states(app: App) -> dict[str, int]:
    async with app.resources.sessionmaker() as session:
        rows = await session.execute(select(FollowUp.state, func.count()).group_by(FollowUp.state))
        return {state: count for state, count in rows.all()}


def limiter_of(bot: Bot) -> TelegramLimits:
    for middleware in bot.session.middleware:
        if isinstance(middleware, TelegramLimits):
            return middleware
    raise RuntimeError("the bot has no TelegramLimits middleware")


def max_in_window(times: list[float], window: float) -> int:
    """The most messages in any interval of `window` seconds."""
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def delivered_times(app: App) -> list[float]:
    """Wall times at which the emulator answered ok to a sendMessage, in order."""
    return [
        call["time"] for call in app.emu_bot.calls if call["method"] == "sendMessage" and call["ok"]
    ]


async def figure_a(workdir: Path, rows: int, latency: float) -> dict[str, Any]:
    async with running_app(workdir, "figure_a") as app:
        chats = open_chats(app, rows)
        await insert_rows(app, cases=rows, follow_ups=rows, chats=chats, now=utcnow())
        if latency > 0:  # each sendMessage answered after `latency` s, like a distant API
            async with EmulatorClient(app.emulator.url, TOKEN) as control:
                await control.inject_fault("sendMessage", "delay", count=rows, delay=latency)
        limiter = limiter_of(app.bot)
        print(f"figure A: {rows} reminders inserted, dispatching...", file=sys.stderr)
        began = time.perf_counter()
        ticks = 0
        next_report = began + 30
        while await app.runner.tick():
            ticks += 1
            if time.perf_counter() >= next_report:
                next_report += 30
                done = app.emulator.stats(app.emu_bot)["messages"]
                print(f"  {done}/{rows} sent", file=sys.stderr)
        drain = time.perf_counter() - began
        states = await count_states(app)
        stats = app.emulator.stats(app.emu_bot)
        per_chat = [
            sum(1 for m in app.emu_bot.chats[chat].messages.values() if m.from_bot)
            for chat in chats
        ]
        times = delivered_times(app)
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        # Telegram's limit is a sliding window: the first window's 30 go at once, then 30 more
        # each window. Counting that first burst as taking no time, the sustained rate is
        # (messages - burst) over the whole span, which is exact for any whole number of windows.
        burst = min(int(TELEGRAM_LIMIT), len(times))
        rate = (len(times) - burst) / span if span > 0 else 0.0
        busiest = max_in_window(times, 1.0)
        return {
            "rows": rows,
            "latency_ms": round(latency * 1000),
            "delivered": sum(per_chat),
            "exactly_once": all(n == 1 for n in per_chat),
            "chats_without": sum(1 for n in per_chat if n == 0),
            "chats_with_more": sum(1 for n in per_chat if n > 1),
            "states": states,
            "ticks": ticks,
            "first_to_last_s": round(span, 3),
            "drain_s": round(drain, 3),
            "messages_per_s": round(rate, 2),
            "ratio_to_limit": round(rate / TELEGRAM_LIMIT, 4),
            "busiest_second": busiest,
            "emulator_429": stats["rate_limited"],
            "bot_retried_429": limiter.stats.retried_429,
            "call_log_complete": len(times) == stats["messages"],
        }


async def figure_b(workdir: Path, pending: int) -> dict[str, Any]:
    async with running_app(workdir, "figure_b") as app:
        cases = min(pending, FIGURE_B_CASES)
        chats = open_chats(app, cases)
        began = time.perf_counter()
        await insert_rows(app, cases=cases, follow_ups=pending, chats=chats, now=utcnow())
        insert_s = time.perf_counter() - began
        print(f"figure B: {pending} pending rows inserted in {insert_s:.1f} s", file=sys.stderr)

        # claim_due commits its claim: each probe is put back to pending right after.
        claim_times = []
        for _ in range(5):
            async with app.resources.sessionmaker() as session:
                start = time.perf_counter()
                claimed = await claim_due(
                    session, "bench-probe", utcnow(), limit=PROBE_LIMIT, stale_after=STALE_CLAIM
                )
                claim_times.append(time.perf_counter() - start)
                await session.execute(
                    update(FollowUp)
                    .where(FollowUp.claimed_by == "bench-probe")
                    .values(
                        state=FollowUpState.PENDING, claimed_by=None, claimed_at=None, attempts=0
                    )
                )
                await session.commit()
            assert len(claimed) == min(PROBE_LIMIT, pending)

        start = time.perf_counter()
        tick = asyncio.create_task(app.runner.tick())
        first = await app.emu_bot.wait(lambda: app.emulator.stats(app.emu_bot)["messages"] > 0, 60)
        first_s = time.perf_counter() - start
        # tick() drains the whole backlog at Telegram's pace (minutes for 100,000 rows): the
        # figure is the first dispatch, so the tick is stopped there.
        tick.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await tick
        return {
            "pending": pending,
            "insert_s": round(insert_s, 2),
            "claim_due_first_s": round(claim_times[0], 4),
            "claim_due_median_s": round(statistics.median(claim_times), 4),
            "tick_to_first_message_s": round(first_s, 4) if first else None,
            "emulator_429": app.emulator.stats(app.emu_bot)["rate_limited"],
        }


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


def table(a: dict[str, Any], b: dict[str, Any]) -> str:
    lines = [
        ("A  rows (due staff reminders, distinct chats)", f"{a['rows']}"),
        ("A  added latency per sendMessage", f"{a['latency_ms']} ms"),
        ("A  delivered / exactly once per chat", f"{a['delivered']} / {a['exactly_once']}"),
        ("A  first→last delivered message", f"{a['first_to_last_s']:.1f} s"),
        ("A  messages/s after the first window's burst", f"{a['messages_per_s']:.2f}"),
        ("A  ratio to the 30/s limit (aim ≥ 0.95)", f"{a['ratio_to_limit']:.3f}"),
        ("A  most messages in any 1 s window (limit 30)", f"{a['busiest_second']}"),
        ("A  429s from the emulator (aim 0)", f"{a['emulator_429']}"),
        ("A  final row states", json.dumps(a["states"])),
        ("A  ticks that claimed rows", f"{a['ticks']}"),
        ("B  pending rows", f"{b['pending']}"),
        ("B  claim_due(limit=50), first / median of 5", _pair(b)),
        ("B  tick() → first message delivered (aim < 5 s)", _secs(b["tick_to_first_message_s"])),
    ]
    width = max(len(name) for name, _ in lines)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in lines)


def _pair(b: dict[str, Any]) -> str:
    return f"{b['claim_due_first_s'] * 1000:.1f} ms / {b['claim_due_median_s'] * 1000:.1f} ms"


def _secs(value: float | None) -> str:
    return "no message within 60 s" if value is None else f"{value * 1000:.0f} ms"


async def run(rows: int, pending: int, latency: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="anabot-bench-") as tmp:
        a = await figure_a(Path(tmp), rows, latency)
        b = await figure_b(Path(tmp), pending)
    return {"figure_a": a, "figure_b": b}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.followups", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000, help="figure A: due reminders")
    parser.add_argument("--pending", type=int, default=100_000, help="figure B: backlog rows")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="figure A: delay each sendMessage answer by this much (default 0: loopback only)",
    )
    args = parser.parse_args(argv)
    if args.rows < 2 or args.pending < 1 or args.latency_ms < 0:
        parser.error("--rows must be at least 2, --pending at least 1, --latency-ms at least 0")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    command = " ".join(["python -m bench.followups", *(argv if argv is not None else sys.argv[1:])])
    figures = asyncio.run(run(args.rows, args.pending, args.latency_ms / 1000))
    print(table(figures["figure_a"], figures["figure_b"]))
    print(
        json.dumps(
            {
                "benchmark": "followups",
                "command": command,
                "date": datetime.now().astimezone().isoformat(timespec="seconds"),
                "machine": machine(),
                **figures,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
