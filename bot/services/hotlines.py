"""Public help lines (112, 102, ...) shown one tap away from every screen.

A wrong number in a crisis is dangerous, so every line must name the public source that
confirmed it; a line without a source is rejected when the file is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, field_validator

from bot.services.data_files import DirectoryError, matching, read_yaml_list, validate_entries
from bot.services.directory import DATA_DIR, LocalizedText

HOTLINES_FILE = DATA_DIR / "hotlines.yaml"

# The order lines are shown in danger: the unified line first (works with no money on the
# account), then police and ambulance, then the state line for domestic violence; 150 after.
EMERGENCY_ORDER: tuple[str, ...] = ("112", "102", "103", "111", "150")

_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Hotline(BaseModel):
    """One help line with what it is for and where the number was confirmed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str
    kind: Annotated[
        str, matching(_KIND_RE, "must be lowercase letters, digits or '_', like \"police\"")
    ]
    what: LocalizedText
    source: str

    @field_validator("number", mode="before")
    @classmethod
    def _number_digits(cls, value: object) -> object:
        # YAML reads an unquoted 112 as an int; a short number is still a string of digits.
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not re.fullmatch(r"\d{2,12}", value.strip()):
            raise ValueError('must be 2 to 12 digits, like "112"')
        return value.strip()

    @field_validator("source")
    @classmethod
    def _source_given(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must name the public source that confirmed the number")
        return value

    @property
    def tel(self) -> str:
        """A `tel:` link for this line."""
        return tel_link(self.number)


def load_hotlines(path: Path | None = None) -> list[Hotline]:
    """Help lines from a YAML file (default: the shipped bot/data/hotlines.yaml).

    Raises DirectoryError listing every problem (file, entry, field); a number listed twice
    is a problem too.
    """
    path = Path(path) if path is not None else HOTLINES_FILE
    raw = read_yaml_list(path, "hotlines")
    # Normalise unquoted numbers before the duplicate check so 112 and "112" collide.
    for entry in raw:
        if isinstance(entry, dict) and isinstance(entry.get("number"), int):
            entry["number"] = str(entry["number"])
    hotlines, errors = validate_entries(path, raw, Hotline, "number", {})
    if errors:
        raise DirectoryError(errors)
    return hotlines


def emergency_lines(hotlines: list[Hotline]) -> list[Hotline]:
    """The lines to show first when a person is in danger, in EMERGENCY_ORDER.

    Lines missing from the file are skipped rather than invented.
    """
    by_number = {line.number: line for line in hotlines}
    return [by_number[number] for number in EMERGENCY_ORDER if number in by_number]


def tel_link(number: str) -> str:
    """`tel:` + the number, for a link in text or a web page.

    Accepts digits with an optional leading "+" (E.164 house phones too); spaces, dashes and
    brackets are dropped. Raises ValueError for anything else so no broken link is shown.
    """
    compact = re.sub(r"[\s()\-]", "", number)
    if not re.fullmatch(r"\+?\d{2,15}", compact):
        raise ValueError(f"not a phone number: {number!r}")
    return "tel:" + compact
