"""Case outcomes, and the rows the outcome report is computed from (no personal columns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Application, AuditEntry, Case, ChatMessage, User, utcnow


async def set_outcome(
    session: AsyncSession, case: Case, code: str, shelter_id: str | None, staff_id: int
) -> tuple[str | None, str | None]:
    """Give (or correct) the case's outcome; returns the one it replaces, for the audit."""
    previous = (case.outcome, case.outcome_shelter_id)
    case.outcome, case.outcome_shelter_id = code, shelter_id
    case.outcome_at, case.outcome_by = utcnow(), staff_id
    await session.flush()
    return previous


@dataclass(frozen=True)
class CaseRow:
    """One case as the report sees it: times, place and outcome; nothing about her."""

    created_at: datetime  # the handoff
    status: str
    region: str | None
    shelter_id: str | None
    outcome: str | None
    outcome_shelter_id: str | None
    first_message_at: datetime | None
    first_reply_at: datetime | None
    taken_at: datetime | None
    closed_at: datetime | None


async def case_rows(
    session: AsyncSession, *, since: datetime, until: datetime, shelter_id: str | None = None
) -> list[CaseRow]:
    """Cases handed off in [since, until); only one house's with `shelter_id` (house staff).

    Her first message is the first one she sent after her previous case's handoff (the rows
    "clear this chat" keeps the ids of); when those are gone, her first case falls back to when
    she first wrote to the bot (her user row). A forgotten case has neither. The first staff
    reply is the first "reply" in the audit log, which outlives the relayed messages.
    """
    earlier = aliased(Case)
    previous = (
        select(func.max(earlier.created_at))
        .where(earlier.user_id == Case.user_id, earlier.created_at < Case.created_at)
        .scalar_subquery()
    )
    first_message = (
        select(func.min(ChatMessage.sent_at))
        .where(
            ChatMessage.chat_id == Case.user_id,
            ChatMessage.from_bot.is_(False),
            ChatMessage.sent_at <= Case.created_at,
            (previous.is_(None)) | (ChatMessage.sent_at > previous),
        )
        .scalar_subquery()
    )
    first_reply = (
        select(func.min(AuditEntry.at))
        .where(AuditEntry.case_id == Case.id, AuditEntry.action == "reply")
        .scalar_subquery()
    )
    statement = (
        select(
            Case.created_at,
            Case.status,
            Case.region,
            Case.shelter_id,
            Case.outcome,
            Case.outcome_shelter_id,
            first_message,
            previous,
            User.created_at,
            first_reply,
            Case.taken_at,
            Case.closed_at,
        )
        .outerjoin(User, User.id == Case.user_id)
        .where(Case.created_at >= since, Case.created_at < until)
        .order_by(Case.created_at, Case.id)
    )
    if shelter_id is not None:
        statement = statement.where(Case.shelter_id == shelter_id)
    rows = []
    for row in (await session.execute(statement)).all():
        (created, status, region, shelter, outcome, outcome_shelter) = row[:6]
        message_at, previous_at, user_created, reply_at, taken, closed = row[6:]
        if message_at is None and previous_at is None and user_created is not None:
            message_at = user_created if user_created <= created else None
        rows.append(
            CaseRow(
                created,
                status,
                region,
                shelter,
                outcome,
                outcome_shelter,
                message_at,
                reply_at,
                taken,
                closed,
            )
        )
    return rows


@dataclass(frozen=True)
class ApplicationRow:
    care_form: str | None
    status: str
    created_at: datetime
    submitted_at: datetime | None
    # When it entered each later stage, from the audit log's status rows (the applications
    # table keeps only the submission time); the first entry into a stage counts.
    entered: dict[str, datetime] = field(default_factory=dict)


async def application_rows(
    session: AsyncSession, *, since: datetime, until: datetime
) -> list[ApplicationRow]:
    """Applications created in [since, until), with their stage times from the audit log."""
    applications = (
        await session.execute(
            select(
                Application.id,
                Application.care_form,
                Application.status,
                Application.created_at,
                Application.submitted_at,
            )
            .where(Application.created_at >= since, Application.created_at < until)
            .order_by(Application.created_at, Application.id)
        )
    ).all()
    ids = [row[0] for row in applications]
    entered: dict[int, dict[str, datetime]] = {number: {} for number in ids}
    if ids:
        audit_rows = await session.execute(
            select(AuditEntry.application_id, AuditEntry.action, AuditEntry.details, AuditEntry.at)
            .where(
                AuditEntry.application_id.in_(ids),
                AuditEntry.action.in_(("application_status", "application_withdrawn")),
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        for number, action, details, at in audit_rows.all():
            status = "withdrawn" if action == "application_withdrawn" else None
            if status is None and isinstance(details, dict):
                status = str(details.get("status") or "") or None
            if status is not None:
                entered[number].setdefault(status, at)
    return [
        ApplicationRow(care_form, status, created, submitted, entered[number])
        for number, care_form, status, created, submitted in applications
    ]
