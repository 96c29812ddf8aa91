"""APScheduler as the ticker only: follow-ups themselves are database rows."""

from __future__ import annotations

import logging
import os
import socket

from aiogram import Bot, Dispatcher
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Resources
from bot.config import Settings
from bot.follow_ups.runner import FollowUpRunner

log = logging.getLogger(__name__)


def instance_name() -> str:
    """Who holds a claim or a lease: host and process, readable in the database."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def create_runner(
    bot: Bot, dispatcher: Dispatcher, resources: Resources, settings: Settings
) -> FollowUpRunner:
    return FollowUpRunner(
        bot,
        resources.sessionmaker,
        settings,
        resources.directory,
        dispatcher["i18n_middleware"].core,
        dispatcher["case_threads"],
        instance_name(),
    )


def start_ticker(runner: FollowUpRunner, settings: Settings) -> AsyncIOScheduler:
    """The tick claims due rows every second or so; the digest and the purge run daily.

    No job store: APScheduler keeps only these three timers in memory. What must survive a
    restart is in the follow_ups table, so a restart loses nothing.
    """
    scheduler = AsyncIOScheduler(timezone=settings.tz)
    scheduler.add_job(
        runner.tick,
        "interval",
        seconds=settings.follow_up_tick.total_seconds(),
        max_instances=1,
        coalesce=True,
        id="follow-ups",
    )
    hour, minute = (int(part) for part in settings.digest_time.split(":"))
    scheduler.add_job(runner.digest, "cron", hour=hour, minute=minute, id="digest")
    scheduler.add_job(runner.purge, "cron", hour=3, minute=17, id="purge")
    scheduler.start()
    log.info("follow-up ticker started (every %s)", settings.follow_up_tick)
    return scheduler
