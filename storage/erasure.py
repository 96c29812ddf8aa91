"""Finding and deleting what ties a person to the bot: for /forget and the retention purge."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from storage.models import (
    AuditEntry,
    FollowUp,
    FsmRecord,
    InboxState,
    InboxUpdate,
    MessageLink,
    StaffPost,
    utcnow,
)

log = logging.getLogger(__name__)

# The tables /forget and the purge delete from or overwrite: vacuumed after (PostgreSQL).
ERASED_TABLES = (
    "cases",
    "applications",
    "message_links",
    "staff_posts",
    "follow_ups",
    "audit_log",
    "inbox_updates",
    "fsm_states",
    "chat_messages",
    "users",
)


@dataclass(frozen=True)
class StaffMessage:
    """A message the bot put in a staff chat that carries a person's words."""

    chat_id: int
    message_id: int


def _of(column_case: Any, column_app: Any, case_ids: list[int], app_ids: list[int]) -> Any:
    conditions = []
    if case_ids:
        conditions.append(column_case.in_(case_ids))
    if app_ids:
        conditions.append(column_app.in_(app_ids))
    return or_(*conditions)


async def staff_messages_of(
    session: AsyncSession, case_ids: list[int], app_ids: list[int]
) -> list[StaffMessage]:
    """Her relayed copies (text, location, photo...) and the bot's notices carrying her words.
    Staff's own replies are theirs, not copies of hers: they stay (see README)."""
    if not case_ids and not app_ids:
        return []
    links = await session.execute(
        select(MessageLink.staff_chat_id, MessageLink.staff_message_id).where(
            _of(MessageLink.case_id, MessageLink.application_id, case_ids, app_ids),
            MessageLink.from_staff.is_(False),
            MessageLink.staff_message_id.is_not(None),
        )
    )
    posts = await session.execute(
        select(StaffPost.chat_id, StaffPost.message_id).where(
            _of(StaffPost.case_id, StaffPost.application_id, case_ids, app_ids)
        )
    )
    found = [StaffMessage(int(chat), int(mid)) for chat, mid in [*links.all(), *posts.all()]]
    return list(dict.fromkeys(found))


async def delete_links(session: AsyncSession, case_ids: list[int], app_ids: list[int]) -> None:
    """The kept messages (hers and the staff's to her), the records of the bot's notices, and
    the follow-ups that would copy or act on them."""
    if not case_ids and not app_ids:
        return
    link_ids = list(
        await session.scalars(
            select(MessageLink.id).where(
                _of(MessageLink.case_id, MessageLink.application_id, case_ids, app_ids)
            )
        )
    )
    # Draft and training reminders name their application in the key only.
    by_key = [
        FollowUp.unique_key.like(f"{kind}:{app_id}:%")
        for app_id in app_ids
        for kind in ("draft", "training")
    ]
    await session.execute(
        delete(FollowUp).where(
            or_(
                _of(FollowUp.case_id, FollowUp.application_id, case_ids, app_ids),
                FollowUp.unique_key.in_([f"relay:{link_id}" for link_id in link_ids]),
                *by_key,
            )
        )
    )
    await session.execute(
        delete(StaffPost).where(_of(StaffPost.case_id, StaffPost.application_id, case_ids, app_ids))
    )
    if link_ids:
        await session.execute(delete(MessageLink).where(MessageLink.id.in_(link_ids)))


async def forget_follow_ups(session: AsyncSession, user_id: int) -> None:
    """Everything due to her own chat: check-ins, draft and training reminders."""
    await session.execute(delete(FollowUp).where(FollowUp.target_chat_id == user_id))


async def scrub_audit(
    session: AsyncSession, user_ids: Iterable[int], app_ids: list[int] | None = None
) -> None:
    """The audit keeps what was done, not by whom: her id and the details go."""
    ids = list(user_ids)
    if ids:
        await session.execute(
            update(AuditEntry).where(AuditEntry.actor_id.in_(ids)).values(actor_id=None, details={})
        )
    if app_ids:  # the applications are deleted: their rows keep no pointer to a number reused
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.application_id.in_(app_ids))
            .values(application_id=None, details={})
        )


def _mentions(payload: Any, user_id: int) -> bool:
    """Whether an update's payload comes from or goes to this person (her id as a sender or
    a chat)."""
    if isinstance(payload, dict):
        for key in ("from", "chat", "user"):
            value = payload.get(key)
            if isinstance(value, dict) and value.get("id") == user_id:
                return True
        return any(_mentions(value, user_id) for value in payload.values())
    if isinstance(payload, list):
        return any(_mentions(value, user_id) for value in payload)
    return False


async def forget_inbox(session: AsyncSession, user_id: int) -> None:
    """Her updates not finished yet lose their text and are not replayed; finished ones lose
    the conversation key that names her chat."""
    rows = await session.execute(
        select(InboxUpdate.bot_id, InboxUpdate.update_id, InboxUpdate.payload).where(
            InboxUpdate.state == InboxState.RECEIVED
        )
    )
    for bot_id, update_id, payload in rows.all():
        if _mentions(payload, user_id):
            await session.execute(
                update(InboxUpdate)
                .where(InboxUpdate.bot_id == bot_id, InboxUpdate.update_id == update_id)
                .values(
                    state=InboxState.DONE,
                    finished_at=utcnow(),
                    payload={},
                    fsm_before=None,
                    fsm_key=None,
                )
            )
    await session.execute(
        update(InboxUpdate)
        .where(
            or_(
                InboxUpdate.fsm_key.like(f"{user_id}:%"),
                InboxUpdate.fsm_key.like(f"%:{user_id}:%"),
            )
        )
        .values(fsm_key=None, fsm_before=None)
    )


async def forget_fsm_rows(session: AsyncSession, user_id: int) -> None:
    """Her conversations' state in the database (keys "fsm:<chat>[:<thread>]:<user>:<destiny>")."""
    await session.execute(
        delete(FsmRecord).where(
            or_(FsmRecord.key.like(f"fsm:{user_id}:%"), FsmRecord.key.like(f"fsm:%:{user_id}:%"))
        )
    )


def _checkpoint(connection: Connection) -> None:
    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


async def compact(bind: AsyncEngine | AsyncConnection | None, tables: Iterable[str]) -> None:
    """After deleting: SQLite copies the WAL into the file and empties it (deleted rows were
    zeroed there by secure_delete); PostgreSQL vacuums the tables so dead rows are reclaimed.
    Both quietly do less when they can't (another reader, no rights): the next run tries again.
    """
    if bind is None:
        return
    engine = bind if isinstance(bind, AsyncEngine) else bind.engine
    try:
        if engine.dialect.name == "sqlite":
            async with engine.connect() as connection:
                await connection.run_sync(_checkpoint)
            return
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in tables:
                await autocommit.exec_driver_sql(f'VACUUM "{table}"')
    except Exception as error:
        log.info("compacting after deletion skipped (%s)", type(error).__name__)
