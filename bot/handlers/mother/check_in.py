"""The mother's answer to "Did someone contact you?"; "not yet" reopens and escalates."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.follow_ups import FollowUpKind, schedule_for_staff
from bot.ui.callbacks import CheckInAnswer, CheckInCb
from bot.use_cases.desk import Desk
from bot.workspace.alerts import notify_case_thread
from bot.workspace.cards import refresh_card
from storage.cases import close_case, get_case, make_urgent, reopen_case
from storage.models import CaseStatus, utcnow
from storage.staff import audit

_STAFF_NOTICE = {
    CheckInAnswer.YES: "staff-check-in-yes",
    CheckInAnswer.NOT_YET: "staff-check-in-not-yet",
    CheckInAnswer.NO_NEED: "staff-check-in-no-need",
}


async def check_in_answered(
    query: CallbackQuery, callback_data: CheckInCb, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    bot = query.bot
    assert bot is not None  # set by the dispatcher on every update
    await query.answer()
    case = await get_case(db, callback_data.case_id)
    if case is None or case.user_id != query.from_user.id:  # a forged or foreign button
        return
    answer = callback_data.answer
    if answer is CheckInAnswer.NOT_YET:
        if case.status == CaseStatus.CLOSED:
            await reopen_case(db, case)
        await make_urgent(db, case)
        await schedule_for_staff(
            db,
            case,
            FollowUpKind.ESCALATION,
            utcnow(),
            f"escalate:{case.id}:check-in",
            {"level": 1},
        )
        # Nobody reached her: whoever had it is chased again, as if untaken.
        case.taken_by, case.taken_by_name, case.status = None, None, CaseStatus.NEW
    elif answer is CheckInAnswer.NO_NEED and case.status != CaseStatus.CLOSED:
        await close_case(db, case)
    await audit(db, query.from_user.id, f"check_in_{answer.value}", case_id=case.id)
    t = desk.staff_texts
    await notify_case_thread(
        bot,
        db,
        case,
        t(_STAFF_NOTICE[answer], case=case.id),
        desk.workspace,
    )
    await refresh_card(bot, case, desk.directory, t)
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get(f"check-in-thanks-{answer.value}"))


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(check_in_answered, CheckInCb.filter())
    return router
