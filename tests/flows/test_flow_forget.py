"""/forget and the retention purge really delete: the database, the SQLite file and its WAL,
the FSM (database or Redis) and the staff chat keep nothing of her afterwards."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import BotMessage, EmulatorClient
from bot.follow_ups.ticker import create_runner
from storage import inbox
from storage.models import (
    Application,
    AuditEntry,
    Base,
    Case,
    FollowUp,
    MessageLink,
    User,
    utcnow,
)
from tests.support.chat import Chat
from tests.support.constants import STAFF_CHAT
from tests.support.foster import ApplicantWithCard, apply_button, submit_application
from tests.support.mother import at_the_note, handed_off

NAME = "Зарина"  # her Telegram first name: it comes with every update she sends
PHONE = "7012345678"  # she shares +77012345678
NOTE = "Нужна коляска и памперсы"
WORDS = "Я у вокзала, улица Абая 5"
EDITED = "Я у вокзала, улица Абая 7"
FOSTER_NAME = "Айгерим Серикова"


Her = Callable[[int], Chat]


@pytest.fixture
def her(chat_with: Callable[..., Chat], client: EmulatorClient) -> Her:
    """`her(user_id)`: her chat with the bot, under her own first name."""

    def make(user_id: int) -> Chat:
        chat = chat_with(user_id=user_id, language_code="ru")
        chat.user = client.user(user_id, NAME, language_code="ru")
        return chat

    return make


async def _handed_off_and_talking(chat: Chat) -> None:
    """Her request, then a message, her location, and an edit of the message."""
    await handed_off(chat, note=NOTE)
    sent = await chat.user.send(WORDS)
    await chat.do(sent)
    await chat.do(await chat.user.send_location(49.8, 73.1))
    await chat.edit(sent, EDITED)


async def _forget(chat: Chat) -> BotMessage:
    [confirm] = await chat.send("/forget")
    [done] = await chat.press(confirm, "🗑 Да, удалить всё")
    return done


def _database_file(settings: Settings) -> Path | None:
    url = make_url(settings.database_url)
    return Path(url.database or "") if url.get_backend_name() == "sqlite" else None


async def _left_in_storage(
    resources: Resources,
    settings: Settings,
    needles: list[str],
    user_id: int,
    *,
    redis: bool = True,
) -> list[str]:
    """Every table, every column as text; the SQLite file and its WAL as raw bytes (JSON
    columns escape Cyrillic, so both spellings are looked for); Redis keys."""
    found = []
    async with resources.sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                text = " | ".join(str(value) for value in row)
                found += [f"{table.name}: {n}" for n in [*needles, str(user_id)] if n in text]
    database = _database_file(settings)
    if database is not None:
        for path in (database, database.with_name(database.name + "-wal")):
            raw = path.read_bytes() if path.exists() else b""
            for needle in needles:
                spellings = {needle.encode(), json.dumps(needle)[1:-1].encode()}
                found += [f"{path.name}: {needle}" for s in spellings if s in raw]
    if settings.redis_url and redis:
        client = Redis.from_url(settings.redis_url)
        keys = [key async for key in client.scan_iter(match=f"{settings.redis_prefix}:*")]
        found += [f"redis: {key!r}" for key in keys if str(user_id).encode() in key]
        await client.aclose()
    return found


async def _staff_chat_text(client: EmulatorClient) -> tuple[str, list[BotMessage]]:
    """What the staff group still shows of the bot's messages: texts and captions, and any
    location left."""
    shown = [m for m in await client.messages(STAFF_CHAT) if m.from_bot and not m.deleted]
    text = "\n".join((m.text or "") + (m.raw.get("caption") or "") for m in shown)
    return text, [m for m in shown if m.kind == "location"]


async def test_forget_leaves_nothing_of_her_in_storage_or_the_staff_chat(
    her: Her, client: EmulatorClient, resources: Resources, settings: Settings
) -> None:
    chat = her(7301991)
    await _handed_off_and_talking(chat)
    staff_text, locations = await _staff_chat_text(client)
    assert PHONE in staff_text and WORDS in staff_text and EDITED in staff_text and locations
    async with resources.sessionmaker() as session:
        assert (await session.scalars(select(FollowUp))).all()  # her check-in, the escalation
        # Her answer to a check-in, audited with her as the actor; an update of hers stored
        # but not handled yet (the bot was stopped, say).
        case = (await session.scalars(select(Case))).one()
        session.add(AuditEntry(actor_id=7301991, action="check_in_yes", case_id=case.id))
        await inbox.store(
            session,
            chat.bot.id,
            [
                {
                    "update_id": 990001,
                    "message": {
                        "message_id": 999,
                        "date": 0,
                        "from": {"id": 7301991, "is_bot": False, "first_name": NAME},
                        "chat": {"id": 7301991, "type": "private"},
                        "text": WORDS,
                    },
                }
            ],
        )
        await session.commit()
    done = await _forget(chat)
    assert done.text.startswith("Удалено всё")  # true: nothing was refused
    staff_text, locations = await _staff_chat_text(client)
    for needle in (PHONE, NOTE, WORDS, EDITED, NAME):
        assert needle not in staff_text
    assert locations == []
    assert "она удалила свои данные" in staff_text.lower()  # the card says why
    needles = [PHONE, NAME, NOTE, WORDS, EDITED]
    left = await _left_in_storage(resources, settings, needles, 7301991)
    assert left == [], "\n".join(left)
    async with resources.sessionmaker() as session:
        case = (await session.scalars(select(Case))).one()
        assert case.dedup_key is None and case.user_id is None and case.kind == "baby"
        assert (await session.scalars(select(FollowUp))).all() == []
        [entry] = (await session.scalars(select(AuditEntry))).all()
        assert entry.actor_id is None and entry.action == "check_in_yes"  # what, not who


async def test_where_telegram_refuses_to_delete_the_text_is_replaced_and_she_is_told(
    her: Her, client: EmulatorClient, resources: Resources, settings: Settings
) -> None:
    chat = her(7301992)
    await _handed_off_and_talking(chat)
    await client.set_clock_offset(49 * 3600)  # her messages are now past Telegram's 48 hours
    try:
        done = await _forget(chat)
    finally:
        await client.set_clock_offset(0)
    # The copy of her message and the notice of her edit: replaced; the location: kept.
    assert "Удалено всё" not in done.text
    assert "старше 48 часов" in done.text and "— 2" in done.text
    assert "геолокация" in done.text and "— 1" in done.text
    staff_text, locations = await _staff_chat_text(client)
    assert staff_text.count("Удалено по просьбе человека") == 2
    for needle in (PHONE, NOTE, WORDS, EDITED):
        assert needle not in staff_text
    assert len(locations) == 1  # Telegram lets the bot neither delete nor change it
    left = await _left_in_storage(resources, settings, [PHONE, NAME, NOTE, WORDS], 7301992)
    assert left == [], "\n".join(left)


async def test_an_applicant_forgotten_leaves_no_application_or_card(
    her: Her, client: EmulatorClient, resources: Resources, settings: Settings
) -> None:
    chat = her(7301993)
    await submit_application(chat, "ru")
    await chat.send("Можно приехать в субботу к 10?")
    staff_text, _ = await _staff_chat_text(client)
    assert FOSTER_NAME in staff_text and "в субботу к 10" in staff_text
    done = await _forget(chat)
    assert done.text.startswith("Удалено всё")
    staff_text, _ = await _staff_chat_text(client)
    assert FOSTER_NAME not in staff_text and "в субботу к 10" not in staff_text
    assert PHONE not in staff_text
    needles = [PHONE, NAME, FOSTER_NAME, "12.03.1985", "в субботу к 10"]
    left = await _left_in_storage(resources, settings, needles, 7301993)
    assert left == [], "\n".join(left)


async def test_forget_after_talking_through_an_application_deletes_everything(
    applicant_with_card: ApplicantWithCard, client: EmulatorClient, resources: Resources
) -> None:
    chat, card = await applicant_with_card(8401)
    await chat.send("Можно приехать в субботу?")
    done = await _forget(chat)
    assert "Удалено" in done.text
    async with resources.sessionmaker() as session:
        assert (await session.scalars(select(Application))).all() == []
        assert (await session.scalars(select(MessageLink))).all() == []
    assert "удалил заявитель" in (await client.message(STAFF_CHAT, card.message_id)).text


async def test_the_purge_takes_idle_cases_drafts_and_conversations(
    her: Her, client: EmulatorClient, resources: Resources, settings: Settings, app
) -> None:
    """An open case nobody touched, a draft application left, a phone typed in a flow she
    left: each goes after its period (seconds here, as settings may say)."""
    mother = her(7301994)
    await _handed_off_and_talking(mother)
    applicant = her(7301995)
    await apply_button(applicant, "ru")
    await applicant.send(FOSTER_NAME)
    await applicant.send("12.03.1985")
    left = her(7301996)  # gives her phone, then goes quiet
    await at_the_note(left)
    async with resources.sessionmaker() as session:
        assert (await session.scalars(select(Application))).all()
    periods = {
        "case_idle_keep": "60",
        "draft_keep": "60",
        "conversation_keep": "60",
        "chat_log_keep": "60",
        "user_keep": "60",
    }
    short = Settings(_env_file=None, **{**settings.model_dump(), **periods})
    assert short.conversation_keep == timedelta(seconds=60)
    dispatcher, bot = app
    runner = create_runner(bot, dispatcher, resources, short)
    assert await runner.purge(utcnow() + timedelta(seconds=30)) == 0  # not yet
    runner.holder = "next-day"
    assert await runner.purge(utcnow() + timedelta(days=1)) == 2  # the case, the draft
    staff_text, locations = await _staff_chat_text(client)
    for needle in (PHONE, NOTE, WORDS, EDITED, FOSTER_NAME):
        assert needle not in staff_text
    assert locations == []
    needles = [PHONE, NAME, NOTE, WORDS, EDITED, FOSTER_NAME, "12.03.1985"]
    for user_id in (7301994, 7301995, 7301996):
        left = await _left_in_storage(resources, settings, needles, user_id, redis=False)
    assert left == [], "\n".join(left)
    if settings.redis_url:  # Redis forgets an idle conversation itself: its keys expire
        keep = settings.conversation_keep.total_seconds()  # the period the bot was started with
        redis = Redis.from_url(settings.redis_url)
        keys = [key async for key in redis.scan_iter(match=f"{settings.redis_prefix}:fsm:*")]
        ttls = [await redis.ttl(key) for key in keys]
        assert ttls and all(0 < ttl <= keep for ttl in ttls)
        await redis.aclose()
    async with resources.sessionmaker() as session:
        case = (await session.scalars(select(Case))).one()
        assert case.status == "closed" and case.phone is None and case.kind == "baby"
        assert (await session.scalars(select(Application))).all() == []
        assert (await session.scalars(select(User))).all() == []
