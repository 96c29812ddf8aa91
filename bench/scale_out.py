"""Scale-out: the whole mother flow in webhook mode on PostgreSQL + Redis, one instance vs two.

    .venv/bin/python -m bench.scale_out [--users 300] [--concurrency 40]

For each count of instances (1, then 2, in the same run): a fresh emulator, a fresh PostgreSQL
database (127.0.0.1:5432) and a fresh Redis prefix (127.0.0.1:6379), the instances behind the
round-robin balancer of bench/balancer.py (nginx's place), and `--users` mothers through the
whole flow with `--concurrency` of them mid-flow at any time (a closed loop, as in
bench.throughput). Telegram's outgoing limits are lifted (harness.UNLIMITED).

Figure: updates/s with two instances divided by updates/s with one. On a machine with N cores,
the emulator and the players take one of them: two instances can only gain when there are
cores left for them (the machine's core count is printed beside the figure).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from bench.balancer import Balancer
from bench.figures import Figure, latencies_ms, measure_in_tempdir, percentile
from bench.flow import mother_steps, play
from bench.harness import (
    REDIS_URL,
    BotProcess,
    bot_env,
    forget_redis_prefix,
    free_port,
    staffed_emulator,
    wait_until_ready,
)

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
FIRST_UID = 700_000_000
WARM_UP_USERS = 4


async def _healthy(port: int) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"instance on port {port} never became healthy")
            await asyncio.sleep(0.1)


async def run_instances(
    count: int, workdir: Path, users: int, concurrency: int, first_uid: int
) -> dict[str, Any]:
    name = f"anabot_bench_{uuid.uuid4().hex[:10]}"
    prefix = f"bench-{name}"
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    emulator = await staffed_emulator()
    ports = [free_port() for _ in range(count)]
    # An instance serves the path of WEBHOOK_URL, the balancer's: /hook.
    balancer = Balancer([f"http://127.0.0.1:{port}/hook" for port in ports])
    await balancer.start()
    processes = []
    for index, port in enumerate(ports):
        env = bot_env(emulator.url, workdir / "unused.db", webhook_port=port)
        env.update(
            DATABASE_URL=f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}",
            REDIS_URL=REDIS_URL,
            REDIS_PREFIX=prefix,
            WEBHOOK_URL=balancer.url,
        )
        processes.append(
            BotProcess(["-m", "bot", "run"], env, workdir / f"scale-{count}-{index}.log")
        )
    try:
        for process, port in zip(processes, ports, strict=True):
            process.start()
            await _healthy(port)
        await wait_until_ready(emulator, processes[0], webhook=True)
        await asyncio.gather(
            *(
                play(emulator, first_uid + i, mother_steps(first_uid + i))
                for i in range(WARM_UP_USERS)
            )
        )
        emulator.clock.reset()
        queue = iter(range(first_uid + WARM_UP_USERS, first_uid + WARM_UP_USERS + users))

        async def worker() -> None:
            for uid in queue:
                await play(emulator, uid, mother_steps(uid))

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - began
        offers = emulator.clock.offers
        replies = latencies_ms(offers, "first_call")
        shares = dict(balancer.sent)
    finally:
        for process in processes:
            await asyncio.to_thread(process.stop)  # the emulator on this loop answers meanwhile
        await balancer.stop()
        await emulator.stop()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        await forget_redis_prefix(REDIS_URL, prefix)
    for process in processes:
        crash = process.crashed()
        if crash:
            raise RuntimeError(f"an instance failed:\n{crash}")
    return {
        "instances": count,
        "users": users,
        "concurrency": concurrency,
        "updates": len(offers),
        "seconds": round(elapsed, 3),
        "updates_per_s": round(len(offers) / elapsed, 2),
        "first_reply_p50_ms": round(percentile(replies, 0.5), 2),
        "first_reply_p99_ms": round(percentile(replies, 0.99), 2),
        "updates_per_instance": list(shares.values()),
    }


async def measure(
    workdir: Path, users: int, concurrency: int
) -> tuple[list[Figure], dict[str, Any]]:
    runs = {}
    for count in (1, 2):
        print(f"scale-out: {count} instance(s), {users} mothers...", file=sys.stderr)
        runs[count] = await run_instances(
            count, workdir, users, concurrency, FIRST_UID + count * 10_000_000
        )
    one, two = runs[1], runs[2]
    ratio = two["updates_per_s"] / one["updates_per_s"]
    figures = [
        Figure("scale-out webhook PG+Redis: 1 instance", one["updates_per_s"], "updates/s"),
        Figure("scale-out webhook PG+Redis: 2 instances", two["updates_per_s"], "updates/s"),
        Figure(
            "scale-out: 2 instances / 1",
            round(ratio, 3),
            "",
            f"{os.cpu_count()} cores here",
        ),
    ]
    return figures, {"scale_out": {"one": one, "two": two}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_out", description=__doc__)
    parser.add_argument("--users", type=int, default=300, help="mothers per configuration")
    parser.add_argument("--concurrency", type=int, default=40, help="mothers mid-flow at once")
    args = parser.parse_args(argv)
    measure_in_tempdir(
        "scale_out",
        argv,
        lambda workdir: measure(workdir, args.users, args.concurrency),
        prefix="anabot-scale-",
    )


if __name__ == "__main__":
    main()
