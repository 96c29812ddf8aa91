"""Shared pieces of the load benchmarks: an emulator that times replies, a bot process.

The emulator runs in the benchmark's own process (users are played by calling its control
actions directly, with no HTTP in between); the bot under test is a separate process (`python -m
bot run`, or `python -m bench.echo_bot`) talking to it over HTTP, as it would to Telegram.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.emulator.chat_actions import act_group
from bot.emulator.server import RATE_LIMITED_METHODS, Emulator
from bot.emulator.state import ApiError, BotState

TOKEN = "424242:BENCH-load"
STAFF_GROUP = -1004200000001
ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"  # the benchmarks that share state through Redis
START_TIMEOUT = 60.0  # the first start migrates a fresh database; a busy machine needs margin
# Telegram's outgoing limits, lifted: the figures measure the bot's own work, not the 30/s
# that Telegram (and the bot's limiter) would impose on any bot alike.
UNLIMITED = {
    "TELEGRAM_PER_SECOND": "100000",
    "TELEGRAM_PRIVATE_PER_SECOND": "100000",
    "TELEGRAM_GROUP_PER_MINUTE": "1000000",
}


@dataclass
class Offer:
    """One update offered to the bot, and when its first replies arrived (monotonic s)."""

    at: float
    step: str = ""
    first_call: float | None = None  # any Bot API call for this person (answerCallbackQuery too)
    first_message: float | None = None  # the first message sent or edited in her chat


@dataclass
class ReplyClock:
    """Per person at most one update in flight: a reply in her chat answers that update."""

    offers: list[Offer] = field(default_factory=list)
    _open: dict[int, Offer] = field(default_factory=dict)
    _events: dict[int, asyncio.Event] = field(default_factory=dict)

    def offer(self, chat_id: int, step: str = "") -> Offer:
        entry = Offer(time.monotonic(), step)
        self.offers.append(entry)
        self._open[chat_id] = entry
        return entry

    def observe(self, chat_id: int, method: str, at: float) -> None:
        entry = self._open.get(chat_id)
        if entry is not None:
            if entry.first_call is None:
                entry.first_call = at
            if method in RATE_LIMITED_METHODS and entry.first_message is None:
                entry.first_message = at
        event = self._events.pop(chat_id, None)
        if event is not None:
            event.set()

    async def changed(self, chat_id: int, timeout: float) -> None:  # noqa: ASYNC109
        """Wait for the next successful Bot API call about this chat."""
        event = self._events.setdefault(chat_id, asyncio.Event())
        await asyncio.wait_for(event.wait(), timeout)

    def reset(self) -> None:
        self.offers.clear()
        self._open.clear()


class BenchEmulator(Emulator):
    """The project's emulator, telling a ReplyClock about every successful call per chat.

    Times are the request's arrival at the emulator (before any emulator work), so the
    emulator's own cost is not charged to the bot."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(bot_token=TOKEN, **kwargs)
        self.clock = ReplyClock()
        self.state: BotState = self.bot(TOKEN)

    def record(
        self, bot: BotState, method: str, params: dict[str, Any], outcome: Any, started: float
    ) -> tuple[dict[str, Any], int]:
        response = super().record(bot, method, params, outcome, started)
        if not isinstance(outcome, ApiError):
            chat_id = self._chat_of(bot, method.lower(), params)
            if chat_id is not None:
                self.clock.observe(chat_id, method.lower(), started)
        return response

    @staticmethod
    def _chat_of(bot: BotState, method: str, params: dict[str, Any]) -> int | None:
        if method == "answercallbackquery":
            query = bot.callback_queries.get(str(params.get("callback_query_id")))
            return int(query["query"]["from"]["id"]) if query else None
        raw = params.get("chat_id")
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """This process' cyclic garbage collector off while it measures.

    This process is the instrument: the emulator keeps every call and message of the run, and
    as that heap grew a full collection here took 170-200 ms (seen with gc.callbacks in
    bench.latency at 100/s), stopping the pacer and the emulator at once, so the bot's replies
    were stamped late and the tail measured this process, not the bot. One run frees no cycle
    it needs; the collector is back on afterwards."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_env(
    emulator_url: str, database: Path, *, webhook_port: int | None = None
) -> dict[str, str]:
    """The environment of a bot process against the emulator, limits lifted, logs quiet."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "WEBHOOK_", "TELEGRAM_", "REDIS", "DATABASE_"))
    }
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=emulator_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        STAFF_CHAT_ID=str(STAFF_GROUP),
        PYTHONUNBUFFERED="1",
        **UNLIMITED,
    )
    if webhook_port is not None:
        env.update(
            WEBHOOK_URL=f"http://127.0.0.1:{webhook_port}/telegram/hook",
            WEBHOOK_SECRET="bench-secret",
            WEBHOOK_PORT=str(webhook_port),
        )
    return env


class BotProcess:
    """A bot as a child process, its output in a log file; CPU time and peak RSS from /proc.

    Also the base of the e2e and chaos tests' bot process (tests/support/process.py), which
    kills it mid-conversation."""

    def __init__(self, command: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.command = list(command)
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, *self.command],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: a crash, with no chance to finish or commit anything."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM, then SIGKILL if it has not exited after `timeout` seconds."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def status_kb(self, field_name: str) -> int:
        """A field of /proc/<pid>/status in kB (VmHWM: peak resident set, VmRSS: now)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
        raise KeyError(field_name)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return ticks / os.sysconf("SC_CLK_TCK")

    def crashed(self) -> str | None:
        """What went wrong, if the process wrote a traceback or did not exit cleanly: its exit
        status, the first traceback and the end of its log."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        code = self.process.poll() if self.process is not None else None
        if "Traceback" not in text and code in (None, 0):
            return None
        first = text.find("Traceback")
        head = text[max(first - 500, 0) : first + 4000] + "\n...\n" if first >= 0 else ""
        return f"exit status {code}\n{head}{text[-1500:]}"


async def wait_until_ready(emulator: BenchEmulator, process: BotProcess, *, webhook: bool) -> None:
    """The bot is ready once it long-polls getUpdates, or once it has set its webhook."""

    def ready() -> bool:
        if webhook:
            return emulator.state.webhook is not None
        return any(call["method"] == "getUpdates" for call in emulator.state.calls[-50:])

    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if process.process is not None and process.process.poll() is not None:
            raise RuntimeError(f"the bot exited at start:\n{process.crashed()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the bot was not ready in {START_TIMEOUT:.0f} s")
        try:
            await asyncio.wait_for(emulator.state.changed.wait(), 0.5)
        except TimeoutError:
            pass


COMMANDS = {"anabot": ["-m", "bot", "run"], "echo": ["-m", "bench.echo_bot"]}


async def staffed_emulator(**options: Any) -> BenchEmulator:
    """A fresh emulator, started, with the staff forum group the handoff posts to; `options`
    go to the Emulator (e.g. rate_limit=30: Telegram's 429 beyond 30 messages/s)."""
    emulator = BenchEmulator(**options)
    await emulator.start()
    act_group(
        emulator,
        emulator.state,
        {"chat_id": STAFF_GROUP, "title": "Staff", "type": "supergroup", "is_forum": True},
    )
    return emulator


async def forget_redis_prefix(redis_url: str, prefix: str) -> None:
    """Delete every key a run left under `prefix:` (its locks, windows, handled updates)."""
    redis = Redis.from_url(redis_url)
    keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


@asynccontextmanager
async def serving(
    target: str,
    mode: str,
    workdir: Path,
    *,
    command: Sequence[str] | None = None,
    database: Path | None = None,
) -> AsyncIterator[tuple[BenchEmulator, BotProcess]]:
    """A fresh emulator (with the staff forum group) and a bot process, polling or webhook,
    ready to take updates. A bot that wrote a traceback makes the benchmark fail afterwards."""
    emulator = await staffed_emulator()
    webhook = mode == "webhook"
    env = bot_env(
        emulator.url,
        database or workdir / f"{target}-{mode}.db",
        webhook_port=free_port() if webhook else None,
    )
    process = BotProcess(command or COMMANDS[target], env, workdir / f"{target}-{mode}.log")
    process.start()
    try:
        await wait_until_ready(emulator, process, webhook=webhook)
        yield emulator, process
    finally:
        # In a thread: the emulator runs on this loop, and a request the bot has in flight at
        # the stop (a follow-up tick's) must be answered for it to finish and exit cleanly.
        await asyncio.to_thread(process.stop)
        await emulator.stop()
    crash = process.crashed()
    if crash:
        raise RuntimeError(f"{target} ({mode}) failed:\n{crash}")
