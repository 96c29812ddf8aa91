"""The staff workspace through the real dispatcher: cards, topics, the two-way relay, roles."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from bot.app import Resources
from bot.emulator.client import EmulatorClient
from bot.workspace.cards import StaffTexts
from storage.models import AuditEntry, Case, FollowUp
from tests.support.chat import Chat, feed, one_case, staff_posts
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.mother import MotherWithCase, handed_off
from tests.support.staff import StaffMember, Workspace


async def _audit(resources: Resources, action: str) -> list[AuditEntry]:
    async with resources.sessionmaker() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


async def test_handoff_loop_in_a_forum_group(
    mother_with_case: MotherWithCase, client: EmulatorClient, admin: StaffMember
) -> None:
    mother, case = await mother_with_case(8001, "kk")
    assert case.thread_id is not None  # its own topic
    assert len(await client.calls("createForumTopic")) == 1
    [card] = [m for m in await staff_posts(client) if m.message_id == case.card_message_id]
    assert card.thread_id == case.thread_id and "✋ Взять" in card.button_texts

    card = await admin.press_on_card(case, "✋ Взять")
    assert "В работе у: Айгерим" in card.text and "✋ Взять" not in card.button_texts

    await admin.write("Сәлеметсіз бе! Ертең 10-да қоңырау шаламыз.", thread_id=case.thread_id)
    reply = (await mother.user.bot_messages())[-1]
    assert reply.text.startswith("💬 «Ана үйі» қоры:")  # as the foundation, no staff name
    assert "Айгерим" not in reply.text and "10-да" in reply.text

    answer = await mother.send("Рахмет, күтемін")
    assert "жіберілді" in answer[-1].text
    in_topic = [m for m in await staff_posts(client) if m.thread_id == case.thread_id]
    assert in_topic[-1].text == "Рахмет, күтемін"


async def test_handoff_loop_in_a_plain_group_is_threaded_by_replies(
    mother_with_case: MotherWithCase, client: EmulatorClient, admin: StaffMember, plain_group
) -> None:
    plain = plain_group.staff_chat_id
    mother, case = await mother_with_case(8002)
    assert case.staff_chat_id == plain and case.thread_id is None
    assert await client.calls("createForumTopic") == []
    admin = admin.in_group(plain)
    card = await admin.card(case)
    await admin.write("Здравствуйте! Позвоним в 15:00.", reply_to=card.message_id)
    assert "Позвоним в 15:00" in (await mother.user.bot_messages())[-1].text
    await mother.send("Хорошо, жду")
    relayed = (await staff_posts(client, plain))[-1]
    assert relayed.text == "Хорошо, жду" and relayed.reply_to == card.message_id
    # A reply to her relayed message reaches her too.
    await admin.write("Мы рядом.", reply_to=relayed.message_id)
    assert "Мы рядом." in (await mother.user.bot_messages())[-1].text


async def test_two_staff_press_take_at_once_and_one_wins(
    workspace: Workspace, app, settings
) -> None:
    dispatcher, _bot = app
    dispatcher["settings"] = settings.model_copy(update={"admin_ids": (ADMIN, 900002)})
    admin, other = workspace.admin, workspace.person(900002, "Дина")
    _mother, case = await workspace.mother_with_case(8003)
    card = await admin.card(case)
    first = await admin.user.press(card, text="✋ Взять", chat_id=STAFF_CHAT)
    second = await other.user.press(card, text="✋ Взять", chat_id=STAFF_CHAT)
    await asyncio.gather(feed(app, first), feed(app, second))  # both pressed before either ran
    taken = await workspace.case()
    assert taken.taken_by in (ADMIN, 900002)
    answers = await workspace.answers()
    assert sum("Уже взято" in text for text in answers) == 1
    assert sum("Обращение ваше" in text for text in answers) == 1
    assert len(await _audit(workspace.resources, "take")) == 1


async def test_non_staff_and_forged_buttons_are_refused_and_audited(workspace: Workspace) -> None:
    _mother, case = await workspace.mother_with_case(8004)
    card = await workspace.admin.card(case)
    stranger = workspace.person(8999, "Чужой")
    await stranger.press(card, "✅ Закрыть")
    await stranger.press(card, data=f"sc:close:{case.id}", forge=True)
    assert (await workspace.case()).status != "closed"
    # Both refused, each told; audited once: one row per person per minute (issue 13).
    assert len(await _audit(workspace.resources, "denied_button")) == 1
    assert (await workspace.answers()).count("Это могут делать только сотрудники фонда.") == 2
    # Staff pressing a forged button for a case that does not exist: a plain answer.
    await workspace.admin.press(card, data="sc:close:999999", forge=True)
    await workspace.admin.press(card, data="sc:zzz:1", forge=True)
    assert (await workspace.answers())[-2:] == ["Этого обращения больше нет."] * 2


async def test_a_deleted_topic_is_made_again_and_nothing_is_lost(
    mother_with_case: MotherWithCase, client: EmulatorClient, resources: Resources
) -> None:
    mother, old = await mother_with_case(8005)
    await client.delete_topic(STAFF_CHAT, old.thread_id)
    await mother.send("Вы тут?")
    new = await one_case(resources)
    assert new.thread_id is not None and new.thread_id != old.thread_id
    assert len(await client.calls("createForumTopic")) == 2
    in_topic = [m for m in await staff_posts(client) if m.thread_id == new.thread_id]
    assert any("№" in (m.text or "") and m.button_texts for m in in_topic)  # the card again
    assert any("Тема была удалена" in (m.text or "") for m in in_topic)  # with the history
    assert in_topic[-1].text == "Вы тут?"


async def test_internal_notes_stay_with_staff_and_blocked_person_is_reported(
    mother_with_case: MotherWithCase, client: EmulatorClient, admin: StaffMember
) -> None:
    mother, case = await mother_with_case(8006)
    before = len(await mother.user.bot_messages())
    await admin.write("!позвонить завтра утром", thread_id=case.thread_id)
    await admin.write("/note муж агрессивный", thread_id=case.thread_id)
    assert len(await mother.user.bot_messages()) == before  # nothing reached her
    [_case_reply] = [m for m in await staff_posts(client) if "Заметка сохранена" in (m.text or "")]
    await mother.user.block()
    await admin.write("Алло?", thread_id=case.thread_id)
    assert "она заблокировала бота" in (await staff_posts(client))[-1].text


async def test_closed_case_offers_reopen_and_edits_reach_the_thread(workspace: Workspace) -> None:
    admin = workspace.admin
    mother, case = await workspace.mother_with_case(8007)
    sent = await mother.user.send("Я у вокзала")
    await mother.do(sent)
    await mother.edit(sent, "Я у автовокзала")
    assert "исправила сообщение: Я у автовокзала" in (await workspace.posts())[-1].text
    await admin.press_on_card(case, "✅ Закрыть")
    assert (await workspace.case()).status == "closed"
    await admin.write("Ещё вопрос", thread_id=case.thread_id)
    offer = (await workspace.posts())[-1]
    assert "закрыто" in offer.text and "↩️ Открыть снова" in offer.button_texts
    await admin.press(offer, "↩️ Открыть снова")
    assert (await workspace.case()).status == "new"  # nobody had taken it before closing


async def test_remind_me_schedules_a_follow_up_for_the_staff_member(
    workspace: Workspace,
) -> None:
    admin, resources = workspace.admin, workspace.resources
    _mother, case = await workspace.mother_with_case(8008)
    menu = await admin.press_on_card(case, "⏰ Напомнить")
    hour = menu.button_data("Через час")
    await admin.press(menu, data=hour)
    await admin.press(menu, data=hour, forge=True)  # double tap
    await admin.press_on_card(case, "⏰ Напомнить")
    await admin.press_on_card(case, "✍️ Другое время")
    await admin.write("завтра", thread_id=case.thread_id)
    assert "Не получается прочитать время" in (await workspace.posts())[-1].text
    await admin.write("23:59", thread_id=case.thread_id)
    async with resources.sessionmaker() as session:
        reminders = list(
            await session.scalars(select(FollowUp).where(FollowUp.kind == "staff_reminder"))
        )
    assert len(reminders) == 2 and {r.target_chat_id for r in reminders} == {ADMIN}


async def test_invitation_roles_and_reports(
    chat_with: Callable[..., Chat], resources: Resources, admin: StaffMember
) -> None:
    mother = chat_with(user_id=8009, language_code="ru")
    await handed_off(mother)
    link = await admin.invitation("coordinator")
    coordinator = chat_with(user_id=8100, language_code="ru")
    [welcome] = await coordinator.send(link)
    assert "Добро пожаловать" in welcome.text
    intruder = chat_with(user_id=8101, language_code="ru")
    [refused] = await intruder.send(link)  # a link works once
    assert "уже использовано" in refused.text

    [queue] = await coordinator.send("/queue")
    assert "№" in queue.text and "Открытые обращения: 1" in queue.text
    [found] = await coordinator.send("/find +7 701 234 56 78")
    assert "№" in found.text
    [one] = await coordinator.send("/case 1")
    assert "Нужна коляска" in one.text
    [denied] = await coordinator.send("/export 30d personal")
    assert "роль" in denied.text
    await coordinator.send("/export 30d")
    files = [m for m in await coordinator.user.bot_messages() if m.kind == "document"]
    assert len(files) == 2
    stats, outcomes = await coordinator.send("/stats 30d")
    assert stats.kind == "photo" and "Обращений: 1" in stats.text
    assert (
        outcomes.kind == "photo" and "Итоги за" in outcomes.text and "ещё открыто" in outcomes.text
    )
    [audit_denied] = await coordinator.send("/audit 5")
    assert "роль" in audit_denied.text
    log = (await admin.in_private("/audit 50"))[-1].text
    assert "invite" in log and "export" in log and "denied_command" in log
    async with resources.sessionmaker() as session:
        exports = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "export"))
        )
        assert len(exports) == 1 and exports[0].details["personal"] is False


@pytest.mark.parametrize(
    "command",
    [
        "/queue",
        "/my",
        "/case 1",
        "/find 1",
        "/stats",
        "/export",
        "/audit",
        "/invite admin",
        "/staff",
        "/remove 1",
        "/sign on",
    ],
)
async def test_every_staff_command_checks_the_role(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    app,
    command: str,
) -> None:
    person = chat_with(user_id=8200, language_code="en")
    [reply] = await person.send(command)
    assert "I don't know this command" in reply.text  # to her it is just an unknown command
    stranger = client.user(8201, "Stranger", language_code="ru")
    await feed(app, await stranger.send(command, chat_id=STAFF_CHAT))
    assert "только сотрудники" in (await staff_posts(client))[-1].text
    async with resources.sessionmaker() as session:
        denied = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "denied_command")
        )
    assert denied == 2


async def test_staff_alert_arrives_once_through_429_5xx_and_slow_replies(
    mother_with_case: MotherWithCase, client: EmulatorClient
) -> None:
    await client.inject_fault("createForumTopic", "502", count=1)
    await client.inject_fault("sendMessage", "429", count=2, retry_after=3, chat_id=STAFF_CHAT)
    await client.inject_fault("sendMessage", "500", count=2, chat_id=STAFF_CHAT)
    await client.inject_fault("sendMessage", "delay", count=1, delay=0.3, chat_id=STAFF_CHAT)
    _mother, case = await mother_with_case(8300)
    cards = [m for m in await staff_posts(client) if m.button_texts and "№" in (m.text or "")]
    assert len(cards) == 1 and cards[0].message_id == case.card_message_id
    assert len(await client.calls("createForumTopic")) == 2  # the 502 was retried once


async def test_a_message_staff_did_not_get_is_delivered_later(
    mother_with_case: MotherWithCase, client: EmulatorClient, resources: Resources, app, settings
) -> None:
    from bot.follow_ups.ticker import create_runner

    mother, case = await mother_with_case(8400)
    await client.inject_fault("copyMessage", "403", count=1, chat_id=STAFF_CHAT)  # bot removed, say
    [ack] = await mother.send("Я у вокзала, жду")
    assert "Сохранено" in ack.text
    dispatcher, bot = app
    await create_runner(bot, dispatcher, resources, settings).tick()
    in_topic = [m for m in await staff_posts(client) if m.thread_id == case.thread_id]
    assert in_topic[-1].text == "Я у вокзала, жду"


async def test_a_forged_non_staff_button_in_a_group_still_stops_its_spinner(
    workspace: Workspace,
) -> None:
    _mother, case = await workspace.mother_with_case(8011)
    card = await workspace.admin.card(case)
    stranger = workspace.person(8998, "Чужой")
    for presser, data in ((stranger, "m:home"), (workspace.admin, "rg:aktobe"), (stranger, "")):
        await presser.press(card, data=data, forge=True)
    answered = (await workspace.client.callback_answers())[-3:]
    assert [a["answered"] for a in answered] == [True] * 3
    assert (await workspace.case()).status == "new"


async def test_waiting_for_a_case_topic_never_holds_a_write(
    chat_with: Callable[..., Chat], resources: Resources, app, staff_texts: StaffTexts
) -> None:
    """A relay that has stored her message link and must wait for the case's topic (another
    task is making it, and must write its id) commits first: holding the write while waiting
    deadlocked the two, and every update behind them, until SQLite's 30 s busy timeout."""
    from sqlalchemy import update

    from bot.workspace.case_threads import CaseThreads

    dispatcher, bot = app
    await handed_off(chat_with(user_id=8301, language_code="ru"), "ru")
    threads: CaseThreads = dispatcher["case_threads"]
    coordination = dispatcher["coordination"]
    async with resources.sessionmaker() as relay:
        case = (await relay.scalars(select(Case))).one()
        gone = case.thread_id  # as if someone deleted the topic: it must be made again
        await relay.execute(update(Case).where(Case.id == case.id).values(note="her words"))
        holding = asyncio.Event()

        async def making_the_topic() -> None:
            async with coordination.lock(f"topic:{case.id}"):
                holding.set()
                async with resources.sessionmaker() as maker:
                    await maker.execute(
                        update(Case).where(Case.id == case.id).values(urgency="urgent")
                    )
                    await maker.commit()

        maker_task = asyncio.create_task(making_the_topic())
        await holding.wait()
        thread = await asyncio.wait_for(threads.topic(bot, relay, case, staff_texts, gone=gone), 10)
        await asyncio.wait_for(maker_task, 10)
    assert thread is not None and thread != gone
    async with resources.sessionmaker() as session:
        stored = (await session.scalars(select(Case))).one()
    assert (stored.note, stored.urgency, stored.thread_id) == ("her words", "urgent", thread)
