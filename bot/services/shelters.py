"""The houses and regions as the directory file writes them, validated, and the distance
between two points. Shared by the directory (which house is nearest) and the place matcher.

Free of Telegram types on purpose: handlers translate, this module holds the rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.services.data_files import (
    DATA_DIR,
    Latitude,
    LocalizedText,
    Longitude,
    load_entries,
    matching,
)
from bot.services.phones import normalize_phone

REGIONS_FILE = DATA_DIR / "regions.yaml"

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Accepts(StrEnum):
    """Who a house takes in."""

    PREGNANT = "pregnant"
    NEWBORN = "newborn"
    CHILD = "child"


class Region(BaseModel):
    """One of the 17 regions or 3 cities of republican significance, with its centre."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str, matching(_ID_RE, "must be lowercase letters, digits, '-' or '_'")]
    name: LocalizedText
    centre: LocalizedText
    lat: Latitude
    lon: Longitude


# A Kazakhstan number, stored in E.164.
Phone = Annotated[str, AfterValidator(normalize_phone)]


@cache
def _default_region_codes() -> frozenset[str]:
    return frozenset(region.code for region in load_regions())


class Shelter(BaseModel):
    """One mothers' house, as in the directory file.

    Validate with `Shelter.model_validate(data, context={"region_codes": {...}})`; without a
    context the shipped regions.yaml gives the known codes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[
        str,
        matching(
            _ID_RE, 'must be lowercase Latin letters, digits, "-" or "_" (like "karaganda-1")'
        ),
    ]
    name: LocalizedText
    region: str
    city: LocalizedText
    lat: Latitude
    lon: Longitude
    address: LocalizedText | None = None
    address_public: bool = False
    phones: list[Phone] = []  # each validated on its own, so an error names phones[i]
    verified: bool = False
    accepts: list[Accepts]
    hours: str | None = None
    staff_chat_id: StrictInt | None = None
    # Where the facts came from (press, the foundation). Kept so nobody has to guess later.
    source: str | None = None

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str, info: ValidationInfo) -> str:
        codes = (info.context or {}).get("region_codes")
        if codes is None:
            codes = _default_region_codes()
        if value not in codes:
            raise ValueError(f'unknown region code "{value}" (see regions.yaml)')
        return value

    @field_validator("phones", mode="before")
    @classmethod
    def _phones_list(cls, value: Any) -> Any:
        # A single number written without brackets is a common slip; accept it as a list.
        return [value] if isinstance(value, str) else value

    @field_validator("phones")
    @classmethod
    def _phones_distinct(cls, value: list[str]) -> list[str]:
        # Two spellings of one number ("8 7212..." and "+7 7212...") are one phone.
        return list(dict.fromkeys(value))

    @field_validator("accepts")
    @classmethod
    def _accepts_not_empty(cls, value: list[Accepts]) -> list[Accepts]:
        if not value:
            raise ValueError("must name at least one of: pregnant, newborn, child")
        return list(dict.fromkeys(value))

    @field_validator("hours", "source")
    @classmethod
    def _optional_text(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty (leave the field out instead)")
        return value.strip() if value is not None else None

    @field_validator("staff_chat_id")
    @classmethod
    def _group_chat(cls, value: int | None) -> int | None:
        # Telegram group and supergroup ids are negative; a positive id is a person's chat.
        if value is not None and value >= 0:
            raise ValueError("must be a group chat id (negative, like -1001234567890)")
        return value

    @model_validator(mode="after")
    def _public_address_needs_address(self) -> Shelter:
        if self.address_public and self.address is None:
            raise ValueError("address_public: is true but no address is given")
        return self

    @property
    def show_contacts(self) -> bool:
        """Phones may be shown to a mother only when the foundation verified them."""
        return self.verified and bool(self.phones)

    @property
    def show_address(self) -> bool:
        """The address and map pin are shown only when public and verified."""
        return self.verified and self.address_public and self.address is not None


@dataclass(frozen=True)
class Place:
    """A place a typed name was matched to: a region, its centre, a house's city, a town."""

    name: LocalizedText
    region: str
    lat: Latitude
    lon: Longitude
    score: float
    population: int = 0
    geonameid: int = 0  # the gazetteer's id, for a choice button; 0 when not from it
    is_region: bool = False  # a whole region ("Абай облысы"), not a town
    # 0: a house's city, a big town, a region or its centre, as the bot lists them itself;
    # 1: a place known only from the gazetteer. The bot's own come first among choices.
    rank: int = 0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km; accurate to well under 1% at Kazakhstan's scale."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def load_regions(path: Path | None = None) -> list[Region]:
    """Regions from a YAML file (default: the shipped bot/data/regions.yaml)."""
    return load_entries(Path(path) if path is not None else REGIONS_FILE, "regions", Region, "code")
