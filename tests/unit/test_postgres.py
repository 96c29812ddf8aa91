"""The same models, migrations and flows on PostgreSQL, over a real connection.

CI runs PostgreSQL on 127.0.0.1:5432 (`.ci/run` starts it if it is down). Elsewhere these tests
say plainly that they were skipped and why.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.app import Resources, open_resources
from bot.config import Settings
from storage.db import create_engine
from storage.migrate import downgrade
from storage.models import Case
from tests.support.chat import Chat
from tests.support.constants import STAFF_CHAT
from tests.support.databases import assert_migrations_go_up_and_down

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def _reachable() -> bool:
    engine = create_engine(POSTGRES_URL)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
    except (OSError, Exception):
        return False
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres() -> AsyncIterator[str]:
    if not await _reachable():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (CI starts it: see .ci/run)")
    engine = create_engine(POSTGRES_URL)
    await downgrade(engine, "base")  # a clean database for each test
    await engine.dispose()
    yield POSTGRES_URL
    engine = create_engine(POSTGRES_URL)
    await downgrade(engine, "base")
    await engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, postgres: str) -> Settings:  # overrides conftest's SQLite settings
    return Settings(
        _env_file=None,
        bot_token="123456:TEST-token",
        database_url=postgres,
        staff_chat_id=STAFF_CHAT,
        admin_ids=(900001,),
        telegram_limits_scale=0.001,
    )


@pytest.fixture
async def resources(settings: Settings) -> AsyncIterator[Resources]:
    opened = await open_resources(settings)
    yield opened
    await opened.close()


async def test_migrations_go_up_and_down_on_postgresql(postgres: str) -> None:
    await assert_migrations_go_up_and_down(postgres)


async def test_handoff_and_take_on_postgresql(
    chat_with: Callable[..., Chat], client, resources: Resources, app
) -> None:
    from tests.support.mother import handed_off

    mother = chat_with(user_id=9900, language_code="kk")
    await handed_off(mother, "kk")
    async with resources.sessionmaker() as session:
        case = (await session.scalars(select(Case))).one()
    assert case.phone == "+77012345678" and case.card_message_id is not None
    card = await client.message(STAFF_CHAT, case.card_message_id)
    dispatcher, bot = app
    first = client.user(900001, "Айгерим", language_code="ru")
    second = client.user(900002, "Дина", language_code="ru")
    dispatcher["settings"] = dispatcher["settings"].model_copy(
        update={"admin_ids": (900001, 900002)}
    )
    presses = [
        await first.press(card, text="✋ Взять", chat_id=STAFF_CHAT),
        await second.press(card, text="✋ Взять", chat_id=STAFF_CHAT),
    ]
    await asyncio.gather(*(dispatcher.feed_raw_update(bot, update) for update in presses))
    answers = [a.get("text") or "" for a in await client.callback_answers()]
    assert sum("Уже взято" in answer for answer in answers) == 1
