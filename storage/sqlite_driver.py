"""SQLite for the bot: a statement runs at once on the event loop when SQLite can take its lock
without waiting, and waits in aiosqlite's thread only when another writer holds the lock.

Why: SQLAlchemy's aiosqlite adapter sends every step of every statement (make a cursor,
execute, fetch, close; commit; the pool's rollback) to aiosqlite's thread and back: a queue put,
a thread wake-up, a self-pipe write that wakes the event loop, 44 times per update of the mother
flow, the largest single cost of the bot's hot path (bench.profile, docs/performance.md). The
statements themselves take tens of microseconds: SQLite is a library in this process, its file
in the page cache. A thread is needed only to *wait* (for another connection's write lock: the
busy handler sleeps), which must not stop the event loop. So:

- each connection's busy timeout is 0 (storage/db.py): a statement either runs now or fails at
  once with SQLITE_BUSY, having done nothing;
- a statement, commit or rollback runs on the event loop; on SQLITE_BUSY it runs again in the
  connection's thread with the busy timeout on (`WAIT_MS`), the event loop free meanwhile;
- the pool's rollback of a connection it takes back is skipped when no transaction is open
  (sqlite3's own rollback does nothing then).

What stays on the loop: a statement's own work, and a checkpoint when a commit fills the WAL
(`wal_autocheckpoint`, every 1000 pages: a few milliseconds, then the WAL starts again).

Written here because neither SQLAlchemy nor aiosqlite offers it. It uses aiosqlite's
`Connection._execute` (run a function on the connection's thread) and `_connection`, on which
every public method of aiosqlite is built; SQLAlchemy's own adapter uses them the same way.
tests/unit/test_sqlite_driver.py counts the thread hand-offs and covers the waiting path.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

WAIT_MS = 30_000  # how long a statement waits for another writer (SQLite's busy timeout)

# What one statement leaves for SQLAlchemy to read: description, rows, rowcount, lastrowid.
_Outcome = tuple[Any, list[Any], int, int | None]
_T = TypeVar("_T")


def _run(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    """The statement from cursor to close."""
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _run_many(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return cursor.description, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _commit(connection: sqlite3.Connection) -> None:
    connection.commit()


def _rollback(connection: sqlite3.Connection) -> None:
    connection.rollback()


def _busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY


def _waiting(connection: sqlite3.Connection, work: Callable[..., _T], *args: Any) -> _T:
    """In the connection's thread: the work, SQLite's busy handler waiting for the lock."""
    connection.execute(f"PRAGMA busy_timeout={WAIT_MS}")
    try:
        return work(connection, *args)
    finally:
        connection.execute("PRAGMA busy_timeout=0")


async def _now_or_waiting(
    adapted: AsyncAdapt_aiosqlite_connection, work: Callable[..., _T], *args: Any
) -> _T:
    """The work at once on the event loop; if SQLite is busy, in the connection's thread.

    A coroutine although it seldom awaits: SQLAlchemy's async layer checks that a statement
    went through an await (an immediate one costs two greenlet switches, not a loop turn)."""
    connection: aiosqlite.Connection = adapted._connection  # type: ignore[assignment]
    sqlite = connection._conn
    mutex = adapted._execute_mutex
    if not mutex.locked():  # nothing of this connection is waiting in its thread
        try:
            return work(sqlite, *args)
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
    async with mutex:
        result: _T = await connection._execute(_waiting, sqlite, work, *args)
        return result


class SqliteCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that holds a finished statement's results: no sqlite3 cursor stays open."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # Not the parent's __init__: it makes an aiosqlite cursor, a hand-off of its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1  # the DB-API default, as sqlite3's cursor has it

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        """Rows are fetched whole when the statement runs: nothing to size."""

    async def _finish(self, run: Callable[..., _Outcome], operation: str, parameters: Any) -> None:
        outcome = await _now_or_waiting(self._adapt_connection, run, operation, parameters)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._finish(_run, operation, parameters)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._finish(_run_many, operation, seq_of_parameters)

    async def _async_soft_close(self) -> None:
        """Nothing is open: the statement closed its cursor when it ran."""

    def close(self) -> None:
        self._rows.clear()

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or 1, len(rows)))]


class SqliteConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = SqliteCursor

    def commit(self) -> None:
        if self._connection._connection is None:  # closed: as SQLAlchemy's adapter does
            return
        try:
            await_(_now_or_waiting(self, _commit))
        except Exception as error:
            self._handle_exception(error)

    def rollback(self) -> None:
        """Only a transaction in progress is rolled back: the pool rolls back every connection
        it takes back, nearly always after a commit (sqlite3's rollback does nothing then)."""
        connection: sqlite3.Connection | None = self._connection._connection
        if connection is None or not connection.in_transaction:
            return
        try:
            await_(_now_or_waiting(self, _rollback))
        except Exception as error:
            self._handle_exception(error)


class SqliteDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DB-API shim, making SqliteConnection connections. Their sqlite3
    connection is made in aiosqlite's thread and used on the event loop too (one user at a
    time: a pooled connection belongs to one session, and its waits hold its mutex)."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> SqliteConnection:
        # timeout=0: no busy wait on the event loop even before storage/db.py's pragmas run.
        kwargs.setdefault("timeout", 0)
        kwargs["check_same_thread"] = False
        adapted = super().connect(*args, **kwargs)
        return SqliteConnection(self, adapted._connection)
