from __future__ import annotations

import pytest

from bot.services.deeplink import Destination, parse_start_payload
from bot.services.locale import resolve_locale


@pytest.mark.parametrize(
    ("payload", "destination", "source"),
    [
        (None, Destination.HOME, None),
        ("", Destination.HOME, None),
        ("mother", Destination.MOTHER, None),
        ("MOTHER", Destination.MOTHER, None),
        ("foster", Destination.FOSTER, None),
        ("src_poster-almaty_01", Destination.HOME, "poster-almaty_01"),
        ("src_", Destination.HOME, None),
        ("src_<script>", Destination.HOME, None),
        ("anything-else", Destination.HOME, None),
    ],
)
def test_start_payloads(payload: str | None, destination: Destination, source: str | None) -> None:
    parsed = parse_start_payload(payload)
    assert parsed.destination is destination
    assert parsed.source == source


def test_staff_token_is_recognised_only_in_its_shape() -> None:
    assert parse_start_payload("staff_abcdEFGH1234").staff_token == "abcdEFGH1234"
    assert parse_start_payload("staff_short").destination is Destination.HOME


@pytest.mark.parametrize(
    ("stored", "telegram", "expected"),
    [
        ("kk", "ru", "kk"),
        (None, "ru-RU", "ru"),
        (None, "en", "en"),
        (None, "kk", "kk"),
        (None, "de", None),
        (None, None, None),
        ("xx", "en", "en"),
    ],
)
def test_locale_resolution(stored: str | None, telegram: str | None, expected: str | None) -> None:
    assert resolve_locale(stored, telegram) == expected
