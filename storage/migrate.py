"""Alembic migrations applied from code (`anabot migrate` and at start).

Alembic is imported only when a migration is to be run: `anabot run` on a database already at
the latest schema asks for its revision with one query and never loads Alembic (8 MB resident
and 60 ms of imports, docs/performance.md).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
LOCK_KEY = 0x616E61626F74  # "anabot": the advisory lock that serializes migrations

_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@cache
def head_revision() -> str | None:
    """The latest revision, read from the migration files without Alembic; None when they do
    not form one plain line (a merge, a branch, an unusual header), and then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.findall(source)
        if len(found) != 1:
            return None
        revisions.add(found[0])
        parents.update(_DOWN.findall(source))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def _current(connection: AsyncConnection) -> str | None:
    """The database's revision; None when it has none yet (a fresh database)."""
    has_table = await connection.run_sync(lambda sync: inspect(sync).has_table("alembic_version"))
    if not has_table:
        return None
    rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
    return rows[0][0] if len(rows) == 1 else None


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to `revision` over the given engine."""

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several instances starting at once: one migrates, the others wait, then find the
            # schema at head. The lock ends with this transaction.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        head = head_revision()
        if revision == "head" and head is not None and await _current(connection) == head:
            return
        config = alembic_config(engine.url.render_as_string(hide_password=False))

        def _upgrade(sync: Connection) -> None:
            from alembic import command

            config.attributes["connection"] = sync
            command.upgrade(config, revision)

        await connection.run_sync(_upgrade)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))

    def _downgrade(connection: Connection) -> None:
        from alembic import command

        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_downgrade)
