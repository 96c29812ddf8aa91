"""`/healthz` and `/metrics` (Prometheus) for whoever runs the bot.

Metrics live in a registry of their own (not prometheus_client's global one), so two
dispatchers in one process (tests) never share counters. What the database and the limiter
already count is read at scrape time instead of being counted twice.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.middlewares.inbox import SKIPPED
from bot.middlewares.limits import limits_of
from bot.middlewares.session import Handler
from storage import inbox
from storage.coordination import Coordination
from storage.models import FollowUp, FollowUpState, utcnow

log = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=1)  # a due follow-up not performed within this is "late"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "anabot_updates",
            "Updates seen, by outcome (handled, skipped as a repeat, failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "anabot_update_seconds",
            "Time from an update entering the dispatcher to its handler returning",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.follow_ups_due = self._gauge(
            "anabot_follow_ups_due", "Follow-ups due and not yet done"
        )
        self.follow_ups_late = self._gauge(
            "anabot_follow_ups_late", "Follow-ups due for over a minute and not yet done"
        )
        self.messages_sent = self._gauge(
            "anabot_messages_sent_total", "Messages Telegram accepted from this instance"
        )
        self.set_aside = self._gauge(
            "anabot_updates_set_aside",
            "Updates that could not be read, kept by id without their content (until the "
            "inbox is pruned)",
        )
        self.telegram_429 = self._gauge(
            "anabot_telegram_429_total", "Requests Telegram answered with 429 (flood wait)"
        )

    def _gauge(self, name: str, documentation: str) -> Gauge:
        # A gauge set at scrape time from what the database or the limiter already counts.
        return Gauge(name, documentation, registry=self.registry)

    async def refresh(self, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        now = utcnow()
        waiting = (FollowUp.state.in_((FollowUpState.PENDING, FollowUpState.CLAIMED))) & (
            FollowUp.due_at <= now
        )
        async with sessionmaker() as session:
            due = await session.scalar(select(func.count()).where(waiting))
            late = await session.scalar(
                select(func.count()).where(waiting & (FollowUp.due_at <= now - LATE_AFTER))
            )
            set_aside = await inbox.count_set_aside(session)
        self.follow_ups_due.set(due or 0)
        self.follow_ups_late.set(late or 0)
        self.set_aside.set(set_aside)
        limits = limits_of(bot)
        if limits is not None:
            self.messages_sent.set(limits.stats.sent)
            self.telegram_429.set(limits.stats.retried_429)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MetricsMiddleware(BaseMiddleware):
    """Outermost of ours: counts each update and how long its handling took."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        started = time.perf_counter()
        try:
            result = await handler(event, data)
        except Exception:
            self.metrics.updates.labels("failed").inc()
            raise
        finally:
            self.metrics.latency.observe(time.perf_counter() - started)
        self.metrics.updates.labels("skipped" if result is SKIPPED else "handled").inc()
        return result


def add_health_routes(
    app: web.Application,
    *,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    coordination: Coordination,
    metrics: Metrics,
) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        checks: dict[str, str] = {}
        try:
            async with sessionmaker() as session:
                await session.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as error:  # any failure is "not healthy", with its kind for the log
            log.warning("health: database unreachable (%s)", type(error).__name__)
            checks["database"] = "unreachable"
        redis = await coordination.ping()
        if redis is not None:
            checks["redis"] = "ok" if redis else "unreachable"
        healthy = all(value == "ok" for value in checks.values())
        return web.json_response(checks, status=200 if healthy else 503)

    async def metrics_page(_request: web.Request) -> web.Response:
        await metrics.refresh(bot, sessionmaker)
        return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
