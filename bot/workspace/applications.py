"""A submitted foster application: its card for staff, and status news for the applicant."""

from __future__ import annotations

import logging
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.applications import applicable
from bot.services.directory import Directory
from bot.services.follow_ups import FollowUpKind, schedule
from bot.services.locale import locale_for
from bot.ui.callbacks import StaffAppCb
from bot.ui.screens import application as views
from bot.workspace.cards import StaffTexts
from storage.models import Application, ApplicationStatus, User, utcnow

log = logging.getLogger(__name__)

# The pipeline staff move an application along; a decision ends it.
PIPELINE = (
    ApplicationStatus.CONTACTED,
    ApplicationStatus.DOCUMENTS,
    ApplicationStatus.TRAINING,
    ApplicationStatus.HOME_VISIT,
    ApplicationStatus.APPROVED,
    ApplicationStatus.NOT_APPROVED,
)
FINAL = (ApplicationStatus.APPROVED, ApplicationStatus.NOT_APPROVED, ApplicationStatus.WITHDRAWN)


def _plain(value: object) -> str:
    if isinstance(value, dict):
        return escape(str(value.get("name", "")))
    return escape(str(value))


def application_card(application: Application, t: StaffTexts) -> str:
    """The answers as staff read them (the applicant's own texts escaped), and the status."""
    lines = [t("staff-app-title", number=application.id)]
    for step in applicable(application.answers):
        if step.code not in application.answers:
            continue
        value = application.answers[step.code]
        shown = t(f"app-option-{step.code}-{value}") if step.options else _plain(value)
        lines.append(f"{t(f'app-field-{step.code}')}: {shown}")
    lines.append("")
    lines.append(t("staff-app-status", status=t(f"staff-app-status-{application.status}")))
    if application.taken_by_name:
        lines.append(t("staff-card-taken-by", name=escape(application.taken_by_name)))
    return "\n".join(lines)


def application_keyboard(application: Application, t: StaffTexts) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if application.taken_by is None:
        rows.append(
            [
                InlineKeyboardButton(
                    text=t("staff-button-take"),
                    callback_data=StaffAppCb(application_id=application.id, take=True).pack(),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                text=t("staff-button-remind-tomorrow"),
                callback_data=StaffAppCb(application_id=application.id, remind=True).pack(),
            )
        ]
    )
    if application.status not in FINAL:
        rows += [
            [
                InlineKeyboardButton(
                    text=t(f"staff-app-set-{status}"),
                    callback_data=StaffAppCb(application_id=application.id, status=status).pack(),
                )
            ]
            for status in PIPELINE
            if status != application.status
        ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def alert_application(
    bot: Bot,
    session: AsyncSession,
    application: Application,
    *,
    i18n: I18nContext,
    settings: Settings,
    directory: Directory,
) -> None:
    """The card goes to the foster staff group (or the central one)."""
    t = StaffTexts(i18n.core, settings.staff_language)
    chat_id = settings.foster_staff_chat_id or settings.staff_chat_id or 0
    application.staff_chat_id = chat_id
    try:
        card = await bot.send_message(
            chat_id,
            application_card(application, t),
            reply_markup=application_keyboard(application, t),
        )
    except TelegramAPIError as error:
        log.warning(
            "application %s: staff alert failed (%s); queued", application.id, type(error).__name__
        )
        await schedule(
            session,
            kind=FollowUpKind.APPLICATION_ALERT,
            due_at=utcnow(),
            unique_key=f"application_alert:{application.id}",
            target_chat_id=chat_id,
            payload={"application_id": application.id},
        )
        return
    application.card_message_id = card.message_id
    await session.flush()


async def notify_applicant(
    bot: Bot, session: AsyncSession, application: Application, core: FluentRuntimeCore
) -> bool:
    """Each status change reaches the applicant, in her language, with the next step."""
    person = await session.get(User, application.user_id)
    if person is None:
        return False
    locale = locale_for(person.language, person.telegram_language)
    with_locale = _FixedLocale(core, locale)
    screen = views.status_screen(with_locale, application)  # type: ignore[arg-type]
    text = core.get("app-status-changed", locale) + "\n\n" + screen.text
    try:
        await bot.send_message(person.id, text, reply_markup=screen.markup)
    except TelegramAPIError as error:
        log.info(
            "application %s: status news not delivered (%s)", application.id, type(error).__name__
        )
        return False
    application.updated_at = utcnow()
    return True


class _FixedLocale:
    """Enough of an I18nContext to render the applicant's screens outside her own update."""

    def __init__(self, core: FluentRuntimeCore, locale: str) -> None:
        self.core = core
        self.locale = locale

    def get(self, key: str, /, **kwargs: object) -> str:
        return self.core.get(key, self.locale, **kwargs)
