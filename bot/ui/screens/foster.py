"""Screens of the foster family information: the forms of care and the eligibility self-check."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram_i18n import I18nContext

from bot.services.family_forms import (
    DOCUMENTS,
    QUESTIONS,
    TEXTS,
    CheckResult,
    FamilyForm,
    doc_key,
    question,
)
from bot.ui import keyboards
from bot.ui.callbacks import (
    ApplyFormCb,
    CheckAnswer,
    CheckCb,
    FormCb,
    FormPart,
    FormPartCb,
    FosterAction,
    FosterCb,
)
from bot.ui.screens import Screen

_ANSWER_KEYS = {
    CheckAnswer.YES: "foster-button-yes",
    CheckAnswer.NO: "foster-button-no",
    CheckAnswer.UNSURE: "foster-button-unsure",
}


def _button(
    text: str, callback: FosterCb | FormCb | FormPartCb | CheckCb | ApplyFormCb
) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=callback.pack())


def _foster(i18n: I18nContext, key: str, action: FosterAction) -> InlineKeyboardButton:
    return _button(i18n.get(key), FosterCb(action=action))


def home(i18n: I18nContext) -> Screen:
    """The entry of everything about becoming a family for a child."""
    rows = [
        [_foster(i18n, "foster-button-forms", FosterAction.FORMS)],
        [_foster(i18n, "foster-button-check", FosterAction.CHECK)],
        [_foster(i18n, "foster-button-apply", FosterAction.APPLY)],
        [_foster(i18n, "foster-button-status", FosterAction.STATUS)],
    ]
    return Screen(i18n.get("foster-home"), keyboards.with_safety_row(rows, i18n))


def forms_menu(i18n: I18nContext) -> Screen:
    rows = [[_button(i18n.get(TEXTS[form].name), FormCb(form=form))] for form in FamilyForm]
    rows.append([_foster(i18n, "foster-button-back", FosterAction.HOME)])
    return Screen(i18n.get("foster-forms-title"), keyboards.with_safety_row(rows, i18n))


def documents_list(i18n: I18nContext, form: FamilyForm) -> str:
    """The form's documents as a bulleted list (the same items as the applicant's checklist)."""
    items = [f"• {i18n.get(doc_key(code))}" for code in DOCUMENTS[form]]
    return "\n".join([i18n.get(TEXTS[form].documents), *items])


def _part_button(i18n: I18nContext, form: FamilyForm, part: FormPart) -> InlineKeyboardButton:
    key = "foster-button-steps" if part is FormPart.STEPS else "foster-button-documents"
    return _button(i18n.get(key), FormPartCb(form=form, part=part))


def form_info(i18n: I18nContext, form: FamilyForm) -> Screen:
    """A short summary (who may, and that the guardianship authority decides): one phone
    screen; the steps and the documents are one tap away."""
    texts = TEXTS[form]
    parts = [
        f"<b>{i18n.get(texts.name)}</b>",
        f"{i18n.get('foster-info-who')}\n{i18n.get(texts.who)}",
        i18n.get("foster-info-decides"),
    ]
    rows = [
        [_part_button(i18n, form, FormPart.STEPS), _part_button(i18n, form, FormPart.DOCUMENTS)],
        [_button(i18n.get("foster-button-check-form"), FormCb(form=form, check=True))],
        [_button(i18n.get("foster-button-apply"), ApplyFormCb(form=form))],
        [_foster(i18n, "foster-button-back-forms", FosterAction.FORMS)],
    ]
    return Screen("\n\n".join(parts), keyboards.with_safety_row(rows, i18n))


def form_part(i18n: I18nContext, form: FamilyForm, part: FormPart) -> Screen:
    """The steps or the documents of one form, with the way to the other part and back."""
    name = f"<b>{i18n.get(TEXTS[form].name)}</b>"
    if part is FormPart.STEPS:
        body = f"{i18n.get('foster-info-steps')}\n{i18n.get(TEXTS[form].steps)}"
        other = FormPart.DOCUMENTS
    else:
        body = documents_list(i18n, form)
        other = FormPart.STEPS
    rows = [
        [_part_button(i18n, form, other)],
        [_button(i18n.get("foster-button-check-form"), FormCb(form=form, check=True))],
        [_button(i18n.get("foster-button-back-form"), FormCb(form=form))],
    ]
    text = "\n\n".join([name, body, i18n.get("foster-info-note")])
    return Screen(text, keyboards.with_safety_row(rows, i18n))


def check_form_choice(i18n: I18nContext) -> Screen:
    rows = [
        [_button(i18n.get(TEXTS[form].name), FormCb(form=form, check=True))] for form in FamilyForm
    ]
    rows.append([_foster(i18n, "foster-button-back", FosterAction.HOME)])
    return Screen(i18n.get("foster-check-choose"), keyboards.with_safety_row(rows, i18n))


def check_explanation(
    i18n: I18nContext, form: FamilyForm, code: str, answer: CheckAnswer | str
) -> str:
    """Right after an answer: how it sits with the rule, and a short line why the rule exists."""
    rule = question(form, code)
    if answer == CheckAnswer.UNSURE:
        verdict = "foster-check-unsure"
    elif (answer == CheckAnswer.YES) == rule.expected:
        verdict = "foster-check-fits"
    else:
        verdict = "foster-check-attention"
    return f"{i18n.get(verdict)} {i18n.get(rule.why_key)}"


def question_text(i18n: I18nContext, form: FamilyForm, index: int) -> str:
    """The progress mark and the question, without the explanation of the previous answer."""
    questions = QUESTIONS[form]
    progress = i18n.get("foster-check-progress", current=index + 1, total=len(questions))
    return f"{i18n.get(TEXTS[form].name)} · {progress}\n\n{i18n.get(questions[index].key)}"


def check_question(
    i18n: I18nContext, form: FamilyForm, index: int, *, explanation: str | None = None
) -> Screen:
    """One question per screen, under the explanation of the answer just given (if any)."""
    text = question_text(i18n, form, index)
    if explanation:
        text = f"{explanation}\n\n{text}"
    answers = [
        _button(i18n.get(key), CheckCb(answer=answer)) for answer, key in _ANSWER_KEYS.items()
    ]
    return Screen(text, keyboards.with_safety_row([answers], i18n))


def answered(i18n: I18nContext, form: FamilyForm, index: int, answer: CheckAnswer) -> str:
    """What an answered question turns into: its text and the answer, with no buttons left."""
    chosen = i18n.get("foster-check-answered", answer=i18n.get(_ANSWER_KEYS[answer]))
    return f"{question_text(i18n, form, index)}\n\n{chosen}"


def _section(i18n: I18nContext, title_key: str, lines: list[str]) -> str:
    return "\n".join([i18n.get(title_key), *(f"• {line}" for line in lines)])


def check_result(
    i18n: I18nContext, form: FamilyForm, result: CheckResult, *, explanation: str | None = None
) -> Screen:
    """What fits, what needs attention and why, what is unsure: it informs, never refuses."""
    parts = [i18n.get("foster-check-result-title", form=i18n.get(TEXTS[form].name))]
    if explanation:
        parts.insert(0, explanation)
    labels = {q.code: q for q in QUESTIONS[form]}
    if result.fits:
        lines = [i18n.get(labels[code].label_key) for code in result.fits]
        parts.append(_section(i18n, "foster-check-result-fits", lines))
    if result.attention:
        lines = [
            f"{i18n.get(labels[code].label_key)}. {i18n.get(labels[code].why_key)}"
            for code in result.attention
        ]
        parts.append(_section(i18n, "foster-check-result-attention", lines))
    if result.unsure:
        lines = [i18n.get(labels[code].label_key) for code in result.unsure]
        parts.append(_section(i18n, "foster-check-result-unsure", lines))
    if result.all_fit:
        parts.append(i18n.get("foster-check-result-all-fit"))
    parts.append(i18n.get("foster-check-result-note"))
    rows = [
        [_button(i18n.get("foster-button-apply"), ApplyFormCb(form=form))],
        [_button(i18n.get("foster-button-form-info"), FormCb(form=form))],
        [_foster(i18n, "foster-button-check-other", FosterAction.CHECK)],
    ]
    return Screen("\n\n".join(parts), keyboards.with_safety_row(rows, i18n))


def tap_a_button(i18n: I18nContext, form: FamilyForm, index: int) -> Screen:
    """Typed text in the middle of the self-check: the same question, with how to answer."""
    return check_question(i18n, form, index, explanation=i18n.get("foster-check-tap-buttons"))
