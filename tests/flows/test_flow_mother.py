"""The mother's flow through the real dispatcher: safety, houses, consent, handoff, after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import Resources
from bot.emulator.client import BotMessage, EmulatorClient
from storage.models import Case, ChatMessage, MessageLink, User
from tests.support.chat import Chat, cases, staff_posts, with_button
from tests.support.mother import (
    KARAGANDA,
    LABELS,
    MotherAt,
    MotherWithCase,
    at_the_note,
    handed_off,
    reach_houses,
    walk,
)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_from_start_to_a_handed_off_case_in_few_taps(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, lang: str
) -> None:
    words = LABELS[lang]
    chat = chat_with(user_id=7000 + len(lang) + ord(lang[0]), language_code=lang)
    houses, taps = await reach_houses(chat, lang)
    assert taps.count <= 3
    listing = next(m for m in houses if words["houses"] in (m.text or ""))
    assert "Astana" in listing.text or "Астана" in listing.text  # ~190 km from Karaganda
    assert "km" in listing.text or "км" in listing.text
    assert "📞" not in listing.text  # the shipped houses are unverified: no phone is shown

    taps.count = 0
    steps = await taps.press(houses, words["baby"])
    steps = await taps.press(steps, words["agree"])
    steps = await taps.do(await chat.user.send_contact("+7 701 234 56 78"))
    steps = await taps.press(steps, words["call"])
    steps = await taps.press(steps, words["any"])
    done = await taps.press(steps, words["no_note"])
    assert taps.count <= 6
    [case] = await cases(resources)
    assert words["handed"] in done[-1].text and f"№ {case.id}" in done[-1].text
    assert case.phone == "+77012345678" and case.kind == "baby" and case.urgency == "normal"
    assert case.region == "astana" or case.shelter_id == "astana-1"
    assert case.language == lang and case.consent_at is not None
    [card] = await staff_posts(client)
    assert f"№ {case.id}" in card.text and "+77012345678" in card.text
    assert case.card_message_id == card.message_id


async def test_danger_shows_the_numbers_first_and_makes_the_case_urgent(
    mother_at: MotherAt, client: EmulatorClient, resources: Resources
) -> None:
    words = LABELS["ru"]
    chat, safety = await mother_at(7101, "ru", "safety")
    *_, numbers, place = await chat.tap(safety, words["danger"])
    for number in ("112", "102", "111"):
        assert number in numbers.text
    phone_entities = [e for e in numbers.raw.get("entities", []) if e["type"] == "phone_number"]
    assert len(phone_entities) == 3  # tap-to-call
    assert numbers.text.index("112") < numbers.text.index("111")
    assert words["regions"] in place.button_texts
    houses = await chat.do(await chat.user.send_location(*KARAGANDA))
    phone = await walk(chat, "ru", houses, "houses", "phone")
    await walk(chat, "ru", phone + await chat.send("87012345678"), "way", "note")
    await chat.send("Муж выгнал из дома, <b>срочно</b> & с ребёнком")
    [case] = await cases(resources)
    assert case.urgency == "urgent"
    [card] = await staff_posts(client)
    assert "СРОЧНО" in card.text
    assert "&lt;b&gt;срочно&lt;/b&gt; &amp;" in card.html  # her text is escaped for HTML


async def test_no_consent_sends_nothing_to_staff(
    mother_at: MotherAt, client: EmulatorClient, resources: Resources
) -> None:
    words = LABELS["kk"]
    chat, consent = await mother_at(7102, "kk", "consent")
    [declined] = await chat.tap(consent, words["decline"])
    assert "111" in declined.text and "🆘 Шұғыл көмек нөмірлері" in declined.button_texts
    assert await staff_posts(client) == []
    assert await cases(resources) == []
    # She can change her mind and go on from the consent.
    [consent_again] = await chat.press(declined, "↩️ Ойым өзгерді")
    assert words["agree"] in consent_again.button_texts


async def test_region_list_typed_city_and_abroad(mother_at: MotherAt) -> None:
    chat, _ = await mother_at(7103, "en", "place")
    [regions] = await chat.send(LABELS["en"]["regions"])
    assert len(regions.button_texts) == 21  # 20 regions and the emergency button
    houses = await chat.press(regions, "Pavlodar Region")
    assert "Pavlodar" in houses[0].text
    typed = await chat.send("Qaraghandy")
    assert "Karaganda" in typed[0].text and "Astana" in typed[0].text
    [unknown] = await chat.send("asdfgh <b>")
    assert "“asdfgh &lt;b&gt;”" in unknown.html and len(unknown.button_texts) == 21
    abroad = await chat.do(await chat.user.send_location(55.75, 37.62))  # Moscow
    assert "outside Kazakhstan" in abroad[0].text
    assert len(abroad[-1].button_texts) == 21  # the region list is offered


@pytest.mark.parametrize("typed", ["12345", "+7 495 123 45 67", "<b>8 701</b>"])
async def test_wrong_phone_gets_a_clear_retry_and_keeps_the_step(
    mother_at: MotherAt, typed: str
) -> None:
    chat, _ = await mother_at(7104, "en", "phone")
    [retry] = await chat.send(typed)
    assert "doesn't look like a Kazakhstan number" in retry.text
    [not_own] = await chat.do(await chat.user.send_contact("+77015550000", own=False, user_id=1))
    assert "someone else's contact" in not_own.text
    [sticker] = await chat.do(await chat.user.send_sticker())
    assert "Share my number" in sticker.text
    saved = await chat.send("8 (701) 234-56-78")
    assert "+77012345678" in saved[0].text


async def test_double_tap_and_retried_update_make_one_case(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    words = LABELS["ru"]
    chat = chat_with(user_id=7105, language_code="ru")
    note_step = await at_the_note(chat)
    button = with_button(note_step, words["no_note"])
    first = await chat.user.press(button, text=words["no_note"])
    second = await chat.user.press(button, text=words["no_note"])
    await chat.do(first)
    await chat.do(second)
    await chat.do(first)  # the same update delivered again
    assert len(await cases(resources)) == 1
    assert len(await staff_posts(client)) == 1


async def test_after_handoff_her_messages_reach_the_staff(
    mother_with_case: MotherWithCase, client: EmulatorClient, resources: Resources
) -> None:
    chat, case = await mother_with_case(7106)
    assert case.note == "Нужна коляска и памперсы"
    user = chat.user
    for sent in (
        await user.send("Я у вокзала"),
        await user.send_photo(caption="справка"),
        await user.send_voice(),
        await user.send_location(49.8, 73.1),
    ):
        [ack] = await chat.do(sent)
        assert "Передано сотрудникам" in ack.text
    relayed = [
        m
        for m in await staff_posts(client)
        if m.thread_id == case.thread_id and m.message_id != case.card_message_id
    ]
    assert [m.kind for m in relayed] == ["text", "photo", "voice", "location"]
    async with resources.sessionmaker() as session:
        kept = await session.scalar(select(func.count()).select_from(MessageLink))
    assert kept == 4
    # Danger words later raise the case and tell its staff.
    await chat.send("он меня избил")
    [case] = await cases(resources)
    assert case.urgency == "urgent"
    assert any("стало срочным" in (m.text or "") for m in await staff_posts(client))


async def test_shared_phone_makes_messages_neutral_and_the_chat_can_be_cleared(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    chat = chat_with(user_id=7107, language_code="ru")
    done = await handed_off(chat, shared=True)
    # The lock screen shows the first lines: two neutral ones.
    assert done[-1].text.startswith("🌸 Здравствуйте!\nНовое сообщение — ниже.\n\n")
    [card] = await staff_posts(client)
    assert "Общий телефон" in card.text
    # Messages of the flow are now past Telegram's 48 hours: the bot must not claim them.
    old = [m.message_id for m in await client.messages(chat.user.chat_id)]
    async with resources.sessionmaker() as session:
        for row in await session.scalars(select(ChatMessage)):
            row.sent_at -= timedelta(hours=49)
        await session.commit()
    [confirm] = await chat.send("/clear")
    assert confirm.text.startswith("🌸")
    [report] = await chat.press(confirm, "🗑 Да, удалить")
    assert "удалено сообщений — 2" in report.text  # /clear and its question
    assert f"({len(old)})" in report.text and "бот удалить не может" in report.text
    after = {m.message_id: m.deleted for m in await client.messages(chat.user.chat_id)}
    assert not any(after[message_id] for message_id in old)
    assert after[confirm.message_id] and not after[report.message_id]


async def test_clear_deletes_recent_messages(
    chat_with: Callable[..., Chat], client: EmulatorClient
) -> None:
    chat = chat_with(user_id=7108, language_code="en")
    await chat.send("/start")
    await chat.send("hello")
    [confirm] = await chat.send("/clear")
    [report] = await chat.press(confirm, "🗑 Yes, delete")
    assert "messages deleted" in report.text and "can't be deleted" not in report.text
    remaining = [m for m in await client.messages(chat.user.chat_id) if not m.deleted]
    assert [m.message_id for m in remaining] == [report.message_id]


async def test_mydata_and_forget(
    mother_with_case: MotherWithCase, client: EmulatorClient, resources: Resources
) -> None:
    chat, _case = await mother_with_case(7109)
    [data] = await chat.send("/mydata")
    assert "+77012345678" in data.text and "Нужна коляска" in data.text
    [confirm] = await chat.send("/forget")
    [done] = await chat.press(confirm, "🗑 Да, удалить всё")
    assert "Удалено" in done.text
    async with resources.sessionmaker() as session:
        assert await session.get(User, 7109) is None
        case = (await session.scalars(select(Case))).one()
        assert case.user_id is None and case.phone is None and case.note is None
        assert case.kind == "baby"  # the anonymous count stays
        assert await session.scalar(select(func.count()).select_from(MessageLink)) == 0
    assert any("удалила свои данные" in (m.text or "") for m in await staff_posts(client))


@pytest.mark.parametrize(
    "action", ["sticker", "photo", "voice", "location", "long_text", "html", "emoji"]
)
async def test_bad_input_at_a_tap_step_keeps_her_place(mother_at: MotherAt, action: str) -> None:
    chat, _ = await mother_at(7110, "kk", "consent")
    user = chat.user
    update = {
        "sticker": user.send_sticker,
        "photo": user.send_photo,
        "voice": user.send_voice,
        "location": lambda: user.send_location(43.2, 76.9),
        "long_text": lambda: user.send("ж" * 4096),
        "html": lambda: user.send("<i>сәлем</i> & <"),
        "emoji": lambda: user.send("🙏🙏🙏"),
    }[action]
    replies = await chat.do(await update())
    assert replies and LABELS["kk"]["agree"] in replies[-1].button_texts  # the consent again


async def test_language_switch_mid_flow_shows_the_same_step(
    mother_at: MotherAt, resources: Resources
) -> None:
    chat, _ = await mother_at(7111, "ru", "phone")
    [picker] = await chat.send("/language")
    replies = await chat.press(picker, "🇰🇿 Қазақша")
    assert "Нөмірімді жіберу" in replies[-1].text  # the phone step, now in Kazakh
    saved = await chat.send("+7 701 234 56 78")
    assert "Нөмір сақталды" in saved[0].text


async def test_a_house_with_its_own_staff_group_gets_the_card(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, app
) -> None:
    from bot.services.directory import load_directory
    from tests.support.constants import ROOT

    dispatcher, _bot = app
    directory = load_directory(ROOT / "tests" / "data" / "shelters_verified.yaml")
    dispatcher["directory"] = directory
    await client.create_group(-1001234567890, "Karaganda house", is_forum=False)
    chat = chat_with(user_id=7112, language_code="ru")
    houses, _ = await reach_houses(chat, "ru")
    listing = next(m for m in houses if "Тестовый дом" in (m.text or ""))
    assert "📞 +77212412345" in listing.text and "ул. Тестовая, 1" in listing.text
    assert any(m.kind == "venue" for m in houses)  # a map pin for a public address
    await walk(chat, "ru", houses, "houses", "handed_off")  # a baby, ..., no note
    house_cards = [
        m for m in await client.messages(-1001234567890) if m.from_bot and m.kind != "service"
    ]
    assert len(house_cards) == 1 and "Тестовый дом" in house_cards[0].text
    assert await staff_posts(client) == []


BAD_INPUTS = ("sticker", "photo", "voice", "long_text", "html", "emoji", "empty_contact")


async def _bad(chat: Chat, kind: str) -> list[BotMessage]:
    user = chat.user
    make = {
        "sticker": user.send_sticker,
        "photo": user.send_photo,
        "voice": user.send_voice,
        "long_text": lambda: user.send("ә" * 4096),
        "html": lambda: user.send("<script>x</script> & </b>"),
        "emoji": lambda: user.send("😢"),
        "empty_contact": lambda: user.send_contact("", own=True),
    }[kind]
    return await chat.do(await make())


@pytest.mark.parametrize("step", ["safety", "place", "consent", "phone", "way", "time"])
async def test_every_step_answers_bad_input_kindly_and_keeps_her_place(
    mother_at: MotherAt, app, step: str
) -> None:
    """Each kind of bad input at each step: a reply in Kazakh, never an error, same step."""
    dispatcher, bot = app
    chat, _ = await mother_at(7200, "kk", step)
    context = dispatcher.fsm.get_context(bot, chat_id=7200, user_id=7200)
    expected_state = await context.get_state()
    assert expected_state == f"Mother:{step}"
    for kind in BAD_INPUTS:
        if step == "place" and kind in ("long_text", "html", "emoji"):
            continue  # typed text is a place name there: covered by the place tests
        replies = await _bad(chat, kind)
        assert replies, f"{step}/{kind}: silence"
        text = " ".join(m.text or "" for m in replies)
        assert "қате" not in text, f"{step}/{kind}: an error reply"
        assert set("әғқңөұүі") & set(text.lower()), f"{step}/{kind}: not in Kazakh"
        assert await context.get_state() == expected_state, f"{step}/{kind}: lost her place"
        if step in ("safety", "consent", "way", "time"):  # a tap is expected: she is told so
            assert "Батырмалардың бірін таңдаңызшы" in text, f"{step}/{kind}: no hint"


async def test_nearest_house_on_a_country_wide_directory() -> None:
    """Houses in all 20 region centres: the nearest is right across the whole country.

    Distances were computed by hand with the spherical law of cosines (R = 6371 km), a
    different formula from the haversine the code uses.
    """
    from bot.services.directory import Directory, LocalizedText, Shelter, load_regions

    regions = load_regions()
    shelters = [
        Shelter(
            id=f"{region.code}-1".replace("_", "-"),
            name=region.name,
            region=region.code,
            city=region.centre,
            lat=region.lat,
            lon=region.lon,
            accepts=["pregnant"],
        )
        for region in regions
    ]
    directory = Directory(regions, shelters)
    cases = [
        # (point, expected nearest region, km by hand, second nearest)
        ((47.10, 51.90), "atyrau", 1.8, "mangystau"),  # Atyrau airport
        ((43.35, 52.86), "mangystau", 140.1, "atyrau"),  # Zhanaozen
        ((52.97, 63.12), "kostanay", 44.2, "akmola"),  # Rudny
        ((51.72, 75.32), "pavlodar", 129.2, "karaganda"),  # Ekibastuz
        ((45.80, 80.60), "zhetysu", 194.4, "almaty_region"),  # near Lake Alakol
        ((44.85, 65.50), "kyzylorda", 1.4, "turkistan"),
    ]
    for (lat, lon), nearest, km, second in cases:
        found = directory.nearest(lat, lon, limit=2)
        assert found[0][0].region == nearest
        assert found[0][1] == pytest.approx(km, rel=0.02, abs=1.0)
        assert found[1][0].region == second
    assert LocalizedText  # the models used above are the public ones


async def test_start_mid_flow_begins_afresh_and_the_open_case_still_relays(
    mother_with_case: MotherWithCase, client: EmulatorClient, resources: Resources
) -> None:
    chat, _case = await mother_with_case(7201)
    [menu] = await chat.send("/start")
    assert "🤱 Мне нужна помощь" in menu.button_texts
    [ack] = await chat.send("Когда мне позвонят?")
    assert "Передано сотрудникам" in ack.text
    [case] = await cases(resources)
    relayed = [m for m in await staff_posts(client) if m.thread_id == case.thread_id]
    assert relayed[-1].text == "Когда мне позвонят?"


async def test_after_handoff_a_message_telegram_cannot_copy_gets_the_menu_not_a_relay(
    mother_with_case: MotherWithCase, client: EmulatorClient, resources: Resources, emulator
) -> None:
    chat, _case = await mother_with_case(7107)
    # A kind of message newer than the bot (or a service message): Telegram refuses to copy it.
    state = emulator.bot()
    sender = emulator.users[7107]
    odd = emulator.store_message(
        state, state.chats[7107], from_bot=False, sender=sender, kind="other", content={}
    )
    [answer] = await chat.do(state.enqueue({"message": odd.data}))
    assert "выбрать кнопку" in answer.text
    assert await client.calls("copyMessage") == []
    async with resources.sessionmaker() as session:
        kept = await session.scalar(select(func.count()).select_from(MessageLink))
    assert kept == 0  # nothing queued to be relayed again and again


async def test_a_late_tap_on_an_answered_safety_question_is_no_error(
    mother_at: MotherAt, client: EmulatorClient
) -> None:
    words = LABELS["ru"]
    chat, asked = await mother_at(7108, "ru", "safety")
    safety = with_button(asked, words["safe"])
    data = safety.button_data(words["safe"])
    await chat.press(safety, words["safe"])  # its buttons are gone now
    await chat.send("/start mother")  # the safety question again
    # A tap on the old question (a slow network delivers it late): the same answer, no error.
    again = await chat.press_data(safety, data)
    assert again and not any("пошло не так" in (m.text or "") for m in again)
    refused = [c for c in await client.calls() if not c["ok"]]
    assert all("not modified" in c["description"] for c in refused)


HOUSES_SCREEN_LIMIT = 450  # three houses on one phone screen
SHARED_LINES = {
    "ru": ("Эти дома принимают: мам с новорождёнными", "Контакты этих домов мы не публикуем"),
    "kk": ("Бұл үйлер қабылдайды:", "Бұл үйлердің байланыс деректерін жарияламаймыз"),
    "en": ("These houses accept: mothers with newborns", "We don't publish these houses' contacts"),
}
PER_HOUSE_LINES = {
    "ru": ("Принимает:", "Контакты этого дома"),
    "kk": ("\nҚабылдайды:", "Бұл үйдің байланыс"),
    "en": ("Accepts:", "this house's contacts"),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_houses_list_says_shared_lines_once_and_fits_a_screen(
    chat_with: Callable[..., Chat], lang: str
) -> None:
    chat = chat_with(user_id=7400 + ord(lang[0]), language_code=lang)
    houses, _ = await reach_houses(chat, lang)
    listing = next(m for m in houses if LABELS[lang]["houses"] in (m.text or ""))
    assert listing.text.count("🏠") == 3
    assert len(listing.text) <= HOUSES_SCREEN_LIMIT, len(listing.text)
    for line in SHARED_LINES[lang]:
        assert listing.text.count(line) == 1, line
    for line in PER_HOUSE_LINES[lang]:
        assert line not in listing.text, line
    # The shipped houses say only what the sources say: mothers with a newborn.
    assert "беремен" not in listing.text and "pregnant" not in listing.text
    assert "жүкті" not in listing.text
