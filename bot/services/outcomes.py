"""What became of a mother and her child: the outcome list staff pick from when a case closes.

The list is data (bot/data/outcomes.yaml), in kk, ru and en, validated like the directory.
A closed case without an outcome counts as UNKNOWN in every report.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from bot.services.data_files import load_entries
from bot.services.directory import DATA_DIR, Directory, LocalizedText, Shelter

OUTCOMES_FILE = DATA_DIR / "outcomes.yaml"
UNKNOWN = "unknown"  # a closed case nobody gave an outcome
HOUSE_CHOICES = 4  # houses offered on the second tap: the case's own, then the nearest ones

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,11}$")  # short: it travels in callback data


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    emoji: str
    label: LocalizedText
    pick_house: bool = False
    ask_again: bool = False
    child_with_mother: Literal["yes", "no", "unknown"] | None = None

    @field_validator("code")
    @classmethod
    def _code_format(cls, value: str) -> str:
        if not _CODE_RE.match(value) or value == UNKNOWN:
            raise ValueError('must be 1-12 lowercase letters, digits or "_", not "unknown"')
        return value

    def button(self, locale: str) -> str:
        return f"{self.emoji} {self.label.get(locale)}"


def load_outcomes(path: Path | None = None) -> list[Outcome]:
    """The outcome list from a YAML file (default: the shipped one); DirectoryError lists
    every problem."""
    return load_entries(
        Path(path) if path is not None else OUTCOMES_FILE, "outcomes", Outcome, "code"
    )


@cache
def shipped_outcomes() -> tuple[Outcome, ...]:
    """The shipped list, read once: callback data and cards use the same codes."""
    return tuple(load_outcomes())


def outcome_of(code: str | None) -> Outcome | None:
    return next((o for o in shipped_outcomes() if o.code == code), None)


def house_choices(
    directory: Directory, region: str | None, shelter_id: str | None
) -> list[Shelter]:
    """The houses offered for "placed in a house": the case's nearest house first, then the
    houses nearest to it (or to her region's centre). The order is stable for a given case and
    directory, so a button's position names the same house when it is pressed."""
    chosen: list[Shelter] = []
    own = directory.shelter(shelter_id) if shelter_id else None
    if own is not None:
        chosen.append(own)
        ranked = [s for s, _ in directory.nearest(own.lat, own.lon, HOUSE_CHOICES + 1)]
    elif region:
        try:
            ranked = [s for s, _ in directory.nearest_to_region(region, HOUSE_CHOICES)]
        except KeyError:
            ranked = []
    else:
        ranked = []
    for shelter in ranked:
        if all(shelter.id != other.id for other in chosen):
            chosen.append(shelter)
    return chosen[:HOUSE_CHOICES]
