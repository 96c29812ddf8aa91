"""`anabot demo`: each journey played from its script (bot/demo/scripts/), no token, no network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.constants import ROOT

DEMO = ROOT / "bot" / "demo" / "scripts"


def _demo(
    *args: str, stdin: str = "", cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd), **(env or {})},
    )


def _play(script: str, lang: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = _demo("--lang", lang, "--script", str(DEMO / script), cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "(no such button" not in result.stdout and "(Telegram would refuse" not in result.stdout
    return result.stdout


def _after(out: str, marker: str) -> str:
    """The transcript from the first line containing `marker` on."""
    assert marker in out, f"{marker!r} not in the transcript"
    return out[out.index(marker) :]


def _messages(out: str, header: str) -> list[str]:
    """The messages of the transcript that start with `header`, each with its indented lines."""
    found: list[str] = []
    inside = False
    for line in out.splitlines():
        if line.startswith(header):
            found.append(line)
            inside = True
        elif inside and line.startswith("      "):
            found[-1] += "\n" + line
        else:
            inside = False
    return found


@pytest.mark.parametrize(
    ("button", "greeting", "menu_item"),
    [
        ("1", "Сәлеметсіз бе!", "🤱 Маған көмек керек"),
        ("2", "Здравствуйте!", "🤱 Мне нужна помощь"),
        ("3", "Hello!", "🤱 I need help"),
    ],
)
def test_keyboard_demo_asks_who_to_play_and_reaches_the_menu_in_each_language(
    tmp_path: Path, button: str, greeting: str, menu_item: str
) -> None:
    result = _demo(stdin=f"1\n{button}\n/quit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Who do you play?" in result.stdout and "/as staff" in result.stdout  # the help
    assert "Choose a language" in result.stdout  # she opened the bot without typing /start
    assert greeting in result.stdout and menu_item in result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # the demo's database is temporary


@pytest.mark.parametrize(
    ("lang", "greeting", "numbers", "card", "her_number"),
    [
        ("kk", "Сәлеметсіз бе!", "☎️ 112 — Бірыңғай", "🚨 ШҰҒЫЛ · № 1", "✅ № 1 өтінішіңіз"),
        (
            "ru",
            "Здравствуйте!",
            "☎️ 112 — Единая",
            "🚨 СРОЧНО · обращение № 1",
            "Ваше обращение № 1",
        ),
    ],
)
def test_mother_in_danger_hands_off_and_her_card_opens_a_topic(
    tmp_path: Path, lang: str, greeting: str, numbers: str, card: str, her_number: str
) -> None:
    out = _play("mother.txt", lang, tmp_path)
    assert out.index("mother › /start") < out.index(greeting)
    assert out.index(numbers) < out.index("mother › /loc 49.8 73.1")  # at once, before the houses
    staff_side = _after(out, "staff group › № 1 · ")  # the case's own topic in the forum
    assert card in staff_side and "+77012345678" in staff_side  # she agreed to share it
    assert her_number in _after(out, "bot › ✅")


@pytest.fixture(scope="module")
def staff_transcript(tmp_path_factory: pytest.TempPathFactory) -> str:
    # Escalation after 2 seconds instead of the demo's minute, so /wait shows it quickly.
    env = {"ESCALATE_URGENT_AFTER": "2"}
    return _play("staff.txt", "en", tmp_path_factory.mktemp("staff"), env)


def test_an_untaken_case_is_raised_in_its_topic(staff_transcript: str) -> None:
    waited = _after(staff_transcript, "staff in General › /wait")
    assert waited.index("staff group › № 1 · mother with a baby › msg") < waited.index(
        "still waiting: nobody has taken it"
    )


def test_staff_take_the_case_and_talk_to_her_through_the_bot(staff_transcript: str) -> None:
    taken = _after(staff_transcript, "staff in № 1 · mother with a baby › 1\n")
    assert "Taken by: Asel" in taken.split("staff in", 2)[1]
    reply = _after(taken, "staff in № 1 · mother with a baby › Hello!")
    assert reply.splitlines()[1] == "bot → mother › 💬 Ana Uyi foundation:"  # not a person
    hers = _after(reply, "mother › Thank you, I am waiting")
    assert hers.splitlines()[1].startswith("staff group › № 1 · mother with a baby › msg")
    assert hers.splitlines()[2].strip() == "Thank you, I am waiting by the main entrance."
    assert "Status: in progress" in _after(hers, "› 1\n")
    closed = _after(hers, "staff in № 1 · mother with a baby › 4")
    assert "Status: closed" in closed and "↩️ Reopen" in closed
    history = _after(closed, "› /case 1")
    assert "• note: Met her at the station" in history  # the ! note stayed with the staff
    to_her = _messages(staff_transcript, "bot → mother ›")
    assert to_her and not any("Met her at the station" in text for text in to_her)


def test_foster_applicant_reads_checks_applies_and_follows_her_status(tmp_path: Path) -> None:
    out = _play("foster.txt", "en", tmp_path)
    assert "🏡 Foster family · Question 5 of 5" in out and "Your self-check" in out
    # 10, not 11: she applied from the foster family's screen, so the form is not asked again.
    assert "Step 1 of 10" in out and "Please check your application" in out
    card = _after(out, "staff group › General › msg 2")
    assert "🏡 Foster family application № 1" in card.splitlines()[1]
    assert "Status: contacted" in card
    contacted, documents = _messages(out, "bot → foster › 📄 News about your application")
    assert "We have talked" in contacted  # each change reaches her, in her language
    assert "[·] ⬜ Application" in documents  # her checklist (her buttons: not staff's to press)
    assert "bot → foster › 💬 Ana Uyi foundation:" in out  # the reply to the card reached her
    ticked = _after(out, "foster › 1\n")
    assert "[1] ✅ Application" in _after(ticked, "— now you play a foster")


def test_a_button_pressed_by_the_wrong_person_or_a_wrong_number_is_explained(
    tmp_path: Path,
) -> None:
    script = tmp_path / "script.txt"
    script.write_text(
        "/start\n1\n1\n/loc 49.8 73.1\n2\n1\n/contact +77012345678\n1\n1\n1\n"
        "# the card's buttons are numbered for the staff only\n"
        "/topic 1\n/as staff\n/topic 7\n/topic 1\n1\n[99]\n"
    )
    result = _demo("--lang", "en", "--script", str(script), cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "[·] ✋ Take" in out  # shown to the mother, not numbered for her
    assert "(topics are in the staff group: /as staff first)" in out
    assert "(no topic for case 7 yet)" in out
    assert "Taken by: Asel" in _after(out, "— you type in staff group › № 1")
    assert "(no such button: type a number shown in [ ])" in out
