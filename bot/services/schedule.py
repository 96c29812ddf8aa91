"""Working hours and the honest "when will someone contact me" estimate."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(
    r"^\s*(?P<d1>[a-z]{3})(?:\s*-\s*(?P<d2>[a-z]{3}))?\s+"
    r"(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WorkingHours:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time

    def is_open(self, moment: datetime) -> bool:
        return moment.weekday() in self.days and self.start <= moment.time() < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """The next moment the office opens, strictly after `moment` (in its zone)."""
        day = moment.date()
        for offset in range(8):
            candidate_day = day + timedelta(days=offset)
            opening = datetime.combine(candidate_day, self.start, tzinfo=moment.tzinfo)
            if candidate_day.weekday() in self.days and opening > moment:
                return opening
        raise ValueError("working hours have no working day")  # guarded by parse


def parse_working_hours(spec: str) -> WorkingHours:
    """'Mon-Fri 09:00-18:00' -> WorkingHours. Raises ValueError with a plain reason."""
    match = _SPEC.match(spec)
    if not match:
        raise ValueError("expected the form 'Mon-Fri 09:00-18:00'")
    first = match["d1"].lower()
    last = (match["d2"] or match["d1"]).lower()
    if first not in _DAYS or last not in _DAYS:
        raise ValueError("days are Mon, Tue, Wed, Thu, Fri, Sat, Sun")
    start_index, end_index = _DAYS.index(first), _DAYS.index(last)
    days = (
        range(start_index, end_index + 1)
        if start_index <= end_index
        else [*range(start_index, 7), *range(0, end_index + 1)]
    )
    start = time(int(match["h1"]), int(match["m1"]))
    end = time(int(match["h2"]), int(match["m2"])) if match["h2"] != "24" else time.max
    if not start < end:
        raise ValueError("the day must end after it starts")
    return WorkingHours(frozenset(days), start, end)


class Wait(enum.StrEnum):
    SOON = "soon"  # within the response time, now
    TODAY = "today"  # later today, once the office opens
    TOMORROW = "tomorrow"
    LATER = "later"  # on a named day (a weekend or holiday in between)


@dataclass(frozen=True)
class Expectation:
    wait: Wait
    by: datetime  # local time in the foundation's zone
    minutes: int  # the promised response time, for the text


def expected_contact(
    now: datetime,
    *,
    urgent: bool,
    hours: WorkingHours,
    zone: ZoneInfo,
    response_minutes: int,
    urgent_response_minutes: int,
) -> Expectation:
    """When a person can honestly expect a call or message.

    Urgent cases are answered around the clock; others within working hours, so an evening
    request is promised for the next opening, not "within two hours".
    """
    local = now.astimezone(zone)
    if urgent:
        return Expectation(
            Wait.SOON, local + timedelta(minutes=urgent_response_minutes), urgent_response_minutes
        )
    if hours.is_open(local):
        return Expectation(Wait.SOON, local + timedelta(minutes=response_minutes), response_minutes)
    opening = hours.next_opening(local)
    days = (opening.date() - local.date()).days
    wait = Wait.TODAY if days == 0 else Wait.TOMORROW if days == 1 else Wait.LATER
    return Expectation(wait, opening, response_minutes)
