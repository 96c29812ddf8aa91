"""The foundation's report on rows with known timestamps (bot/demo/report_seed.py): medians and
90th percentiles computed by hand, the XLSX checked cell by cell, the small-count rule, and no
personal field anywhere in the files."""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.app import Resources
from bot.config import Settings
from bot.demo.report_seed import NAMES, NOTES, PHONES, seed, seed_database
from bot.services.outcome_report import Summary, compute_report, median, percentile_90

MARCH = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))


def test_median_and_the_90th_percentile_by_hand() -> None:
    # Nearest rank: the value at rank ceil(0.9 n) of the sorted values.
    assert percentile_90([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]) == 9  # n=10: rank 9
    assert median([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]) == 5.5
    assert percentile_90([3, 1, 4, 1, 5]) == 5  # n=5: ceil(4.5) = 5, the largest
    assert median([3, 1, 4, 1, 5]) == 3
    assert percentile_90(list(range(1, 21))) == 18  # n=20: rank 18
    assert percentile_90([7.5]) == 7.5 and median([7.5]) == 7.5
    assert percentile_90([1, 1, 2, 3, 3, 4, 5, 10]) == 10  # n=8: ceil(7.2) = 8
    with pytest.raises(ValueError):
        percentile_90([])


@pytest.fixture
async def seeded(resources: Resources) -> Resources:
    async with resources.sessionmaker() as session:
        await seed(session)
    return resources


async def _march(resources: Resources, shelter_id: str | None = None):  # type: ignore[no-untyped-def]
    async with resources.sessionmaker() as session:
        return await compute_report(
            session,
            since=MARCH[0],
            until=MARCH[1],
            start=date(2026, 3, 1),
            end=date(2026, 3, 31),
            shelter_id=shelter_id,
        )


async def test_times_and_outcomes_on_rows_with_known_timestamps(seeded: Resources) -> None:
    report = await _march(seeded)
    assert report.total_cases == 8  # her December 2025 case is outside the period
    every = report.times["all"]["all"]
    # First message -> handoff, hours: 0.25, 0.5, 1 (her user row: no chat rows left), 2 (not
    # her message before her earlier case), 0.75; the forgotten cases have none.
    assert every["to_handoff"] == Summary(5, 0.75, 2)
    # Handoff -> first reply (audit "reply"): 0.5, 1, 1.5, 2, 8.
    assert every["to_first_reply"] == Summary(5, 1.5, 8)
    # Handoff -> take: Astana 1, 2, 3, 4, 5, 10 and Almaty 1, 3 -> sorted 1 1 2 3 3 4 5 10.
    assert every["to_take"] == Summary(8, 3, 10)
    # Handoff -> close: 24, 48, 72, 96, 120 and 12, 36; the open case has none.
    assert every["to_close"] == Summary(7, 48, 120)
    astana = report.times["house"]["astana-1"]
    assert astana["to_take"] == Summary(6, 3.5, 10)  # (3 + 4) / 2; ceil(5.4) = 6th
    assert astana["to_close"] == Summary(5, 72, 120)
    assert report.times["region"]["almaty"]["to_take"] == Summary(2, 2, 3)
    assert report.times["month"]["2026-03"]["to_take"] == Summary(8, 3, 10)

    outcomes = report.outcomes["all"]["all"]
    assert dict(outcomes) == {
        "house": 2,
        "family": 1,
        "child_yes": 1,
        "no_contact": 1,
        "unknown": 2,  # closed without an outcome
        "open": 1,
    }
    assert dict(report.outcomes["house"]["almaty-1"]) == {"house": 1, "unknown": 1}
    assert dict(report.placements) == {"astana-1": 1, "almaty-1": 1}

    # Applications: stage days from the audit log's status rows.
    assert dict(report.stages["all"]) == {
        "approved": 1,
        "contacted": 1,
        "draft": 1,
        "withdrawn": 1,
    }
    days = report.stage_days["all"]
    assert days["submitted"] == Summary(3, 2, 4)  # 2, 4 and 1 days before the next stage
    assert days["contacted"] == Summary(1, 3, 3)
    assert days["documents"] == Summary(1, 10, 10)
    assert days["training"] == Summary(1, 5, 5)
    assert days["home_visit"] == Summary(0)
    assert days["decision"] == Summary(1, 20, 20)
    assert report.stage_days["foster"]["submitted"] == Summary(1, 1, 1)


async def test_one_house_sees_only_its_own_cases(seeded: Resources) -> None:
    report = await _march(seeded, shelter_id="almaty-1")
    assert report.total_cases == 2
    assert set(report.outcomes["house"]) == {"almaty-1"}
    assert set(report.outcomes["region"]) == {"almaty"}
    assert report.stages == {} and report.total_applications == 0  # applications: no house


@pytest.fixture
def seeded_url(settings: Settings) -> str:
    """The seeded database for the `anabot report` command (which runs its own event loop)."""
    asyncio.run(seed_database(settings.database_url))
    return settings.database_url


Report = Callable[..., tuple[Path, str]]


@pytest.fixture
def report(
    seeded_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Report:
    """`anabot report --year 2026` on the seeded database, in English, with more arguments:
    the folder it wrote to and what it printed."""

    def run(*args: str) -> tuple[Path, str]:
        monkeypatch.setenv("DATABASE_URL", seeded_url)
        monkeypatch.setenv("STAFF_LANGUAGE", "en")
        out = tmp_path / "out"
        assert main(["report", "--year", "2026", "--out", str(out), *args]) == 0
        return out, capsys.readouterr().out

    return run


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


OUTCOME_HEADER = (
    "Placed in a mothers' house",
    "Returned to her family, with support",
    "Referred to another service",
    "The child stayed with the mother",
    "The child did not stay with the mother",
    "Not known yet about the child",
    "No contact possible",
    "Not our profile",
    "outcome not given",
    "still open",
    "Total",
)


def test_report_file_cell_by_cell_with_small_counts_hidden(report: Report) -> None:
    out, printed = report()
    workbook = out / "anabot-report-2026.xlsx"
    assert (out / "anabot-report-2026.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert load_workbook(workbook).sheetnames == [
        "summary",
        "outcomes_by_region",
        "outcomes_by_house",
        "outcomes_by_month",
        "placements",
        "times_by_region",
        "times_by_house",
        "times_by_month",
        "applications",
        "application_days",
    ]
    summary = _rows(workbook, "summary")
    assert summary[:4] == [
        ("Item", "Value"),
        ("Period", "01.01.2026 – 31.12.2026"),
        ("Cases", 8),
        ("Foster family applications", "< 5"),  # 4: below the threshold of 5
    ]
    small = "< 5"
    assert _rows(workbook, "outcomes_by_region") == [
        ("Region", *OUTCOME_HEADER),
        ("All", small, small, 0, small, 0, 0, small, 0, small, small, 8),
        ("Almaty", small, 0, 0, 0, 0, 0, 0, 0, small, 0, small),
        ("Astana", small, small, 0, small, 0, 0, small, 0, small, small, 6),
    ]
    times = _rows(workbook, "times_by_house")
    assert times[0][:4] == (
        "House",
        "First message to handoff: cases",
        "First message to handoff: median, h",
        "First message to handoff: 90th percentile, h",
    )
    assert times[1:] == [
        ("All", 5, 0.75, 2, 5, 1.5, 8, 8, 3, 10, 7, 48, 120),
        # Two cases in Almaty: counts hidden, and no time computed from so few.
        (
            "Ana Uyi mothers' house (Almaty)",
            0,
            "—",
            "—",
            0,
            "—",
            "—",
            small,
            "—",
            "—",
            small,
            "—",
            "—",
        ),
        ("Ana Uyi mothers' house (Astana)", 5, 0.75, 2, 5, 1.5, 8, 6, 3.5, 10, 5, 72, 120),
    ]
    assert _rows(workbook, "applications") == [
        (
            "Form of care",
            "draft",
            "submitted",
            "contacted",
            "documents",
            "training",
            "home visit",
            "approved",
            "not approved",
            "withdrawn",
            "Total",
        ),
        ("All", small, 0, small, 0, 0, 0, small, 0, small, small),
        ("Foster family", small, 0, 0, 0, 0, 0, 0, 0, small, small),
        ("Professional foster family", 0, 0, small, 0, 0, 0, small, 0, 0, small),
    ]
    assert "Outcomes, 01.01.2026 – 31.12.2026" in printed


def test_report_without_the_threshold_shows_every_figure_as_pdf(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORT_SMALL_COUNT", "1")
    out, _ = report("--chart-format", "pdf")
    workbook = out / "anabot-report-2026.xlsx"
    assert (out / "anabot-report-2026.pdf").read_bytes()[:5] == b"%PDF-"
    assert _rows(workbook, "outcomes_by_house")[1:] == [
        ("All", 2, 1, 0, 1, 0, 0, 1, 0, 2, 1, 8),
        ("Ana Uyi mothers' house (Almaty)", 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2),
        ("Ana Uyi mothers' house (Astana)", 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 6),
    ]
    assert _rows(workbook, "placements")[1:] == [
        ("Ana Uyi mothers' house (Almaty)", 1),
        ("Ana Uyi mothers' house (Astana)", 1),
    ]
    days = _rows(workbook, "application_days")
    assert days[0] == ("Form of care", "Stage", "Cases", "Median, days", "90th percentile, days")
    assert days[1:7] == [
        ("All", "submitted", 3, 2, 4),
        ("All", "contacted", 1, 3, 3),
        ("All", "documents", 1, 10, 10),
        ("All", "training", 1, 5, 5),
        ("All", "home visit", 0, "—", "—"),
        ("All", "to decision (from submission)", 1, 20, 20),
    ]
    assert _rows(workbook, "times_by_region")[2] == (
        "Almaty", 0, "—", "—", 0, "—", "—", 2, 2, 3, 2, 24, 36,
    )  # fmt: skip


def test_no_personal_field_in_any_report_file(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORT_SMALL_COUNT", "1")  # every figure shown: still nothing personal
    out, printed = report()
    personal = [*PHONES, *NAMES, *NOTES, "Айгуль", "Серикова", "7015550"]
    workbook = out / "anabot-report-2026.xlsx"
    with zipfile.ZipFile(workbook) as archive:
        texts = [archive.read(name).decode("utf-8") for name in archive.namelist()]
    chart = (out / "anabot-report-2026.png").read_bytes()
    for word in personal:
        assert all(word not in text for text in texts), word
        assert word.encode() not in chart and word not in printed, word
    user_ids = {7001, 7002, 7003, 7004, 7006, 7101, 900001}
    for sheet in load_workbook(workbook).worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not user_ids & set(row), (sheet.title, row)
