"""Fixtures the flow tests share: people walked to a point of their flow (a mother at a step or
with her case, an applicant with her card, her chat in the test's language) and the staff side
(the admin at the cards, a plain staff group, the staff texts, the whole workspace in one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import BotMessage, EmulatorClient
from bot.workspace.cards import StaffTexts
from storage.models import Case
from tests.support.chat import Chat, one_case
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.foster import ApplicantWithCard, submit_application
from tests.support.mother import MotherAt, MotherWithCase, at_step, handed_off
from tests.support.staff import StaffMember, Workspace

PLAIN = -1001000000777
LANGS = ["kk", "ru", "en"]


@pytest.fixture
def admin(client: EmulatorClient, app: tuple[Dispatcher, Bot]) -> StaffMember:
    """The admin from the settings, in the central staff group (a forum)."""
    return StaffMember(client.user(ADMIN, "Айгерим", language_code="ru"), client, app)


@pytest.fixture
def chat(chat_with: Callable[..., Chat], lang: str) -> Chat:
    """Her chat with the bot, her Telegram set to the `lang` the test is parametrized with."""
    return chat_with(user_id=7300 + LANGS.index(lang), language_code=lang)


@pytest.fixture
def mother_at(chat_with: Callable[..., Chat]) -> MotherAt:
    """A mother walked from /start to her step (see `at_step`); her chat and the bot's
    messages asking it."""

    async def make(user_id: int, lang: str, step: str, **how: Any) -> tuple[Chat, list[BotMessage]]:
        mother = chat_with(user_id=user_id, language_code=lang)
        return mother, await at_step(mother, lang, step, **how)

    return make


@pytest.fixture
def mother_with_case(chat_with: Callable[..., Chat], resources: Resources) -> MotherWithCase:
    """A mother walked to the handoff (`how`: as `handed_off` takes it); returns her chat and
    the case it made (the only one)."""

    async def make(user_id: int, lang: str = "ru", **how: Any) -> tuple[Chat, Case]:
        mother = chat_with(user_id=user_id, language_code=lang)
        await handed_off(mother, lang, **how)
        return mother, await one_case(resources)

    return make


@pytest.fixture
def applicant_with_card(
    chat_with: Callable[..., Chat], client: EmulatorClient
) -> ApplicantWithCard:
    """An applicant who sent her foster application; returns her chat and the application's
    card, the only message of the bot's in the staff group."""

    async def make(user_id: int, lang: str = "ru") -> tuple[Chat, BotMessage]:
        applicant = chat_with(user_id=user_id, language_code=lang)
        await submit_application(applicant, lang)
        [card] = [m for m in await client.messages(STAFF_CHAT) if m.from_bot]
        return applicant, card

    return make


@pytest.fixture
async def plain_group(
    client: EmulatorClient, app: tuple[Dispatcher, Bot], settings: Settings
) -> Settings:
    """The staff group is a plain group (no topics): the settings that point at it."""
    await client.create_group(PLAIN, "Staff (plain)", is_forum=False)
    plain = settings.model_copy(update={"staff_chat_id": PLAIN})
    dispatcher, _bot = app
    dispatcher["settings"] = plain
    return plain


@pytest.fixture
def staff_texts(app: tuple[Dispatcher, Bot], settings: Settings) -> StaffTexts:
    """Staff texts as the bot renders them, in the staff's language."""
    dispatcher, _bot = app
    return StaffTexts(dispatcher["i18n_middleware"].core, settings.staff_language)


@pytest.fixture
def workspace(
    client: EmulatorClient,
    resources: Resources,
    admin: StaffMember,
    staff_texts: StaffTexts,
    mother_with_case: MotherWithCase,
) -> Workspace:
    """What a staff-side test works with, in one fixture (see `Workspace`)."""
    return Workspace(client, resources, admin, staff_texts, mother_with_case)
