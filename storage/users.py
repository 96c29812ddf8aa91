"""Repository functions for people who write to the bot."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User, utcnow
from storage.upsert import insert_for


@functools.cache
def _upsert_person(dialect: str) -> Any:
    """Her row, inserted or brought up to date, and returned: built once per dialect (it runs
    for every update; building and caching-keying it anew was a third of its time)."""
    insert = insert_for(dialect)
    statement = insert(User).values(
        id=bindparam("person"),
        telegram_language=bindparam("telegram_language"),
        created_at=bindparam("now"),
        last_seen_at=bindparam("now"),
    )
    return (
        statement.on_conflict_do_update(
            index_elements=[User.id],
            # Writing again means the bot is no longer blocked.
            set_={
                "telegram_language": statement.excluded.telegram_language,
                "last_seen_at": statement.excluded.last_seen_at,
                "blocked_at": None,
            },
        )
        .returning(User)
        .execution_options(populate_existing=True)
    )


async def get_or_create_user(
    session: AsyncSession, user_id: int, telegram_language: str | None
) -> User:
    """The person's row, created on first contact; two racing updates create it once.

    One statement (upsert with RETURNING), not an upsert and a SELECT: it runs for every
    update, and each statement is a round trip to the database's thread."""
    user = await session.scalar(
        _upsert_person(session.bind.dialect.name),
        {"person": user_id, "telegram_language": telegram_language, "now": utcnow()},
    )
    assert user is not None  # just upserted in this transaction
    return user


async def set_language(session: AsyncSession, user: User, language: str) -> None:
    user.language = language
    await session.flush()


async def set_referral_source(session: AsyncSession, user: User, source: str) -> bool:
    """Keep the first place a person came from; later links do not overwrite it."""
    if user.referral_source:
        return False
    user.referral_source = source
    await session.flush()
    return True


async def mark_blocked(session: AsyncSession, user_id: int) -> None:
    """The person blocked the bot: nothing more is sent until they write again."""
    await session.execute(update(User).where(User.id == user_id).values(blocked_at=utcnow()))
