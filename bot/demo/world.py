"""The demo's world: an in-process emulator, the real bot polling it, and the people you play.

No token and no network: the emulator plays Telegram, a temporary database holds the state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bot.app import create_bot, create_dispatcher, open_resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient, UserClient
from bot.emulator.server import Emulator
from bot.runner import install_background

DEMO_TOKEN = "100000001:DEMO-no-real-token"
STAFF_GROUP = -1001000000001
STAFF_GROUP_TITLE = "Ana Uyi staff"
ROLES = ("mother", "foster", "staff")

# Each role is its own Telegram user, so each keeps its own conversation with the bot.
_PEOPLE = {"mother": (700001, "Aigul"), "foster": (700002, "Saule"), "staff": (700003, "Asel")}

# Follow-ups come within minutes instead of hours or days, so a demo run can show them.
FOLLOW_UPS = {
    "escalate_urgent_after": timedelta(minutes=1),
    "escalate_normal_after": timedelta(minutes=3),
    "escalate_to_coordinators_after": timedelta(minutes=2),
    "check_in_after": timedelta(minutes=3),
    "draft_reminder_after": timedelta(minutes=3),
    "draft_last_reminder_after": timedelta(minutes=6),
}


@dataclass
class World:
    """Everything a demo session talks to."""

    client: EmulatorClient
    people: dict[str, UserClient]
    settings: Settings

    @property
    def staff_group(self) -> int:
        return STAFF_GROUP

    def role_of_chat(self, chat_id: int) -> str | None:
        """The role whose private chat this is (private chat ids are user ids)."""
        return next((role for role, user in self.people.items() if user.chat_id == chat_id), None)

    @property
    def chats(self) -> list[int]:
        """Every chat the transcript shows: each person's private chat and the staff group."""
        return [user.chat_id for user in self.people.values()] + [STAFF_GROUP]


def demo_settings(emulator_url: str, database_url: str, lang: str | None) -> Settings:
    """The bot's settings in the demo: the staff member is an admin, the office always open."""
    return Settings(
        _env_file=None,
        bot_token=DEMO_TOKEN,
        telegram_api_url=emulator_url,
        database_url=database_url,
        staff_chat_id=STAFF_GROUP,
        admin_ids=(_PEOPLE["staff"][0],),
        staff_language=lang or "ru",
        # Always within working hours, so a normal case escalates in minutes at any time of day.
        working_hours="Mon-Sun 00:00-24:00",
        telegram_limits_scale=0.1,  # Telegram's per-chat pace, ten times quicker
        # The environment may shorten them further (the demo's tests do).
        **{key: value for key, value in FOLLOW_UPS.items() if key.upper() not in os.environ},
    )


@contextlib.asynccontextmanager
async def running_world(lang: str | None) -> AsyncIterator[World]:
    """The emulator with a forum staff group, the bot polling it, and the three people."""
    emulator = Emulator()
    await emulator.start()
    with tempfile.TemporaryDirectory(prefix="anabot-demo-") as folder:
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        settings = demo_settings(emulator.url, database_url, lang)
        resources = await open_resources(settings)
        bot = create_bot(settings, resources.sessionmaker)
        dispatcher = create_dispatcher(settings, resources)
        install_background(dispatcher, bot, resources, settings)
        client = EmulatorClient(emulator.url, DEMO_TOKEN)
        staff_id, _ = _PEOPLE["staff"]
        await client.create_group(
            STAFF_GROUP, STAFF_GROUP_TITLE, is_forum=True, members={staff_id: "administrator"}
        )
        people = {
            role: client.user(
                user_id, name, language_code=lang if role != "staff" else settings.staff_language
            )
            for role, (user_id, name) in _PEOPLE.items()
        }
        # One update at a time, so "all updates confirmed" means "all handled" for the transcript.
        polling = asyncio.create_task(
            dispatcher.start_polling(bot, handle_signals=False, handle_as_tasks=False)
        )
        try:
            yield World(client, people, settings)
        finally:
            # Stopping the ticker cancels a tick in flight (bot/runner.py): APScheduler logs it,
            # and SQLAlchemy its connection left behind. The demo's database is thrown away, so
            # that is not worth a traceback on the way out.
            for noisy in ("apscheduler.executors", "sqlalchemy.pool"):
                logging.getLogger(noisy).setLevel(logging.CRITICAL)
            with contextlib.suppress(RuntimeError):  # the demo ended before polling began
                await dispatcher.stop_polling()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await asyncio.wait_for(polling, timeout=5)
            await client.close()
            await bot.session.close()
            await resources.close()
            await emulator.stop()
