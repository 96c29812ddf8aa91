"""A closed case's outcome through the real dispatcher: picked in two taps on the card, a house
as the next tap, corrected and audited, in a forum and a plain group; "not known yet" asked
again through a follow-up row."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient
from bot.follow_ups.ticker import create_runner
from bot.ui.callbacks import OutcomeCb, OutcomeCode
from storage.models import AuditEntry, FollowUp
from tests.support.chat import one_case
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.staff import Workspace

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


async def test_outcome_in_two_taps_then_a_house_then_corrected_in_a_forum(
    workspace: Workspace,
) -> None:
    client, resources, admin = workspace.client, workspace.resources, workspace.admin
    _mother, case = await workspace.mother_with_case(8101)
    assert case.thread_id is not None and case.shelter_id is not None
    own_house = resources.directory.shelter(case.shelter_id)
    assert own_house is not None

    card = await admin.press_on_card(case, "✅ Закрыть")
    assert (await one_case(resources)).status == "closed"
    assert "Итог: не указан" in card.text
    assert card.button_texts[:3] == [HOUSE, FAMILY, "↪️ Направлена в другую службу"]
    assert NOT_YET in card.button_texts and "↩️ Открыть снова" in card.button_texts

    card = await admin.press_on_card(case, HOUSE)
    houses = [text for text in card.button_texts if text.startswith("🏠")]
    assert houses[0] == f"🏠 {own_house.name.ru}"  # the case's nearest house comes first
    assert (await one_case(resources)).outcome is None  # nothing recorded before the house
    card = await admin.press_on_card(case, houses[0])
    stored = await one_case(resources)
    assert (stored.outcome, stored.outcome_shelter_id) == ("house", case.shelter_id)
    assert f"Итог: 🏠 Устроена в Дом мамы: {own_house.name.ru}" in card.text
    assert card.button_texts == ["✏️ Изменить итог", "↩️ Открыть снова"]

    # Corrected later: the list again, another outcome, the house gone.
    card = await admin.press_on_card(case, "✏️ Изменить итог")
    assert FAMILY in card.button_texts and "⬅️ Назад" in card.button_texts
    await admin.press(card, FAMILY)
    stored = await one_case(resources)
    assert (stored.outcome, stored.outcome_shelter_id) == ("family", None)
    assert "Итог: 👪 Вернулась в семью" in (await admin.card(case)).text

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
    await admin.press(card, data=again, forge=True)
    assert len(await _outcome_audit(resources)) == 2
    await _all_answered(client)


async def test_outcome_in_a_plain_group_and_not_known_yet_is_asked_again(
    workspace: Workspace, app, plain_group: Settings
) -> None:
    dispatcher, bot = app
    client, resources = workspace.client, workspace.resources
    plain = plain_group.staff_chat_id
    admin = workspace.admin.in_group(plain)
    _mother, case = await workspace.mother_with_case(8102)
    assert case.staff_chat_id == plain and case.thread_id is None

    await admin.press_on_card(case, "✅ Закрыть")
    await admin.press_on_card(case, NO_CONTACT)
    assert (await one_case(resources)).outcome == "no_contact"
    await admin.press_on_card(case, "✏️ Изменить итог")
    await admin.press_on_card(case, NOT_YET)
    stored = await one_case(resources)
    assert stored.outcome == "not_yet" and stored.outcome_at is not None
    async with resources.sessionmaker() as session:
        [row] = await session.scalars(select(FollowUp).where(FollowUp.kind == "outcome"))
    assert row.due_at == stored.outcome_at + timedelta(days=30)  # OUTCOME_FOLLOW_UP_AFTER
    assert row.target_chat_id == plain

    runner = create_runner(bot, dispatcher, resources, plain_group)
    await runner.tick(stored.outcome_at + timedelta(days=29))  # her check-in and the like
    async with resources.sessionmaker() as session:
        assert (await session.get(FollowUp, row.id)).state == "pending"  # not yet due
    assert await runner.tick(stored.outcome_at + timedelta(days=30, seconds=1)) == 1
    question = [m for m in await client.messages(plain) if m.from_bot][-1]
    assert f"Обращение № {case.id}: итог был «⏳ С ребёнком пока неизвестно»" in question.text
    assert question.reply_to == case.card_message_id  # a plain group: under the card
    assert CHILD_YES in question.button_texts

    await admin.press(question, CHILD_YES)
    assert (await one_case(resources)).outcome == "child_yes"
    question = await client.message(plain, question.message_id)
    assert "итог — 👶 Ребёнок остался с мамой" in question.text and question.button_texts == []
    assert "Итог: 👶 Ребёнок остался с мамой" in (await admin.card(case)).text
    assert [a["outcome"] for a in await _outcome_audit(resources)] == [
        "no_contact",
        "not_yet",
        "child_yes",
    ]
    await _all_answered(client)


async def test_an_answered_or_reopened_outcome_question_stays_silent(
    workspace: Workspace, app
) -> None:
    dispatcher, bot = app
    client, resources, admin = workspace.client, workspace.resources, workspace.admin
    _mother, case = await workspace.mother_with_case(8103)
    await admin.press_on_card(case, "✅ Закрыть")
    card = await admin.press_on_card(case, NOT_YET)
    given = (await one_case(resources)).outcome_at
    assert given is not None
    await admin.press(card, "↩️ Открыть снова")
    # An outcome button of the closed card pressed after the reopening: refused, answered.
    family = OutcomeCb(case_id=case.id, outcome=OutcomeCode("family")).pack()
    await admin.press(card, data=family, forge=True)
    assert (await one_case(resources)).outcome == "not_yet"
    runner = create_runner(bot, dispatcher, resources, dispatcher["settings"])
    await runner.tick(given + timedelta(days=31))
    async with resources.sessionmaker() as session:
        [row] = await session.scalars(select(FollowUp).where(FollowUp.kind == "outcome"))
    assert row.state == "done"  # performed, and silent: the case is open again
    assert not [m for m in await client.messages(STAFF_CHAT) if "итог был" in (m.text or "")]
    await _all_answered(client)
