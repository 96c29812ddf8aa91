"""Staff reports: period statistics, a summary text, a weekly chart and CSV/XLSX exports.

Statistics read only non-personal columns; exports add personal columns only when asked.

Translation keys used by `stats_text` (Fluent; counts are passed as ints so plural selectors
work, everything else as ready-made strings):

- `stats-title` — `$since`, `$until` (dates "01.11.2026")
- `stats-total` — `$count` (cases in the period)
- `stats-open-closed` — `$open`, `$closed`
- `stats-median-response` — `$minutes` (string, "42" or "42.5"), `$count` (cases taken)
- `stats-median-response-none` — no variables (no case was taken yet)
- `stats-by-week` — no variables (section header; lines are "02.11.2026 — 3")
- `stats-by-kind` — no variables (section header)
- `stats-kind-name` — `$kind` (pregnant | baby | other; use a select expression)
- `stats-by-urgency` — no variables (section header)
- `stats-urgency-name` — `$urgency` (normal | urgent)
- `stats-by-region` — no variables (section header; region codes are shown as they are)
- `stats-region-unknown` — no variables (a case without a region)
- `stats-by-source` — no variables (section header; referral codes are shown as they are)
- `stats-source-direct` — no variables (no referral source)
- `stats-applications` — `$count` (foster family applications created in the period)
- `stats-application-status-name` — `$status` (draft | submitted | contacted | documents |
  training | home_visit | approved | not_approved | withdrawn)
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, Case, CaseStatus

DIRECT = "direct"  # referral source of a case that came without a deep link
UNKNOWN_REGION = "unknown"

Translator = Callable[[str, dict[str, Any]], str]
Header = list[str]
Rows = list[list[object]]


@dataclass
class Stats:
    """Figures for one period; `start`/`end` are the inclusive local dates it covers."""

    start: date
    end: date
    total_cases: int = 0
    by_week: list[tuple[date, int]] = field(default_factory=list)  # Monday of the ISO week
    by_kind: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_urgency: dict[str, int] = field(default_factory=dict)
    open_cases: int = 0
    closed_cases: int = 0
    taken_cases: int = 0
    median_response_minutes: float | None = None
    applications_by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total_applications(self) -> int:
        return sum(self.applications_by_status.values())


def _period_dates(since: datetime, until: datetime, zone: tzinfo) -> tuple[date, date]:
    # `until` is exclusive: the last covered instant is just before it.
    last = until - timedelta(microseconds=1)
    return since.astimezone(zone).date(), last.astimezone(zone).date()


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _ranked(counter: Counter[str]) -> dict[str, int]:
    # Largest first, ties by name, so texts and tests are stable.
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _minutes(start: datetime, end: datetime) -> float:
    # A taken_at before created_at can only come from clock skew; count it as instant.
    return max(0.0, (end - start).total_seconds() / 60)


def period_bounds(start: date, end: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Inclusive local dates -> the UTC half-open range [since, until) for the queries."""
    since = datetime.combine(start, time.min, tzinfo=zone).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return since, until


async def compute_stats(
    session: AsyncSession, *, since: datetime, until: datetime, zone: tzinfo = UTC
) -> Stats:
    """Statistics of cases and applications created in [since, until); weeks are in `zone`."""
    start, end = _period_dates(since, until, zone)
    stats = Stats(start=start, end=end)

    # Only non-personal columns; weeks and the median are computed here to stay dialect-neutral.
    case_rows = (
        await session.execute(
            select(
                Case.created_at,
                Case.taken_at,
                Case.kind,
                Case.region,
                Case.referral_source,
                Case.urgency,
                Case.status,
            ).where(Case.created_at >= since, Case.created_at < until)
        )
    ).all()

    weeks: Counter[date] = Counter()
    kinds: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    urgencies: Counter[str] = Counter()
    responses: list[float] = []
    for created_at, taken_at, kind, region, source, urgency, status in case_rows:
        weeks[_week_start(created_at.astimezone(zone).date())] += 1
        kinds[kind] += 1
        regions[region or UNKNOWN_REGION] += 1
        sources[source or DIRECT] += 1
        urgencies[urgency] += 1
        if status == CaseStatus.CLOSED:
            stats.closed_cases += 1
        else:
            stats.open_cases += 1
        if taken_at is not None:
            responses.append(_minutes(created_at, taken_at))

    stats.total_cases = len(case_rows)
    if start <= end:
        # Empty weeks are kept as zeros so the chart's time axis has no gaps.
        week = _week_start(start)
        while week <= end:
            stats.by_week.append((week, weeks[week]))
            week += timedelta(days=7)
    stats.by_kind = _ranked(kinds)
    stats.by_region = _ranked(regions)
    stats.by_source = _ranked(sources)
    stats.by_urgency = _ranked(urgencies)
    stats.taken_cases = len(responses)
    stats.median_response_minutes = statistics.median(responses) if responses else None

    app_rows = (
        await session.execute(
            select(Application.status, func.count(Application.id))
            .where(Application.created_at >= since, Application.created_at < until)
            .group_by(Application.status)
        )
    ).all()
    stats.applications_by_status = _ranked(Counter({status: count for status, count in app_rows}))
    return stats


def _plain_number(value: float) -> str:
    # "42" rather than "42.0"; one decimal is enough for minutes.
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def stats_text(stats: Stats, t: Translator) -> str:
    """A short plain-text summary for a Telegram message; labels come from `t(key, kwargs)`."""
    lines = [
        t("stats-title", {"since": _day(stats.start), "until": _day(stats.end)}),
        t("stats-total", {"count": stats.total_cases}),
    ]
    if stats.total_cases:
        lines.append(
            t("stats-open-closed", {"open": stats.open_cases, "closed": stats.closed_cases})
        )
        if stats.median_response_minutes is None:
            lines.append(t("stats-median-response-none", {}))
        else:
            minutes = _plain_number(stats.median_response_minutes)
            lines.append(
                t("stats-median-response", {"minutes": minutes, "count": stats.taken_cases})
            )

        def section(header: str, items: Iterable[tuple[str, int]]) -> None:
            lines.append("")
            lines.append(t(header, {}))
            lines.extend(f"• {label} — {count}" for label, count in items)

        section("stats-by-week", ((_day(week), count) for week, count in stats.by_week))
        section(
            "stats-by-kind",
            ((t("stats-kind-name", {"kind": k}), n) for k, n in stats.by_kind.items()),
        )
        section(
            "stats-by-urgency",
            ((t("stats-urgency-name", {"urgency": u}), n) for u, n in stats.by_urgency.items()),
        )
        section(
            "stats-by-region",
            (
                (t("stats-region-unknown", {}) if r == UNKNOWN_REGION else r, n)
                for r, n in stats.by_region.items()
            ),
        )
        section(
            "stats-by-source",
            (
                (t("stats-source-direct", {}) if s == DIRECT else s, n)
                for s, n in stats.by_source.items()
            ),
        )
    lines.append("")
    lines.append(t("stats-applications", {"count": stats.total_applications}))
    lines.extend(
        f"• {t('stats-application-status-name', {'status': s})} — {n}"
        for s, n in stats.applications_by_status.items()
    )
    return "\n".join(lines)


def stats_chart(
    stats: Stats,
    *,
    title: str,
    week_label: str,
    kind_labels: Mapping[str, str] | None = None,
) -> bytes:
    """A PNG (1000x700 px): cases per week as bars, and a small panel of cases by kind.

    The object-oriented Figure with its own Agg canvas keeps no pyplot global state, so it is
    safe from worker threads. Matplotlib's default font, DejaVu Sans, has Cyrillic and the
    Kazakh letters.
    """
    # Imported here: matplotlib is slow to import and only the reports need it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 7), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    weeks_axes, kinds_axes = figure.subplots(2, 1, height_ratios=(3, 1.3))
    figure.suptitle(title, fontsize=18)

    labels = [week.strftime("%d.%m") for week, _ in stats.by_week]
    counts = [count for _, count in stats.by_week]
    positions = list(range(len(counts)))
    bars = weeks_axes.bar(positions, counts, color="#3b7dd8")
    weeks_axes.bar_label(bars, fontsize=12)
    weeks_axes.set_xlabel(week_label, fontsize=13)
    weeks_axes.set_xticks(positions, labels, fontsize=12)
    if len(labels) > 12:
        # Long periods: every label would overlap on a phone screen.
        step = (len(labels) + 11) // 12
        for index, tick in enumerate(weeks_axes.get_xticklabels()):
            tick.set_visible(index % step == 0)
    weeks_axes.tick_params(axis="y", labelsize=12)
    weeks_axes.yaxis.get_major_locator().set_params(integer=True)
    weeks_axes.set_ylim(0, max([*counts, 1]) * 1.15)
    weeks_axes.spines[["top", "right"]].set_visible(False)

    names = kind_labels or {}
    kinds = list(stats.by_kind.items())[::-1]  # largest on top
    kind_bars = kinds_axes.barh(
        [names.get(kind, kind) for kind, _ in kinds],
        [count for _, count in kinds],
        color="#e38b2c",
    )
    kinds_axes.bar_label(kind_bars, fontsize=12, padding=3)
    kinds_axes.tick_params(labelsize=12)
    kinds_axes.xaxis.get_major_locator().set_params(integer=True)
    kinds_axes.set_xlim(0, max([count for _, count in kinds] or [1]) * 1.15)
    kinds_axes.spines[["top", "right"]].set_visible(False)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else None


# Each exported case column with what is selected for it, in the file's order; after them
# comes "minutes_to_first_response", worked out here, and the personal columns when asked for.
_CASE_FIELDS = (
    ("case", Case.id),
    ("created", Case.created_at),
    ("kind", Case.kind),
    ("urgency", Case.urgency),
    ("status", Case.status),
    ("region", Case.region),
    ("shelter_id", Case.shelter_id),
    ("referral_source", Case.referral_source),
    ("language", Case.language),
    ("taken_at", Case.taken_at),
    ("closed_at", Case.closed_at),
)
_CASE_PERSONAL_FIELDS = (
    ("phone", Case.phone),
    ("contact_way", Case.contact_way),
    ("contact_time", Case.contact_time),
    ("note", Case.note),
)
APPLICATION_COLUMNS = ["application", "created", "submitted", "status", "care_form", "region"]
APPLICATION_PERSONAL_COLUMNS = ["answers"]


def _created_in(
    query: Select[Any], model: type[Case | Application], since: datetime, until: datetime
) -> Select[Any]:
    """The rows of `query` created in [since, until), oldest first."""
    return query.where(model.created_at >= since, model.created_at < until).order_by(
        model.created_at, model.id
    )


async def export_rows(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    personal: bool,
    zone: ZoneInfo,
) -> tuple[Header, Rows]:
    """Cases created in [since, until), oldest first; times are local to `zone`."""
    # Personal columns are not even selected unless asked for.
    fields = _CASE_FIELDS + (_CASE_PERSONAL_FIELDS if personal else ())
    query = select(*(column.label(name) for name, column in fields))
    result = await session.execute(_created_in(query, Case, since, until))
    rows: Rows = []
    for row in result.all():
        general, personal_cells = row[: len(_CASE_FIELDS)], row[len(_CASE_FIELDS) :]
        minutes = round(_minutes(row.created, row.taken_at), 1) if row.taken_at else None
        shown = [_local(cell, zone) if isinstance(cell, datetime) else cell for cell in general]
        rows.append([*shown, minutes, *personal_cells])
    header = [name for name, _ in fields]
    header.insert(len(_CASE_FIELDS), "minutes_to_first_response")
    return header, rows


async def export_application_rows(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    personal: bool,
    zone: ZoneInfo,
) -> tuple[Header, Rows]:
    """Applications created in [since, until); answers (all personal) only with `personal`."""
    query = select(
        Application.id,
        Application.created_at,
        Application.submitted_at,
        Application.status,
        Application.care_form,
        Application.answers,
    )
    result = await session.execute(_created_in(query, Application, since, until))
    rows: Rows = []
    for number, created, submitted, status, care_form, answers in result.all():
        answers = answers if isinstance(answers, dict) else {}
        region = answers.get("region")
        cells: list[object] = [
            number,
            _local(created, zone),
            _local(submitted, zone),
            status,
            care_form,
            str(region) if region is not None else None,
        ]
        if personal:
            cells.append(json.dumps(answers, ensure_ascii=False, sort_keys=True, default=str))
        rows.append(cells)
    header = APPLICATION_COLUMNS + (APPLICATION_PERSONAL_COLUMNS if personal else [])
    return list(header), rows


# Spreadsheet apps run a cell that starts with these as a formula (CSV/DDE injection, OWASP):
# a note "=HYPERLINK(...)" written by a stranger would become a live link or worse. A leading
# apostrophe makes it plain text; numbers are not strings and are left as they are.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with a BOM, which Excel needs to show Cyrillic instead of mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[object]]]]) -> bytes:
    """An XLSX workbook, one sheet per entry: bold frozen header, roughly fitted columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, (header, rows) in sheets.items():
        # Excel refuses sheet names over 31 characters or with []:*?/\ in them.
        sheet = workbook.create_sheet(_SHEET_FORBIDDEN.sub("_", name)[:31] or "Sheet")
        widths = [len(str(cell)) for cell in header]
        sheet.append([_safe(cell) for cell in header])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            values = [_safe(cell) for cell in row]
            sheet.append(values)
            for index, value in enumerate(values):
                width = max((len(line) for line in str(value).splitlines()), default=0)
                if index < len(widths):
                    widths[index] = max(widths[index], width)
                else:
                    widths.append(width)
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_ISO = r"\d{4}-\d{1,2}-\d{1,2}"
_DOTTED = r"\d{1,2}\.\d{1,2}\.\d{4}"
_DATE = rf"(?:{_ISO}|{_DOTTED})"
_RANGE = re.compile(rf"^({_DATE})(?:\s*(?:-|–|—|\.\.)\s*|\s+)({_DATE})$")
_SINGLE = re.compile(rf"^({_DATE})$")
_LAST_DAYS = re.compile(r"^(\d{1,4})\s*[dд]$")
_WEEK = frozenset({"week", "неделя", "апта"})
_MONTH = frozenset({"month", "месяц", "ай"})
DEFAULT_DAYS = 30


def _parse_date(text: str) -> date | None:
    try:
        if "." in text:
            day, month, year = (int(part) for part in text.split("."))
        else:
            year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


def parse_period(text: str, today: date) -> tuple[date, date] | None:
    """A period typed by staff -> inclusive (start, end) dates, or None if unparsable/reversed.

    "" = the last 30 days, "7d" = the last 7 days (today included), "week" = this ISO week
    so far, "month" = this calendar month so far, "2026-11-01 2026-11-30" or
    "01.11.2026-30.11.2026" = those dates, a single date = that day.
    """
    text = " ".join(text.split()).lower()
    if not text:
        return today - timedelta(days=DEFAULT_DAYS - 1), today
    if text in _WEEK:
        return _week_start(today), today
    if text in _MONTH:
        return today.replace(day=1), today
    if match := _LAST_DAYS.match(text):
        days = int(match[1])
        return (today - timedelta(days=days - 1), today) if days > 0 else None
    if match := _RANGE.match(text):
        start, end = _parse_date(match[1]), _parse_date(match[2])
    elif match := _SINGLE.match(text):
        start = end = _parse_date(match[1])
    else:
        return None
    if start is None or end is None or start > end:
        return None
    return start, end
