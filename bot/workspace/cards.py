"""The case card staff see: its text, its buttons, and keeping it up to date in place."""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot.services.directory import Directory
from bot.ui.callbacks import StaffAction, StaffCb
from bot.workspace.outcomes import closed_rows, outcome_label
from storage.models import Case, CaseStatus, Urgency, utcnow

log = logging.getLogger(__name__)


class StaffTexts:
    """Staff texts in the staff's language (one language per deployment, from the settings)."""

    def __init__(self, core: FluentRuntimeCore, locale: str) -> None:
        self.core = core
        self.locale = locale

    def __call__(self, key: str, **kwargs: object) -> str:
        return self.core.get(key.replace("_", "-"), self.locale, **kwargs)  # enum values use "_"


def waiting(t: StaffTexts, since: datetime, now: datetime) -> str:
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return t("staff-wait-minutes", minutes=minutes)
    if minutes < 48 * 60:
        return t("staff-wait-hours", hours=minutes // 60, minutes=minutes % 60)
    return t("staff-wait-days", days=minutes // (24 * 60))


def case_card(case: Case, directory: Directory, t: StaffTexts, now: datetime | None = None) -> str:
    """The case as staff read it. Everything the person typed is escaped for Telegram's HTML."""
    now = now or utcnow()
    title_key = "staff-card-title-urgent" if case.urgency == Urgency.URGENT else "staff-card-title"
    lines = [t(title_key, case=case.id), t("staff-card-kind", kind=t(f"staff-kind-{case.kind}"))]
    triage = case.triage or {}
    if triage.get("safety"):
        lines.append(t("staff-card-safety", safety=t(f"staff-safety-{triage['safety']}")))
    if triage.get("danger_words"):
        lines.append(t("staff-card-danger-words"))
    if case.region:
        lines.append(
            t("staff-card-region", region=escape(directory.region(case.region).name.get(t.locale)))
        )
    shelter = directory.shelter(case.shelter_id) if case.shelter_id else None
    if shelter is not None:
        lines.append(t("staff-card-house", house=escape(shelter.name.get(t.locale))))
    if case.phone:
        lines.append(
            t(
                "staff-card-contact",
                phone=escape(case.phone),
                way=t(f"staff-way-{case.contact_way}"),
                time=t(f"staff-time-{case.contact_time}"),
            )
        )
    if case.shared_phone:
        lines.append(t("staff-card-shared-phone"))
    if case.note:
        # Her words after the label, not through Fluent: escaped, they can outgrow its limit.
        lines.append(f"{t('staff-card-note')} {escape(case.note)}")
    if case.referral_source:
        lines.append(t("staff-card-source", source=escape(case.referral_source)))
    lines.append(t("staff-card-language", language=escape(case.language or "?")))
    lines.append("")
    lines.append(t("staff-card-status", status=t(f"staff-status-{case.status}")))
    if case.taken_by is not None and case.status != CaseStatus.CLOSED:
        name = escape(case.taken_by_name or str(case.taken_by))
        lines.append(t("staff-card-taken-by", name=name))
    if case.status == CaseStatus.NEW:
        lines.append(t("staff-card-waiting", waiting=waiting(t, case.created_at, now)))
    if case.status == CaseStatus.CLOSED:
        if case.outcome is None:
            lines.append(t("staff-card-outcome-none"))
        else:
            lines.append(t("staff-card-outcome", outcome=outcome_label(case, directory, t.locale)))
    if case.user_id is None:
        expired = bool(triage.get("expired"))  # the retention purge, not her /forget
        lines.append(t("staff-card-expired" if expired else "staff-card-forgotten"))
    return "\n".join(lines)


def _button(t: StaffTexts, key: str, action: StaffAction, case_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t(key), callback_data=StaffCb(action=action, case_id=case_id).pack()
    )


def card_keyboard(
    case: Case, t: StaffTexts, menu: str | None = None, directory: Directory | None = None
) -> InlineKeyboardMarkup:
    """Buttons for the case's status; `menu` opens the status or reminder choices instead
    (on a closed card: the outcome list, or the houses for an outcome; see
    bot.workspace.outcomes)."""
    b = lambda key, action: _button(t, key, action, case.id)  # noqa: E731 - a local shorthand
    if menu == "status":
        rows = [
            [b("staff-button-in-progress", StaffAction.IN_PROGRESS)],
            [b("staff-button-waiting", StaffAction.WAITING)],
            [b("staff-button-back", StaffAction.BACK)],
        ]
    elif menu == "remind":
        rows = [
            [b("staff-button-remind-hour", StaffAction.REMIND_HOUR)],
            [b("staff-button-remind-tomorrow", StaffAction.REMIND_TOMORROW)],
            [b("staff-button-remind-type", StaffAction.REMIND_TYPE)],
            [b("staff-button-back", StaffAction.BACK)],
        ]
    elif case.status == CaseStatus.CLOSED:
        rows = closed_rows(
            case,
            t.locale,
            t("staff-button-outcome-change"),
            t("staff-button-reopen"),
            t("staff-button-back"),
            menu,
            directory,
        )
    else:
        first = [b("staff-button-take", StaffAction.TAKE)] if case.taken_by is None else []
        rows = [
            [*first, b("staff-button-note", StaffAction.NOTE)],
            [
                b("staff-button-remind", StaffAction.REMIND_MENU),
                b("staff-button-status", StaffAction.STATUS_MENU),
            ],
            [b("staff-button-close", StaffAction.CLOSE)],
        ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def refresh_card(
    bot: Bot, case: Case, directory: Directory, t: StaffTexts, menu: str | None = None
) -> bool:
    """Edit the card in place after a change; a card Telegram can't edit is left as it was
    (False)."""
    if case.staff_chat_id is None or case.card_message_id is None:
        return False
    try:
        await bot.edit_message_text(
            chat_id=case.staff_chat_id,
            message_id=case.card_message_id,
            text=case_card(case, directory, t),
            reply_markup=card_keyboard(case, t, menu, directory),
        )
    except TelegramBadRequest as error:  # "not modified" is a success (OutgoingMiddleware)
        log.warning("case %s: card not edited (%s)", case.id, error.message[:80])
        return False
    except TelegramAPIError as error:
        log.warning("case %s: card not edited (%s)", case.id, type(error).__name__)
        return False
    return True
