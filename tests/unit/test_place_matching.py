"""Typed city and region names, as people spell them on phones, resolve to the right region."""

from __future__ import annotations

import pytest

from bot.services.directory import Directory, load_directory


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_directory()


MATCHES: list[tuple[str, str]] = [
    # Karaganda: Kazakh and Russian forms, Latin spellings, a dropped letter.
    ("караганды", "karaganda"),
    ("Караганда", "karaganda"),
    ("Qaraghandy", "karaganda"),
    ("Karagandy", "karaganda"),
    ("Karaganda", "karaganda"),
    ("карагнда", "karaganda"),
    ("Қарағанды", "karaganda"),
    ("КАРАГАНДА", "karaganda"),
    ("в Караганде", "karaganda"),
    # Astana and its former names.
    ("Астана", "astana"),
    ("astana", "astana"),
    ("Нур-Султан", "astana"),
    ("Nur-Sultan", "astana"),
    ("нурсултан", "astana"),
    ("Целиноград", "astana"),
    ("Акмолинск", "astana"),
    # "Акмола" was Astana's name in 1992-1998, but today everyone means the region.
    ("Акмола", "akmola"),
    ("Akmola", "akmola"),
    ("Акмолинская область", "akmola"),
    # Almaty city (the region around it is a different code).
    ("Алматы", "almaty"),
    ("Almaty", "almaty"),
    ("Алма-Ата", "almaty"),
    ("алмата", "almaty"),
    ("г. Алматы", "almaty"),
    ("Алматинская область", "almaty_region"),
    ("Шымкент", "shymkent"),
    ("Shymkent", "shymkent"),
    ("Чимкент", "shymkent"),
    ("Семей", "abai"),
    ("Семипалатинск", "abai"),
    ("Semey", "abai"),
    ("Semei", "abai"),
    ("Усть-Каменогорск", "east_kazakhstan"),
    ("Усть Каменогорск", "east_kazakhstan"),
    ("Өскемен", "east_kazakhstan"),
    ("Оскемен", "east_kazakhstan"),
    ("Oskemen", "east_kazakhstan"),
    ("Ust-Kamenogorsk", "east_kazakhstan"),
    ("Уральск", "west_kazakhstan"),
    ("Орал", "west_kazakhstan"),
    ("Oral", "west_kazakhstan"),
    ("Uralsk", "west_kazakhstan"),
    ("Актобе", "aktobe"),
    ("Ақтөбе", "aktobe"),
    ("Aqtobe", "aktobe"),
    ("Aktobe", "aktobe"),
    ("Актюбинск", "aktobe"),
    ("Петропавловск", "north_kazakhstan"),
    ("Петропавл", "north_kazakhstan"),
    ("Petropavl", "north_kazakhstan"),
    ("Petropavlovsk", "north_kazakhstan"),
    ("Костанай", "kostanay"),
    ("Кустанай", "kostanay"),
    ("Qostanay", "kostanay"),
    ("Kostanai", "kostanay"),
    ("Кызылорда", "kyzylorda"),
    ("Qyzylorda", "kyzylorda"),
    ("Кзыл-Орда", "kyzylorda"),
    ("Актау", "mangystau"),
    ("Aktau", "mangystau"),
    ("Ақтау", "mangystau"),
    ("Атырау", "atyrau"),
    ("Atyrau", "atyrau"),
    ("Гурьев", "atyrau"),
    ("Тараз", "zhambyl"),
    ("Taraz", "zhambyl"),
    ("Джамбул", "zhambyl"),
    ("Жамбыл", "zhambyl"),
    ("Талдыкорган", "zhetysu"),
    ("Taldykorgan", "zhetysu"),
    ("Талдықорған", "zhetysu"),
    ("Туркестан", "turkistan"),
    ("Түркістан", "turkistan"),
    ("Turkestan", "turkistan"),
    ("Жезказган", "ulytau"),
    ("Жезқазған", "ulytau"),
    ("Zhezkazgan", "ulytau"),
    ("Джезказган", "ulytau"),
    ("Конаев", "almaty_region"),
    ("Қонаев", "almaty_region"),
    ("Qonaev", "almaty_region"),
    ("Kunaev", "almaty_region"),
    ("Капчагай", "almaty_region"),
    ("Капшагай", "almaty_region"),
    ("Павлодар", "pavlodar"),
    ("Pavlodar", "pavlodar"),
    ("Кокшетау", "akmola"),
    ("Көкшетау", "akmola"),
    ("Kokshetau", "akmola"),
    ("Кокчетав", "akmola"),
    # Region names in each language.
    ("Карагандинская область", "karaganda"),
    ("Карагандинская обл.", "karaganda"),
    ("Қарағанды облысы", "karaganda"),
    ("Karaganda region", "karaganda"),
    ("Мангистауская область", "mangystau"),
    ("Маңғыстау", "mangystau"),
    ("Мангышлак", "mangystau"),
    ("Абай облысы", "abai"),
    ("Ұлытау", "ulytau"),
    ("Улытауская область", "ulytau"),
    ("Жетісу облысы", "zhetysu"),
    ("Жетысу", "zhetysu"),
    ("Туркестанская область", "turkistan"),
    # Abbreviations everyone uses; exact matches only (three letters are too short to fuzz).
    ("ВКО", "east_kazakhstan"),
    ("вко", "east_kazakhstan"),
    ("VKO", "east_kazakhstan"),
    ("СКО", "north_kazakhstan"),
    ("ЗКО", "west_kazakhstan"),
    ("ШҚО", "east_kazakhstan"),
    ("СҚО", "north_kazakhstan"),
    ("БҚО", "west_kazakhstan"),
    ("Восточно-Казахстанская область", "east_kazakhstan"),
    ("Северо-Казахстанская область", "north_kazakhstan"),
    ("Западно-Казахстанская область", "west_kazakhstan"),
    ("East Kazakhstan", "east_kazakhstan"),
    ("Солтүстік Қазақстан облысы", "north_kazakhstan"),
    ("Алматы облысы", "almaty_region"),
    ("Almaty region", "almaty_region"),
    # Phrases and case endings.
    ("в Астане", "astana"),
    ("из Шымкента", "shymkent"),
    ("Алматыда", "almaty"),
    ("Қарағандыда", "karaganda"),
    ("в г. Алматы", "almaty"),
    # Big towns that are not a centre: their own region, not a look-alike far away.
    ("Степногорск", "akmola"),
    ("Экибастуз", "pavlodar"),
    ("Темиртау", "karaganda"),
    ("Балхаш", "karaganda"),
    ("Рудный", "kostanay"),
    ("Жанаозен", "mangystau"),
    ("Сатпаев", "ulytau"),
    ("Аральск", "kyzylorda"),
]


@pytest.mark.parametrize(("typed", "region"), MATCHES)
def test_typed_name_resolves_to_region(directory: Directory, typed: str, region: str) -> None:
    place = directory.find_place(typed)
    assert place is not None, typed
    assert place.region == region, (typed, place)
    assert 80.0 <= place.score <= 100.0


NO_MATCH: list[str] = [
    "привет",
    "да",
    "нет",
    "ok",
    "помогите",
    "12345",
    "",
    "   ",
    "🙂",
    "Москва",
    "Ташкент",
    "Бишкек",
    "Новосибирск",
    "ребенок",
    "спасибо",
    "рахмет",
    "сәлем",
    "hello",
    "?",
    "ко",
    "КО",  # not an abbreviation of any region
    "обл",
    "область",
    "облысы",
    "region",
    "город",
    "Казахстан",
]


@pytest.mark.parametrize("typed", NO_MATCH)
def test_not_a_place(directory: Directory, typed: str) -> None:
    assert directory.find_place(typed) is None, (typed, directory.find_place(typed))


def test_house_city_and_region_centre_agree(directory: Directory) -> None:
    # A city with a house resolves to the house's city; coordinates come along for `nearest`.
    place = directory.find_place("Уральск")
    assert place is not None
    assert place.name.ru == "Уральск"
    assert directory.nearest(place.lat, place.lon, limit=1)[0][0].id == "oral-1"


def test_town_has_its_own_coordinates(directory: Directory) -> None:
    # Stepnogorsk is nearer Astana than its region's centre Kokshetau.
    place = directory.find_place("Степногорск")
    assert place is not None and place.name.ru == "Степногорск"
    assert directory.nearest(place.lat, place.lon, limit=1)[0][0].id == "astana-1"


def test_exact_name_scores_100(directory: Directory) -> None:
    place = directory.find_place("Павлодар")
    assert place is not None and place.score == 100.0


def test_alias_points_at_region_centre(directory: Directory) -> None:
    # "ВКО" is a region, so the place is the region with its centre's coordinates.
    place = directory.find_place("ВКО")
    assert place is not None
    region = directory.region("east_kazakhstan")
    assert (place.lat, place.lon) == (region.lat, region.lon)


def test_index_is_built_once(directory: Directory) -> None:
    directory.find_place("Караганда")
    index = directory._place_index()
    directory.find_place("Астана")
    assert directory._place_index() is index


def test_huge_and_odd_input_is_safe(directory: Directory) -> None:
    assert directory.find_place("а" * 4096) is None
    assert directory.find_place("<b>🙂</b>") is None
    assert directory.find_place("Астана!!! 🙏") is not None
    assert directory.find_place("\u200bАстана\u200b") is not None
    assert directory.find_place("\x00\ufeff") is None
