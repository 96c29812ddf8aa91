"""The foundation's figures: what became of each case, how long each step took, and the foster
applications pipeline. Computed from rows the bot already keeps; counts only, nothing personal.

Every function that reads cases takes an optional `shelter_id`: given, only that house's cases
are counted (the hook for house staff, who must not see other houses' figures).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.outcomes import UNKNOWN
from storage.models import ApplicationStatus, CaseStatus
from storage.outcomes import ApplicationRow, CaseRow, application_rows, case_rows

OPEN = "open"  # a case not closed yet: it has no outcome to count
NO_HOUSE = "none"  # a case with no nearest house (or a region not given)
ALL = "all"
MEASURES = ("to_handoff", "to_first_reply", "to_take", "to_close")
GROUPINGS = ("all", "house", "region", "month")
# Every status, in the order an application moves through them (the enum is declared so).
STAGES = tuple(ApplicationStatus)
TIMED_STAGES = STAGES[1:6]  # the stages an application waits in before the decision
DECISION = "decision"  # days from submission to approved / not approved
NO_FORM = "none"


def median(values: Sequence[float]) -> float:
    """The middle value; with an even count, the mean of the two middle values."""
    return statistics.median(values)


def percentile_90(values: Sequence[float]) -> float:
    """The slowest tenth starts here: the 90th percentile by the nearest-rank method.

    Sorted ascending, it is the value at rank ceil(0.9 * n) (1-based): the smallest observed
    value that at least 90% of the values do not exceed. Always an observed time, never an
    interpolation, so a reader can find it among the cases. For n = 10 it is the 9th value,
    for n = 5 the 5th (the largest), for n = 20 the 18th.
    """
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = math.ceil(0.9 * len(ordered))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    n: int
    median: float | None = None  # hours (cases) or days (applications)
    p90: float | None = None

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            return cls(0)
        return cls(len(values), median(values), percentile_90(values))


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    # An end before its start can only be clock skew: count it as instant.
    return max(0.0, (end - start).total_seconds() / 3600)


def case_durations(row: CaseRow) -> dict[str, float | None]:
    """Hours of each step: her first message to the handoff; then from the handoff (when staff
    can first act) to the first staff reply, to the take and to the close."""
    closed = row.closed_at if row.status == CaseStatus.CLOSED else None
    return {
        "to_handoff": _hours(row.first_message_at, row.created_at),
        "to_first_reply": _hours(row.created_at, row.first_reply_at),
        "to_take": _hours(row.created_at, row.taken_at),
        "to_close": _hours(row.created_at, closed),
    }


def outcome_code(row: CaseRow) -> str:
    if row.status != CaseStatus.CLOSED:
        return OPEN
    return row.outcome or UNKNOWN


@dataclass
class Report:
    start: date
    end: date
    shelter_id: str | None = None  # set when the figures are one house's only
    # grouping -> group key -> outcome code (or UNKNOWN, OPEN) -> cases
    outcomes: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    placements: Counter[str] = field(default_factory=Counter)  # house placed in -> cases
    # grouping -> group key -> measure -> summary (hours)
    times: dict[str, dict[str, dict[str, Summary]]] = field(default_factory=dict)
    # care form -> stage -> applications now at that stage
    stages: dict[str, Counter[str]] = field(default_factory=dict)
    # care form -> stage (or DECISION) -> summary (days)
    stage_days: dict[str, dict[str, Summary]] = field(default_factory=dict)
    total_cases: int = 0
    total_applications: int = 0


def _group_keys(row: CaseRow, zone: tzinfo) -> dict[str, str]:
    return {
        "all": ALL,
        "house": row.shelter_id or NO_HOUSE,
        "region": row.region or NO_HOUSE,
        "month": row.created_at.astimezone(zone).strftime("%Y-%m"),
    }


def build_case_figures(report: Report, rows: Sequence[CaseRow], zone: tzinfo) -> None:
    outcomes: dict[str, dict[str, Counter[str]]] = {g: defaultdict(Counter) for g in GROUPINGS}
    values: dict[str, dict[str, dict[str, list[float]]]] = {
        g: defaultdict(lambda: {m: [] for m in MEASURES}) for g in GROUPINGS
    }
    for row in rows:
        code = outcome_code(row)
        durations = case_durations(row)
        for grouping, key in _group_keys(row, zone).items():
            outcomes[grouping][key][code] += 1
            for measure, hours in durations.items():
                if hours is not None:
                    values[grouping][key][measure].append(hours)
        if code != OPEN and row.outcome_shelter_id:
            report.placements[row.outcome_shelter_id] += 1
    report.total_cases = len(rows)
    report.outcomes = {g: dict(sorted(groups.items())) for g, groups in outcomes.items()}
    report.times = {
        g: {key: {m: Summary.of(v) for m, v in by.items()} for key, by in sorted(groups.items())}
        for g, groups in values.items()
    }


def _stage_days(row: ApplicationRow) -> dict[str, float]:
    """Days spent in each stage it has left: from entering it to entering the next one."""
    entries = dict(row.entered)
    if row.submitted_at is not None:
        entries.setdefault(ApplicationStatus.SUBMITTED, row.submitted_at)
    moments = sorted(entries.items(), key=lambda item: item[1])
    days: dict[str, float] = {}
    for (stage, at), (_next_stage, next_at) in itertools.pairwise(moments):
        if stage in TIMED_STAGES:
            days[stage] = max(0.0, (next_at - at).total_seconds() / 86400)
    decisions = (ApplicationStatus.APPROVED, ApplicationStatus.NOT_APPROVED)
    decided = [entries[s] for s in decisions if s in entries]
    if decided and row.submitted_at is not None:
        days[DECISION] = max(0.0, (min(decided) - row.submitted_at).total_seconds() / 86400)
    return days


def build_application_figures(report: Report, rows: Sequence[ApplicationRow]) -> None:
    stages: dict[str, Counter[str]] = defaultdict(Counter)
    days: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for form in (ALL, row.care_form or NO_FORM):
            stages[form][row.status] += 1
            for stage, value in _stage_days(row).items():
                days[form][stage].append(value)
    report.total_applications = len(rows)
    order = [*TIMED_STAGES, DECISION]
    report.stages = dict(sorted(stages.items(), key=lambda item: (item[0] != ALL, item[0])))
    report.stage_days = {
        form: {stage: Summary.of(days[form].get(stage, [])) for stage in order}
        for form in report.stages
    }


async def compute_report(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    start: date,
    end: date,
    zone: tzinfo = UTC,
    shelter_id: str | None = None,
) -> Report:
    """Outcomes, times and the applications pipeline for cases and applications created in
    [since, until) (`start`..`end` are the same period as local dates, for the titles).

    With `shelter_id`, only that house's cases; applications belong to no house, so a house's
    report leaves the pipeline out.
    """
    report = Report(start=start, end=end, shelter_id=shelter_id)
    cases = await case_rows(session, since=since, until=until, shelter_id=shelter_id)
    build_case_figures(report, cases, zone)
    if shelter_id is None:
        build_application_figures(report, await application_rows(session, since=since, until=until))
    return report
