"""The mother's first steps: is she safe, where is she, which houses are nearest."""

from __future__ import annotations

import uuid
from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from aiogram_i18n.lazy.filter import LazyFilter

from bot.services.directory import Directory
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


async def _show_houses(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    directory: Directory,
    *,
    lat: float,
    lon: float,
    place: str | None,
    region: str | None,
) -> None:
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
    await message.answer(**views.houses(i18n, found, place, outside=outside).as_kwargs())
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
    lat, lon = message.location.latitude, message.location.longitude
    await _show_houses(
        message,
        state,
        i18n,
        directory,
        lat=lat,
        lon=lon,
        place=None,
        region=None,
    )


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


async def region_chosen(
    query: CallbackQuery, callback_data: RegionCb, state: FSMContext, i18n: I18nContext, desk: Desk
) -> None:
    directory = desk.directory
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if not (await state.get_data()).get("flow_id"):
        # A region list left from an earlier, finished flow: a new flow starts around it.
        await state.set_data({"flow_id": uuid.uuid4().hex})
    region = directory.region(callback_data.region)
    await _show_houses(
        query.message,
        state,
        i18n,
        directory,
        lat=region.lat,
        lon=region.lon,
        place=region.name.get(i18n.locale),
        region=region.code,
    )


async def place_chosen(
    query: CallbackQuery, callback_data: PlaceCb, state: FSMContext, i18n: I18nContext, desk: Desk
) -> None:
    """One of the places of the name she typed: its nearest houses, as if typed exactly."""
    directory = desk.directory
    await query.answer()
    if not isinstance(query.message, Message):
        return
    place = directory.gazetteer_place(callback_data.id)
    if place is None:  # a button older than the gazetteer: the region list instead
        await query.message.answer(**views.region_list(i18n, directory).as_kwargs())
        return
    if not (await state.get_data()).get("flow_id"):
        await state.set_data({"flow_id": uuid.uuid4().hex})  # as for a region, see above
    await _show_houses(
        query.message,
        state,
        i18n,
        directory,
        lat=place.lat,
        lon=place.lon,
        place=place.name.get(i18n.locale),
        region=place.region,
    )


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
    place = choices[0]
    await _show_houses(
        message,
        state,
        i18n,
        directory,
        lat=place.lat,
        lon=place.lon,
        place=place.name.get(i18n.locale),
        region=place.region,
    )


async def place_expected(message: Message, i18n: I18nContext) -> None:
    """A sticker, photo or voice where a place is expected: say how to answer, keep the step."""
    await message.answer(**views.place_question(i18n).as_kwargs())


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        safety_chosen, Mother.safety, MotherCb.filter(F.action.in_(_SAFETY.keys()))
    )
    router.message.register(safety_expected, Mother.safety)
    router.message.register(location_shared, _SEARCHING, F.location)
    router.message.register(regions_asked, _SEARCHING, LazyFilter("mother-button-regions"))
    router.callback_query.register(regions_again, MotherCb.filter(F.action == MotherAction.REGIONS))
    router.callback_query.register(region_chosen, RegionCb.filter())
    router.callback_query.register(place_chosen, PlaceCb.filter())
    router.message.register(place_typed, _SEARCHING, F.text)
    router.message.register(place_expected, _SEARCHING)
    return router
