"""Screens of the mother's flow: safety, where she is, the houses, the handoff."""

from __future__ import annotations

from html import escape

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram_i18n import I18nContext

from bot.services.directory import Directory, Shelter
from bot.services.hotlines import Hotline
from bot.services.schedule import Expectation, Wait
from bot.ui import keyboards
from bot.ui.callbacks import MotherAction, MotherCb, RegionCb
from bot.ui.screens import Screen, numbers_screen

DANGER_NUMBERS = ("112", "102", "111")
NOTE_LIMIT = 500
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _button(i18n: I18nContext, key: str, action: MotherAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get(key), callback_data=MotherCb(action=action).pack())


def safety_question(i18n: I18nContext) -> Screen:
    rows = [
        [_button(i18n, "mother-button-danger", MotherAction.DANGER)],
        [_button(i18n, "mother-button-no-shelter", MotherAction.NO_SHELTER)],
        [_button(i18n, "mother-button-safe", MotherAction.SAFE)],
    ]
    return Screen(i18n.get("mother-safety-question"), keyboards.with_safety_row(rows, i18n))


def danger_numbers(i18n: I18nContext, hotlines: list[Hotline]) -> Screen:
    lines = [line for number in DANGER_NUMBERS for line in hotlines if line.number == number]
    return numbers_screen(
        i18n, lines, i18n.get("mother-danger-title"), i18n.get("mother-danger-footer"), None
    )


def place_question(i18n: I18nContext) -> Screen:
    """A reply keyboard: Telegram's location button only exists there."""
    markup = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=i18n.get("mother-button-location"), request_location=True)],
            [KeyboardButton(text=i18n.get("mother-button-regions"))],
            [KeyboardButton(text=i18n.get("menu-button-emergency"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=False,
        input_field_placeholder=i18n.get("mother-place-placeholder"),
    )
    return Screen(i18n.get("mother-place-question"), markup)


def region_list(
    i18n: I18nContext,
    directory: Directory,
    *,
    text_key: str = "mother-regions-title",
    **text_args: str,
) -> Screen:
    # Built directly: InlineKeyboardBuilder deep-copies every button (20 regions), which was
    # the largest cost of this screen (bench.profile).
    buttons = [
        InlineKeyboardButton(
            text=region.name.get(i18n.locale),
            callback_data=RegionCb(region=region.code).pack(),
        )
        for region in directory.regions
    ]
    rows = [buttons[start : start + 2] for start in range(0, len(buttons), 2)]
    rows.append([keyboards.emergency_button(i18n)])
    return Screen(i18n.get(text_key, **text_args), InlineKeyboardMarkup(inline_keyboard=rows))


def _accepts(i18n: I18nContext, shelter: Shelter) -> str:
    return ", ".join(i18n.get(f"mother-accepts-{kind.value}") for kind in shelter.accepts)


def house_block(
    i18n: I18nContext, shelter: Shelter, km: float, *, shared: frozenset[str] = frozenset()
) -> str:
    """One house: name, city and distance, what it takes; contacts only when verified.

    `shared` names the lines ("accepts", "unverified") said once under the whole list instead.
    """
    locale = i18n.locale
    lines = [
        f"🏠 <b>{escape(shelter.name.get(locale))}</b>",
        i18n.get("mother-house-where", city=escape(shelter.city.get(locale)), km=str(round(km))),
    ]
    if shelter.accepts and "accepts" not in shared:
        lines.append(i18n.get("mother-house-accepts", list=_accepts(i18n, shelter)))
    if shelter.hours:
        lines.append(i18n.get("mother-house-hours", hours=escape(shelter.hours)))
    if shelter.show_contacts:
        lines.append("📞 " + ", ".join(escape(phone) for phone in shelter.phones))
    if shelter.show_address and shelter.address is not None:
        lines.append("📍 " + escape(shelter.address.get(locale)))
    if not shelter.verified and "unverified" not in shared:
        lines.append(i18n.get("mother-house-unverified"))
    return "\n".join(lines)


def _shared_lines(i18n: I18nContext, shelters: list[Shelter]) -> tuple[frozenset[str], list[str]]:
    """Lines the same for every house of the list, said once: the list stays short on a phone."""
    if len(shelters) < 2:
        return frozenset(), []
    shared: set[str] = set()
    lines: list[str] = []
    kinds = {tuple(shelter.accepts) for shelter in shelters}
    if len(kinds) == 1 and shelters[0].accepts:
        shared.add("accepts")
        lines.append(i18n.get("mother-houses-accept-all", list=_accepts(i18n, shelters[0])))
    if not any(shelter.verified for shelter in shelters):
        shared.add("unverified")
        lines.append(i18n.get("mother-houses-unverified-all"))
    return frozenset(shared), lines


def houses(
    i18n: I18nContext,
    found: list[tuple[Shelter, float]],
    place: str | None,
    *,
    outside: bool = False,
) -> Screen:
    """The 1-3 nearest houses (to a named place, or to her when `place` is None); the reply
    keyboard of the place question goes away."""
    if place is None:
        head = i18n.get("mother-houses-title-you")
    else:
        head = i18n.get("mother-houses-title", place=escape(place))
    if outside and found:
        head = i18n.get("mother-houses-outside", km=str(round(found[0][1]))) + "\n\n" + head
    shared, footer = _shared_lines(i18n, [shelter for shelter, _ in found])
    blocks = [house_block(i18n, shelter, km, shared=shared) for shelter, km in found]
    parts = [head, *blocks]
    if footer:
        parts.append("\n".join(footer))
    return Screen("\n\n".join(parts), ReplyKeyboardRemove())


def _kind_rows(i18n: I18nContext) -> list[list[InlineKeyboardButton]]:
    return [
        [_button(i18n, "mother-button-pregnant", MotherAction.PREGNANT)],
        [_button(i18n, "mother-button-baby", MotherAction.BABY)],
        [_button(i18n, "mother-button-other", MotherAction.OTHER)],
    ]


def houses_next(i18n: I18nContext) -> Screen:
    """Asks whether staff should call, answered by saying who she is: one tap for both."""
    rows = [
        *_kind_rows(i18n),
        [_button(i18n, "mother-button-other-region", MotherAction.REGIONS)],
    ]
    return Screen(i18n.get("mother-houses-next"), keyboards.with_safety_row(rows, i18n))


def kind_question(i18n: I18nContext) -> Screen:
    return Screen(
        i18n.get("mother-kind-question"), keyboards.with_safety_row(_kind_rows(i18n), i18n)
    )


def operator(i18n: I18nContext, operator_name: str | None) -> str:
    """Who the operator of her data is: the configured legal name, else the foundation."""
    return escape(operator_name) if operator_name else i18n.get("privacy-operator-default")


def consent(i18n: I18nContext, *, retention_days: int, operator_name: str | None) -> Screen:
    """Names the operator, what staff get and where they see it, how long it is kept, and
    how to see and delete it (Law 94-V art. 8)."""
    rows = [
        [_button(i18n, "mother-button-agree", MotherAction.AGREE)],
        [_button(i18n, "mother-button-decline", MotherAction.DECLINE)],
    ]
    text = i18n.get("mother-consent", days=retention_days, operator=operator(i18n, operator_name))
    return Screen(text, keyboards.with_safety_row(rows, i18n))


def declined(i18n: I18nContext, cities: list[str]) -> Screen:
    """Only what is true without her consent: the help lines, and where the houses she was
    shown are (by city: their contacts come from the staff)."""
    rows = [[_button(i18n, "mother-button-changed-mind", MotherAction.CONTACT_ME)]]
    text = i18n.get("mother-declined")
    if cities:
        text += "\n\n" + i18n.get("mother-declined-cities", cities=escape(", ".join(cities)))
    return Screen(text, keyboards.with_safety_row(rows, i18n))


def urgent_contact_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    """Under the danger numbers when no request exists: asking for contact makes one, urgent."""
    rows = [[_button(i18n, "mother-button-contact-urgent", MotherAction.URGENT_CONTACT)]]
    return keyboards.with_safety_row(rows, i18n)


def phone_question(i18n: I18nContext) -> Screen:
    markup = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=i18n.get("mother-button-share-phone"), request_contact=True)],
            [KeyboardButton(text=i18n.get("menu-button-emergency"))],
        ],
        resize_keyboard=True,
        input_field_placeholder="+7 7XX XXX XX XX",
    )
    return Screen(i18n.get("mother-phone-question"), markup)


def way_question(i18n: I18nContext, *, shared: bool) -> Screen:
    shared_key = "mother-button-shared-on" if shared else "mother-button-shared-off"
    rows = [
        [_button(i18n, "mother-button-call", MotherAction.CALL)],
        [_button(i18n, "mother-button-message", MotherAction.MESSAGE)],
        [_button(i18n, "mother-button-write-only", MotherAction.WRITE_ONLY)],
        [_button(i18n, shared_key, MotherAction.SHARED_PHONE)],
    ]
    return Screen(i18n.get("mother-way-question"), keyboards.with_safety_row(rows, i18n))


def time_question(i18n: I18nContext) -> Screen:
    rows = [
        [_button(i18n, "mother-button-any-time", MotherAction.ANY_TIME)],
        [
            _button(i18n, "mother-button-morning", MotherAction.MORNING),
            _button(i18n, "mother-button-afternoon", MotherAction.AFTERNOON),
        ],
        [_button(i18n, "mother-button-evening", MotherAction.EVENING)],
    ]
    return Screen(i18n.get("mother-time-question"), keyboards.with_safety_row(rows, i18n))


def note_question(i18n: I18nContext) -> Screen:
    rows = [[_button(i18n, "mother-button-no-note", MotherAction.NO_NOTE)]]
    return Screen(
        i18n.get("mother-note-question", limit=NOTE_LIMIT), keyboards.with_safety_row(rows, i18n)
    )


def what_next(i18n: I18nContext, expectation: Expectation) -> str:
    moment = expectation.by.strftime("%H:%M")
    if expectation.wait is Wait.SOON:
        minutes = expectation.minutes
        if minutes < 90:
            return i18n.get("mother-next-soon-minutes", minutes=minutes)
        return i18n.get("mother-next-soon-hours", hours=round(minutes / 60))
    if expectation.wait is Wait.TODAY:
        return i18n.get("mother-next-today", time=moment)
    if expectation.wait is Wait.TOMORROW:
        return i18n.get("mother-next-tomorrow", time=moment)
    day = i18n.get(f"common-weekday-{WEEKDAYS[expectation.by.weekday()]}")
    return i18n.get("mother-next-later", day=day, time=moment)


def handed_off(
    i18n: I18nContext, case_id: int, expectation: Expectation, *, shared: bool
) -> Screen:
    parts = [
        i18n.get("mother-handed-off", case=str(case_id)),
        what_next(i18n, expectation),
        i18n.get("mother-after-handoff"),
    ]
    rows: list[list[InlineKeyboardButton]] = []
    if shared:
        parts.append(i18n.get("mother-shared-clear-hint"))
        rows.append([_button(i18n, "privacy-button-clear", MotherAction.CLEAR_CHAT)])
    return Screen("\n\n".join(parts), keyboards.with_safety_row(rows, i18n))
