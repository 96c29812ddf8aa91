"""Offboarding: /remove takes a person out of every staff group, her reminders and her cases;
a stranger joining a staff group is reported to the admins at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient, UserClient
from bot.follow_ups.ticker import create_runner
from storage.models import FollowUp, utcnow
from tests.support.chat import Chat, admin_in_private, feed, one_case
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.mother import handed_off

HOUSE_STAFF = 8200


async def _colleague(
    chat_with: Callable[..., Chat],
    admin: UserClient,
    app: tuple[Dispatcher, Bot],
    house: str = "",
) -> Chat:
    """A house staff member invited by the admin (for `house`), who then joins the staff group."""
    await feed(app, await admin.send(f"/invite house {house}".strip()))
    token = (await admin.bot_messages())[-1].text.split("start=staff_")[1].split()[0]
    colleague = chat_with(user_id=HOUSE_STAFF, language_code="ru")
    [welcome] = await colleague.send(f"/start staff_{token}")
    assert "Добро пожаловать" in welcome.text
    return colleague


def _alerts(messages: list, person_id: int) -> list:
    return [m for m in messages if f"id {person_id}" in (m.text or "") and "без роли" in m.text]


async def test_removed_staff_leaves_the_group_gets_no_reminder_and_her_case_is_queued_again(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    app: tuple[Dispatcher, Bot],
    settings: Settings,
) -> None:
    admin = await admin_in_private(client, app, ADMIN)
    await handed_off(chat_with(user_id=8201, language_code="ru"))
    case = await one_case(resources)
    # House staff act only on their own house's cases: she works for the case's house.
    colleague = await _colleague(chat_with, admin, app, house=case.shelter_id or "")
    await feed(app, await client.add_member(STAFF_CHAT, colleague.user))
    assert await client.member_status(STAFF_CHAT, HOUSE_STAFF) == "member"

    card = await client.message(STAFF_CHAT, case.card_message_id)
    await feed(app, await colleague.user.press(card, text="✋ Взять", chat_id=STAFF_CHAT))
    card = await client.message(STAFF_CHAT, case.card_message_id)
    await feed(app, await colleague.user.press(card, text="⏰ Напомнить", chat_id=STAFF_CHAT))
    card = await client.message(STAFF_CHAT, case.card_message_id)
    await feed(app, await colleague.user.press(card, text="Через час", chat_id=STAFF_CHAT))
    assert (await one_case(resources)).taken_by == HOUSE_STAFF

    await feed(app, await admin.send(f"/remove {HOUSE_STAFF}"))
    answer = (await admin.bot_messages())[-1].text
    assert "больше не сотрудник" in answer
    assert "Убрали из групп сотрудников: 1" in answer
    assert "Отменено напоминаний: 1" in answer and f"№ {case.id}" in answer

    # Out of the group, and free to be invited again (not left banned).
    assert await client.member_status(STAFF_CHAT, HOUSE_STAFF) == "left"
    # Her case is back in the queue, the card offers "take" again.
    released = await one_case(resources)
    assert released.taken_by is None and released.status == "new"
    card = await client.message(STAFF_CHAT, case.card_message_id)
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
    chat_with: Callable[..., Chat], client: EmulatorClient, app: tuple[Dispatcher, Bot]
) -> None:
    admin = await admin_in_private(client, app, ADMIN)
    colleague = await _colleague(chat_with, admin, app)
    await client.add_member(STAFF_CHAT, colleague.user)
    await client.inject_fault("banChatMember", "403", chat_id=STAFF_CHAT)
    await feed(app, await admin.send(f"/remove {HOUSE_STAFF}"))
    answer = (await admin.bot_messages())[-1].text
    assert "больше не сотрудник" in answer
    assert "Убрали из групп сотрудников: 0" in answer
    assert f"Из группы {STAFF_CHAT} убрать не получилось" in answer


async def test_a_stranger_joining_the_staff_group_alerts_the_admins_and_a_colleague_does_not(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    app: tuple[Dispatcher, Bot],
) -> None:
    dispatcher, _bot = app
    assert "chat_member" in dispatcher.resolve_used_update_types()  # polling asks for them
    admin = await admin_in_private(client, app, ADMIN)
    colleague = await _colleague(chat_with, admin, app)
    await feed(app, await client.add_member(STAFF_CHAT, colleague.user))
    assert not _alerts(await admin.bot_messages(), HOUSE_STAFF)
    assert not _alerts(await client.messages(STAFF_CHAT), HOUSE_STAFF)

    stranger = client.user(8299, "Незнакомец", language_code="ru")
    await feed(app, await client.add_member(STAFF_CHAT, stranger))
    [private] = _alerts(await admin.bot_messages(), 8299)
    assert "Незнакомец" in private.text and "/remove 8299" in private.text
    [in_group] = _alerts(await client.messages(STAFF_CHAT), 8299)
    assert "личные данные" in in_group.text

    # The admin's answer to the alert takes the stranger out of the group.
    await feed(app, await admin.send("/remove 8299"))
    assert await client.member_status(STAFF_CHAT, 8299) == "left"
