"""Where the bot's time goes on the mother flow: pyinstrument around the real bot process.

    .venv/bin/python -m bench.profile [--users 200] [--concurrency 20] [--top 20]

The bot runs as `python -m pyinstrument -m bot run` (polling) while people play the whole
mother flow as in bench.throughput; at its clean stop pyinstrument writes its session, which is
read back here. Printed: the functions with the most time of their own (self time, any
library), that self time summed by library (aiogram, aiohttp, pydantic, SQLAlchemy, SQLite's C
code, the project's packages...), the project's functions by time spent inside them
(inclusive), all as shares of the time the event loop spent running tasks (start-up imports,
the start-up run on the loop and waiting in select() left out; the first people warm it up),
and how the
process's CPU time splits between the main thread and the others (aiosqlite's connection
threads and the executor that runs aiogram's synchronous filters: pyinstrument samples only the
main thread). Needs pyinstrument (`.venv/bin/pip install pyinstrument`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.figures import Figure, Measured, measure_in_tempdir
from bench.flow import mother_steps, play
from bench.harness import ROOT, serving

FIRST_UID = 800_000_000
PROJECT = ("bot/", "storage/")


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of the main thread and of all the other threads of a process."""
    main = others = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(task.name) == pid:
            main += seconds
        else:
            others += seconds
    return {"main_thread_s": round(main, 2), "other_threads_s": round(others, 2)}


def _key(frame: Any) -> str:
    path = str(frame.file_path_short or frame.file_path or "?")
    for marker in ("site-packages/", f"{ROOT}/"):
        path = path.split(marker, 1)[-1]
    return f"{path}:{frame.function}"


# Built-in functions by what they serve (their own time, C code), the rest by package.
_BUILT_IN = {
    "Cursor.execute": "SQLite (C)",
    "Connection.commit": "SQLite (C)",
    "socket.send": "sockets (C)",
    "socket.recv": "sockets (C)",
    "SchemaSerializer.to_python": "pydantic",
    "SchemaValidator.validate_python": "pydantic",
    "SchemaValidator.validate_json": "pydantic",
    "_AsyncIoGreenlet.switch": "sqlalchemy",
}


def _library(key: str) -> str:
    """Whose code a function is: a project package (bot/handlers, storage, ...), a library, the
    standard library, or a built-in grouped by what it serves."""
    path, _, function = key.rpartition(":")
    if path == "<built-in>":
        return _BUILT_IN.get(function, "built-ins (other)")
    if path.startswith(PROJECT):
        parts = path.split("/")
        return "/".join(parts[:2]) if len(parts) > 2 else parts[0]
    top = path.split("/")[0].removesuffix(".py")
    if path.startswith("<") or top in sys.stdlib_module_names:
        return "standard library"
    return top


# Start-up run on the event loop (the directory, the texts, the command menus): not the updates.
_START_UP = ("bot/app.py:open_resources", "aiogram/dispatcher/router.py:emit_startup")


def _is_task_step(frame: Any) -> bool:
    """asyncio's Handle._run: one step of a task or callback, i.e. the bot at work (imports
    and start-up outside the event loop are left out)."""
    return frame.function == "_run" and "asyncio/events" in str(frame.file_path or "")


def _start_up_in(frame: Any) -> float:
    """Time in the start-up's frames below `frame` (left out of the shares)."""
    if frame.is_synthetic:
        return 0.0
    if _key(frame) in _START_UP:
        return float(frame.time)
    return sum(_start_up_in(child) for child in frame.children)


def analyse(session_file: Path, top: int) -> dict[str, Any]:
    from pyinstrument.session import Session

    root = Session.load(str(session_file)).root_frame()
    if root is None:
        return {}
    own: Counter[str] = Counter()
    by_library: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    # Self time per (function, the innermost project function above it): who to blame.
    blame: Counter[tuple[str, str]] = Counter()
    busy = 0.0
    start_up: list[float] = []  # time in the start-up's frames, left out of `busy`

    def count(frame: Any, seen: frozenset[str], owner: str) -> None:
        if frame.is_synthetic:  # [self] and [await]: already in the parent's total_self_time
            return
        key = _key(frame)
        if key in _START_UP:
            start_up.append(frame.time)
            return
        own[key] += frame.total_self_time
        by_library[_library(key)] += frame.total_self_time
        if key.startswith(PROJECT):
            owner = key
            if key not in seen:
                # Outermost call only (recursion counted once), its start-up frames left out.
                inside[key] += frame.time - _start_up_in(frame)
                seen = seen | {key}
        blame[(key, owner)] += frame.total_self_time
        for child in frame.children:
            count(child, seen, owner)

    def find(frame: Any) -> None:
        nonlocal busy
        if _is_task_step(frame):
            busy += frame.time
            count(frame, frozenset(), "(outside the project)")
            return
        for child in frame.children:
            find(child)

    find(root)
    busy = (busy - sum(start_up)) or 1e-9
    return {
        "sampled_s": round(root.time, 2),
        "event_loop_busy_s": round(busy, 2),
        "self_time": [
            {
                "function": k,
                "share": round(v / busy, 4),
                "called_under": [
                    {"function": o, "share": round(t / busy, 4)}
                    for (f, o), t in blame.most_common()
                    if f == k
                ][:3],
            }
            for k, v in own.most_common(top)
        ],
        "by_library": [
            {"library": k, "share": round(v / busy, 4)} for k, v in by_library.most_common()
        ],
        "project_inclusive": [
            {"function": k, "share": round(v / busy, 4)} for k, v in inside.most_common(top)
        ],
    }


async def profile(
    workdir: Path, users: int, concurrency: int, top: int, keep: Path | None = None
) -> dict[str, Any]:
    session_file = keep or workdir / "anabot.pyisession"
    command = [
        "-m",
        "pyinstrument",
        "-r",
        "pyisession",
        "-o",
        str(session_file),
        "-m",
        "bot",
        "run",
    ]
    async with serving("anabot", "polling", workdir, command=command) as (emulator, process):
        queue = iter(range(FIRST_UID, FIRST_UID + users))

        async def worker() -> None:
            for uid in queue:
                await play(emulator, uid, mother_steps(uid))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        threads = thread_cpu(process.pid)
        updates = len(emulator.clock.offers)
    return {"users": users, "updates": updates, **threads, **analyse(session_file, top)}


def figures_of(result: dict[str, Any], top: int) -> list[Figure]:
    cpu = result["main_thread_s"] + result["other_threads_s"]
    out = [
        Figure(
            "profile: CPU in threads other than the main one",
            round(result["other_threads_s"] / cpu, 3),
            "of CPU",
        ),
    ]
    out += [
        Figure(f"self: {row['function']}", round(row["share"] * 100, 1), "%")
        for row in result["self_time"][:top]
    ]
    out += [
        Figure(f"library: {row['library']}", round(row["share"] * 100, 1), "%")
        for row in result.get("by_library", [])[:top]
    ]
    out += [
        Figure(f"inside: {row['function']}", round(row["share"] * 100, 1), "%")
        for row in result["project_inclusive"][:top]
    ]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--users", type=int, default=200, help="people through the flow")
    parser.add_argument("--concurrency", type=int, default=20, help="people mid-flow at once")
    parser.add_argument("--top", type=int, default=20, help="functions listed")
    parser.add_argument(
        "--session",
        type=Path,
        default=None,
        help="keep pyinstrument's session here (open it with `pyinstrument --load FILE`)",
    )
    args = parser.parse_args(argv)

    async def measure(workdir: Path) -> Measured:
        result = await profile(workdir, args.users, args.concurrency, args.top, args.session)
        return figures_of(result, args.top), {"profile": result}

    measure_in_tempdir("profile", argv, measure)


if __name__ == "__main__":
    main()
