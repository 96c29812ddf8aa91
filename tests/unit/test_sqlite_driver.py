"""storage/sqlite_driver.py: each statement one trip to SQLite's thread, with the same results."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosqlite.core
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, create_sessionmaker

metadata = MetaData()
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("word", String(20), unique=True),
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@contextmanager
def hand_offs() -> Iterator[Counter[str]]:
    """Every function aiosqlite runs on its connection's thread, by name."""
    counts: Counter[str] = Counter()
    original = aiosqlite.core.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counts[getattr(fn, "__name__", "?")] += 1
        return await original(self, fn, *args, **kwargs)

    aiosqlite.core.Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        aiosqlite.core.Connection._execute = original  # type: ignore[method-assign]


async def test_a_statement_and_its_commit_are_two_trips_to_the_database_thread(
    engine: AsyncEngine,
) -> None:
    sessions = create_sessionmaker(engine)
    async with sessions() as session:  # the pool's connection made outside the count
        await session.execute(text("SELECT 1"))
    with hand_offs() as counts:
        async with sessions() as session:
            await session.execute(insert(notes).values(word="tea"))
            await session.commit()
    # SQLAlchemy's own adapter: cursor, execute, close, commit, and the pool's rollback = 5.
    assert sum(counts.values()) == 2, counts
    with hand_offs() as counts:
        async with sessions() as session:
            assert (await session.execute(select(notes.c.word))).scalars().all() == ["tea"]
    # Read only: no transaction for the pool to roll back.
    assert sum(counts.values()) == 1, counts


async def test_results_rowcount_and_lastrowid_are_those_sqlite_gave(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        first = await connection.execute(insert(notes).values(word="milk"))
        second = await connection.execute(insert(notes).values(word="bread"))
        assert (first.lastrowid, second.lastrowid) == (1, 2)
        await connection.execute(insert(notes), [{"word": "salt"}, {"word": "rice"}])
        changed = await connection.execute(
            update(notes).where(notes.c.id > 2).values(word=notes.c.word + "!")
        )
        assert changed.rowcount == 2
        returned = await connection.execute(
            insert(notes).values(word="soup").returning(notes.c.id, notes.c.word)
        )
        assert returned.one() == (5, "soup")
        rows = await connection.execute(select(notes.c.id, notes.c.word).order_by(notes.c.id))
        assert rows.fetchmany(2) == [(1, "milk"), (2, "bread")]
        assert rows.fetchall() == [(3, "salt!"), (4, "rice!"), (5, "soup")]
        empty = await connection.execute(select(notes.c.id).where(notes.c.id > 99))
        assert empty.first() is None


async def test_an_error_is_sqlalchemys_and_the_connection_stays_usable(engine: AsyncEngine) -> None:
    sessions = create_sessionmaker(engine)
    async with sessions() as session:
        await session.execute(insert(notes).values(word="tea"))
        await session.commit()
        with pytest.raises(IntegrityError):
            await session.execute(insert(notes).values(word="tea"))
        await session.rollback()
        await session.execute(insert(notes).values(word="sugar"))
        await session.commit()
    async with sessions() as session:
        assert (await session.scalars(select(notes.c.word).order_by(notes.c.id))).all() == [
            "tea",
            "sugar",
        ]


async def test_what_was_not_committed_is_rolled_back_when_the_session_ends(
    engine: AsyncEngine,
) -> None:
    """The pool's rollback is skipped only when no transaction is open: an abandoned write is
    still undone, and does not hold SQLite's write lock for the next session."""
    sessions = create_sessionmaker(engine)
    async with sessions() as session:
        await session.execute(insert(notes).values(word="left"))
        # closed without a commit: the pool takes the connection back mid-transaction
    async with sessions() as session:
        assert (await session.scalars(select(notes.c.word))).all() == []
        await session.execute(insert(notes).values(word="kept"))
        await session.commit()
    async with sessions() as session:
        assert (await session.scalars(select(notes.c.word))).all() == ["kept"]
