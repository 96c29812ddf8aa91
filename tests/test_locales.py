"""Every text exists in kk, ru and en, with the same variables, and formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast
from fluent.syntax.serializer import FluentSerializer
from fluent.syntax.visitor import Visitor

from bot.i18n import LOCALES_DIR, MENU_COMMANDS
from bot.services.locale import SUPPORTED_LOCALES

KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")


def _messages(locale: str) -> dict[str, ast.Message]:
    found: dict[str, ast.Message] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, f"{path}: syntax error near {junk[0].content[:60]!r}"
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in found, f"{locale}: {entry.id.name} defined twice"
                found[entry.id.name] = entry
    return found


def _variables(message: ast.Message) -> set[str]:
    names: set[str] = set()

    class Variables(Visitor):
        def visit_VariableReference(self, node: ast.VariableReference) -> None:
            names.add(node.id.name)

    Variables().visit(message)
    return names


def _source(message: ast.Message) -> str:
    return FluentSerializer().serialize_entry(message)


def _bundle(locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


def test_every_key_exists_in_every_locale() -> None:
    keys = {locale: set(_messages(locale)) for locale in SUPPORTED_LOCALES}
    reference = keys["ru"]
    for locale, found in keys.items():
        assert found == reference, (
            f"{locale}: missing {sorted(reference - found)}, extra {sorted(found - reference)}"
        )


def test_keys_are_kebab_case_with_a_flow_prefix() -> None:
    bad = [key for key in _messages("en") if not KEBAB.match(key)]
    assert not bad


@pytest.mark.parametrize("locale", [loc for loc in SUPPORTED_LOCALES if loc != "ru"])
def test_same_variables_as_russian(locale: str) -> None:
    reference = {key: _variables(message) for key, message in _messages("ru").items()}
    for key, message in _messages(locale).items():
        assert _variables(message) == reference[key], f"{locale}:{key}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_formats_with_its_variables(locale: str) -> None:
    bundle = _bundle(locale)
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
    bundle = _bundle(locale)
    for name in MENU_COMMANDS:
        text, _ = bundle.format_pattern(bundle.get_message(f"command-{name}").value, {})
        assert 3 <= len(text) <= 256


def test_kazakh_texts_are_cyrillic_kazakh() -> None:
    """Kazakh must be written in Kazakh: the letters ә, ғ, қ, ң, ө, ұ, ү, һ, і occur."""
    text = " ".join(
        Path(path).read_text(encoding="utf-8") for path in (LOCALES_DIR / "kk").glob("*.ftl")
    )
    assert set("әғқңөұүі") <= set(text.lower())
