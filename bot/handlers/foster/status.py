"""The applicant's side after submitting: /status, the documents checklist, withdrawing."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message, ReplyParameters
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Magic
from bot.handlers.mother.relay import message_content
from bot.services.family_forms import DOCUMENTS, FamilyForm
from bot.services.follow_ups import FollowUpKind, schedule
from bot.ui.callbacks import AppAction, AppCb, ChecklistCb, FosterAction, FosterCb
from bot.ui.screens import application as views
from bot.use_cases.desk import Desk
from bot.workspace.applications import FINAL, application_card, application_keyboard
from bot.workspace.cards import StaffTexts
from storage.applications import applications_of, set_application_status
from storage.cases import open_case_of
from storage.models import Application, ApplicationStatus, MessageLink, User, utcnow
from storage.staff import audit


async def _latest(db: AsyncSession, person: User) -> Application | None:
    submitted = await applications_of(db, person.id)
    return submitted[-1] if submitted else None


async def status_command(
    message: Message, db: AsyncSession, person: User, i18n: I18nContext
) -> None:
    application = await _latest(db, person)
    if application is None:
        await message.answer(i18n.get("app-status-none"))
        return
    await message.answer(**views.status_screen(i18n, application).as_kwargs())


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


async def withdraw_asked(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(**views.withdraw_confirm(i18n).as_kwargs())


async def withdraw(
    query: CallbackQuery, db: AsyncSession, person: User, i18n: I18nContext, desk: Desk
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
        bot = query.bot
        assert bot is not None  # set by the dispatcher on every update
        t = desk.staff_texts
        await bot.edit_message_text(
            chat_id=application.staff_chat_id,
            message_id=application.card_message_id,
            text=application_card(application, t),
            reply_markup=application_keyboard(application, t),
        )


async def with_open_application(
    message: Message, db: AsyncSession, person: User | None = None
) -> bool | dict[str, Any]:
    """An applicant whose application is under way (and who has no open case as a mother)."""
    if person is None or await open_case_of(db, person.id) is not None:
        return False
    live = [a for a in await applications_of(db, person.id) if a.status not in FINAL]
    if not live or live[-1].staff_chat_id is None:
        return False
    return {"application": live[-1]}


async def applicant_writes(
    message: Message, application: Application, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    """What an applicant writes reaches the staff under her application's card."""
    bot = message.bot
    assert bot is not None  # set by the dispatcher on every update
    link = MessageLink(
        application_id=application.id,
        user_chat_id=message.chat.id,
        user_message_id=message.message_id,
        kind=message.content_type,
        content=message_content(message),
    )
    db.add(link)
    reply = (
        ReplyParameters(message_id=application.card_message_id, allow_sending_without_reply=True)
        if application.card_message_id
        else None
    )
    try:
        copied = await bot.copy_message(
            application.staff_chat_id or 0,
            message.chat.id,
            message.message_id,
            reply_parameters=reply,
        )
    except TelegramAPIError as error:
        staff_texts = desk.staff_texts
        if isinstance(error, TelegramBadRequest) and await _tell_staff_not_copied(
            bot, application, staff_texts, reply
        ):
            # A 400 is about this message (deleted meanwhile, a kind Telegram won't copy): a
            # follow-up would fail every time, so staff get a word and she is asked again.
            await message.answer(i18n.get("mother-relay-not-copied"))
            return
        await db.flush()  # the link's id names the follow-up that delivers it later
        await schedule(
            db,
            kind=FollowUpKind.RELAY,
            due_at=utcnow(),
            unique_key=f"relay:{link.id}",
            target_chat_id=application.staff_chat_id,
            payload={"link_id": link.id},
        )
        await message.answer(i18n.get("mother-relay-kept"))
        return
    link.staff_chat_id, link.staff_message_id = application.staff_chat_id, copied.message_id
    await message.answer(i18n.get("mother-relayed"))


async def _tell_staff_not_copied(
    bot: Bot, application: Application, t: StaffTexts, reply: ReplyParameters | None
) -> bool:
    """A note under the card; False if the group refuses that too (then a follow-up retries)."""
    try:
        await bot.send_message(
            application.staff_chat_id or 0,
            t("staff-app-relay-not-copied", number=application.id),
            reply_parameters=reply,
        )
    except TelegramAPIError:
        return False
    return True


def setup() -> Router:
    router = Router(name=__name__)
    router.message.register(status_command, Command("status"))
    router.callback_query.register(status_button, FosterCb.filter(F.action == FosterAction.STATUS))
    router.callback_query.register(tick, ChecklistCb.filter())
    router.callback_query.register(withdraw_asked, AppCb.filter(F.action == AppAction.WITHDRAW))
    router.callback_query.register(withdraw, AppCb.filter(F.action == AppAction.WITHDRAW_SURE))
    router.message.register(
        applicant_writes,
        StateFilter(None),
        Magic(~F.text.startswith("/")),
        Magic(~F.sticker),
        with_open_application,
    )
    return router
