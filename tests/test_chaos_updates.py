"""Chaos: generated updates of every kind and shape through the real dispatcher.

Hypothesis plays a few people, a stranger and an admin: texts in every Unicode category,
HTML and markdown injection, huge texts, every command with and without arguments, forged,
stale and truncated data of every callback class (staff buttons pressed by non-staff and in
the wrong chat), media without captions, impossible locations, other people's contacts,
edits, messages in the staff group from strangers, unknown update types and missing optional
fields. One dispatcher, emulator and database serve every example, so the flows are left in
all sorts of states. After each update:

- no exception escaped and nothing was logged at ERROR (the errors router logs failures);
- the emulator, strict like Telegram about HTML, lengths and callback data, refused no call;
- the update's inbox row is done; a person's private message got an answer, a button its
  callback answer;
- a person without a staff role changed no case or application status, took nothing, sent
  nothing to a mother as the foundation and left no audit entry but a refusal.

Short form in `make test` (CHAOS_EXAMPLES=300 scripts of up to 6 updates). The long form:

    CHAOS_EXAMPLES=10000 .venv/bin/python -m pytest -q tests/test_chaos_updates.py \
        -p no:timeout

Examples are derandomized, so CI runs the same ones every time; CHAOS_SEED=<n> explores others.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from hypothesis import HealthCheck, given, seed, settings
from sqlalchemy import func, select

from bot.app import Resources, create_bot, create_dispatcher, open_resources
from bot.config import Settings
from bot.emulator.client import BotMessage, EmulatorClient, UserClient
from bot.emulator.server import Emulator
from bot.emulator.state import BotState
from storage.models import (
    Application,
    AuditEntry,
    Case,
    InboxState,
    InboxUpdate,
    MessageLink,
    Staff,
)
from tests.chaos_strategies import (
    ADMIN,
    OTHER_CHAT,
    PEOPLE,
    STAFF_CHAT,
    STRANGER,
    Act,
    scripts,
)
from tests.conftest import Chat
from tests.test_flow_mother import _handed_off

EXAMPLES = int(os.environ.get("CHAOS_EXAMPLES", "300"))
TOKEN = "123456:TEST-token"
PERSON_AUDIT = frozenset(
    {
        "denied_button",
        "denied_command",
        "invite_refused",
        "application_withdrawn",
        "check_in_yes",
        "check_in_notyet",
        "check_in_noneed",
    }
)
STAFF_APP_STATUSES = frozenset(
    {"contacted", "documents", "training", "home_visit", "approved", "not_approved"}
)
SENDING = frozenset(
    {"sendmessage", "editmessagetext", "copymessage", "sendlocation", "sendvenue", "sendphoto"}
)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Snapshot:
    cases: dict[int, tuple[str, int | None, int | None]]  # status, taken by, whose
    applications: dict[int, tuple[str, int | None]]
    staff_links: int
    audit_id: int
    staff: frozenset[int]


@dataclass
class Harness:
    emulator: Emulator
    resources: Resources
    dispatcher: Dispatcher
    bot: Bot
    client: EmulatorClient
    errors: ErrorLog
    blocked: set[int] = field(default_factory=set)
    updates: int = 0

    @property
    def state(self) -> BotState:
        return self.emulator.bot(TOKEN)

    def user(self, user_id: int) -> UserClient:
        names = {ADMIN: "Айгерим", STRANGER: "Чужой"}
        language = PEOPLE.get(user_id, "ru")
        return self.client.user(user_id, names.get(user_id, "Айгуль"), language_code=language)

    # --- turning an act into an update -----------------------------------------------------

    async def _bot_messages(self, chat_id: int) -> list[BotMessage]:
        return [
            m
            for m in await self.client.messages(chat_id)
            if m.from_bot and not m.deleted and m.kind != "service"
        ]

    async def _ensure_open(self, user_id: int) -> None:
        if user_id in self.blocked:
            self.blocked.discard(user_id)
            await self.user(user_id).unblock()
            await self.feed(self.state.update_log[-1], None)

    async def build(self, act: Act) -> tuple[dict[str, Any] | None, Act]:
        """The update for `act` (None if it can't happen now) and the act as it was done."""
        user = self.user(act.user)
        if act.chat is None:
            await self._ensure_open(act.user)
        kind = act.kind
        if kind in ("text", "group_text"):
            return await user.send(act.text or "x", chat_id=act.chat), act
        if kind == "group_reply" or (kind == "press" and act.chat is not None):
            assert act.chat is not None
            messages = await self._bot_messages(act.chat)
            if not messages:
                return await user.send(act.text or "/queue", chat_id=act.chat), act
            target = messages[act.pick % len(messages)]
            if kind == "group_reply":
                return await user.send(
                    act.text or "x",
                    chat_id=act.chat,
                    thread_id=target.thread_id,
                    reply_to=target.message_id,
                ), act
            return await self._press(user, target, act, chat_id=act.chat), act
        if kind == "press":
            messages = await self._bot_messages(act.user)
            if not messages:
                return await user.send("/start"), Act("text", act.user, text="/start")
            return await self._press(user, messages[act.pick % len(messages)], act), act
        if kind == "location":
            return await user.send_location(act.number, act.other), act
        if kind == "contact":
            own = bool(act.extra.get("own"))
            return await user.send_contact(
                act.text or "",
                own=own,
                user_id=None if own else act.extra.get("user_id"),
                first_name="Кто-то",
            ), act
        if kind in ("photo", "voice", "document", "sticker"):
            if act.chat is not None and act.chat not in (STAFF_CHAT, OTHER_CHAT):
                return None, act
            body: dict[str, Any] = {kind: {}, "chat_id": act.chat}
            if act.text and kind in ("photo", "document"):
                body["caption"] = act.text[:1024]
            return await user._act("message", body), act
        if kind == "edit":
            own = [m for m in await self.client.messages(act.user) if m.from_id == act.user]
            own = [m for m in own if m.kind == "text" and not m.deleted]
            if not own:
                return await user.send(act.text or "x"), Act("text", act.user, text=act.text)
            return await user.edit(own[act.pick % len(own)].message_id, act.text or "x"), act
        if kind == "block":
            if act.user in self.blocked:
                self.blocked.discard(act.user)
                await user.unblock()
            else:
                self.blocked.add(act.user)
                await user.block()
            return self.state.update_log[-1], act
        return self.raw(act), act

    async def _press(
        self, user: UserClient, message: BotMessage, act: Act, chat_id: int | None = None
    ) -> dict[str, Any]:
        if act.data is not None:
            return await user.press(message, data=act.data, forge=True, chat_id=chat_id)
        inline = [
            b["callback_data"]
            for row in (message.reply_markup or {}).get("inline_keyboard") or []
            for b in row
            if "callback_data" in b
        ]
        if inline:
            data = inline[act.pick % len(inline)]
            return await user.press(message, data=data, chat_id=chat_id)
        if message.buttons() and chat_id is None:
            texts = message.button_texts
            return await user.press(message, text=texts[act.pick % len(texts)])
        return await user.press(message, data="m:home", forge=True, chat_id=chat_id)

    def raw(self, act: Act) -> dict[str, Any]:
        """Update types and message kinds the emulator's user API doesn't make."""
        emu_user = self.emulator.upsert_user(self.user(act.user).profile)
        who = emu_user.to_dict()
        now = self.emulator.now()
        private = self.emulator.private_chat(self.state, emu_user)
        staff = self.state.chats[STAFF_CHAT]
        payloads: list[dict[str, Any]] = [
            {"inline_query": {"id": "1", "from": who, "query": "help", "offset": ""}},
            {"future_update_kind": {"from": who, "anything": [1, 2]}},
            {
                "channel_post": {
                    "message_id": 7,
                    "date": now,
                    "chat": {"id": -1009999, "type": "channel", "title": "news"},
                    "text": "<b>post</b>",
                }
            },
            {
                "message_reaction": {
                    "chat": private.to_dict(),
                    "message_id": 1,
                    "date": now,
                    "user": who,
                    "old_reaction": [],
                    "new_reaction": [{"type": "emoji", "emoji": "👍"}],
                }
            },
            {
                "poll_answer": {
                    "poll_id": "5",
                    "user": who,
                    "option_ids": [0],
                    "option_persistent_ids": ["a"],
                }
            },
            {
                "chat_join_request": {
                    "chat": staff.to_dict(),
                    "from": who,
                    "user_chat_id": who["id"],
                    "date": now,
                }
            },
        ]
        stored: list[tuple[Any, str, dict[str, Any]]] = [
            (private, "dice", {"dice": {"emoji": "🎲", "value": 3}}),
            (private, "other", {}),  # a kind of message this aiogram doesn't know
            (private, "other", {"video_note": _file(), "forward_origin": _hidden(now)}),
            (private, "other", {"animation": {**_file(), "width": 1, "height": 1}}),
            (staff, "other", {"new_chat_members": [who]}),
            (staff, "text", {"text": "/queue", "sender_chat": staff.to_dict()}),
            (staff, "text", {"text": "/stats", "via_bot": who}),
        ]
        choice = act.pick % (len(payloads) + len(stored))
        if choice < len(payloads):
            return self.state.enqueue(payloads[choice])
        chat, kind, content = stored[choice - len(payloads)]
        sender = emu_user
        if "sender_chat" in content:  # an anonymous admin: Telegram's placeholder account
            sender = self.emulator.upsert_user({"id": 1087968824, "first_name": "Group"})
            sender.is_bot = True
        message = self.emulator.store_message(
            self.state, chat, from_bot=False, sender=sender, kind=kind, content=content
        )
        return self.state.enqueue({"message": message.data})

    # --- feeding and checking ----------------------------------------------------------------

    async def feed(self, update: dict[str, Any], act: Act | None) -> None:
        self.updates += 1
        await self.dispatcher.feed_raw_update(self.bot, update)

    async def snapshot(self) -> Snapshot:
        async with self.resources.sessionmaker() as session:
            rows = await session.scalars(select(Case))
            cases = {c.id: (c.status, c.taken_by, c.user_id) for c in rows}
            applications = {
                a.id: (a.status, a.taken_by) for a in await session.scalars(select(Application))
            }
            links = await session.scalar(
                select(func.count()).select_from(MessageLink).where(MessageLink.from_staff)
            )
            audit_id = await session.scalar(select(func.max(AuditEntry.id)))
            staff = await session.scalars(select(Staff.user_id).where(Staff.removed_at.is_(None)))
            return Snapshot(cases, applications, links or 0, audit_id or 0, frozenset(staff))

    async def play(self, act: Act) -> None:
        before = await self.snapshot()
        self.state.calls.clear()
        self.errors.records.clear()
        update, act = await self.build(act)
        if update is None:
            return
        update = _bent(update, act.shape)
        try:
            await self.feed(update, act)
        except Exception as error:  # the assertion below shows what escaped
            raise AssertionError(f"{type(error).__name__} escaped: {error}") from error
        problems = [f"logged: {_our_frames(r.getMessage())}" for r in self.errors.records]
        problems += [
            f"{c['method']} refused: {c.get('error_code')} {c.get('description')}"
            for c in self.state.calls
            if not c["ok"] and c.get("error_code") != 403 and not _benign(c)
        ]
        problems += await self._inbox_done(update)
        problems += self._answered(update, act)
        if act.user != ADMIN and act.user not in before.staff:
            problems += await self._nothing_done_by(act.user, before)
        assert not problems, f"{act}\n" + "\n".join(problems)

    async def _inbox_done(self, update: dict[str, Any]) -> list[str]:
        async with self.resources.sessionmaker() as session:
            state = await session.scalar(
                select(InboxUpdate.state).where(InboxUpdate.update_id == update["update_id"])
            )
        return [] if state == InboxState.DONE else [f"inbox row is {state}, not done"]

    def _answered(self, update: dict[str, Any], act: Act) -> list[str]:
        calls = self.state.calls
        query = update.get("callback_query")
        if query is not None:
            answered = self.state.callback_queries[query["id"]]["answered"]
            return [] if answered else ["the button's callback was never answered"]
        message = update.get("message")
        if message is None or message["chat"]["type"] != "private" or act.kind == "raw":
            return []
        chat_id = str(message["chat"]["id"])
        replied = any(
            c["ok"]
            and c["method"].lower() in SENDING
            and str(c["params"].get("chat_id")) == chat_id
            for c in calls
        )
        return [] if replied else ["a private message got no answer"]

    async def _nothing_done_by(self, user_id: int, before: Snapshot) -> list[str]:
        after = await self.snapshot()
        problems = []
        for case_id, (status, taken_by, _owner) in after.cases.items():
            old = before.cases.get(case_id)
            if old is not None and taken_by not in (old[1], None):
                problems.append(f"case {case_id} taken by {taken_by}")
            # Her own check-in may reopen her case, or close it ("no help needed any more").
            mine = status == "new" or (status == "closed" and old and old[2] == user_id)
            if old is not None and status != old[0] and not mine:
                problems.append(f"case {case_id} became {status}")
        for app_id, (status, taken_by) in after.applications.items():
            old = before.applications.get(app_id)
            if old is not None and taken_by not in (old[1], None):
                problems.append(f"application {app_id} taken by {taken_by}")
            if status in STAFF_APP_STATUSES and (old is None or old[0] != status):
                problems.append(f"application {app_id} became {status}")
        if after.staff_links != before.staff_links:
            problems.append("a message reached a person as the foundation")
        if after.staff - before.staff:
            problems.append(f"new staff: {sorted(after.staff - before.staff)}")
        async with self.resources.sessionmaker() as session:
            entries = await session.scalars(
                select(AuditEntry).where(AuditEntry.id > before.audit_id)
            )
            problems += [
                f"audit {e.action} by {e.actor_id}"
                for e in entries
                if e.actor_id == user_id and e.action not in PERSON_AUDIT
            ]
        return problems


def _our_frames(logged: str) -> str:
    """The first line and the frames in this project's code: the rest is aiogram's plumbing."""
    lines = logged.splitlines()
    ours = [
        f"{line.strip()} | {lines[i + 1].strip() if i + 1 < len(lines) else ''}"
        for i, line in enumerate(lines)
        if 'File "' in line and "site-packages" not in line and "/python3." not in line
    ]
    return "\n  ".join(lines[:1] + ours)


def _benign(call: dict[str, Any]) -> bool:
    # A double tap re-renders the same screen; the bot asks, Telegram says "same", nothing is lost.
    return "message is not modified" in str(call.get("description"))


def _bent(update: dict[str, Any], shape: str) -> dict[str, Any]:
    """The same update without optional fields, or with fields a newer Bot API may add."""
    if shape == "plain":
        return update
    update = copy.deepcopy(update)
    event = next(value for key, value in update.items() if key != "update_id")
    if shape == "bare_user":
        for who in (event.get("from"), event.get("chat")):
            for key in ("language_code", "username", "last_name", "is_premium"):
                (who or {}).pop(key, None)
    elif shape == "no_entities":
        event.pop("entities", None)
    elif shape == "future_field":
        event["future_field"] = {"nested": [1, "<b>"]}
        update["future_update_kind"] = {"x": 1}
    return update


def _file() -> dict[str, Any]:
    return {"file_id": "DQACAgIAAxkBAAI", "file_unique_id": "AgAD", "length": 1, "duration": 1}


def _hidden(now: int) -> dict[str, Any]:
    return {"type": "hidden_user", "sender_user_name": "<b>Someone</b>", "date": now}


async def _open(tmp_path: Path) -> Harness:
    emulator = Emulator()
    await emulator.start()
    app_settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chaos.db'}",
        staff_chat_id=STAFF_CHAT,
        admin_ids=(ADMIN,),
        telegram_limits_scale=0.001,
        telegram_api_url=emulator.url,
    )
    resources = await open_resources(app_settings)
    bot = create_bot(app_settings, resources.sessionmaker)
    dispatcher = create_dispatcher(app_settings, resources)
    await dispatcher.emit_startup(
        bot=bot, dispatcher=dispatcher, bots=[bot], **dispatcher.workflow_data
    )
    client = EmulatorClient(emulator.url, TOKEN)
    await client.create_group(STAFF_CHAT, "Staff", is_forum=True)
    await client.create_group(OTHER_CHAT, "Parents' chat", is_forum=False)
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    harness = Harness(emulator, resources, dispatcher, bot, client, errors)
    # A case with its card and topic, so staff buttons and replies have something to act on.
    mother = Chat(harness.user(71002), dispatcher, bot)
    await _handed_off(mother, "ru")
    return harness


async def _close(harness: Harness) -> None:
    logging.getLogger().removeHandler(harness.errors)
    dispatcher, bot = harness.dispatcher, harness.bot
    await dispatcher.emit_shutdown(
        bot=bot, dispatcher=dispatcher, bots=[bot], **dispatcher.workflow_data
    )
    await bot.session.close()
    await harness.client.close()
    await harness.resources.close()
    await harness.emulator.stop()


def test_generated_updates_break_nothing(tmp_path: Path) -> None:
    with asyncio.Runner() as runner:
        harness = runner.run(_open(tmp_path))
        try:

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize="CHAOS_SEED" not in os.environ,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @seed(int(os.environ.get("CHAOS_SEED", "0")))
            @given(script=scripts)
            def play(script: list[Act]) -> None:
                for act in script:
                    runner.run(harness.play(copy.deepcopy(act)))

            play()
        finally:
            runner.run(_close(harness))
        assert harness.updates >= EXAMPLES  # the examples really reached the dispatcher
