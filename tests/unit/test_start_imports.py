"""Start-up memory: `anabot run` builds everything it runs with and loads no package it does not
use on its path (issue 16: the bot's peak against the bare aiogram bot's).

numpy (no longer used by the bot), redis (only with REDIS_URL), Alembic (only for a pending
migration), asyncpg and SQLAlchemy's PostgreSQL dialect (only with a PostgreSQL URL), matplotlib
and openpyxl (only for a chart or a spreadsheet) are together tens of MB resident. Each start
runs in a fresh interpreter, as this one has long imported all of them.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from storage.db import create_engine
from storage.migrate import downgrade, head_revision, upgrade

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "numpy",
    "redis",
    "alembic",
    "asyncpg",
    "sqlalchemy.dialects.postgresql",
    "matplotlib",
    "openpyxl",
)

# What `bot.runner.run` does before it polls: the resources (database migrated if it must be,
# directory, place index), the bot, the dispatcher with its FSM and coordination, the ticker's
# hooks. No .env is read: the settings are exactly these.
START = """
import asyncio, json, sys
from bot.app import create_bot, create_dispatcher, open_resources
from bot.config import Settings
from bot.runner import install_background

async def start():
    settings = Settings(_env_file=None, database_url={url!r}, redis_url={redis!r})
    resources = await open_resources(settings)
    bot = create_bot(settings, resources.sessionmaker, token="42:TEST")
    dispatcher = create_dispatcher(settings, resources)
    install_background(dispatcher, bot, resources, settings)
    await dispatcher.storage.close()
    await bot.session.close()
    await resources.close()

asyncio.run(start())
heavy = {heavy!r}
print(json.dumps(sorted({{h for h in heavy for name in sys.modules
                          if name == h or name.startswith(h + ".")}})))
"""


def _loaded_at_start(database: Path, redis_url: str | None = None) -> list[str]:
    code = START.format(url=_url(database), redis=redis_url, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,  # this checkout's bot, not another installed one
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _url(database: Path) -> str:
    return f"sqlite+aiosqlite:///{database}"


def _revision(database: Path) -> str | None:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _migrate(database: Path, behind: bool = False) -> None:
    async def go() -> None:
        engine = create_engine(_url(database))
        try:
            await upgrade(engine)
            if behind:
                await downgrade(engine, "-1")
        finally:
            await engine.dispose()

    asyncio.run(go())


def test_a_start_without_redis_on_a_migrated_database_loads_none_of_the_heavy_packages(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.db"
    _migrate(database)
    assert _loaded_at_start(database) == []


def test_a_start_with_redis_loads_redis_and_still_nothing_else(tmp_path: Path) -> None:
    # The same start, told of a Redis: the FSM, the locks and the shared limits use it (no
    # connection is opened before the first update, so no server is needed here).
    database = tmp_path / "bot.db"
    _migrate(database)
    assert _loaded_at_start(database, "redis://127.0.0.1:6379/15") == ["redis"]


def test_a_start_on_a_database_behind_the_latest_schema_migrates_it(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    _migrate(database, behind=True)
    assert _revision(database) != head_revision()
    # Alembic imports SQLAlchemy's PostgreSQL dialect itself (its DDL for every backend).
    assert _loaded_at_start(database) == ["alembic", "sqlalchemy.dialects.postgresql"]
    assert _revision(database) == head_revision()
