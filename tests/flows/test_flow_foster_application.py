"""The foster family application end to end: steps, draft, review, submit, status news."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import Resources
from bot.emulator.client import EmulatorClient
from bot.follow_ups.ticker import create_runner
from storage.models import Application, FollowUp
from tests.support.chat import Chat, with_button
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.foster import (
    WORDS,
    ApplicantWithCard,
    apply_button,
    fill_application,
    submit_application,
)
from tests.support.staff import StaffMember, Workspace


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_application_from_start_to_every_status_change(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, app, lang: str
) -> None:
    w = WORDS[lang]
    chat = chat_with(user_id=9500 + len(lang) + ord(lang[1]), language_code=lang)
    review = (await fill_application(chat, lang))[-1]
    assert "Айгерим Серикова" in review.text and "&lt;b&gt;" not in review.text
    done = await chat.press(review, w["submit"])
    assert w["sent"] in done[-1].text
    async with resources.sessionmaker() as session:
        application = (await session.scalars(select(Application))).one()
    assert application.status == "submitted" and application.answers["phone"] == "+77012345678"
    [card] = [m for m in await client.messages(STAFF_CHAT) if m.from_bot]
    assert f"№ {application.id}" in card.text and "&lt;b&gt;дома&lt;/b&gt;" in card.html
    dispatcher, bot = app
    admin = client.user(ADMIN, "Айгерим", language_code="ru")
    for label in (
        "📞 Связались",
        "📄 Документы",
        "🎓 Обучение",
        "🏠 Посещение дома",
        "✅ Одобрено",
    ):
        card = await client.message(STAFF_CHAT, card.message_id)
        await dispatcher.feed_raw_update(
            bot, await admin.press(card, text=label, chat_id=STAFF_CHAT)
        )
        news = (await chat.user.bot_messages())[-1]
        assert w["news"] in news.text  # every change reaches her, in her language
    news_count = sum(w["news"] in (m.text or "") for m in await chat.user.bot_messages())
    assert news_count == 5
    async with resources.sessionmaker() as session:
        assert (await session.get(Application, application.id)).status == "approved"


async def test_documents_checklist_and_withdraw(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, app
) -> None:
    chat = chat_with(user_id=9601, language_code="ru")
    review = (await fill_application(chat, "ru", married=False))[-1]
    assert "Согласие супруга" not in review.text  # no spouse question for a single applicant
    await chat.press(review, "📨 Отправить анкету")
    dispatcher, bot = app
    admin = client.user(ADMIN, "Айгерим", language_code="ru")
    [card] = [m for m in await client.messages(STAFF_CHAT) if m.from_bot]
    await dispatcher.feed_raw_update(
        bot, await admin.press(card, text="📄 Документы", chat_id=STAFF_CHAT)
    )
    checklist = (await chat.user.bot_messages())[-1]
    first_item = checklist.button_texts[0]
    assert first_item.startswith("⬜")
    [ticked] = await chat.press(checklist, first_item)
    assert ticked.button_texts[0].startswith("✅") and "1 из" in ticked.text
    [status] = await chat.send("/status")
    assert "Анкета №" in status.text
    [confirm] = (
        await chat.press(status, "Отозвать анкету")
        if "Отозвать анкету" in status.button_texts
        else [None]
    )
    if confirm is None:  # at the documents stage the checklist is shown instead
        return
    [withdrawn] = await chat.press(confirm, "Да, отозвать")
    assert "отозвана" in withdrawn.text


async def test_draft_is_resumed_from_start_and_after_the_reminder(
    chat_with: Callable[..., Chat], resources: Resources, app, settings
) -> None:
    chat = chat_with(user_id=9602, language_code="ru")
    await apply_button(chat, "ru")
    await chat.send("Айгерим Серикова")
    await chat.send("1985-03-12")
    replies = await chat.send("/start")
    offer = with_button(replies, "▶️ Продолжить")
    assert "шаг 3 из" in offer.text
    [step] = await chat.press(offer, "▶️ Продолжить")
    assert "Шаг 3 из" in step.text and "город" in step.text
    async with resources.sessionmaker() as session:
        draft = (await session.scalars(select(Application))).one()
    dispatcher, bot = app
    runner = create_runner(bot, dispatcher, resources, settings)
    assert await runner.tick(draft.created_at + timedelta(days=1)) == 0
    await runner.tick(draft.created_at + timedelta(days=2, minutes=1))
    reminder = (await chat.user.bot_messages())[-1]
    assert "ждёт там, где вы остановились" in reminder.text
    [resume] = await chat.press(reminder, "▶️ Продолжить")
    assert "незаконченная анкета" in resume.text or "Шаг 3 из" in resume.text


async def test_double_submit_makes_one_application(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    chat = chat_with(user_id=9603, language_code="en")
    review = (await fill_application(chat, "en"))[-1]
    data = review.button_data("📨 Send the application")
    first = await chat.user.press(review, data=data)
    second = await chat.user.press(review, data=data, forge=True)
    await chat.do(first)
    [again] = await chat.do(second)
    assert "already been sent" in again.text
    async with resources.sessionmaker() as session:
        assert len((await session.scalars(select(Application))).all()) == 1
    assert len([m for m in await client.messages(STAFF_CHAT) if m.from_bot]) == 1


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("12.03.2030", "in the future"),
        ("yesterday", "couldn't read that date"),
        ("12 March 2015", "applicants must be adults"),
        ("12.03.88", "Step 3 of"),
        ("12 марта 1988", "Step 3 of"),
    ],
)
async def test_birth_date_in_any_format_and_age_rules(
    chat_with: Callable[..., Chat], typed: str, reply: str
) -> None:
    chat = chat_with(user_id=9604, language_code="en")
    await apply_button(chat, "en")
    await chat.send("Aigerim Serikova")
    replies = await chat.send(typed)
    assert any(reply in (m.text or "") for m in replies)


async def test_bad_input_back_and_edit_keep_the_place(chat_with: Callable[..., Chat]) -> None:
    chat = chat_with(user_id=9605, language_code="en")
    [first] = await apply_button(chat, "en")
    assert "⬅️ Back" not in first.button_texts  # nothing before the first step
    [sticker, again] = await chat.do(await chat.user.send_sticker())
    assert "short message" in sticker.text and "Step 1 of" in again.text
    [short] = await chat.send("A")
    assert "at least 2" in short.text
    await chat.send("Aigerim Serikova")
    [date_step] = await chat.send("1985-03-12")
    [back] = await chat.press(date_step, "⬅️ Back")
    assert "date of birth" in back.text
    review = (await fill_application(chat_with(user_id=9606, language_code="en"), "en"))[-1]
    chat = chat_with(user_id=9606, language_code="en")
    [edit] = await chat.press(review, "✏️ Why")
    [too_long] = await chat.send("x" * 5000)
    assert "under 1,000" in too_long.text
    [empty] = await chat.send(" ")
    assert "at least 10" in empty.text
    [review_again] = await chat.send("Because every child needs a home.")
    assert "Because every child needs a home." in review_again.text
    assert "📨 Send the application" in review_again.button_texts
    assert edit is not None


async def test_training_date_is_told_and_reminded_the_day_before(
    chat_with: Callable[..., Chat], resources: Resources, app, settings, admin: StaffMember
) -> None:
    chat = chat_with(user_id=9607, language_code="kk")
    await submit_application(chat, "kk")
    dispatcher, bot = app
    assert "/training 12 26.12 10:00" in (await admin.in_private("/training 1 завтра"))[-1].text
    await admin.in_private("/training 1 31.12.2030 10:00")
    assert "31.12.2030 10:00" in (await chat.user.bot_messages())[-1].text  # she is told
    async with resources.sessionmaker() as session:
        training_at = (await session.scalars(select(Application))).one().training_at
    runner = create_runner(bot, dispatcher, resources, settings)
    await runner.tick(training_at - timedelta(days=2))
    assert "Еске саламыз" not in (await chat.user.bot_messages())[-1].text
    await runner.tick(training_at - timedelta(hours=23))
    assert "Еске саламыз" in (await chat.user.bot_messages())[-1].text


async def test_applicant_and_staff_talk_through_the_application_card(
    applicant_with_card: ApplicantWithCard, client: EmulatorClient, admin: StaffMember
) -> None:
    chat, card = await applicant_with_card(9608)
    [ack] = await chat.send("Можно приехать в субботу?")
    assert "Передано сотрудникам" in ack.text
    relayed = [m for m in await client.messages(STAFF_CHAT) if m.reply_to == card.message_id]
    assert relayed[-1].text == "Можно приехать в субботу?"
    await admin.write("Да, ждём вас в 11:00.", reply_to=relayed[-1].message_id)
    reply = (await chat.user.bot_messages())[-1]
    assert "Фонд «Ана үйі»" in reply.text and "ждём вас в 11:00" in reply.text


async def test_application_card_keeps_staff_notes_and_reminds(
    applicant_with_card: ApplicantWithCard, workspace: Workspace, app, settings
) -> None:
    from datetime import datetime

    chat, card = await applicant_with_card(9609)
    dispatcher, bot = app
    admin = await workspace.admin.open_private()
    before = len(await chat.user.bot_messages())
    await admin.write("!позвонить после обеда", reply_to=card.message_id)
    assert len(await chat.user.bot_messages()) == before  # a note never reaches her
    assert "Заметка сохранена" in (await workspace.client.messages(STAFF_CHAT))[-1].text
    await admin.press(card, "Завтра в 10:00")
    runner = create_runner(bot, dispatcher, workspace.resources, settings)
    await runner.tick(datetime.now(settings.tz) + timedelta(days=2))
    reminded = await admin.user.bot_messages()
    assert any("анкета приёмной семьи №" in (m.text or "") for m in reminded)


async def test_the_same_status_pressed_twice_tells_her_once(
    applicant_with_card: ApplicantWithCard, workspace: Workspace
) -> None:
    chat, card = await applicant_with_card(9603)
    contacted = card.button_data("📞 Связались")
    for _ in range(2):  # a double tap, or two staff members on two copies of the card
        await workspace.admin.press(card, data=contacted, forge=True)
    news = [m for m in await chat.user.bot_messages() if WORDS["ru"]["news"] in (m.text or "")]
    assert len(news) == 1
    assert "Этот статус уже стоит — кандидату мы уже написали." in await workspace.answers()


async def test_an_applicant_message_telegram_wont_copy_is_told_not_retried_forever(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, emulator
) -> None:
    chat = chat_with(user_id=9604, language_code="ru")
    await submit_application(chat, "ru")
    sent = await chat.user.send("Вот справка о доходах")
    # Deleted before the bot got to it (a backlog after a restart): Telegram answers 400.
    emulator.bot().chats[9604].messages[sent["message"]["message_id"]].deleted = True
    [answer] = await chat.do(sent)
    assert "не получилось передать" in answer.text
    async with resources.sessionmaker() as session:
        relays = list(await session.scalars(select(FollowUp).where(FollowUp.kind == "relay")))
    assert relays == []  # nothing left to fail again and again
    notes = [m for m in await client.messages(STAFF_CHAT) if m.from_bot]
    assert "не дал скопировать" in notes[-1].text and "Анкета №" in notes[-1].text


# Each form's own training (family_forms.md), as the status news and /training name it.
TRAINING_NEWS = {
    ("kk", "Кәсіби қабылдаушы отбасы"): ("Психологиялық дайындық", "Психологиялық дайындығыңыз"),
    ("ru", "Гостевая семья"): ("Обучение для гостевых семей", "обучение для гостевых семей"),
    ("ru", "Приёмная семья"): ("школе приёмных родителей", "школе приёмных родителей"),
    ("en", "Professional foster family"): ("psychological training", "psychological training"),
}
AUTHORITY = {
    "kk": "Қорғаншылық және қамқоршылық органы",
    "ru": "Орган опеки и попечительства",
    "en": "guardianship authority",
}
OTHER_TRAINING = {"kk": "ата-аналар мектеб", "ru": "школ", "en": "school for foster parents"}


@pytest.mark.parametrize(("lang", "form"), list(TRAINING_NEWS))
async def test_status_news_names_the_forms_training_and_says_the_authority_decides(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    app,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    form: str,
) -> None:
    status_words, told_words = TRAINING_NEWS[(lang, form)]
    monkeypatch.setitem(WORDS[lang], "form", form)
    chat = chat_with(user_id=9700 + len(form) + ord(lang[0]), language_code=lang)
    review = (await fill_application(chat, lang))[-1]
    await chat.press(review, WORDS[lang]["submit"])
    dispatcher, bot = app
    admin = client.user(ADMIN, "Айгерим", language_code="ru")
    [card] = [m for m in await client.messages(STAFF_CHAT) if m.from_bot]
    await dispatcher.feed_raw_update(
        bot, await admin.press(card, text="🎓 Обучение", chat_id=STAFF_CHAT)
    )
    news = (await chat.user.bot_messages())[-1].text
    assert status_words in news
    if form != "Приёмная семья":  # the foster-parents' school belongs to the foster family only
        assert OTHER_TRAINING[lang] not in news
    await dispatcher.feed_raw_update(bot, await admin.send("/training 1 31.12.2030 10:00"))
    told = (await chat.user.bot_messages())[-1].text
    assert "31.12.2030 10:00" in told and told_words in told
    card = await client.message(STAFF_CHAT, card.message_id)
    await dispatcher.feed_raw_update(
        bot, await admin.press(card, text="✅ Одобрено", chat_id=STAFF_CHAT)
    )
    approved = (await chat.user.bot_messages())[-1].text
    assert AUTHORITY[lang] in approved  # the authority decides, not the foundation
