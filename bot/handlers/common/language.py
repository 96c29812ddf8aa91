"""`/language` and the language picker: switching never loses a conversation's progress."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.i18n import set_chat_command_menu
from bot.services.deeplink import Destination
from bot.ui import screens
from bot.ui.callbacks import LanguageCb
from bot.ui.navigation import show_destination
from bot.ui.states import Onboarding
from bot.ui.steps import step_screen
from bot.use_cases.desk import Desk


async def language_command(message: Message, i18n: I18nContext) -> None:
    screen = screens.language_prompt(i18n)
    await message.answer(**screen.as_kwargs())


async def language_chosen(
    query: CallbackQuery,
    callback_data: LanguageCb,
    state: FSMContext,
    i18n: I18nContext,
    desk: Desk,
) -> None:
    bot = query.bot
    assert bot is not None  # set by the dispatcher on every update
    locale = callback_data.language.value
    await i18n.set_locale(locale)  # the locale manager finds person and db in i18n's data
    await query.answer(i18n.get("language-set"))
    await set_chat_command_menu(bot, i18n.core, query.from_user.id, locale)
    message = query.message
    if message is None:
        return
    if await state.get_state() == Onboarding.language.state:
        # First contact: go on to where the deep link pointed.
        destination = Destination((await state.get_data()).get("destination", "home"))
        await state.clear()
        await show_destination(message, destination, state, i18n, first=True)
        return
    current = await state.get_state()
    step = step_screen(current, await state.get_data(), i18n, desk.settings)
    if current is None:
        await message.answer(i18n.get("language-set"), reply_markup=screens.home(i18n).markup)
        return
    await message.answer(i18n.get("language-set") + "\n" + i18n.get("language-continue"))
    if step is not None:  # the same step again, now in the new language
        await message.answer(**step.as_kwargs())


def setup() -> Router:
    router = Router(name=__name__)
    router.message.register(language_command, Command("language", "lang", "til", "yazyk"))
    router.callback_query.register(language_chosen, LanguageCb.filter())
    return router
