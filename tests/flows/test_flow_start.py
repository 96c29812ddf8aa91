"""The first contact, the menu, languages and bad input, through the real dispatcher."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Resources
from bot.emulator.client import EmulatorClient
from bot.ui import screens
from storage.models import User
from tests.support.chat import Chat

MENU = {
    "ru": ["🤱 Мне нужна помощь", "🏡 Стать приёмной семьёй", "ℹ️ О фонде", "🆘 Экстренные номера"],
    "kk": [
        "🤱 Маған көмек керек",
        "🏡 Қабылдаушы отбасы болу",
        "ℹ️ Қор туралы",
        "🆘 Шұғыл көмек нөмірлері",
    ],
    "en": ["🤱 I need help", "🏡 Become a foster family", "ℹ️ About the foundation"],
}
GREETING = {"ru": "Здравствуйте!", "kk": "Сәлеметсіз бе!", "en": "Hello!"}
ERROR = {"ru": "что-то пошло не так", "kk": "бір қате шықты", "en": "something went wrong"}


async def _person(resources: Resources, user_id: int) -> User:
    async with resources.sessionmaker() as session:
        person = await session.scalar(select(User).where(User.id == user_id))
        assert person is not None
        return person


@pytest.mark.parametrize("locale", ["ru", "kk", "en"])
async def test_start_greets_in_telegrams_language_with_the_menu(
    chat_with: Callable[..., Chat], locale: str
) -> None:
    chat = chat_with(language_code=locale)
    [reply] = await chat.send("/start")
    assert reply.text.startswith(GREETING[locale])
    for label in MENU[locale]:
        assert label in reply.button_texts


async def test_unknown_language_gets_the_picker_then_the_chosen_language_sticks(
    chat_with: Callable[..., Chat], resources: Resources, client: EmulatorClient
) -> None:
    chat = chat_with(user_id=5002, language_code="de")
    [picker] = await chat.send("/start")
    assert "Тілді таңдаңыз" in picker.text and "Выберите язык" in picker.text
    assert "Choose a language" in picker.text and "112" in picker.text
    replies = await chat.press(picker, "🇰🇿 Қазақша")
    assert replies[-1].text.startswith(GREETING["kk"])
    assert (await _person(resources, 5002)).language == "kk"
    # Telegram's app is in German, so this chat gets its own command menu in Kazakh.
    chat_menu = await client.commands(scope={"type": "chat", "chat_id": 5002})
    assert any(command["description"] == "Шұғыл көмек нөмірлері" for command in chat_menu)
    [again] = await chat.send("/start")
    assert again.text.startswith(GREETING["kk"])


async def test_deep_link_destination_survives_the_language_picker(
    chat_with: Callable[..., Chat],
) -> None:
    chat = chat_with(user_id=5003, language_code=None)
    [picker] = await chat.send("/start mother")
    # Anything typed meanwhile gets the picker again, and the destination is kept.
    [again] = await chat.send("здравствуйте")
    assert again.button_texts == picker.button_texts
    # Danger words bring the emergency numbers even before a language is chosen.
    numbers, again = await chat.send("помогите, он меня бьёт")
    assert "112" in numbers.text and again.button_texts == picker.button_texts
    replies = await chat.press(picker, "🇬🇧 English")
    # The mother's flow starts at once, in the chosen language, with its first question.
    assert "You are not alone" in replies[-1].text
    assert "🌙 I have nowhere to sleep tonight" in replies[-1].button_texts


async def test_foster_deep_link_and_referral_source(
    chat_with: Callable[..., Chat], resources: Resources
) -> None:
    chat = chat_with(user_id=5004, language_code="ru")
    [reply] = await chat.send("/start foster")
    assert "📝 Заполнить анкету" in reply.button_texts
    assert "📚 Формы семейного устройства" in reply.button_texts
    await chat.send("/start src_maternity-7")
    await chat.send("/start src_poster-2")
    assert (await _person(resources, 5004)).referral_source == "maternity-7"


async def test_command_menus_are_set_in_each_language(app, client: EmulatorClient) -> None:
    scope = {"type": "all_private_chats"}
    for locale, word in (
        ("kk", "Шұғыл көмек нөмірлері"),
        ("ru", "Экстренные номера"),
        ("en", "Emergency numbers"),
    ):
        commands = await client.commands(language_code=locale, scope=scope)
        assert [c["command"] for c in commands] == [
            "start",
            "emergency",
            "language",
            "help",
            "cancel",
        ]
        assert word in [c["description"] for c in commands]


async def test_menu_buttons_lead_to_each_screen_and_back(chat_with: Callable[..., Chat]) -> None:
    chat = chat_with(user_id=5005, language_code="ru")
    [menu] = await chat.send("/start")
    [safety] = await chat.press(menu, "🤱 Мне нужна помощь")
    assert "Вы не одна" in safety.text
    [edited] = await chat.press(safety, "⬅️ Меню")
    assert edited.message_id == safety.message_id and "🤱 Мне нужна помощь" in edited.button_texts
    [edited] = await chat.press(edited, "ℹ️ О фонде")
    assert "dom-mamy.kz" in edited.text
    [edited] = await chat.press(edited, "⬅️ Меню")
    [edited] = await chat.press(edited, "🏡 Стать приёмной семьёй")
    assert "орган опеки" in edited.text and "📝 Заполнить анкету" in edited.button_texts
    [numbers] = await chat.press(edited, "🆘 Экстренные номера")
    assert numbers.message_id != edited.message_id  # a new message: the numbers stay on screen
    for number in ("112", "102", "103", "111", "150"):
        assert f"☎️ {number}" in numbers.text
    assert numbers.text.index("112") < numbers.text.index("111")


async def test_language_switch_keeps_the_conversation(
    chat_with: Callable[..., Chat], app: tuple[Dispatcher, Bot], resources: Resources
) -> None:
    dispatcher, bot = app
    chat = chat_with(user_id=5006, language_code="ru")
    await chat.send("/start")
    context = dispatcher.fsm.get_context(bot, chat_id=5006, user_id=5006)
    await context.set_state("Intake:phone")
    await context.set_data({"kind": "baby", "region": "pavlodar"})
    [picker] = await chat.send("/language")
    replies = await chat.press(picker, "🇬🇧 English")
    assert "Done: I will write in English" in replies[-1].text
    assert "carry on where you left off" in replies[-1].text
    assert await context.get_state() == "Intake:phone"
    assert await context.get_data() == {"kind": "baby", "region": "pavlodar"}
    assert (await _person(resources, 5006)).language == "en"


async def test_emergency_and_help_work_in_the_middle_of_a_step(
    chat_with: Callable[..., Chat], app: tuple[Dispatcher, Bot]
) -> None:
    dispatcher, bot = app
    chat = chat_with(user_id=5007, language_code=None)
    await chat.send("/start mother")
    [numbers] = await chat.send("/emergency")
    assert "☎️ 112" in numbers.text
    [help_reply] = await chat.send("/help")
    assert "/emergency" in help_reply.text
    context = dispatcher.fsm.get_context(bot, chat_id=5007, user_id=5007)
    assert await context.get_state() == "Onboarding:language"
    [cancelled] = await chat.send("/cancel")
    assert await context.get_state() is None
    assert cancelled.button_texts


@pytest.mark.parametrize(
    "action",
    ["sticker", "photo", "voice", "document", "long_text", "html", "unknown_command", "location"],
)
@pytest.mark.parametrize("locale", ["kk", "en"])
async def test_bad_input_gets_a_kind_reply_in_the_persons_language(
    chat_with: Callable[..., Chat], action: str, locale: str
) -> None:
    chat = chat_with(user_id=5100, language_code=locale)
    await chat.send("/start")
    user = chat.user
    updates = {
        "sticker": user.send_sticker,
        "photo": lambda: user.send_photo(caption="<b>мой</b> & фото"),
        "voice": user.send_voice,
        "document": user.send_document,
        "long_text": lambda: user.send("я" * 4096),
        "html": lambda: user.send("<script>alert(1)</script> & <b>"),
        "unknown_command": lambda: user.send("/whatever"),
        "location": lambda: user.send_location(43.24, 76.95),
    }
    replies = await chat.do(await updates[action]())
    assert len(replies) == 1
    text = replies[0].text
    assert text and ERROR[locale] not in text
    assert replies[0].button_texts  # never a dead end: the way on is one tap away
    if locale == "kk":
        assert set("әғқңөұүі") & set(text.lower())
    else:
        assert not re.search("[а-яё]", text.lower())


async def test_edited_message_is_answered(chat_with: Callable[..., Chat]) -> None:
    chat = chat_with(user_id=5101, language_code="en")
    await chat.send("/start")
    sent = await chat.user.send("I need a place")
    await chat.do(sent)
    [reply] = await chat.do(
        await chat.user.edit(sent["message"]["message_id"], "I need a place today")
    )
    assert "send it again" in reply.text


async def test_stale_or_forged_button_is_answered_with_the_menu(
    chat_with: Callable[..., Chat], client: EmulatorClient
) -> None:
    chat = chat_with(user_id=5102, language_code="ru")
    [menu] = await chat.send("/start")
    for forged in ("m:nosuchaction", "zz:1", "l:de"):
        [reply] = await chat.press_data(menu, forged)
        assert "Эта кнопка уже не работает" in reply.text
    answered = await client.calls("answerCallbackQuery")
    assert len(answered) == 3 and all(call.get("ok", True) for call in answered)


async def test_a_failing_handler_gets_an_apology_not_silence(
    chat_with: Callable[..., Chat], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = chat_with(user_id=5103, language_code="kk")
    [menu] = await chat.send("/start")

    def broken(*_args: object, **_kwargs: object) -> screens.Screen:
        raise RuntimeError("the directory went away")

    monkeypatch.setattr(screens, "about", broken)
    [apology] = await chat.press(menu, "ℹ️ Қор туралы")
    assert ERROR["kk"] in apology.text and "111" in apology.text


async def test_a_command_from_a_non_staff_member_of_the_staff_group_is_refused(
    chat_with: Callable[..., Chat], settings, resources: Resources
) -> None:
    """People in the staff group are not mothers: no menu for them, and no staff powers."""
    from storage.models import AuditEntry

    chat = chat_with(user_id=5104, language_code="ru")
    update = await chat.user.send("/queue", chat_id=settings.staff_chat_id)
    await chat.dispatcher.feed_raw_update(chat.bot, update)
    replies = [m for m in await chat.user.emu.messages(settings.staff_chat_id) if m.from_bot]
    assert len(replies) == 1 and "только сотрудники" in replies[0].text
    async with resources.sessionmaker() as session:
        entry = (await session.scalars(select(AuditEntry))).one()
    assert entry.actor_id == 5104 and entry.action == "denied_command"
    # Plain talk in the staff group from anyone is left alone.
    update = await chat.user.send("привет всем", chat_id=settings.staff_chat_id)
    await chat.dispatcher.feed_raw_update(chat.bot, update)
    assert len([m for m in await chat.user.emu.messages(settings.staff_chat_id) if m.from_bot]) == 1
