"""Follow-up rows: claiming due ones atomically, and finishing them."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FollowUp, FollowUpState, Lease
from storage.upsert import insert_for


@functools.cache
def _insert_once(dialect: str) -> Any:
    """Built once per dialect (Core): each handoff schedules three or four rows."""
    insert = insert_for(dialect)
    table = FollowUp.__table__
    columns = (
        "kind", "due_at", "unique_key", "target_chat_id", "case_id", "payload", "state",
        "attempts", "created_at",
    )  # fmt: skip
    return (
        insert(table)
        .values({name: bindparam(name, type_=table.c[name].type) for name in columns})
        .on_conflict_do_nothing(index_elements=[table.c.unique_key])
    )


async def insert_once(session: AsyncSession, row: dict[str, Any]) -> bool:
    """Insert the follow-up `row` (every column of `_insert_once`) unless one with its
    `unique_key` exists; True when it was inserted."""
    result = await session.execute(_insert_once(session.get_bind().dialect.name), row)
    return bool(result.rowcount)


async def claim_due(
    session: AsyncSession, holder: str, now: datetime, *, limit: int, stale_after: timedelta
) -> list[FollowUp]:
    """Claim up to `limit` due rows for this instance.

    On PostgreSQL the inner SELECT takes `FOR UPDATE SKIP LOCKED`, so two instances never claim
    the same row; SQLite has one writer at a time, so the guarded UPDATE is atomic there too.
    Due rows come first, through the (state, due_at) index; then rows claimed by an instance
    that died (claimed long ago, never finished). Two statements, not one with OR: an OR makes
    the database sort the whole backlog before the LIMIT.
    """
    claimed = await _claim(
        session,
        holder,
        now,
        (FollowUp.state == FollowUpState.PENDING) & (FollowUp.due_at <= now),
        limit,
    )
    if len(claimed) < limit:
        stale = (FollowUp.state == FollowUpState.CLAIMED) & (
            FollowUp.claimed_at < now - stale_after
        )
        claimed += await _claim(session, holder, now, stale, limit - len(claimed))
    await session.commit()
    return claimed


async def _claim(
    session: AsyncSession, holder: str, now: datetime, condition: Any, limit: int
) -> list[FollowUp]:
    chosen = (
        select(FollowUp.id)
        .where(condition)
        .order_by(FollowUp.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = await session.scalars(
        update(FollowUp)
        .where(FollowUp.id.in_(chosen))
        .values(
            state=FollowUpState.CLAIMED,
            claimed_by=holder,
            claimed_at=now,
            attempts=FollowUp.attempts + 1,
        )
        .returning(FollowUp)
        .execution_options(synchronize_session=False)
    )
    return list(rows)


async def finish(session: AsyncSession, follow_up_id: int, holder: str, now: datetime) -> None:
    await _settle(session, follow_up_id, holder, FollowUpState.DONE, done_at=now)


async def retry_later(
    session: AsyncSession, follow_up_id: int, holder: str, due_at: datetime, error: str
) -> None:
    await _settle(
        session, follow_up_id, holder, FollowUpState.PENDING, due_at=due_at, last_error=error[:255]
    )


async def give_up(session: AsyncSession, follow_up_id: int, holder: str, error: str) -> None:
    await _settle(session, follow_up_id, holder, FollowUpState.FAILED, last_error=error[:255])


async def _settle(
    session: AsyncSession, follow_up_id: int, holder: str, state: FollowUpState, **values: Any
) -> None:
    # Only by its holder: a row another instance has claimed since (this one was too slow and
    # its claim went stale) is that instance's to settle.
    await session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up_id, FollowUp.claimed_by == holder)
        .values(state=state, **values)
    )


async def cancel_for_case(session: AsyncSession, case_id: int, kinds: tuple[str, ...]) -> int:
    return await _cancel(session, FollowUp.case_id == case_id, kinds)


async def cancel_for_target(session: AsyncSession, chat_id: int, kinds: tuple[str, ...]) -> int:
    """Addressed to one chat: e.g. a removed staff member's reminders."""
    return await _cancel(session, FollowUp.target_chat_id == chat_id, kinds)


async def _cancel(session: AsyncSession, whose: ColumnElement[bool], kinds: tuple[str, ...]) -> int:
    """Pending rows of these kinds that match `whose` are cancelled: they will not be sent."""
    result = await session.execute(
        update(FollowUp)
        .where(whose, FollowUp.kind.in_(kinds), FollowUp.state == FollowUpState.PENDING)
        .values(state=FollowUpState.CANCELLED)
    )
    return result.rowcount


async def take_lease(
    session: AsyncSession,
    name: str,
    holder: str,
    now: datetime,
    ttl: timedelta,
    *,
    reentrant: bool = True,
) -> bool:
    """A named lease so one instance runs a periodic job: taken if free, expired, or ours.

    With `reentrant=False` the lease is taken only if free or expired, even by its holder: a
    "once per period" mark (e.g. one burst notice per group while the burst lasts).
    """
    insert = insert_for(session.get_bind().dialect.name)
    free = Lease.until < now
    statement = (
        insert(Lease)
        .values(name=name, holder=holder, until=now + ttl)
        .on_conflict_do_update(
            index_elements=[Lease.name],
            set_={"holder": holder, "until": now + ttl},
            where=(free | (Lease.holder == holder)) if reentrant else free,
        )
        .returning(Lease.name)
    )
    taken = (await session.execute(statement)).first() is not None
    await session.commit()
    return taken


async def queued_case_alerts(session: AsyncSession, chat_id: int) -> list[int]:
    """Case ids whose card waits in the queue for this staff group (not yet performed)."""
    rows = await session.scalars(
        select(FollowUp.case_id)
        .where(
            FollowUp.kind == "case_alert",
            FollowUp.target_chat_id == chat_id,
            FollowUp.state.in_((FollowUpState.PENDING, FollowUpState.CLAIMED)),
        )
        .order_by(FollowUp.case_id)
    )
    return [case_id for case_id in rows if case_id is not None]


async def release_claims(session: AsyncSession) -> int:
    """Return every claimed row to pending. Only for a single-process database (SQLite) at
    start: whoever claimed them is gone, since only one process can run on it."""
    result = await session.execute(
        update(FollowUp)
        .where(FollowUp.state == FollowUpState.CLAIMED)
        .values(state=FollowUpState.PENDING, claimed_by=None)
    )
    await session.commit()
    return result.rowcount
