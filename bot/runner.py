"""`anabot run`: polling by default, a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Resources, create_bot, create_dispatcher, open_resources
from bot.config import Settings
from bot.follow_up_runner import FollowUpRunner
from bot.inbox import InboxRequestHandler, replay_unfinished
from bot.scheduler import create_runner, start_ticker

log = logging.getLogger(__name__)


def install_background(
    dispatcher: Dispatcher, bot: Bot, resources: Resources, settings: Settings
) -> None:
    """At start: finish what a crash left half-done, then start the follow-up ticker."""
    ticker: list[tuple[AsyncIOScheduler, FollowUpRunner]] = []

    async def on_startup() -> None:
        replayed = await replay_unfinished(dispatcher, bot, resources.sessionmaker)
        if replayed:
            log.info("replayed %s unfinished updates", replayed)
        follow_ups = create_runner(bot, dispatcher, resources, settings)
        await follow_ups.recover()
        ticker.append((start_ticker(follow_ups, settings), follow_ups))

    async def on_shutdown() -> None:
        for scheduler, follow_ups in ticker:
            scheduler.shutdown(wait=False)
            await follow_ups.drain()

    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)


async def run(settings: Settings) -> None:
    resources = await open_resources(settings)
    bot = create_bot(settings, resources.sessionmaker)
    dispatcher = create_dispatcher(settings, resources)
    install_background(dispatcher, bot, resources, settings)
    try:
        if settings.webhook_url:
            await _run_webhook(settings, bot, dispatcher, resources)
        else:
            # Updates that arrived while the bot was down are still wanted: a mother's message
            # must not be dropped because we restarted.
            await bot.delete_webhook(drop_pending_updates=False)
            await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)
    finally:
        await resources.close()


async def _run_webhook(
    settings: Settings, bot: Bot, dispatcher: Dispatcher, resources: Resources
) -> None:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    app = web.Application()
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
    await bot.set_webhook(str(settings.webhook_url), secret_token=secret)
    log.info("webhook server on %s:%s", settings.webhook_host, settings.webhook_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
