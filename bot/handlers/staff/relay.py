"""Messages in staff groups: replies in a case's thread go to the person as the foundation."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import StaffAction, StaffCb
from bot.config import Settings
from bot.discreet import relay_header
from bot.services.followups import parse_when, schedule_staff_reminder, stop_escalations
from bot.services.locale import locale_for
from bot.services.permissions import Access, Action
from bot.staff_alerts import long_text_parts
from bot.staff_cards import StaffTexts, refresh_card
from bot.staff_gate import in_staff_chat, refuse
from bot.states import StaffInput
from bot.use_cases.desk import Desk
from storage import chat_log
from storage.cases import (
    EVERY_HOUSE,
    CaseScope,
    case_by_card,
    case_by_thread,
    case_exists,
    link_of_staff_message,
    staff_case,
    take_case,
)
from storage.models import Application, Case, CaseStatus, MessageLink, Staff, User, utcnow
from storage.staff import audit

log = logging.getLogger(__name__)

INTERNAL_MARK = "!"


async def case_of(db: AsyncSession, message: Message, scope: CaseScope) -> Case | None:
    """The case a staff message belongs to, by its topic or by what it replies to; None when
    there is none or it is outside the scope (the queries apply it)."""
    if message.is_topic_message and message.message_thread_id:
        case = await case_by_thread(db, message.chat.id, message.message_thread_id, scope)
        if case is not None:
            return case
    replied = message.reply_to_message
    if replied is None:
        return None
    case = await case_by_card(db, message.chat.id, replied.message_id, scope)
    if case is not None:
        return case
    link = await link_of_staff_message(db, message.chat.id, replied.message_id)
    return await staff_case(db, link.case_id, scope) if link and link.case_id else None


async def _refused_case(db: AsyncSession, message: Message, t: StaffTexts) -> bool:
    """True (and she is told) when the message belongs to a case outside her scope."""
    if await case_of(db, message, EVERY_HOUSE) is None:
        return False
    await refuse(message, db, t, "reply", key="staff-case-out-of-scope")
    return True


async def application_of(db: AsyncSession, message: Message) -> Application | None:
    """A foster application whose card (or a relayed message of it) this message replies to."""
    replied = message.reply_to_message
    if replied is None:
        return None
    application = await db.scalar(
        select(Application).where(
            Application.staff_chat_id == message.chat.id,
            Application.card_message_id == replied.message_id,
        )
    )
    if application is not None:
        return application
    link = await link_of_staff_message(db, message.chat.id, replied.message_id)
    return await db.get(Application, link.application_id) if link and link.application_id else None


async def _answer_applicant(
    message: Message,
    application: Application,
    *,
    bot: Bot,
    db: AsyncSession,
    i18n: I18nContext,
    t: StaffTexts,
    staff: Staff | None,
) -> None:
    text = message.text or message.caption or ""
    if text.startswith(INTERNAL_MARK):
        # A remark among staff under the card: kept with the application, never sent.
        db.add(
            MessageLink(
                application_id=application.id,
                user_chat_id=0,
                user_message_id=0,
                staff_chat_id=message.chat.id,
                staff_message_id=message.message_id,
                from_staff=True,
                internal=True,
                kind="note",
                content={"text": text[1:].strip()},
            )
        )
        await audit(
            db,
            message.from_user.id if message.from_user else None,
            "note",
            application_id=application.id,
        )
        await message.reply(t("staff-note-saved"))
        return
    person = await db.get(User, application.user_id)
    if person is None:
        await message.reply(t("staff-person-forgotten"))
        return
    await deliver(
        message, person, application_id=application.id, bot=bot, db=db, i18n=i18n, t=t, staff=staff
    )


async def _keep_note(db: AsyncSession, case: Case, message: Message, text: str) -> None:
    db.add(
        MessageLink(
            case_id=case.id,
            user_chat_id=0,
            user_message_id=0,
            staff_chat_id=message.chat.id,
            staff_message_id=message.message_id,
            from_staff=True,
            internal=True,
            kind="note",
            content={"text": text},
        )
    )
    await audit(db, message.from_user.id if message.from_user else None, "note", case_id=case.id)


async def note_given(
    message: Message, state: FSMContext, db: AsyncSession, access: Access, staff_texts: StaffTexts
) -> None:
    t = staff_texts
    case_id = int((await state.get_data()).get("case_id", 0))
    case = await staff_case(db, case_id, access.cases(Action.WORK_CASES))
    await state.clear()
    if case is None and await case_exists(db, case_id):  # her scope changed since she asked
        await refuse(message, db, t, "note", key="staff-case-out-of-scope")
        return
    text = (message.text or message.caption or "").strip()
    if case is None or not text:
        await message.reply(t("staff-note-empty"))
        return
    await _keep_note(db, case, message, text)
    await message.reply(t("staff-note-saved"))


async def remind_time_given(
    message: Message, state: FSMContext, db: AsyncSession, access: Access, desk: Desk
) -> None:
    staff_texts = desk.staff_texts
    settings = desk.settings
    t = staff_texts
    due = parse_when(message.text or "", utcnow(), settings.tz)
    if due is None:
        await message.reply(t("staff-remind-bad-time"))  # the question stays open
        return
    case_id = int((await state.get_data()).get("case_id", 0))
    case = await staff_case(db, case_id, access.cases(Action.WORK_CASES))
    await state.clear()
    if case is None and await case_exists(db, case_id):  # her scope changed since she asked
        await refuse(message, db, t, "remind", key="staff-case-out-of-scope")
        return
    if case is None or message.from_user is None:
        return
    await schedule_staff_reminder(db, case, message.from_user.id, due)
    await audit(db, message.from_user.id, "remind", case_id=case.id, due=due.isoformat())
    await message.reply(t("staff-remind-set", at=due.strftime("%d.%m %H:%M")))


async def note_command(
    message: Message,
    command: CommandObject,
    db: AsyncSession,
    access: Access,
    staff_texts: StaffTexts,
) -> None:
    t = staff_texts
    case = await case_of(db, message, access.cases(Action.WORK_CASES))
    if case is None and await _refused_case(db, message, t):
        return
    if case is None or not (command.args or "").strip():
        await message.reply(t("staff-note-where"))
        return
    await _keep_note(db, case, message, (command.args or "").strip())
    await message.reply(t("staff-note-saved"))


async def unknown_staff_command(message: Message, i18n: I18nContext, settings: Settings) -> None:
    await message.reply(StaffTexts(i18n.core, settings.staff_language)("staff-help"))


async def staff_message(
    message: Message,
    db: AsyncSession,
    i18n: I18nContext,
    access: Access,
    desk: Desk,
    staff_member: Staff | None = None,
) -> None:
    staff_texts = desk.staff_texts
    directory = desk.directory
    t = staff_texts
    bot = message.bot
    assert bot is not None  # set by the dispatcher on every update
    case = await case_of(db, message, access.cases(Action.WORK_CASES))
    application = await application_of(db, message) if case is None else None
    if application is not None:
        if not access.may(Action.APPLICATIONS):
            await refuse(message, db, t, "reply", key="staff-denied-role")
            return
        await _answer_applicant(
            message, application, bot=bot, db=db, i18n=i18n, t=t, staff=staff_member
        )
        return
    if case is None and await _refused_case(db, message, t):
        return
    if case is None:
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
            await message.reply(t("staff-reply-not-linked"))
        return  # ordinary talk among staff
    text = message.text or message.caption or ""
    if text.startswith(INTERNAL_MARK):
        await _keep_note(db, case, message, text[1:].strip())
        return
    if case.status == CaseStatus.CLOSED:
        reopen = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("staff-button-reopen"),
                        callback_data=StaffCb(action=StaffAction.REOPEN, case_id=case.id).pack(),
                    )
                ]
            ]
        )
        await message.reply(t("staff-case-closed-reply"), reply_markup=reopen)
        return
    person = await db.get(User, case.user_id) if case.user_id is not None else None
    if person is None:
        await message.reply(t("staff-person-forgotten"))
        return
    await deliver(
        message,
        person,
        case_id=case.id,
        language=case.language,
        bot=bot,
        db=db,
        i18n=i18n,
        t=t,
        staff=staff_member,
    )
    if case.taken_by is None and message.from_user is not None:
        # The first answer is the first response: the case is now this staff member's.
        await take_case(db, case, message.from_user.id, message.from_user.full_name[:64])
        await stop_escalations(db, case.id)
        await refresh_card(bot, case, directory, t)


async def deliver(
    message: Message,
    person: User,
    *,
    case_id: int | None = None,
    application_id: int | None = None,
    language: str | None = None,
    bot: Bot,
    db: AsyncSession,
    i18n: I18nContext,
    t: StaffTexts,
    staff: Staff | None,
) -> None:
    """To the person as the foundation: no staff name unless the staff member signs."""
    locale = person.language or language or locale_for(None, person.telegram_language)
    signature = staff.display_name if staff is not None and staff.sign else None
    try:
        if message.text is not None:
            text = message.text + (f"\n— {signature}" if signature else "")
            # A shared phone gets no "foundation:" header; each part gets the neutral lines
            # from OutgoingMiddleware (bot.discreet), room for which long_text_parts keeps.
            header = relay_header(i18n.core, locale, person)
            sent_ids = [
                (await bot.send_message(person.id, part)).message_id
                for part in long_text_parts(header, text, separator="\n" if header else "")
            ]
            sent_id = sent_ids[0]
        else:
            # The caption is passed on, not left to the copy: on a shared phone it is then
            # sent after the neutral lines, like a text.
            caption = {}
            if message.caption is not None:
                caption = {
                    "caption": message.caption,
                    "caption_entities": message.caption_entities,
                    "parse_mode": None,
                }
            sent_id = (
                await bot.copy_message(person.id, message.chat.id, message.message_id, **caption)
            ).message_id
            await chat_log.remember(db, person.id, sent_id, from_bot=True)
    except TelegramForbiddenError:
        person.blocked_at = utcnow()
        await audit(
            db, None, "not_delivered_blocked", case_id=case_id, application_id=application_id
        )
        await message.reply(t("staff-not-delivered-blocked"))
        return
    except TelegramAPIError as error:
        log.warning("reply not delivered (%s)", type(error).__name__)
        await message.reply(t("staff-not-delivered"))
        return
    db.add(
        MessageLink(
            case_id=case_id,
            application_id=application_id,
            user_chat_id=person.id,
            user_message_id=sent_id,
            staff_chat_id=message.chat.id,
            staff_message_id=message.message_id,
            from_staff=True,
            kind=message.content_type,
            content={"text": message.text} if message.text else {},
        )
    )
    await audit(
        db,
        message.from_user.id if message.from_user else None,
        "reply",
        case_id=case_id,
        application_id=application_id,
    )


def setup() -> Router:
    router = Router(name=__name__)
    router.message.filter(in_staff_chat)  # staff commands reach private chats; the relay does not
    router.message.register(note_given, StaffInput.note)
    router.message.register(remind_time_given, StaffInput.remind_at)
    router.message.register(note_command, Command("note"))
    router.message.register(unknown_staff_command, F.text.startswith("/"))
    router.message.register(staff_message)
    return router
