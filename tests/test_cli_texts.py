"""`anabot texts check`: an editor's mistakes in the Fluent files are named, the real files pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.cli_texts import check_texts
from bot.i18n import LOCALES_DIR


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_real_locales_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["texts", "check"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("texts are fine:")


def test_missing_key_mismatched_variable_and_unused_key_are_each_reported(
    locales: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(locales / "kk" / "common.ftl", "command-help = Бот не істей алады\n", "")
    _edit(locales / "en" / "staff.ftl", "stats-total = Cases: { $count }", "stats-total = { $n }")
    for locale in ("kk", "ru", "en"):
        with (locales / locale / "staff.ftl").open("a", encoding="utf-8") as file:
            file.write("\nstaff-forgotten-hint = old words\n")

    assert main(["texts", "check", "--locales", str(locales)]) == 1
    out = capsys.readouterr().out

    report = check_texts(locales)
    assert report.missing == ["command-help: missing in kk (present in ru, en)"]
    assert report.variables == ["stats-total: kk has $count; ru has $count; en has $n"]
    assert report.unused == ["staff-forgotten-hint (in staff.ftl)"]
    for line in (*report.missing, *report.variables, *report.unused):
        assert line in out


def test_syntax_error_names_the_file_and_line(locales: Path) -> None:
    _edit(locales / "ru" / "common.ftl", "command-help = Что умеет бот", "command-help Что умеет")
    report = check_texts(locales)
    assert any("ru/common.ftl:4: cannot read this text" in line for line in report.syntax)
    assert report.missing == ["command-help: missing in ru (present in kk, en)"]


def test_references_to_texts_that_do_not_exist(locales: Path, tmp_path: Path) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "screen.py").write_text(
        "def show(t, kind):\n"
        '    t("staff-find-usage")\n'
        '    t("staff-find-usag")\n'  # a typo in the code
        '    t(f"staff-colour-{kind}")\n'  # built from a value, but no such texts
        '    t("staff_chat_id")\n',  # a field name, not a text: not reported
        encoding="utf-8",
    )
    _edit(
        locales / "en" / "staff.ftl",
        "stats-total = Cases: { $count }",
        "stats-total = Cases: { $count } { stats-nothing }",
    )
    report = check_texts(locales, code)
    unknown = "\n".join(report.unknown)
    assert "screen.py:3: staff-find-usag is not defined" in unknown
    assert "screen.py:4: staff-colour-{…} matches no text" in unknown
    assert "en/staff.ftl: stats-total includes { stats-nothing }, which does not exist" in unknown
    assert "staff-chat-id" not in unknown
    assert len(report.unknown) == 3
    # Only this small module is scanned: nearly every text is unused from its point of view.
    assert "staff-find-usage (in staff.ftl)" not in report.unused


def test_ids_built_at_run_time_count_as_used(locales: Path, tmp_path: Path) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "cards.py").write_text(
        "def card(t, kind, code):\n"
        '    t(f"staff-kind-{kind}")\n'
        '    t("foster-q-" + code)\n'
        '    t("staff_card_title")\n',  # StaffTexts turns "_" into "-"
        encoding="utf-8",
    )
    unused = {line.split()[0] for line in check_texts(locales, code).unused}
    for used in ("staff-kind-baby", "staff-kind-other", "foster-q-adult", "staff-card-title"):
        assert used not in unused
    assert "staff-card-status" in unused
