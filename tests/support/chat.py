"""A person talking to the real dispatcher, and what the flow tests look up around her."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Resources
from bot.emulator.client import BotMessage, EmulatorClient, UserClient
from storage.models import Case
from tests.support.constants import STAFF_CHAT


class Chat:
    """One person talking to the real dispatcher; each action returns the bot's new messages."""

    def __init__(self, user: UserClient, dispatcher: Dispatcher, bot: Bot) -> None:
        self.user = user
        self.dispatcher = dispatcher
        self.bot = bot

    async def _feed(self, update: dict[str, Any]) -> list[BotMessage]:
        before = {m.message_id: m.edits for m in await self.user.bot_messages()}
        await self.dispatcher.feed_raw_update(self.bot, update)
        return [
            m
            for m in await self.user.bot_messages()
            if m.message_id not in before or before[m.message_id] != m.edits
        ]

    async def send(self, text: str) -> list[BotMessage]:
        return await self._feed(await self.user.send(text))

    async def press(self, message: BotMessage, text: str) -> list[BotMessage]:
        return await self._feed(await self.user.press(message, text=text))

    async def tap(self, messages: list[BotMessage], label: str) -> list[BotMessage]:
        """Press the button with this label on the newest of these messages that carries it."""
        return await self.press(with_button(messages, label), label)

    async def press_data(self, message: BotMessage, data: str) -> list[BotMessage]:
        return await self._feed(await self.user.press(message, data=data, forge=True))

    async def do(self, update: dict[str, Any]) -> list[BotMessage]:
        return await self._feed(update)

    async def edit(self, sent: dict[str, Any], text: str) -> list[BotMessage]:
        """She edits the message of this update of hers to `text`."""
        return await self._feed(await self.user.edit(sent["message"]["message_id"], text))


def with_button(messages: list[BotMessage], label: str) -> BotMessage:
    """The newest of these messages that carries a button with this label."""
    return next(m for m in reversed(messages) if label in m.button_texts)


async def feed(app: tuple[Dispatcher, Bot], update: dict[str, Any] | None) -> None:
    """Hand one update to the dispatcher, as the polling loop would."""
    assert update is not None
    dispatcher, bot = app
    await dispatcher.feed_raw_update(bot, update)


async def cases(resources: Resources) -> list[Case]:
    async with resources.sessionmaker() as session:
        return list(await session.scalars(select(Case).order_by(Case.id)))


async def one_case(resources: Resources) -> Case:
    """The only case in the database (fails if there are none or several)."""
    async with resources.sessionmaker() as session:
        return (await session.scalars(select(Case))).one()


async def staff_posts(client: EmulatorClient, chat_id: int = STAFF_CHAT) -> list[BotMessage]:
    """What the bot posted in the staff group, without the "topic created" service lines."""
    return [m for m in await client.messages(chat_id) if m.from_bot and m.kind != "service"]
