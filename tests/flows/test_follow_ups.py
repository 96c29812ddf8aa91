"""Follow-ups as rows: each kind fires once at its time; claims, retries, leases, the inbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient
from bot.follow_ups.runner import FollowUpRunner
from bot.follow_ups.ticker import create_runner
from bot.middlewares.inbox import replay_unfinished
from bot.services.follow_ups import escalation_due
from bot.services.schedule import parse_working_hours
from storage import inbox
from storage.models import Case, FollowUp, InboxUpdate
from tests.support.chat import Chat, one_case, staff_posts, with_button
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.mother import LABELS, MotherWithCase, at_step, at_the_note, handed_off
from tests.support.staff import StaffMember, Workspace

URGENT = {"safety": "night", "note": None}  # nowhere to sleep tonight: an urgent case

Runners = Callable[..., FollowUpRunner]


@pytest.fixture
def runners(app: tuple[Dispatcher, Bot], resources: Resources, settings: Settings) -> Runners:
    """Follow-up runners as the ticker makes them: `runners()`, `runners("b")` for a second
    instance, `runners(follow_up_max_attempts=2)` with other settings."""

    def make(holder: str = "test-1", **settings_update: Any) -> FollowUpRunner:
        dispatcher, bot = app
        changed = settings.model_copy(update=settings_update)
        runner = create_runner(bot, dispatcher, resources, changed)
        runner.holder = holder
        return runner

    return make


async def _urgent_case(chat: Chat) -> None:
    await handed_off(chat, **URGENT)


async def test_untaken_urgent_case_is_escalated_once_then_to_coordinators(
    mother_with_case: MotherWithCase, client: EmulatorClient, runners: Runners, admin
) -> None:
    await admin.open_private()
    _mother, case = await mother_with_case(9001, **URGENT)
    runner = runners()
    start = case.created_at
    assert await runner.tick(start + timedelta(minutes=5)) == 0  # not yet
    before = len(await staff_posts(client))
    assert await runner.tick(start + timedelta(minutes=11)) == 1
    posts = await staff_posts(client)
    assert len(posts) == before + 1 and "всё ещё ждёт" in posts[-1].text
    assert posts[-1].thread_id == case.thread_id
    assert await runner.tick(start + timedelta(minutes=12)) == 0  # once, not twice
    await runner.tick(start + timedelta(minutes=42))  # then the coordinators, in private
    private = [m for m in await admin.user.bot_messages() if "никто не взял" in (m.text or "")]
    assert len(private) == 1


async def test_taking_the_case_cancels_its_escalation(
    mother_with_case: MotherWithCase, client: EmulatorClient, runners: Runners, admin
) -> None:
    await admin.open_private()
    _mother, case = await mother_with_case(9002, **URGENT)
    await admin.press_on_card(case, "✋ Взять")
    before = len(await staff_posts(client))
    assert await runners().tick(case.created_at + timedelta(hours=2)) == 0
    assert len(await staff_posts(client)) == before


async def test_a_take_cut_short_after_it_was_stored_still_shows_on_the_card(
    workspace: Workspace, app
) -> None:
    """The take is stored, then Telegram fails before the card is edited (as a crash there
    would): the replay of her press finds the case taken by the same person and edits the card,
    instead of telling them someone already took it."""
    client, resources, admin = workspace.client, workspace.resources, workspace.admin
    await admin.open_private()
    _mother, case = await workspace.mother_with_case(9004, **URGENT)
    dispatcher, bot = app
    await client.inject_fault("answerCallbackQuery", "500", count=50)
    card = await admin.press_on_card(case, "✋ Взять")
    await client.clear_faults()
    assert (await one_case(resources)).taken_by == ADMIN
    assert "✋ Взять" in card.button_texts

    assert await replay_unfinished(dispatcher, bot, resources.sessionmaker) == 1
    card = await admin.card(case)
    assert "✋ Взять" not in card.button_texts and "Айгерим" in card.text
    answers = [a.get("text") or "" for a in await client.callback_answers()]
    assert not any("Уже взято" in text for text in answers), answers


async def test_remind_me_reaches_the_staff_member_in_private(
    mother_with_case: MotherWithCase, runners: Runners, admin: StaffMember
) -> None:
    await admin.open_private()
    _mother, case = await mother_with_case(9003, **URGENT)
    for button in ("✋ Взять", "⏰ Напомнить", "Через час"):
        await admin.press_on_card(case, button)
    runner = runners()
    now = datetime.now(case.created_at.tzinfo)
    assert await runner.tick(now + timedelta(minutes=30)) == 0
    assert await runner.tick(now + timedelta(minutes=61)) == 1
    [reminder] = [m for m in await admin.user.bot_messages() if "Напоминание" in (m.text or "")]
    assert f"№ {case.id}" in reminder.text and "t.me/c/1000000001/" in reminder.text


async def test_check_in_not_yet_reopens_and_escalates(
    workspace: Workspace, runners: Runners
) -> None:
    await workspace.admin.open_private()
    mother, case = await workspace.mother_with_case(9004, "kk", note=None)
    await workspace.admin.press_on_card(case, "✋ Взять")
    runner = runners()
    await runner.tick(case.created_at + timedelta(hours=25))
    question = (await mother.user.bot_messages())[-1]
    assert "хабарласты ма" in question.text
    [thanks] = await mother.press(question, "⏳ Әзірге жоқ")
    assert "112" in thanks.text
    case = await workspace.case()
    assert case.urgency == "urgent" and case.taken_by is None
    assert any("никто не связался" in (m.text or "") for m in await workspace.posts())
    await runner.tick(datetime.now(case.created_at.tzinfo) + timedelta(seconds=1))
    assert any("всё ещё ждёт" in (m.text or "") for m in await workspace.posts())


async def test_failures_retry_with_backoff_then_stop_and_tell_admins(
    workspace: Workspace, runners: Runners
) -> None:
    client, resources, admin = workspace.client, workspace.resources, workspace.admin
    await admin.open_private()
    _mother, case = await workspace.mother_with_case(9005, **URGENT)
    runner = runners(follow_up_max_attempts=2)
    await client.inject_fault("sendMessage", "500", count=1000, chat_id=STAFF_CHAT)
    when = case.created_at + timedelta(minutes=11)
    assert await runner.tick(when) == 1
    async with resources.sessionmaker() as session:
        row = await session.scalar(select(FollowUp).where(FollowUp.kind == "escalation"))
        assert row.state == "pending" and row.attempts == 1 and row.due_at > when
        due = row.due_at
    assert await runner.tick(due) == 1
    async with resources.sessionmaker() as session:
        row = await session.scalar(select(FollowUp).where(FollowUp.kind == "escalation"))
        assert row.state == "failed" and row.last_error
    assert any("остановлена" in (m.text or "") for m in await admin.user.bot_messages())


async def test_two_instances_claim_each_row_once_and_a_dead_claim_is_taken_over(
    workspace: Workspace, chat_with: Callable[..., Chat], runners: Runners
) -> None:
    resources = workspace.resources
    await workspace.admin.open_private()
    for user_id in (9011, 9012, 9013):
        await _urgent_case(chat_with(user_id=user_id, language_code="ru"))
    first, second = runners("a"), runners("b")
    async with resources.sessionmaker() as session:
        newest = max(c.created_at for c in await session.scalars(select(Case)))
    later = newest + timedelta(minutes=11)
    counts = await asyncio.gather(first.tick(later), second.tick(later))
    assert sum(counts) == 3
    posts = [m for m in await workspace.posts() if "всё ещё ждёт" in (m.text or "")]
    assert len(posts) == 3
    # A row claimed by an instance that died is claimed again after a while.
    async with resources.sessionmaker() as session:
        row = await session.scalar(select(FollowUp).where(FollowUp.kind == "check_in").limit(1))
        row.state, row.claimed_by, row.claimed_at = "claimed", "dead", later
        await session.commit()
    assert await first.tick(later + timedelta(minutes=1)) == 0
    assert await first.tick(later + timedelta(hours=30)) >= 1


async def test_daily_digest_once_per_day_and_retention_purge(
    workspace: Workspace, chat_with: Callable[..., Chat], runners: Runners, settings: Settings
) -> None:
    resources = workspace.resources
    await _urgent_case(chat_with(user_id=9021, language_code="ru"))
    first, second = runners("a"), runners("b")
    assert await first.digest() == 1
    assert await second.digest() == 0  # the other instance holds today's lease
    assert "Ждут сегодня: 1" in (await workspace.posts())[-1].text
    async with resources.sessionmaker() as session:
        case = (await session.scalars(select(Case))).one()
        case.status, case.closed_at = "closed", case.created_at
        await session.commit()
    assert await first.purge(case.created_at + timedelta(days=settings.retention_days - 1)) == 0
    assert await first.purge(case.created_at + timedelta(days=settings.retention_days + 1)) == 1
    case = await workspace.case()
    assert case.phone is None and case.note is None and case.kind == "baby"


async def test_an_update_stored_but_not_handled_is_replayed_once(
    chat_with: Callable[..., Chat], resources: Resources, app
) -> None:
    dispatcher, bot = app
    chat = chat_with(user_id=9031, language_code="en")
    update = await chat.user.send("/start")
    async with resources.sessionmaker() as session:
        await inbox.store(session, bot.id, [update])  # as the recorder does, then a crash
        await session.commit()
    assert await replay_unfinished(dispatcher, bot, resources.sessionmaker) == 1
    replies = await chat.user.bot_messages()
    assert len(replies) == 1 and replies[0].text.startswith("Hello!")
    await dispatcher.feed_raw_update(bot, update)  # Telegram delivers it again
    assert len(await chat.user.bot_messages()) == 1
    assert await replay_unfinished(dispatcher, bot, resources.sessionmaker) == 0
    async with resources.sessionmaker() as session:
        assert (await session.scalars(select(InboxUpdate))).one().state == "done"


async def test_a_handoff_cut_short_before_her_confirmation_is_replayed_to_it_once(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, app
) -> None:
    """Telegram fails after her case and its card are stored and sent, just as her confirmation
    is due (as a crash there would). The replay starts from the step she was on, so she gets
    her case number, once; the case and its card are not made again."""
    dispatcher, bot = app
    mother = chat_with(user_id=9035, language_code="ru")
    words = LABELS["ru"]
    steps = await at_the_note(mother)
    # More failures than the inline retries: the update ends unfinished, as after a kill.
    await client.inject_fault("sendMessage", "500", count=50, chat_id=mother.user.chat_id)
    await mother.press(with_button(steps, words["no_note"]), words["no_note"])
    case = await one_case(resources)
    assert case.card_message_id is not None
    assert not any(words["handed"] in (m.text or "") for m in await mother.user.bot_messages())
    await client.clear_faults()

    assert await replay_unfinished(dispatcher, bot, resources.sessionmaker) == 1
    handed = [m for m in await mother.user.bot_messages() if words["handed"] in (m.text or "")]
    assert len(handed) == 1 and f"№ {case.id}" in handed[0].text
    async with resources.sessionmaker() as session:
        assert len((await session.scalars(select(Case))).all()) == 1
        assert (await session.scalars(select(InboxUpdate.fsm_before))).all() == [None] * len(
            (await session.scalars(select(InboxUpdate))).all()
        )
    cards = [m for m in await staff_posts(client) if m.button_texts]
    assert len(cards) == 1
    # Her next message is a message to the staff, as after any handoff.
    after = await mother.send("Спасибо")
    assert any("Передано сотрудникам" in (m.text or "") for m in after)


async def test_a_replay_never_rewinds_a_conversation_that_moved_on(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources, app
) -> None:
    """Her consent is stored, then Telegram fails before the phone question reaches her. She
    types her number anyway, and it is saved. The late replay of the consent must not take
    her back a step and drop the number she gave."""
    dispatcher, bot = app
    mother = chat_with(user_id=9036, language_code="ru")
    words = LABELS["ru"]
    steps = await at_step(mother, "ru", "consent")
    await client.inject_fault("sendMessage", "500", count=50, chat_id=mother.user.chat_id)
    await mother.press(with_button(steps, words["agree"]), words["agree"])
    await client.clear_faults()
    context = dispatcher.fsm.get_context(bot, chat_id=9036, user_id=9036)
    assert await context.get_state() == "Mother:phone"  # stored; her question never came

    await mother.send("+7 701 234 56 78")  # she goes on
    assert await context.get_state() == "Mother:way"
    assert await replay_unfinished(dispatcher, bot, resources.sessionmaker) == 1
    assert await context.get_state() == "Mother:way"
    assert (await context.get_data())["phone"] == "+77012345678"
    async with resources.sessionmaker() as session:
        rows = (await session.execute(select(InboxUpdate.state, InboxUpdate.fsm_before))).all()
    assert rows and all(row == ("done", None) for row in rows), rows


def test_normal_escalations_wait_for_working_hours() -> None:
    from zoneinfo import ZoneInfo

    almaty = ZoneInfo("Asia/Almaty")
    hours = parse_working_hours("Mon-Fri 09:00-18:00")
    friday_evening = datetime(2026, 11, 27, 17, 0, tzinfo=almaty)
    due_after = partial(
        escalation_due,
        urgent_after=timedelta(minutes=10),
        normal_after=timedelta(hours=4),
        hours=hours,
        zone=almaty,
    )
    due = due_after(friday_evening, urgent=False)
    assert due.astimezone(almaty).weekday() == 0 and due.astimezone(almaty).hour == 10
    urgent = due_after(friday_evening, urgent=True)
    assert urgent == friday_evening + timedelta(minutes=10)


async def test_a_check_in_to_a_person_who_blocked_the_bot_is_reported_to_staff(
    mother_with_case: MotherWithCase, client: EmulatorClient, resources: Resources, runners
) -> None:
    mother, case = await mother_with_case(9041, **URGENT)
    await mother.user.block()
    runner = runners()
    await runner.tick(case.created_at + timedelta(hours=25))
    assert any("заблокировала бота" in (m.text or "") for m in await staff_posts(client))
    async with resources.sessionmaker() as session:
        row = await session.scalar(select(FollowUp).where(FollowUp.kind == "check_in"))
        assert row.state == "done"


async def test_a_handled_update_keeps_no_words_in_the_inbox(
    chat_with: Callable[..., Chat], resources: Resources
) -> None:
    chat = chat_with(user_id=9051, language_code="ru")
    await chat.send("/start")
    await chat.send("мой номер 87012345678")
    async with resources.sessionmaker() as session:
        rows = list(await session.scalars(select(InboxUpdate)))
    assert rows and all(row.state == "done" and row.payload == {} for row in rows)
