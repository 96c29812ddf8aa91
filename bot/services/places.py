"""Typed place names: the gazetteer of Kazakhstan and matching what a person types against it.

A mother who does not share her location types where she is. Her text is matched against the
regions and their centres, the houses' cities, and the gazetteer (bot/data/places_kz.json: the
places of Kazakhstan with 500 or more people, from GeoNames, written by `anabot places build`).
Every spelling is folded to plain Latin first, so Kazakh, Russian and Latin spellings, case,
"ё", hyphens and words like "г." or "ауыл" meet; misspellings are caught by rapidfuzz.

One name may mean places far apart ("Абай": a town in Karaganda region, a town in Turkistan
region and the Abai region): then up to three are returned, to be asked, not guessed.

Free of Telegram types on purpose: handlers translate, this module holds the rules.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.services.data_files import DATA_DIR, LocalizedText
from bot.services.shelters import Place, Region, Shelter, haversine_km

GAZETTEER_FILE = DATA_DIR / "places_kz.json"

# Two places of one name nearer than this are one place (a town and its station, a city and
# its region's centre); farther apart, she is asked which.
SAME_PLACE_KM = 50.0
# Up to this many choices are shown.
MAX_CHOICES = 3
# The fuzzy score a name known only from the gazetteer needs (the bot's own places need 80).
GAZETTEER_SCORE = 86.0
# A fuzzy score this close to the best one is a tie, and the bigger place wins it.
TIE_POINTS = 3.0
# A place of the same name this much smaller than the biggest town of that name is not offered:
# a village of 600 called like a city of a million is not what anyone typing the city's name
# means. A region and a town of one name ("Абай") are always both offered.
MINOR_SHARE = 0.01
# A whole region, and a house's city or a town the gazetteer does not know: counted as big.
BIG = 1_000_000


@dataclass(frozen=True)
class GazetteerPlace:
    """One place of the gazetteer; the first name of each language is the one shown."""

    geonameid: int
    region: str
    lat: float
    lon: float
    population: int
    kk: tuple[str, ...]
    ru: tuple[str, ...]
    latin: tuple[str, ...]

    @property
    def name(self) -> LocalizedText:
        return LocalizedText(kk=self.kk[0], ru=self.ru[0], en=self.latin[0])

    def names(self) -> list[str]:
        return [*self.kk, *self.ru, *self.latin]


@cache
def load_gazetteer(path: Path | None = None) -> tuple[GazetteerPlace, ...]:
    """The gazetteer file (default: the shipped one), read once per path."""
    data = json.loads((path or GAZETTEER_FILE).read_text(encoding="utf-8"))
    return tuple(
        GazetteerPlace(int(gid), region, lat, lon, pop, tuple(kk), tuple(ru), tuple(latin))
        for gid, region, lat, lon, pop, kk, ru, latin in data["places"]
    )


# "Акмола" (Astana's name in 1992-1998) is left out on purpose: today it means the region.
_OLD_NAMES: Mapping[str, tuple[str, ...]] = {
    "astana": ("Нур-Султан", "Nur-Sultan", "Целиноград", "Акмолинск", "Tselinograd"),
    "almaty": ("Алма-Ата", "Alma-Ata"),
    "shymkent": ("Чимкент", "Chimkent"),
    "abai": ("Семипалатинск", "Semipalatinsk"),
    "aktobe": ("Актюбинск", "Aktyubinsk"),
    "almaty_region": ("Капчагай", "Капшагай", "Kapchagay", "Кунаев", "Kunaev"),
    "atyrau": ("Гурьев",),
    "zhambyl": ("Джамбул", "Жамбыл", "Dzhambul"),
    "zhetysu": ("Талды-Курган",),
    "east_kazakhstan": ("Устькаменогорск", "Ust-Kamenogorsk", "Öskemen"),
    "karaganda": ("Karagandy", "Qaragandy"),
    "kostanay": ("Кустанай", "Kustanai"),
    "kyzylorda": ("Кзыл-Орда",),
    "akmola": ("Кокчетав", "Kokchetav"),
    "mangystau": ("Шевченко", "Мангышлак"),
    "north_kazakhstan": ("Petropavlovsk",),
    "ulytau": ("Джезказган", "Dzhezkazgan"),
}

# Towns with many people that are not a region's centre: (kk, ru, en), region, lat, lon.
# Coordinates are approximate town centres (about 0.05 degrees), good for "which is nearest".
_TOWNS: tuple[tuple[tuple[str, str, str], str, float, float], ...] = (
    (("Теміртау", "Темиртау", "Temirtau"), "karaganda", 50.054, 72.964),
    (("Балқаш", "Балхаш", "Balkhash"), "karaganda", 46.848, 74.995),
    (("Екібастұз", "Экибастуз", "Ekibastuz"), "pavlodar", 51.723, 75.323),
    (("Ақсу", "Аксу", "Aksu"), "pavlodar", 52.041, 76.927),
    (("Степногор", "Степногорск", "Stepnogorsk"), "akmola", 52.350, 71.889),
    (("Щучинск", "Щучинск", "Shchuchinsk"), "akmola", 52.935, 70.189),
    (("Рудный", "Рудный", "Rudny"), "kostanay", 52.972, 63.117),
    (("Лисаковск", "Лисаковск", "Lisakovsk"), "kostanay", 52.537, 62.493),
    (("Арқалық", "Аркалык", "Arkalyk"), "kostanay", 50.249, 66.911),
    (("Жаңаөзен", "Жанаозен", "Zhanaozen"), "mangystau", 43.341, 52.862),
    (("Құлсары", "Кульсары", "Kulsary"), "atyrau", 46.953, 54.019),
    (("Сәтбаев", "Сатпаев", "Satpayev"), "ulytau", 47.900, 67.533),
    (("Риддер", "Риддер", "Ridder"), "east_kazakhstan", 50.344, 83.513),
    (("Кентау", "Кентау", "Kentau"), "turkistan", 43.518, 68.505),
    (("Сарыағаш", "Сарыагаш", "Saryagash"), "turkistan", 41.454, 69.169),
    (("Қаскелең", "Каскелен", "Kaskelen"), "almaty_region", 43.200, 76.620),
    (("Есік", "Есик", "Esik"), "almaty_region", 43.356, 77.452),
    (("Жаркент", "Жаркент", "Zharkent"), "zhetysu", 44.163, 80.000),
    (("Арал", "Аральск", "Aral"), "kyzylorda", 46.800, 61.667),
)

# Region abbreviations everyone writes (Russian and Kazakh); exact matches only. ЮКО, the old
# South Kazakhstan region, is today's Turkistan region.
_ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "east_kazakhstan": ("ВКО", "ШҚО", "ШКО"),
    "north_kazakhstan": ("СКО", "СҚО"),
    "west_kazakhstan": ("ЗКО", "БҚО", "БКО"),
    "turkistan": ("ЮКО", "ОҚО", "ОКО"),
}

# Folded words that are never a place but score high against one ("Казахстан" is 80 against
# "East Kazakhstan").
_NOT_PLACES = frozenset({"kazakhstan", "kazakstan", "rk", "kz", "oblast", "oblys", "region"})

_MIN_FUZZY_LEN = 4

_REGION_WORDS = re.compile(r"\b(oblast|oblasti|oblys|oblysy|obl|region)\b")


def _region_core(name: str) -> str:
    """A region's name without the word "region": "Маңғыстау облысы" -> "mangystau"."""
    return re.sub(r"\s+", " ", _REGION_WORDS.sub(" ", fold(name))).strip()


# Kazakh and Russian Cyrillic, and Kazakh Latin, folded to plain Latin so "Uralsk" meets
# "Уральск" and "Karagandy" meets "Қарағанды".
_TRANSLIT = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
        "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k",
        "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
        "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "yu", "я": "ya", "q": "k", "ğ": "g", "ş": "sh", "ç": "ch", "ñ": "n",
        "ä": "a", "ö": "o", "ü": "u", "ū": "u", "j": "zh", "ı": "i",
    }
)  # fmt: skip

# Applied after folding, so the words are in their folded Latin form ("г." -> "g", "қаласы" ->
# "kalasy", "ауылы" -> "auyly"). Leading "в"/"из" too: "в Караганде" is a place typed as a phrase.
_CITY_WORDS = re.compile(
    r"^(?:(?:v|vo|iz|in|g|gor|gorod|city|town|k|kala|kalasy|s|selo|p|pos|poselok|pgt|aul|auyl"
    r"|village|stantsiia|st)\s+)+"
    r"|\s+(?:kalasy|k|city|town|selo|selosy|aul|auyl|auyly|village)$"
)


def fold(text: str) -> str:
    """Lowercase, transliterate, and keep letters and single spaces only: the form every
    spelling of a place is compared in."""
    text = unicodedata.normalize("NFC", text.strip().casefold()).translate(_TRANSLIT)
    # Other accents ("Sarań", "Žajsan") off: the base letter is what was meant.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # Russian writes Kazakh "ж" as "дж" in old names: "Джетысай" meets "Жетысай".
    text = re.sub(r"[^a-z0-9]+", " ", text).replace("dzh", "zh").strip()
    return _CITY_WORDS.sub("", text).strip()


class PlaceIndex:
    """Every known spelling, folded, with its places; built once per directory."""

    def __init__(
        self,
        regions: Sequence[Region],
        shelters: Sequence[Shelter],
        gazetteer: Iterable[GazetteerPlace],
    ) -> None:
        codes = {region.code for region in regions}
        # A known town's own name, shown for its gazetteer entry too ("Уральск", not "Орал").
        self._display: dict[int, LocalizedText] = {}
        places = [p for p in gazetteer if p.region in codes]
        self._gazetteer = {p.geonameid: p for p in places}
        by_name: dict[str, list[GazetteerPlace]] = {}
        for gplace in places:
            for key in dict.fromkeys(fold(name) for name in gplace.names()):
                by_name.setdefault(key, []).append(gplace)
        self._by_name = by_name
        # The places the bot knew before the gazetteer come first, with their own names: a
        # house's city, the big towns, the regions and their centres.
        entries: list[tuple[str, Place]] = []
        for shelter in shelters:
            city = Place(shelter.city, shelter.region, shelter.lat, shelter.lon, 0.0)
            entries += self._named(city, shelter.city.variants())
        for (kk, ru, en), code, lat, lon in _TOWNS:
            if code in codes:
                name = LocalizedText(kk=kk, ru=ru, en=en)
                entries += self._named(Place(name, code, lat, lon, 0.0), name.variants())
        cores: list[tuple[str, Place]] = []
        for region in regions:
            centre = Place(region.centre, region.code, region.lat, region.lon, 0.0)
            whole = Place(region.name, region.code, region.lat, region.lon, 0.0, BIG, 0, True)
            old_names = _OLD_NAMES.get(region.code, ())
            entries += self._named(centre, [*region.centre.variants(), *old_names])
            entries += [(fold(v), whole) for v in region.name.variants()]
            # "Маңғыстау" alone names the region "Маңғыстау облысы".
            cores += [(_region_core(v), whole) for v in region.name.variants()]
        owner = {key: place.region for key, place in entries}
        # A core that is another place's name ("Алматы" of "Алматы облысы") is left out: the
        # city keeps its name.
        entries += [(k, p) for k, p in cores if owner.setdefault(k, p.region) == p.region]
        # Keys of the bot's own places: fuzzy matching against them is as lenient as before.
        self._own_keys = frozenset(key for key, _ in entries)
        for gplace in places:
            own = self.place(gplace.geonameid)
            assert own is not None
            entries += [(fold(name), own) for name in gplace.names()]
        self.keys: dict[str, list[Place]] = {}
        for key, place in entries:
            if key and place not in self.keys.setdefault(key, []):
                self.keys[key].append(place)
        for region in regions:
            whole = Place(region.name, region.code, region.lat, region.lon, 0.0, BIG, 0, True)
            for abbreviation in _ABBREVIATIONS.get(region.code, ()):
                self.keys.setdefault(fold(abbreviation), [whole])
        # "Устькаменогорск" is "Усть-Каменогорск" without its hyphen.
        self._joined: dict[str, str] = {}
        for key in self.keys:
            self._joined.setdefault(key.replace(" ", ""), key)
        self._fuzzy_keys = [key for key in self.keys if len(key) >= _MIN_FUZZY_LEN]
        # The biggest place of a key: bigger places win close ties.
        self._weight = {key: max(p.population for p in ps) for key, ps in self.keys.items()}

    def _named(self, place: Place, names: Iterable[str]) -> list[tuple[str, Place]]:
        """A known place under each of its names, tied to its gazetteer entry (for its button
        and its population) when one of the same name lies within SAME_PLACE_KM."""
        keys = [fold(name) for name in names]
        near = [
            g
            for key in keys
            for g in self._by_name.get(key, ())
            if haversine_km(place.lat, place.lon, g.lat, g.lon) < SAME_PLACE_KM
        ]
        if near:
            best = max(near, key=lambda g: g.population)
            place = replace(place, population=best.population, geonameid=best.geonameid)
            self._display.setdefault(best.geonameid, place.name)
        else:
            place = replace(place, population=BIG)
        return [(key, place) for key in keys]

    def place(self, geonameid: int) -> Place | None:
        """The gazetteer place with this id (from a button), or None when it is gone."""
        gplace = self._gazetteer.get(geonameid)
        if gplace is None:
            return None
        name = self._display.get(geonameid, gplace.name)
        return Place(
            name, gplace.region, gplace.lat, gplace.lon, 0.0, gplace.population, geonameid, rank=1
        )

    def find(self, text: str, min_score: float = 80.0) -> list[Place]:
        """The places a typed text may mean, best first: none, one, or up to MAX_CHOICES far
        apart from each other (to be asked)."""
        query = fold(text)
        if not query or query in _NOT_PLACES:
            return []
        key = query if query in self.keys else self._joined.get(query.replace(" ", ""))
        score = 100.0
        if key is None:
            # Two or three letters ("да", "ko") are one edit away from an abbreviation or a
            # short name: only an exact spelling counts there.
            if len(query) < _MIN_FUZZY_LEN:
                return []
            found = process.extract(
                query, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=8
            )
            if not found:
                return []
            # The gazetteer's thousands of old and foreign spellings need a closer match:
            # "Бишкек" is 83 against "Ишек", an old name of Esik.
            found = [m for m in found if m[1] >= GAZETTEER_SCORE or m[0] in self._own_keys]
            if not found:
                return []
            best = found[0][1]
            close = [match for match in found if match[1] >= best - TIE_POINTS]
            key, score, _ = max(close, key=lambda match: (self._weight[match[0]], match[1]))
        return _choices(self.keys[key], score)


def _choices(places: list[Place], score: float) -> list[Place]:
    """One place per spot: places of one name within SAME_PLACE_KM are one (the first listed
    speaks for them); the far-apart ones, biggest first, are the choices."""
    biggest = max((_size(place) for place in places if not place.is_region), default=0)
    spots: list[Place] = []
    for place in places:
        if not place.is_region and _size(place) < biggest * MINOR_SHARE:
            continue
        for i, spot in enumerate(spots):
            if haversine_km(place.lat, place.lon, spot.lat, spot.lon) < SAME_PLACE_KM:
                if not spot.geonameid and place.geonameid and not spot.is_region:
                    spots[i] = replace(spot, geonameid=place.geonameid)
                break
        else:
            spots.append(place)
    # The bot's own places first (so "Акмола" is the region, as before the gazetteer), then the
    # biggest; the sort is stable, so equals keep the order they were listed in.
    spots.sort(key=lambda place: (place.rank, -place.population))
    return [replace(place, score=float(score)) for place in spots[:MAX_CHOICES]]


def _size(place: Place) -> int:
    # GeoNames gives 0 for a few villages it has no census figure for: at least 500, as the
    # gazetteer holds no smaller place.
    return max(place.population, 500)
