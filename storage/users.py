"""Repository functions for people who write to the bot."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User, utcnow


async def get_or_create_user(
    session: AsyncSession, user_id: int, telegram_language: str | None
) -> User:
    """The person's row, created on first contact; two racing updates create it once.

    One statement (upsert with RETURNING), not an upsert and a SELECT: it runs for every
    update, and each statement is a round trip to the database's thread."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    user = await session.scalar(
        insert(User)
        .values(id=user_id, telegram_language=telegram_language, created_at=now, last_seen_at=now)
        .on_conflict_do_update(
            index_elements=[User.id],
            # Writing again means the bot is no longer blocked.
            set_={"telegram_language": telegram_language, "last_seen_at": now, "blocked_at": None},
        )
        .returning(User),
        execution_options={"populate_existing": True},
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
