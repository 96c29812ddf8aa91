"""Directory of houses and help lines: shipped data, nearest house, and file validation."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.services.directory import (
    REGIONS_FILE,
    SHELTERS_FILE,
    Directory,
    DirectoryError,
    Shelter,
    check_file,
    haversine_km,
    load_directory,
    load_regions,
    summarize,
)
from bot.services.hotlines import (
    HOTLINES_FILE,
    Hotline,
    emergency_lines,
    load_hotlines,
    tel_link,
)
from bot.services.phones import normalize_phone
from tests.support.constants import DATA

# A valid entry that each bad-file test breaks in one way.
GOOD_ENTRY: dict[str, Any] = {
    "id": "karaganda-1",
    "name": {"kk": "Ана үйі (Қарағанды)", "ru": "Ана үйі (Караганда)"},
    "region": "karaganda",
    "city": {"kk": "Қарағанды", "ru": "Караганда", "en": "Karaganda"},
    "lat": 49.80,
    "lon": 73.09,
    "verified": False,
    "accepts": ["pregnant", "newborn", "child"],
}
OTHER_ENTRY: dict[str, Any] = {
    **GOOD_ENTRY,
    "id": "astana-1",
    "region": "astana",
    "city": {"kk": "Астана", "ru": "Астана"},
    "lat": 51.17,
    "lon": 71.45,
}


def write_shelters(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    path = tmp_path / "shelters.yaml"
    path.write_text(yaml.safe_dump({"shelters": entries}, allow_unicode=True), encoding="utf-8")
    return path


def broken(**changes: Any) -> list[dict[str, Any]]:
    """[good entry, good entry with `changes`]: the bad one is entry 2, id "karaganda-1"."""
    entry = copy.deepcopy(GOOD_ENTRY)
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return [copy.deepcopy(OTHER_ENTRY), entry]


def errors_of(path: Path) -> list[str]:
    with pytest.raises(DirectoryError) as info:
        load_directory(path)
    assert info.value.errors == check_file(path)
    return info.value.errors


# --- shipped data ------------------------------------------------------------------------------


def test_shipped_files_load() -> None:
    regions = load_regions()
    assert len(regions) == 20  # 17 regions + 3 cities of republican significance
    directory = load_directory()
    assert len(directory.shelters) == 11
    assert len(load_hotlines()) == 5
    for path in (REGIONS_FILE, SHELTERS_FILE, HOTLINES_FILE):
        assert path.is_file()
    assert check_file(SHELTERS_FILE) == []


def test_shipped_data_does_not_depend_on_shared_dir() -> None:
    for path in (REGIONS_FILE, SHELTERS_FILE, HOTLINES_FILE):
        assert "shared" not in path.resolve().parts


def test_shipped_shelters_never_invent_contacts() -> None:
    directory = load_directory()
    assert directory.all_unverified
    assert directory.unverified() == directory.shelters
    for shelter in directory.shelters:
        assert shelter.verified is False
        assert shelter.phones == []
        assert shelter.address is None
        assert shelter.address_public is False
        assert shelter.staff_chat_id is None
        assert shelter.source, shelter.id
        assert not shelter.show_contacts
        assert not shelter.show_address


def test_shipped_shelters_match_known_houses() -> None:
    directory = load_directory()
    expected = {
        "astana-1": "astana",
        "almaty-1": "almaty",
        "semey-1": "abai",
        "oral-1": "west_kazakhstan",
        "aktobe-1": "aktobe",
        "oskemen-1": "east_kazakhstan",
        "pavlodar-1": "pavlodar",
        "petropavl-1": "north_kazakhstan",
        "kostanay-1": "kostanay",
        "taldykorgan-1": "zhetysu",
        "kokshetau-1": "akmola",
    }
    assert {s.id: s.region for s in directory.shelters} == expected
    for shelter in directory.shelters:
        # Each known house is in its region's centre, so it sits at the centre's coordinates.
        region = directory.region(shelter.region)
        assert (shelter.lat, shelter.lon) == (region.lat, region.lon)
        assert shelter.city.kk == region.centre.kk
        assert shelter.city.ru == region.centre.ru


def test_every_referenced_region_exists() -> None:
    directory = load_directory()
    codes = {region.code for region in directory.regions}
    for shelter in directory.shelters:
        assert shelter.region in codes
        assert shelter in directory.by_region(shelter.region)
    assert directory.by_region("karaganda") == []
    with pytest.raises(KeyError):
        directory.by_region("atlantis")
    with pytest.raises(KeyError):
        directory.region("atlantis")


def test_lookups() -> None:
    directory = load_directory()
    assert directory.shelter("oral-1") is not None
    assert directory.shelter("no-such-house") is None
    assert directory.region("abai").centre.ru == "Семей"
    assert directory.cities("kk")[:3] == ["Астана", "Алматы", "Семей"]
    assert "Усть-Каменогорск" in directory.cities("ru")
    assert "Oskemen" in directory.cities("en")
    assert len(directory.cities("ru")) == 11
    assert summarize(directory) == (
        "11 houses in 11 regions; 11 unverified: contacts will not be shown"
    )


def test_localized_text_fallback() -> None:
    shelter = load_directory(DATA / "shelters_verified.yaml").shelters[0]
    assert shelter.name.get("en") == "Тестовый дом"  # no English: Russian
    assert shelter.name.get("kk") == "Сынақ үйі"
    assert shelter.city.get("en") == "Karaganda"
    assert shelter.city.get("de") == "Караганда"


# --- distances ----------------------------------------------------------------------------------


def test_haversine_astana_almaty() -> None:
    assert haversine_km(51.169, 71.449, 43.239, 76.946) == pytest.approx(970, abs=20)
    assert haversine_km(49.8, 73.09, 49.8, 73.09) == 0
    # Symmetric.
    assert haversine_km(43.6, 51.2, 54.9, 69.2) == pytest.approx(
        haversine_km(54.9, 69.2, 43.6, 51.2)
    )


def test_nearest_from_karaganda_is_astana() -> None:
    directory = load_directory()
    result = directory.nearest(49.80, 73.09)
    assert [s.id for s, _ in result] == ["astana-1", "pavlodar-1", "kokshetau-1"]
    # By hand: Karaganda-Astana about 190 km, Karaganda-Pavlodar about 390 km.
    assert result[0][1] == pytest.approx(190, abs=15)
    assert result[1][1] == pytest.approx(387, abs=15)
    distances = [km for _, km in result]
    assert distances == sorted(distances)


@pytest.mark.parametrize(
    ("place", "lat", "lon", "expected"),
    [
        # Aktau: Oral ~845 km beats Aktobe ~865 km.
        ("Aktau", 43.648, 51.172, ["oral-1", "aktobe-1"]),
        # Shymkent: Almaty ~610 km; no house nearer in the south.
        ("Shymkent", 42.342, 69.590, ["almaty-1", "taldykorgan-1"]),
        # Oskemen has its own house; Semey ~175 km next.
        ("Oskemen", 49.972, 82.606, ["oskemen-1", "semey-1"]),
        # Kyzylorda, a close call worked by hand on a flat projection: Astana ~830 km
        # (703 km north, 444 km east) beats Aktobe ~870 km and Almaty ~930 km.
        ("Kyzylorda", 44.849, 65.482, ["astana-1", "aktobe-1", "almaty-1"]),
    ],
)
def test_nearest_across_the_country(
    place: str, lat: float, lon: float, expected: list[str]
) -> None:
    directory = load_directory()
    result = directory.nearest(lat, lon, limit=len(expected))
    assert [s.id for s, _ in result] == expected, place


def test_nearest_limit() -> None:
    directory = load_directory()
    assert len(directory.nearest(49.8, 73.09, limit=1)) == 1
    assert len(directory.nearest(49.8, 73.09, limit=50)) == 11
    assert directory.nearest(49.8, 73.09, limit=0) == []


def test_nearest_to_region_puts_own_houses_first() -> None:
    directory = load_directory()
    assert directory.nearest_to_region("abai")[0][0].id == "semey-1"
    # A region with no house still gets the nearest ones, from its centre.
    assert directory.nearest_to_region("karaganda")[0][0].id == "astana-1"


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("Караганда", "karaganda"),
        ("караганды", "karaganda"),
        ("Uralsk", "west_kazakhstan"),
        ("Орал", "west_kazakhstan"),
        ("усть каменогорск", "east_kazakhstan"),
        ("Алма-Ата", "almaty"),
        ("Алматы", "almaty"),
        ("Алматинская область", "almaty_region"),
        ("Семипалатинск", "abai"),
        ("г. Шымкент", "shymkent"),
        ("Петропавловскк", "north_kazakhstan"),
        ("Нур-Султан", "astana"),
    ],
)
def test_find_place_by_typed_name(typed: str, region: str) -> None:
    place = load_directory().find_place(typed)
    assert place is not None, typed
    assert place.region == region


def test_find_place_no_match() -> None:
    directory = load_directory()
    assert directory.find_place("qwerty zxc") is None
    assert directory.find_place("   ") is None


# --- bad files: each names the file, the entry and the field ------------------------------------


ENTRY_2 = 'shelters.yaml: entry 2 (id "karaganda-1"): '


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"lat": 60.1}, ENTRY_2 + "lat: must be between 40 and 56 (Kazakhstan)", id="bad_lat"
        ),
        pytest.param(
            {"lon": 30.0}, ENTRY_2 + "lon: must be between 46 and 88 (Kazakhstan)", id="bad_lon"
        ),
        pytest.param(
            {"region": "qaraganda"},
            ENTRY_2 + 'region: unknown region code "qaraganda" (see regions.yaml)',
            id="unknown_region",
        ),
        pytest.param(
            {"name": None}, ENTRY_2 + "name: required field is missing", id="missing_name"
        ),
        pytest.param(
            {"name": {"ru": "Дом", "en": "House"}},
            ENTRY_2 + "name.kk: required field is missing",
            id="name_missing_kazakh",
        ),
        pytest.param(
            {"accepts": ["pregnant", "elderly"]},
            ENTRY_2 + "accepts[1]: must be one of 'pregnant', 'newborn' or 'child', not 'elderly'",
            id="bad_accepts",
        ),
        pytest.param(
            {"city": "Караганда"},
            ENTRY_2 + "city: must be a mapping with kk, ru and (optionally) en",
            id="plain_string_where_languages_are_expected",
        ),
        pytest.param(
            {"address_public": True},
            ENTRY_2 + "address_public: is true but no address is given",
            id="public_address_needs_address",
        ),
        pytest.param(
            {"id": None},
            "shelters.yaml: entry 2: id: required field is missing",
            id="entry_without_id_is_named_by_index",
        ),
    ],
)
def test_a_bad_field_is_the_one_error(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    assert errors_of(write_shelters(tmp_path, broken(**changes))) == [message]


@pytest.mark.parametrize(
    ("changes", "start", "saying"),
    [
        pytest.param(
            {"lat": 73.09, "lon": 49.80}, ENTRY_2 + "lat: ", "swapped", id="swapped_lat_lon"
        ),
        pytest.param(
            {"id": "astana-1"},
            'shelters.yaml: entry 2 (id "astana-1"): id: duplicate of entry 1',
            "",
            id="duplicate_id",
        ),
        pytest.param(
            {"id": "Karaganda 1"},
            'shelters.yaml: entry 2 (id "Karaganda 1"): id: must be lowercase',
            "",
            id="bad_id_format",
        ),
        pytest.param(
            {"staff_chat_id": 12345},
            "shelters.yaml: ",
            'entry 2 (id "karaganda-1"): staff_chat_id: must be a group chat id',
            id="staff_chat_must_be_a_group",
        ),
    ],
)
def test_a_bad_field_is_named_in_the_one_error(
    tmp_path: Path, changes: dict[str, Any], start: str, saying: str
) -> None:
    errors = errors_of(write_shelters(tmp_path, broken(**changes)))
    assert len(errors) == 1
    assert errors[0].startswith(start)
    assert saying in errors[0]


@pytest.mark.parametrize("phone", ["+7 495 123 45 67", "123", "call us"])
def test_bad_phone(tmp_path: Path, phone: str) -> None:
    errors = errors_of(write_shelters(tmp_path, broken(phones=["+7 7212 41 23 45", phone])))
    assert len(errors) == 1
    assert errors[0].startswith('shelters.yaml: entry 2 (id "karaganda-1"): phones[1]: ')
    assert phone in errors[0]


def test_unknown_field(tmp_path: Path) -> None:
    entries = broken()
    entries[1]["phone"] = "+7 7212 412345"  # a typo for `phones`
    errors = errors_of(write_shelters(tmp_path, entries))
    assert errors == ['shelters.yaml: entry 2 (id "karaganda-1"): phone: unknown field']


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "shelters.yaml"
    path.write_text(
        'shelters:\n  - id: karaganda-1\n    name: {kk: "x", ru: "y"\n    region: karaganda\n',
        encoding="utf-8",
    )
    errors = errors_of(path)
    assert len(errors) == 1
    assert errors[0].startswith("shelters.yaml: line ")
    assert "invalid YAML" in errors[0]


def test_duplicate_key_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "shelters.yaml"
    path.write_text(
        "shelters:\n  - id: karaganda-1\n    lat: 49.8\n    lat: 50.1\n", encoding="utf-8"
    )
    errors = errors_of(path)
    assert errors == ['shelters.yaml: line 4, column 5: invalid YAML: key "lat" appears twice']


def test_empty_list(tmp_path: Path) -> None:
    errors = errors_of(write_shelters(tmp_path, []))
    assert len(errors) == 1
    assert errors[0].startswith("shelters.yaml: `shelters:` is an empty list")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("", "shelters.yaml: the file is empty"),
        ("- id: a\n", "shelters.yaml: expected a mapping"),
        ("houses: []\n", "shelters.yaml: unknown top-level key 'houses'"),
        ("shelters: {id: a}\n", "shelters.yaml: `shelters:` must be a list"),
        ("shelters:\n  - just a string\n", "shelters.yaml: entry 1: must be a mapping"),
    ],
)
def test_bad_file_shape(tmp_path: Path, text: str, start: str) -> None:
    path = tmp_path / "shelters.yaml"
    path.write_text(text, encoding="utf-8")
    errors = errors_of(path)
    assert errors[0].startswith(start)


def test_missing_file(tmp_path: Path) -> None:
    errors = errors_of(tmp_path / "shelters.yaml")
    assert errors[0].startswith("shelters.yaml: cannot read the file")


def test_all_errors_reported_together() -> None:
    path = DATA / "shelters_many_errors.yaml"
    errors = errors_of(path)
    assert len(errors) == 5
    assert errors[0].startswith('shelters_many_errors.yaml: entry 2 (id "karaganda-1"): lat: ')
    third = [e for e in errors if e.startswith('shelters_many_errors.yaml: entry 3 (id "good-1")')]
    fields = [e.split(": ")[2] for e in third]
    assert fields == ["id", "region", "phones[0]", "accepts[1]"]
    assert "duplicate of entry 1" in third[0]
    # The exception's text is every error, one a line, for a log or a terminal.
    assert str(DirectoryError(errors)) == "\n".join(errors)


def test_unknown_region_against_custom_regions(tmp_path: Path) -> None:
    # Regions passed in replace the shipped list: astana is then unknown.
    regions = [r for r in load_regions() if r.code == "karaganda"]
    path = write_shelters(tmp_path, broken())
    with pytest.raises(DirectoryError) as info:
        load_directory(path, regions=regions)
    assert info.value.errors == [
        'shelters.yaml: entry 1 (id "astana-1"): region: unknown region code "astana"'
        " (see regions.yaml)"
    ]


# --- a verified house ---------------------------------------------------------------------------


def test_verified_shelter_phone_normalised_to_e164() -> None:
    directory = load_directory(DATA / "shelters_verified.yaml")
    shelter = directory.shelters[0]
    assert shelter.phones == ["+77212412345", "+77015551234"]
    assert shelter.verified and shelter.show_contacts and shelter.show_address
    assert shelter.staff_chat_id == -1001234567890
    assert not directory.all_unverified
    assert directory.unverified() == []
    assert summarize(directory) == "1 house in 1 region; all verified"


def test_normalize_phone() -> None:
    assert normalize_phone("8 701 555 12 34") == "+77015551234"
    assert normalize_phone("+7 (7172) 55-66-77") == "+77172556677"
    with pytest.raises(ValueError, match="Kazakhstan"):
        normalize_phone("+7 495 123 45 67")  # Moscow: +7 but not Kazakhstan


def test_shelter_model_without_context_uses_shipped_regions() -> None:
    entry = copy.deepcopy(GOOD_ENTRY)
    assert Shelter.model_validate(entry).region == "karaganda"
    entry["region"] = "atlantis"
    with pytest.raises(ValidationError):
        Shelter.model_validate(entry)


# --- help lines ---------------------------------------------------------------------------------


def test_hotlines_all_have_sources() -> None:
    hotlines = load_hotlines()
    assert {h.number for h in hotlines} == {"112", "102", "103", "111", "150"}
    for line in hotlines:
        assert line.source.strip()
        assert line.what.kk and line.what.ru and line.what.en
        assert line.number.isdigit()


def test_emergency_order() -> None:
    hotlines = load_hotlines()
    assert [h.number for h in emergency_lines(hotlines)] == ["112", "102", "103", "111", "150"]
    # The order does not depend on the file's order, and missing lines are not invented.
    shuffled = [h for h in reversed(hotlines) if h.number != "102"]
    assert [h.number for h in emergency_lines(shuffled)] == ["112", "103", "111", "150"]


def test_tel_link() -> None:
    assert tel_link("112") == "tel:112"
    assert tel_link("+77212412345") == "tel:+77212412345"
    assert load_hotlines()[0].tel == "tel:112"
    with pytest.raises(ValueError):
        tel_link("call 112")


HOTLINE = {"number": "112", "kind": "emergency", "what": {"kk": "a", "ru": "b", "en": "c"}}


@pytest.mark.parametrize("source", [None, "", "   "])
def test_hotline_without_source_is_rejected(tmp_path: Path, source: str | None) -> None:
    entry = dict(HOTLINE)
    if source is not None:
        entry["source"] = source
    with pytest.raises(ValidationError):
        Hotline.model_validate(entry)
    path = tmp_path / "hotlines.yaml"
    path.write_text(yaml.safe_dump({"hotlines": [entry]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError) as info:
        load_hotlines(path)
    assert len(info.value.errors) == 1
    assert info.value.errors[0].startswith('hotlines.yaml: entry 1 (number "112"): source: ')


@pytest.mark.parametrize("number", ["1", "11a", "+7112", "1234567890123"])
def test_hotline_number_digits_only(number: str) -> None:
    with pytest.raises(ValidationError):
        Hotline.model_validate({**HOTLINE, "number": number, "source": "egov.kz"})


def test_hotline_unquoted_number_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "hotlines.yaml"
    line = {**HOTLINE, "source": "egov.kz"}
    path.write_text(yaml.safe_dump({"hotlines": [{**line, "number": 112}, line]}), encoding="utf-8")
    with pytest.raises(DirectoryError) as info:
        load_hotlines(path)
    assert info.value.errors == [
        'hotlines.yaml: entry 2 (number "112"): number: duplicate of entry 1; '
        "each number must be unique"
    ]


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(min_value=40.0, max_value=56.0),
    lon=st.floats(min_value=46.0, max_value=88.0),
    limit=st.integers(min_value=1, max_value=5),
)
def test_nearest_matches_a_plain_sort_of_every_house(lat: float, lon: float, limit: int) -> None:
    # The vectorised lookup must give exactly what sorting every house by distance gives.
    directory = _country_wide()
    expected = sorted(
        ((s, haversine_km(lat, lon, s.lat, s.lon)) for s in directory.shelters),
        key=lambda pair: (pair[1], pair[0].id),
    )[:limit]
    got = directory.nearest(lat, lon, limit)
    assert [s.id for s, _ in got] == [s.id for s, _ in expected]
    assert all(abs(a - b) < 1e-6 for (_, a), (_, b) in zip(got, expected, strict=True))


@functools.cache
def _country_wide() -> Directory:
    from bench.nearest import generate

    return generate(2000)
