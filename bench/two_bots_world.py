"""The world bench.two_bots starts from (mothers, their cases and cards, due check-ins) and
what it reads in the shared database at the end.

Rows go in with SQLAlchemy Core (as in bench.followups), the chats straight into the
emulator's state (it runs in the benchmark's process).
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.harness import STAFF_GROUP, BenchEmulator
from bot.services.follow_ups import FollowUpKind
from storage.models import (
    Case,
    CaseKind,
    CaseStatus,
    FollowUp,
    FollowUpState,
    InboxState,
    InboxUpdate,
    User,
    utcnow,
)

FIRST_MOTHER = 810_000_000
FIRST_STAFF = 820_000_000


async def seed(engine: AsyncEngine, mothers: int, cards: dict[int, int]) -> None:
    """Mothers, one open case each, taken by a staff member (so a reply edits no card)."""
    now = utcnow()
    async with engine.begin() as connection:
        await connection.execute(
            insert(User),
            [{"id": FIRST_MOTHER + i, "language": "ru", "created_at": now, "last_seen_at": now}
             for i in range(mothers)],
        )  # fmt: skip
        await connection.execute(
            insert(Case),
            [
                {
                    "id": i + 1,
                    "user_id": FIRST_MOTHER + i,
                    "kind": CaseKind.OTHER,
                    "urgency": "normal",
                    "status": CaseStatus.TAKEN,
                    "triage": {},
                    "shared_phone": False,
                    "language": "ru",
                    "staff_chat_id": STAFF_GROUP,
                    "card_message_id": cards.get(i + 1),
                    "taken_by": FIRST_STAFF,
                    "taken_by_name": "Staff",
                    "created_at": now,
                }
                for i in range(mothers)
            ],
        )


async def due_check_ins(engine: AsyncEngine, count: int) -> None:
    """One due check-in for each of the first `count` mothers' cases."""
    now = utcnow()
    async with engine.begin() as connection:
        await connection.execute(
            insert(FollowUp),
            [
                {
                    "kind": FollowUpKind.CHECK_IN,
                    "due_at": now,
                    "target_chat_id": FIRST_MOTHER + i,
                    "case_id": i + 1,
                    "payload": {},
                    "state": FollowUpState.PENDING,
                    "attempts": 0,
                    "unique_key": f"bench-two-bots:{i}",
                    "created_at": now,
                }
                for i in range(count)
            ],
        )


def open_chats(emulator: BenchEmulator, mothers: int, first_card: int) -> dict[int, int]:
    """Each mother's private chat (she started the bot); the cards of the cases from
    `first_card` on, posted by the bot in the staff group: case id -> card message id."""
    state = emulator.state
    for i in range(mothers):
        emulator.private_chat(state, emulator.upsert_user({"id": FIRST_MOTHER + i}))
    group = state.chats[STAFF_GROUP]
    return {
        case: emulator.store_message(
            state, group, state.user, "text", {"text": f"№ {case}"}, from_bot=True
        ).message_id
        for case in range(first_card, mothers + 1)
    }


async def settled(engine: AsyncEngine) -> bool:
    """No follow-up waiting or claimed, no update unfinished: nothing more will be sent."""
    async with engine.connect() as connection:
        rows = await connection.scalar(
            select(func.count())
            .select_from(FollowUp)
            .where(FollowUp.state.in_([FollowUpState.PENDING, FollowUpState.CLAIMED]))
        )
        updates = await connection.scalar(
            select(func.count())
            .select_from(InboxUpdate)
            .where(InboxUpdate.state != InboxState.DONE)
        )
    return rows == 0 and updates == 0


async def done_by(engine: AsyncEngine) -> list[int]:
    """Follow-ups done per instance (the holder of the claim)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(FollowUp.claimed_by, func.count())
            .where(FollowUp.state == FollowUpState.DONE)
            .group_by(FollowUp.claimed_by)
        )
        return sorted(count for _, count in rows.all())
