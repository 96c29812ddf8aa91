"""What is kept about a person, deleting it, and which chat messages can still be deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import chat_log
from storage.cases import anonymise_cases_of, cases_of
from storage.erasure import (
    StaffMessage,
    delete_links,
    forget_follow_ups,
    forget_inbox,
    scrub_audit,
    staff_messages_of,
)
from storage.models import Application, Case, ChatMessage, User
from storage.retention import delete_applications

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
    staff_messages: list[StaffMessage]  # her copies and the bot's notices in staff chats


async def forget_person(session: AsyncSession, user_id: int) -> Forgotten:
    """Delete what is kept about a person. Her cases remain as anonymous counts.

    Her Telegram id goes from everything: cases (and their dedup keys), follow-ups, audit
    rows, unfinished updates, conversations in the database (Redis: the handler)."""
    cases = await cases_of(session, user_id)
    case_ids = [case.id for case in cases]
    applications = list(
        await session.scalars(select(Application).where(Application.user_id == user_id))
    )
    cards = [
        (application.staff_chat_id, application.card_message_id)
        for application in applications
        if application.staff_chat_id and application.card_message_id
    ]
    application_ids = [application.id for application in applications]
    staff_messages = await staff_messages_of(session, case_ids, application_ids)
    # Her messages and the follow-ups on them first: they point at the cases and applications.
    await delete_links(session, case_ids, application_ids)
    await anonymise_cases_of(session, user_id)
    await forget_follow_ups(session, user_id)
    await scrub_audit(session, [user_id], application_ids)
    await delete_applications(session, application_ids)
    await chat_log.forget_messages(session, user_id)
    await forget_inbox(session, user_id)
    await session.execute(delete(User).where(User.id == user_id))
    await session.flush()
    return Forgotten(cases=cases, application_cards=cards, staff_messages=staff_messages)
