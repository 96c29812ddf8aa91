"""Who may do what in the staff workspace, played through the real dispatcher (issue 13).

The matrix below reads like the table in bot/services/permissions.py: every staff command,
button and reply, played by each kind of person, in her private chat with the bot and in the
staff group where the case's card is.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import delete, func, select, update

from bot.app import Resources
from bot.emulator.client import BotMessage, EmulatorClient, UserClient
from bot.ui.callbacks import StaffAction, StaffAppCb, StaffCb
from bot.workspace.cards import StaffTexts
from storage.models import (
    Application,
    ApplicationStatus,
    AuditEntry,
    Case,
    FollowUp,
    MessageLink,
    Staff,
    utcnow,
)
from tests.support.chat import Chat, feed
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.foster import submit_application
from tests.support.mother import MotherWithCase, handed_off
from tests.support.staff import StaffMember, Workspace, register

PHONE = "+77012345678"
PEOPLE = ("admin", "coordinator", "own house", "other house", "removed", "stranger")
IDS = {
    "admin": ADMIN,
    "coordinator": 8501,
    "own house": 8502,
    "other house": 8503,
    "removed": 8504,
    "stranger": 8505,
}

# Y: she gets it (sees the case, the action is done); N: refused, or the case is not shown;
# P: in a group she is told to use her private chat with the bot, and nothing is posted.
# "-": not played (a reply in a case's topic exists only in the group).
# fmt: off
MATRIX: dict[str, tuple[str, str]] = {
    #                            private chat                  staff group
    #                            adm coo own oth rem str      adm coo own oth rem str
    "/queue":                   ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "/my":                      ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "/case N":                  ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "/find N":                  ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "/find phone":              ("Y   Y   Y   N   N   N",    "P   P   P   P   N   N"),
    "/stats":                   ("Y   Y   N   N   N   N",    "Y   Y   N   N   N   N"),
    "/export":                  ("Y   Y   N   N   N   N",    "Y   Y   N   N   N   N"),
    "/export personal":         ("Y   N   N   N   N   N",    "P   N   N   N   N   N"),
    "/audit":                   ("Y   N   N   N   N   N",    "P   N   N   N   N   N"),
    "/invite":                  ("Y   N   N   N   N   N",    "P   N   N   N   N   N"),
    "/staff":                   ("Y   Y   N   N   N   N",    "P   P   N   N   N   N"),
    "/remove":                  ("Y   N   N   N   N   N",    "Y   N   N   N   N   N"),
    "/sign":                    ("Y   Y   Y   Y   N   N",    "Y   Y   Y   Y   N   N"),
    "/training":                ("Y   Y   N   N   N   N",    "Y   Y   N   N   N   N"),
    "sc:take":                  ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "sc:status":                ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "sc:remind":                ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "sc:close":                 ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
    "sa:take":                  ("Y   Y   N   N   N   N",    "Y   Y   N   N   N   N"),
    "sa:status":                ("Y   Y   N   N   N   N",    "Y   Y   N   N   N   N"),
    "reply in topic":           ("-   -   -   -   -   -",    "Y   Y   Y   N   N   N"),
    "reply to application":     ("-   -   -   -   -   -",    "Y   Y   N   N   N   N"),
    "sc:note":                  ("Y   Y   Y   N   N   N",    "Y   Y   Y   N   N   N"),
}
# fmt: on


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


@dataclass
class World:
    dispatcher: Dispatcher
    bot: Bot
    client: EmulatorClient
    resources: Resources
    t: StaffTexts
    mother: Chat
    applicant: Chat
    case: Case
    application: Application
    app_card: BotMessage
    people: dict[str, UserClient]

    async def reset(self) -> None:
        """Each cell starts from the same case and application."""
        async with self.resources.sessionmaker() as session:
            await session.execute(
                update(Case)
                .where(Case.id == self.case.id)
                .values(taken_by=None, taken_by_name=None, status="new", closed_at=None)
            )
            await session.execute(
                update(Application)
                .where(Application.id == self.application.id)
                .values(status="submitted", taken_by=None, taken_by_name=None, training_at=None)
            )
            await session.execute(delete(FollowUp).where(FollowUp.kind == "staff_reminder"))
            await session.commit()

    async def case_now(self) -> Case:
        async with self.resources.sessionmaker() as session:
            case = await session.get(Case, self.case.id)
            assert case is not None
            return case

    async def application_now(self) -> Application:
        async with self.resources.sessionmaker() as session:
            application = await session.get(Application, self.application.id)
            assert application is not None
            return application


@pytest.fixture
async def world(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    app: tuple[Dispatcher, Bot],
    staff_texts: StaffTexts,
) -> World:
    dispatcher, bot = app
    mother = chat_with(user_id=8401, language_code="ru")
    await handed_off(mother)
    applicant = chat_with(user_id=8402, language_code="ru")
    await submit_application(applicant, "ru")
    async with resources.sessionmaker() as session:
        case = (await session.scalars(select(Case))).one()
        application = (await session.scalars(select(Application))).one()
    assert case.shelter_id is not None and case.staff_chat_id == STAFF_CHAT
    other = "almaty-1" if case.shelter_id != "almaty-1" else "astana-1"
    for who, role, house in (
        ("coordinator", "coordinator", None),
        ("own house", "house_staff", case.shelter_id),
        ("other house", "house_staff", other),
        ("removed", "house_staff", case.shelter_id),
    ):
        await register(resources, IDS[who], role, house, who)
    async with resources.sessionmaker() as session:
        await session.execute(
            update(Staff).where(Staff.user_id == IDS["removed"]).values(removed_at=utcnow())
        )
        await session.commit()
    assert application.staff_chat_id == STAFF_CHAT and application.card_message_id is not None
    app_card = await client.message(STAFF_CHAT, application.card_message_id)
    people = {who: client.user(IDS[who], who.title(), language_code="ru") for who in PEOPLE}
    for person in people.values():  # a message of hers in private, to press forged buttons on
        await dispatcher.feed_raw_update(bot, await person.send("/start"))
    return World(
        dispatcher,
        bot,
        client,
        resources,
        staff_texts,
        mother,
        applicant,
        case,
        application,
        app_card,
        people,
    )


@dataclass
class Outcome:
    texts: list[str]  # new bot messages in the chat and callback answers, as staff read them
    documents: int
    photos: int
    mother_got: list[str]
    applicant_got: list[str]


Play = Callable[[World, str, UserClient, bool], Awaitable[dict[str, Any]]]
Done = Callable[[World, str, Outcome], Awaitable[bool]]


def _command(text: Callable[[World], str]) -> Play:
    async def play(w: World, who: str, user: UserClient, group: bool) -> dict[str, Any]:
        return await user.send(text(w), chat_id=STAFF_CHAT if group else None)

    return play


def _button(data: Callable[[World], str], *, on_application_card: bool = False) -> Play:
    async def play(w: World, who: str, user: UserClient, group: bool) -> dict[str, Any]:
        if group:
            card = w.app_card if on_application_card else w.case.card_message_id
            return await user.press(card, data=data(w), forge=True, chat_id=STAFF_CHAT)
        mine = (await w.client.messages(user.chat_id))[-1]
        return await user.press(mine, data=data(w), forge=True)

    return play


def _case_button(action: StaffAction) -> Play:
    """A button of the case's card (or forged in her private chat)."""
    return _button(lambda w: StaffCb(action=action, case_id=w.case.id).pack())


def _said(*markers: Callable[[World], str]) -> Done:
    async def done(w: World, who: str, out: Outcome) -> bool:
        return any(_plain(marker(w)) in text for marker in markers for text in out.texts)

    return done


def _case_shown(w: World) -> str:
    return f"№ {w.case.id} "


async def _my_case(w: World, who: str, out: Outcome) -> bool:
    return any(_case_shown(w) in text for text in out.texts)


async def _phone_shown(w: World, who: str, out: Outcome) -> bool:
    return any(PHONE in text for text in out.texts)


async def _taken(w: World, who: str, out: Outcome) -> bool:
    return (await w.case_now()).taken_by == IDS[who]


def _status(status: str) -> Done:
    async def done(w: World, who: str, out: Outcome) -> bool:
        return (await w.case_now()).status == status

    return done


async def _reminder(w: World, who: str, out: Outcome) -> bool:
    async with w.resources.sessionmaker() as session:
        return bool(
            await session.scalar(
                select(func.count())
                .select_from(FollowUp)
                .where(FollowUp.kind == "staff_reminder", FollowUp.target_chat_id == IDS[who])
            )
        )


async def _app_taken(w: World, who: str, out: Outcome) -> bool:
    return (await w.application_now()).taken_by == IDS[who]


async def _app_moved(w: World, who: str, out: Outcome) -> bool:
    return (await w.application_now()).status == ApplicationStatus.CONTACTED


async def _trained(w: World, who: str, out: Outcome) -> bool:
    return (await w.application_now()).training_at is not None


async def _documents(w: World, who: str, out: Outcome) -> bool:
    return out.documents == 2


async def _photo(w: World, who: str, out: Outcome) -> bool:
    return out.photos == 2  # the figures chart, then the outcomes chart


async def _mother_got(w: World, who: str, out: Outcome) -> bool:
    return any(f"from {who}" in text for text in out.mother_got)


async def _applicant_got(w: World, who: str, out: Outcome) -> bool:
    return any(f"from {who}" in text for text in out.applicant_got)


async def _take_mine(w: World, who: str, user: UserClient, group: bool) -> dict[str, Any]:
    """/my: the case is hers (as if she had taken it) before she asks."""
    async with w.resources.sessionmaker() as session:
        await session.execute(
            update(Case).where(Case.id == w.case.id).values(taken_by=IDS[who], status="taken")
        )
        await session.commit()
    return await user.send("/my", chat_id=STAFF_CHAT if group else None)


async def _reply_in_topic(w: World, who: str, user: UserClient, group: bool) -> dict[str, Any]:
    return await user.send(
        f"Здравствуйте, from {who}", chat_id=STAFF_CHAT, thread_id=w.case.thread_id
    )


async def _reply_to_application(
    w: World, who: str, user: UserClient, group: bool
) -> dict[str, Any]:
    return await user.send(
        f"Добрый день, from {who}", chat_id=STAFF_CHAT, reply_to=w.app_card.message_id
    )


ROWS: dict[str, tuple[Play, Done]] = {
    "/queue": (_command(lambda w: "/queue"), _my_case),
    "/my": (_take_mine, _my_case),
    "/case N": (_command(lambda w: f"/case {w.case.id}"), _phone_shown),
    "/find N": (_command(lambda w: f"/find {w.case.id}"), _my_case),
    "/find phone": (_command(lambda w: f"/find {PHONE}"), _my_case),
    "/stats": (_command(lambda w: "/stats 30d"), _photo),
    "/export": (_command(lambda w: "/export 30d"), _documents),
    "/export personal": (_command(lambda w: "/export 30d personal"), _documents),
    "/audit": (_command(lambda w: "/audit"), _said(lambda w: w.t("staff-audit-title", count=20))),
    "/invite": (
        _command(lambda w: "/invite house almaty-1"),
        _said(lambda w: "start=staff_"),
    ),
    "/staff": (_command(lambda w: "/staff"), _said(lambda w: w.t("staff-list-title", count=4))),
    "/remove": (
        _command(lambda w: "/remove 424242"),
        _said(
            lambda w: w.t("staff-remove-unknown", id="424242"),
            lambda w: w.t("staff-removed", id="424242"),
        ),
    ),
    "/sign": (
        _command(lambda w: "/sign off"),
        _said(lambda w: w.t("staff-sign-off"), lambda w: w.t("staff-sign-admin")),
    ),
    "/training": (_command(lambda w: f"/training {w.application.id} 26.12 10:00"), _trained),
    "sc:take": (_case_button(StaffAction.TAKE), _taken),
    "sc:status": (_case_button(StaffAction.IN_PROGRESS), _status("in_progress")),
    "sc:remind": (_case_button(StaffAction.REMIND_HOUR), _reminder),
    "sc:close": (_case_button(StaffAction.CLOSE), _status("closed")),
    "sa:take": (
        _button(
            lambda w: StaffAppCb(application_id=w.application.id, take=True).pack(),
            on_application_card=True,
        ),
        _app_taken,
    ),
    "sa:status": (
        _button(
            lambda w: StaffAppCb(
                application_id=w.application.id, status=ApplicationStatus.CONTACTED
            ).pack(),
            on_application_card=True,
        ),
        _app_moved,
    ),
    "reply in topic": (_reply_in_topic, _mother_got),
    "reply to application": (_reply_to_application, _applicant_got),
    "sc:note": (
        _case_button(StaffAction.NOTE),
        _said(lambda w: w.t("staff-note-ask", case=w.case.id)),
    ),
}


async def _play(w: World, row: str, who: str, group: bool) -> str:
    play, done = ROWS[row]
    await w.reset()
    user = w.people[who]
    chat = STAFF_CHAT if group else user.chat_id
    seen = {m.message_id for m in await w.client.messages(chat)}
    answered = len(await w.client.callback_answers())
    mother_had = len(await w.mother.user.bot_messages())
    applicant_had = len(await w.applicant.user.bot_messages())
    await w.dispatcher.feed_raw_update(w.bot, await play(w, who, user, group))
    new = [m for m in await w.client.messages(chat) if m.from_bot and m.message_id not in seen]
    answers = (await w.client.callback_answers())[answered:]
    out = Outcome(
        texts=[m.text or "" for m in new] + [a.get("text") or "" for a in answers],
        documents=sum(m.kind == "document" for m in new),
        photos=sum(m.kind == "photo" for m in new),
        mother_got=[m.text or "" for m in (await w.mother.user.bot_messages())[mother_had:]],
        applicant_got=[
            m.text or "" for m in (await w.applicant.user.bot_messages())[applicant_had:]
        ],
    )
    if any(w.t("staff-private-only") in text for text in out.texts):
        assert out.documents == 0 and not any(PHONE in text for text in out.texts)
        return "P"
    if await done(w, who, out):
        return "Y"
    # Refused or out of scope: nothing of hers is shown, and nothing reached her.
    assert not any(PHONE in text for text in out.texts), (row, who, group, out.texts)
    assert out.documents == 0 and out.mother_got == [] and out.applicant_got == []
    if not row.startswith("reply") and not (who == "other house" and row in _LISTS):
        assert out.texts, (row, who, group)  # and she was answered, kindly
    return "N"


_LISTS = ("/queue", "/my", "/find N")  # she is answered with her own house's list


def _table(cells: dict[tuple[str, bool], list[str]]) -> list[str]:
    return [
        f"{row:22} {' '.join(cells[(row, False)])} | {' '.join(cells[(row, True)])}"
        for row in MATRIX
    ]


async def test_every_staff_command_and_button_obeys_the_permission_table(world: World) -> None:
    played: dict[tuple[str, bool], list[str]] = {}
    for row, (private, group) in MATRIX.items():
        for in_group, expected in ((False, private), (True, group)):
            played[(row, in_group)] = [
                "-" if cell == "-" else await _play(world, row, who, in_group)
                for who, cell in zip(PEOPLE, expected.split(), strict=True)
            ]
    expected = {(row, g): MATRIX[row][g].split() for row in MATRIX for g in (False, True)}
    assert _table(played) == _table(expected)


async def _case_in_astana(mother_with_case: MotherWithCase) -> tuple[Chat, Case]:
    mother, case = await mother_with_case(8602)
    assert case.shelter_id not in (None, "almaty-1")
    return mother, case


@dataclass
class AnotherHouse:
    """A case for Astana's house, and a staff member invited the real way for Almaty's."""

    mother: Chat
    case: Case
    member: StaffMember


@pytest.fixture
async def another_house(workspace: Workspace, chat_with: Callable[..., Chat]) -> AnotherHouse:
    """The Astana case first, then the Almaty member invited by the admin and welcomed."""
    mother, case = await _case_in_astana(workspace.mother_with_case)
    member = chat_with(user_id=8601, language_code="ru")
    await workspace.admin.invite(member, "house almaty-1")
    return AnotherHouse(mother, case, workspace.admin.other(member.user))


async def test_forged_buttons_from_another_houses_staff_do_nothing(
    workspace: Workspace, another_house: AnotherHouse
) -> None:
    case, member = another_house.case, another_house.member
    card = await workspace.admin.card(case)
    for action in (StaffAction.TAKE, StaffAction.CLOSE, StaffAction.WAITING, StaffAction.NOTE):
        data = StaffCb(action=action, case_id=case.id).pack()
        await member.press(card, data=data, forge=True)
        mine = (await member.user.bot_messages())[-1]
        await feed(member.app, await member.user.press(mine, data=data, forge=True))
    after = await workspace.case()
    assert (after.status, after.taken_by) == ("new", None)
    answers = (await workspace.answers())[-8:]
    assert answers == [workspace.texts("staff-case-out-of-scope")] * 8
    card_now = await workspace.admin.card(case)
    assert card_now.text == card.text  # the card did not move


async def test_a_reply_in_another_houses_topic_does_not_reach_the_mother(
    workspace: Workspace, another_house: AnotherHouse
) -> None:
    mother, case, member = another_house.mother, another_house.case, another_house.member
    resources, staff_texts = workspace.resources, workspace.texts
    had = len(await mother.user.bot_messages())
    await member.write("Здравствуйте, это фонд", thread_id=case.thread_id)
    await member.write("Позвоните нам", reply_to=case.card_message_id)
    await member.write("!пометка", thread_id=case.thread_id)
    await member.write("/note пометка", thread_id=case.thread_id)
    assert len(await mother.user.bot_messages()) == had
    refusals = [
        m for m in await workspace.posts() if m.text == staff_texts("staff-case-out-of-scope")
    ]
    assert len(refusals) == 4
    async with resources.sessionmaker() as session:
        after = await session.get(Case, case.id)
        assert after is not None and after.taken_by is None  # her reply did not take it
        notes = await session.scalar(
            select(func.count()).select_from(MessageLink).where(MessageLink.from_staff)
        )
        assert notes == 0


async def test_the_note_answer_is_checked_again_when_it_comes(workspace: Workspace) -> None:
    """She pressed Note for her house's case, then was moved to another house: her answer
    (the FSM input) goes through the same scope and is not kept."""
    resources = workspace.resources
    _mother, case = await _case_in_astana(workspace.mother_with_case)
    member = workspace.person(8603, "Дана")
    await register(resources, 8603, "house_staff", case.shelter_id, "Дана")
    await member.press_on_card(case, "📝 Заметка")
    async with resources.sessionmaker() as session:
        await session.execute(
            update(Staff).where(Staff.user_id == 8603).values(shelter_id="almaty-1")
        )
        await session.commit()
    await member.write("муж агрессивный", thread_id=case.thread_id)
    async with resources.sessionmaker() as session:
        notes = await session.scalar(
            select(func.count()).select_from(MessageLink).where(MessageLink.internal)
        )
    assert notes == 0
    assert (await workspace.posts())[-1].text == workspace.texts("staff-case-out-of-scope")


@pytest.mark.parametrize(
    "command",
    ["/invite admin", "/export 30d personal", "/staff", "/audit", f"/find {PHONE}"],
)
async def test_private_only_commands_in_a_group_say_where_to_use_them(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    admin: StaffMember,
    staff_texts: StaffTexts,
    command: str,
) -> None:
    await handed_off(chat_with(user_id=8604, language_code="ru"))
    before = {m.message_id for m in await client.messages(STAFF_CHAT)}
    await admin.write(command)
    new = [
        m for m in await client.messages(STAFF_CHAT) if m.from_bot and m.message_id not in before
    ]
    assert [m.text for m in new] == [staff_texts("staff-private-only")]  # nothing else there
    async with resources.sessionmaker() as session:
        invites = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action.in_(("invite", "export")))
        )
    assert invites == 0
    # The same command in her private chat works.
    answer = (await admin.in_private(command))[-1]
    assert answer.text != staff_texts("staff-private-only")


async def _denials(resources: Resources) -> list[AuditEntry]:
    async with resources.sessionmaker() as session:
        return list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action.like("denied%")).order_by(AuditEntry.id)
            )
        )


async def test_refusals_are_audited_once_per_person_per_minute(
    workspace: Workspace, another_house: AnotherHouse, app
) -> None:
    dispatcher, bot = app
    client, resources, t = workspace.client, workspace.resources, workspace.texts
    case, member = another_house.case, another_house.member
    card = await workspace.admin.card(case)
    stranger = client.user(8605, "Чужой", language_code="ru")
    for _ in range(100):
        await dispatcher.feed_raw_update(bot, await stranger.send("/queue", chat_id=STAFF_CHAT))
    told = [
        m for m in await client.messages(STAFF_CHAT) if m.from_bot and m.text == t("staff-denied")
    ]
    assert len(told) == 100  # each is answered; the log has one row
    assert [entry.actor_id for entry in await _denials(resources)] == [8605]
    for n in range(100):
        if n % 2:
            update_ = await member.user.send(f"/case {case.id}")
        else:
            data = StaffCb(action=StaffAction.CLOSE, case_id=case.id).pack()
            update_ = await member.user.press(card, data=data, forge=True, chat_id=STAFF_CHAT)
        await dispatcher.feed_raw_update(bot, update_)
    refused = [
        m for m in await member.user.bot_messages() if m.text == t("staff-case-out-of-scope")
    ]
    assert len(refused) == 50  # each is answered
    denials = await _denials(resources)
    assert [entry.actor_id for entry in denials] == [8605, 8601]
    # A minute later, her next refusal is a new fact.
    async with resources.sessionmaker() as session:
        await session.execute(update(AuditEntry).values(at=utcnow() - timedelta(seconds=61)))
        await session.commit()
    await dispatcher.feed_raw_update(bot, await member.user.send(f"/case {case.id}"))
    assert [entry.actor_id for entry in await _denials(resources)] == [8605, 8601, 8601]


async def test_a_command_in_a_photo_caption_passes_the_same_gate(
    workspace: Workspace, another_house: AnotherHouse, app
) -> None:
    """Telegram's command filter reads captions too: a caption must not skip the table."""
    dispatcher, bot = app
    client, t = workspace.client, workspace.texts
    case, member = another_house.case, another_house.member
    before = {m.message_id for m in await client.messages(STAFF_CHAT)}
    for person, caption in (
        (workspace.admin.user, "/export 30d personal"),
        (member.user, "/stats 30d"),
        (member.user, f"/case {case.id}"),
    ):
        await dispatcher.feed_raw_update(bot, await person.send_photo(caption, chat_id=STAFF_CHAT))
    new = [
        m for m in await client.messages(STAFF_CHAT) if m.from_bot and m.message_id not in before
    ]
    assert [m.text for m in new] == [
        t("staff-private-only"),
        t("staff-denied-role"),
        t("staff-case-out-of-scope"),
    ]


async def test_a_command_in_a_house_group_shows_only_that_groups_cases(
    workspace: Workspace, app
) -> None:
    """What a command prints in a group, everyone there reads: a coordinator's /case in
    another house's group must not post this mother's phone there."""
    from bot.services.directory import Directory

    dispatcher, bot = app
    client, resources = workspace.client, workspace.resources
    house_group = -1001000000555
    await client.create_group(house_group, "Almaty house", is_forum=False)
    old: Directory = dispatcher["directory"]
    dispatcher["directory"] = Directory(
        old.regions,
        [
            s.model_copy(update={"staff_chat_id": house_group}) if s.id == "almaty-1" else s
            for s in old.shelters
        ],
    )
    _mother, case = await _case_in_astana(workspace.mother_with_case)
    assert case.staff_chat_id == STAFF_CHAT  # Astana's house has no group: the central one
    await register(resources, 8606, "coordinator", None, "К")
    coordinator = client.user(8606, "Коорд", language_code="ru")
    t = workspace.texts
    for text in (f"/case {case.id}", "/queue", f"/find {case.id}"):
        await dispatcher.feed_raw_update(bot, await coordinator.send(text, chat_id=house_group))
    posted = [m.text or "" for m in await client.messages(house_group) if m.from_bot]
    assert posted[0] == t("staff-case-out-of-scope")
    assert not any(PHONE in text or f"№ {case.id} " in text for text in posted)
    # In the group where the card is, and in private, she sees it.
    await dispatcher.feed_raw_update(
        bot, await coordinator.send(f"/case {case.id}", chat_id=STAFF_CHAT)
    )
    assert PHONE in [m for m in await client.messages(STAFF_CHAT) if m.from_bot][-1].text
    await dispatcher.feed_raw_update(bot, await coordinator.send(f"/case {case.id}"))
    assert PHONE in (await coordinator.bot_messages())[-1].text
