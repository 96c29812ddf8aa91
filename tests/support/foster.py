"""The foster application as the flow tests fill it: the labels per language, every step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.emulator.client import BotMessage
from tests.support.chat import Chat, with_button

ApplicantWithCard = Callable[..., Awaitable[tuple[Chat, BotMessage]]]
"""The `applicant_with_card` fixture (tests/flows/conftest.py): (user_id, lang) -> her chat,
the application's card in the staff group."""

WORDS = {
    "ru": {
        "apply": "📝 Заполнить анкету",
        "married": "Да, в браке",
        "single": "Нет",
        "spouse": "Да",
        "children": "2",
        "own": "Своё жильё",
        "form": "Приёмная семья",
        "exp": "Растим или вырастили своих детей",
        "time": "Вечером (18–21)",
        "submit": "📨 Отправить анкету",
        "back": "⬅️ Назад",
        "continue": "▶️ Продолжить",
        "sent": "Отправлена",
        "news": "Новости по вашей анкете",
        "progress": "Шаг 1 из",
    },
    "kk": {
        "apply": "📝 Өтінім беру",
        "married": "Иә, некедемін",
        "single": "Жоқ",
        "spouse": "Иә",
        "children": "2",
        "own": "Өз үйіміз",
        "form": "Қабылдаушы отбасы",
        "exp": "Өз балаларымды өсірдім",
        "time": "Кешке (18–21)",
        "submit": "📨 Сауалнаманы жіберу",
        "back": "⬅️ Артқа",
        "continue": "▶️ Жалғастыру",
        "sent": "Жіберілді",
        "news": "Сауалнамаңыз бойынша жаңалық",
        "progress": "1-қадамы",
    },
    "en": {
        "apply": "📝 Apply",
        "married": "Yes, married",
        "single": "No",
        "spouse": "Yes",
        "children": "2",
        "own": "Our own home",
        "form": "Foster family",
        "exp": "I raised my own children",
        "time": "Evening (18–21)",
        "submit": "📨 Send the application",
        "back": "⬅️ Back",
        "continue": "▶️ Continue",
        "sent": "Sent",
        "news": "News about your application",
        "progress": "Step 1 of",
    },
}


async def apply_button(chat: Chat, lang: str) -> list[BotMessage]:
    home = next(
        m
        for m in await chat.send("/start foster")
        if any(text.startswith("📝") for text in m.button_texts)
    )
    label = next(text for text in home.button_texts if text.startswith("📝"))
    WORDS[lang]["apply"] = label
    return await chat.press(home, label)


async def fill_application(chat: Chat, lang: str, *, married: bool = True) -> list[BotMessage]:
    """Answer every step; returns the review screen."""
    w = WORDS[lang]
    steps = await apply_button(chat, lang)
    assert w["progress"] in steps[-1].text
    steps = await chat.send("Айгерим Серикова")
    steps = await chat.send("12.03.1985")
    steps = await chat.send("Караганда")
    steps = await chat.do(await chat.user.send_contact("+77012345678"))
    choice = w["married"] if married else w["single"]
    steps = await chat.press(with_button(steps, choice), choice)
    if married:
        steps = await chat.press(with_button(steps, w["spouse"]), w["spouse"])
    steps = await chat.press(with_button(steps, w["children"]), w["children"])
    steps = await chat.send("5, 9")
    steps = await chat.press(with_button(steps, w["own"]), w["own"])
    steps = await chat.press(with_button(steps, w["form"]), w["form"])
    steps = await chat.press(with_button(steps, w["exp"]), w["exp"])
    steps = await chat.send("Хотим подарить ребёнку семью и тепло <b>дома</b>.")
    return await chat.press(with_button(steps, w["time"]), w["time"])


async def submit_application(chat: Chat, lang: str) -> list[BotMessage]:
    """Fill every step and send the application to the staff."""
    review = (await fill_application(chat, lang))[-1]
    return await chat.press(review, WORDS[lang]["submit"])
