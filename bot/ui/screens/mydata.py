"""/mydata: every personal field kept about her, grouped by case and by application."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from bot.services.applications import STEPS
from bot.services.directory import Directory
from bot.services.locale import supported
from bot.ui.callbacks import Language
from bot.ui.keyboards import LANGUAGE_NAMES
from bot.ui.screens.application import answer_label
from storage.models import Application, Case, User

_DATE = "%d.%m.%Y"


def _language(i18n: I18nContext, person: User) -> str:
    """The language she is spoken to in, and whether she chose it or Telegram told it."""
    name = LANGUAGE_NAMES[Language(i18n.locale)]
    if supported(person.language):
        return i18n.get("privacy-mydata-language", language=name)
    return i18n.get("privacy-mydata-language-telegram", language=name)


def _case_lines(i18n: I18nContext, case: Case, directory: Directory, messages: int) -> list[str]:
    date = case.created_at.strftime(_DATE)
    lines = ["", i18n.get("privacy-mydata-case", case=str(case.id), date=date)]
    lines.append(
        i18n.get("privacy-mydata-kind", kind=i18n.get(f"staff-kind-{case.kind}".replace("_", "-")))
    )
    if case.region:
        try:
            region = directory.region(case.region).name.get(i18n.locale)
        except KeyError:
            region = case.region
        lines.append(i18n.get("privacy-mydata-region", region=escape(region)))
    if case.phone:
        lines.append(i18n.get("privacy-mydata-phone", phone=escape(case.phone)))
    if case.contact_way:
        way = i18n.get(f"staff-way-{case.contact_way}".replace("_", "-"))
        lines.append(i18n.get("privacy-mydata-way", way=way))
    if case.contact_time:
        time = i18n.get(f"staff-time-{case.contact_time}".replace("_", "-"))
        lines.append(i18n.get("privacy-mydata-time", time=time))
    if case.shared_phone:
        lines.append(i18n.get("privacy-mydata-case-shared"))
    if case.note:
        lines.append(f"{i18n.get('privacy-mydata-note')} {escape(case.note)}")
    lines.append(i18n.get("privacy-mydata-messages", count=messages))
    return lines


def _application_lines(i18n: I18nContext, application: Application, messages: int) -> list[str]:
    lines = ["", i18n.get("privacy-mydata-application", number=application.id)]
    for step in STEPS:
        if step.code not in application.answers:
            continue
        label = i18n.get(f"app-field-{step.code}".replace("_", "-"))
        value = answer_label(i18n, step, application.answers[step.code])
        lines.append(f"• {label}: {value}")
    if application.care_form and "care_form" not in application.answers:
        step = next(step for step in STEPS if step.code == "care_form")
        label = i18n.get("app-field-care-form")
        lines.append(f"• {label}: {answer_label(i18n, step, application.care_form)}")
    lines.append(i18n.get("privacy-mydata-messages", count=messages))
    return lines


def my_data(
    i18n: I18nContext,
    person: User,
    cases: list[Case],
    applications: list[Application],
    counts: tuple[dict[int, int], dict[int, int]],
    directory: Directory,
) -> str:
    per_case, per_application = counts
    lines = [
        i18n.get("privacy-mydata-title"),
        i18n.get("privacy-mydata-id", id=str(person.id)),
        _language(i18n, person),
    ]
    if person.referral_source:
        lines.append(i18n.get("privacy-mydata-source", source=escape(person.referral_source)))
    if person.consent_at:
        lines.append(i18n.get("privacy-mydata-consent", date=person.consent_at.strftime(_DATE)))
    if person.shared_phone:
        lines.append(i18n.get("privacy-mydata-shared"))
    for case in cases:
        lines += _case_lines(i18n, case, directory, per_case.get(case.id, 0))
    for application in applications:
        lines += _application_lines(i18n, application, per_application.get(application.id, 0))
    if not cases:
        lines += ["", i18n.get("privacy-mydata-no-cases")]
    lines += ["", i18n.get("privacy-mydata-footer")]
    return "\n".join(lines)
