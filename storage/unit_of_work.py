"""One unit of work per update: its session, the person it is about, and its inbox mark.

Made by the session middleware (`bot.middlewares.session`), passed to handlers in data as `uow`
beside `db` (its session), and committed there once the handler returns. Before that, every
request to Telegram commits what it holds (`bot.middlewares.outgoing`): an answer a person sees
is an answer stored, and SQLite's write lock is never held over the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage import inbox
from storage.fsm import writes_pending
from storage.models import User


@dataclass
class InboxMark:
    """The (bot id, update id) being handled. Made by the inbox gate, which reads `done` back:
    marked in the update's own last commit, the update has nothing left to mark."""

    bot_id: int
    update_id: int
    done: bool = False


@dataclass
class UnitOfWork:
    session: AsyncSession
    person: User | None = None  # her row, in a private chat (people seen only in groups: None)
    mark: InboxMark | None = None  # None outside an update (the follow-up runner)

    async def commit(self, *, handled: bool = False) -> None:
        """Commit what was written so far.

        With `handled` (when the handler returns, or a handler that must be durable at once)
        the update's inbox row is marked done in the same commit: a crash before that replays
        the update, a crash after it does not. Nothing is lost; a repeat needs a crash in the
        instant between Telegram's reply and this commit.
        """
        mark = self.mark if handled else None
        if mark is not None:
            await inbox.done(self.session, mark.bot_id, mark.update_id)
        if self.session.in_transaction() or writes_pending(self.session):
            await self.session.commit()
        if mark is not None:
            mark.done = True


def unit_of(session: AsyncSession) -> UnitOfWork:
    """The unit of work a session belongs to (its handler was given `db`, not `uow`)."""
    uow = session.info.get(UnitOfWork)
    if not isinstance(uow, UnitOfWork):
        raise LookupError("this session belongs to no unit of work")
    return uow


class UnitsInFlight:
    """The units of work open now, by the asyncio task doing each one.

    aiogram hands a request middleware only (bot, method): the task making the request is what
    ties it to the update (or follow-up) it belongs to. Opened and closed explicitly by whoever
    owns the unit (the session middleware, the follow-up runner); read by the outgoing
    middleware to commit before each request.
    """

    def __init__(self) -> None:
        self._by_task: dict[asyncio.Task[object], UnitOfWork] = {}

    @contextmanager
    def open(self, uow: UnitOfWork) -> Iterator[UnitOfWork]:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("a unit of work runs inside a task")
        outer = self._by_task.get(task)
        owner = uow.session.info.get(UnitOfWork)
        self._by_task[task] = uow
        uow.session.info[UnitOfWork] = uow
        try:
            yield uow
        finally:
            if owner is None:
                uow.session.info.pop(UnitOfWork, None)
            else:
                uow.session.info[UnitOfWork] = owner
            if outer is None:
                del self._by_task[task]
            else:
                self._by_task[task] = outer

    def current(self) -> UnitOfWork | None:
        task = asyncio.current_task()
        return None if task is None else self._by_task.get(task)

    def __len__(self) -> int:
        return len(self._by_task)


# One per process: every bot, dispatcher and runner of the process shares it (a task does one
# unit at a time, so several bots in one process, as in tests, never mix theirs up).
in_flight = UnitsInFlight()
