"""Follow-ups are database rows: due time, kind, target, state. Scheduling them lives here."""

from __future__ import annotations

import enum
import re
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.schedule import WorkingHours
from storage.follow_ups import cancel_for_case, insert_once
from storage.models import Application, Case, FollowUpState, utcnow


class FollowUpKind(enum.StrEnum):
    RELAY = "relay"  # one of her messages that could not be copied to staff at once
    RELAY_BATCH = "relay_batch"  # her messages beyond the flood limit, sent to staff together
    APPLICATION_ALERT = "application_alert"
    DRAFT_REMINDER = "draft_reminder"
    TRAINING_REMINDER = "training_reminder"
    CASE_ALERT = "case_alert"
    ESCALATION = "escalation"
    STAFF_REMINDER = "staff_reminder"
    CHECK_IN = "check_in"
    OUTCOME = "outcome"  # "not known yet": the staff are asked again about the outcome


async def schedule(
    session: AsyncSession,
    *,
    kind: FollowUpKind,
    due_at: datetime,
    unique_key: str,
    target_chat_id: int | None = None,
    case_id: int | None = None,
    payload: dict[str, object] | None = None,
) -> bool:
    """Insert a follow-up unless one with the same key exists: never scheduled twice."""
    return await insert_once(
        session,
        {
            "kind": kind,
            "due_at": due_at,
            "unique_key": unique_key,
            "target_chat_id": target_chat_id,
            "case_id": case_id,
            "payload": payload or {},
            "state": FollowUpState.PENDING,
            "attempts": 0,
            "created_at": utcnow(),
        },
    )


async def schedule_for_staff(
    session: AsyncSession,
    case: Case,
    kind: FollowUpKind,
    due_at: datetime,
    unique_key: str,
    payload: dict[str, object] | None = None,
) -> bool:
    """`schedule` a follow-up about a case that goes to its staff group."""
    return await schedule(
        session,
        kind=kind,
        due_at=due_at,
        unique_key=unique_key,
        target_chat_id=case.staff_chat_id,
        case_id=case.id,
        payload=payload,
    )


async def schedule_staff_reminder(
    session: AsyncSession, case: Case, staff_id: int, due_at: datetime
) -> bool:
    """ "Remind me": delivered to the staff member's private chat with a link to the card."""
    return await schedule(
        session,
        kind=FollowUpKind.STAFF_REMINDER,
        due_at=due_at,
        unique_key=f"remind:{case.id}:{staff_id}:{int(due_at.timestamp()) // 60}",  # a minute
        target_chat_id=staff_id,
        case_id=case.id,
    )


_WHEN = re.compile(
    r"^\s*(?:(?P<day>\d{1,2})[./](?P<month>\d{1,2})(?:[./](?P<year>\d{2,4}))?\s+)?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*$"
)


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A typed reminder time, in the foundation's zone: '18:30' (next such time), '26.11 10:00',
    '26.11.2026 10:00'. None for anything else or a time already past."""
    match = _WHEN.match(text)
    if not match:
        return None
    local_now = now.astimezone(zone)
    try:
        if match["day"]:
            year = int(match["year"] or local_now.year)
            year = year + 2000 if year < 100 else year
            moment = datetime(
                year,
                int(match["month"]),
                int(match["day"]),
                int(match["hour"]),
                int(match["minute"]),
                tzinfo=zone,
            )
        else:
            moment = local_now.replace(
                hour=int(match["hour"]), minute=int(match["minute"]), second=0, microsecond=0
            )
            if moment <= local_now:
                moment += timedelta(days=1)
    except ValueError:
        return None
    return moment if moment > local_now else None


def escalation_due(
    created_at: datetime,
    *,
    urgent: bool,
    urgent_after: timedelta,
    normal_after: timedelta,
    hours: WorkingHours,
    zone: ZoneInfo,
) -> datetime:
    """When an untaken case is raised with the staff.

    Urgent cases are raised after minutes, day or night. Normal ones after hours, counted in
    working hours: a case left in the evening is raised in the morning, not at 3 a.m.
    """
    if urgent:
        return created_at + urgent_after
    due = created_at + normal_after
    local = due.astimezone(zone)
    if hours.is_open(local):
        return due
    return hours.next_opening(local).astimezone(created_at.tzinfo) + min(
        normal_after, timedelta(hours=1)
    )


class EscalationTimes(Protocol):
    """What chasing a case needs from the settings."""

    escalate_urgent_after: timedelta
    escalate_normal_after: timedelta
    check_in_after: timedelta

    @property
    def hours(self) -> WorkingHours: ...

    @property
    def tz(self) -> ZoneInfo: ...


def _escalation_from(start: datetime, times: EscalationTimes, *, urgent: bool) -> datetime:
    return escalation_due(
        start,
        urgent=urgent,
        urgent_after=times.escalate_urgent_after,
        normal_after=times.escalate_normal_after,
        hours=times.hours,
        zone=times.tz,
    )


async def schedule_case_follow_ups(
    session: AsyncSession, case: Case, *, urgent: bool, times: EscalationTimes
) -> None:
    """A new case: staff are chased if nobody takes it, and she is asked later if help came."""
    due = _escalation_from(case.created_at, times, urgent=urgent)
    await schedule_for_staff(
        session, case, FollowUpKind.ESCALATION, due, f"escalate:{case.id}:1", {"level": 1}
    )
    if case.user_id is not None:
        await schedule(
            session,
            kind=FollowUpKind.CHECK_IN,
            due_at=case.created_at + times.check_in_after,
            unique_key=f"check_in:{case.id}:1",
            target_chat_id=case.user_id,
            case_id=case.id,
        )


# Follow-ups that go to a staff member herself: cancelled when she is removed. (Escalations to
# coordinators pick their recipients when sent, so a removed one is already left out.)
STAFF_KINDS = (FollowUpKind.STAFF_REMINDER,)


async def resume_escalation(
    session: AsyncSession, case: Case, now: datetime, times: EscalationTimes
) -> bool:
    """A case back in the queue (its staff member removed) is chased as a new one, from now."""
    due = _escalation_from(now, times, urgent=case.urgency == "urgent")
    return await schedule_for_staff(
        session,
        case,
        FollowUpKind.ESCALATION,
        due,
        f"escalate:{case.id}:1:released:{int(now.timestamp())}",
        {"level": 1},
    )


async def schedule_relay_batch(
    session: AsyncSession, case: Case, now: datetime, window: timedelta
) -> bool:
    """Her messages held by the flood limit go to staff together at the end of the window.
    One row per case and window (the key): True when this message opened the window."""
    seconds = max(window.total_seconds(), 1.0)
    bucket = int(now.timestamp() // seconds)
    return await schedule_for_staff(
        session,
        case,
        FollowUpKind.RELAY_BATCH,
        datetime.fromtimestamp((bucket + 1) * seconds, tz=now.tzinfo),
        f"relay_batch:{case.id}:{bucket}",
    )


async def stop_escalations(session: AsyncSession, case_id: int) -> int:
    """A case taken or closed is no longer chased."""
    return await cancel_for_case(session, case_id, (FollowUpKind.ESCALATION,))


class _DraftTimes(Protocol):
    draft_reminder_after: timedelta
    draft_last_reminder_after: timedelta


async def schedule_draft_reminders(
    session: AsyncSession, application: Application, user_id: int, settings: _DraftTimes
) -> None:
    """An unfinished draft is recalled twice (after 2 and 7 days by default), then left alone."""
    for number, after in enumerate(
        (settings.draft_reminder_after, settings.draft_last_reminder_after), start=1
    ):
        await schedule(
            session,
            kind=FollowUpKind.DRAFT_REMINDER,
            due_at=application.created_at + after,
            unique_key=f"draft:{application.id}:{number}",
            target_chat_id=user_id,
            payload={"application_id": application.id},
        )


async def schedule_training_reminder(
    session: AsyncSession, application: Application, user_id: int, training_at: datetime
) -> None:
    """The day before the training (or at once when it is sooner), a reminder to the applicant.

    The key carries the date: a training moved to another day gets its own reminder, and the
    old one finds the date changed and stays silent.
    """
    due = max(training_at - timedelta(days=1), utcnow())
    await schedule(
        session,
        kind=FollowUpKind.TRAINING_REMINDER,
        due_at=due,
        unique_key=f"training:{application.id}:{int(training_at.timestamp())}",
        target_chat_id=user_id,
        payload={"application_id": application.id, "at": training_at.isoformat()},
    )


async def schedule_outcome_follow_up(session: AsyncSession, case: Case, due_at: datetime) -> bool:
    """The staff are asked again, in the case's thread, about an outcome "not known yet".

    The key and payload carry when that outcome was given: an outcome changed meanwhile
    leaves the old question silent, and "not known yet" given again asks again later.
    """
    given = case.outcome_at or utcnow()
    return await schedule_for_staff(
        session,
        case,
        FollowUpKind.OUTCOME,
        due_at,
        f"outcome:{case.id}:{int(given.timestamp())}",
        {"given_at": given.isoformat()},
    )
