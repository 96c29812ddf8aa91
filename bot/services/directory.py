"""Directory of mothers' houses: loading, validation and "which house is nearest".

The directory is a YAML file the foundation edits by hand (schema in DESIGN.md, "Directory of
houses"), so every mistake is reported with the file, the entry and the field, and all mistakes
are reported at once: an operator fixing a file one error per run gives up.

Free of Telegram types on purpose: handlers translate, this module holds the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.services.data_files import DATA_DIR, DirectoryError, LocalizedText, load_entries
from bot.services.nearby import HouseGrid
from bot.services.places import PlaceIndex, load_gazetteer
from bot.services.shelters import (
    REGIONS_FILE,
    Place,
    Region,
    Shelter,
    haversine_km,
    load_regions,
)

# The directory's public face: what the rest of the bot (and the tests) import from here.
__all__ = [
    "DATA_DIR",
    "REGIONS_FILE",
    "SHELTERS_FILE",
    "Directory",
    "DirectoryError",
    "LocalizedText",
    "Place",
    "Region",
    "Shelter",
    "check_file",
    "haversine_km",
    "load_directory",
    "load_regions",
    "summarize",
]

SHELTERS_FILE = DATA_DIR / "shelters.yaml"


class Directory:
    """The regions and the houses, with the look-ups the bot needs."""

    def __init__(self, regions: Iterable[Region], shelters: Iterable[Shelter]) -> None:
        self.regions: list[Region] = list(regions)
        self.shelters: list[Shelter] = list(shelters)
        self._regions = {region.code: region for region in self.regions}
        self._shelters = {shelter.id: shelter for shelter in self.shelters}
        self._places: PlaceIndex | None = None
        self._grid = HouseGrid(self.shelters)

    def __len__(self) -> int:
        return len(self.shelters)

    def unverified(self) -> list[Shelter]:
        """Houses whose contacts the foundation has not confirmed (shown by city only)."""
        return [shelter for shelter in self.shelters if not shelter.verified]

    @property
    def all_unverified(self) -> bool:
        """True when no house's contacts may be shown: the bot runs, with a loud warning."""
        return all(not shelter.verified for shelter in self.shelters)

    def nearest(self, lat: float, lon: float, limit: int = 3) -> list[tuple[Shelter, float]]:
        """Up to `limit` houses with their distance in km, nearest first."""
        return self._grid.nearest(lat, lon, limit)

    def nearest_to_region(self, code: str, limit: int = 3) -> list[tuple[Shelter, float]]:
        """Houses for a region picked from a list: its own houses first, then the nearest
        others, with distances from the region's centre. A region with no house still gets
        an answer."""
        region = self.region(code)
        ranked = sorted(
            ((s, haversine_km(region.lat, region.lon, s.lat, s.lon)) for s in self.shelters),
            key=lambda pair: (pair[0].region != code, pair[1], pair[0].id),
        )
        return ranked[: max(limit, 0)]

    def by_region(self, code: str) -> list[Shelter]:
        """Houses in a region, in file order; raises KeyError for an unknown region code."""
        self.region(code)
        return [shelter for shelter in self.shelters if shelter.region == code]

    def region_at(self, lat: float, lon: float) -> Region:
        """The region whose administrative centre is nearest to a point: the region of a
        shared location, as near as centres tell (a border village may get its neighbour)."""
        return min(self.regions, key=lambda r: (haversine_km(lat, lon, r.lat, r.lon), r.code))

    def region(self, code: str) -> Region:
        """The region with this code; raises KeyError (codes come from the region list)."""
        try:
            return self._regions[code]
        except KeyError:
            raise KeyError(f"unknown region code {code!r}") from None

    def shelter(self, shelter_id: str) -> Shelter | None:
        """The house with this id, or None: an id in an old button may outlive a file edit."""
        return self._shelters.get(shelter_id)

    def cities(self, locale: str) -> list[str]:
        """Distinct city names of the houses in `locale`, in file order."""
        return list(dict.fromkeys(shelter.city.get(locale) for shelter in self.shelters))

    def regions_without_houses(self) -> list[Region]:
        """Regions with no house in the directory (for the operator's summary)."""
        used = {shelter.region for shelter in self.shelters}
        return [region for region in self.regions if region.code not in used]

    def find_place(self, text: str, min_score: float = 80.0) -> Place | None:
        """Match a typed city or region name in any language or spelling (Cyrillic or Latin,
        old names like "Семипалатинск", abbreviations like "ВКО") to a place; None when
        nothing is close enough. Where the name means places far apart, the biggest.

        Use the place's coordinates with `nearest` so a city without a house still gets the
        nearest houses.
        """
        found = self.find_places(text, min_score)
        return found[0] if found else None

    def find_places(self, text: str, min_score: float = 80.0) -> list[Place]:
        """The places a typed name may mean: none, one, or up to three far apart from each
        other, biggest first (ask her which; see bot/services/places.py)."""
        return self._place_index().find(text, min_score)

    def gazetteer_place(self, geonameid: int) -> Place | None:
        """A place of the gazetteer by its GeoNames id (from a choice button), or None."""
        return self._place_index().place(geonameid)

    def build_place_index(self) -> None:
        """Build the index of typed names now (at start: tens of ms) instead of on the first
        typed town."""
        self._place_index()

    def _place_index(self) -> PlaceIndex:
        """The index of every spelling, built once."""
        if self._places is None:
            self._places = PlaceIndex(self.regions, self.shelters, load_gazetteer())
        return self._places


# ---------------------------------------------------------------------------------------------
# Loading


def load_directory(path: Path | None = None, regions: Sequence[Region] | None = None) -> Directory:
    """Load and validate a directory of houses (default: the shipped bot/data/shelters.yaml).

    Raises DirectoryError listing every problem, each naming the file, the entry and the field.
    """
    path = Path(path) if path is not None else SHELTERS_FILE
    region_list = list(regions) if regions is not None else load_regions()
    context = {"region_codes": frozenset(r.code for r in region_list)}
    return Directory(region_list, load_entries(path, "shelters", Shelter, "id", context))


def check_file(path: Path, regions: Sequence[Region] | None = None) -> list[str]:
    """Problems with a directory file, one human-readable line each; empty when it is fine."""
    try:
        load_directory(path, regions)
    except DirectoryError as exc:
        return exc.errors
    return []


def summarize(directory: Directory) -> str:
    """One line for the operator, e.g.
    '11 houses in 11 regions; 11 unverified: contacts will not be shown'."""
    houses = len(directory.shelters)
    regions = len({shelter.region for shelter in directory.shelters})
    unverified = len(directory.unverified())
    text = f"{_plural(houses, 'house')} in {_plural(regions, 'region')}; "
    if unverified == 0:
        return text + "all verified"
    return text + f"{unverified} unverified: contacts will not be shown"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
