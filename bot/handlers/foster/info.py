"""Foster family information: the forms of care and the eligibility self-check (informs only).

Apply and "My application" buttons (FosterCb APPLY/STATUS) belong to the application router.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.services.family_forms import QUESTIONS, FamilyForm, evaluate
from bot.ui.callbacks import CheckCb, FormCb, FormPartCb, FosterAction, FosterCb
from bot.ui.navigation import edit_or_send
from bot.ui.screens import Screen
from bot.ui.screens import foster as views
from bot.ui.states import FosterCheck

# The self-check's own FSM data; other flows' keys are left alone.
_CHECK_KEYS = ("form", "index", "answers", "check_message_id")


async def show_foster_home(message: Message, i18n: I18nContext) -> None:
    """The foster family entry as a new message: for `/start foster` and the main menu."""
    await message.answer(**views.home(i18n).as_kwargs())


async def _leave_check(state: FSMContext) -> None:
    """Leaving the self-check for another screen: its answers are dropped, nothing is kept."""
    if await state.get_state() != FosterCheck.question.state:
        return
    data = {k: v for k, v in (await state.get_data()).items() if k not in _CHECK_KEYS}
    await state.set_state(None)
    await state.set_data(data)


async def _send(query: CallbackQuery, screen: Screen) -> int | None:
    """A new message (the question stays readable above); returns its id."""
    if isinstance(query.message, Message):
        sent = await query.message.answer(**screen.as_kwargs())
        return sent.message_id
    if query.bot is not None:
        sent = await query.bot.send_message(query.from_user.id, **screen.as_kwargs())
        return sent.message_id
    return None


async def foster_home(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await query.answer()
    await _leave_check(state)
    await edit_or_send(query, views.home(i18n))


async def forms_menu(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await query.answer()
    await _leave_check(state)
    await edit_or_send(query, views.forms_menu(i18n))


async def check_choice(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await query.answer()
    await _leave_check(state)
    await edit_or_send(query, views.check_form_choice(i18n))


async def form_info(
    query: CallbackQuery, callback_data: FormCb, state: FSMContext, i18n: I18nContext
) -> None:
    await query.answer()
    await _leave_check(state)
    await edit_or_send(query, views.form_info(i18n, callback_data.form))


async def form_part(
    query: CallbackQuery, callback_data: FormPartCb, state: FSMContext, i18n: I18nContext
) -> None:
    """The steps or the documents of a form: kept off its summary so that fits one screen."""
    await query.answer()
    await _leave_check(state)
    await edit_or_send(query, views.form_part(i18n, callback_data.form, callback_data.part))


async def check_start(
    query: CallbackQuery, callback_data: FormCb, state: FSMContext, i18n: I18nContext
) -> None:
    """The self-check for one form; starting it again starts from its first question."""
    await query.answer()
    form = callback_data.form
    message_id = await _send(query, views.check_question(i18n, form, 0))
    await state.set_state(FosterCheck.question)
    await state.update_data(form=form.value, index=0, answers={}, check_message_id=message_id)


async def check_answered(
    query: CallbackQuery, callback_data: CheckCb, state: FSMContext, i18n: I18nContext
) -> None:
    data = await state.get_data()
    message = query.message
    if not isinstance(message, Message) or message.message_id != data.get("check_message_id"):
        # An earlier question's button (a double tap, or scrolled up): the answer stays as given.
        await query.answer(i18n.get("foster-check-old-button"))
        return
    await query.answer()
    form, index = FamilyForm(data["form"]), int(data["index"])
    questions = QUESTIONS[form]
    answer = callback_data.answer
    answers: dict[str, Any] = {**data.get("answers", {}), questions[index].code: answer.value}
    with suppress(TelegramBadRequest):  # answered: no second tap on it
        await message.edit_text(views.answered(i18n, form, index, answer), reply_markup=None)
    explanation = views.check_explanation(i18n, form, questions[index].code, answer)
    if index + 1 < len(questions):
        screen = views.check_question(i18n, form, index + 1, explanation=explanation)
        message_id = await _send(query, screen)
        await state.update_data(index=index + 1, answers=answers, check_message_id=message_id)
        return
    await _leave_check(state)  # the answers are not kept: the result is the only record
    result = evaluate(form, answers)
    await _send(query, views.check_result(i18n, form, result, explanation=explanation))


async def stale_check_answer(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """A self-check button after the check ended (or after /cancel): back to the foster home."""
    await query.answer(i18n.get("foster-check-over"))
    if isinstance(query.message, Message):
        with suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)
    await _send(query, views.home(i18n))


async def check_expects_a_button(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """Typed text, a sticker or a photo mid-check: the same question again, with how to answer."""
    data = await state.get_data()
    form, index = FamilyForm(data["form"]), int(data["index"])
    old_id = data.get("check_message_id")
    if isinstance(old_id, int) and message.bot is not None:
        # One live question: the keyboard moves to the repeated one.
        with suppress(TelegramBadRequest):
            await message.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=old_id, reply_markup=None
            )
    sent = await message.answer(**views.tap_a_button(i18n, form, index).as_kwargs())
    await state.update_data(check_message_id=sent.message_id)


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(foster_home, FosterCb.filter(F.action == FosterAction.HOME))
    router.callback_query.register(forms_menu, FosterCb.filter(F.action == FosterAction.FORMS))
    router.callback_query.register(check_choice, FosterCb.filter(F.action == FosterAction.CHECK))
    router.callback_query.register(form_info, FormCb.filter(~F.check))
    router.callback_query.register(form_part, FormPartCb.filter())
    router.callback_query.register(check_start, FormCb.filter(F.check))
    router.callback_query.register(
        check_answered, StateFilter(FosterCheck.question), CheckCb.filter()
    )
    router.callback_query.register(stale_check_answer, CheckCb.filter())
    router.message.register(check_expects_a_button, StateFilter(FosterCheck.question))
    return router
