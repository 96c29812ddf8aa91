"""Shared fixtures: a migrated database, the emulator, a bot and the real dispatcher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Resources, open_resources
from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token="123456:TEST-token",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'anabot.db'}",
        staff_chat_id=-1001000000001,
        admin_ids=(900001,),
    )


@pytest.fixture
async def resources(settings: Settings) -> AsyncIterator[Resources]:
    opened = await open_resources(settings)
    yield opened
    await opened.close()
