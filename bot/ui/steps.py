"""The one registry of FSM state -> screen: the step a person is on, shown again.

Used after a language switch (the step in her new language) and when she types where a tap is
expected (the same step, with its buttons). A new tap-only step gets its screen here.
"""

from __future__ import annotations

from typing import Any

from aiogram_i18n import I18nContext

from bot.config import Settings
from bot.ui.screens import Screen
from bot.ui.screens import mother as mother_screens
from bot.ui.states import Mother


def step_screen(
    state: str | None, flow: dict[str, Any], i18n: I18nContext, settings: Settings
) -> Screen | None:
    screens = {
        Mother.safety.state: lambda: mother_screens.safety_question(i18n),
        Mother.place.state: lambda: mother_screens.place_question(i18n),
        Mother.houses.state: lambda: mother_screens.houses_next(i18n),
        Mother.kind.state: lambda: mother_screens.kind_question(i18n),
        Mother.consent.state: lambda: mother_screens.consent(
            i18n, retention_days=settings.retention_days, operator_name=settings.operator_name
        ),
        Mother.phone.state: lambda: mother_screens.phone_question(i18n),
        Mother.way.state: lambda: mother_screens.way_question(
            i18n, shared=bool(flow.get("shared"))
        ),
        Mother.time.state: lambda: mother_screens.time_question(i18n),
        Mother.note.state: lambda: mother_screens.note_question(i18n),
    }
    build = screens.get(state or "")
    return build() if build else None
