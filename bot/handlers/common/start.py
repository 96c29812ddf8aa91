"""`/start` with deep links, the first language choice, and the main menu."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.deeplink import parse_start_payload
from bot.services.locale import resolve_locale
from bot.ui import screens
from bot.ui.navigation import show_destination
from bot.ui.screens import application as application_views
from bot.ui.states import Onboarding
from storage.applications import draft_of
from storage.models import User
from storage.staff import add_staff, audit, claim_invite
from storage.users import set_referral_source


async def start(
    message: Message,
    person: User,
    db: AsyncSession,
    state: FSMContext,
    i18n: I18nContext,
) -> None:
    # CommandStart's CommandObject would be a sixth parameter; its args are the text's second word.
    args = (message.text or "").split(maxsplit=1)[1:]
    payload = parse_start_payload(args[0] if args else None)
    # /start is a fresh beginning: an unfinished step is dropped (nothing of it was sent), and
    # an open case still receives her messages, since the relay follows the case, not the state.
    await state.clear()
    if payload.source:
        await set_referral_source(db, person, payload.source)
    if payload.staff_token is not None and message.from_user is not None:
        await _join_staff(message, db, i18n, payload.staff_token)
        return
    telegram_code = message.from_user.language_code if message.from_user else None
    if resolve_locale(person.language, telegram_code) is None:
        # Remember where the link pointed while the person picks a language.
        await state.set_state(Onboarding.language)
        await state.update_data(destination=payload.destination.value)
        screen = screens.first_language_prompt(i18n)
        await message.answer(**screen.as_kwargs())
        return
    await show_destination(message, payload.destination, state, i18n, first=True)
    draft = await draft_of(db, person.id)
    if draft is not None and draft.answers:
        # A week later, /start offers to go on with the unfinished application.
        await message.answer(**application_views.resume_offer(i18n, draft).as_kwargs())


async def _join_staff(message: Message, db: AsyncSession, i18n: I18nContext, token: str) -> None:
    """A one-time invitation: the first person to open it joins, with the invited role."""
    assert message.from_user is not None
    invite = await claim_invite(db, token, message.from_user.id)
    if invite is None:
        await audit(db, message.from_user.id, "invite_refused")
        await message.answer(i18n.get("start-staff-invite-invalid"))
        return
    await add_staff(
        db,
        message.from_user.id,
        invite.role,
        shelter_id=invite.shelter_id,
        added_by=invite.created_by,
        display_name=message.from_user.first_name[:64],
    )
    await audit(db, message.from_user.id, "joined_staff", role=invite.role)
    await message.answer(i18n.get("start-staff-welcome"))


def setup() -> Router:
    router = Router(name=__name__)
    router.message.register(start, CommandStart())
    return router
