"""The screen that asks which place she means, when a typed name means places far apart."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.services.directory import Directory, Place
from bot.ui import keyboards
from bot.ui.callbacks import MotherAction, MotherCb, PlaceCb, RegionCb
from bot.ui.screens import Screen


def place_button(i18n: I18nContext, directory: Directory, place: Place) -> InlineKeyboardButton:
    """A region by its name; a town by its name and region, so two of one name differ."""
    region = directory.region(place.region).name.get(i18n.locale)
    if place.is_region or not place.geonameid:
        # A house's city the gazetteer lacks is rare: its region's houses are the answer.
        text = region if place.is_region else place.name.get(i18n.locale)
        return InlineKeyboardButton(text=text, callback_data=RegionCb(region=place.region).pack())
    text = i18n.get("mother-place-choice", place=place.name.get(i18n.locale), region=region)
    return InlineKeyboardButton(text=text, callback_data=PlaceCb(id=place.geonameid).pack())


def place_choices(
    i18n: I18nContext, directory: Directory, choices: list[Place], text: str
) -> Screen:
    """Up to three places, one tap each; the region list and the emergency numbers stay one
    tap away. `text` is what she typed, already escaped."""
    rows = [[place_button(i18n, directory, place)] for place in choices]
    other = MotherCb(action=MotherAction.REGIONS).pack()
    rows.append(
        [InlineKeyboardButton(text=i18n.get("mother-button-other-region"), callback_data=other)]
    )
    rows.append([keyboards.emergency_button(i18n)])
    return Screen(
        i18n.get("mother-place-which", text=text), InlineKeyboardMarkup(inline_keyboard=rows)
    )
