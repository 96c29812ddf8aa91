"""The applicant's side after submitting: /status, the documents checklist, withdrawing."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import AppAction, AppCb, ChecklistCb, FosterAction, FosterCb
from bot.config import Settings
from bot.screens import application as views
from bot.services.family_forms import DOCUMENTS, FamilyForm
from bot.staff_applications import FINAL, application_card, application_keyboard
from bot.staff_cards import StaffTexts
from storage.applications import applications_of, set_application_status
from storage.models import Application, ApplicationStatus, User
from storage.staff import audit

router = Router(name=__name__)


async def _latest(db: AsyncSession, person: User) -> Application | None:
    submitted = await applications_of(db, person.id)
    return submitted[-1] if submitted else None


@router.message(Command("status"))
async def status_command(
    message: Message, db: AsyncSession, person: User, i18n: I18nContext
) -> None:
    application = await _latest(db, person)
    if application is None:
        await message.answer(i18n.get("app-status-none"))
        return
    await message.answer(**views.status_screen(i18n, application).as_kwargs())


@router.callback_query(FosterCb.filter(F.action == FosterAction.STATUS))
async def status_button(
    query: CallbackQuery, db: AsyncSession, person: User, i18n: I18nContext
) -> None:
    await query.answer()
    application = await _latest(db, person)
    if isinstance(query.message, Message):
        if application is None:
            await query.message.answer(i18n.get("app-status-none"))
        else:
            await query.message.answer(**views.status_screen(i18n, application).as_kwargs())


@router.callback_query(ChecklistCb.filter())
async def tick(
    query: CallbackQuery,
    callback_data: ChecklistCb,
    db: AsyncSession,
    person: User,
    i18n: I18nContext,
) -> None:
    await query.answer()
    application = await db.get(Application, callback_data.application_id)
    if application is None or application.user_id != person.id:
        return  # someone else's or forged
    form = FamilyForm(application.care_form or FamilyForm.FOSTER)
    if callback_data.item not in DOCUMENTS[form]:
        return
    checklist = dict(application.checklist or {})
    checklist[callback_data.item] = not checklist.get(callback_data.item, False)
    application.checklist = checklist
    await db.flush()
    if isinstance(query.message, Message):
        screen = views.status_screen(i18n, application)
        await query.message.edit_text(**screen.as_kwargs())


@router.callback_query(AppCb.filter(F.action == AppAction.WITHDRAW))
async def withdraw_asked(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(**views.withdraw_confirm(i18n).as_kwargs())


@router.callback_query(AppCb.filter(F.action == AppAction.WITHDRAW_SURE))
async def withdraw(
    query: CallbackQuery,
    bot: Bot,
    db: AsyncSession,
    person: User,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await query.answer()
    application = await _latest(db, person)
    if application is None or application.status in FINAL:
        return
    await set_application_status(db, application, ApplicationStatus.WITHDRAWN)
    await audit(db, person.id, "application_withdrawn", application_id=application.id)
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("app-withdrawn", number=application.id))
    if application.staff_chat_id and application.card_message_id:
        t = StaffTexts(i18n.core, settings.staff_language)
        await bot.edit_message_text(
            chat_id=application.staff_chat_id,
            message_id=application.card_message_id,
            text=application_card(application, t),
            reply_markup=application_keyboard(application, t),
        )
