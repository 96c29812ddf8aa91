"""Foster family information and the self-check through the real dispatcher, in each language."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.emulator.client import BotMessage, EmulatorClient
from bot.services.family_forms import (
    DOCUMENTS,
    QUESTIONS,
    TEXTS,
    FamilyForm,
    doc_key,
    evaluate,
)
from bot.services.locale import SUPPORTED_LOCALES
from bot.ui import callbacks as cb
from tests.support.chat import Chat
from tests.support.texts import bundle_of, t

LABELS = {
    "ru": {
        "forms": "📚 Формы семейного устройства",
        "professional": "👨‍👩‍👧 Профессиональная приёмная семья",
        "check_form": "✅ Проверить себя для этой формы",
        "steps": "📋 Как это проходит",
        "documents": "📄 Документы",
        "back_form": "↩️ К этой форме",
        "apply": "📝 Заполнить анкету",
        "status": "📄 Моя анкета",
        "yes": "Да",
        "no": "Нет",
        "unsure": "🤔 Не знаю точно",
        "progress": "Вопрос {} из 6",
        "emergency": "🆘 Экстренные номера",
        "authority": "орган опеки и попечительства",
    },
    "kk": {
        "forms": "📚 Отбасына орналастыру түрлері",
        "professional": "👨‍👩‍👧 Кәсіби қабылдаушы отбасы",
        "check_form": "✅ Осы түр бойынша өзімді тексеру",
        "steps": "📋 Қалай өтеді",
        "documents": "📄 Құжаттар",
        "back_form": "↩️ Осы түрге оралу",
        "apply": "📝 Сауалнама толтыру",
        "status": "📄 Менің сауалнамам",
        "yes": "Иә",
        "no": "Жоқ",
        "unsure": "🤔 Нақты білмеймін",
        "progress": "Сұрақ {}/6",
        "emergency": "🆘 Шұғыл көмек нөмірлері",
        "authority": "қорғаншылық және қамқоршылық органы",
    },
    "en": {
        "forms": "📚 Forms of family care",
        "professional": "👨‍👩‍👧 Professional foster family",
        "check_form": "✅ Self-check for this form",
        "steps": "📋 How it goes",
        "documents": "📄 Documents",
        "back_form": "↩️ Back to this form",
        "apply": "📝 Apply",
        "status": "📄 My application",
        "yes": "Yes",
        "no": "No",
        "unsure": "🤔 Not sure",
        "progress": "Question {} of 6",
        "emergency": "🆘 Emergency numbers",
        "authority": "guardianship authority",
    },
}

# About one phone screen: the form's summary, its steps and its documents each fit one.
SCREEN_LIMIT = 600


def _last(messages: list[BotMessage]) -> BotMessage:
    return messages[-1]


async def _foster_home(chat: Chat) -> BotMessage:
    """From /start to the foster home, the way the menu and `/start foster` lead there."""
    menu = await chat.send("/start")
    return _last(await chat.press_data(menu[-1], cb.FosterCb(action=cb.FosterAction.HOME).pack()))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_information_and_a_full_self_check(
    chat_with: Callable[..., Chat], client: EmulatorClient, lang: str
) -> None:
    words = LABELS[lang]
    chat = chat_with(user_id=8100 + ord(lang[0]), language_code=lang)
    home = await _foster_home(chat)
    for label in (words["forms"], words["apply"], words["status"], words["emergency"]):
        assert label in home.button_texts

    forms = _last(await chat.press(home, words["forms"]))
    assert words["professional"] in forms.button_texts
    info = _last(await chat.press(forms, words["professional"]))
    # A short summary that fits a phone screen; the steps and documents are behind buttons.
    assert len(info.text) <= SCREEN_LIMIT
    assert t(lang, TEXTS[FamilyForm.PROFESSIONAL].who).splitlines()[0] in info.text
    assert t(lang, TEXTS[FamilyForm.PROFESSIONAL].steps).splitlines()[0] not in info.text
    assert words["authority"] in info.text
    assert {words["check_form"], words["apply"], words["emergency"]} <= set(info.button_texts)
    assert {words["steps"], words["documents"]} <= set(info.button_texts)
    documents = _last(await chat.press(info, words["documents"]))
    assert len(documents.text) <= SCREEN_LIMIT
    for code in DOCUMENTS[FamilyForm.PROFESSIONAL]:
        assert t(lang, doc_key(code)) in documents.text
    # Its own training's certificate only: the foster-parents' school is another form's.
    assert t(lang, "foster-doc-psych-training-certificate") in documents.text
    assert t(lang, "foster-doc-training-certificate") not in documents.text
    steps = _last(await chat.press(documents, words["steps"]))
    assert len(steps.text) <= SCREEN_LIMIT and words["authority"] in steps.text
    # The authority selects the carers before the training (the sheet's source).
    lines = t(lang, TEXTS[FamilyForm.PROFESSIONAL].steps).splitlines()
    assert steps.text.index(lines[1]) < steps.text.index(lines[2])
    assert words["authority"] in lines[1].lower()
    info = _last(await chat.press(steps, words["back_form"]))
    assert words["documents"] in info.button_texts

    def q(code: str) -> str:
        return t(lang, f"foster-q-{code.replace('_', '-')}")

    def why(code: str) -> str:
        return t(lang, f"foster-why-{code.replace('_', '-')}")

    def rule(code: str) -> str:
        return t(lang, f"foster-rule-{code.replace('_', '-')}")

    first = _last(await chat.press(info, words["check_form"]))
    assert words["progress"].format(1) in first.text and q("citizen") in first.text

    answered, second = await chat.press(first, words["yes"])
    assert answered.message_id == first.message_id and not answered.button_texts  # no second tap
    assert t(lang, "foster-check-answered", answer=words["yes"]) in answered.text
    assert words["progress"].format(2) in second.text and q("age_30_63") in second.text
    assert t(lang, "foster-check-fits") in second.text and why("citizen") in second.text

    third = _last(await chat.press(second, words["no"]))  # not 30-63: needs attention
    assert words["progress"].format(3) in third.text and q("income") in third.text
    assert t(lang, "foster-check-attention") in third.text and why("age_30_63") in third.text

    # Typing instead of tapping keeps the same question, with how to answer.
    again = _last(await chat.send("ok?"))
    assert again.message_id != third.message_id
    assert words["progress"].format(3) in again.text and q("income") in again.text
    assert t(lang, "foster-check-tap-buttons") in again.text
    assert {words["yes"], words["no"], words["unsure"]} <= set(again.button_texts)

    # A tap on the question shown before the repeat changes nothing, but is answered.
    assert await chat.press_data(third, cb.CheckCb(answer=cb.CheckAnswer.YES).pack()) == []
    answers = await client.callback_answers()
    assert answers[-1]["answered"] and answers[-1]["text"] == t(lang, "foster-check-old-button")

    fourth = _last(await chat.press(again, words["unsure"]))
    assert words["progress"].format(4) in fourth.text and q("conviction") in fourth.text
    assert t(lang, "foster-check-unsure") in fourth.text and why("income") in fourth.text
    fifth = _last(await chat.press(fourth, words["no"]))  # no criminal record: fits
    assert t(lang, "foster-check-fits") in fifth.text and words["progress"].format(5) in fifth.text
    sixth = _last(await chat.press(fifth, words["yes"]))
    assert words["progress"].format(6) in sixth.text and q("health_692") in sixth.text
    result = _last(await chat.press(sixth, words["no"]))

    text = result.text or ""
    assert t(lang, "foster-check-result-attention") in text
    attention = text.split(t(lang, "foster-check-result-attention"))[1]
    assert rule("age_30_63") in attention and why("age_30_63") in attention
    unsure = text.split(t(lang, "foster-check-result-unsure"))[1]
    assert rule("income") in unsure
    fits = text.split(t(lang, "foster-check-result-fits"))[1]
    assert rule("citizen") in fits and rule("health_692") in fits
    assert t(lang, "foster-check-result-note") in text
    assert words["apply"] in result.button_texts and words["emergency"] in result.button_texts

    # The check is over: a forged or old answer is answered and leads to the foster home.
    stale = await chat.press_data(result, cb.CheckCb(answer=cb.CheckAnswer.NO).pack())
    assert words["forms"] in _last(stale).button_texts
    answers = await client.callback_answers()
    assert answers[-1]["answered"] and answers[-1]["text"] == t(lang, "foster-check-over")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_every_form_shows_its_information(chat_with: Callable[..., Chat], lang: str) -> None:
    chat = chat_with(user_id=8201 + ord(lang[0]), language_code=lang)
    home = await _foster_home(chat)
    for form in FamilyForm:
        info = _last(await chat.press_data(home, cb.FormCb(form=form).pack()))
        assert t(lang, TEXTS[form].who).splitlines()[0] in info.text
        assert LABELS[lang]["authority"] in info.text
        assert len(info.text) <= SCREEN_LIMIT, f"{form}: {len(info.text)} characters"
        documents = _last(
            await chat.press_data(info, cb.FormPartCb(form=form, part=cb.FormPart.DOCUMENTS).pack())
        )
        assert all(t(lang, doc_key(code)) in documents.text for code in DOCUMENTS[form])
        assert len(documents.text) <= SCREEN_LIMIT, f"{form}: {len(documents.text)} characters"
        steps = _last(
            await chat.press_data(info, cb.FormPartCb(form=form, part=cb.FormPart.STEPS).pack())
        )
        assert t(lang, TEXTS[form].steps).splitlines()[0] in steps.text
        assert len(steps.text) <= SCREEN_LIMIT, f"{form}: {len(steps.text)} characters"


async def test_self_check_of_a_short_form_and_leaving_it(chat_with: Callable[..., Chat]) -> None:
    chat = chat_with(user_id=8202, language_code="en")
    home = await _foster_home(chat)
    choice = _last(await chat.press_data(home, cb.FosterCb(action=cb.FosterAction.CHECK).pack()))
    name = t("en", TEXTS[FamilyForm.GUARDIANSHIP].name)
    first = _last(await chat.press(choice, name))
    assert "Question 1 of 1" in first.text  # the sheet gives no other rule for guardianship
    # The menu leaves the check: typed text then reaches the general fallback, not the check.
    await chat.press_data(first, cb.FosterCb(action=cb.FosterAction.HOME).pack())
    [reply] = await chat.send("hello")
    assert "Question" not in (reply.text or "")


def test_every_form_has_documents_and_questions() -> None:
    assert set(DOCUMENTS) == set(FamilyForm) == set(QUESTIONS) == set(TEXTS)
    for form in FamilyForm:
        assert DOCUMENTS[form] and QUESTIONS[form]
        codes = [question.code for question in QUESTIONS[form]]
        assert len(codes) == len(set(codes))
    assert len(QUESTIONS[FamilyForm.PROFESSIONAL]) == 6
    assert DOCUMENTS[FamilyForm.FOSTER] == (
        "application",
        "identity",
        "spouse_consent",
        "income_12m",
        "health_692",
        "housing",
        "marriage_certificate",
        "training_certificate",
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_document_and_question_key_exists(locale: str) -> None:
    bundle = bundle_of(locale)
    keys = {doc_key(code) for codes in DOCUMENTS.values() for code in codes}
    for form in FamilyForm:
        keys |= {TEXTS[form].name, TEXTS[form].who, TEXTS[form].steps, TEXTS[form].documents}
        for question in QUESTIONS[form]:
            keys |= {question.key, question.why_key, question.label_key}
    missing = sorted(key for key in keys if not bundle.has_message(key))
    assert not missing, f"{locale}: {missing}"


def test_evaluate_informs_and_never_refuses() -> None:
    form = FamilyForm.ADOPTION
    answers: dict[str, cb.CheckAnswer | str] = {
        "capacity": cb.CheckAnswer.YES,
        "residence": "y",
        "conviction_intentional": cb.CheckAnswer.YES,  # answered against the rule
        "income_minimum": cb.CheckAnswer.UNSURE,
    }  # health_692 not answered: unsure, not a failure
    result = evaluate(form, answers)
    assert result.fits == ["capacity", "residence"]
    assert result.attention == ["conviction_intentional"]
    assert result.unsure == ["income_minimum", "health_692"]
    assert not result.all_fit
    everything = {q.code: ("y" if q.expected else "n") for q in QUESTIONS[form]}
    assert evaluate(form, everything).all_fit


# What family_forms.md gives for each form (the rules a self-check may ask), by question code.
SHEET_RULES = {
    FamilyForm.PROFESSIONAL: {
        "citizen",
        "age_30_63",
        "income",
        "conviction",
        "residence",
        "health_692",
    },
    FamilyForm.FOSTER: {"adult", "health_692", "income_12m", "housing_docs", "training"},
    FamilyForm.GUEST: {"adult", "training_guest"},
    FamilyForm.GUARDIANSHIP: {"adult"},
    FamilyForm.ADOPTION: {
        "capacity",
        "residence",
        "conviction_intentional",
        "income_minimum",
        "health_692",
    },
}


def test_each_self_check_asks_only_the_rules_the_sheet_gives_for_its_form() -> None:
    for form, rules in SHEET_RULES.items():
        assert {question.code for question in QUESTIONS[form]} == rules, form
    # The guest family's own certificate, not the foster-parents' school's.
    assert "guest_training_certificate" in DOCUMENTS[FamilyForm.GUEST]
    assert "training_certificate" not in DOCUMENTS[FamilyForm.GUEST]
    assert "training_certificate" not in DOCUMENTS[FamilyForm.PROFESSIONAL]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("form", [FamilyForm.FOSTER, FamilyForm.GUEST, FamilyForm.GUARDIANSHIP])
async def test_a_self_check_never_asks_another_forms_rules(
    chat_with: Callable[..., Chat], lang: str, form: FamilyForm
) -> None:
    """A foster family is not asked about any criminal record or residence (only the
    professional family's rules are those), nor a guest family about its health."""
    words = LABELS[lang]
    chat = chat_with(user_id=8300 + ord(lang[0]) + len(form.value), language_code=lang)
    home = await _foster_home(chat)
    screen = _last(await chat.press_data(home, cb.FormCb(form=form, check=True).pack()))
    shown: list[str] = []
    for question in QUESTIONS[form]:
        shown.append(screen.text)
        assert t(lang, question.key) in screen.text
        answer = words["yes"] if question.expected else words["no"]
        screen = _last(await chat.press(screen, answer))
    asked = "\n".join(shown)
    total = len(QUESTIONS[form])
    progress = t(lang, "foster-check-progress", current=total, total=total)
    assert progress in asked
    for other in ("conviction", "residence", "citizen", "income", "age-30-63"):
        assert t(lang, f"foster-q-{other}") not in asked
    if form is not FamilyForm.FOSTER:
        assert t(lang, "foster-q-health-692") not in asked
    assert t(lang, "foster-check-result-all-fit") in screen.text
