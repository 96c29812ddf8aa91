"""The ids of messages in people's private chats, for "clear this chat"."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatMessage, utcnow
from storage.upsert import insert_for


@functools.cache
def _remember(dialect: str) -> Any:
    """Built once per dialect: it runs for every message she sends and every one sent to her."""
    insert = insert_for(dialect)
    return (
        insert(ChatMessage)
        .values(
            chat_id=bindparam("chat"),
            message_id=bindparam("message"),
            from_bot=bindparam("from_bot"),
            sent_at=bindparam("at"),
        )
        .on_conflict_do_nothing()
    )


async def remember(
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    *,
    from_bot: bool,
    at: datetime | None = None,
) -> None:
    await session.execute(
        _remember(session.get_bind().dialect.name),
        {"chat": chat_id, "message": message_id, "from_bot": from_bot, "at": at or utcnow()},
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
