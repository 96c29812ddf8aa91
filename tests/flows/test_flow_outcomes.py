"""A closed case's outcome through the real dispatcher: picked in two taps on the card, a house
as the next tap, corrected and audited, in a forum and a plain group; "not known yet" asked
again through a follow-up row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Resources
from bot.emulator.client import EmulatorClient, UserClient
from bot.follow_ups.ticker import create_runner
from bot.ui.callbacks import OutcomeCb, OutcomeCode
from storage.models import AuditEntry, FollowUp
from tests.support.chat import Chat, feed, one_case
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.mother import handed_off

PLAIN = -1001000000778

HOUSE = "🏠 Устроена в Дом мамы"
FAMILY = "👪 Вернулась в семью, с поддержкой"
NOT_YET = "⏳ С ребёнком пока неизвестно"
CHILD_YES = "👶 Ребёнок остался с мамой"
NO_CONTACT = "📵 Связаться не удалось"


async def _outcome_audit(resources: Resources) -> list[dict[str, Any]]:
    async with resources.sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "outcome").order_by(AuditEntry.id)
        )
        return [{"actor": row.actor_id, "case": row.case_id, **row.details} for row in rows]


async def _all_answered(client: EmulatorClient) -> None:
    answers = await client.callback_answers()
    assert answers and all(answer["answered"] for answer in answers)


@pytest.fixture
def admin(client: EmulatorClient) -> UserClient:
    return client.user(ADMIN, "Айгерим", language_code="ru")


async def test_outcome_in_two_taps_then_a_house_then_corrected_in_a_forum(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, app, admin
) -> None:
    mother = chat_with(user_id=8101, language_code="ru")
    await handed_off(mother)
    case = await one_case(resources)
    assert case.thread_id is not None and case.shelter_id is not None
    own_house = resources.directory.shelter(case.shelter_id)
    assert own_house is not None

    card = await client.message(STAFF_CHAT, case.card_message_id)
    await feed(app, await admin.press(card, text="✅ Закрыть", chat_id=STAFF_CHAT))
    card = await client.message(STAFF_CHAT, case.card_message_id)
    assert (await one_case(resources)).status == "closed"
    assert "Итог: не указан" in card.text
    assert card.button_texts[:3] == [HOUSE, FAMILY, "↪️ Направлена в другую службу"]
    assert NOT_YET in card.button_texts and "↩️ Открыть снова" in card.button_texts

    await feed(app, await admin.press(card, text=HOUSE, chat_id=STAFF_CHAT))
    card = await client.message(STAFF_CHAT, case.card_message_id)
    houses = [text for text in card.button_texts if text.startswith("🏠")]
    assert houses[0] == f"🏠 {own_house.name.ru}"  # the case's nearest house comes first
    assert (await one_case(resources)).outcome is None  # nothing recorded before the house
    await feed(app, await admin.press(card, text=houses[0], chat_id=STAFF_CHAT))
    stored = await one_case(resources)
    assert (stored.outcome, stored.outcome_shelter_id) == ("house", case.shelter_id)
    card = await client.message(STAFF_CHAT, case.card_message_id)
    assert f"Итог: 🏠 Устроена в Дом мамы: {own_house.name.ru}" in card.text
    assert card.button_texts == ["✏️ Изменить итог", "↩️ Открыть снова"]

    # Corrected later: the list again, another outcome, the house gone.
    await feed(app, await admin.press(card, text="✏️ Изменить итог", chat_id=STAFF_CHAT))
    card = await client.message(STAFF_CHAT, case.card_message_id)
    assert FAMILY in card.button_texts and "⬅️ Назад" in card.button_texts
    await feed(app, await admin.press(card, text=FAMILY, chat_id=STAFF_CHAT))
    stored = await one_case(resources)
    assert (stored.outcome, stored.outcome_shelter_id) == ("family", None)
    assert "Итог: 👪 Вернулась в семью" in (await client.message(STAFF_CHAT, card.message_id)).text

    assert await _outcome_audit(resources) == [
        {
            "actor": ADMIN,
            "case": case.id,
            "outcome": "house",
            "shelter": case.shelter_id,
            "previous": None,
            "previous_shelter": None,
        },
        {
            "actor": ADMIN,
            "case": case.id,
            "outcome": "family",
            "shelter": None,
            "previous": "house",
            "previous_shelter": case.shelter_id,
        },
    ]
    await _all_answered(client)
    # The same tap again (a double tap, a retried update) records nothing twice.
    again = card.button_data(FAMILY)  # the list as it was when pressed
    await feed(app, await admin.press(card, data=again, forge=True, chat_id=STAFF_CHAT))
    assert len(await _outcome_audit(resources)) == 2
    await _all_answered(client)


async def test_outcome_in_a_plain_group_and_not_known_yet_is_asked_again(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    app,
    admin,
    settings,
) -> None:
    dispatcher, bot = app
    await client.create_group(PLAIN, "Staff (plain)", is_forum=False)
    plain = settings.model_copy(update={"staff_chat_id": PLAIN})
    dispatcher["settings"] = plain
    mother = chat_with(user_id=8102, language_code="ru")
    await handed_off(mother)
    case = await one_case(resources)
    assert case.staff_chat_id == PLAIN and case.thread_id is None

    card = await client.message(PLAIN, case.card_message_id)
    await feed(app, await admin.press(card, text="✅ Закрыть", chat_id=PLAIN))
    card = await client.message(PLAIN, case.card_message_id)
    await feed(app, await admin.press(card, text=NO_CONTACT, chat_id=PLAIN))
    assert (await one_case(resources)).outcome == "no_contact"
    card = await client.message(PLAIN, case.card_message_id)
    await feed(app, await admin.press(card, text="✏️ Изменить итог", chat_id=PLAIN))
    card = await client.message(PLAIN, case.card_message_id)
    await feed(app, await admin.press(card, text=NOT_YET, chat_id=PLAIN))
    stored = await one_case(resources)
    assert stored.outcome == "not_yet" and stored.outcome_at is not None
    async with resources.sessionmaker() as session:
        [row] = await session.scalars(select(FollowUp).where(FollowUp.kind == "outcome"))
    assert row.due_at == stored.outcome_at + timedelta(days=30)  # OUTCOME_FOLLOW_UP_AFTER
    assert row.target_chat_id == PLAIN

    runner = create_runner(bot, dispatcher, resources, plain)
    await runner.tick(stored.outcome_at + timedelta(days=29))  # her check-in and the like
    async with resources.sessionmaker() as session:
        assert (await session.get(FollowUp, row.id)).state == "pending"  # not yet due
    assert await runner.tick(stored.outcome_at + timedelta(days=30, seconds=1)) == 1
    question = [m for m in await client.messages(PLAIN) if m.from_bot][-1]
    assert f"Обращение № {case.id}: итог был «⏳ С ребёнком пока неизвестно»" in question.text
    assert question.reply_to == case.card_message_id  # a plain group: under the card
    assert CHILD_YES in question.button_texts

    await feed(app, await admin.press(question, text=CHILD_YES, chat_id=PLAIN))
    assert (await one_case(resources)).outcome == "child_yes"
    question = await client.message(PLAIN, question.message_id)
    assert "итог — 👶 Ребёнок остался с мамой" in question.text and question.button_texts == []
    card = await client.message(PLAIN, case.card_message_id)
    assert "Итог: 👶 Ребёнок остался с мамой" in card.text
    assert [a["outcome"] for a in await _outcome_audit(resources)] == [
        "no_contact",
        "not_yet",
        "child_yes",
    ]
    await _all_answered(client)


async def test_an_answered_or_reopened_outcome_question_stays_silent(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, app, admin
) -> None:
    dispatcher, bot = app
    mother = chat_with(user_id=8103, language_code="ru")
    await handed_off(mother)
    case = await one_case(resources)
    card = await client.message(STAFF_CHAT, case.card_message_id)
    await feed(app, await admin.press(card, text="✅ Закрыть", chat_id=STAFF_CHAT))
    card = await client.message(STAFF_CHAT, case.card_message_id)
    await feed(app, await admin.press(card, text=NOT_YET, chat_id=STAFF_CHAT))
    given = (await one_case(resources)).outcome_at
    assert given is not None
    card = await client.message(STAFF_CHAT, case.card_message_id)
    await feed(app, await admin.press(card, text="↩️ Открыть снова", chat_id=STAFF_CHAT))
    # An outcome button of the closed card pressed after the reopening: refused, answered.
    family = OutcomeCb(case_id=case.id, outcome=OutcomeCode("family")).pack()
    await feed(app, await admin.press(card, data=family, forge=True, chat_id=STAFF_CHAT))
    assert (await one_case(resources)).outcome == "not_yet"
    runner = create_runner(bot, dispatcher, resources, dispatcher["settings"])
    await runner.tick(given + timedelta(days=31))
    async with resources.sessionmaker() as session:
        [row] = await session.scalars(select(FollowUp).where(FollowUp.kind == "outcome"))
    assert row.state == "done"  # performed, and silent: the case is open again
    assert not [m for m in await client.messages(STAFF_CHAT) if "итог был" in (m.text or "")]
    await _all_answered(client)
