"""The baseline of the load benchmarks: a bare aiogram 3 bot, no database, no middlewares.

    BOT_TOKEN=... TELEGRAM_API_URL=... .venv/bin/python -m bench.echo_bot

It answers each message with its text (a fixed word for a location or a contact, which have
none) and each callback query with an empty answer. Polling by default; with WEBHOOK_URL (and
WEBHOOK_PORT, WEBHOOK_SECRET) it serves aiogram's own webhook handler, like `anabot run` does.
"""

from __future__ import annotations

import asyncio
import logging
import os
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

router = Router(name=__name__)


@router.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "ok")


@router.callback_query(F.data)
async def answer(query: CallbackQuery) -> None:
    await query.answer()


def create_echo(token: str, api_url: str) -> tuple[Bot, Dispatcher]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return Bot(token, session=session), dispatcher


async def serve_webhook(bot: Bot, dispatcher: Dispatcher, url: str, port: int, secret: str) -> None:
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, secret_token=secret or None).register(
        app, path=urlsplit(url).path or "/"
    )
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await bot.set_webhook(url, secret_token=secret or None)
    # Imported here, not at the top: in polling mode (bench.memory's baseline) the echo bot's
    # resident memory must hold aiogram alone, none of anabot's modules.
    from bot.runner import serve_until_stopped

    await serve_until_stopped(runner)


async def main() -> None:
    bot, dispatcher = create_echo(os.environ["BOT_TOKEN"], os.environ["TELEGRAM_API_URL"])
    webhook = os.environ.get("WEBHOOK_URL")
    if webhook:
        port = int(os.environ.get("WEBHOOK_PORT", "8080"))
        await serve_webhook(bot, dispatcher, webhook, port, os.environ.get("WEBHOOK_SECRET", ""))
    else:
        await bot.delete_webhook(drop_pending_updates=False)
        await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(main())
