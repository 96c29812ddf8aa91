"""`/start` payloads: where a person came from and where they want to go."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Destination(enum.StrEnum):
    HOME = "home"
    MOTHER = "mother"
    FOSTER = "foster"
    STAFF_INVITE = "staff"


# Telegram allows A-Z a-z 0-9 _ - in a start parameter, up to 64 characters.
_SOURCE = re.compile(r"^src_([A-Za-z0-9_-]{1,60})$")
_STAFF = re.compile(r"^staff_([A-Za-z0-9_-]{8,58})$")


@dataclass(frozen=True)
class StartPayload:
    destination: Destination = Destination.HOME
    source: str | None = None
    staff_token: str | None = None


def parse_start_payload(payload: str | None) -> StartPayload:
    """Unknown or malformed payloads lead home: a broken poster link still works."""
    if not payload:
        return StartPayload()
    value = payload.strip()
    if value.lower() in (Destination.MOTHER, Destination.FOSTER):
        return StartPayload(destination=Destination(value.lower()))
    if match := _SOURCE.match(value):
        return StartPayload(source=match.group(1).lower())
    if match := _STAFF.match(value):
        return StartPayload(destination=Destination.STAFF_INVITE, staff_token=match.group(1))
    return StartPayload()
