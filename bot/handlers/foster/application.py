"""The foster family application: steps with a progress mark, Back, a review, Submit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject
from aiogram_i18n import I18nContext
from aiogram_i18n.lazy.filter import LazyFilter
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Magic
from bot.middlewares.session import Handler
from bot.services.applications import (
    BY_CODE,
    PRESET,
    STEPS,
    DateProblem,
    Step,
    StepKind,
    age_note,
    age_on,
    clean_text,
    next_step,
    parse_birth_date,
    previous_step,
)
from bot.services.follow_ups import schedule_draft_reminders
from bot.services.phones import parse_kz_phone
from bot.ui.callbacks import AppAction, AppCb, ApplyFormCb, FosterAction, FosterCb, RegionCb
from bot.ui.screens import application as views
from bot.ui.screens import mother as mother_views
from bot.ui.states import FosterApplication
from bot.use_cases.desk import Desk
from bot.workspace.applications import alert_application
from storage.applications import (
    applications_of,
    draft_of,
    preset_answer,
    save_answer,
    start_draft,
    submit_once,
)
from storage.models import Application, User, utcnow

_IN_APPLICATION = StateFilter(FosterApplication.step, FosterApplication.review)
_AT_STEP = StateFilter(FosterApplication.step)
_AT_REVIEW = StateFilter(FosterApplication.review)


@dataclass(frozen=True)
class Form:
    """The application form as its handlers work it: one per update (`lay_form`)."""

    state: FSMContext
    db: AsyncSession
    person: User
    i18n: I18nContext
    desk: Desk

    async def application(self) -> Application:
        """The draft being filled in: from the FSM data, else the person's latest draft."""
        db, person_id = self.db, self.person.id
        application_id = (await self.state.get_data()).get("application_id")
        application = await db.get(Application, application_id) if application_id else None
        return application or await draft_of(db, person_id) or await start_draft(db, person_id)

    def review(self, application: Application) -> views.Screen:
        settings = self.desk.settings
        return views.review(self.i18n, application, settings.retention_days, settings.operator_name)

    async def show(self, message: Message, application: Application, step: Step | None) -> None:
        state = self.state
        if step is None:
            await state.set_state(FosterApplication.review)
            await state.update_data(application_id=application.id, step=None, editing=False)
            await message.answer(**self.review(application).as_kwargs())
            return
        await state.set_state(FosterApplication.step)
        await state.update_data(application_id=application.id, step=step.code)
        await message.answer(**views.step_screen(self.i18n, step, application.answers).as_kwargs())

    async def advance(
        self, message: Message, application: Application, step: Step, value: object
    ) -> None:
        """Save the answer, then the next step (or the review, when editing from it)."""
        editing = bool((await self.state.get_data()).get("editing"))
        answers = {**application.answers, step.code: value}
        upcoming = None if editing else next_step(step.code, answers)
        await save_answer(
            self.db, application, step.code, value, upcoming.code if upcoming else None
        )
        if editing:
            upcoming = next(
                (
                    s
                    for s in STEPS
                    if s.applies(application.answers) and s.code not in application.answers
                ),
                None,
            )
        await self.show(message, application, upcoming)

    async def again(self, message: Message) -> None:
        """Anything unexpected at a step: say how to answer, and show the same step again."""
        step = BY_CODE[(await self.state.get_data()).get("step", STEPS[0].code)]
        application = await self.application()
        await message.answer(self.i18n.get("app-expected-" + step.kind.value))
        await message.answer(**views.step_screen(self.i18n, step, application.answers).as_kwargs())


async def lay_form(handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
    """Inner middleware of this router: hands its handlers `form`."""
    data["form"] = Form(data["state"], data["db"], data["person"], data["i18n"], data["desk"])
    return await handler(event, data)


async def apply(query: CallbackQuery, form: Form) -> None:
    db, person = form.db, form.person
    await query.answer()
    if not isinstance(query.message, Message):
        return
    draft = await draft_of(db, person.id)
    data = query.data if isinstance(query.data, str) else ""
    is_continue = data.startswith("ap:")
    begun = draft is not None and any(
        code not in (PRESET, *draft.answers.get(PRESET, ())) for code in draft.answers
    )
    application = draft or await start_draft(db, person.id)
    if data.startswith(ApplyFormCb.__prefix__ + ":") and "care_form" not in application.answers:
        # Chosen on its screen: not asked again, and counted out of the steps from the first.
        care_form = ApplyFormCb.unpack(data).form
        await preset_answer(db, application, "care_form", care_form.value)
    if draft is not None and begun and not is_continue:
        await query.message.answer(**views.resume_offer(form.i18n, draft).as_kwargs())
        return
    if draft is None:
        await schedule_draft_reminders(db, application, person.id, form.desk.settings)
    step = BY_CODE.get(application.step or "") or next_step(None, application.answers)
    await form.show(query.message, application, step)


async def restart(query: CallbackQuery, form: Form) -> None:
    db, person_id = form.db, form.person.id
    await query.answer()
    application = await draft_of(db, person_id) or await start_draft(db, person_id)
    application.answers, application.step = {}, None
    if isinstance(query.message, Message):
        await form.show(query.message, application, STEPS[0])


async def chosen(query: CallbackQuery, callback_data: AppCb, form: Form) -> None:
    await query.answer()
    step = BY_CODE[callback_data.field.value]
    current = (await form.state.get_data()).get("step")
    if step.code != current or callback_data.value.value not in step.options:
        return  # an old step's button: the current step is on screen below
    application = await form.application()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await form.advance(query.message, application, step, callback_data.value.value)


async def back(query: CallbackQuery, callback_data: AppCb, form: Form) -> None:
    await query.answer()
    application = await form.application()
    previous = previous_step(callback_data.field.value, application.answers)
    if isinstance(query.message, Message) and previous is not None:
        await form.show(query.message, application, previous)


async def back_typed(message: Message, form: Form) -> None:
    application = await form.application()
    previous = previous_step((await form.state.get_data()).get("step", ""), application.answers)
    await message.answer(form.i18n.get("app-back"), reply_markup=ReplyKeyboardRemove())
    await form.show(message, application, previous or STEPS[0])


async def edit(query: CallbackQuery, callback_data: AppCb, form: Form) -> None:
    await query.answer()
    application = await form.application()
    step = BY_CODE[callback_data.field.value]
    if isinstance(query.message, Message):
        await form.show(query.message, application, step)
        await form.state.update_data(editing=True)


async def submit(query: CallbackQuery, form: Form) -> None:
    state, db, i18n, desk = form.state, form.db, form.i18n, form.desk
    bot = query.bot
    assert bot is not None  # set by the dispatcher on every update
    await query.answer()
    application = await db.get(Application, (await state.get_data()).get("application_id", 0))
    if application is None or not isinstance(query.message, Message):
        return
    if not await submit_once(db, application):
        await query.message.answer(i18n.get("app-already-submitted", number=application.id))
        return
    form.person.consent_at = utcnow()
    await state.clear()
    await query.message.edit_reply_markup(reply_markup=None)
    settings, directory = desk.settings, desk.directory
    await alert_application(bot, db, application, i18n=i18n, settings=settings, directory=directory)
    await query.message.answer(**views.status_screen(i18n, application).as_kwargs())


async def submitted_already(
    query: CallbackQuery, db: AsyncSession, person: User, i18n: I18nContext
) -> None:
    """Submit pressed again (a double tap, an old review): it went in once, say so."""
    await query.answer()
    submitted = await applications_of(db, person.id)
    if submitted and isinstance(query.message, Message):
        await query.message.answer(i18n.get("app-already-submitted", number=submitted[-1].id))


async def contact_shared(message: Message, form: Form) -> None:
    person, i18n = form.person, form.i18n
    step = BY_CODE[(await form.state.get_data()).get("step", "")]
    phone = parse_kz_phone(message.contact.phone_number if message.contact else "")
    if step.kind is not StepKind.PHONE or message.contact is None:
        await form.again(message)
        return
    if message.contact.user_id != person.id or phone is None:
        key = (
            "mother-phone-not-own"
            if message.contact.user_id != person.id
            else "mother-phone-invalid"
        )
        await message.answer(i18n.get(key))
        return
    await message.answer(
        i18n.get("mother-phone-saved", phone=phone), reply_markup=ReplyKeyboardRemove()
    )
    await form.advance(message, await form.application(), step, phone)


async def region_chosen(query: CallbackQuery, callback_data: RegionCb, form: Form) -> None:
    await query.answer()
    region = form.desk.directory.region(callback_data.region)
    place = {"region": region.code, "name": region.name.get(form.i18n.locale)}
    application = await form.application()
    if isinstance(query.message, Message):
        await form.advance(query.message, application, BY_CODE["place"], place)


async def typed(message: Message, form: Form) -> None:
    i18n, directory = form.i18n, form.desk.directory
    step = BY_CODE[(await form.state.get_data()).get("step", "")]
    application = await form.application()
    text = message.text or ""
    if step.kind is StepKind.TEXT:
        value = clean_text(step, text)
        if value is None:
            key = "app-error-too-long" if len(text) > step.max_len else "app-error-too-short"
            await message.answer(i18n.get(key, limit=step.max_len, minimum=step.min_len))
            return
        await form.advance(message, application, step, value)
    elif step.kind is StepKind.DATE:
        today = utcnow().astimezone(form.desk.settings.tz).date()
        born = parse_birth_date(text, today)
        if isinstance(born, DateProblem):
            await message.answer(i18n.get(f"app-error-date-{born.value.replace('_', '-')}"))
            return
        note = age_note(age_on(born, today))
        if note is not None:  # explained, never refused
            await message.answer(
                i18n.get(f"app-age-{note.replace('_', '-')}", age=age_on(born, today))
            )
        await form.advance(message, application, step, born.isoformat())
    elif step.kind is StepKind.PHONE:
        phone = parse_kz_phone(text)
        if phone is None:
            await message.answer(i18n.get("mother-phone-invalid"))
            return
        await message.answer(
            i18n.get("mother-phone-saved", phone=phone), reply_markup=ReplyKeyboardRemove()
        )
        await form.advance(message, application, step, phone)
    elif step.kind is StepKind.PLACE:
        place = directory.find_place(text[:100])
        if place is None:
            screen = mother_views.region_list(i18n, directory, text_key="app-place-not-found")
            await message.answer(**screen.as_kwargs())
            return
        value = {"region": place.region, "name": place.name.get(i18n.locale)}
        await form.advance(message, application, step, value)
    else:
        await form.again(message)


async def unexpected(message: Message, form: Form) -> None:
    await form.again(message)


async def review_expected(message: Message, form: Form) -> None:
    await message.answer(**form.review(await form.application()).as_kwargs())


def setup() -> Router:
    router = Router(name=__name__)
    router.message.middleware(lay_form)
    router.callback_query.middleware(lay_form)
    router.callback_query.register(apply, AppCb.filter(F.action == AppAction.CONTINUE))
    router.callback_query.register(apply, ApplyFormCb.filter())
    router.callback_query.register(apply, FosterCb.filter(F.action == FosterAction.APPLY))
    router.callback_query.register(restart, AppCb.filter(F.action == AppAction.RESTART))
    router.callback_query.register(
        chosen, _IN_APPLICATION, AppCb.filter(F.action == AppAction.CHOOSE)
    )
    router.callback_query.register(back, _IN_APPLICATION, AppCb.filter(F.action == AppAction.BACK))
    router.message.register(back_typed, _AT_STEP, LazyFilter("app-button-back"))
    router.callback_query.register(edit, _AT_REVIEW, AppCb.filter(F.action == AppAction.EDIT))
    router.callback_query.register(submit, _AT_REVIEW, AppCb.filter(F.action == AppAction.SUBMIT))
    router.callback_query.register(submitted_already, AppCb.filter(F.action == AppAction.SUBMIT))
    router.message.register(contact_shared, _AT_STEP, Magic(F.contact))
    router.callback_query.register(region_chosen, _AT_STEP, RegionCb.filter())
    router.message.register(typed, _AT_STEP, Magic(F.text))
    router.message.register(unexpected, _AT_STEP)
    router.message.register(review_expected, _AT_REVIEW)
    return router
