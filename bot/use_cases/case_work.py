"""What staff do with a case from its card: take it, set its status, close, reopen, remind.

Each step is stored with an audit row; a step that answers her stops the escalations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.follow_ups import schedule_staff_reminder, stop_escalations
from storage import cases as store
from storage.models import Case, CaseStatus
from storage.staff import audit


async def take_case(db: AsyncSession, case: Case, actor: int, name: str) -> bool:
    """True when this staff member took it now; False when it was already taken (by anyone)."""
    if not await store.take_case(db, case, actor, name):
        return False
    await audit(db, actor, "take", case_id=case.id)
    await stop_escalations(db, case.id)
    return True


async def set_case_status(
    db: AsyncSession, case: Case, status: CaseStatus, actor: int, name: str
) -> None:
    await store.set_status(db, case, status, actor, name)
    await audit(db, actor, "status", case_id=case.id, status=status.value)
    await stop_escalations(db, case.id)


async def close_case(db: AsyncSession, case: Case, actor: int) -> None:
    await store.close_case(db, case)
    await audit(db, actor, "close", case_id=case.id)
    await stop_escalations(db, case.id)


async def reopen_case(db: AsyncSession, case: Case, actor: int) -> None:
    await store.reopen_case(db, case)
    await audit(db, actor, "reopen", case_id=case.id)


async def remind_staff(db: AsyncSession, case: Case, actor: int, due: datetime) -> None:
    await schedule_staff_reminder(db, case, actor, due)
    await audit(db, actor, "remind", case_id=case.id, due=due.isoformat())


async def take_on_first_answer(db: AsyncSession, case: Case, actor: int, name: str) -> None:
    """The first reply to her is the first response: the case becomes this staff member's."""
    await store.take_case(db, case, actor, name)
    await stop_escalations(db, case.id)
