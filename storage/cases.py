"""Repository functions for cases and the messages kept with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, CaseStatus, MessageLink, Urgency, utcnow

# What a case loses when it is anonymised (on /forget or after the retention period).
_PERSONAL_CLEARED = {
    "phone": None,
    "note": None,
    "contact_way": None,
    "contact_time": None,
    "triage": {},
    "referral_source": None,
}


async def create_case_once(
    session: AsyncSession, dedup_key: str, **fields: Any
) -> tuple[Case, bool]:
    """Insert the case unless one with this key exists; return it and whether it is new."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    result = await session.execute(
        insert(Case)
        .values(dedup_key=dedup_key, created_at=now, **fields)
        .on_conflict_do_nothing(index_elements=[Case.dedup_key])
        .returning(Case.id)
    )
    created = result.scalar_one_or_none() is not None
    case = await session.scalar(select(Case).where(Case.dedup_key == dedup_key))
    assert case is not None  # inserted now or before
    return case, created


async def get_case(session: AsyncSession, case_id: int) -> Case | None:
    return await session.get(Case, case_id)


async def open_case_of(session: AsyncSession, user_id: int) -> Case | None:
    """The person's latest case that is not closed."""
    return await session.scalar(
        select(Case)
        .where(Case.user_id == user_id, Case.status != CaseStatus.CLOSED)
        .order_by(Case.id.desc())
        .limit(1)
    )


async def cases_of(session: AsyncSession, user_id: int) -> list[Case]:
    return list(
        await session.scalars(select(Case).where(Case.user_id == user_id).order_by(Case.id))
    )


async def her_message_counts(
    session: AsyncSession, *, case_ids: list[int], application_ids: list[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """How many of her own messages are kept, per case and per application (for /mydata)."""
    mine = (MessageLink.from_staff.is_(False), MessageLink.internal.is_(False))
    per_case: dict[int, int] = {}
    per_application: dict[int, int] = {}
    if case_ids:
        rows = await session.execute(
            select(MessageLink.case_id, func.count())
            .where(MessageLink.case_id.in_(case_ids), *mine)
            .group_by(MessageLink.case_id)
        )
        per_case = {int(key): int(count) for key, count in rows.all() if key is not None}
    if application_ids:
        rows = await session.execute(
            select(MessageLink.application_id, func.count())
            .where(MessageLink.application_id.in_(application_ids), *mine)
            .group_by(MessageLink.application_id)
        )
        per_application = {int(key): int(count) for key, count in rows.all() if key is not None}
    return per_case, per_application


async def make_urgent(session: AsyncSession, case: Case) -> bool:
    """Raise a case to urgent; False when it already was."""
    if case.urgency == Urgency.URGENT:
        return False
    case.urgency = Urgency.URGENT
    await session.flush()
    return True


async def keep_message(
    session: AsyncSession,
    case: Case,
    *,
    user_chat_id: int,
    user_message_id: int,
    kind: str,
    content: dict[str, Any],
) -> MessageLink:
    link = MessageLink(
        case_id=case.id,
        user_chat_id=user_chat_id,
        user_message_id=user_message_id,
        kind=kind,
        content=content,
    )
    session.add(link)
    await session.flush()
    return link


async def anonymise_cases_of(session: AsyncSession, user_id: int) -> int:
    """Strip everything personal from a person's cases; kind, urgency, region and dates stay."""
    case_ids = list(await session.scalars(select(Case.id).where(Case.user_id == user_id)))
    if not case_ids:
        return 0
    await session.execute(delete(MessageLink).where(MessageLink.case_id.in_(case_ids)))
    await session.execute(
        update(Case)
        .where(Case.id.in_(case_ids))
        .values(user_id=None, **_PERSONAL_CLEARED, purged_at=utcnow())
    )
    return len(case_ids)


async def link_of_user_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> MessageLink | None:
    return await session.scalar(
        select(MessageLink).where(
            MessageLink.user_chat_id == chat_id, MessageLink.user_message_id == message_id
        )
    )


async def link_of_staff_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> MessageLink | None:
    return await session.scalar(
        select(MessageLink).where(
            MessageLink.staff_chat_id == chat_id, MessageLink.staff_message_id == message_id
        )
    )


async def case_by_thread(session: AsyncSession, chat_id: int, thread_id: int) -> Case | None:
    return await session.scalar(
        select(Case).where(Case.staff_chat_id == chat_id, Case.thread_id == thread_id)
    )


async def case_by_card(session: AsyncSession, chat_id: int, message_id: int) -> Case | None:
    return await session.scalar(
        select(Case).where(Case.staff_chat_id == chat_id, Case.card_message_id == message_id)
    )


async def take_case(session: AsyncSession, case: Case, staff_id: int, staff_name: str) -> bool:
    """Take an untaken case. One conditional UPDATE: of two staff pressing at once, one wins."""
    now = utcnow()
    result = await session.execute(
        update(Case)
        .where(Case.id == case.id, Case.taken_by.is_(None), Case.status != CaseStatus.CLOSED)
        .values(taken_by=staff_id, taken_by_name=staff_name, taken_at=now, status=CaseStatus.TAKEN)
    )
    await session.refresh(case)
    return result.rowcount == 1


async def set_status(
    session: AsyncSession, case: Case, status: CaseStatus, staff_id: int, staff_name: str
) -> None:
    if case.taken_by is None:  # working on a case is taking it
        case.taken_by, case.taken_by_name, case.taken_at = staff_id, staff_name, utcnow()
    case.status = status
    await session.flush()


async def close_case(session: AsyncSession, case: Case) -> None:
    """Closed once: closing a closed case again (a second tap) keeps the retention clock."""
    if case.status == CaseStatus.CLOSED and case.closed_at is not None:
        return
    case.status = CaseStatus.CLOSED
    case.closed_at = utcnow()
    await session.flush()


async def reopen_case(session: AsyncSession, case: Case) -> None:
    case.status = CaseStatus.TAKEN if case.taken_by is not None else CaseStatus.NEW
    case.closed_at = None
    await session.flush()


async def open_cases(session: AsyncSession, *, taken_by: int | None = None) -> list[Case]:
    """Open cases, urgent first, then the longest waiting."""
    statement = select(Case).where(Case.status != CaseStatus.CLOSED)
    if taken_by is not None:
        statement = statement.where(Case.taken_by == taken_by)
    urgent_first = (Case.urgency != Urgency.URGENT).asc()
    return list(await session.scalars(statement.order_by(urgent_first, Case.created_at).limit(50)))


async def find_cases(
    session: AsyncSession, *, case_id: int | None, phone: str | None
) -> list[Case]:
    conditions = []
    if case_id is not None:
        conditions.append(Case.id == case_id)
    if phone is not None:
        conditions.append(Case.phone == phone)
    if not conditions:
        return []
    return list(await session.scalars(select(Case).where(or_(*conditions)).order_by(Case.id)))


async def last_messages(session: AsyncSession, case_id: int, limit: int = 5) -> list[MessageLink]:
    rows = await session.scalars(
        select(MessageLink)
        .where(MessageLink.case_id == case_id)
        .order_by(MessageLink.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


async def anonymise_closed_before(session: AsyncSession, before: datetime) -> int:
    """Retention: cases closed before `before` lose what is personal; the counts stay."""
    ids = list(
        await session.scalars(
            select(Case.id).where(
                Case.status == CaseStatus.CLOSED, Case.closed_at < before, Case.purged_at.is_(None)
            )
        )
    )
    if not ids:
        return 0
    await session.execute(delete(MessageLink).where(MessageLink.case_id.in_(ids)))
    await session.execute(
        update(Case).where(Case.id.in_(ids)).values(**_PERSONAL_CLEARED, purged_at=utcnow())
    )
    return len(ids)
