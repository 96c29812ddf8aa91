"""What is kept about a person, deleting it, and which chat messages can still be deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import chat_log
from storage.cases import anonymise_cases_of, cases_of
from storage.models import (
    Application,
    Case,
    ChatMessage,
    FollowUp,
    FollowUpState,
    MessageLink,
    User,
)

# Telegram lets a bot delete a message in a private chat for 48 hours after it was sent.
DELETABLE_FOR = timedelta(hours=48)


@dataclass
class StoredAboutPerson:
    user: User
    cases: list[Case] = field(default_factory=list)
    messages_kept: int = 0


async def what_we_keep(session: AsyncSession, user: User) -> StoredAboutPerson:
    cases = await cases_of(session, user.id)
    return StoredAboutPerson(user=user, cases=cases)


def split_deletable(messages: list[ChatMessage], now: datetime) -> tuple[list[int], list[int]]:
    """Message ids Telegram still lets the bot delete, and those it no longer does."""
    fresh, old = [], []
    for message in messages:
        # A safety margin of a minute: the bot's clock and Telegram's may differ a little.
        if now - message.sent_at < DELETABLE_FOR - timedelta(minutes=1):
            fresh.append(message.message_id)
        else:
            old.append(message.message_id)
    return fresh, old


@dataclass
class Forgotten:
    """What /forget touched, so the staff side can be told and cleaned."""

    cases: list[Case]  # all her cases, now anonymous; open ones are announced to staff
    application_cards: list[tuple[int, int]]  # (chat id, message id) of her applications' cards


async def forget_person(session: AsyncSession, user_id: int) -> Forgotten:
    """Delete what is kept about a person. Her cases remain as anonymous counts."""
    cases = await cases_of(session, user_id)
    await anonymise_cases_of(session, user_id)
    applications = list(
        await session.scalars(select(Application).where(Application.user_id == user_id))
    )
    cards = [
        (application.staff_chat_id, application.card_message_id)
        for application in applications
        if application.staff_chat_id and application.card_message_id
    ]
    application_ids = [application.id for application in applications]
    if application_ids:
        # Her messages kept with her applications go first: they point at the applications.
        await session.execute(
            delete(MessageLink).where(MessageLink.application_id.in_(application_ids))
        )
    await session.execute(
        update(FollowUp)
        .where(FollowUp.target_chat_id == user_id, FollowUp.state == FollowUpState.PENDING)
        .values(state=FollowUpState.CANCELLED)
    )
    await session.execute(delete(Application).where(Application.user_id == user_id))
    await chat_log.forget_messages(session, user_id)
    await session.execute(delete(User).where(User.id == user_id))
    await session.flush()
    return Forgotten(cases=cases, application_cards=cards)
