"""The case card's buttons: take, note, remind, status, close, reopen."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ForceReply, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import StaffAction, StaffCb
from bot.config import Settings
from bot.services.directory import Directory
from bot.services.followups import schedule_staff_reminder, stop_escalations
from bot.services.permissions import Access, Action
from bot.staff_cards import StaffTexts, refresh_card
from bot.staff_gate import refuse
from bot.states import StaffInput
from storage.cases import case_exists, close_case, reopen_case, set_status, staff_case, take_case
from storage.models import CaseStatus, utcnow
from storage.staff import audit

_MENUS = {
    StaffAction.STATUS_MENU: "status",
    StaffAction.REMIND_MENU: "remind",
    StaffAction.OUTCOME_MENU: "outcome",  # a closed case's outcome, to correct it
}


def _name(query: CallbackQuery) -> str:
    user = query.from_user
    return (user.full_name if user else "")[:64] or str(user.id if user else "?")


async def card_button(
    query: CallbackQuery,
    callback_data: StaffCb,
    db: AsyncSession,
    state: FSMContext,
    access: Access,
    staff_texts: StaffTexts,
    settings: Settings,
    directory: Directory,
) -> None:
    t = staff_texts
    bot = query.bot
    assert bot is not None  # set by the dispatcher on every update
    case = await staff_case(db, callback_data.case_id, access.cases(Action.WORK_CASES))
    if case is None:
        if await case_exists(db, callback_data.case_id):  # forged, or pressed in another group
            await refuse(query, db, t, callback_data.pack(), key="staff-case-out-of-scope")
            return
        await query.answer(t("staff-case-missing"), show_alert=True)
        return
    actor = query.from_user.id
    action = callback_data.action
    if action is StaffAction.TAKE:
        if await take_case(db, case, actor, _name(query)):
            await audit(db, actor, "take", case_id=case.id)
            await stop_escalations(db, case.id)
        elif case.taken_by != actor:
            await query.answer(
                t("staff-already-taken", name=case.taken_by_name or ""), show_alert=True
            )
            return
        # Taken by this presser now, or by a double tap or a replay of this very press (a crash
        # after the take was stored): either way the card must show it.
        await query.answer(t("staff-taken-by-you"))
    elif action in _MENUS:
        await query.answer()
        await refresh_card(bot, case, directory, t, menu=_MENUS[action])
        return
    elif action is StaffAction.BACK:
        await query.answer()
    elif action in (StaffAction.IN_PROGRESS, StaffAction.WAITING):
        status = CaseStatus.IN_PROGRESS if action is StaffAction.IN_PROGRESS else CaseStatus.WAITING
        await set_status(db, case, status, actor, _name(query))
        await audit(db, actor, "status", case_id=case.id, status=status.value)
        await stop_escalations(db, case.id)
        await query.answer(t(f"staff-status-{status.value}"))
    elif action is StaffAction.CLOSE:
        await close_case(db, case)
        await audit(db, actor, "close", case_id=case.id)
        await stop_escalations(db, case.id)
        await query.answer(t("staff-closed"))
    elif action is StaffAction.REOPEN:
        await reopen_case(db, case)
        await audit(db, actor, "reopen", case_id=case.id)
        await query.answer(t("staff-reopened"))
    elif action is StaffAction.NOTE:
        await query.answer()
        await state.set_state(StaffInput.note)
        await state.update_data(case_id=case.id)
        await _ask(query, t("staff-note-ask", case=case.id))
        return
    elif action is StaffAction.REMIND_TYPE:
        await query.answer()
        await state.set_state(StaffInput.remind_at)
        await state.update_data(case_id=case.id)
        await _ask(query, t("staff-remind-ask", case=case.id))
        return
    elif action in (StaffAction.REMIND_HOUR, StaffAction.REMIND_TOMORROW):
        due = _preset_due(action, utcnow(), settings)
        await schedule_staff_reminder(db, case, actor, due)
        await audit(db, actor, "remind", case_id=case.id, due=due.isoformat())
        local = due.astimezone(settings.tz).strftime("%d.%m %H:%M")
        await query.answer(t("staff-remind-set", at=local), show_alert=True)
    await refresh_card(bot, case, directory, t)


def _preset_due(action: StaffAction, now: datetime, settings: Settings) -> datetime:
    if action is StaffAction.REMIND_HOUR:
        return now + timedelta(hours=1)  # a double tap within the minute: one key, one reminder
    local = now.astimezone(settings.tz)
    tomorrow = (local + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    return tomorrow


async def _ask(query: CallbackQuery, text: str) -> None:
    """A question in the case's thread; the staff member's next message there answers it."""
    message = query.message
    if isinstance(message, Message):  # answer() stays in the card's topic by itself
        await message.answer(text, reply_markup=ForceReply(selective=True))


async def stale_card_button(query: CallbackQuery, i18n: I18nContext, settings: Settings) -> None:
    await query.answer(StaffTexts(i18n.core, settings.staff_language)("staff-case-missing"))


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(card_button, StaffCb.filter())
    router.callback_query.register(stale_card_button, F.data.startswith("sc:"))
    return router
