"""Nearest-house lookup on a generated directory: `Directory.nearest` as the bot calls it.

    .venv/bin/python -m bench.nearest [--entries 10000] [--lookups 2000]

`--entries` houses are generated around the centres of the shipped regions (validated like a
directory file), then `Directory.nearest(lat, lon, 3)` is timed for `--lookups` random points
in Kazakhstan (after a warm-up). Aim: under 1 ms per lookup, judged on p99 (every mother who
shares her location waits for one). For comparison, the same answer computed with
`heapq.nsmallest` instead of sorting every house is timed too (a candidate fix; the two must
agree).
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
import time
from typing import Any

from bench.figures import Figure, percentile, publish
from bot.services.directory import Directory, Shelter, haversine_km, load_regions

AIM_MS = 1.0
WARM_UP = 50
LAT, LON = (41.0, 54.0), (50.0, 86.0)


def generate(entries: int, seed: int = 9) -> Directory:
    regions = load_regions()
    codes = {region.code for region in regions}
    rng = random.Random(seed)
    shelters = []
    for i in range(entries):
        region = regions[i % len(regions)]
        city = {"kk": f"Қала {i}", "ru": f"Город {i}", "en": f"Town {i}"}
        shelters.append(
            Shelter.model_validate(
                {
                    "id": f"bench-{i}",
                    "name": {"kk": f"Ана үйі {i}", "ru": f"Дом мамы {i}", "en": f"House {i}"},
                    "region": region.code,
                    "city": city,
                    "lat": min(max(region.lat + rng.uniform(-0.8, 0.8), 40.6), 55.4),
                    "lon": min(max(region.lon + rng.uniform(-1.2, 1.2), 46.5), 87.3),
                    "accepts": ["pregnant", "newborn"],
                },
                context={"region_codes": codes},
            )
        )
    return Directory(regions, shelters)


def nsmallest(directory: Directory, lat: float, lon: float, limit: int = 3) -> list[Any]:
    """The same ranking as Directory.nearest, keeping only the `limit` best (no full sort)."""
    return heapq.nsmallest(
        limit,
        ((s, haversine_km(lat, lon, s.lat, s.lon)) for s in directory.shelters),
        key=lambda pair: (pair[1], pair[0].id),
    )


def timings_ms(lookup: Any, points: list[tuple[float, float]]) -> list[float]:
    out = []
    for lat, lon in points:
        began = time.perf_counter_ns()
        lookup(lat, lon)
        out.append((time.perf_counter_ns() - began) / 1e6)
    return out


def measure(entries: int, lookups: int) -> tuple[list[Figure], dict[str, Any]]:
    print(f"nearest: {entries} houses, {lookups} lookups...", file=sys.stderr)
    began = time.perf_counter()
    directory = generate(entries)
    build_s = time.perf_counter() - began
    rng = random.Random(1)
    points = [(rng.uniform(*LAT), rng.uniform(*LON)) for _ in range(lookups + WARM_UP)]
    current = timings_ms(directory.nearest, points)[WARM_UP:]
    candidate = timings_ms(lambda a, b: nsmallest(directory, a, b), points)[WARM_UP:]
    agree = all(
        [s.id for s, _ in directory.nearest(a, b)] == [s.id for s, _ in nsmallest(directory, a, b)]
        for a, b in points[:200]
    )
    p50, p99 = statistics.median(current), percentile(current, 0.99)
    label = f"nearest house, {entries:,} houses"
    figures = [
        Figure(f"{label}: median", round(p50, 3), "ms"),
        Figure(f"{label}: p99", round(p99, 3), "ms", f"< {AIM_MS:g} ms", p99 < AIM_MS),
        Figure(
            f"{label}: p99 with heapq.nsmallest (candidate)",
            round(percentile(candidate, 0.99), 3),
            "ms",
        ),
    ]
    details = {
        "entries": entries,
        "lookups": lookups,
        "generate_s": round(build_s, 2),
        "nearest_ms": {
            "median": round(p50, 4),
            "p99": round(p99, 4),
            "max": round(max(current), 4),
        },
        "nsmallest_ms": {
            "median": round(statistics.median(candidate), 4),
            "p99": round(percentile(candidate, 0.99), 4),
        },
        "candidate_agrees": agree,
    }
    return figures, {"nearest": details}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.nearest", description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000, help="houses in the directory")
    parser.add_argument("--lookups", type=int, default=2_000, help="timed lookups")
    args = parser.parse_args(argv)
    if args.entries < 3 or args.lookups < 1:
        parser.error("--entries must be at least 3, --lookups at least 1")
    publish("nearest", argv, *measure(args.entries, args.lookups))


if __name__ == "__main__":
    main()
