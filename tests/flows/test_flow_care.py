"""Care that tells the truth: what the bot says about her case holds in the database, and a
shared phone shows nothing revealing in the first two lines of anything she receives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from aiogram import Bot, Dispatcher

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import BotMessage, EmulatorClient
from bot.follow_ups.ticker import create_runner
from bot.i18n import create_core
from bot.services.follow_ups import FollowUpKind, schedule
from bot.workspace.applications import notify_applicant
from storage.models import Application, ApplicationStatus, utcnow
from storage.unit_of_work import UnitOfWork, in_flight
from tests.support.chat import Chat, cases, feed, with_button
from tests.support.constants import STAFF_CHAT
from tests.support.mother import KARAGANDA, LABELS, at_step, walk
from tests.support.staff import StaffMember

# The care review's words, on top of the mother's buttons (tests/support/mother.py).
CARE = {
    "ru": {
        "contact": "🤱 Свяжитесь со мной",
        "danger_words": "муж бьёт меня",
        "claim": "отметили",  # the old untrue "we have marked your request as urgent"
        "will_be": "придёт к ним как срочное",
        "in_flow": "придёт к сотрудникам как срочное",
        "raised": "отмечено у сотрудников как срочное",
        "yourself": "сами",
        "city": "Астана",
        "settings": "Настройки → Уведомления",
        "greeting": "🌸 Здравствуйте!\nНовое сообщение — ниже.",
    },
    "kk": {
        "contact": "🤱 Маған хабарласыңыз",
        "danger_words": "күйеуім ұрады",
        "claim": "белгіледік",
        "will_be": "оларға шұғыл болып жетеді",
        "in_flow": "қызметкерлерге шұғыл болып жетеді",
        "raised": "қызметкерлерде шұғыл деп белгіленді",
        "yourself": "өзіңіз бара",
        "city": "Астана",
        "settings": "Баптаулар → Хабарландырулар",
        "greeting": "🌸 Сәлеметсіз бе!\nЖаңа хабарлама — төменде.",
    },
    "en": {
        "contact": "🤱 Contact me",
        "danger_words": "my husband beats me",
        "claim": "have marked",
        "will_be": "reach them marked urgent",
        "in_flow": "reach our staff marked urgent",
        "raised": "is marked urgent for our staff",
        "yourself": "yourself",
        "city": "Astana",
        "settings": "Settings → Notifications",
        "greeting": "🌸 Hello!\nA new message is below.",
    },
}
W = {lang: LABELS[lang] | words for lang, words in CARE.items()}
LANGS = ["kk", "ru", "en"]

# Words that tell an onlooker what the chat is about, in the three languages.
REVEALING = (
    "ана үйі", "ана үй", "мать", "матер", "мама", "мамы", "mother", "foundation", "қор ", "қоры",
    "фонд", "кризис", "crisis", "urgent", "срочн", "шұғыл", "shelter", "баспана", "приют",
    "case", "request", "өтініш", "заявк", "обращен", "анкет", "сауалнама", "application",
    "staff", "сотрудник", "қызметкер", "danger", "опасн", "қауіп", "насили", "зорлық",
    "abuse", "ana uyi", "beat", "бьёт", "ұрады", "help", "помощ", "көмек", "112", "102", "111",
)  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
async def test_the_danger_button_promises_only_what_asking_for_contact_will_do(
    chat: Chat, resources: Resources, lang: str
) -> None:
    w = W[lang]
    *_, numbers, _place = await chat.tap(await at_step(chat, lang, "safety"), w["danger"])
    assert "112" in numbers.text
    # No request exists yet: the screen says what will happen, not that it happened.
    assert await cases(resources) == []
    assert w["claim"] not in numbers.text and w["will_be"] in numbers.text
    houses = await chat.do(await chat.user.send_location(*KARAGANDA))
    await walk(chat, lang, houses, "houses", "handed_off")
    [case] = await cases(resources)
    assert case.urgency == "urgent"  # the promise held


@pytest.mark.parametrize("lang", LANGS)
async def test_danger_words_with_no_case_offer_contact_and_it_makes_an_urgent_case(
    chat: Chat, resources: Resources, lang: str
) -> None:
    w = W[lang]
    await chat.send("/start")
    numbers, *_ = await chat.send(w["danger_words"])
    assert await cases(resources) == []
    assert w["claim"] not in numbers.text and w["will_be"] in numbers.text
    assert "112" in numbers.text and w["contact"] in numbers.button_texts
    kind = await chat.press(numbers, w["contact"])
    await walk(chat, lang, kind, "kind", "handed_off")
    [case] = await cases(resources)
    assert case.urgency == "urgent" and case.triage["danger_words"] is True


@pytest.mark.parametrize("lang", LANGS)
async def test_danger_words_mid_flow_say_the_request_will_be_urgent_and_it_is(
    chat: Chat, resources: Resources, lang: str
) -> None:
    w = W[lang]
    houses = await at_step(chat, lang, "houses")
    numbers, *_ = await chat.send(w["danger_words"])
    assert await cases(resources) == []
    assert w["claim"] not in numbers.text and w["in_flow"] in numbers.text
    assert w["contact"] not in numbers.button_texts  # her step's own buttons carry on
    await walk(chat, lang, houses, "houses", "handed_off")
    [case] = await cases(resources)
    assert case.urgency == "urgent"


@pytest.mark.parametrize("lang", LANGS)
async def test_danger_words_with_an_open_case_say_it_is_urgent_only_once_it_is(
    chat: Chat, client: EmulatorClient, resources: Resources, lang: str
) -> None:
    w = W[lang]
    await at_step(chat, lang, "handed_off")
    [case] = await cases(resources)
    assert case.urgency == "normal"
    numbers, *_ = await chat.send(w["danger_words"])
    [case] = await cases(resources)
    assert case.urgency == "urgent"
    assert w["raised"] in numbers.text and f"№ {case.id}" in numbers.text
    staff = [m.text or "" for m in await client.messages(STAFF_CHAT) if m.from_bot]
    assert any(f"№ {case.id}" in text and "срочн" in text.lower() for text in staff)


@pytest.mark.parametrize("lang", LANGS)
async def test_after_declining_she_gets_the_help_lines_and_the_houses_cities(
    chat: Chat, resources: Resources, lang: str
) -> None:
    w = W[lang]
    [declined] = await chat.tap(await at_step(chat, lang, "consent"), w["decline"])
    assert await cases(resources) == []
    assert "112" in declined.text and "111" in declined.text
    assert w["city"] in declined.text  # the cities she was shown, nothing more
    assert w["yourself"] not in declined.text  # no "go to a house yourself" without an address


def _first_lines(message: BotMessage) -> list[str]:
    text = message.text or message.raw.get("venue", {}).get("title") or ""
    return [line for line in text.split("\n") if line.strip()][:2]


def _revealing(message: BotMessage) -> list[str]:
    head = " ".join(_first_lines(message)).lower()
    return [word for word in REVEALING if word in head]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_shared_phone_shows_nothing_revealing_in_the_first_two_lines(
    chat: Chat,
    resources: Resources,
    app: tuple[Dispatcher, Bot],
    settings: Settings,
    admin: StaffMember,
    lang: str,
) -> None:
    w = W[lang]
    steps = await at_step(chat, lang, "way")
    way = with_button(steps, w["shared"])
    *_, howto = await chat.press(way, w["shared"])  # told once, plainly, how to hide the rest
    assert w["settings"] in howto.text and "/clear" in howto.text
    await walk(chat, lang, steps, "way", "handed_off")
    [case] = await cases(resources)
    # Her own messages: a text, a photo; the acknowledgements come back.
    await chat.send("я у подруги")
    await chat.do(await chat.user.send_photo(caption="справка"))
    # Danger words: the numbers (tap-to-call entities still on the numbers).
    danger, *_ = await chat.send(w["danger_words"])
    for entity in danger.raw.get("entities", []):
        if entity["type"] == "phone_number":
            utf16 = danger.text.encode("utf-16-le")
            start, end = entity["offset"] * 2, (entity["offset"] + entity["length"]) * 2
            assert utf16[start:end].decode("utf-16-le") in ("112", "102", "111")
    # The staff answer in the case's topic: a text, a photo with a caption, a voice note.
    await admin.write("Завтра в 10 приедем", thread_id=case.thread_id)
    topic = {"chat_id": STAFF_CHAT, "thread_id": case.thread_id}
    await feed(app, await admin.user.send_photo(caption="Ана үйі, адрес на фото", **topic))
    await feed(app, await admin.user.send_voice(**topic))
    # Follow-ups: the check-in, a draft reminder; and news of an application's status.
    dispatcher, bot = app
    runner = create_runner(bot, dispatcher, resources, settings)
    await runner.tick(case.created_at + timedelta(hours=25))
    check_in = (await chat.user.bot_messages())[-1]
    await chat.press(check_in, check_in.button_texts[1])  # "not yet": the thanks replace it
    training = utcnow() + timedelta(days=2)
    async with resources.sessionmaker() as session:
        application = Application(user_id=chat.user.user_id, answers={}, training_at=training)
        session.add(application)
        await session.flush()
        for kind, payload in (
            (FollowUpKind.DRAFT_REMINDER, {}),
            (FollowUpKind.TRAINING_REMINDER, {"at": training.isoformat()}),
        ):
            await schedule(
                session,
                kind=kind,
                due_at=utcnow(),
                unique_key=f"{kind}:{application.id}",
                target_chat_id=chat.user.user_id,
                payload={"application_id": application.id, **payload},
            )
        await session.commit()
    await runner.tick(utcnow() + timedelta(seconds=1))
    core = create_core()
    await core.startup()
    async with resources.sessionmaker() as session:
        application = await session.get(Application, application.id)
        assert application is not None
        application.status = ApplicationStatus.SUBMITTED
        with in_flight.open(UnitOfWork(session)):  # as a staff button's handler runs it
            assert await notify_applicant(bot, session, application, core)
        await session.commit()

    received = [m for m in await chat.user.bot_messages() if m.message_id >= way.message_id]
    texts = [m.text or "" for m in received]
    kinds = {m.kind for m in received}
    assert {"text", "photo", "voice"} <= kinds
    [reply] = [t for t in texts if "Завтра в 10" in t]  # the staff's text reached her
    assert "Ана үйі" not in reply  # without the "foundation:" header
    assert sum("№" in t for t in texts) >= 3  # handoff, raised, check-in, status news...
    shown = training.astimezone(settings.tz).strftime("%d.%m.%Y")
    assert any(shown in t for t in texts)  # the training reminder reached her
    # Edits too: the steps edited in place, and the check-in replaced by its thanks.
    assert any(m.message_id == check_in.message_id and m.edits for m in received)
    for message in received:
        if message.kind == "voice" and not message.text:
            continue  # a voice note without a caption shows no text
        assert "\n".join(_first_lines(message)) == w["greeting"], message.text
        assert _revealing(message) == [], message.text


async def test_without_a_shared_phone_messages_start_as_before(
    chat_with: Callable[..., Chat], resources: Resources
) -> None:
    chat = chat_with(user_id=7361, language_code="ru")
    await at_step(chat, "ru", "handed_off")
    last = (await chat.user.bot_messages())[-1]
    assert last.text is not None and last.text.startswith("✅ Ваше обращение №")
