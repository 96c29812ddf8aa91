"""A typed town through the real dispatcher: the houses at once, or "which one?" for a name
that means places far apart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.emulator.client import BotMessage
from bot.services.directory import Directory, load_directory
from tests.support.chat import Chat
from tests.support.constants import ROOT
from tests.support.mother import at_step

HOUSE = "Тестовый дом"  # the Karaganda house of tests/data/shelters_verified.yaml
HOUSE_NAME = {"kk": "Сынақ үйі", "ru": HOUSE, "en": HOUSE}  # no English name: Russian

WORDS = {
    "ru": {
        "near": "Ближайшие Дома мамы ({place})",
        "km": "примерно {km} км",
        "which": "Мест с названием «Абай» несколько. Где вы?",
        "abay": "Абай (Карагандинская область)",
        "choices": [
            "Абайская область",
            "Абай (Карагандинская область)",
            "Абай (Туркестанская область)",
            "🗺 Другой регион",
        ],
        "region": "Абайская область",
    },
    "kk": {
        "near": "({place})",
        "km": "шамамен {km} км",
        "which": "«Абай» деген жер бірнешеу. Сіз қайдасыз?",
        "abay": "Абай (Қарағанды облысы)",
        "choices": [
            "Абай облысы",
            "Абай (Қарағанды облысы)",
            "Абай (Түркістан облысы)",
            "🗺 Басқа өңір",
        ],
        "region": "Абай облысы",
    },
    "en": {
        "near": "({place})",
        "km": "about {km} km",
        "which": "There is more than one “Абай”. Which is yours?",
        "abay": "Abay (Karaganda Region)",
        "choices": [
            "Abai Region",
            "Abay (Karaganda Region)",
            "Abay (Turkistan Region)",
            "🗺 Another region",
        ],
        "region": "Abai Region",
    },
}


@pytest.fixture
def karaganda_house(app) -> Directory:
    """The shipped houses and one in Karaganda, as the issue tried it."""
    dispatcher, _bot = app
    shipped = load_directory()
    extra = load_directory(ROOT / "tests" / "data" / "shelters_verified.yaml").shelters
    directory = Directory(shipped.regions, [*shipped.shelters, *extra])
    dispatcher["directory"] = directory
    return directory


TownTyped = Callable[[int, str, str], Awaitable[tuple[Chat, list[BotMessage]]]]


@pytest.fixture
def town_typed(chat_with: Callable[..., Chat], karaganda_house: Directory) -> TownTyped:
    """`town_typed(user_id, lang, town)`: at the place question (Karaganda's house among the
    houses) she types a town; her chat and the bot's replies."""

    async def make(user_id: int, lang: str, town: str) -> tuple[Chat, list[BotMessage]]:
        chat = chat_with(user_id=user_id, language_code=lang)
        await at_step(chat, lang, "place")
        return chat, await chat.send(town)

    return make


@pytest.mark.parametrize(
    ("typed", "shown", "km"),
    [
        ("Сарань", "Сарань", 19),  # 18.5 km by hand (tests/unit/test_places.py)
        ("шахтинск", "Шахтинск", 37),
        ("Shakhtinsk", "Шахтинск", 37),
        ("г. Приозёрск", "Приозёрск", 422),  # the third house: Taldykorgan and Almaty are nearer
    ],
)
async def test_a_karaganda_town_shows_the_karaganda_house_at_once(
    town_typed: TownTyped, typed: str, shown: str, km: int
) -> None:
    _chat, replies = await town_typed(7301, "ru", typed)
    listing = replies[0]
    assert WORDS["ru"]["near"].format(place=shown) in listing.text
    block = next(b for b in listing.text.split("\n\n") if HOUSE in b)
    assert WORDS["ru"]["km"].format(km=km) in block
    assert not any(len(m.button_texts) == 21 for m in replies)  # no region list


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_abai_asks_which_and_one_tap_shows_the_houses(
    town_typed: TownTyped, lang: str
) -> None:
    words = WORDS[lang]
    chat, [question] = await town_typed(7310 + len(lang) + ord(lang[0]), lang, "Абай")
    assert question.text == words["which"]
    assert question.button_texts[:4] == words["choices"]
    assert len(question.button_texts) == 5  # and the emergency numbers
    # The town near Karaganda: its house, 24 km.
    houses = await chat.press(question, words["abay"])
    first = houses[0].text.split("\n\n")[1]
    assert HOUSE_NAME[lang] in first and words["km"].format(km=24) in first
    assert words["near"].format(place="Abay" if lang == "en" else "Абай") in houses[0].text
    # The same question, the region this time: Semey's house first.
    [again] = await chat.send("абай")
    region = await chat.press(again, words["region"])
    assert words["region"] in region[0].text
    first = region[0].text.split("\n\n")[1]
    assert "Семей" in first or "Semey" in first


async def test_a_choice_goes_on_to_the_handoff(town_typed: TownTyped) -> None:
    chat, [question] = await town_typed(7321, "ru", "Аксу")
    towns = [t for t in question.button_texts if t.startswith("Аксу (")]
    assert len(towns) == 3  # Pavlodar, Turkistan and Akmola regions
    steps = await chat.press(question, "Аксу (Павлодарская область)")
    assert "Павлодар" in steps[0].text
    assert any("👶 У меня есть малыш" in m.button_texts for m in steps)  # the flow goes on


async def test_a_stale_choice_button_offers_the_regions(town_typed: TownTyped) -> None:
    chat, [question] = await town_typed(7322, "ru", "Абай")
    # A place gone from a rebuilt gazetteer: the region list, not an error.
    [regions] = await chat.press_data(question, "pl:1")
    assert len(regions.button_texts) == 21
