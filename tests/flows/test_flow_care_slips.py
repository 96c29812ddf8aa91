"""Flow slips from the care review: questions answered by their buttons, a stable step count,
a form of care not asked twice, and her own region on the staff card."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.app import Resources
from bot.emulator.client import BotMessage, EmulatorClient
from storage.models import Application, Case
from tests.support.chat import Chat, with_button
from tests.support.constants import STAFF_CHAT
from tests.support.mother import LABELS, at_step

LANGS = ["kk", "ru", "en"]
PROGRESS = {
    "ru": re.compile(r"Шаг (\d+) из (\d+)"),
    "kk": re.compile(r"(\d+) қадамның (\d+)-қадамы"),
    "en": re.compile(r"Step (\d+) of (\d+)"),
}
W = {
    "ru": {
        "married": "Да, в браке",
        "yes": "Да",
        "own": "Своё жильё",
        "form": "Приёмная семья",
        "time": "Вечером (18–21)",
        "form_question": "Какая форма семейного устройства",
    },
    "kk": {
        "married": "Иә, некедемін",
        "yes": "Иә",
        "own": "Өз үйіміз",
        "form": "Қабылдаушы отбасы",
        "time": "Кешке (18–21)",
        "form_question": "қай түрі сізге жақын",
    },
    "en": {
        "married": "Yes, married",
        "yes": "Yes",
        "own": "Our own home",
        "form": "Foster family",
        "time": "Evening (18–21)",
        "form_question": "Which form of family care",
    },
}


def _starting(messages: list[BotMessage], emoji: str) -> tuple[BotMessage, str]:
    for message in reversed(messages):
        for text in message.button_texts:
            if text.startswith(emoji):
                return message, text
    raise AssertionError(f"no button starting with {emoji}")


def _marks(lang: str, messages: list[BotMessage]) -> list[tuple[int, int]]:
    found = []
    for message in messages:
        match = PROGRESS[lang].search(message.text or "")
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            found.append((second, first) if lang == "kk" else (first, second))
    return found


async def _answer_all(chat: Chat, lang: str, first: list[BotMessage]) -> list[BotMessage]:
    """Married, two children, the form if asked: every screen she sees, in order."""
    w = W[lang]
    seen = list(first)
    seen += await chat.send("Айгерим Серикова")
    seen += await chat.send("12.03.1985")
    seen += await chat.send("Караганда")
    seen += await chat.do(await chat.user.send_contact("+77012345678"))
    seen += await chat.press(with_button(seen, w["married"]), w["married"])
    seen += await chat.press(with_button(seen, w["yes"]), w["yes"])
    seen += await chat.press(with_button(seen, "2"), "2")
    seen += await chat.send("5, 9")
    seen += await chat.press(with_button(seen, w["own"]), w["own"])
    if w["form_question"] in (seen[-1].text or ""):
        seen += await chat.press(with_button(seen, w["form"]), w["form"])
    experience = seen[-1]
    seen += await chat.press(experience, experience.button_texts[0])
    seen += await chat.send("Хотим подарить ребёнку семью и тепло дома.")
    seen += await chat.press(with_button(seen, w["time"]), w["time"])
    return seen


@pytest.mark.parametrize("lang", LANGS)
async def test_the_houses_screen_asks_no_yes_no_question_its_buttons_cant_answer(
    chat: Chat, lang: str
) -> None:
    ask = with_button(await at_step(chat, lang, "houses"), LABELS[lang]["baby"])
    assert "?" not in (ask.text or "")  # answered by "I have a baby", so no "Shall we…?"


@pytest.mark.parametrize("lang", LANGS)
async def test_the_step_count_is_the_same_from_the_first_screen_to_the_last(
    chat: Chat, lang: str
) -> None:
    home, apply = _starting(await chat.send("/start foster"), "📝")
    seen = await _answer_all(chat, lang, await chat.press(home, apply))
    marks = _marks(lang, seen)
    # 13 questions (the spouse's and the children's ages among them), "of 11" on every one:
    # a follow-up question shares the number of the one it follows.
    assert {total for _step, total in marks} == {11}
    numbers = [step for step, _total in marks]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, 12))


@pytest.mark.parametrize("lang", LANGS)
async def test_a_form_chosen_on_its_screen_is_not_asked_again(
    chat: Chat, resources: Resources, lang: str
) -> None:
    w = W[lang]
    home, forms = _starting(await chat.send("/start foster"), "📚")
    listing, guest = _starting(await chat.press(home, forms), "🎒")
    info, apply = _starting(await chat.press(listing, guest), "📝")
    seen = await _answer_all(chat, lang, await chat.press(info, apply))
    assert not any(w["form_question"] in (m.text or "") for m in seen)
    assert {total for _step, total in _marks(lang, seen)} == {10}  # from the first screen
    async with resources.sessionmaker() as session:
        application = (await session.scalars(select(Application))).one()
    assert application.care_form == "guest" and application.answers["care_form"] == "guest"
    review = seen[-1].text or ""
    assert {"kk": "Қонақ отбасы", "ru": "Гостевая семья", "en": "Guest family"}[lang] in review


async def test_the_staff_card_shows_her_region_from_a_shared_location(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    chat = chat_with(user_id=7531, language_code="ru")
    await at_step(chat, "ru", "handed_off")  # from Karaganda: the nearest house is in Astana
    async with resources.sessionmaker() as session:
        case = (await session.scalars(select(Case))).one()
    assert case.region == "karaganda" and case.shelter_id == "astana-1"
    card = await client.message(STAFF_CHAT, case.card_message_id or 0)
    assert "Регион: Карагандинская область" in (card.text or "")
