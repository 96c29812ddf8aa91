"""The ids of messages in people's private chats, for "clear this chat"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatMessage, utcnow


async def remember(
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    *,
    from_bot: bool,
    at: datetime | None = None,
) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(ChatMessage)
        .values(chat_id=chat_id, message_id=message_id, from_bot=from_bot, sent_at=at or utcnow())
        .on_conflict_do_nothing()
    )


async def messages_in(session: AsyncSession, chat_id: int) -> list[ChatMessage]:
    return list(
        await session.scalars(
            select(ChatMessage)
            .where(ChatMessage.chat_id == chat_id)
            .order_by(ChatMessage.message_id)
        )
    )


async def forget_messages(
    session: AsyncSession, chat_id: int, message_ids: list[int] | None = None
) -> None:
    statement = delete(ChatMessage).where(ChatMessage.chat_id == chat_id)
    if message_ids is not None:
        statement = statement.where(ChatMessage.message_id.in_(message_ids))
    await session.execute(statement)
