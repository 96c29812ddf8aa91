"""Callback data: short prefixes and enum fields only (64 bytes is Telegram's limit)."""

from __future__ import annotations

import enum
import functools

from aiogram.filters.callback_data import CallbackData
from pydantic import field_validator

from bot.services.family_forms import FamilyForm
from bot.services.locale import SUPPORTED_LOCALES
from storage.models import ApplicationStatus


def _codes(*groups: tuple[str, ...]) -> dict[str, str]:
    return {code.upper(): code for group in groups for code in group}


# The bot's languages, as bot.services.locale lists them: Language.KK, Language.RU, ...
Language = enum.StrEnum("Language", _codes(SUPPORTED_LOCALES))  # type: ignore[misc]


class MenuAction(enum.StrEnum):
    HOME = "home"
    MOTHER = "mother"
    FOSTER = "foster"
    INFO = "info"
    EMERGENCY = "sos"
    LANGUAGE = "lang"


class MenuCb(CallbackData, prefix="m"):
    action: MenuAction


class LanguageCb(CallbackData, prefix="l"):
    language: Language  # type: ignore[valid-type]


class MotherAction(enum.StrEnum):
    START = "go"
    DANGER = "dng"
    NO_SHELTER = "nsh"
    SAFE = "safe"
    REGIONS = "regs"
    CONTACT_ME = "cme"
    URGENT_CONTACT = "urg"  # "contact me" offered after danger words: the request is urgent
    PREGNANT = "preg"
    BABY = "baby"
    OTHER = "oth"
    AGREE = "agr"
    DECLINE = "dec"
    CALL = "call"
    MESSAGE = "msg"
    WRITE_ONLY = "wro"
    SHARED_PHONE = "shr"
    ANY_TIME = "any"
    MORNING = "mor"
    AFTERNOON = "aft"
    EVENING = "eve"
    NO_NOTE = "nonote"
    CLEAR_CHAT = "clr"


class MotherCb(CallbackData, prefix="mo"):
    action: MotherAction


@functools.cache
def _region_codes() -> frozenset[str]:
    # The 20 regions are fixed by law; read from the shipped data on the first button, not at
    # import (importing callbacks must not read YAML).
    from bot.services.directory import load_regions

    return frozenset(region.code for region in load_regions())


class RegionCb(CallbackData, prefix="rg"):
    region: str

    @field_validator("region")
    @classmethod
    def _known(cls, code: str) -> str:
        """A forged or stale button with an unknown region does not match the filter."""
        if code not in _region_codes():
            raise ValueError("not a shipped region code")
        return code


class PlaceCb(CallbackData, prefix="pl"):
    """One of the places a typed name may mean ("Абай"): the gazetteer's GeoNames id."""

    id: int


class PrivacyAction(enum.StrEnum):
    CLEAR = "clr"
    FORGET = "fgt"
    CANCEL = "no"


class PrivacyCb(CallbackData, prefix="pv"):
    action: PrivacyAction


class StaffAction(enum.StrEnum):
    TAKE = "take"
    NOTE = "note"
    REMIND_MENU = "rem"
    REMIND_HOUR = "r1h"
    REMIND_TOMORROW = "rtm"
    REMIND_TYPE = "rty"
    STATUS_MENU = "st"
    IN_PROGRESS = "prog"
    WAITING = "wait"
    CLOSE = "close"
    REOPEN = "reop"
    BACK = "back"
    OUTCOME_MENU = "out"  # the outcome list again, to correct the one given


class StaffCb(CallbackData, prefix="sc"):
    action: StaffAction
    case_id: int


def _outcome_codes() -> dict[str, str]:
    # The outcome list is data (bot/data/outcomes.yaml), read once like the regions.
    from bot.services.outcomes import shipped_outcomes

    return {outcome.code.upper(): outcome.code for outcome in shipped_outcomes()}


OutcomeCode = enum.StrEnum("OutcomeCode", _outcome_codes())  # type: ignore[misc]


class OutcomeCb(CallbackData, prefix="oc"):
    """An outcome for a closed case; `house` is the position in the case's house choices
    (bot.services.outcomes.house_choices), -1 when none is picked yet."""

    case_id: int
    outcome: OutcomeCode  # type: ignore[valid-type]
    house: int = -1


class CheckInAnswer(enum.StrEnum):
    YES = "yes"
    NOT_YET = "notyet"
    NO_NEED = "noneed"


class CheckInCb(CallbackData, prefix="ci"):
    answer: CheckInAnswer
    case_id: int


class FosterAction(enum.StrEnum):
    HOME = "home"
    FORMS = "forms"
    CHECK = "check"
    APPLY = "apply"
    STATUS = "status"


class FosterCb(CallbackData, prefix="fo"):
    action: FosterAction


class ApplyFormCb(CallbackData, prefix="fa"):
    """Apply, from one form's screen: the application does not ask the form again."""

    form: FamilyForm


class FormCb(CallbackData, prefix="ff"):
    """A form of family care: its information, or the self-check for it."""

    form: FamilyForm
    check: bool = False


class FormPart(enum.StrEnum):
    STEPS = "steps"
    DOCUMENTS = "docs"


class FormPartCb(CallbackData, prefix="fp"):
    """A part of a form's information kept behind a button: the form's screen stays short."""

    form: FamilyForm
    part: FormPart


class CheckAnswer(enum.StrEnum):
    YES = "y"
    NO = "n"
    UNSURE = "u"


class CheckCb(CallbackData, prefix="fc"):
    answer: CheckAnswer


def _application_enums() -> tuple[type[enum.StrEnum], type[enum.StrEnum]]:
    from bot.services.applications import STEPS

    fields = enum.StrEnum("AppField", _codes(tuple(step.code for step in STEPS)))  # type: ignore[misc]
    options = enum.StrEnum(  # type: ignore[misc]
        "AppOption", _codes(("none",), *(step.options for step in STEPS))
    )
    return fields, options


AppField, AppOption = _application_enums()


class AppAction(enum.StrEnum):
    CHOOSE = "c"
    BACK = "b"
    EDIT = "e"
    SUBMIT = "s"
    CONTINUE = "go"
    RESTART = "new"
    WITHDRAW = "wd"
    WITHDRAW_SURE = "wdy"


class AppCb(CallbackData, prefix="ap"):
    action: AppAction
    field: AppField = AppField("full_name")  # type: ignore[valid-type]
    value: AppOption = AppOption("none")  # type: ignore[valid-type]


class ChecklistCb(CallbackData, prefix="dc"):
    application_id: int
    item: str  # a document code from bot.services.family_forms.DOCUMENTS, checked on use


class StaffAppCb(CallbackData, prefix="sa"):
    application_id: int
    status: ApplicationStatus | None = None
    take: bool = False
    remind: bool = False  # "remind me tomorrow at 10:00", to the presser's private chat
