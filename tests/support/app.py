"""The bot in the test process: its settings, and its dispatcher started and stopped as
`python -m bot run` does (startup and shutdown hooks included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher

from bot.app import Resources, create_bot, create_dispatcher
from bot.config import Settings
from tests.support.constants import ADMIN, STAFF_CHAT, TOKEN


def app_settings(database: Path, **fields: Any) -> Settings:
    """The in-process settings: the test token, staff group and admin, a SQLite file, and
    Telegram's windows shrunk so that flows run at full speed; `fields` add or replace."""
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{database}",
        staff_chat_id=STAFF_CHAT,
        admin_ids=(ADMIN,),
        telegram_limits_scale=0.001,
        **fields,
    )


async def start_app(
    settings: Settings, resources: Resources, **options: Any
) -> tuple[Dispatcher, Bot]:
    """A bot and the real dispatcher (`options` for `create_dispatcher`), started up."""
    bot = create_bot(settings, resources.sessionmaker)
    dispatcher = create_dispatcher(settings, resources, **options)
    await dispatcher.emit_startup(
        bot=bot, dispatcher=dispatcher, bots=[bot], **dispatcher.workflow_data
    )
    return dispatcher, bot


async def stop_app(dispatcher: Dispatcher, bot: Bot) -> None:
    await dispatcher.emit_shutdown(
        bot=bot, dispatcher=dispatcher, bots=[bot], **dispatcher.workflow_data
    )
    await bot.session.close()
