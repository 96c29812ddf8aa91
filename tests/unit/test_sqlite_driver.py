"""storage/sqlite_driver.py: statements run on the event loop unless they must wait for a lock,
with the results SQLite gives."""

from __future__ import annotations

import asyncio
import sqlite3
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


async def test_a_statement_and_its_commit_never_leave_the_event_loop(engine: AsyncEngine) -> None:
    sessions = create_sessionmaker(engine)
    async with sessions() as session:  # the pool's connection made outside the count
        await session.execute(text("SELECT 1"))
    with hand_offs() as counts:
        async with sessions() as session:
            await session.execute(insert(notes).values(word="tea"))
            await session.commit()
        async with sessions() as session:
            assert (await session.execute(select(notes.c.word))).scalars().all() == ["tea"]
    # SQLAlchemy's own adapter: cursor, execute, close, commit and the pool's rollback, then
    # cursor, execute, fetch, close and the rollback again: 10 trips to aiosqlite's thread.
    assert sum(counts.values()) == 0, counts


async def test_a_write_that_finds_another_writer_waits_in_a_thread_not_on_the_loop(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    """Another process holds SQLite's write lock: the bot's write waits for it without stopping
    the event loop (other people's updates go on), and lands once the lock is free."""
    other = sqlite3.connect(tmp_path / "driver.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the write lock, held
    other.execute("INSERT INTO notes (word) VALUES ('first')")
    sessions = create_sessionmaker(engine)

    async def write() -> None:
        async with sessions() as session:
            await session.execute(insert(notes).values(word="second"))
            await session.commit()

    with hand_offs() as counts:
        writing = asyncio.create_task(write())
        ticks = 0
        while ticks < 50:  # the loop keeps turning while the write waits
            await asyncio.sleep(0)
            ticks += 1
        assert not writing.done()
        other.execute("COMMIT")
        await asyncio.wait_for(writing, timeout=10)
    other.close()
    assert counts["_waiting"] >= 1, counts
    async with sessions() as session:
        assert (await session.scalars(select(notes.c.word).order_by(notes.c.id))).all() == [
            "first",
            "second",
        ]


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
