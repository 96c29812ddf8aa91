"""The mother's way from /start to the handoff, as the flow tests walk it (ru, kk, en)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.client import BotMessage
from storage.models import Case
from tests.support.chat import Chat, with_button

KARAGANDA = (49.80, 73.09)

MotherWithCase = Callable[..., Awaitable[tuple[Chat, Case]]]
"""The `mother_with_case` fixture (tests/flows/conftest.py): (user_id, lang) -> her chat, case."""


LABELS = {
    "ru": {
        "help": "🤱 Мне нужна помощь",
        "safe": "✅ Сейчас я в безопасности",
        "danger": "⚠️ Мне сейчас угрожает опасность",
        "night": "🌙 Мне негде ночевать сегодня",
        "baby": "👶 У меня есть малыш",
        "agree": "✅ Согласна",
        "decline": "✖️ Нет, не передавать",
        "call": "📞 Позвоните мне",
        "any": "🕘 В любое время",
        "no_note": "📨 Отправить без комментария",
        "shared": "☐ Телефоном пользуется кто-то ещё",
        "regions": "🗺 Выбрать регион",
        "houses": "Ближайшие к вам Дома мамы",
        "handed": "передано сотрудникам",
    },
    "kk": {
        "help": "🤱 Маған көмек керек",
        "safe": "✅ Қазір қауіпсіз жердемін",
        "danger": "⚠️ Маған қазір қауіп төніп тұр",
        "night": "🌙 Бүгін түнейтін жерім жоқ",
        "baby": "👶 Сәбиім бар",
        "agree": "✅ Келісемін",
        "decline": "✖️ Жоқ, жібермеңіз",
        "call": "📞 Маған қоңырау шалыңыз",
        "any": "🕘 Кез келген уақытта",
        "no_note": "📨 Жазбасыз жіберу",
        "shared": "☐ Телефонды басқа біреу де қолданады",
        "regions": "🗺 Өңірді таңдау",
        "houses": "Сізге ең жақын Ана үйлері",
        "handed": "қызметкерлерге жіберілді",
    },
    "en": {
        "help": "🤱 I need help",
        "safe": "✅ I'm safe for now",
        "danger": "⚠️ I'm in danger now",
        "night": "🌙 I have nowhere to sleep tonight",
        "baby": "👶 I have a baby",
        "agree": "✅ I agree",
        "decline": "✖️ No, don't share",
        "call": "📞 Call me",
        "any": "🕘 Any time",
        "no_note": "📨 Send without a note",
        "shared": "☐ Someone else uses this phone too",
        "regions": "🗺 Choose a region",
        "houses": "Mothers' houses nearest to you",
        "handed": "is with our staff",
    },
}


class Taps:
    """Counts what she has to do: each button press, location or contact is one tap."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.count = 0

    async def press(self, messages: list[BotMessage], label: str) -> list[BotMessage]:
        self.count += 1
        return await self.chat.press(with_button(messages, label), label)

    async def do(self, update: dict[str, Any]) -> list[BotMessage]:
        self.count += 1
        return await self.chat.do(update)


async def reach_houses(chat: Chat, lang: str) -> tuple[list[BotMessage], Taps]:
    words = LABELS[lang]
    menu = await chat.send("/start")
    taps = Taps(chat)
    safety = await taps.press(menu, words["help"])
    place = await taps.press(safety, words["safe"])
    houses = await taps.do(await chat.user.send_location(*KARAGANDA))
    return place + houses, taps


async def at_the_note(chat: Chat, lang: str = "ru", *, shared: bool = False) -> list[BotMessage]:
    """A mother with a baby, her consent, her phone, "call me", "any time": the note step."""
    words = LABELS[lang]
    houses, _ = await reach_houses(chat, lang)
    steps = await chat.press(with_button(houses, words["baby"]), words["baby"])
    steps = await chat.press(with_button(steps, words["agree"]), words["agree"])
    steps = await chat.do(await chat.user.send_contact("+77012345678"))
    if shared:
        await chat.press(with_button(steps, words["shared"]), words["shared"])
    steps = await chat.press(with_button(steps, words["call"]), words["call"])
    return await chat.press(with_button(steps, words["any"]), words["any"])


async def handed_off(chat: Chat, lang: str = "ru", *, shared: bool = False) -> list[BotMessage]:
    await at_the_note(chat, lang, shared=shared)
    return await chat.send("Нужна коляска и памперсы")
