"""Every text exists in kk, ru and en, with the same variables, and formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import ast
from fluent.syntax.serializer import FluentSerializer

from bot.cli.texts import check_texts, load_messages, message_variables
from bot.i18n import LOCALES_DIR, MENU_COMMANDS
from bot.services.locale import SUPPORTED_LOCALES
from tests.support.texts import bundle_of

KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")


def _messages(locale: str) -> dict[str, ast.Message]:
    loaded = load_messages(LOCALES_DIR, locale)
    assert not loaded.problems, loaded.problems
    return {key: message for key, (_, message) in loaded.by_id.items()}


def _variables(message: ast.Message) -> set[str]:
    return message_variables(message)


def _source(message: ast.Message) -> str:
    return FluentSerializer().serialize_entry(message)


def test_every_key_exists_in_every_locale() -> None:
    report = check_texts()
    assert not report.syntax
    assert not report.missing


def test_every_key_is_used_and_every_used_key_exists() -> None:
    report = check_texts()
    assert not report.unused
    assert not report.unknown


def test_keys_are_kebab_case_with_a_flow_prefix() -> None:
    bad = [key for key in _messages("en") if not KEBAB.match(key)]
    assert not bad


def test_same_variables_in_every_locale() -> None:
    assert not check_texts().variables


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_formats_with_its_variables(locale: str) -> None:
    bundle = bundle_of(locale)
    for key, message in _messages(locale).items():
        args = {name: "X" for name in _variables(message)}
        text, errors = bundle.format_pattern(bundle.get_message(key).value, args)
        assert not errors, f"{locale}:{key}: {errors}"
        assert text.strip(), f"{locale}:{key} is empty"
        selects = "->" in _source(message)
        if args and not selects:  # a select-only message prints a variant, not the value
            assert "X" in text


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_command_descriptions_fit_telegram(locale: str) -> None:
    bundle = bundle_of(locale)
    for name in MENU_COMMANDS:
        text, _ = bundle.format_pattern(bundle.get_message(f"command-{name}").value, {})
        assert 3 <= len(text) <= 256


def test_kazakh_texts_are_cyrillic_kazakh() -> None:
    """Kazakh must be written in Kazakh: the letters ә, ғ, қ, ң, ө, ұ, ү, һ, і occur."""
    text = " ".join(
        Path(path).read_text(encoding="utf-8") for path in (LOCALES_DIR / "kk").glob("*.ftl")
    )
    assert set("әғқңөұүі") <= set(text.lower())
