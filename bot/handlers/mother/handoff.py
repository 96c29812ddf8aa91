"""The handoff: what she is, her consent, how to reach her; then one case for the staff."""

from __future__ import annotations

import uuid

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import MotherAction, MotherCb
from bot.config import Settings
from bot.screens import mother as views
from bot.services.directory import Directory
from bot.services.followups import schedule_case_follow_ups
from bot.services.intake import (
    ContactTime,
    ContactWay,
    Handoff,
    open_case,
    parse_kz_phone,
    staff_chat_for,
)
from bot.services.schedule import expected_contact
from bot.staff_alerts import alert_staff, relay_to_staff
from bot.staff_cards import StaffTexts
from bot.states import Mother
from bot.topics import CaseThreads
from storage.cases import keep_message
from storage.models import CaseKind, Urgency, User, utcnow

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


def _consent(i18n: I18nContext, settings: Settings) -> views.Screen:
    return views.consent(
        i18n, retention_days=settings.retention_days, operator_name=settings.operator_name
    )


async def _replace(query: CallbackQuery, screen: views.Screen) -> None:
    """Answered steps are edited into the next one, so old buttons can't be pressed twice."""
    if isinstance(query.message, Message):
        await query.message.edit_text(**screen.as_kwargs())


async def contact_me(
    query: CallbackQuery,
    callback_data: MotherCb,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
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
        await _replace(query, _consent(i18n, settings))
        return
    await state.set_state(Mother.kind)
    await _replace(query, views.kind_question(i18n))


async def kind_chosen(
    query: CallbackQuery,
    callback_data: MotherCb,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    """Who she is; from the houses screen this also says "yes, contact me"."""
    await query.answer()
    await state.update_data(kind=_KINDS[callback_data.action].value)
    await state.set_state(Mother.consent)
    await _replace(query, _consent(i18n, settings))


async def consent_declined(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, directory: Directory
) -> None:
    # Nothing leaves her chat; the numbers and the way back stay on screen.
    await query.answer()
    cities: list[str] = []
    for shelter_id in (await state.get_data()).get("houses", []):
        shelter = directory.shelter(shelter_id)
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


async def way_chosen(
    query: CallbackQuery, callback_data: MotherCb, state: FSMContext, i18n: I18nContext
) -> None:
    await query.answer()
    await state.update_data(way=_WAYS[callback_data.action].value)
    await state.set_state(Mother.time)
    await _replace(query, views.time_question(i18n))


async def time_chosen(
    query: CallbackQuery, callback_data: MotherCb, state: FSMContext, i18n: I18nContext
) -> None:
    await query.answer()
    await state.update_data(time=_TIMES[callback_data.action].value)
    await state.set_state(Mother.note)
    await _replace(query, views.note_question(i18n))


async def _hand_off(
    message: Message,
    state: FSMContext,
    *,
    note: str | None,
    attachment: Message | None,
    person: User,
    db: AsyncSession,
    bot: Bot,
    i18n: I18nContext,
    settings: Settings,
    directory: Directory,
    case_threads: CaseThreads,
) -> None:
    flow = await state.get_data()
    handoff = Handoff.from_flow(
        person.id,
        {**flow, "note": note},
        language=i18n.locale,
        referral_source=person.referral_source,
    )
    case, created = await open_case(db, handoff)
    person.consent_at = utcnow()
    person.consent_scope = "case"
    staff_texts = StaffTexts(i18n.core, settings.staff_language)
    # A replay after a crash finds the case made (created is False) but maybe not its
    # follow-ups or its card: the follow-ups are scheduled first, so they commit with the case
    # before anything is sent (their unique keys make a second scheduling a no-op), and the
    # card is posted unless it already was.
    case.staff_chat_id = staff_chat_for(directory, case.shelter_id, settings.staff_chat_id or 0)
    await schedule_case_follow_ups(
        db,
        case,
        urgent=case.urgency == Urgency.URGENT,
        urgent_after=settings.escalate_urgent_after,
        normal_after=settings.escalate_normal_after,
        check_in_after=settings.check_in_after,
        hours=settings.hours,
        zone=settings.tz,
    )
    if created or case.card_message_id is None:
        await alert_staff(
            bot,
            db,
            case,
            directory=directory,
            threads=case_threads,
            t=staff_texts,
            central_chat_id=settings.staff_chat_id or 0,
        )
    await state.set_state(Mother.handed_off)
    await state.set_data({"case_id": case.id})
    expectation = expected_contact(
        utcnow(),
        urgent=case.urgency == Urgency.URGENT,
        hours=settings.hours,
        zone=settings.tz,
        response_minutes=settings.response_minutes,
        urgent_response_minutes=settings.urgent_response_minutes,
    )
    screen = views.handed_off(i18n, case.id, expectation, shared=person.shared_phone)
    await message.answer(**screen.as_kwargs())
    if attachment is not None and created:
        link = await keep_message(
            db,
            case,
            user_chat_id=attachment.chat.id,
            user_message_id=attachment.message_id,
            kind=attachment.content_type,
            content={},
        )
        await relay_to_staff(
            bot,
            db,
            attachment,
            case,
            link,
            directory=directory,
            threads=case_threads,
            t=staff_texts,
        )


async def no_note(
    query: CallbackQuery,
    state: FSMContext,
    person: User,
    db: AsyncSession,
    bot: Bot,
    i18n: I18nContext,
    settings: Settings,
    directory: Directory,
    case_threads: CaseThreads,
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _hand_off(
            query.message,
            state,
            note=None,
            attachment=None,
            person=person,
            db=db,
            bot=bot,
            i18n=i18n,
            settings=settings,
            directory=directory,
            case_threads=case_threads,
        )


async def note_written(
    message: Message,
    state: FSMContext,
    person: User,
    db: AsyncSession,
    bot: Bot,
    i18n: I18nContext,
    settings: Settings,
    directory: Directory,
    case_threads: CaseThreads,
) -> None:
    text = (message.text or "").strip()
    if len(text) > views.NOTE_LIMIT:
        await message.answer(i18n.get("mother-note-too-long", limit=views.NOTE_LIMIT))
        return
    await _hand_off(
        message,
        state,
        note=text or None,
        attachment=None,
        person=person,
        db=db,
        bot=bot,
        i18n=i18n,
        settings=settings,
        directory=directory,
        case_threads=case_threads,
    )


async def note_attached(
    message: Message,
    state: FSMContext,
    person: User,
    db: AsyncSession,
    bot: Bot,
    i18n: I18nContext,
    settings: Settings,
    directory: Directory,
    case_threads: CaseThreads,
) -> None:
    """A voice note or a photo is her note: it goes to the staff right after the card."""
    note = message.caption[: views.NOTE_LIMIT] if message.caption else None
    await _hand_off(
        message,
        state,
        note=note,
        attachment=message,
        person=person,
        db=db,
        bot=bot,
        i18n=i18n,
        settings=settings,
        directory=directory,
        case_threads=case_threads,
    )


async def tap_expected(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    """Typing where a tap is expected: show the same step again, with its buttons."""
    current = await state.get_state()
    flow = await state.get_data()
    screens = {
        Mother.kind.state: lambda: views.kind_question(i18n),
        Mother.consent.state: lambda: _consent(i18n, settings),
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
        kind_chosen,
        StateFilter(Mother.houses, Mother.kind),
        MotherCb.filter(F.action.in_(_KINDS.keys())),
    )
    router.callback_query.register(
        consent_declined, Mother.consent, MotherCb.filter(F.action == MotherAction.DECLINE)
    )
    router.callback_query.register(
        consent_given, Mother.consent, MotherCb.filter(F.action == MotherAction.AGREE)
    )
    router.message.register(phone_shared, Mother.phone, F.contact)
    router.message.register(phone_typed, Mother.phone, F.text)
    router.message.register(phone_expected, Mother.phone)
    router.callback_query.register(
        shared_phone_switched, Mother.way, MotherCb.filter(F.action == MotherAction.SHARED_PHONE)
    )
    router.callback_query.register(
        way_chosen, Mother.way, MotherCb.filter(F.action.in_(_WAYS.keys()))
    )
    router.callback_query.register(
        time_chosen, Mother.time, MotherCb.filter(F.action.in_(_TIMES.keys()))
    )
    router.callback_query.register(
        no_note, Mother.note, MotherCb.filter(F.action == MotherAction.NO_NOTE)
    )
    router.message.register(note_written, Mother.note, F.text)
    router.message.register(
        note_attached,
        Mother.note,
        F.voice | F.photo | F.document | F.video_note | F.audio | F.location,
    )
    router.message.register(tap_expected, Mother.note)
    router.message.register(tap_expected, Mother.time)
    router.message.register(tap_expected, Mother.way)
    router.message.register(tap_expected, Mother.consent)
    router.message.register(tap_expected, Mother.kind)
    return router
