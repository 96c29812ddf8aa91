"""`anabot texts check`: an editor's mistakes in the Fluent files are named, the real files pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.cli.texts import check_texts
from bot.cli.texts_rules import (
    CLDR_PLURALS,
    LengthLimit,
    _message,
    length_problems,
    plural_categories,
)
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


def _code(tmp_path: Path, name: str, source: str) -> Path:
    """A folder of code holding one module, `name`, for the check to scan."""
    code = tmp_path / "code"
    code.mkdir()
    (code / name).write_text(source, encoding="utf-8")
    return code


def test_references_to_texts_that_do_not_exist(locales: Path, tmp_path: Path) -> None:
    code = _code(
        tmp_path,
        "screen.py",
        "def show(t, kind):\n"
        '    t("staff-find-usage")\n'
        '    t("staff-find-usag")\n'  # a typo in the code
        '    t(f"staff-colour-{kind}")\n'  # built from a value, but no such texts
        '    t("staff_chat_id")\n',  # a field name, not a text: not reported
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
    code = _code(
        tmp_path,
        "cards.py",
        "def card(t, kind, code):\n"
        '    t(f"staff-kind-{kind}")\n'
        '    t("foster-q-" + code)\n'
        '    t("staff_card_title")\n',  # StaffTexts turns "_" into "-"
    )
    unused = {line.split()[0] for line in check_texts(locales, code).unused}
    for used in ("staff-kind-baby", "staff-kind-other", "foster-q-adult", "staff-card-title"):
        assert used not in unused
    assert "staff-card-status" in unused


def test_a_plural_missing_a_cldr_category_of_its_language_is_reported(
    locales: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # ru needs one, few, many: "2 знаков" was such a slip.
    _edit(locales / "ru" / "foster.ftl", "        [few] знака\n", "")
    # en needs one: "at least 1 characters".
    _edit(locales / "en" / "foster.ftl", "        [one] character\n", "")
    report = check_texts(locales)
    assert [line.split("locales/")[-1] for line in report.plurals] == [
        "ru/foster.ftl: app-error-too-short has no variant for few",
        "en/foster.ftl: app-error-too-short has no variant for one",
    ]
    assert main(["texts", "check", "--locales", str(locales)]) == 1
    assert "plural forms missing a category" in capsys.readouterr().out


def test_a_select_on_a_word_is_not_a_plural(locales: Path) -> None:
    # "[pregnant] … *[other]" chooses by a word: no plural categories are asked of it.
    assert check_texts(locales).plurals == []


def test_cldr_categories_written_down_match_babel() -> None:
    for locale, categories in CLDR_PLURALS.items():
        assert plural_categories(locale) == categories


def test_a_glossary_wrong_variant_is_reported(locales: Path) -> None:
    _edit(
        locales / "kk" / "foster_info.ftl",
        "foster-button-forms = 📚 Отбасына орналастыру түрлері",
        "foster-button-forms = 📚 Отбасыға орналастыру түрлері",
    )
    _edit(
        locales / "kk" / "foster_info.ftl",
        "foster-form-professional-name = 👨‍👩‍👧 Кәсіби қабылдаушы отбасы",
        "foster-form-professional-name = 👨‍👩‍👧 Кәсіби асырап алушы отбасы",
    )
    report = check_texts(locales)
    found = "\n".join(report.glossary)
    assert "foster-button-forms: “Отбасыға” → “отбасына”" in found
    assert "foster-form-professional-name: “кәсіби асырап алушы отбасы”" in found
    assert not report.ok


def test_a_glossary_entry_limited_to_some_files_leaves_the_others(locales: Path) -> None:
    # "Подать заявку" is wrong for the foster application (анкета), not in the staff texts.
    with (locales / "ru" / "staff.ftl").open("a", encoding="utf-8") as file:
        file.write("\nstaff-help = Подать заявку\n")
    assert not any("staff-help" in line for line in check_texts(locales).glossary)
    _edit(
        locales / "ru" / "foster_info.ftl",
        "foster-button-apply = 📝 Заполнить анкету",
        "foster-button-apply = 📝 Подать заявку",
    )
    assert any("foster-button-apply" in line for line in check_texts(locales).glossary)


def test_a_screen_over_its_limit_is_reported(locales: Path) -> None:
    # The houses list: a shared line made long enough to push three houses over 450.
    _edit(
        locales / "ru" / "mother.ftl",
        "mother-houses-unverified-all = ℹ️",
        "mother-houses-unverified-all = ℹ️" + " очень" * 40,
    )
    # A form's summary: its "who" made long.
    _edit(
        locales / "en" / "foster_info.ftl",
        "    Adults ready to care for a child and protect their rights.",
        "    Adults ready to care for a child and protect their rights." + " Really." * 60,
    )
    report = check_texts(locales)
    assert len(report.lengths) == 2
    assert report.lengths[0].startswith("ru: houses list (three houses) is ")
    assert "over its limit of 450" in report.lengths[0]
    assert report.lengths[1].startswith("en: form of care screens")
    assert "over its limit of 600" in report.lengths[1]


def test_a_message_limit_renders_with_sample_values(locales: Path) -> None:
    limit = LengthLimit("app-checklist", 30, _message("app-checklist", done=3, total=8), "test")
    assert length_problems(locales, ["en"], [limit]) == []  # "Documents gathered: 3 of 8."
    tight = LengthLimit("app-checklist", 20, limit.render, "a test limit")
    [problem] = length_problems(locales, ["en"], [tight])
    assert problem == "en: app-checklist is 27 characters, over its limit of 20 (a test limit)"
