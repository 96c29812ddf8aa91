"""Messages in staff groups: replies in a case's thread go to the person as the foundation."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Magic
from bot.middlewares.staff_gate import in_staff_chat, refuse
from bot.services.follow_ups import parse_when
from bot.services.permissions import Access, Action
from bot.ui.callbacks import StaffAction, StaffCb
from bot.ui.states import StaffInput
from bot.use_cases.case_work import remind_staff, take_on_first_answer
from bot.use_cases.desk import Desk
from bot.use_cases.reply import deliver, keep_staff_note
from bot.workspace.cards import StaffTexts, refresh_card
from storage.cases import (
    EVERY_HOUSE,
    CaseScope,
    case_by_card,
    case_by_thread,
    case_exists,
    link_of_staff_message,
    staff_case,
)
from storage.models import Application, Case, CaseStatus, Staff, User, utcnow

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


async def _case_asked_about(
    state: FSMContext, db: AsyncSession, access: Access
) -> tuple[int, Case | None]:
    """The case a note or a reminder time was asked for, if she still works on it; the
    question is closed either way."""
    case_id = int((await state.get_data()).get("case_id", 0))
    case = await staff_case(db, case_id, access.cases(Action.WORK_CASES))
    await state.clear()
    return case_id, case


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
    message: Message, application: Application, db: AsyncSession, desk: Desk, staff: Staff | None
) -> None:
    t = desk.staff_texts
    text = message.text or message.caption or ""
    if text.startswith(INTERNAL_MARK):
        # A remark among staff under the card: kept with the application, never sent.
        await keep_staff_note(db, message, text[1:].strip(), application_id=application.id)
        await message.reply(t("staff-note-saved"))
        return
    person = await db.get(User, application.user_id)
    if person is None:
        await message.reply(t("staff-person-forgotten"))
        return
    await deliver(message, person, db, desk, application_id=application.id, staff=staff)


async def note_given(
    message: Message, state: FSMContext, db: AsyncSession, access: Access, desk: Desk
) -> None:
    t = desk.staff_texts
    case_id, case = await _case_asked_about(state, db, access)
    if case is None and await case_exists(db, case_id):  # her scope changed since she asked
        await refuse(message, db, t, "note", key="staff-case-out-of-scope")
        return
    text = (message.text or message.caption or "").strip()
    if case is None or not text:
        await message.reply(t("staff-note-empty"))
        return
    await keep_staff_note(db, message, text, case_id=case.id)
    await message.reply(t("staff-note-saved"))


async def remind_time_given(
    message: Message, state: FSMContext, db: AsyncSession, access: Access, desk: Desk
) -> None:
    t = desk.staff_texts
    due = parse_when(message.text or "", utcnow(), desk.settings.tz)
    if due is None:
        await message.reply(t("staff-remind-bad-time"))  # the question stays open
        return
    case_id, case = await _case_asked_about(state, db, access)
    if case is None and await case_exists(db, case_id):  # her scope changed since she asked
        await refuse(message, db, t, "remind", key="staff-case-out-of-scope")
        return
    if case is None or message.from_user is None:
        return
    await remind_staff(db, case, message.from_user.id, due)
    await message.reply(t("staff-remind-set", at=due.strftime("%d.%m %H:%M")))


async def note_command(
    message: Message, command: CommandObject, db: AsyncSession, access: Access, desk: Desk
) -> None:
    t = desk.staff_texts
    case = await case_of(db, message, access.cases(Action.WORK_CASES))
    if case is None and await _refused_case(db, message, t):
        return
    if case is None or not (command.args or "").strip():
        await message.reply(t("staff-note-where"))
        return
    await keep_staff_note(db, message, (command.args or "").strip(), case_id=case.id)
    await message.reply(t("staff-note-saved"))


async def unknown_staff_command(message: Message, desk: Desk) -> None:
    await message.reply(desk.staff_texts("staff-help"))


async def staff_message(
    message: Message, db: AsyncSession, access: Access, desk: Desk, staff_member: Staff | None
) -> None:
    """A message in a staff group: to the person of the case or application it answers.
    `staff_member` is laid by the staff gate (None for an admin from the settings)."""
    t = desk.staff_texts
    bot = message.bot
    assert bot is not None  # set by the dispatcher on every update
    case = await case_of(db, message, access.cases(Action.WORK_CASES))
    application = await application_of(db, message) if case is None else None
    if application is not None:
        if not access.may(Action.APPLICATIONS):
            await refuse(message, db, t, "reply", key="staff-denied-role")
            return
        await _answer_applicant(message, application, db, desk, staff_member)
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
        await keep_staff_note(db, message, text[1:].strip(), case_id=case.id)
        return
    if case.status == CaseStatus.CLOSED:
        await message.reply(t("staff-case-closed-reply"), reply_markup=_reopen_markup(t, case.id))
        return
    person = await db.get(User, case.user_id) if case.user_id is not None else None
    if person is None:
        await message.reply(t("staff-person-forgotten"))
        return
    await deliver(
        message, person, db, desk, case_id=case.id, language=case.language, staff=staff_member
    )
    if case.taken_by is None and message.from_user is not None:
        # The first answer is the first response: the case is now this staff member's.
        user = message.from_user
        await take_on_first_answer(db, case, user.id, user.full_name[:64])
        await refresh_card(bot, case, desk.directory, t)


def _reopen_markup(t: StaffTexts, case_id: int) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=t("staff-button-reopen"),
        callback_data=StaffCb(action=StaffAction.REOPEN, case_id=case_id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def setup() -> Router:
    router = Router(name=__name__)
    router.message.filter(in_staff_chat)  # staff commands reach private chats; the relay does not
    router.message.register(note_given, StateFilter(StaffInput.note))
    router.message.register(remind_time_given, StateFilter(StaffInput.remind_at))
    router.message.register(note_command, Command("note"))
    router.message.register(unknown_staff_command, Magic(F.text.startswith("/")))
    router.message.register(staff_message)
    return router
