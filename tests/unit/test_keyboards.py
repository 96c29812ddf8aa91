"""The keyboards of static screens: built once per language, and each language's own."""

from __future__ import annotations

from aiogram_i18n import I18nContext
from aiogram_i18n.managers import FSMManager

from bot.ui import keyboards
from tests.support.texts import core


def _i18n(locale: str) -> I18nContext:
    return I18nContext(locale, core(), FSMManager(), {})


def _labels(markup: object) -> list[str]:
    return [button.text for row in markup.inline_keyboard for button in row]  # type: ignore[attr-defined]


def test_static_keyboards_are_built_once_per_language_in_that_language() -> None:
    for build in (
        keyboards.main_menu,
        keyboards.back_to_menu,
        keyboards.language_picker,
        lambda i18n: keyboards.back_to_menu(i18n, with_emergency=False),
    ):
        kk, ru, en = (build(_i18n(locale)) for locale in ("kk", "ru", "en"))
        assert build(_i18n("ru")) is ru  # the second tap reuses the first one's keyboard
        assert _labels(ru) != _labels(kk) and _labels(ru) != _labels(en)
    ru_menu = _labels(keyboards.main_menu(_i18n("ru")))
    assert ru_menu[0] == core().get("menu-button-mother", "ru")
    assert _labels(keyboards.language_picker()) == list(keyboards.LANGUAGE_NAMES.values())
    with_row = _labels(keyboards.language_picker(_i18n("kk")))
    assert with_row[-1] == core().get("menu-button-emergency", "kk")
