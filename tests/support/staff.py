"""The staff side of the flow tests: a staff member in a staff group, at a case's card."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from aiogram import Bot, Dispatcher

from bot.app import Resources
from bot.emulator.client import BotMessage, EmulatorClient, UserClient
from bot.workspace.cards import StaffTexts
from storage.models import Case
from storage.staff import add_staff
from tests.support.chat import Chat, feed, one_case, staff_posts
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.mother import MotherWithCase


async def register(
    resources: Resources, user_id: int, role: str, shelter_id: str | None, name: str
) -> None:
    """A staff member added by the admin straight into the database (no invitation link)."""
    async with resources.sessionmaker() as session:
        await add_staff(
            session, user_id, role, shelter_id=shelter_id, added_by=ADMIN, display_name=name
        )
        await session.commit()


@dataclass
class StaffMember:
    """One staff member in one staff group: presses on a case's card, writes in its thread."""

    user: UserClient
    client: EmulatorClient
    app: tuple[Dispatcher, Bot]
    group: int = STAFF_CHAT

    async def card(self, case: Case) -> BotMessage:
        """The case's card in the group as it is now."""
        assert case.card_message_id is not None
        return await self.client.message(self.group, case.card_message_id)

    async def press(self, message: BotMessage | int, text: str | None = None, **how: Any) -> None:
        """Press a button of a message in the group: by its text, or `data=` (`forge=True`)."""
        await feed(self.app, await self.user.press(message, text=text, chat_id=self.group, **how))

    async def press_on_card(self, case: Case, text: str) -> BotMessage:
        """Press a button of the case's card as it is now; returns the card after it."""
        await self.press(await self.card(case), text)
        return await self.card(case)

    async def write(
        self, text: str, *, thread_id: int | None = None, reply_to: int | None = None
    ) -> None:
        """A message in the group (in a case's topic, or as a reply to a message there)."""
        await feed(
            self.app,
            await self.user.send(text, chat_id=self.group, thread_id=thread_id, reply_to=reply_to),
        )

    async def in_private(self, text: str) -> list[BotMessage]:
        """A message in her private chat with the bot; returns all the bot wrote to her there."""
        await feed(self.app, await self.user.send(text))
        return await self.user.bot_messages()

    async def open_private(self) -> StaffMember:
        """She has opened the bot once, so it may write to her in private."""
        await self.in_private("/start")
        return self

    async def invitation(self, role: str) -> str:
        """`/invite <role>` in her private chat: the start command of the one-time link."""
        link = (await self.in_private(f"/invite {role}"))[-1].text
        return "/start staff_" + link.split("start=staff_")[1].split()[0]

    async def invite(self, person: Chat, role: str) -> Chat:
        """She invites `person` as `role` (e.g. "house almaty-1"); the link opens, a welcome."""
        [welcome] = await person.send(await self.invitation(role))
        assert "Добро пожаловать" in welcome.text
        return person

    def other(self, user: UserClient) -> StaffMember:
        """Another person (staff or not) in the same group."""
        return replace(self, user=user)

    def in_group(self, group: int) -> StaffMember:
        """The same person in another staff group."""
        return replace(self, group=group)


@dataclass
class Workspace:
    """What a staff-side flow test works with (the `workspace` fixture): the emulator, the
    database, the admin at the cards, the staff texts, and mothers who hand off a case."""

    client: EmulatorClient
    resources: Resources
    admin: StaffMember
    texts: StaffTexts
    mother_with_case: MotherWithCase

    async def case(self) -> Case:
        """The only case in the database, as it is now."""
        return await one_case(self.resources)

    async def posts(self) -> list[BotMessage]:
        """What the bot posted in the central staff group so far."""
        return await staff_posts(self.client)

    async def answers(self) -> list[str]:
        """What the pressed buttons' answers said so far, in order."""
        return [answer.get("text") or "" for answer in await self.client.callback_answers()]

    def person(self, user_id: int, name: str) -> StaffMember:
        """Someone else in the staff group (a staff member or not), speaking Russian."""
        return self.admin.other(self.client.user(user_id, name, language_code="ru"))
