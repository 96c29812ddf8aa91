"""Settings: the DESIGN.md variables, and one plain line naming a bad one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from tests.support.constants import ROOT

VARIABLES = (
    "BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "STAFF_CHAT_ID",
    "ADMIN_IDS",
    "SHELTERS_FILE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_HOST",
    "WEBHOOK_PORT",
    "TIMEZONE",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_match_the_design() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/anabot.db"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.timezone == "Asia/Almaty"
    assert settings.redis_url is None and settings.webhook_url is None
    assert settings.admin_ids == ()


def test_env_file_and_comma_separated_admins(tmp_path) -> None:
    (tmp_path / ".env").write_text("ADMIN_IDS=11, 22,33\nSTAFF_CHAT_ID=-1001234\n")
    settings = load_settings()
    assert settings.admin_ids == (11, 22, 33)
    assert settings.staff_chat_id == -1001234


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STAFF_CHAT_ID", "staff"),
        ("ADMIN_IDS", "1,two"),
        ("BOT_TOKEN", "not-a-token"),
        ("WEBHOOK_PORT", "99999"),
        ("TIMEZONE", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://x"),
        ("TELEGRAM_API_URL", "localhost:8081"),
        ("WEBHOOK_SECRET", "has spaces, и буквы"),  # Telegram's setWebhook would refuse it
        ("LOG_LEVEL", "loud"),
    ],
)
def test_malformed_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"{name}:")
    assert "\n" not in str(caught.value)


def _anabot(*args: str, home: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot <args>` with a bare environment: no settings but `variables`."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(ROOT), **variables}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_run_without_token_stops_with_one_plain_line(tmp_path) -> None:
    result = _anabot("run", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "anabot: BOT_TOKEN is required for `anabot run` (get one from @BotFather)"
    )
    assert "Traceback" not in result.stderr


def test_malformed_variable_stops_the_cli_without_traceback(tmp_path) -> None:
    result = _anabot("run", home=tmp_path, BOT_TOKEN="123:abc", STAFF_CHAT_ID="the-staff-group")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("anabot: STAFF_CHAT_ID:")


def test_shelters_check_cli_reports_each_bad_entry(tmp_path) -> None:
    good = _anabot("shelters", "check", home=tmp_path)
    assert good.returncode == 0
    assert "unverified" in good.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "shelters:\n"
        "  - {id: a-1, name: {kk: A, ru: A}, region: atlantis, city: {kk: A, ru: A},"
        " lat: 49.8, lon: 73.1, accepts: [pregnant]}\n"
    )
    result = _anabot("shelters", "check", str(bad), home=tmp_path)
    assert result.returncode == 1
    assert 'entry 1 (id "a-1"): region' in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_a_broken_directory_stops_with_plain_lines(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("shelters: []\n")
    result = _anabot(
        "run",
        home=tmp_path,
        BOT_TOKEN="123:abc",
        STAFF_CHAT_ID="-100",
        SHELTERS_FILE=str(bad),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'a.db'}",
    )
    assert result.returncode == 2
    assert "SHELTERS_FILE" in result.stderr and "Traceback" not in result.stderr
