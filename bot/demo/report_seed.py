"""A small, known set of cases and applications for the report's demo and tests.

`python -m bot.demo.report_seed` fills DATABASE_URL (migrated first) with them: eight cases
of March 2026 in two houses (Astana and Almaty) and four foster applications, with every
timestamp the report reads. The phones, names and notes are made up, and the tests look for
them in the report files to prove none leaks.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, AuditEntry, Case, ChatMessage, User

T0 = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)  # 11:00 in Almaty: March wherever one looks
PHONES = ("+77015550101", "+77015550102", "+77015550103", "+77015550104")
NAMES = ("Айгуль Серикова", "Дана Абенова", "Staff Person Айгерим")
NOTES = ("живу у тёти в Косшы", "муж выгнал, с ребёнком на вокзале")

H = timedelta(hours=1)
D = timedelta(days=1)

# (user, first message before the handoff, reply, take, close (None = open), outcome, house)
_ASTANA = [
    (7001, 0.25 * H, 0.5 * H, 1 * H, 24 * H, "house", "astana-1"),
    (7002, 0.5 * H, 1 * H, 2 * H, 48 * H, "family", None),
    (7003, None, 1.5 * H, 3 * H, 72 * H, "child_yes", None),  # no chat rows: her user row
    (7004, 2 * H, 2 * H, 4 * H, 96 * H, None, None),  # closed with no outcome: "unknown"
    (None, None, 8 * H, 5 * H, 120 * H, "no_contact", None),  # forgotten (/forget)
    (7006, 0.75 * H, None, 10 * H, None, None, None),  # still open, no reply yet
]
_ALMATY = [
    (None, None, None, 1 * H, 12 * H, "house", "almaty-1"),
    (None, None, None, 3 * H, 36 * H, None, None),
]


async def seed(session: AsyncSession) -> None:
    """Insert the rows (into an empty, migrated database) and commit."""
    for number, row in enumerate(_ASTANA):
        if row[0] is not None:
            # She first wrote an hour before her handoff (what counts when no chat rows are left).
            session.add(User(id=row[0], language="ru", created_at=T0 + number * D - 1 * H))
    await session.flush()  # no ORM relationships: users first, for the foreign keys
    # 7004 had an earlier case in December 2025: her first message of that one doesn't count.
    session.add(
        Case(
            user_id=7004,
            status="closed",
            region="astana",
            shelter_id="astana-1",
            created_at=datetime(2025, 12, 1, tzinfo=UTC),
            closed_at=datetime(2025, 12, 2, tzinfo=UTC),
        )
    )
    session.add(
        ChatMessage(
            chat_id=7004, message_id=1, from_bot=False, sent_at=datetime(2025, 11, 30, tzinfo=UTC)
        )
    )
    await session.flush()
    message_id = 10
    for index, rows in enumerate((_ASTANA, _ALMATY)):
        region, shelter = ("astana", "astana-1") if index == 0 else ("almaty", "almaty-1")
        for number, (user_id, before, reply, take, close, outcome, house) in enumerate(rows):
            handoff = T0 + number * D + index * 7 * D
            case = Case(
                user_id=user_id,
                kind="baby",
                status="closed" if close is not None else "taken",
                region=region,
                shelter_id=shelter,
                phone=PHONES[number % len(PHONES)],
                note=NOTES[number % len(NOTES)],
                taken_by=900001,
                taken_by_name=NAMES[2],
                created_at=handoff,
                taken_at=handoff + take,
                closed_at=handoff + close if close is not None else None,
                outcome=outcome,
                outcome_shelter_id=house,
            )
            session.add(case)
            await session.flush()
            if user_id is not None and before is not None:
                message_id += 1
                session.add(
                    ChatMessage(
                        chat_id=user_id,
                        message_id=message_id,
                        from_bot=False,
                        sent_at=handoff - before,
                    )
                )
            if reply is not None:
                session.add(
                    AuditEntry(actor_id=900001, action="reply", case_id=case.id, at=handoff + reply)
                )
    await _applications(session)
    await session.commit()


async def _applications(session: AsyncSession) -> None:
    session.add(User(id=7101, language="ru", created_at=T0))
    await session.flush()
    start = datetime(2026, 3, 1, tzinfo=UTC)
    answers = {"full_name": NAMES[1], "phone": PHONES[3]}
    # (care form, status, submitted after creation, [(stage, days after submission)])
    plans = [
        (
            "professional",
            "approved",
            D,
            [("contacted", 2), ("documents", 5), ("training", 15), ("approved", 20)],
        ),
        ("professional", "contacted", 2 * D, [("contacted", 4)]),
        ("foster", "draft", None, []),
        ("foster", "withdrawn", D, [("withdrawn", 1)]),
    ]
    for care_form, status, submitted_after, stages in plans:
        submitted = start + submitted_after if submitted_after else None
        application = Application(
            user_id=7101,
            status=status,
            care_form=care_form,
            answers=answers,
            created_at=start,
            submitted_at=submitted,
        )
        session.add(application)
        await session.flush()
        for stage, days in stages:
            assert submitted is not None
            action = "application_withdrawn" if stage == "withdrawn" else "application_status"
            details = {} if stage == "withdrawn" else {"status": stage}
            session.add(
                AuditEntry(
                    actor_id=900001,
                    action=action,
                    application_id=application.id,
                    details=details,
                    at=submitted + days * D,
                )
            )


async def seed_database(database_url: str) -> None:
    """Migrate the database at `database_url` and seed it."""
    from storage.db import create_engine, create_sessionmaker
    from storage.migrate import upgrade

    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as session:
            await seed(session)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    from bot.config import load_settings

    url = load_settings().database_url
    asyncio.run(seed_database(url))
    print(f"seeded the report's demo rows into {url}")
