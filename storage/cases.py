"""Repository functions for cases and the messages kept with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Case, CaseStatus, MessageLink, Urgency, utcnow
from storage.upsert import insert_for

# What a case loses when it is anonymised (on /forget or after the retention period).
_PERSONAL_CLEARED = {
    "phone": None,
    "note": None,
    "contact_way": None,
    "contact_time": None,
    "triage": {},
    "referral_source": None,
    "dedup_key": None,  # it holds her Telegram id
}


@dataclass(frozen=True)
class CaseScope:
    """The cases a staff query may return: of these houses (None: every house), and, in a
    group, only those whose card is in that group (chat_id; None: any chat).

    Staff queries take it as a required argument and put it in their WHERE clause, so a case
    outside the scope is never loaded, rather than loaded and then hidden.
    """

    houses: frozenset[str] | None = None
    chat_id: int | None = None

    def where(self) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = [true()]
        if self.houses is not None:
            if not self.houses:  # a house staff member with no house: no case at all
                return false()
            conditions.append(Case.shelter_id.in_(sorted(self.houses)))
        if self.chat_id is not None:
            conditions.append(Case.staff_chat_id == self.chat_id)
        return and_(*conditions)

    def within(self, other: CaseScope) -> CaseScope:
        """Both scopes at once: what a person may see and what a chat's members may see."""
        houses = self.houses if other.houses is None else other.houses
        if self.houses is not None and other.houses is not None:
            houses = self.houses & other.houses
        chat_id = self.chat_id if other.chat_id is None else other.chat_id
        if self.chat_id is not None and other.chat_id not in (None, self.chat_id):
            houses = frozenset()
        return CaseScope(houses=houses, chat_id=chat_id)


EVERY_HOUSE = CaseScope()


async def create_case_once(
    session: AsyncSession, dedup_key: str, **fields: Any
) -> tuple[Case, bool]:
    """Insert the case unless one with this key exists; return it and whether it is new."""
    insert = insert_for(session.get_bind().dialect.name)
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


async def staff_case(session: AsyncSession, case_id: int, scope: CaseScope) -> Case | None:
    """A case for a staff action: None when it does not exist or is outside the scope."""
    return await session.scalar(select(Case).where(Case.id == case_id, scope.where()))


async def case_exists(session: AsyncSession, case_id: int) -> bool:
    """Only whether it exists: to tell "another house's case" from "no such case"."""
    return await session.scalar(select(Case.id).where(Case.id == case_id)) is not None


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


async def anonymise_cases_of(session: AsyncSession, user_id: int) -> list[int]:
    """Strip everything personal from a person's cases; kind, urgency, region and dates stay.
    Her kept messages are deleted by the caller, once it has read their staff-side copies."""
    case_ids = list(await session.scalars(select(Case.id).where(Case.user_id == user_id)))
    if case_ids:
        await session.execute(
            update(Case)
            .where(Case.id.in_(case_ids))
            .values(user_id=None, **_PERSONAL_CLEARED, purged_at=utcnow())
        )
    return case_ids


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


async def case_by_thread(
    session: AsyncSession, chat_id: int, thread_id: int, scope: CaseScope
) -> Case | None:
    return await session.scalar(
        select(Case).where(
            Case.staff_chat_id == chat_id, Case.thread_id == thread_id, scope.where()
        )
    )


async def case_by_card(
    session: AsyncSession, chat_id: int, message_id: int, scope: CaseScope
) -> Case | None:
    return await session.scalar(
        select(Case).where(
            Case.staff_chat_id == chat_id, Case.card_message_id == message_id, scope.where()
        )
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


async def release_cases_of(session: AsyncSession, staff_id: int) -> list[Case]:
    """A removed staff member's open cases go back to the queue: untaken and new again."""
    cases = list(
        await session.scalars(
            select(Case)
            .where(Case.taken_by == staff_id, Case.status != CaseStatus.CLOSED)
            .order_by(Case.id)
        )
    )
    for case in cases:
        case.taken_by, case.taken_by_name, case.taken_at = None, None, None
        case.status = CaseStatus.NEW
    await session.flush()
    return cases


async def open_cases(
    session: AsyncSession, *, scope: CaseScope, taken_by: int | None = None
) -> list[Case]:
    """Open cases in the scope, urgent first, then the longest waiting."""
    statement = select(Case).where(Case.status != CaseStatus.CLOSED, scope.where())
    if taken_by is not None:
        statement = statement.where(Case.taken_by == taken_by)
    urgent_first = (Case.urgency != Urgency.URGENT).asc()
    return list(await session.scalars(statement.order_by(urgent_first, Case.created_at).limit(50)))


async def find_cases(
    session: AsyncSession, *, scope: CaseScope, case_id: int | None, phone: str | None
) -> list[Case]:
    conditions = []
    if case_id is not None:
        conditions.append(Case.id == case_id)
    if phone is not None:
        conditions.append(Case.phone == phone)
    if not conditions:
        return []
    statement = select(Case).where(or_(*conditions), scope.where()).order_by(Case.id)
    return list(await session.scalars(statement))


async def last_messages(session: AsyncSession, case_id: int, limit: int = 5) -> list[MessageLink]:
    rows = await session.scalars(
        select(MessageLink)
        .where(MessageLink.case_id == case_id)
        .order_by(MessageLink.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


async def anonymise_cases(session: AsyncSession, ids: list[int], *, close: bool) -> None:
    """Retention: the cases lose what is personal and whose they were; the counts stay.
    `close`: an open case left idle is closed too, so no one chases it any more."""
    if not ids:
        return
    values: dict[str, Any] = {**_PERSONAL_CLEARED, "user_id": None, "purged_at": utcnow()}
    values["triage"] = {"expired": True}  # the card says why the contact is gone
    if close:
        values.update(status=CaseStatus.CLOSED, closed_at=utcnow())
    await session.execute(update(Case).where(Case.id.in_(ids)).values(**values))


async def closed_before(session: AsyncSession, before: datetime) -> list[int]:
    """Cases closed before `before` whose personal data is still kept."""
    return list(
        await session.scalars(
            select(Case.id).where(
                Case.status == CaseStatus.CLOSED, Case.closed_at < before, Case.purged_at.is_(None)
            )
        )
    )


async def idle_open_before(session: AsyncSession, before: datetime) -> list[int]:
    """Open cases with nothing done since `before`: no message either way, no staff action."""
    last_message = (
        select(func.max(MessageLink.created_at))
        .where(MessageLink.case_id == Case.id)
        .scalar_subquery()
    )
    last_action = (
        select(func.max(AuditEntry.at)).where(AuditEntry.case_id == Case.id).scalar_subquery()
    )
    candidates = await session.execute(
        select(Case.id, Case.created_at, Case.taken_at, last_message, last_action).where(
            Case.status != CaseStatus.CLOSED, Case.purged_at.is_(None), Case.created_at < before
        )
    )
    idle = []
    for case_id, *moments in candidates.all():
        # SQLite returns max() of a date column as text: compared as the UTC datetimes stored.
        latest = max(_moment(value) for value in moments if value is not None)
        if latest < before:
            idle.append(case_id)
    return idle


def _moment(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
