"""`anabot stats` and `anabot export`: the staff figures and files, from the command line."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from bot.__main__ import main
from bot.config import Settings
from storage.applications import save_answer, start_draft, submit_once
from storage.cases import close_case, create_case_once, take_case
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import AuditEntry, CaseKind, Urgency, utcnow
from storage.users import get_or_create_user

PHONE = "+77015551234"  # the made-up test number of tests/data; never shipped


async def _fill(database_url: str) -> None:
    """Three cases and one application, made by the repository functions the flows use."""
    engine = create_engine(database_url)
    await upgrade(engine)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            for user_id in (7001, 7002, 7003):
                await get_or_create_user(session, user_id, "ru")
            urgent, _ = await create_case_once(
                session,
                "mother:7001:1",
                user_id=7001,
                kind=CaseKind.PREGNANT,
                urgency=Urgency.URGENT,
                region="karaganda",
                phone=PHONE,
                note="=HYPERLINK(1)",
            )
            await take_case(session, urgent, 900001, "Staff")
            baby, _ = await create_case_once(
                session, "mother:7002:1", user_id=7002, kind=CaseKind.BABY, region="almaty"
            )
            await take_case(session, baby, 900001, "Staff")
            await close_case(session, baby)
            await create_case_once(
                session, "mother:7003:1", user_id=7003, kind=CaseKind.OTHER, referral_source="p1"
            )
            application = await start_draft(session, 7003)
            await save_answer(session, application, "care_form", "professional", None)
            await submit_once(session, application)
    finally:
        await engine.dispose()


@pytest.fixture
def server(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator's folder, with the bot's database holding a few cases."""
    asyncio.run(_fill(settings.database_url))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("STAFF_LANGUAGE", "ru")
    return tmp_path


def _audits(database_url: str) -> list[AuditEntry]:
    async def read() -> list[AuditEntry]:
        engine = create_engine(database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                return list(await session.scalars(select(AuditEntry)))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_stats_prints_the_staff_figures_in_the_staff_language_and_a_chart(
    server: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["stats", "--chart", "stats.png"]) == 0
    out = capsys.readouterr().out
    assert "<b>" not in out  # Telegram's HTML is for the staff group, not the terminal
    assert "Обращений: 3" in out
    assert "Открыто: 2, закрыто: 1" in out
    assert "• беременные — 1" in out
    assert "• срочные — 1" in out
    assert "karaganda — 1" in out
    assert "Анкеты приёмных семей: 1" in out
    assert (server / "stats.png").read_bytes().startswith(b"\x89PNG")
    assert out.rstrip().endswith("chart: stats.png")

    monkeypatch.setenv("STAFF_LANGUAGE", "en")
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Cases: 3" in out
    assert "Open: 2, closed: 1" in out


def test_stats_of_a_period_without_cases(server: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (utcnow() + timedelta(days=2)).date()
    assert main(["stats", "--from", tomorrow.strftime("%d.%m.%Y")]) == 2
    assert "is after --to" in capsys.readouterr().err

    assert main(["stats", "--from", "2020-01-01", "--to", "2020-01-31"]) == 0
    out = capsys.readouterr().out
    assert "01.01.2020 – 31.01.2020" in out
    assert "Обращений: 0" in out

    assert main(["stats", "--from", "yesterday"]) == 2
    assert "write a date as 2026-11-01 or 01.11.2026" in capsys.readouterr().err


def test_export_xlsx_without_personal_data_by_default(
    server: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--out", "report.xlsx"]) == 0
    assert "report.xlsx: 3 cases, 1 applications" in capsys.readouterr().out
    workbook = openpyxl.load_workbook(server / "report.xlsx")
    cases = list(workbook["cases"].iter_rows(values_only=True))
    assert len(cases) == 4
    assert "phone" not in cases[0]
    assert sorted(row[cases[0].index("kind")] for row in cases[1:]) == ["baby", "other", "pregnant"]
    applications = list(workbook["applications"].iter_rows(values_only=True))
    assert applications[1][applications[0].index("care_form")] == "professional"

    [entry] = [a for a in _audits(settings.database_url) if a.action == "export"]
    assert entry.details["via"] == "cli" and entry.details["personal"] is False


def test_export_csv_with_personal_data_is_two_files_and_audited(
    server: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--format", "csv", "--personal", "--out", "cases.csv"]) == 0
    out = capsys.readouterr().out
    assert "cases.csv: 3 cases" in out
    assert "cases-applications.csv: 1 applications" in out
    assert "personal data" in out

    text = (server / "cases.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    urgent = next(row for row in rows if row["kind"] == "pregnant")
    # reports.to_csv keeps a leading "+" from being read as a formula.
    assert urgent["phone"] == "'" + PHONE
    assert urgent["note"] == "'=HYPERLINK(1)"  # a formula stays text in a spreadsheet
    assert urgent["urgency"] == "urgent"
    assert (server / "cases-applications.csv").exists()

    [entry] = [a for a in _audits(settings.database_url) if a.action == "export"]
    assert entry.details["personal"] is True
    # Phones and notes: readable by the file's owner only, whatever the umask.
    assert (server / "cases.csv").stat().st_mode & 0o777 == 0o600
    assert (server / "cases-applications.csv").stat().st_mode & 0o777 == 0o600
