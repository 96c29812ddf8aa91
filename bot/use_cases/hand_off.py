"""Her request becomes a case: consent recorded, follow-ups scheduled, the card posted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.follow_ups import schedule_case_follow_ups
from bot.services.intake import Handoff, open_case, staff_chat_for
from bot.services.schedule import Expectation, expected_contact
from bot.use_cases.desk import Desk
from bot.workspace.alerts import alert_staff
from storage.models import Case, Urgency, User, utcnow


@dataclass(frozen=True)
class HandedOff:
    case: Case
    person: User
    created: bool  # False on a replay after a crash: the case was already made
    expectation: Expectation  # when she can honestly expect the staff to reach her


async def hand_off(
    bot: Bot, db: AsyncSession, desk: Desk, person_id: int, flow: dict[str, Any], locale: str
) -> HandedOff:
    """`flow` is her answers (the mother flow's FSM data, with her note)."""
    settings = desk.settings
    # Her row is already in this session (the database middleware loaded it): no query.
    person = await db.get(User, person_id)
    if person is None:
        raise LookupError(f"no person {person_id}")
    handoff = Handoff.from_flow(
        person.id, flow, language=locale, referral_source=person.referral_source
    )
    case, created = await open_case(db, handoff)
    person.consent_at = utcnow()
    person.consent_scope = "case"
    # A replay after a crash finds the case made (created is False) but maybe not its
    # follow-ups or its card: the follow-ups are scheduled first, so they commit with the case
    # before anything is sent (their unique keys make a second scheduling a no-op), and the
    # card is posted unless it already was.
    case.staff_chat_id = staff_chat_for(desk.directory, case.shelter_id, desk.central_chat_id)
    urgent = case.urgency == Urgency.URGENT
    await schedule_case_follow_ups(db, case, urgent=urgent, times=settings)
    if created or case.card_message_id is None:
        await alert_staff(
            bot,
            db,
            case,
            desk.workspace,
            central_chat_id=desk.central_chat_id,
        )
    expectation = expected_contact(
        utcnow(),
        urgent=urgent,
        hours=settings.hours,
        zone=settings.tz,
        response_minutes=settings.response_minutes,
        urgent_response_minutes=settings.urgent_response_minutes,
    )
    return HandedOff(case, person, created, expectation)
