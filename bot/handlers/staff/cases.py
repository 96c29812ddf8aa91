"""The case card's buttons: take, note, remind, status, close, reopen."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ForceReply, Message, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import Magic
from bot.middlewares.session import Handler
from bot.middlewares.staff_gate import refuse
from bot.services.permissions import Access, Action
from bot.ui.callbacks import StaffAction, StaffCb
from bot.ui.states import StaffInput
from bot.use_cases.case_work import (
    close_case,
    remind_staff,
    reopen_case,
    set_case_status,
    take_case,
)
from bot.use_cases.desk import Desk
from bot.workspace.cards import refresh_card
from storage.cases import case_exists, staff_case
from storage.models import Case, CaseStatus, utcnow

_MENUS = {
    StaffAction.STATUS_MENU: "status",
    StaffAction.REMIND_MENU: "remind",
    StaffAction.OUTCOME_MENU: "outcome",  # a closed case's outcome, to correct it
}


def _name(query: CallbackQuery) -> str:
    user = query.from_user
    return (user.full_name if user else "")[:64] or str(user.id if user else "?")


class CaseOfButton(BaseMiddleware):
    """Hands a card button's handler its case (`case`), when it is one this staff member works
    on; otherwise answers the press itself and the handler doesn't run. Inner, so it runs after
    the staff gate has put `access` in the data."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        button = data.get("callback_data")
        if not isinstance(event, CallbackQuery) or not isinstance(button, StaffCb):
            return await handler(event, data)
        db: AsyncSession = data["db"]
        access: Access = data["access"]
        t = data["desk"].staff_texts
        case = await staff_case(db, button.case_id, access.cases(Action.WORK_CASES))
        if case is not None:
            data["case"] = case
            return await handler(event, data)
        if await case_exists(db, button.case_id):  # forged, or pressed in another group
            await refuse(event, db, t, button.pack(), key="staff-case-out-of-scope")
            return None
        await event.answer(t("staff-case-missing"), show_alert=True)
        return None


_ASKS = {
    StaffAction.NOTE: (StaffInput.note, "staff-note-ask"),
    StaffAction.REMIND_TYPE: (StaffInput.remind_at, "staff-remind-ask"),
}


async def ask_button(
    query: CallbackQuery, callback_data: StaffCb, case: Case, state: FSMContext, desk: Desk
) -> None:
    """A note or a reminder time to type: asked in the case's thread."""
    await query.answer()
    ask_state, key = _ASKS[callback_data.action]
    await state.set_state(ask_state)
    await state.update_data(case_id=case.id)
    await _ask(query, desk.staff_texts(key, case=case.id))


async def card_button(
    query: CallbackQuery, callback_data: StaffCb, case: Case, db: AsyncSession, desk: Desk
) -> None:
    t, directory, settings = desk.staff_texts, desk.directory, desk.settings
    bot = query.bot
    assert bot is not None  # set by the dispatcher on every update
    actor = query.from_user.id
    action = callback_data.action
    if action is StaffAction.TAKE:
        if not await take_case(db, case, actor, _name(query)) and case.taken_by != actor:
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
        await set_case_status(db, case, status, actor, _name(query))
        await query.answer(t(f"staff-status-{status.value}"))
    elif action is StaffAction.CLOSE:
        await close_case(db, case, actor)
        await query.answer(t("staff-closed"))
    elif action is StaffAction.REOPEN:
        await reopen_case(db, case, actor)
        await query.answer(t("staff-reopened"))
    elif action in (StaffAction.REMIND_HOUR, StaffAction.REMIND_TOMORROW):
        due = _preset_due(action, utcnow(), settings)
        await remind_staff(db, case, actor, due)
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


async def stale_card_button(query: CallbackQuery, desk: Desk) -> None:
    await query.answer(desk.staff_texts("staff-case-missing"))


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.middleware(CaseOfButton())
    router.callback_query.register(ask_button, StaffCb.filter(F.action.in_(_ASKS.keys())))
    router.callback_query.register(card_button, StaffCb.filter())
    router.callback_query.register(stale_card_button, Magic(F.data.startswith("sc:")))
    return router
