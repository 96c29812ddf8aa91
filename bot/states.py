"""FSM state groups, one group per flow."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    """First contact with an unknown language: the picker, then where the link pointed."""

    language = State()
