"""`anabot export`, `anabot stats` and `anabot report`, read from DATABASE_URL: the staff
/export and /stats, and the foundation's yearly report of outcomes and times.

The figures, files and words are those staff get in Telegram (bot/services/reports.py and the
Fluent texts in STAFF_LANGUAGE), so a report made here matches one made in the staff group.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bot.config import Settings
from bot.i18n import create_core
from bot.services import reports
from bot.services.directory import load_directory
from bot.services.outcome_charts import report_chart, report_text
from bot.services.outcome_report import Report, compute_report
from bot.services.outcome_tables import Labels, report_tables
from bot.use_cases.export import Table, export_period
from bot.workspace.cards import StaffTexts
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import utcnow

_TAG = re.compile(r"</?[a-z]+[^>]*>")


class PeriodError(ValueError):
    """A --from or --to the operator typed cannot be read."""


def period_of(since: str | None, until: str | None, today: date) -> tuple[date, date]:
    """Inclusive dates from --from/--to: both, one (the other is today, or 30 days before
    --to), or neither (the last 30 days, as staff /stats without arguments)."""

    def day(text: str, option: str) -> date:
        parsed = reports.parse_period(text, today)
        if parsed is None or parsed[0] != parsed[1] or not text.strip()[:1].isdigit():
            raise PeriodError(f"{option} {text!r}: write a date as 2026-11-01 or 01.11.2026")
        return parsed[0]

    end = day(until, "--to") if until else today
    start = day(since, "--from") if since else end - timedelta(days=reports.DEFAULT_DAYS - 1)
    if start > end:
        raise PeriodError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    return start, end


def _plain(text: str) -> str:
    """Staff messages are Telegram HTML; a terminal shows the words."""
    return html.unescape(_TAG.sub("", text))


async def stats_report(
    settings: Settings, start: date, end: date, *, chart: bool
) -> tuple[str, bytes | None]:
    """The /stats text in the staff language, and its chart (PNG) when asked for."""
    core = create_core()
    await core.startup()  # reads the Fluent files, as the bot does at its start
    t = StaffTexts(core, settings.staff_language)
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        since, until = reports.period_bounds(start, end, settings.tz)
        async with create_sessionmaker(engine)() as session:
            figures = await reports.compute_stats(
                session, since=since, until=until, zone=settings.tz
            )
    finally:
        await engine.dispose()
    png = None
    if chart:
        kinds = {kind: t(f"staff-kind-{kind}") for kind in ("pregnant", "baby", "other")}
        png = reports.stats_chart(
            figures,
            title=t("stats-chart-title"),
            week_label=t("stats-chart-week"),
            kind_labels=kinds,
        )
    return _plain(reports.stats_text(figures, lambda key, args: t(key, **args))), png


async def export_tables(
    settings: Settings, start: date, end: date, *, personal: bool
) -> tuple[Table, Table]:
    """Cases and applications created from `start` to `end`, as staff /export makes them."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as session, session.begin():
            return await export_period(
                session, None, (start, end), settings.tz, personal=personal, via="cli"
            )
    finally:
        await engine.dispose()


def _write_private(path: Path, data: bytes) -> None:
    """Exports hold phones and names: created readable by their owner only (0600), and an
    older file of the same name is made so too before it is overwritten."""
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def write_export(
    cases: Table,
    applications: Table,
    name: str,
    *,
    file_format: str,
    out: Path | None,
) -> list[tuple[Path, str]]:
    """Write the files; returns each file with what it holds."""
    if file_format == "xlsx":
        path = out or Path(f"{name}.xlsx")
        _write_private(path, reports.to_xlsx({"cases": cases, "applications": applications}))
        return [(path, f"{len(cases[1])} cases, {len(applications[1])} applications")]
    # One table a CSV file: the cases in OUT, the applications beside it.
    cases_path = out or Path(f"{name}-cases.csv")
    applications_path = (
        out.with_name(f"{out.stem}-applications.csv") if out else Path(f"{name}-applications.csv")
    )
    _write_private(cases_path, reports.to_csv(*cases))
    _write_private(applications_path, reports.to_csv(*applications))
    return [
        (cases_path, f"{len(cases[1])} cases"),
        (applications_path, f"{len(applications[1])} applications"),
    ]


def _period(
    command: str, settings: Settings, read: Callable[[date], tuple[date, date]]
) -> tuple[date, date] | None:
    """The period the options give, read against today; None once the operator is told what
    is wrong with them."""
    try:
        return read(utcnow().astimezone(settings.tz).date())
    except PeriodError as error:
        print(f"anabot {command}: {error}", file=sys.stderr)
        return None


def run_stats(
    settings: Settings, since: str | None, until: str | None, *, chart: Path | None
) -> int:
    period = _period("stats", settings, lambda today: period_of(since, until, today))
    if period is None:
        return 2
    start, end = period
    text, png = asyncio.run(stats_report(settings, start, end, chart=chart is not None))
    print(text)
    if chart is not None and png is not None:
        chart.write_bytes(png)
        print(f"\nchart: {chart}")
    return 0


def run_export(
    settings: Settings,
    since: str | None,
    until: str | None,
    *,
    file_format: str,
    out: Path | None,
    personal: bool,
) -> int:
    period = _period("export", settings, lambda today: period_of(since, until, today))
    if period is None:
        return 2
    start, end = period
    cases, applications = asyncio.run(export_tables(settings, start, end, personal=personal))
    name = f"anabot-{start.isoformat()}-{end.isoformat()}"  # as staff /export names its files
    written = write_export(cases, applications, name, file_format=file_format, out=out)
    for path, holds in written:
        print(f"{path}: {holds}, created {start.isoformat()} to {end.isoformat()}")
    if personal:
        print("this export holds personal data: keep it on the foundation's computers only")
    return 0


def report_period(
    year: int | None, since: str | None, until: str | None, today: date
) -> tuple[date, date]:
    """`--year 2026` is that calendar year (up to today when it is this year); else as
    `export`: --from/--to, or the last 30 days."""
    if year is None:
        return period_of(since, until, today)
    if not 2000 <= year <= 2100:
        raise PeriodError(f"--year {year}: write a year like 2026")
    return date(year, 1, 1), date(year, 12, 31)


async def outcome_report(
    settings: Settings, start: date, end: date, *, shelter_id: str | None = None
) -> tuple[Report, Labels]:
    """The foundation's report of a period, with its labels in the staff language."""
    core = create_core()
    await core.startup()
    t = StaffTexts(core, settings.staff_language)
    directory = load_directory(settings.shelters_file)
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        since, until = reports.period_bounds(start, end, settings.tz)
        async with create_sessionmaker(engine)() as session:
            report = await compute_report(
                session,
                since=since,
                until=until,
                start=start,
                end=end,
                zone=settings.tz,
                shelter_id=shelter_id,
            )
    finally:
        await engine.dispose()
    return report, Labels(lambda key, args: t(key, **args), directory, t.locale)


def write_report(
    report: Report, labels: Labels, *, threshold: int, out: Path, name: str, chart_format: str
) -> list[Path]:
    """One XLSX (a sheet per table) and one charts page (PNG or PDF); counts only."""
    out.mkdir(parents=True, exist_ok=True)
    workbook = out / f"{name}.xlsx"
    workbook.write_bytes(reports.to_xlsx(report_tables(report, labels, threshold)))
    chart = out / f"{name}.{chart_format}"
    chart.write_bytes(report_chart(report, labels, threshold, file_format=chart_format))
    return [workbook, chart]


def run_report(
    settings: Settings,
    *,
    year: int | None,
    since: str | None,
    until: str | None,
    out: Path,
    shelter_id: str | None,
    chart_format: str,
) -> int:
    period = _period("report", settings, lambda today: report_period(year, since, until, today))
    if period is None:
        return 2
    start, end = period
    report, labels = asyncio.run(outcome_report(settings, start, end, shelter_id=shelter_id))
    name = f"anabot-report-{year}" if year else f"anabot-report-{start}-{end}"
    if shelter_id:
        name += f"-{shelter_id}"
    threshold = settings.report_small_count
    paths = write_report(
        report, labels, threshold=threshold, out=out, name=name, chart_format=chart_format
    )
    print(_plain(report_text(report, labels)))
    print()
    for path in paths:
        print(f"{path}: counts only; counts below {threshold} shown as '< {threshold}'")
    return 0
