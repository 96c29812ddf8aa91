"""Consent that names the operator, the Telegram group, the term and /forget; /mydata that
shows every personal field kept, grouped by case and application, in her language."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.config import Settings
from bot.emulator.client import EmulatorClient
from tests.support.chat import Chat
from tests.support.mother import at_step

OPERATOR = "ОФ «Ана үйі» <тест>"

W = {
    "ru": {
        "message": "💬 Напишите мне в Telegram",
        "evening": "Вечером (18–21)",
        "group": "группе в Telegram",
        "days": "30 дней",
        "region": "Карагандинская область",
        "way": "сообщение в Telegram",
        "time": "вечером",
        "messages": "ваших сообщений сохранено для сотрудников: 2",
        "language": "Язык: 🇷🇺 Русский (из настроек Telegram)",
        "name_field": "ФИО: Айгерим Серикова",
    },
    "kk": {
        "message": "💬 Маған Telegram-да жазыңыз",
        "evening": "Кешке (18–21)",
        "group": "Telegram тобында",
        "days": "30 күн",
        "region": "Қарағанды облысы",
        "way": "Telegram",
        "time": "кешке",
        "messages": "сақталған хабарламаларыңыз: 2",
        "language": "Тіл: 🇰🇿 Қазақша (Telegram баптауларынан)",
        "name_field": "Айгерим Серикова",
    },
    "en": {
        "message": "💬 Write to me in Telegram",
        "evening": "Evening (18–21)",
        "group": "Telegram group",
        "days": "30 days",
        "region": "Karaganda Region",
        "way": "Telegram message",
        "time": "evening",
        "messages": "your messages kept for the staff: 2",
        "language": "Language: 🇬🇧 English (from your Telegram settings)",
        "name_field": "Айгерим Серикова",
    },
}
LANGS = ["kk", "ru", "en"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The operator's registered name and a short retention, as an operator would set them."""
    return settings.model_copy(update={"operator_name": OPERATOR, "retention_days": 30})


@pytest.mark.parametrize("lang", LANGS)
async def test_consent_names_the_operator_the_group_the_term_and_forget(
    chat: Chat, lang: str
) -> None:
    w = W[lang]
    [consent] = await at_step(chat, lang, "consent")
    assert "ОФ «Ана үйі» &lt;тест&gt;" in consent.html  # the setting, escaped
    assert w["group"] in consent.text and w["days"] in consent.text
    assert "/forget" in consent.text and "/mydata" in consent.text


@pytest.mark.parametrize("lang", LANGS)
async def test_mydata_shows_every_field_by_case_and_application(
    chat: Chat, client: EmulatorClient, lang: str
) -> None:
    w = W[lang]
    steps = await chat.tap(await at_step(chat, lang, "way"), w["message"])
    await chat.tap(steps, w["evening"])
    await chat.send("Нужна коляска")
    await chat.send("Я у вокзала")
    await chat.do(await chat.user.send_voice())
    # A foster application begun: its answers are hers too.
    home = next(
        m
        for m in await chat.send("/start foster")
        if any(text.startswith("📝") for text in m.button_texts)
    )
    await chat.press(home, next(text for text in home.button_texts if text.startswith("📝")))
    await chat.send("Айгерим Серикова")
    [data] = await chat.send("/mydata")
    text = data.text or ""
    assert w["language"] in text  # not "—": the language she is spoken to in
    case_part, application_part = text.split("№ 1", 1)[1].split("\n\n", 1)
    for shown in ("+77012345678", w["region"], w["way"], w["time"], "Нужна коляска"):
        assert shown in case_part, shown
    assert w["messages"] in case_part  # "Я у вокзала" and the voice note
    assert w["name_field"] in application_part


async def test_the_consent_shown_again_in_another_language_still_names_the_operator(
    chat_with: Callable[..., Chat],
) -> None:
    chat = chat_with(user_id=7421, language_code="ru")
    await at_step(chat, "ru", "consent")
    [picker] = await chat.send("/language")
    replies = await chat.press(picker, "🇰🇿 Қазақша")
    consent = replies[-1]
    assert "Деректеріңіздің операторы" in consent.text and "30 күн" in consent.text
    assert "ОФ «Ана үйі» &lt;тест&gt;" in consent.html


async def test_mydata_names_a_write_only_request_in_words(chat_with: Callable[..., Chat]) -> None:
    """An enum value with "_" ("write_only") is shown by its Fluent text, not an error."""
    chat = chat_with(user_id=7431, language_code="ru")
    steps = await chat.tap(await at_step(chat, "ru", "way"), "✍️ Только пишите, не звоните")
    if any("🕘 В любое время" in m.button_texts for m in steps):
        steps = await chat.tap(steps, "🕘 В любое время")
    await chat.tap(steps, "📨 Отправить без комментария")
    [data] = await chat.send("/mydata")
    assert "только писать, не звонить" in (data.text or "")
