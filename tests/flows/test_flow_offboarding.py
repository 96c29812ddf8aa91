"""Offboarding: /remove takes a person out of every staff group, her reminders and her cases;
a stranger joining a staff group is reported to the admins at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.emulator.client import EmulatorClient
from bot.follow_ups.ticker import create_runner
from storage.models import FollowUp, utcnow
from tests.support.chat import Chat, feed, one_case
from tests.support.constants import STAFF_CHAT
from tests.support.staff import StaffMember, Workspace

HOUSE_STAFF = 8200


def _colleague(chat_with: Callable[..., Chat]) -> Chat:
    return chat_with(user_id=HOUSE_STAFF, language_code="ru")


def _alerts(messages: list, person_id: int) -> list:
    return [m for m in messages if f"id {person_id}" in (m.text or "") and "без роли" in m.text]


async def test_removed_staff_leaves_the_group_gets_no_reminder_and_her_case_is_queued_again(
    workspace: Workspace, chat_with: Callable[..., Chat], app: tuple[Dispatcher, Bot], settings
) -> None:
    client, resources = workspace.client, workspace.resources
    admin = await workspace.admin.open_private()
    _mother, case = await workspace.mother_with_case(8201)
    # House staff act only on their own house's cases: she works for the case's house.
    colleague = await admin.invite(_colleague(chat_with), f"house {case.shelter_id}")
    await feed(app, await client.add_member(STAFF_CHAT, colleague.user))
    assert await client.member_status(STAFF_CHAT, HOUSE_STAFF) == "member"

    at_the_card = admin.other(colleague.user)
    for button in ("✋ Взять", "⏰ Напомнить", "Через час"):
        await at_the_card.press_on_card(case, button)
    assert (await one_case(resources)).taken_by == HOUSE_STAFF

    answer = (await admin.in_private(f"/remove {HOUSE_STAFF}"))[-1].text
    assert "больше не сотрудник" in answer
    assert "Убрали из групп сотрудников: 1" in answer
    assert "Отменено напоминаний: 1" in answer and f"№ {case.id}" in answer

    # Out of the group, and free to be invited again (not left banned).
    assert await client.member_status(STAFF_CHAT, HOUSE_STAFF) == "left"
    # Her case is back in the queue, the card offers "take" again.
    released = await one_case(resources)
    assert released.taken_by is None and released.status == "new"
    card = await admin.card(case)
    assert "✋ Взять" in card.button_texts and "Взяла в работу" not in card.text

    # The reminder she set before is never delivered; the case is chased again as a new one.
    dispatcher, bot = app
    runner = create_runner(bot, dispatcher, resources, settings)
    before = len(await colleague.user.bot_messages())
    await runner.tick(utcnow() + timedelta(days=4))  # past any working-hours wait
    mine = (await colleague.user.bot_messages())[before:]
    assert not [m for m in mine if "Напоминание" in (m.text or "")]
    staff_posts = [m for m in await client.messages(STAFF_CHAT) if m.from_bot]
    assert any("ждёт" in (m.text or "") and f"№ {case.id}" in m.text for m in staff_posts)
    async with resources.sessionmaker() as session:
        reminders = list(
            await session.scalars(select(FollowUp).where(FollowUp.kind == "staff_reminder"))
        )
    assert [r.state for r in reminders] == ["cancelled"]


async def test_remove_reports_a_group_the_bot_cannot_remove_her_from(
    chat_with: Callable[..., Chat], client: EmulatorClient, admin: StaffMember
) -> None:
    await admin.open_private()
    colleague = await admin.invite(_colleague(chat_with), "house")
    await client.add_member(STAFF_CHAT, colleague.user)
    await client.inject_fault("banChatMember", "403", chat_id=STAFF_CHAT)
    answer = (await admin.in_private(f"/remove {HOUSE_STAFF}"))[-1].text
    assert "больше не сотрудник" in answer
    assert "Убрали из групп сотрудников: 0" in answer
    assert f"Из группы {STAFF_CHAT} убрать не получилось" in answer


async def test_a_stranger_joining_the_staff_group_alerts_the_admins_and_a_colleague_does_not(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    app: tuple[Dispatcher, Bot],
    admin: StaffMember,
) -> None:
    dispatcher, _bot = app
    assert "chat_member" in dispatcher.resolve_used_update_types()  # polling asks for them
    await admin.open_private()
    colleague = await admin.invite(_colleague(chat_with), "house")
    await feed(app, await client.add_member(STAFF_CHAT, colleague.user))
    assert not _alerts(await admin.user.bot_messages(), HOUSE_STAFF)
    assert not _alerts(await client.messages(STAFF_CHAT), HOUSE_STAFF)

    stranger = client.user(8299, "Незнакомец", language_code="ru")
    await feed(app, await client.add_member(STAFF_CHAT, stranger))
    [private] = _alerts(await admin.user.bot_messages(), 8299)
    assert "Незнакомец" in private.text and "/remove 8299" in private.text
    [in_group] = _alerts(await client.messages(STAFF_CHAT), 8299)
    assert "личные данные" in in_group.text

    # The admin's answer to the alert takes the stranger out of the group.
    await admin.in_private("/remove 8299")
    assert await client.member_status(STAFF_CHAT, 8299) == "left"
