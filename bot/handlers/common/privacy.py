"""/mydata, /forget and /clear: a person sees and deletes what is kept, and clears the chat."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.middlewares.flood import flood_bucket
from bot.services.privacy import forget_person, split_deletable, what_we_keep
from bot.ui import keyboards
from bot.ui.callbacks import MotherAction, MotherCb, PrivacyAction, PrivacyCb
from bot.ui.screens.mydata import my_data as mydata_screen
from bot.use_cases.desk import Desk
from bot.workspace.alerts import notify_case_thread
from bot.workspace.cleanup import (
    Cleanup,
    clean_application_cards,
    clean_case_cards,
    remove_messages,
)
from storage import chat_log
from storage.applications import every_application_of
from storage.cases import her_message_counts
from storage.erasure import ERASED_TABLES, compact
from storage.fsm import forget_conversations
from storage.models import User, utcnow
from storage.unit_of_work import unit_of


def _confirm(i18n: I18nContext, yes_key: str, action: PrivacyAction) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n.get(yes_key), callback_data=PrivacyCb(action=action).pack()
                )
            ],
            [
                InlineKeyboardButton(
                    text=i18n.get("privacy-button-cancel"),
                    callback_data=PrivacyCb(action=PrivacyAction.CANCEL).pack(),
                )
            ],
            [keyboards.emergency_button(i18n)],
        ]
    )


async def clear_asked(message: Message, i18n: I18nContext) -> None:
    markup = _confirm(i18n, "privacy-button-clear-yes", PrivacyAction.CLEAR)
    await message.answer(i18n.get("privacy-clear-confirm"), reply_markup=markup)


async def clear_button(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        markup = _confirm(i18n, "privacy-button-clear-yes", PrivacyAction.CLEAR)
        await query.message.answer(i18n.get("privacy-clear-confirm"), reply_markup=markup)


async def clear_confirmed(
    query: CallbackQuery, bot: Bot, db: AsyncSession, person: User, i18n: I18nContext
) -> None:
    await query.answer()
    chat_id = person.id
    fresh, old = split_deletable(await chat_log.messages_in(db, chat_id), utcnow())
    deleted: list[int] = []
    for start in range(0, len(fresh), 100):  # Telegram deletes up to 100 at once
        batch = fresh[start : start + 100]
        try:
            await bot.delete_messages(chat_id, batch)
            deleted += batch
        except TelegramAPIError:
            for message_id in batch:  # one by one, to know which could not go
                try:
                    await bot.delete_message(chat_id, message_id)
                    deleted.append(message_id)
                except TelegramAPIError:
                    old.append(message_id)
    await chat_log.forget_messages(db, chat_id, deleted)
    text = i18n.get("privacy-clear-done", deleted=str(len(deleted)))
    if old:
        text += "\n\n" + i18n.get("privacy-clear-kept", kept=str(len(old)))
    await bot.send_message(chat_id, text)


async def my_data(
    message: Message, db: AsyncSession, person: User, i18n: I18nContext, desk: Desk
) -> None:
    directory = desk.directory
    stored = await what_we_keep(db, person)
    applications = await every_application_of(db, person.id)
    counts = await her_message_counts(
        db,
        case_ids=[case.id for case in stored.cases],
        application_ids=[application.id for application in applications],
    )
    text = mydata_screen(i18n, person, stored.cases, applications, counts, directory)
    await message.answer(text)


async def forget_asked(message: Message, i18n: I18nContext) -> None:
    markup = _confirm(i18n, "privacy-button-forget-yes", PrivacyAction.FORGET)
    await message.answer(i18n.get("privacy-forget-confirm"), reply_markup=markup)


async def forget_confirmed(
    query: CallbackQuery,
    db: AsyncSession,
    state: FSMContext,
    i18n: I18nContext,
    desk: Desk,
) -> None:
    directory = desk.directory
    bot = query.bot
    assert bot is not None  # set by the dispatcher on every update
    await query.answer()
    person_id = query.from_user.id  # her own private chat
    await forget_conversations(state.storage, db, person_id)
    await desk.coordination.forget_rate(flood_bucket(person_id))
    forgotten = await forget_person(db, person_id)
    t = desk.staff_texts
    for case in forgotten.cases:
        if case.closed_at is None:
            await notify_case_thread(
                bot,
                db,
                case,
                t("staff-case-forgotten", case=case.id),
                desk.workspace,
            )
    cleanup = await remove_messages(bot, forgotten.staff_messages, t("staff-removed-on-request"))
    cards = await clean_case_cards(bot, forgotten.cases, directory, t)
    cards.add(
        await clean_application_cards(bot, forgotten.application_cards, t("staff-app-forgotten"))
    )
    cleanup.kept += cards.kept  # a card edited is a card without her data: nothing to report
    if isinstance(query.message, Message):
        await query.message.edit_text(forget_report(i18n, cleanup))
    await chat_log.forget_messages(db, person_id)  # the report's id, remembered as it was sent
    # Committed (the update marked handled) before the checkpoint: an open write would keep
    # the old pages, her words among them, in the WAL file.
    await unit_of(db).commit(handled=True)
    await compact(db.bind, ERASED_TABLES)


def forget_report(i18n: I18nContext, cleanup: Cleanup) -> str:
    """What she is told: "everything" only when it is true."""
    if not cleanup.replaced and not cleanup.kept:
        return i18n.get("privacy-forget-done")
    lines = [i18n.get("privacy-forget-done-partly")]
    if cleanup.replaced:
        lines.append(i18n.get("privacy-forget-replaced", count=str(cleanup.replaced)))
    if cleanup.kept:
        lines.append(i18n.get("privacy-forget-kept", count=str(cleanup.kept)))
    return "\n".join(lines)


async def privacy_cancelled(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("privacy-cancelled"))


def setup() -> Router:
    router = Router(name=__name__)
    router.message.register(clear_asked, Command("clear"))
    router.callback_query.register(
        clear_button, MotherCb.filter(F.action == MotherAction.CLEAR_CHAT)
    )
    router.callback_query.register(
        clear_confirmed, PrivacyCb.filter(F.action == PrivacyAction.CLEAR)
    )
    router.message.register(my_data, Command("mydata"))
    router.message.register(forget_asked, Command("forget"))
    router.callback_query.register(
        forget_confirmed, PrivacyCb.filter(F.action == PrivacyAction.FORGET)
    )
    router.callback_query.register(
        privacy_cancelled, PrivacyCb.filter(F.action == PrivacyAction.CANCEL)
    )
    return router
