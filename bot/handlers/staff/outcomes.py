"""A closed case's outcome: picked on its card (or under the question asked again), corrected
later, every change in the audit log."""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.follow_ups import schedule_outcome_follow_up
from bot.services.outcomes import house_choices, outcome_of
from bot.services.permissions import Access, Action
from bot.ui.callbacks import OutcomeCb
from bot.use_cases.desk import Desk
from bot.workspace.cards import refresh_card
from bot.workspace.outcomes import HOUSE_MENU, house_rows, outcome_label
from storage.cases import staff_case
from storage.models import Case, CaseStatus
from storage.outcomes import set_outcome
from storage.staff import audit


def _on_card(query: CallbackQuery, case: Case) -> bool:
    message = query.message
    return message is not None and message.message_id == case.card_message_id


async def outcome_button(
    query: CallbackQuery, callback_data: OutcomeCb, db: AsyncSession, access: Access, desk: Desk
) -> None:
    t = desk.staff_texts
    directory = desk.directory
    settings = desk.settings
    # Scoped in the query: another house's staff (or a forged button) finds no case.
    case = await staff_case(db, callback_data.case_id, access.cases(Action.WORK_CASES))
    outcome = outcome_of(callback_data.outcome.value)
    if case is None or outcome is None:
        await query.answer(t("staff-case-missing"), show_alert=True)
        return
    bot = query.bot
    assert bot is not None  # set on every update the dispatcher feeds
    if case.status != CaseStatus.CLOSED:
        # Reopened meanwhile (or an old button): the card shows what is true now.
        await query.answer(t("staff-outcome-not-closed"), show_alert=True)
        await refresh_card(bot, case, directory, t)
        return
    houses = house_choices(directory, case.region, case.shelter_id) if outcome.pick_house else []
    if houses and not 0 <= callback_data.house < len(houses):
        # First tap of "placed in a house": the second tap says which one.
        await query.answer(t("staff-outcome-which-house"))
        if _on_card(query, case):
            await refresh_card(bot, case, directory, t, menu=HOUSE_MENU + outcome.code)
        elif isinstance(query.message, Message):
            markup = InlineKeyboardMarkup(
                inline_keyboard=house_rows(case, outcome.code, directory, t.locale)
            )
            await query.message.edit_reply_markup(reply_markup=markup)
        return
    shelter_id = houses[callback_data.house].id if houses else None
    if (case.outcome, case.outcome_shelter_id) != (outcome.code, shelter_id):
        previous, previous_shelter = await set_outcome(
            db, case, outcome.code, shelter_id, query.from_user.id
        )
        await audit(
            db,
            query.from_user.id,
            "outcome",
            case_id=case.id,
            outcome=outcome.code,
            shelter=shelter_id,
            previous=previous,
            previous_shelter=previous_shelter,
        )
        if outcome.ask_again and case.outcome_at is not None:
            await schedule_outcome_follow_up(
                db, case, case.outcome_at + settings.outcome_follow_up_after
            )
    # A double tap (or a replay) records nothing twice, and still shows the card as it is.
    await query.answer(t("staff-outcome-saved"))
    await refresh_card(bot, case, directory, t)
    if not _on_card(query, case) and isinstance(query.message, Message):
        text = t(
            "staff-outcome-answered", case=case.id, outcome=outcome_label(case, directory, t.locale)
        )
        try:
            await query.message.edit_text(text)
        except TelegramAPIError:
            pass  # the question stays as it was; the card shows the outcome


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(outcome_button, OutcomeCb.filter())
    return router
