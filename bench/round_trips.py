"""Round trips per update: SQL statements, commits, sessions and Bot API requests (mother flow),
and the routing: routers visited and handlers checked.

    .venv/bin/python -m bench.round_trips [--users 30]

The bot runs in this process (the real dispatcher, its middlewares and storage, polling the
project's emulator, on SQLite) while `--users` mothers play the whole flow one after the other
(bench.flow). SQLAlchemy's engine events count the statements (by kind), commits, rollbacks and
connection checkouts; aiosqlite's hand-offs to its connection thread (each one a queue put and
a wake-up, the `SimpleQueue.put_nowait` of bench.profile) are counted at `Connection._execute`;
the event loop's hand-offs to a worker thread (`run_in_executor`, which `asyncio.to_thread` calls:
aiogram sends every filter or handler that is not a coroutine function there) at the loop, by
the function sent.
Every figure is per update, counted after a few people warmed the bot up. A count, not a time:
it does not depend on the machine or its load, so a change to the hot path shows exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import functools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosqlite.core
from aiogram import Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.figures import Figure, Measured, measure_in_tempdir
from bench.flow import mother_steps, play
from bench.harness import STAFF_GROUP, TOKEN, UNLIMITED, staffed_emulator
from bot.app import create_bot, create_dispatcher, open_resources
from bot.config import Settings

FIRST_UID = 900_000_000
WARM_UP_USERS = 3


def _sent(fn: Callable[..., Any]) -> str:
    """The name of what a worker thread runs, through to_thread's and aiogram's partials."""
    while isinstance(fn, functools.partial):
        ctx_run = getattr(fn.func, "__self__", None)
        fn = fn.args[0] if isinstance(ctx_run, contextvars.Context) else fn.func
    return getattr(fn, "__qualname__", type(fn).__name__)


@contextmanager
def counting(engine: AsyncEngine, counts: Counter[str]) -> Iterator[None]:
    """Count the engine's statements, commits, rollbacks and checkouts, aiosqlite's thread
    hand-offs, the event loop's worker-thread hops, and the routers an update is offered to and
    the handlers whose filters are checked, into `counts` while inside."""
    sync = engine.sync_engine

    def statement(*args: Any) -> None:
        counts["sql " + args[2].lstrip().split(None, 1)[0].upper()] += 1

    listeners = [
        (sync, "before_cursor_execute", statement),
        (sync, "commit", lambda *_: counts.update(["commits"])),
        (sync, "rollback", lambda *_: counts.update(["rollbacks"])),
        (sync.pool, "checkout", lambda *_: counts.update(["connection checkouts"])),
    ]
    for target, name, listener in listeners:
        event.listen(target, name, listener)
    original = aiosqlite.core.Connection._execute

    async def execute(self: aiosqlite.core.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counts["aiosqlite thread hand-offs"] += 1
        return await original(self, fn, *args, **kwargs)

    aiosqlite.core.Connection._execute = execute  # type: ignore[method-assign]
    loop = asyncio.get_running_loop()
    submit = loop.run_in_executor

    def run_in_executor(executor: Any, fn: Callable[..., Any], *args: Any) -> Any:
        counts["worker-thread hops"] += 1
        counts[f"worker-thread hop: {_sent(fn)}"] += 1
        return submit(executor, fn, *args)

    loop.run_in_executor = run_in_executor  # type: ignore[method-assign]
    check, propagate = HandlerObject.check, Router.propagate_event
    root_check = TelegramEventObserver.check_root_filters

    async def counted_check(self: HandlerObject, *args: Any, **kwargs: Any) -> Any:
        counts["handler checks"] += 1
        return await check(self, *args, **kwargs)

    async def counted_root_check(self: TelegramEventObserver, *args: Any, **kwargs: Any) -> Any:
        # aiogram checks a router's own filters through a HandlerObject too: not a handler.
        counts["handler checks"] -= 1
        return await root_check(self, *args, **kwargs)

    async def counted_propagate(self: Router, *args: Any, **kwargs: Any) -> Any:
        counts["router visits"] += 1
        return await propagate(self, *args, **kwargs)

    HandlerObject.check = counted_check  # type: ignore[method-assign]
    TelegramEventObserver.check_root_filters = counted_root_check  # type: ignore[method-assign]
    Router.propagate_event = counted_propagate  # type: ignore[method-assign]
    try:
        yield
    finally:
        HandlerObject.check = check  # type: ignore[method-assign]
        TelegramEventObserver.check_root_filters = root_check  # type: ignore[method-assign]
        Router.propagate_event = propagate  # type: ignore[method-assign]
        del loop.run_in_executor  # the instance attribute; the class's method shows again
        aiosqlite.core.Connection._execute = original  # type: ignore[method-assign]
        for target, name, listener in listeners:
            event.remove(target, name, listener)


async def measure(workdir: Path, users: int) -> Measured:
    emulator = await staffed_emulator()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{workdir / 'anabot.db'}",
        staff_chat_id=STAFF_GROUP,
        telegram_api_url=emulator.url,
        **{name.lower(): float(value) for name, value in UNLIMITED.items()},
    )
    resources = await open_resources(settings)
    bot = create_bot(settings, resources.sessionmaker)
    dispatcher = create_dispatcher(settings, resources)
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    counts: Counter[str] = Counter()
    try:
        for uid in range(FIRST_UID, FIRST_UID + WARM_UP_USERS):
            await play(emulator, uid, mother_steps(uid))
        emulator.clock.reset()
        calls_before = len(emulator.state.calls)
        with counting(resources.engine, counts):
            first = FIRST_UID + WARM_UP_USERS
            for uid in range(first, first + users):
                await play(emulator, uid, mother_steps(uid))
        calls = [c["method"] for c in emulator.state.calls[calls_before:]]
    finally:
        await dispatcher.stop_polling()
        await polling
        await resources.close()
        await emulator.stop()
    updates = len(emulator.clock.offers)
    counts.update(f"api {method}" for method in calls if method != "getUpdates")
    counts["api getUpdates"] = calls.count("getUpdates")
    per_update = {name: round(n / updates, 2) for name, n in sorted(counts.items())}
    sql = sum(n for name, n in counts.items() if name.startswith("sql "))
    api = sum(n for name, n in counts.items() if name.startswith("api "))
    figures = [
        Figure("round trips: SQL statements per update", round(sql / updates, 2), ""),
        Figure("round trips: commits per update", per_update.get("commits", 0.0), ""),
        Figure(
            "round trips: connection checkouts per update",
            per_update.get("connection checkouts", 0.0),
            "",
        ),
        Figure(
            "round trips: aiosqlite hand-offs per update",
            per_update.get("aiosqlite thread hand-offs", 0.0),
            "",
        ),
        Figure("round trips: Bot API requests per update", round(api / updates, 2), ""),
        Figure(
            "worker-thread hops per update",
            per_update.get("worker-thread hops", 0.0),
            "",
        ),
        Figure("routing: routers visited per update", per_update.get("router visits", 0.0), ""),
        Figure("routing: handler checks per update", per_update.get("handler checks", 0.0), ""),
    ]
    return figures, {"round_trips": {"updates": updates, "per_update": per_update}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.round_trips", description=__doc__)
    parser.add_argument("--users", type=int, default=30, help="mothers through the flow")
    args = parser.parse_args(argv)
    if args.users < 1:
        parser.error("--users must be at least 1")
    measure_in_tempdir("round_trips", argv, lambda workdir: measure(workdir, args.users))


if __name__ == "__main__":
    main()
