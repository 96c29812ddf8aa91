"""Screens of the foster family application: one step per screen, the review, the status."""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram_i18n import I18nContext

from bot.services.applications import STEPS, Step, StepKind, applicable, previous_step, progress
from bot.services.family_forms import DOCUMENTS, FamilyForm, doc_key
from bot.ui import keyboards
from bot.ui.callbacks import AppAction, AppCb, AppField, AppOption, ChecklistCb, MenuAction, MenuCb
from bot.ui.screens import Screen
from storage.models import Application, ApplicationStatus


def _cb(action: AppAction, field: str = "full_name", value: str = "none") -> str:
    return AppCb(action=action, field=AppField(field), value=AppOption(value)).pack()


def _footer(i18n: I18nContext) -> list[InlineKeyboardButton]:
    home = InlineKeyboardButton(
        text=i18n.get("menu-button-home"), callback_data=MenuCb(action=MenuAction.HOME).pack()
    )
    return [keyboards.emergency_button(i18n), home]


def option_label(i18n: I18nContext, step: Step, option: str) -> str:
    return i18n.get(f"app-option-{step.code}-{option}".replace("_", "-"))


def answer_label(i18n: I18nContext, step: Step, value: Any) -> str:
    if step.kind is StepKind.CHOICE:
        return option_label(i18n, step, str(value))
    if isinstance(value, dict):  # a place
        return escape(str(value.get("name", "")))
    return escape(str(value))


def step_screen(i18n: I18nContext, step: Step, answers: dict[str, Any]) -> Screen:
    number, total = progress(step.code, answers)
    key = f"app-step-{step.code}".replace("_", "-")
    text = f"{i18n.get('app-progress', step=number, total=total)}\n\n{i18n.get(key)}"
    back = previous_step(step.code, answers)
    if step.kind is StepKind.PHONE:
        # Telegram's contact button exists only on a reply keyboard.
        rows = [[KeyboardButton(text=i18n.get("app-button-share-phone"), request_contact=True)]]
        if back is not None:
            rows.append([KeyboardButton(text=i18n.get("app-button-back"))])
        markup: Any = ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True)
        return Screen(text, markup)
    buttons: list[list[InlineKeyboardButton]] = []
    if step.kind is StepKind.CHOICE:
        row: list[InlineKeyboardButton] = []
        for option in step.options:
            row.append(
                InlineKeyboardButton(
                    text=option_label(i18n, step, option),
                    callback_data=_cb(AppAction.CHOOSE, step.code, option),
                )
            )
            if len(row) == (1 if len(step.options) <= 3 or step.code == "care_form" else 3):
                buttons.append(row)
                row = []
        if row:
            buttons.append(row)
    if back is not None:
        buttons.append(
            [
                InlineKeyboardButton(
                    text=i18n.get("app-button-back"), callback_data=_cb(AppAction.BACK, step.code)
                )
            ]
        )
    buttons.append(_footer(i18n))
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=buttons))


def review(
    i18n: I18nContext, application: Application, retention_days: int, operator_name: str | None
) -> Screen:
    answers = application.answers
    lines = [i18n.get("app-review-title")]
    buttons: list[list[InlineKeyboardButton]] = []
    for step in applicable(answers):
        if step.code not in answers:
            continue
        label = i18n.get(f"app-field-{step.code}".replace("_", "-"))
        lines.append(f"<b>{label}:</b> {answer_label(i18n, step, answers[step.code])}")
        buttons.append(
            [
                InlineKeyboardButton(
                    text=i18n.get("app-button-edit", field=label),
                    callback_data=_cb(AppAction.EDIT, step.code),
                )
            ]
        )
    operator = escape(operator_name) if operator_name else i18n.get("privacy-operator-default")
    lines += ["", i18n.get("app-review-consent", days=retention_days, operator=operator)]
    submit = InlineKeyboardButton(
        text=i18n.get("app-button-submit"), callback_data=_cb(AppAction.SUBMIT)
    )
    return Screen(
        "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[[submit], *buttons, _footer(i18n)])
    )


def resume_offer(i18n: I18nContext, application: Application) -> Screen:
    step = application.step or STEPS[0].code
    number, total = progress(step, application.answers)
    buttons = [
        [
            InlineKeyboardButton(
                text=i18n.get("app-button-continue"), callback_data=_cb(AppAction.CONTINUE)
            )
        ],
        [
            InlineKeyboardButton(
                text=i18n.get("app-button-restart"), callback_data=_cb(AppAction.RESTART)
            )
        ],
        _footer(i18n),
    ]
    return Screen(
        i18n.get("app-resume", step=number, total=total),
        InlineKeyboardMarkup(inline_keyboard=buttons),
    )


def status_text(i18n: I18nContext, application: Application) -> str:
    status = application.status.replace("_", "-")
    return "\n".join(
        [
            i18n.get("app-status-title", number=application.id),
            # The training texts name the training of her form; the others ignore `form`.
            i18n.get(f"app-status-{status}", form=application.care_form or "other"),
        ]
    )


def checklist(i18n: I18nContext, application: Application) -> Screen:
    """The documents for the chosen form; she ticks what she has gathered."""
    form = FamilyForm(application.care_form or FamilyForm.FOSTER)
    done = application.checklist or {}
    buttons = [
        [
            InlineKeyboardButton(
                text=("✅ " if done.get(code) else "⬜ ") + i18n.get(doc_key(code)),
                callback_data=ChecklistCb(application_id=application.id, item=code).pack(),
            )
        ]
        for code in DOCUMENTS[form]
    ]
    count = sum(1 for code in DOCUMENTS[form] if done.get(code))
    text = i18n.get("app-checklist", done=count, total=len(DOCUMENTS[form]))
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[*buttons, _footer(i18n)]))


def status_screen(i18n: I18nContext, application: Application) -> Screen:
    buttons: list[list[InlineKeyboardButton]] = []
    if application.status == ApplicationStatus.DOCUMENTS:
        return Screen(
            status_text(i18n, application) + "\n\n" + checklist(i18n, application).text,
            checklist(i18n, application).markup,
        )
    if application.status not in (
        ApplicationStatus.APPROVED,
        ApplicationStatus.NOT_APPROVED,
        ApplicationStatus.WITHDRAWN,
    ):
        buttons.append(
            [
                InlineKeyboardButton(
                    text=i18n.get("app-button-withdraw"), callback_data=_cb(AppAction.WITHDRAW)
                )
            ]
        )
    buttons.append(_footer(i18n))
    return Screen(status_text(i18n, application), InlineKeyboardMarkup(inline_keyboard=buttons))


def withdraw_confirm(i18n: I18nContext) -> Screen:
    buttons = [
        [
            InlineKeyboardButton(
                text=i18n.get("app-button-withdraw-yes"), callback_data=_cb(AppAction.WITHDRAW_SURE)
            )
        ],
        _footer(i18n),
    ]
    return Screen(i18n.get("app-withdraw-confirm"), InlineKeyboardMarkup(inline_keyboard=buttons))
