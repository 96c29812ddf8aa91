"""`anabot demo`: a person reaches the main menu in each language, with no token and no network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _demo(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd)},
    )


@pytest.mark.parametrize(
    ("button", "greeting", "menu_item"),
    [
        ("1", "Сәлеметсіз бе!", "🤱 Маған көмек керек"),
        ("2", "Здравствуйте!", "🤱 Мне нужна помощь"),
        ("3", "Hello!", "🤱 I need help"),
    ],
)
def test_keyboard_demo_reaches_the_menu_in_each_language(
    tmp_path: Path, button: str, greeting: str, menu_item: str
) -> None:
    result = _demo(stdin=f"{button}\n/quit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Choose a language" in result.stdout
    assert greeting in result.stdout and menu_item in result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # the demo's database is temporary


def test_scripted_demo_prints_a_transcript(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("# a mother whose phone is in Kazakh\n/start\n1\n/emergency\n[9]\n")
    result = _demo("--lang", "kk", "--script", str(script), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("you › /start") < out.index("Сәлеметсіз бе!")
    assert "Сіз жалғыз емессіз" in out  # button 1 pressed
    assert "☎️ 112" in out
    assert "no such button" in out
