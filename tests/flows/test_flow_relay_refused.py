"""A message of hers Telegram will never copy: the staff hear of it once, and she is asked again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import Resources
from bot.emulator.client import EmulatorClient
from bot.emulator.server import Emulator
from storage.models import Case, FollowUp
from tests.support.chat import Chat
from tests.support.constants import STAFF_CHAT
from tests.support.mother import handed_off


async def test_a_message_that_cannot_be_copied_is_told_not_retried_forever(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    emulator: Emulator,
) -> None:
    mother = chat_with(user_id=8601, language_code="ru")
    await handed_off(mother)
    sent = await mother.user.send("Я у вокзала")
    # She deleted it before the bot got to it (a backlog after a restart): Telegram says 400.
    emulator.bot().chats[8601].messages[sent["message"]["message_id"]].deleted = True
    [answer] = await mother.do(sent)
    assert "не получилось передать" in answer.text
    async with resources.sessionmaker() as session:
        case = (await session.scalars(select(Case))).one()
        relays = list(await session.scalars(select(FollowUp).where(FollowUp.kind == "relay")))
    assert relays == []  # nothing to fail again and again
    in_topic = [
        m for m in await client.messages(STAFF_CHAT, thread_id=case.thread_id) if m.from_bot
    ]
    assert "не дал скопировать" in in_topic[-1].text


async def test_a_staff_group_that_fails_keeps_her_message_for_later(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    mother = chat_with(user_id=8602, language_code="ru")
    await handed_off(mother)
    await client.inject_fault("copyMessage", "500", count=10, chat_id=STAFF_CHAT)
    [answer] = await mother.send("Я у вокзала")
    assert "Сотрудники скоро увидят" in answer.text
    async with resources.sessionmaker() as session:
        relays = list(await session.scalars(select(FollowUp).where(FollowUp.kind == "relay")))
    assert len(relays) == 1
