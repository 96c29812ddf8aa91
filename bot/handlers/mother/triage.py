"""The mother's first steps: is she safe, where is she, which houses are nearest."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from aiogram_i18n.lazy.filter import LazyFilter

from bot.filters import Magic
from bot.services.directory import Directory, Place
from bot.services.intake import Safety, is_outside_kazakhstan
from bot.ui.callbacks import MotherAction, MotherCb, PlaceCb, RegionCb
from bot.ui.screens import mother as views
from bot.ui.screens import places as place_views
from bot.ui.states import Mother
from bot.use_cases.desk import Desk

_SAFETY = {
    MotherAction.DANGER: Safety.DANGER,
    MotherAction.NO_SHELTER: Safety.NO_SHELTER,
    MotherAction.SAFE: Safety.SAFE,
}
# The houses can be looked up again from any later step of the flow.
_SEARCHING = StateFilter(Mother.place, Mother.houses)


async def safety_chosen(
    query: CallbackQuery, callback_data: MotherCb, state: FSMContext, i18n: I18nContext, desk: Desk
) -> None:
    hotlines = desk.hotlines
    await query.answer()
    safety = _SAFETY[callback_data.action]
    await state.update_data(safety=safety.value)
    await state.set_state(Mother.place)
    if not isinstance(query.message, Message):
        return
    await query.message.edit_reply_markup(reply_markup=None)  # answered: no second tap
    if safety is Safety.DANGER:
        # The numbers come first, before anything else is asked.
        await query.message.answer(**views.danger_numbers(i18n, hotlines).as_kwargs())
    await query.message.answer(**views.place_question(i18n).as_kwargs())


async def safety_expected(message: Message, i18n: I18nContext) -> None:
    # Words of danger never reach here (DangerWatch answers them first): say why she sees the
    # question again, so a typed answer doesn't look ignored.
    await message.answer(i18n.get("mother-tap-expected"))
    await message.answer(**views.safety_question(i18n).as_kwargs())


@dataclass(frozen=True)
class _Spot:
    """Where the houses are looked for: her location, a region's centre or a named place."""

    lat: float
    lon: float
    place: str | None = None  # its name in her language; None for a shared location
    region: str | None = None  # None: the region around the point (for a shared location)


async def _show_houses(
    message: Message, state: FSMContext, i18n: I18nContext, directory: Directory, spot: _Spot
) -> None:
    lat, lon, region = spot.lat, spot.lon, spot.region
    found = directory.nearest(lat, lon, limit=3)
    outside = is_outside_kazakhstan(lat, lon)
    nearest = found[0][0] if found else None
    if region is None and not outside:
        # A shared location: her own region (its nearest centre), not the nearest house's.
        region = directory.region_at(lat, lon).code
    await state.update_data(
        region=region,
        shelter_id=nearest.id if nearest else None,
        houses=[shelter.id for shelter, _km in found],
    )
    await state.set_state(Mother.houses)
    await message.answer(**views.houses(i18n, found, spot.place, outside=outside).as_kwargs())
    for shelter, _km in found:
        if shelter.show_address and shelter.address is not None:
            await message.answer_venue(
                latitude=shelter.lat,
                longitude=shelter.lon,
                title=shelter.name.get(i18n.locale),
                address=shelter.address.get(i18n.locale),
            )
    if outside:
        await message.answer(**views.region_list(i18n, directory).as_kwargs())
        await state.set_state(Mother.place)
        return
    await message.answer(**views.houses_next(i18n).as_kwargs())


async def location_shared(
    message: Message, state: FSMContext, i18n: I18nContext, desk: Desk
) -> None:
    directory = desk.directory
    assert message.location is not None
    spot = _Spot(message.location.latitude, message.location.longitude)
    await _show_houses(message, state, i18n, directory, spot)


async def regions_asked(message: Message, i18n: I18nContext, desk: Desk) -> None:
    directory = desk.directory
    await message.answer(**views.region_list(i18n, directory).as_kwargs())


async def regions_again(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, desk: Desk
) -> None:
    directory = desk.directory
    await query.answer()
    await state.set_state(Mother.place)
    if isinstance(query.message, Message):
        await query.message.answer(**views.region_list(i18n, directory).as_kwargs())


def _place_spot(place: Place, locale: str) -> _Spot:
    return _Spot(place.lat, place.lon, place.name.get(locale), place.region)


def _spot_of(directory: Directory, button: RegionCb | PlaceCb, locale: str) -> _Spot | None:
    """A region's centre, or one of the places of a typed name (None: a button older than the
    gazetteer)."""
    if isinstance(button, RegionCb):
        region = directory.region(button.region)
        return _Spot(region.lat, region.lon, region.name.get(locale), region.code)
    place = directory.gazetteer_place(button.id)
    return _place_spot(place, locale) if place is not None else None


async def spot_chosen(
    query: CallbackQuery,
    callback_data: RegionCb | PlaceCb,
    state: FSMContext,
    i18n: I18nContext,
    desk: Desk,
) -> None:
    """A region from the list, or one of the places of the name she typed: its nearest houses,
    as if typed exactly."""
    directory = desk.directory
    await query.answer()
    if not isinstance(query.message, Message):
        return
    spot = _spot_of(directory, callback_data, i18n.locale)
    if spot is None:  # the region list instead
        await query.message.answer(**views.region_list(i18n, directory).as_kwargs())
        return
    # A button left from an earlier, finished flow: a new flow starts around it.
    if not (await state.get_data()).get("flow_id"):
        await state.set_data({"flow_id": uuid.uuid4().hex})
    await _show_houses(query.message, state, i18n, directory, spot)


async def place_typed(message: Message, state: FSMContext, i18n: I18nContext, desk: Desk) -> None:
    directory = desk.directory
    assert message.text is not None
    choices = directory.find_places(message.text[:100])
    if not choices:
        screen = views.region_list(
            i18n, directory, text_key="mother-place-not-found", text=escape(message.text[:60])
        )
        await message.answer(**screen.as_kwargs())
        return
    if len(choices) > 1:  # places far apart share the name: asked, not guessed
        screen = place_views.place_choices(i18n, directory, choices, escape(message.text[:60]))
        await message.answer(**screen.as_kwargs())
        return
    spot = _place_spot(choices[0], i18n.locale)
    await _show_houses(message, state, i18n, directory, spot)


async def place_expected(message: Message, i18n: I18nContext) -> None:
    """A sticker, photo or voice where a place is expected: say how to answer, keep the step."""
    await message.answer(**views.place_question(i18n).as_kwargs())


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        safety_chosen, StateFilter(Mother.safety), MotherCb.filter(F.action.in_(_SAFETY.keys()))
    )
    router.message.register(safety_expected, StateFilter(Mother.safety))
    router.message.register(location_shared, _SEARCHING, Magic(F.location))
    router.message.register(regions_asked, _SEARCHING, LazyFilter("mother-button-regions"))
    router.callback_query.register(regions_again, MotherCb.filter(F.action == MotherAction.REGIONS))
    router.callback_query.register(spot_chosen, RegionCb.filter())
    router.callback_query.register(spot_chosen, PlaceCb.filter())
    router.message.register(place_typed, _SEARCHING, Magic(F.text))
    router.message.register(place_expected, _SEARCHING)
    return router
