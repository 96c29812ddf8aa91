"""Catch-alls, registered last: any input gets a kind answer, and the person keeps their place."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.ui import screens
from bot.ui.states import Onboarding

router = Router(name=__name__)


@router.message(Onboarding.language)
async def waiting_for_language(message: Message, i18n: I18nContext) -> None:
    screen = screens.first_language_prompt(i18n)
    await message.answer(**screen.as_kwargs())


@router.message(F.text.startswith("/"))
async def unknown_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(
        i18n.get("fallback-unknown-command"), reply_markup=screens.home(i18n).markup
    )


@router.message(F.text)
async def unexpected_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-text"), reply_markup=screens.home(i18n).markup)


@router.message(F.voice | F.video_note | F.audio)
async def unexpected_voice(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-voice"), reply_markup=screens.home(i18n).markup)


@router.message()
async def unexpected_media(message: Message, i18n: I18nContext) -> None:
    # Stickers, photos, files, locations outside a step: no dead end, just the way on.
    await message.answer(i18n.get("fallback-media"), reply_markup=screens.home(i18n).markup)


@router.edited_message(F.location)
async def live_location_moved() -> None:
    """A live location is an edit each time she moves: no reply (each would be a notification
    on her phone) and nothing relayed; the point she first shared was."""


@router.edited_message()
async def edited(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-edited"))


@router.callback_query()
async def stale_button(query: CallbackQuery, i18n: I18nContext) -> None:
    # An old or forged button: say so, and offer the menu instead of doing anything.
    await query.answer()
    if query.message is not None:
        await query.message.answer(
            i18n.get("fallback-stale-button"), reply_markup=screens.home(i18n).markup
        )
