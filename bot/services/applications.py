"""The foster family application: its steps, what a valid answer is, and where one is."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.services.family_forms import FamilyForm


class StepKind(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    PHONE = "phone"
    PLACE = "place"


Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Step:
    code: str
    kind: StepKind
    options: tuple[str, ...] = ()
    min_len: int = 2
    max_len: int = 200
    # Asked only when this holds: no spouse questions for a single applicant.
    condition: Callable[[Answers], bool] | None = None

    def applies(self, answers: Answers) -> bool:
        return self.condition is None or self.condition(answers)


STEPS: tuple[Step, ...] = (
    Step("full_name", StepKind.TEXT, max_len=100),
    Step("birth_date", StepKind.DATE),
    Step("place", StepKind.PLACE),
    Step("phone", StepKind.PHONE),
    Step("marital", StepKind.CHOICE, ("single", "married")),
    Step(
        "spouse_agrees",
        StepKind.CHOICE,
        ("yes", "no", "not_asked"),
        condition=lambda answers: answers.get("marital") == "married",
    ),
    Step("children", StepKind.CHOICE, ("0", "1", "2", "3", "4plus")),
    Step(
        "children_ages",
        StepKind.TEXT,
        max_len=100,
        min_len=1,
        condition=lambda answers: answers.get("children") not in (None, "0"),
    ),
    Step("housing", StepKind.CHOICE, ("own", "rent", "family")),
    Step("care_form", StepKind.CHOICE, tuple(FamilyForm)),
    Step("experience", StepKind.CHOICE, ("own_children", "work", "little")),
    Step("motivation", StepKind.TEXT, min_len=10, max_len=1000),
    Step("call_time", StepKind.CHOICE, ("morning", "afternoon", "evening", "any")),
)
BY_CODE = {step.code: step for step in STEPS}


# Codes answered before the steps began (a form of care chosen on its own screen): kept in the
# answers under this key, and not asked again.
PRESET = "preset"


def applicable(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def asked(answers: Answers) -> list[Step]:
    """The steps she is asked: those that apply, less what she chose before the first one."""
    preset = answers.get(PRESET) or ()
    return [step for step in applicable(answers) if step.code not in preset]


def progress(code: str, answers: Answers) -> tuple[int, int]:
    """(3, 11) for the progress mark "Step 3 of 11", the same total from the first screen: the
    total counts the steps asked of everyone, and a follow-up question asked only on some
    answers (the spouse's consent, the children's ages) shares the number of the question it
    follows, so no answer makes the total grow."""
    steps = asked(answers)
    main = [step for step in steps if step.condition is None]
    number = 0
    for step in steps:
        if step.condition is None:
            number += 1
        if step.code == code:
            return max(number, 1), len(main)
    return len(main), len(main)


def next_step(code: str | None, answers: Answers) -> Step | None:
    """The first step after `code` that is asked and, from the start, the first unanswered."""
    steps = asked(answers)
    if code is None:
        return next((step for step in steps if step.code not in answers), None)
    codes = [step.code for step in steps]
    index = codes.index(code) if code in codes else -1
    return steps[index + 1] if index + 1 < len(steps) else None


def previous_step(code: str, answers: Answers) -> Step | None:
    steps = asked(answers)
    codes = [step.code for step in steps]
    index = codes.index(code) if code in codes else 0
    return steps[index - 1] if index > 0 else None


def clean_text(step: Step, text: str) -> str | None:
    """The answer without stray spaces, or None when too short or too long."""
    value = " ".join(text.split())
    if not step.min_len <= len(value) <= step.max_len:
        return None
    return value


_MONTHS = {
    # ru (genitive and nominative), kk, en
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_STEMS = sorted(_MONTHS, key=len, reverse=True)  # "маусым" before "ма"
_NUMERIC = re.compile(r"^(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([^\d\s]+)\s+(\d{4})(?:\s*(?:г\.?|года|ж\.?|жыл))?$")


class DateProblem(enum.StrEnum):
    UNREADABLE = "unreadable"
    FUTURE = "future"
    TOO_OLD = "too_old"


def parse_birth_date(text: str, today: date) -> date | DateProblem:
    """'12.03.88', '1988-03-12', '12 марта 1988', '12 наурыз 1988', '12 March 1988'."""
    value = text.strip().lower()
    day = month = year = None
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC.match(value):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:  # '88' is 1988, '05' is 2005: a two-digit year is never in the future
            year += 2000 if 2000 + year <= today.year else 1900
    elif match := _WORDS.match(value):
        word = match.group(2)
        month = next((_MONTHS[stem] for stem in _STEMS if word.startswith(stem)), None)
        day, year = int(match.group(1)), int(match.group(3))
    if day is None or month is None or year is None:
        return DateProblem.UNREADABLE
    try:
        born = date(year, month, day)
    except ValueError:
        return DateProblem.UNREADABLE
    if born > today:
        return DateProblem.FUTURE
    if today.year - born.year > 110:
        return DateProblem.TOO_OLD
    return born


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_note(age: int) -> str | None:
    """An age outside a rule is explained, never refused: staff advise on every case."""
    if age < 18:
        return "minor"
    if age < 30 or age > 63:
        return "professional_range"  # the professional foster family is for ages 30 to 63
    return None
