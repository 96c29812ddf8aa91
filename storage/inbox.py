"""The inbox: every update is stored before Telegram is told it arrived; a repeat is a no-op."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxState, InboxUpdate, utcnow


async def store(session: AsyncSession, bot_id: int, updates: list[dict[str, Any]]) -> None:
    """Insert the batch; updates seen before are left as they are."""
    if not updates:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
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
    await session.execute(insert(InboxUpdate).values(rows).on_conflict_do_nothing())


@dataclass(frozen=True)
class Begun:
    """What the inbox knows of an update about to be handled."""

    fresh: bool  # not handled yet: go on
    fsm_before: dict[str, Any] | None  # set when an earlier try started it and did not finish


async def begin(session: AsyncSession, bot_id: int, update: dict[str, Any]) -> Begun:
    """Record the update (if not yet) and say whether it still needs handling, and whether an
    earlier try began it (a crash or a transient error cut that try short).

    Read first: polling and the webhook have stored the update already, so the common case is
    one SELECT, not an INSERT that conflicts and then a SELECT."""
    row = (
        await session.execute(
            select(InboxUpdate.state, InboxUpdate.fsm_before).where(
                InboxUpdate.bot_id == bot_id, InboxUpdate.update_id == update["update_id"]
            )
        )
    ).first()
    if row is None:
        await store(session, bot_id, [update])
        return Begun(fresh=True, fsm_before=None)
    return Begun(fresh=row.state != InboxState.DONE, fsm_before=row.fsm_before)


async def mark_begun(
    session: AsyncSession,
    bot_id: int,
    update_id: int,
    fsm_key: str,
    fsm_before: dict[str, Any],
) -> None:
    """Keep the conversation's state as the first try found it, for a replay to start from.

    An older update of the same conversation still waiting for its replay loses its kept
    state: the conversation has moved on since (she answered the next step), and rewinding it
    would undo that. Its replay runs against the state as it is then."""
    await session.execute(
        update(InboxUpdate)
        .where(
            InboxUpdate.bot_id == bot_id,
            InboxUpdate.update_id == update_id,
            InboxUpdate.fsm_before.is_(None),
        )
        .values(fsm_before=fsm_before, fsm_key=fsm_key)
    )
    await session.execute(
        update(InboxUpdate)
        .where(
            InboxUpdate.fsm_key == fsm_key,
            InboxUpdate.bot_id == bot_id,
            InboxUpdate.update_id < update_id,
            InboxUpdate.state == InboxState.RECEIVED,
        )
        .values(fsm_before=None)
    )


async def done(session: AsyncSession, bot_id: int, update_id: int) -> None:
    """Handled: the payload and the state kept for a replay (her words, her phone) are dropped
    at once; the id stays for dedup."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.bot_id == bot_id, InboxUpdate.update_id == update_id)
        .values(
            state=InboxState.DONE, finished_at=utcnow(), payload={}, fsm_before=None, fsm_key=None
        )
    )


async def unfinished(
    session: AsyncSession, bot_id: int, received_before: datetime | None = None
) -> list[dict[str, Any]]:
    query = select(InboxUpdate.payload).where(
        InboxUpdate.bot_id == bot_id, InboxUpdate.state == InboxState.RECEIVED
    )
    if received_before is not None:
        query = query.where(InboxUpdate.received_at < received_before)
    rows = await session.scalars(query.order_by(InboxUpdate.update_id))
    return list(rows)


async def prune_inbox(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(InboxUpdate).where(
            InboxUpdate.state == InboxState.DONE, InboxUpdate.finished_at < before
        )
    )
    return result.rowcount
