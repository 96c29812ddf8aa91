"""Reports: statistics figures, the summary text, the chart, CSV/XLSX exports, periods."""

from __future__ import annotations

import csv
import io
import warnings
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.app import Resources
from bot.services.reports import (
    Stats,
    compute_stats,
    export_application_rows,
    export_rows,
    parse_period,
    period_bounds,
    stats_chart,
    stats_text,
    to_csv,
    to_xlsx,
)
from storage.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseKind,
    CaseStatus,
    Urgency,
    User,
)

ALMATY = ZoneInfo("Asia/Almaty")
SINCE = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday
UNTIL = datetime(2026, 11, 23, tzinfo=UTC)  # three full ISO weeks
PHONE = "+77011234567"
NOTE = '=HYPERLINK("http://evil.example","click")'
SECRET_NAME = "Айгерім Сәрсенова"


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def case(created: datetime, **fields: object) -> Case:
    defaults: dict[str, object] = {
        "kind": CaseKind.PREGNANT,
        "urgency": Urgency.NORMAL,
        "status": CaseStatus.NEW,
        "region": "almaty",
        "referral_source": None,
        "phone": PHONE,
        "note": "обычная заметка",
        "contact_way": "call",
        "contact_time": "any",
        "language": "ru",
    }
    return Case(created_at=created, **{**defaults, **fields})


@pytest.fixture
async def filled(resources: Resources) -> Resources:
    async with resources.sessionmaker() as session, session.begin():
        session.add_all([User(id=7001), User(id=7002), User(id=7003)])
        await session.flush()
        session.add_all(
            [
                # Week of 2 Nov: three cases.
                case(
                    at(2, 9),
                    taken_at=at(2, 9, 10),
                    status=CaseStatus.CLOSED,
                    closed_at=at(3),
                    note=NOTE,
                    referral_source="instagram",
                ),
                case(at(4), kind=CaseKind.BABY, taken_at=at(4, 10, 30), urgency=Urgency.URGENT),
                case(at(8, 23), kind=CaseKind.BABY, region=None, status=CaseStatus.TAKEN),
                # Week of 9 Nov: none. Week of 16 Nov: two.
                case(
                    at(16),
                    kind=CaseKind.OTHER,
                    taken_at=at(16, 11),
                    status=CaseStatus.IN_PROGRESS,
                    referral_source="instagram",
                    region="astana",
                ),
                case(at(22, 23, 59), referral_source="clinic", urgency=Urgency.URGENT),
                # Outside the period on both sides.
                case(at(1, 23, 59), taken_at=at(2, 5)),
                case(at(23), taken_at=at(23, 1)),
            ]
        )
        session.add_all(
            [
                Application(
                    user_id=7001,
                    status=ApplicationStatus.SUBMITTED,
                    care_form="guardianship",
                    answers={"region": "almaty", "full_name": SECRET_NAME, "phone": PHONE},
                    created_at=at(3),
                    submitted_at=at(3, 12),
                ),
                Application(
                    user_id=7002,
                    status=ApplicationStatus.DRAFT,
                    answers={"note": NOTE},
                    created_at=at(10),
                ),
                Application(
                    user_id=7003,
                    status=ApplicationStatus.SUBMITTED,
                    answers={},
                    created_at=at(20),
                    submitted_at=at(21),
                ),
                Application(user_id=7003, status=ApplicationStatus.APPROVED, created_at=at(25)),
            ]
        )
    return resources


async def stats_of(resources: Resources) -> Stats:
    async with resources.sessionmaker() as session:
        return await compute_stats(session, since=SINCE, until=UNTIL)


def _weekly(monday: date, *counts: int) -> list[tuple[date, int]]:
    """Cases by week: each count with its week's Monday, from `monday` on."""
    return [(monday + timedelta(weeks=week), count) for week, count in enumerate(counts)]


async def test_stats_figures(filled: Resources) -> None:
    stats = await stats_of(filled)
    assert (stats.start, stats.end) == (date(2026, 11, 2), date(2026, 11, 22))
    assert stats.total_cases == 5
    assert stats.by_week == _weekly(date(2026, 11, 2), 3, 0, 2)
    assert stats.by_kind == {"baby": 2, "pregnant": 2, "other": 1}
    assert stats.by_region == {"almaty": 3, "astana": 1, "unknown": 1}
    assert stats.by_source == {"direct": 2, "instagram": 2, "clinic": 1}
    assert stats.by_urgency == {"normal": 3, "urgent": 2}
    assert (stats.open_cases, stats.closed_cases) == (4, 1)
    # Responses of 10, 30 and 60 minutes.
    assert stats.taken_cases == 3
    assert stats.median_response_minutes == 30
    assert stats.applications_by_status == {"submitted": 2, "draft": 1}
    assert stats.total_applications == 3


async def test_weeks_follow_the_local_zone(filled: Resources) -> None:
    # Almaty is UTC+5: 1 Nov 23:59 UTC falls on 2 Nov, 8 Nov 23:00 on 9 Nov, 22 Nov 23:59 on
    # 23 Nov, so cases move between weeks and the period's edges.
    async with filled.sessionmaker() as session:
        since, until = period_bounds(date(2026, 11, 2), date(2026, 11, 29), ALMATY)
        stats = await compute_stats(session, since=since, until=until, zone=ALMATY)
    assert (stats.start, stats.end) == (date(2026, 11, 2), date(2026, 11, 29))
    assert stats.total_cases == 7
    assert stats.by_week == _weekly(date(2026, 11, 2), 3, 1, 1, 2)


async def test_median_is_none_without_taken_cases(resources: Resources) -> None:
    async with resources.sessionmaker() as session, session.begin():
        session.add(case(at(5)))
    stats = await stats_of(resources)
    assert stats.total_cases == 1
    assert stats.median_response_minutes is None
    assert stats.applications_by_status == {}


async def test_median_of_an_even_count_is_the_mean_of_the_middle_two(
    resources: Resources,
) -> None:
    async with resources.sessionmaker() as session, session.begin():
        session.add_all([case(at(5), taken_at=at(5) + timedelta(minutes=m)) for m in (5, 15)])
    assert (await stats_of(resources)).median_response_minutes == 10


def translator(key: str, kwargs: dict[str, object]) -> str:
    return f"<{key}{''.join(f' {name}={value}' for name, value in sorted(kwargs.items()))}>"


async def test_stats_text(filled: Resources) -> None:
    text = stats_text(await stats_of(filled), translator)
    lines = text.splitlines()
    assert lines[0] == "<stats-title since=02.11.2026 until=22.11.2026>"
    assert lines[1] == "<stats-total count=5>"
    assert "<stats-open-closed closed=1 open=4>" in lines
    assert "<stats-median-response count=3 minutes=30>" in lines
    assert "• 09.11.2026 — 0" in lines
    assert "• <stats-kind-name kind=baby> — 2" in lines
    assert "• <stats-urgency-name urgency=urgent> — 2" in lines
    assert "• <stats-region-unknown> — 1" in lines
    assert "• <stats-source-direct> — 2" in lines
    assert "• instagram — 2" in lines
    assert "<stats-applications count=3>" in lines
    assert "• <stats-application-status-name status=submitted> — 2" in lines
    assert PHONE not in text


def test_stats_text_of_an_empty_period() -> None:
    text = stats_text(Stats(start=date(2026, 11, 1), end=date(2026, 11, 30)), translator)
    assert "<stats-total count=0>" in text
    assert "stats-median" not in text
    assert "<stats-applications count=0>" in text


def test_stats_text_minutes_are_plain() -> None:
    stats = Stats(start=date(2026, 11, 1), end=date(2026, 11, 1), total_cases=2)
    stats.median_response_minutes = 42.5
    assert "minutes=42.5>" in stats_text(stats, translator)
    stats.median_response_minutes = 7.0 / 3
    assert "minutes=2.3>" in stats_text(stats, translator)
    stats.median_response_minutes = 1234.0
    assert "minutes=1234>" in stats_text(stats, translator)


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


async def test_chart_is_a_phone_sized_png_with_kazakh_text(filled: Resources) -> None:
    stats = await stats_of(filled)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = stats_chart(
            stats,
            title="Өтініштер саны — Қараша 2026 (ғ, ң, ө, ұ, ү, һ, і, ә)",
            week_label="Апта / Неделя",
            kind_labels={"pregnant": "Жүкті", "baby": "Нәрестемен", "other": "Басқа"},
        )
    assert not [w for w in caught if "Glyph" in str(w.message)]
    width, height = png_size(data)
    assert 900 <= width <= 1100
    assert 600 <= height <= 800
    assert 10_000 < len(data) < 1_000_000


def test_chart_of_an_empty_period_and_a_long_one() -> None:
    empty = Stats(start=date(2026, 11, 1), end=date(2026, 11, 1))
    assert png_size(stats_chart(empty, title="Пусто", week_label="Неделя"))[0] > 0
    start = date(2025, 12, 29)
    year = Stats(
        start=start,
        end=date(2026, 12, 27),
        by_week=[(start + timedelta(weeks=i), i % 7) for i in range(52)],
        by_kind={"pregnant": 30, "baby": 20},
    )
    assert png_size(stats_chart(year, title="Жыл", week_label="Апта"))[0] > 0


def all_cells(header: list[str], rows: list[list[object]]) -> list[str]:
    return [str(cell) for cell in header] + [str(cell) for row in rows for cell in row]


async def test_case_export_without_personal_data(filled: Resources) -> None:
    async with filled.sessionmaker() as session:
        header, rows = await export_rows(
            session, since=SINCE, until=UNTIL, personal=False, zone=ALMATY
        )
    assert header == [
        "case",
        "created",
        "kind",
        "urgency",
        "status",
        "region",
        "shelter_id",
        "referral_source",
        "language",
        "taken_at",
        "closed_at",
        "minutes_to_first_response",
    ]
    assert len(rows) == 5
    assert all(len(row) == len(header) for row in rows)
    for cell in all_cells(header, rows):
        assert PHONE not in cell
        assert "HYPERLINK" not in cell
        assert "заметка" not in cell
        assert cell not in {"call", "any"}
    first = dict(zip(header, rows[0], strict=True))
    # 09:00 UTC is 14:00 in Almaty (UTC+5).
    assert first["created"] == "2026-11-02 14:00"
    assert first["taken_at"] == "2026-11-02 14:10"
    assert first["closed_at"] == "2026-11-03 15:00"
    assert first["minutes_to_first_response"] == 10
    assert first["referral_source"] == "instagram"
    assert dict(zip(header, rows[2], strict=True))["minutes_to_first_response"] is None


async def test_case_export_with_personal_data(filled: Resources) -> None:
    async with filled.sessionmaker() as session:
        header, rows = await export_rows(
            session, since=SINCE, until=UNTIL, personal=True, zone=ALMATY
        )
    assert header[-4:] == ["phone", "contact_way", "contact_time", "note"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["phone"] == PHONE
    assert first["note"] == NOTE
    assert first["contact_way"] == "call"
    assert first["contact_time"] == "any"


async def test_application_export(filled: Resources) -> None:
    async with filled.sessionmaker() as session:
        header, rows = await export_application_rows(
            session, since=SINCE, until=UNTIL, personal=False, zone=ALMATY
        )
        personal_header, personal_rows = await export_application_rows(
            session, since=SINCE, until=UNTIL, personal=True, zone=ALMATY
        )
    assert header == ["application", "created", "submitted", "status", "care_form", "region"]
    assert len(rows) == 3
    first = dict(zip(header, rows[0], strict=True))
    assert first["created"] == "2026-11-03 15:00"
    assert first["submitted"] == "2026-11-03 17:00"
    assert (first["status"], first["care_form"], first["region"]) == (
        "submitted",
        "guardianship",
        "almaty",
    )
    for cell in all_cells(header, rows):
        assert PHONE not in cell
        assert SECRET_NAME not in cell
        assert "HYPERLINK" not in cell
    assert personal_header == [*header, "answers"]
    joined = " ".join(all_cells(personal_header, personal_rows))
    assert PHONE in joined
    assert SECRET_NAME in joined  # kept readable, not \u-escaped
    assert "HYPERLINK" in joined


async def test_csv_has_a_bom_round_trips_and_neutralises_formulas(filled: Resources) -> None:
    async with filled.sessionmaker() as session:
        header, rows = await export_rows(
            session, since=SINCE, until=UNTIL, personal=True, zone=ALMATY
        )
    rows.append([None, "Сәлем, «мир»", 'quote " and\nnewline', "@cmd", "-1+2", "\tx"])
    data = to_csv(header, rows)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed[0] == header
    assert len(parsed) == len(rows) + 1
    note_column = header.index("note")
    assert parsed[1][note_column] == "'" + NOTE
    assert parsed[1][header.index("phone")] == "'" + PHONE
    assert parsed[-1] == ["", "Сәлем, «мир»", 'quote " and\nnewline', "'@cmd", "'-1+2", "'\tx"]
    extra = list(csv.reader(io.StringIO(to_csv(["n"], [[-4], [3.5]]).decode("utf-8-sig"))))
    assert extra == [["n"], ["-4"], ["3.5"]]  # numbers are not strings: left alone
    for row in parsed:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t"))


async def test_xlsx_sheets_header_and_formula_guard(filled: Resources) -> None:
    async with filled.sessionmaker() as session:
        cases = await export_rows(session, since=SINCE, until=UNTIL, personal=True, zone=ALMATY)
        applications = await export_application_rows(
            session, since=SINCE, until=UNTIL, personal=True, zone=ALMATY
        )
    data = to_xlsx({"Кейсы": cases, "Applications: all/1": applications})
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Кейсы", "Applications_ all_1"]
    sheet = workbook["Кейсы"]
    header, rows = cases
    assert [cell.value for cell in sheet[1]] == header
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == len(rows) + 1
    note = sheet.cell(row=2, column=header.index("note") + 1)
    assert note.value == "'" + NOTE
    assert note.data_type == "s"
    assert sheet.cell(row=2, column=1).value == rows[0][0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    widths = [sheet.column_dimensions[letter].width for letter in ("A", "B", "M")]
    assert all(6 <= width <= 62 for width in widths)
    assert widths[1] >= len("2026-11-02 14:00")


TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (date(2026, 10, 20), TODAY)),
        ("   ", (date(2026, 10, 20), TODAY)),
        ("7d", (date(2026, 11, 12), TODAY)),
        ("30d", (date(2026, 10, 20), TODAY)),
        ("1d", (TODAY, TODAY)),
        (" 7D ", (date(2026, 11, 12), TODAY)),
        ("7д", (date(2026, 11, 12), TODAY)),
        ("week", (date(2026, 11, 16), TODAY)),
        ("Неделя", (date(2026, 11, 16), TODAY)),
        ("month", (date(2026, 11, 1), TODAY)),
        ("ай", (date(2026, 11, 1), TODAY)),
        ("2026-11-01 2026-11-30", (date(2026, 11, 1), date(2026, 11, 30))),
        ("2026-11-01   2026-11-30", (date(2026, 11, 1), date(2026, 11, 30))),
        ("2026-11-01-2026-11-30", (date(2026, 11, 1), date(2026, 11, 30))),
        ("2026-11-01 .. 2026-11-30", (date(2026, 11, 1), date(2026, 11, 30))),
        ("01.11.2026-30.11.2026", (date(2026, 11, 1), date(2026, 11, 30))),
        ("01.11.2026 - 30.11.2026", (date(2026, 11, 1), date(2026, 11, 30))),
        ("1.11.2026 — 30.11.2026", (date(2026, 11, 1), date(2026, 11, 30))),
        ("01.11.2026 2026-11-30", (date(2026, 11, 1), date(2026, 11, 30))),
        ("2026-11-05", (date(2026, 11, 5), date(2026, 11, 5))),
        ("2026-11-05 2026-11-05", (date(2026, 11, 5), date(2026, 11, 5))),
        ("2026-11-30 2026-11-01", None),
        ("30.11.2026-01.11.2026", None),
        ("31.02.2026-01.03.2026", None),
        ("2026-13-01 2026-13-02", None),
        ("0d", None),
        ("-7d", None),
        ("d", None),
        ("year", None),
        ("yesterday", None),
        ("2026-11-01 to", None),
        ("01/11/2026-30/11/2026", None),
        ("2026-11-01 2026-11-30 2026-12-01", None),
    ],
)
def test_parse_period(text: str, expected: tuple[date, date] | None) -> None:
    assert parse_period(text, TODAY) == expected


def test_period_bounds_are_local_midnights_in_utc() -> None:
    since, until = period_bounds(date(2026, 11, 1), date(2026, 11, 30), ALMATY)
    assert since == datetime(2026, 10, 31, 19, tzinfo=UTC)
    assert until == datetime(2026, 11, 30, 19, tzinfo=UTC)
