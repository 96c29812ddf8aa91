"""The session middleware: one unit of work per update (storage.unit_of_work)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Chat, TelegramObject, Update
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import chat_log
from storage.fsm import SQLAlchemyStorage
from storage.unit_of_work import InboxMark, UnitOfWork, UnitsInFlight, in_flight
from storage.users import get_or_create_user

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
# In an update's data, from the inbox gate: (state, data) of her conversation, read in her lock.
FSM_FOUND = "fsm_found"
# In an update's data, from the inbox gate: its session, holding the update's take-up, uncommitted.
TAKEN_UP = "inbox_session"


class DatabaseMiddleware(BaseMiddleware):
    """Takes the inbox gate's session (which holds the update's take-up) or opens one, and makes
    the update's unit of work: committed once before the handler runs (the take-up, her row),
    then when the handler returns (with the done mark); rolled back if it raises.

    Handlers get `db` (the session) and `uow`; in a private chat also the person's row (loaded
    or created) as `person`; people seen only in staff groups get no row. The conversation's
    FSM state, when the database holds it, is written in the same session. The inbox gate's
    mark (`inbox_mark`) is marked done in the unit's last commit.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], units: UnitsInFlight = in_flight
    ) -> None:
        self._sessionmaker = sessionmaker
        self._units = units  # where the outgoing middleware finds this update's unit

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        taken_up: AsyncSession | None = data.pop(TAKEN_UP, None)
        async with taken_up or self._sessionmaker() as session:
            data["db"] = session
            sender: TelegramUser | None = data.get("event_from_user")
            chat: Chat | None = data.get("event_chat")
            person = None
            if sender and not sender.is_bot and (chat is None or chat.type == "private"):
                person = await get_or_create_user(session, sender.id, sender.language_code)
                if isinstance(event, Update) and event.message is not None:
                    message = event.message
                    await chat_log.remember(
                        session, message.chat.id, message.message_id, from_bot=False
                    )
            if session.in_transaction():
                # Committed at once, with the inbox gate's take-up: the update is taken up
                # before the handler runs, whose own transaction starts clean and short.
                await session.commit()
            data["person"] = person
            mark: InboxMark | None = data.get("inbox_mark")
            uow = UnitOfWork(session, person, mark)
            data["uow"] = uow
            context: FSMContext | None = data.get("state")
            if context is not None and isinstance(context.storage, SQLAlchemyStorage):
                bound = context.storage.bound(session)
                found = data.get(FSM_FOUND)
                if found is not None:
                    bound.knows(context.key, *found)
                data["state"] = FSMContext(bound, context.key)
            with self._units.open(uow):
                result = await handler(event, data)
                await uow.commit(handled=True)
            return result
