"""SQLite through aiosqlite with one hand-off to the connection's thread per statement.

SQLAlchemy's aiosqlite adapter awaits each step of a statement on its own: make a cursor,
execute, fetch the rows, close the cursor. Each await is a trip to aiosqlite's thread and back
(a queue put, a thread wake-up, a self-pipe write that wakes the event loop): 3-4 per
statement, 44 per update of the mother flow, the largest single cost of the bot's hot path
(bench.profile, docs/performance.md). Here the whole statement runs as one function on that
thread and returns what SQLAlchemy reads afterwards (description, rows, rowcount, lastrowid).

Written here because neither SQLAlchemy nor aiosqlite offers it. It uses aiosqlite's
`Connection._execute` (run a function on the connection's thread) and `_conn`, the calls every
public method of aiosqlite is built on; SQLAlchemy's own adapter uses `_conn` and `_tx` the same
way. A change to them fails tests/unit/test_sqlite_driver.py, which counts the hand-offs.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

# What one statement leaves for SQLAlchemy to read: description, rows, rowcount, lastrowid.
_Outcome = tuple[Any, list[Any], int, int | None]


def _run(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    """On the connection's thread: the statement from cursor to close."""
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


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that holds a finished statement's results: no aiosqlite cursor stays open."""

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
        """Rows are fetched whole in the one hand-off: nothing to size."""

    async def _finish(self, run: Any, operation: str, parameters: Any) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        async with self._adapt_connection._execute_mutex:
            outcome: _Outcome = await connection._execute(
                run, connection._conn, operation, parameters
            )
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._finish(_run, operation, parameters)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._finish(_run_many, operation, seq_of_parameters)

    async def _async_soft_close(self) -> None:
        """Nothing is open: the statement closed its cursor on the connection's thread."""

    def close(self) -> None:
        self._rows.clear()

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or 1, len(rows)))]


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor

    def rollback(self) -> None:
        """Only a transaction in progress is rolled back. The pool rolls back every connection
        it takes back (a hand-off each, about one per update), nearly always after a commit:
        sqlite3's own rollback does nothing then. `in_transaction` reads SQLite's autocommit
        flag; no statement runs on this connection meanwhile (the pool has it, or this
        connection's statements hold its mutex)."""
        connection: sqlite3.Connection | None = self._connection._connection
        if connection is not None and connection.in_transaction:
            super().rollback()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DB-API shim, making OneHopConnection connections."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> OneHopConnection:
        adapted = super().connect(*args, **kwargs)
        return OneHopConnection(self, adapted._connection)
