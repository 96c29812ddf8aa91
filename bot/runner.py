"""`anabot run`: polling by default, a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Resources, create_bot, create_dispatcher, open_resources
from bot.config import Settings, SettingsError
from bot.follow_ups.runner import FollowUpRunner
from bot.follow_ups.ticker import create_runner, start_ticker
from bot.middlewares.inbox import InboxRequestHandler, replay_unfinished
from bot.middlewares.metrics import add_health_routes

log = logging.getLogger(__name__)


def install_background(
    dispatcher: Dispatcher, bot: Bot, resources: Resources, settings: Settings
) -> None:
    """At start: finish what a crash left half-done, then start the follow-up ticker."""
    ticker: list[tuple[AsyncIOScheduler, FollowUpRunner]] = []
    replaying = asyncio.Lock()  # a stop waits for a replay in progress, as for a tick
    stopping = asyncio.Event()  # a replay that starts after the stop began does nothing

    async def on_startup() -> None:
        replayed = await replay_unfinished(dispatcher, bot, resources.sessionmaker)
        if replayed:
            log.info("replayed %s unfinished updates", replayed)
        follow_ups = create_runner(bot, dispatcher, resources, settings)
        await follow_ups.recover()
        scheduler = start_ticker(follow_ups, settings)
        after = settings.inbox_replay_after

        async def replay_stale() -> None:
            async with replaying:
                if stopping.is_set():
                    return
                stale = await replay_unfinished(dispatcher, bot, resources.sessionmaker, after)
            if stale:
                log.info("handled %s updates another instance left unfinished", stale)

        scheduler.add_job(
            replay_stale,
            "interval",
            seconds=max(after.total_seconds() / 2, 1),
            max_instances=1,
            coalesce=True,
            id="inbox-replay",
        )
        ticker.append((scheduler, follow_ups))

    async def on_shutdown() -> None:
        for scheduler, follow_ups in ticker:
            # Pause first: APScheduler's shutdown cancels a running tick, so the tick in
            # progress is waited for while no new one can start, and only then the timers go.
            scheduler.pause()
            log.info("stopping: waiting for the follow-up tick and inbox replay in progress")
            await follow_ups.drain()
            async with replaying:
                stopping.set()
            scheduler.shutdown(wait=False)

    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)


async def run(settings: Settings) -> None:
    resources = await open_resources(settings)
    bot = create_bot(settings, resources.sessionmaker)
    dispatcher = create_dispatcher(settings, resources)
    install_background(dispatcher, bot, resources, settings)
    # Everything built so far (aiogram's types, pydantic validators, the directory, the texts)
    # lives as long as the process: moved out of the collector's view, full collections stop
    # walking it, which were the pauses in the latency tail (bench.latency).
    gc.collect()
    gc.freeze()
    try:
        if settings.webhook_url:
            await _run_webhook(settings, bot, dispatcher, resources)
        else:
            # Updates that arrived while the bot was down are still wanted: a mother's message
            # must not be dropped because we restarted.
            await bot.delete_webhook(drop_pending_updates=False)
            health = await _serve_health(settings, bot, dispatcher, resources)
            try:
                # Each update is handled in one of the dispatcher's slots (MAX_CONCURRENT_UPDATES).
                await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)
            finally:
                if health is not None:
                    await health.cleanup()
    finally:
        await resources.close()


def _with_health(
    app: web.Application, bot: Bot, dispatcher: Dispatcher, resources: Resources
) -> web.Application:
    add_health_routes(
        app,
        bot=bot,
        sessionmaker=resources.sessionmaker,
        coordination=dispatcher["coordination"],
        metrics=dispatcher["metrics"],
    )
    return app


async def _serve_health(
    settings: Settings, bot: Bot, dispatcher: Dispatcher, resources: Resources
) -> web.AppRunner | None:
    """Polling mode: /healthz and /metrics on their own port, when HEALTH_PORT is set."""
    if settings.health_port is None:
        return None
    runner = web.AppRunner(_with_health(web.Application(), bot, dispatcher, resources))
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.health_port).start()
    log.info("health and metrics on %s:%s", settings.webhook_host, settings.health_port)
    return runner


async def _run_webhook(
    settings: Settings, bot: Bot, dispatcher: Dispatcher, resources: Resources
) -> None:
    if settings.webhook_secret is None:  # require_for_run said so already; never serve without
        raise SettingsError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
    secret = settings.webhook_secret.get_secret_value()
    app = _with_health(web.Application(), bot, dispatcher, resources)
    # WEBHOOK_URL is the public address; a reverse proxy passes its path through unchanged.
    path = urlsplit(settings.webhook_url).path or "/"
    InboxRequestHandler(dispatcher, bot, resources.sessionmaker, secret_token=secret).register(
        app, path=path
    )
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    # Telegram sends only the update kinds listed (chat_member, for strangers joining a staff
    # group, is off unless asked for); polling resolves the same list from the handlers.
    await bot.set_webhook(
        str(settings.webhook_url),
        secret_token=secret,
        allowed_updates=dispatcher.resolve_used_update_types(),
    )
    log.info("webhook server on %s:%s", settings.webhook_host, settings.webhook_port)
    await serve_until_stopped(runner)


async def serve_until_stopped(runner: web.AppRunner) -> None:
    """Serve until SIGINT or SIGTERM, then close the web server."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
