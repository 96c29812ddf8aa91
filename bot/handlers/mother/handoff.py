"""The handoff: what she is, her consent, how to reach her; then one case for the staff."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Magic
from bot.services.intake import ContactTime, ContactWay
from bot.services.phones import parse_kz_phone
from bot.ui.callbacks import MotherAction, MotherCb
from bot.ui.screens import mother as views
from bot.ui.states import Mother
from bot.use_cases.desk import Desk
from bot.use_cases.hand_off import hand_off
from bot.use_cases.relay import pass_on
from storage.models import CaseKind, User, utcnow

_KINDS = {
    MotherAction.PREGNANT: CaseKind.PREGNANT,
    MotherAction.BABY: CaseKind.BABY,
    MotherAction.OTHER: CaseKind.OTHER,
}
_WAYS = {
    MotherAction.CALL: ContactWay.CALL,
    MotherAction.MESSAGE: ContactWay.MESSAGE,
    MotherAction.WRITE_ONLY: ContactWay.WRITE_ONLY,
}
_TIMES = {
    MotherAction.ANY_TIME: ContactTime.ANY,
    MotherAction.MORNING: ContactTime.MORNING,
    MotherAction.AFTERNOON: ContactTime.AFTERNOON,
    MotherAction.EVENING: ContactTime.EVENING,
}


def _consent(i18n: I18nContext, desk: Desk) -> views.Screen:
    settings = desk.settings
    return views.consent(
        i18n, retention_days=settings.retention_days, operator_name=settings.operator_name
    )


@dataclass(frozen=True)
class _Question:
    """A question answered by a tap: the flow's field the answer fills, then the next step."""

    field: str
    answers: Mapping[MotherAction, enum.StrEnum]
    then: State
    ask: Callable[[I18nContext, Desk], views.Screen]


_QUESTIONS = (
    _Question("kind", _KINDS, Mother.consent, _consent),
    _Question("way", _WAYS, Mother.time, lambda i18n, _desk: views.time_question(i18n)),
    _Question("time", _TIMES, Mother.note, lambda i18n, _desk: views.note_question(i18n)),
)
_QUESTION_OF = {action: question for question in _QUESTIONS for action in question.answers}


async def _replace(query: CallbackQuery, screen: views.Screen) -> None:
    """Answered steps are edited into the next one, so old buttons can't be pressed twice."""
    if isinstance(query.message, Message):
        await query.message.edit_text(**screen.as_kwargs())


async def contact_me(
    query: CallbackQuery,
    callback_data: MotherCb,
    state: FSMContext,
    i18n: I18nContext,
    desk: Desk,
) -> None:
    """After declining, "I changed my mind" leads back to the consent (or to who she is);
    after danger words, "contact me" starts a request that will be urgent, as the button said."""
    await query.answer()
    flow = await state.get_data()
    if callback_data.action == MotherAction.URGENT_CONTACT:
        if await state.get_state() == Mother.handed_off.state:
            flow = {}  # her last request is closed (an open one was raised): a new one
            await state.set_data({})
        await state.update_data(danger_words=True)
    if not flow.get("flow_id"):
        await state.update_data(flow_id=uuid.uuid4().hex)
    if flow.get("kind"):
        await state.set_state(Mother.consent)
        await _replace(query, _consent(i18n, desk))
        return
    await state.set_state(Mother.kind)
    await _replace(query, views.kind_question(i18n))


async def answer_chosen(
    query: CallbackQuery, callback_data: MotherCb, state: FSMContext, i18n: I18nContext, desk: Desk
) -> None:
    """Who she is, how and when to reach her: saved, and the step is edited into the next one.
    Who she is can also be tapped on the houses screen: that says "yes, contact me"."""
    question = _QUESTION_OF[callback_data.action]
    await query.answer()
    await state.update_data({question.field: question.answers[callback_data.action].value})
    await state.set_state(question.then)
    await _replace(query, question.ask(i18n, desk))


async def consent_declined(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, desk: Desk
) -> None:
    # Nothing leaves her chat; the numbers and the way back stay on screen.
    await query.answer()
    cities: list[str] = []
    for shelter_id in (await state.get_data()).get("houses", []):
        shelter = desk.directory.shelter(shelter_id)
        city = shelter.city.get(i18n.locale) if shelter is not None else None
        if city and city not in cities:
            cities.append(city)
    await _replace(query, views.declined(i18n, cities))


async def consent_given(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await query.answer()
    await state.update_data(consent_at=utcnow().isoformat())
    await state.set_state(Mother.phone)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(**views.phone_question(i18n).as_kwargs())


async def _phone_saved(
    message: Message, state: FSMContext, i18n: I18nContext, person: User, phone: str
) -> None:
    await state.update_data(phone=phone, shared=person.shared_phone)
    await state.set_state(Mother.way)
    await message.answer(
        i18n.get("mother-phone-saved", phone=phone), reply_markup=ReplyKeyboardRemove()
    )
    await message.answer(**views.way_question(i18n, shared=person.shared_phone).as_kwargs())


async def phone_shared(
    message: Message, state: FSMContext, i18n: I18nContext, person: User
) -> None:
    assert message.contact is not None
    if message.contact.user_id != person.id:
        await message.answer(i18n.get("mother-phone-not-own"))
        return
    phone = parse_kz_phone(message.contact.phone_number or "")
    if phone is None:
        await message.answer(i18n.get("mother-phone-invalid"))
        return
    await _phone_saved(message, state, i18n, person, phone)


async def phone_typed(message: Message, state: FSMContext, i18n: I18nContext, person: User) -> None:
    phone = parse_kz_phone(message.text or "")
    if phone is None:
        await message.answer(i18n.get("mother-phone-invalid"))
        return
    await _phone_saved(message, state, i18n, person, phone)


async def phone_expected(message: Message, i18n: I18nContext) -> None:
    await message.answer(**views.phone_question(i18n).as_kwargs())


async def shared_phone_switched(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, person: User
) -> None:
    person.shared_phone = not person.shared_phone
    await state.update_data(shared=person.shared_phone)
    text = i18n.get("mother-shared-on" if person.shared_phone else "mother-shared-off")
    await query.answer(text, show_alert=person.shared_phone)
    if isinstance(query.message, Message):
        screen = views.way_question(i18n, shared=person.shared_phone)
        await query.message.edit_reply_markup(reply_markup=screen.markup)
        if person.shared_phone:
            # Once, when she turns it on: how to hide the rest (Telegram's own setting), and
            # /clear. The question above keeps its buttons.
            await query.message.answer(i18n.get("mother-shared-howto"))


async def _hand_off(
    message: Message,
    state: FSMContext,
    db: AsyncSession,
    i18n: I18nContext,
    desk: Desk,
    *,
    note: str | None,
    attachment: Message | None = None,
) -> None:
    bot = message.bot
    assert bot is not None  # set by the dispatcher on every update
    flow = await state.get_data()
    # Her private chat: its id is hers.
    done = await hand_off(bot, db, desk, message.chat.id, {**flow, "note": note}, i18n.locale)
    await state.set_state(Mother.handed_off)
    await state.set_data({"case_id": done.case.id})
    screen = views.handed_off(i18n, done.case.id, done.expectation, shared=done.person.shared_phone)
    await message.answer(**screen.as_kwargs())
    if attachment is not None and done.created:
        await pass_on(bot, db, desk, done.case, attachment, content={})


async def no_note(
    query: CallbackQuery, state: FSMContext, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _hand_off(query.message, state, db, i18n, desk, note=None)


async def note_written(
    message: Message, state: FSMContext, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    text = (message.text or "").strip()
    if len(text) > views.NOTE_LIMIT:
        await message.answer(i18n.get("mother-note-too-long", limit=views.NOTE_LIMIT))
        return
    await _hand_off(message, state, db, i18n, desk, note=text or None)


async def note_attached(
    message: Message, state: FSMContext, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    """A voice note or a photo is her note: it goes to the staff right after the card."""
    note = message.caption[: views.NOTE_LIMIT] if message.caption else None
    await _hand_off(
        message,
        state,
        db,
        i18n,
        desk,
        note=note,
        attachment=message,
    )


async def tap_expected(message: Message, state: FSMContext, i18n: I18nContext, desk: Desk) -> None:
    """Typing where a tap is expected: show the same step again, with its buttons."""
    current = await state.get_state()
    flow = await state.get_data()
    screens = {
        Mother.kind.state: lambda: views.kind_question(i18n),
        Mother.consent.state: lambda: _consent(i18n, desk),
        Mother.way.state: lambda: views.way_question(i18n, shared=bool(flow.get("shared"))),
        Mother.time.state: lambda: views.time_question(i18n),
        Mother.note.state: lambda: views.note_question(i18n),
    }
    await message.answer(i18n.get("mother-tap-expected"))
    await message.answer(**screens[current]().as_kwargs())


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        contact_me,
        MotherCb.filter(F.action.in_((MotherAction.CONTACT_ME, MotherAction.URGENT_CONTACT))),
    )
    router.callback_query.register(
        answer_chosen,
        StateFilter(Mother.houses, Mother.kind),
        MotherCb.filter(F.action.in_(_KINDS.keys())),
    )
    router.callback_query.register(
        consent_declined,
        StateFilter(Mother.consent),
        MotherCb.filter(F.action == MotherAction.DECLINE),
    )
    router.callback_query.register(
        consent_given, StateFilter(Mother.consent), MotherCb.filter(F.action == MotherAction.AGREE)
    )
    router.message.register(phone_shared, StateFilter(Mother.phone), Magic(F.contact))
    router.message.register(phone_typed, StateFilter(Mother.phone), Magic(F.text))
    router.message.register(phone_expected, StateFilter(Mother.phone))
    router.callback_query.register(
        shared_phone_switched,
        StateFilter(Mother.way),
        MotherCb.filter(F.action == MotherAction.SHARED_PHONE),
    )
    router.callback_query.register(
        answer_chosen, StateFilter(Mother.way), MotherCb.filter(F.action.in_(_WAYS.keys()))
    )
    router.callback_query.register(
        answer_chosen, StateFilter(Mother.time), MotherCb.filter(F.action.in_(_TIMES.keys()))
    )
    router.callback_query.register(
        no_note, StateFilter(Mother.note), MotherCb.filter(F.action == MotherAction.NO_NOTE)
    )
    router.message.register(note_written, StateFilter(Mother.note), Magic(F.text))
    router.message.register(
        note_attached,
        StateFilter(Mother.note),
        Magic(F.voice | F.photo | F.document | F.video_note | F.audio | F.location),
    )
    router.message.register(
        tap_expected,
        StateFilter(Mother.note, Mother.time, Mother.way, Mother.consent, Mother.kind),
    )
    return router
