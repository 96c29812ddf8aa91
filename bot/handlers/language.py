"""`/language` and the language picker: switching never loses a conversation's progress."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot import screens
from bot.callbacks import LanguageCb
from bot.i18n import set_chat_command_menu
from bot.navigation import destination_screen
from bot.services.deeplink import Destination
from bot.services.directory import Directory
from bot.services.hotlines import Hotline
from bot.states import Onboarding
from storage.models import User

router = Router(name=__name__)


@router.message(Command("language", "lang", "til", "yazyk"))
async def language_command(message: Message, i18n: I18nContext) -> None:
    screen = screens.language_prompt(i18n)
    await message.answer(screen.text, reply_markup=screen.markup)


@router.callback_query(LanguageCb.filter())
async def language_chosen(
    query: CallbackQuery,
    callback_data: LanguageCb,
    bot: Bot,
    person: User,
    db: AsyncSession,
    state: FSMContext,
    i18n: I18nContext,
    directory: Directory,
    hotlines: list[Hotline],
) -> None:
    locale = callback_data.language.value
    await i18n.set_locale(locale, person=person, db=db)
    await query.answer(i18n.get("language-set"))
    await set_chat_command_menu(bot, i18n.core, person.id, locale)
    message = query.message
    if message is None:
        return
    if await state.get_state() == Onboarding.language.state:
        # First contact: go on to where the deep link pointed.
        destination = Destination((await state.get_data()).get("destination", "home"))
        await state.clear()
        screen = destination_screen(destination, i18n, directory, hotlines, first=True)
        await message.answer(screen.text, reply_markup=screen.markup)
        return
    text = i18n.get("language-set")
    if await state.get_state() is not None:
        text += "\n" + i18n.get("language-continue")
    await message.answer(text, reply_markup=screens.home(i18n).markup)
