"""Working hours and the promise of when someone will call."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.schedule import Wait, expected_contact, parse_working_hours

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+5 all year since 2024
HOURS = parse_working_hours("Mon-Fri 09:00-18:00")


def _expect(local: datetime, *, urgent: bool = False):
    return expected_contact(
        local.astimezone(UTC),
        urgent=urgent,
        hours=HOURS,
        zone=ALMATY,
        response_minutes=120,
        urgent_response_minutes=30,
    )


def test_during_working_hours_the_promise_is_the_response_time() -> None:
    expectation = _expect(datetime(2026, 11, 25, 11, 0, tzinfo=ALMATY))  # a Wednesday
    assert expectation.wait is Wait.SOON and expectation.minutes == 120
    assert expectation.by == datetime(2026, 11, 25, 13, 0, tzinfo=ALMATY)


def test_early_morning_waits_for_the_opening_today() -> None:
    expectation = _expect(datetime(2026, 11, 25, 7, 30, tzinfo=ALMATY))
    assert expectation.wait is Wait.TODAY
    assert expectation.by.hour == 9 and expectation.by.day == 25


def test_evening_request_is_promised_for_tomorrow_morning() -> None:
    expectation = _expect(datetime(2026, 11, 25, 21, 0, tzinfo=ALMATY))
    assert expectation.wait is Wait.TOMORROW and expectation.by.day == 26


def test_friday_evening_is_promised_for_monday() -> None:
    expectation = _expect(datetime(2026, 11, 27, 19, 0, tzinfo=ALMATY))  # Friday
    assert expectation.wait is Wait.LATER
    assert expectation.by.weekday() == 0 and expectation.by.hour == 9


def test_urgent_cases_ignore_working_hours() -> None:
    expectation = _expect(datetime(2026, 11, 28, 3, 0, tzinfo=ALMATY), urgent=True)  # Saturday
    assert expectation.wait is Wait.SOON and expectation.minutes == 30


def test_utc_time_is_read_in_kazakhstan_time() -> None:
    # 04:30 UTC is 09:30 in Almaty: open.
    expectation = expected_contact(
        datetime(2026, 11, 25, 4, 30, tzinfo=UTC),
        urgent=False,
        hours=HOURS,
        zone=ALMATY,
        response_minutes=60,
        urgent_response_minutes=30,
    )
    assert expectation.wait is Wait.SOON


@pytest.mark.parametrize("spec", ["", "weekdays", "Mon-Fri 18:00-09:00", "Mon-Xyz 09:00-18:00"])
def test_bad_working_hours_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_working_hours(spec)


def test_working_hours_across_the_week_end() -> None:
    hours = parse_working_hours("Sat-Mon 10:00-14:00")
    assert hours.days == frozenset({5, 6, 0})
