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

    CHAOS_EXAMPLES=10000 .venv/bin/python -m pytest -q tests/chaos/test_chaos_updates.py \
        -p no:timeout

Examples are derandomized, so CI runs the same ones every time; CHAOS_SEED=<n> explores others.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from hypothesis import HealthCheck, given, seed, settings
from sqlalchemy import func, select

from bot.app import Resources, open_resources
from bot.emulator.client import EmulatorClient
from bot.emulator.server import Emulator
from storage.models import (
    Application,
    AuditEntry,
    Case,
    InboxState,
    InboxUpdate,
    MessageLink,
    Staff,
)
from tests.support.app import app_settings, start_app, stop_app
from tests.support.chaos_strategies import (
    OTHER_CHAT,
    Act,
    Player,
    bent,
    scripts,
)
from tests.support.chat import Chat
from tests.support.constants import ADMIN, STAFF_CHAT, TOKEN
from tests.support.mother import handed_off

EXAMPLES = int(os.environ.get("CHAOS_EXAMPLES", "300"))
PERSON_AUDIT = frozenset({
    "denied_button", "denied_command", "invite_refused", "application_withdrawn",
    "check_in_yes", "check_in_notyet", "check_in_noneed",
})  # fmt: skip
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
class Harness(Player):
    resources: Resources
    dispatcher: Dispatcher
    bot: Bot
    errors: ErrorLog
    updates: int = 0

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
        update = bent(update, act.shape)
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
        problems += await self._answered(update, act)
        if act.user != ADMIN and act.user not in before.staff:
            problems += await self._nothing_done_by(act.user, before)
        assert not problems, f"{act}\n" + "\n".join(problems)

    async def _inbox_done(self, update: dict[str, Any]) -> list[str]:
        async with self.resources.sessionmaker() as session:
            state = await session.scalar(
                select(InboxUpdate.state).where(InboxUpdate.update_id == update["update_id"])
            )
        return [] if state == InboxState.DONE else [f"inbox row is {state}, not done"]

    async def _answered(self, update: dict[str, Any], act: Act) -> list[str]:
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
        if replied or await self._held(message):
            return []
        return ["a private message got no answer"]

    async def _held(self, message: dict[str, Any]) -> bool:
        """Beyond her flood limit a message gets no reply of its own (one notice a window, so
        a shared phone is not buzzing): it must then be kept for the staff's batch."""
        async with self.resources.sessionmaker() as session:
            link = await session.scalar(
                select(MessageLink).where(
                    MessageLink.user_chat_id == message["chat"]["id"],
                    MessageLink.user_message_id == message["message_id"],
                )
            )
        return link is not None and bool(link.content.get("held"))

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


async def _open(tmp_path: Path) -> Harness:
    emulator = Emulator()
    await emulator.start()
    chaos_settings = app_settings(tmp_path / "chaos.db", telegram_api_url=emulator.url)
    resources = await open_resources(chaos_settings)
    dispatcher, bot = await start_app(chaos_settings, resources)
    client = EmulatorClient(emulator.url, TOKEN)
    await client.create_group(STAFF_CHAT, "Staff", is_forum=True)
    await client.create_group(OTHER_CHAT, "Parents' chat", is_forum=False)
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    harness = Harness(emulator, client, resources, dispatcher, bot, errors)
    # A case with its card and topic, so staff buttons and replies have something to act on.
    mother = Chat(harness.user(71002), dispatcher, bot)
    await handed_off(mother, "ru")
    return harness


async def _close(harness: Harness) -> None:
    logging.getLogger().removeHandler(harness.errors)
    await stop_app(harness.dispatcher, harness.bot)
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
