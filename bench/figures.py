"""Figures of the benchmarks: percentiles, the summary table and the one JSON line."""

from __future__ import annotations

import asyncio
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.followups import machine

if TYPE_CHECKING:
    from bench.harness import Offer


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def by_step(offers: Sequence[Offer], kind: str = "first_message") -> dict[str, dict[str, float]]:
    """Median and p99 latency (ms) per step of the flow, slowest median first."""
    steps: dict[str, list[Offer]] = {}
    for offer in offers:
        steps.setdefault(offer.step, []).append(offer)
    out = {}
    for step, group in steps.items():
        values = latencies_ms(group, kind)
        if values:
            p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
            out[step] = {"n": len(values), "p50": round(p50, 1), "p99": round(p99, 1)}
    return dict(sorted(out.items(), key=lambda item: -item[1]["p50"]))


def latencies_ms(offers: Iterable[Offer], kind: str = "first_message") -> list[float]:
    return [(getattr(o, kind) - o.at) * 1000 for o in offers if getattr(o, kind) is not None]


@dataclass
class Figure:
    """One line of the summary table: a figure, its value, its aim and whether it meets it."""

    name: str
    value: float | None
    unit: str
    aim: str = ""
    ok: bool | None = None

    def row(self) -> tuple[str, str, str, str]:
        value = (
            "n/a"
            if self.value is None
            else f"{self.value:,.3g}"
            if abs(self.value) < 100
            else f"{self.value:,.0f}"
        )
        verdict = {True: "yes", False: "NO", None: ""}[self.ok]
        return self.name, f"{value} {self.unit}".strip(), self.aim, verdict


def render(figures: Sequence[Figure]) -> str:
    rows = [("figure", "value", "aim", "met"), *(f.row() for f in figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def report(
    name: str, argv: Sequence[str], figures: Sequence[Figure], details: dict[str, Any]
) -> str:
    """The one JSON line: figures, details, the machine, the date and the command."""
    command = " ".join([f"python -m bench.{name}", *argv])
    return json.dumps(
        {
            "benchmark": name,
            "command": command,
            "date": datetime.now().astimezone().isoformat(timespec="seconds"),
            "machine": {**machine(), "load_average": os.getloadavg()},
            "figures": {
                f.name: {"value": f.value, "unit": f.unit, "aim": f.aim, "met": f.ok}
                for f in figures
            },
            **details,
        },
        ensure_ascii=False,
    )


Measured = tuple[list[Figure], dict[str, Any]]


def publish(
    name: str, argv: Sequence[str] | None, figures: Sequence[Figure], details: dict[str, Any]
) -> None:
    """The summary table, then the one JSON line (argv None: this process's own arguments)."""
    print(render(figures))
    print(report(name, sys.argv[1:] if argv is None else argv, figures, details))


def measure_in_tempdir(
    name: str,
    argv: Sequence[str] | None,
    measure: Callable[[Path], Coroutine[Any, Any, Measured]],
    prefix: str = "anabot-bench-",
) -> None:
    """Run a benchmark's `measure` in a fresh working directory (its databases, the bots'
    logs), deleted afterwards, and publish its figures."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        figures, details = asyncio.run(measure(Path(tmp)))
    publish(name, argv, figures, details)
