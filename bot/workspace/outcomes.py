"""The outcome part of a closed case card: its line, the outcome list, the house list."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.directory import Directory
from bot.services.outcomes import house_choices, outcome_of, shipped_outcomes
from bot.ui.callbacks import OutcomeCb, OutcomeCode, StaffAction, StaffCb
from storage.models import Case

Rows = list[list[InlineKeyboardButton]]
HOUSE_MENU = "house:"  # the card's menu "house:<code>": which house, for that outcome


def outcome_label(case: Case, directory: Directory, locale: str) -> str:
    """The outcome as staff read it ("🏠 Placed in a mothers' house: Karaganda"), escaped."""
    outcome = outcome_of(case.outcome)
    text = outcome.button(locale) if outcome else str(case.outcome)
    shelter = directory.shelter(case.outcome_shelter_id) if case.outcome_shelter_id else None
    if shelter is not None:
        text += f": {shelter.name.get(locale)}"
    elif case.outcome_shelter_id:
        text += f": {case.outcome_shelter_id}"
    return escape(text)


def outcome_rows(case: Case, locale: str) -> Rows:
    """One button per outcome of the list, in the file's order."""
    return [
        [
            InlineKeyboardButton(
                text=outcome.button(locale),
                callback_data=OutcomeCb(case_id=case.id, outcome=OutcomeCode(outcome.code)).pack(),
            )
        ]
        for outcome in shipped_outcomes()
    ]


def house_rows(case: Case, code: str, directory: Directory, locale: str) -> Rows:
    houses = house_choices(directory, case.region, case.shelter_id)
    return [
        [
            InlineKeyboardButton(
                text=f"🏠 {house.name.get(locale)}",
                callback_data=OutcomeCb(
                    case_id=case.id, outcome=OutcomeCode(code), house=index
                ).pack(),
            )
        ]
        for index, house in enumerate(houses)
    ]


def closed_rows(
    case: Case,
    locale: str,
    change: str,
    reopen: str,
    back: str,
    menu: str | None,
    directory: Directory | None,
) -> Rows:
    """A closed card: the outcome list until one is given, then "change" beside "reopen"."""

    def button(text: str, action: StaffAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text, callback_data=StaffCb(action=action, case_id=case.id).pack()
        )

    if menu and menu.startswith(HOUSE_MENU) and directory is not None:
        code = menu.removeprefix(HOUSE_MENU)
        return [
            *house_rows(case, code, directory, locale),
            [button(back, StaffAction.OUTCOME_MENU)],
        ]
    if case.outcome is None:
        return [*outcome_rows(case, locale), [button(reopen, StaffAction.REOPEN)]]
    if menu == "outcome":
        return [*outcome_rows(case, locale), [button(back, StaffAction.BACK)]]
    return [[button(change, StaffAction.OUTCOME_MENU), button(reopen, StaffAction.REOPEN)]]


def outcome_keyboard(case: Case, locale: str) -> InlineKeyboardMarkup:
    """The outcome list under a message of its own (the question asked again)."""
    return InlineKeyboardMarkup(inline_keyboard=outcome_rows(case, locale))
