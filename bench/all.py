"""Every benchmark in one run, every figure against its aim in one table and one JSON line.

    .venv/bin/python -m bench.all            # quick sizes: about 8 minutes on 2 cores
    .venv/bin/python -m bench.all --full     # the issue's sizes: about 25 minutes
    .venv/bin/python -m bench.all --only throughput latency

Runs bench.throughput (anabot against a bare echo bot, polling and webhook), bench.latency
(at `--rate`, the aim's load, and at a light load of 20 updates/s), bench.memory,
bench.nearest, bench.followups and bench.two_bots (two whole bots on PostgreSQL sharing
Telegram's limits through Redis), one after the other. Each can be run alone; see its --help.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import followups, latency, memory, nearest, throughput, two_bots
from bench.figures import Figure, publish, render

# Each benchmark's sizes: the quick run's (the default), then the full run's (--full).
SIZES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "throughput": ({"users": 100, "concurrency": 20}, {"users": 1_000, "concurrency": 50}),
    "latency": ({"seconds": 15.0}, {"seconds": 60.0}),
    "memory": (
        {"users": 20_000, "conversations": 2_000, "traffic": 100},
        {"users": 100_000, "conversations": 10_000, "traffic": 1_000},
    ),
    "nearest": ({"entries": 10_000, "lookups": 300}, {"entries": 10_000, "lookups": 2_000}),
    "followups": ({"rows": 600, "pending": 100_000}, {"rows": 10_000, "pending": 100_000}),
    "two_bots": ({"follow_ups": 200, "relays": 550}, {"follow_ups": 400, "relays": 1_100}),
}
LIGHT_RATE = 20.0  # updates/s: a load the bot keeps up with, to show latency without a queue
BENCHMARKS = tuple(SIZES)


def followup_figures(figures: dict[str, Any]) -> list[Figure]:
    """bench.followups' own figures, against the aims of its README."""
    a, b = figures["figure_a"], figures["figure_b"]
    first = b["tick_to_first_message_s"]
    return [
        Figure(
            f"follow-ups: dispatch, ratio to 30/s ({a['rows']:,} rows)",
            a["ratio_to_limit"],
            "",
            ">= 0.95",
            a["ratio_to_limit"] >= 0.95,
        ),
        Figure(
            "follow-ups: 429s from the emulator", a["emulator_429"], "", "0", a["emulator_429"] == 0
        ),
        Figure(
            "follow-ups: each chat exactly once",
            float(a["exactly_once"]),
            "",
            "1",
            a["exactly_once"],
        ),
        Figure(
            f"follow-ups: claim_due(50) median, {b['pending']:,} pending",
            round(b["claim_due_median_s"] * 1000, 1),
            "ms",
        ),
        Figure(
            "follow-ups: tick() to the first message",
            None if first is None else round(first * 1000, 1),
            "ms",
            "< 5000 ms",
            first is not None and first < 5,
        ),
    ]


def _listed(result: tuple[list[Figure], dict[str, Any]]) -> tuple[list[Figure], dict[str, Any]]:
    """Latency runs more than once: its details gather in a list."""
    return result[0], {"latency": [result[1]["latency"]]}


def _followups(size: dict[str, Any]) -> tuple[list[Figure], dict[str, Any]]:
    print(f"follow-ups: {size['rows']} rows, {size['pending']} pending...", file=sys.stderr)
    found = asyncio.run(followups.run(size["rows"], size["pending"], 0.0))
    return followup_figures(found), {"followups": found}


def run(
    workdir: Path, sizes: dict[str, dict[str, Any]], rate: float, only: list[str]
) -> tuple[list[Figure], dict[str, Any]]:
    figures: list[Figure] = []
    details: dict[str, Any] = {"sizes": {name: sizes[name] for name in only}}

    def add(name: str, measure: Callable[[], tuple[list[Figure], dict[str, Any]]]) -> None:
        # One benchmark failing must not lose the others' figures: it shows as a missed aim.
        try:
            found, more = measure()
        except Exception as error:  # reported in the table and the JSON
            print(f"{name} failed: {error!r}", file=sys.stderr)
            found, more = [Figure(f"{name}: FAILED", None, "", "runs", False)], {}
            details.setdefault("errors", {})[name] = repr(error)
        print(render(found), file=sys.stderr)
        figures.extend(found)
        for key, value in more.items():
            if key in details and isinstance(details[key], list):
                details[key].extend(value)
            else:
                details[key] = value

    if "throughput" in only:
        size = sizes["throughput"]
        modes = ["polling", "webhook"]
        add(
            "throughput",
            lambda: asyncio.run(
                throughput.measure(workdir, size["users"], size["concurrency"], modes)
            ),
        )
    if "latency" in only:
        seconds = sizes["latency"]["seconds"]
        details["latency"] = []
        for offered in dict.fromkeys((rate, LIGHT_RATE)):
            add(
                f"latency at {offered:g}/s",
                lambda offered=offered: _listed(
                    asyncio.run(latency.measure(workdir, offered, seconds, "polling"))
                ),
            )
    if "memory" in only:
        size = sizes["memory"]
        add(
            "memory",
            lambda: asyncio.run(
                memory.measure(workdir, size["users"], size["conversations"], size["traffic"])
            ),
        )
    if "nearest" in only:
        add(
            "nearest",
            lambda: nearest.measure(sizes["nearest"]["entries"], sizes["nearest"]["lookups"]),
        )
    if "followups" in only:
        add("follow-ups", lambda: _followups(sizes["followups"]))
    if "two_bots" in only:
        size = sizes["two_bots"]
        add(
            "two bots",
            lambda: asyncio.run(two_bots.measure(workdir, size["follow_ups"], size["relays"])),
        )
    return figures, details


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.all", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the issue's sizes (default: quick)")
    parser.add_argument("--rate", type=float, default=100.0, help="latency: offered updates/s")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    args = parser.parse_args(argv)
    # bench.followups' figure B makes the bot retry 429s on purpose: one warning a retry.
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    sizes = {name: pair[args.full] for name, pair in SIZES.items()}
    with tempfile.TemporaryDirectory(prefix="anabot-bench-") as tmp:
        figures, details = run(Path(tmp), sizes, args.rate, args.only)
    details["sizes_name"] = "full" if args.full else "quick"
    publish("all", argv, figures, details)
    missed = [f.name for f in figures if f.ok is False]
    if missed:
        print(f"{len(missed)} figure(s) miss their aim: see the 'met' column.", file=sys.stderr)


if __name__ == "__main__":
    main()
