"""Chaos: SIGKILLs at random moments across a busy run of every flow, over HTTP.

The real `python -m bot run` polls the emulator while mothers hand off in kk, ru and en (some
urgent), a foster applicant fills and sends an application, an admin takes cases and answers in
their topics, and follow-ups fall due (escalations, the private escalation to the admin,
check-ins). A seeded killer SIGKILLs the process at random moments and starts it again. After a
final restart that settles:

- every answer the bot acknowledged is stored: each handed-off mother has her case (phone,
  language), each relayed message and staff reply its link, the application is submitted;
- each mother who completed a handoff has exactly one case;
- every due follow-up ran: no row left pending or claimed, none failed; every case has its card
  and its check-in, an untaken case its escalations; each staff alert and check-in was sent at
  most once, allowing in total one repeat per kill (a kill between Telegram's "ok" and the
  commit that follows can repeat that one message: see README, "No lost updates");
- no inbox row is left unfinished, and the bot never logged a traceback.

Short form in `make test` (10 kills, about a minute). The long form:

    CHAOS_KILLS=200 .venv/bin/python -m pytest -q -s tests/chaos/test_chaos_kills.py -p no:timeout

CHAOS_SEED=<n> picks other moments (the default seed makes CI repeat the same run); `-s` shows
the figures (kills, updates, cases, follow-ups, duplicates).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.emulator.client import EmulatorClient, EmulatorTimeout
from bot.emulator.server import Emulator
from tests.support.chaos_players import (
    CARD,
    ESCALATED,
    ESCALATED_PRIVATE,
    Ledger,
    chaos_env,
    count_ids,
    emulator_client,
    play_mother,
    wait_quiet,
)
from tests.support.process import (
    E2E_STAFF_CHAT,
    BotProcess,
    button,
    choose_foster_answers,
    find_message,
    open_db,
    serving,
    tap,
)

KILLS = int(os.environ.get("CHAOS_KILLS", "10"))
SEED = int(os.environ.get("CHAOS_SEED", "9"))
ADMIN = 900101
APPLICANT = 7900
CHECK_IN = re.compile(
    r"№ (\d+) өтінішіңіз бойынша|По вашему обращению № (\d+)|About your request № (\d+)"
)


async def _applicant(emulator: Emulator, ledger: Ledger) -> None:
    async with emulator_client(emulator) as emu:
        user = emu.user(APPLICANT, "Айгуль", language_code="ru")
        await user.send("/start foster")
        await tap(user, "📝 Заполнить анкету")
        for answer in ("Айгуль Нурланова", "12.03.1985", "Караганда"):
            sent = await user.send(answer)  # each answer is acknowledged by the next question
            await find_message(emu, APPLICANT, ".", after=sent["message"]["message_id"])
        await choose_foster_answers(user)
        sent = await user.send("Хотим, чтобы у ребёнка был дом.")
        await find_message(emu, APPLICANT, ".", after=sent["message"]["message_id"])
        await tap(user, "В любое время")
        review = await button(user, "📨 Отправить анкету")
        await user.press(review, text="📨 Отправить анкету")
        # Her number, in the confirmation (or, after a kill, in "your application № N is sent")
        status = await find_message(emu, APPLICANT, r"(?i)анкета № \d+", after=review.message_id)
        ledger.application = int(re.search(r"№ (\d+)", status.text or "").group(1))  # type: ignore[union-attr]


async def _staff(
    emulator: Emulator, database: Path, ledger: Ledger, rng: random.Random, stop: asyncio.Event
) -> None:
    """The admin takes about half of the cases as their cards appear and answers in the topic."""
    seen: set[int] = set()
    async with emulator_client(emulator) as emu:
        admin = emu.user(ADMIN, "Айгерим", language_code="ru")
        while not stop.is_set():
            with open_db(database) as db:
                cards = db.execute(
                    "SELECT id, user_id, card_message_id, thread_id FROM cases"
                    " WHERE card_message_id IS NOT NULL ORDER BY id"
                ).fetchall()
            fresh = [row for row in cards if row[0] not in seen]
            if not fresh:
                with contextlib.suppress(EmulatorTimeout):
                    await emu.wait_for_bot_messages(E2E_STAFF_CHAT, 0, 1, 1, since_seq=emu.last_seq)
                continue
            for case_id, user_id, card_id, thread_id in fresh:
                seen.add(case_id)
                if rng.random() < 0.5:
                    continue  # left for the escalations
                card = await emu.message(E2E_STAFF_CHAT, card_id)
                if "✋ Взять" not in card.button_texts:
                    continue
                await admin.press(card, text="✋ Взять", chat_id=E2E_STAFF_CHAT)
                taken = rf"(?i)бращение № {case_id}\D[\s\S]*В работе у: Айгерим"
                await find_message(emu, E2E_STAFF_CHAT, taken, after=card_id - 1)
                ledger.taken.add(case_id)
                text = f"Здравствуйте! Ответ по № {case_id}"
                before = max((m.message_id for m in await emu.messages(user_id)), default=0)
                await admin.send(text, chat_id=E2E_STAFF_CHAT, thread_id=thread_id)
                await find_message(emu, user_id, re.escape(text), after=before)
                ledger.replies.append((case_id, text))


async def _serving(client: EmulatorClient, polls_before: int, within: float = 30) -> int:
    """Wait until the restarted bot asks Telegram for updates (it has started); the count."""
    deadline = asyncio.get_running_loop().time() + within
    while (polls := len(await client.calls("getUpdates"))) <= polls_before:
        assert asyncio.get_running_loop().time() < deadline, "the restarted bot never polled"
        await asyncio.sleep(0.05)  # the call log has no change event to wait on
    return polls


async def _killer(
    process: BotProcess,
    client: EmulatorClient,
    rng: random.Random,
    stop: asyncio.Event,
    figures: Counter[str],
) -> None:
    # Each kill falls at a random moment of a run, counted from when the bot serves: counted
    # from the start, most kills would fall in its start-up (a few seconds of imports) and
    # a long run would make no progress at all.
    polls = await _serving(client, 0)
    while figures["kills"] < KILLS:
        await asyncio.sleep(rng.uniform(0.3, 4.0))  # a random moment: sleeping is the point here
        process.restart()
        figures["kills"] += 1
        polls = await _serving(client, polls)
    stop.set()


@pytest.fixture
def bot_env(tmp_path: Path, emulator: Emulator) -> dict[str, str]:
    return chaos_env(emulator.url, tmp_path, ADMIN, ESCALATE_URGENT_AFTER="2", CHECK_IN_AFTER="4")


async def test_random_sigkills_lose_and_repeat_nothing(
    emulator: Emulator, bot_process: BotProcess
) -> None:
    rng = random.Random(SEED)
    database = bot_process.database
    ledger = Ledger()
    figures: Counter[str] = Counter()
    stop = asyncio.Event()
    async with serving(bot_process, emulator.url) as client:
        admin = client.user(ADMIN, "Айгерим", language_code="ru")
        await admin.ask("/start", timeout=30)  # up, migrated, and the admin's chat is open

        async def workload() -> None:
            langs = ("kk", "ru", "en")
            number, running = 0, set[asyncio.Task[None]]()
            while not stop.is_set() or number < 6:
                while len(running) < 4 and (not stop.is_set() or number < 6):
                    number += 1
                    running.add(
                        asyncio.create_task(
                            play_mother(
                                emulator, 7000 + number, langs[number % 3], number % 3 == 0, ledger
                            )
                        )
                    )
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
            if running:
                for task in await asyncio.gather(*running, return_exceptions=True):
                    if isinstance(task, BaseException):
                        raise task

        staff_stop = asyncio.Event()
        staff = asyncio.create_task(_staff(emulator, database, ledger, rng, staff_stop))
        killer = asyncio.create_task(_killer(bot_process, client, rng, stop, figures))
        try:
            await asyncio.gather(workload(), _applicant(emulator, ledger), killer)
        finally:
            stop.set()
            killer.cancel()
        staff_stop.set()
        await staff
        # The final restart, then everything due must settle.
        await bot_process.restart_settled()
        await admin.ask("/help", timeout=30)
        await wait_quiet(database)
        staff_messages = await client.messages(E2E_STAFF_CHAT)
        admin_messages = await client.messages(ADMIN)
        mother_messages = [m for uid in ledger.cases for m in await client.messages(uid)]
        updates = len(await client.updates())
    assert await bot_process.terminate() == 0

    with open_db(database) as db:
        cases = db.execute("SELECT id, user_id, phone, language, taken_by FROM cases").fetchall()
        links = db.execute(
            "SELECT case_id, from_staff, content, staff_message_id FROM message_links"
        ).fetchall()
        follow_ups = dict(
            db.execute("SELECT state, count(*) FROM follow_ups GROUP BY state").fetchall()
        )
        application = db.execute(
            "SELECT status, answers FROM applications WHERE id = ?", (ledger.application,)
        ).fetchone()

    case_ids = {case_id for case_id, *_ in ledger.cases.values()}
    cards = count_ids(staff_messages, CARD)
    escalated = count_ids(staff_messages, ESCALATED)
    private = count_ids(admin_messages, ESCALATED_PRIVATE)
    check_ins = count_ids(mother_messages, CHECK_IN)
    untaken = {row[0] for row in cases if row[4] is None}
    duplicates = sum(
        sum(n - 1 for n in counter.values()) for counter in (cards, escalated, private, check_ins)
    )
    print(
        f"\nchaos kills: kills={figures['kills']} updates={updates} cases={len(cases)}"
        f" taken={len(ledger.taken)} relayed={len(ledger.relayed)} replies={len(ledger.replies)}"
        f" follow_ups={sum(follow_ups.values())} {dict(follow_ups)}"
        f" escalations={sum(escalated.values())}+{sum(private.values())}"
        f" check_ins={sum(check_ins.values())} duplicates={duplicates}"
    )

    # Each mother who was told her number has exactly one case, with what she gave.
    by_user = Counter(user_id for _, user_id, *_ in cases)
    assert {uid: by_user[uid] for uid in ledger.cases} == dict.fromkeys(ledger.cases, 1)
    stored = {row[1]: row for row in cases}
    for user_id, (case_id, phone, lang) in ledger.cases.items():
        assert stored[user_id][0] == case_id and stored[user_id][2] == phone
        assert stored[user_id][3] == lang
    # Her acknowledged messages and the staff's delivered replies are kept, and hers reached staff.
    kept = [(case, staff, json.loads(content).get("text", "")) for case, staff, content, _ in links]
    for case_id, text in ledger.relayed:
        assert any(c == case_id and not s and text in body for c, s, body in kept), text
        assert any(text == (m.text or "") for m in staff_messages if m.from_bot), text
    for case_id, text in ledger.replies:
        assert any(c == case_id and s and text in body for c, s, body in kept), text
    assert all(row[4] == ADMIN for row in cases if row[0] in ledger.taken)
    assert application is not None and application[0] == "submitted"
    answers = json.loads(application[1])
    assert answers["full_name"] == "Айгуль Нурланова" and answers["call_time"] == "any"
    # Every follow-up ran; none failed, none is left claimed.
    assert "failed" not in follow_ups and "claimed" not in follow_ups, follow_ups

    # No card, check-in or escalation lost; each sent once, but for one repeat a kill at most.
    assert set(cards) == case_ids  # no card lost
    assert set(check_ins) == case_ids
    assert untaken & case_ids <= set(escalated) and untaken & case_ids <= set(private)
    assert duplicates <= figures["kills"]


async def test_kill_while_the_card_is_sent_keeps_the_cases_follow_ups(
    emulator: Emulator, bot_process: BotProcess
) -> None:
    """The case row commits before the card is sent; a kill then must not lose the case's
    escalation and check-in when the replay finds the case already made."""
    ledger = Ledger()
    async with serving(bot_process, emulator.url) as client:
        await client.user(ADMIN, "Айгерим").ask("/start", timeout=30)
        # The card hangs in "Telegram"; the case row is committed before it is sent.
        await client.inject_fault("sendMessage", "delay", delay=4, chat_id=E2E_STAFF_CHAT)
        mother = asyncio.create_task(play_mother(emulator, 7600, "ru", False, ledger))
        deadline = asyncio.get_running_loop().time() + 30
        while True:
            with open_db(bot_process.database) as db:
                cases = db.execute("SELECT count(*) FROM cases").fetchone()[0]
            if cases:
                break
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.02)  # polling a file: there is no event to wait on here
        bot_process.restart()
        await mother  # she is told her number after the restart
        await find_message(client, E2E_STAFF_CHAT, CARD)
    await bot_process.terminate()
    with open_db(bot_process.database) as db:
        keys = {key for (key,) in db.execute("SELECT unique_key FROM follow_ups")}
    [(case_id, *_)] = ledger.cases.values()
    assert {f"escalate:{case_id}:1", f"check_in:{case_id}:1"} <= keys
