"""The mother's way from /start to the handoff, as the flow tests walk it (ru, kk, en)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.client import BotMessage
from storage.models import Case
from tests.support.chat import Chat

KARAGANDA = (49.80, 73.09)
PHONE = "+77012345678"
NOTE = "Нужна коляска и памперсы"

MotherWithCase = Callable[..., Awaitable[tuple[Chat, Case]]]
"""The `mother_with_case` fixture (tests/flows/conftest.py): (user_id, lang) -> her chat, case."""
MotherAt = Callable[..., Awaitable[tuple[Chat, list[BotMessage]]]]
"""The `mother_at` fixture: (user_id, lang, step) -> her chat, the bot's messages asking it."""


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
        return await self.chat.tap(messages, label)

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


# Her steps in order, as the FSM names them (Mother:<step>); "kind" (asked after "contact me"
# from the danger words) is answered like "houses", with "a baby".
STEPS = ("safety", "place", "houses", "consent", "phone", "way", "time", "note", "handed_off")


async def _answer(
    chat: Chat, lang: str, step: str, steps: list[BotMessage], *, safety: str, shared: bool
) -> list[BotMessage]:
    words = LABELS[lang]
    if step == "place":
        return await chat.do(await chat.user.send_location(*KARAGANDA))
    if step == "phone":
        steps = await chat.do(await chat.user.send_contact(PHONE))
        if shared:
            await chat.tap(steps, words["shared"])
        return steps
    tap = {"safety": safety, "houses": "baby", "consent": "agree", "way": "call"}
    tap |= {"time": "any", "note": "no_note"}
    return await chat.tap(steps, words[tap[step]])


async def walk(
    chat: Chat,
    lang: str,
    steps: list[BotMessage],
    start: str,
    stop: str,
    *,
    safety: str = "safe",
    shared: bool = False,
) -> list[BotMessage]:
    """Answer her steps from `start` (the bot's `steps` ask it) up to `stop`, not answering it:
    "safe" (or `safety`), her location, a baby, consent, her contact, "call me", "any time",
    no note. Returns the bot's messages of the last answer."""
    start = "houses" if start == "kind" else start
    for step in STEPS[STEPS.index(start) : STEPS.index(stop)]:
        steps = await _answer(chat, lang, step, steps, safety=safety, shared=shared)
    return steps


async def at_step(
    chat: Chat, lang: str, step: str, *, safety: str = "safe", shared: bool = False
) -> list[BotMessage]:
    """From /start to her step `step` (Mother:<step>): the bot's messages asking it."""
    asked = await chat.tap(await chat.send("/start"), LABELS[lang]["help"])
    return await walk(chat, lang, asked, "safety", step, safety=safety, shared=shared)


async def at_the_note(chat: Chat, lang: str = "ru", *, shared: bool = False) -> list[BotMessage]:
    """A mother with a baby, her consent, her phone, "call me", "any time": the note step."""
    return await at_step(chat, lang, "note", shared=shared)


async def handed_off(
    chat: Chat,
    lang: str = "ru",
    *,
    shared: bool = False,
    safety: str = "safe",
    note: str | None = NOTE,
) -> list[BotMessage]:
    """From /start to the handoff: her note typed, or none ("send without a note")."""
    if note is None:
        return await at_step(chat, lang, "handed_off", safety=safety, shared=shared)
    await at_step(chat, lang, "note", safety=safety, shared=shared)
    return await chat.send(note)
