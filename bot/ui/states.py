"""FSM state groups, one group per flow."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    """First contact with an unknown language: the picker, then where the link pointed."""

    language = State()


class Mother(StatesGroup):
    """A mother in crisis: safety, where she is, the houses, then the handoff to staff."""

    safety = State()  # in danger / nowhere to sleep tonight / safe
    place = State()  # location, region or a typed city
    houses = State()  # the nearest houses are on screen
    kind = State()  # pregnant / a baby / other
    consent = State()
    phone = State()
    way = State()  # call / message / write only; the "shared phone" switch
    time = State()
    note = State()
    handed_off = State()  # her messages now go to the staff


class StaffInput(StatesGroup):
    """A staff member's next message in a case thread answers the bot's question."""

    note = State()
    remind_at = State()


class FosterCheck(StatesGroup):
    """The eligibility self-check: one question per screen; it informs, never refuses."""

    question = State()  # the data holds the form and the question's index


class FosterApplication(StatesGroup):
    """The application: one step per screen; the draft itself is a database row."""

    step = State()  # the data holds the application id and the current step
    review = State()
