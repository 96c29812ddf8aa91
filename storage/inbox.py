"""The inbox: every update is stored before Telegram is told it arrived; a repeat is a no-op."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy import update as sa_update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxState, InboxUpdate, utcnow
from storage.upsert import insert_for

_TABLE = InboxUpdate.__table__
_KEPT_TYPE = _TABLE.c.fsm_before.type
# The two statements of every update, built once (Core: the ORM's bulk-update plugin had to
# read each one anew); parameters: bot, update, and the conversation's key and state or the time.
_THIS_ONE = (_TABLE.c.bot_id == bindparam("the_bot"), _TABLE.c.update_id == bindparam("the_update"))
_TAKE_UP = (
    sa_update(_TABLE)
    .where(*_THIS_ONE, _TABLE.c.state == InboxState.RECEIVED)
    .values(
        fsm_key=bindparam("conversation"),
        fsm_before=func.coalesce(_TABLE.c.fsm_before, bindparam("mine", type_=_KEPT_TYPE)),
    )
    .returning(_TABLE.c.fsm_before)
)
_DONE = (
    sa_update(_TABLE)
    .where(*_THIS_ONE)
    .values(state=InboxState.DONE, finished_at=bindparam("at"), payload={}, fsm_before=None)
)


@functools.cache
def _store(dialect: str) -> Any:
    """Built once per dialect (Core, one row's parameters each): a multi-row VALUES built per
    batch was a new statement to coerce and compile for every getUpdates answer."""
    insert = insert_for(dialect)
    return insert(_TABLE).on_conflict_do_nothing()


async def store(session: AsyncSession, bot_id: int, updates: list[dict[str, Any]]) -> None:
    """Insert the batch, in one statement run for each row; updates seen before are left as
    they are."""
    if not updates:
        return
    now = utcnow()
    rows = [
        {
            "bot_id": bot_id,
            "update_id": update["update_id"],
            "payload": update,
            "state": InboxState.RECEIVED,
            "received_at": now,
        }
        for update in updates
    ]
    await session.execute(_store(session.get_bind().dialect.name), rows)


@dataclass(frozen=True)
class Begun:
    """What the inbox knows of an update about to be handled."""

    fresh: bool  # not handled yet: go on
    fsm_before: dict[str, Any] | None  # set when an earlier try started it and did not finish


async def begin(
    session: AsyncSession,
    bot_id: int,
    update_id: int,
    payload: Callable[[], dict[str, Any]],
    conversation: tuple[str, dict[str, Any]] | None = None,
) -> Begun:
    """Record the update (if not yet: `payload` makes its stored form, only then) and say
    whether it still needs handling, and whether an earlier try began it (a crash or a
    transient error cut that try short).

    `conversation` is the FSM key and state this try finds; the first try's is kept for a
    replay to start from. Polling and the webhook have stored the update already, so the
    common case is one statement: an UPDATE that keeps this try's state unless one is kept,
    and returns the one kept (this try's own, marked with a nonce, on a first try)."""
    if conversation is not None:
        key, found = conversation
        mine = {**found, "try": uuid.uuid4().hex}
        parameters = {
            "the_bot": bot_id,
            "the_update": update_id,
            "conversation": key,
            "mine": mine,
        }
        kept = (await session.execute(_TAKE_UP, parameters)).first()
        if kept is not None:
            first_try = (kept.fsm_before or {}).get("try") == mine["try"]
            return Begun(fresh=True, fsm_before=None if first_try else kept.fsm_before)
    where = (InboxUpdate.bot_id == bot_id, InboxUpdate.update_id == update_id)
    state = await session.scalar(select(InboxUpdate.state).where(*where))
    if state is None:
        await store(session, bot_id, [payload()])
        if conversation is not None:  # stored just now: this is its first try
            key, found = conversation
            await session.execute(
                sa_update(InboxUpdate)
                .where(*where)
                .values(fsm_key=key, fsm_before={**found, "try": "first"})
            )
        return Begun(fresh=True, fsm_before=None)
    return Begun(fresh=state == InboxState.RECEIVED, fsm_before=None)


async def moved_on(session: AsyncSession, bot_id: int, update_id: int, fsm_key: str) -> bool:
    """Whether a later update of the same conversation was taken up since this one: then a
    replay of this one must not rewind the conversation (she answered the next step)."""
    later = await session.scalar(
        select(InboxUpdate.update_id)
        .where(
            InboxUpdate.bot_id == bot_id,
            InboxUpdate.fsm_key == fsm_key,
            InboxUpdate.update_id > update_id,
        )
        .limit(1)
    )
    return later is not None


async def done(session: AsyncSession, bot_id: int, update_id: int) -> None:
    """Handled: the payload and the state kept for a replay (her words, her phone) are dropped
    at once; the ids stay (the update's, for dedup; the conversation's, for `moved_on`)."""
    await session.execute(_DONE, {"the_bot": bot_id, "the_update": update_id, "at": utcnow()})


async def unfinished(
    session: AsyncSession, bot_id: int, received_before: datetime | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """(update_id, payload) of each update stored and not handled, oldest first."""
    query = select(InboxUpdate.update_id, InboxUpdate.payload).where(
        InboxUpdate.bot_id == bot_id, InboxUpdate.state == InboxState.RECEIVED
    )
    if received_before is not None:
        query = query.where(InboxUpdate.received_at < received_before)
    rows = await session.execute(query.order_by(InboxUpdate.update_id))
    return [(row.update_id, row.payload) for row in rows]


async def set_aside(session: AsyncSession, bot_id: int, update_ids: list[int]) -> None:
    """Updates that cannot be read: kept by id (a redelivery is still a repeat), their content
    (her words, maybe) dropped, never handled. Stored now if they were not yet."""
    if not update_ids:
        return
    await store(session, bot_id, [{"update_id": update_id} for update_id in update_ids])
    await session.execute(
        sa_update(InboxUpdate)
        .where(
            InboxUpdate.bot_id == bot_id,
            InboxUpdate.update_id.in_(update_ids),
            InboxUpdate.state == InboxState.RECEIVED,
        )
        .values(state=InboxState.POISONED, finished_at=utcnow(), payload={}, fsm_before=None)
    )


async def count_set_aside(session: AsyncSession) -> int:
    found = await session.scalar(
        select(func.count()).where(InboxUpdate.state == InboxState.POISONED)
    )
    return found or 0


async def prune_inbox(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(InboxUpdate).where(
            InboxUpdate.state.in_((InboxState.DONE, InboxState.POISONED)),
            InboxUpdate.finished_at < before,
        )
    )
    return result.rowcount
