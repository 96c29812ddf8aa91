"""The outcome report as tables (one XLSX sheet each), a chat text and a charts page (PNG).

Small counts: in the file for the foundation, a count from 1 to threshold-1 is shown as
"< threshold" and a time computed from so few cases is not shown, so that no mother can be
recognised in a small region. The chat text for staff shows the figures as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.services.directory import Directory
from bot.services.family_forms import FamilyForm
from bot.services.outcome_report import (
    ALL,
    DECISION,
    MEASURES,
    NO_FORM,
    NO_HOUSE,
    OPEN,
    STAGES,
    Report,
    Summary,
)
from bot.services.outcomes import UNKNOWN, outcome_of, shipped_outcomes

Translator = Callable[[str, dict[str, Any]], str]
Table = tuple[list[str], list[list[object]]]
HIDDEN = "—"  # a time not shown: too few cases, or none


class Labels:
    """Names in the staff language for every code a report shows."""

    def __init__(self, t: Translator, directory: Directory, locale: str) -> None:
        self.t, self.directory, self.locale = t, directory, locale

    def __call__(self, key: str, **kwargs: Any) -> str:
        return self.t(key, kwargs)

    def outcome(self, code: str) -> str:
        if code in (UNKNOWN, OPEN):
            return self(f"report-outcome-{code}")
        known = outcome_of(code)
        return known.label.get(self.locale) if known else code  # a code taken out of the list

    def house(self, shelter_id: str) -> str:
        if shelter_id == ALL:
            return self("report-all")
        shelter = self.directory.shelter(shelter_id) if shelter_id != NO_HOUSE else None
        if shelter is None:
            return self("report-no-house") if shelter_id == NO_HOUSE else shelter_id
        return shelter.name.get(self.locale)

    def region(self, code: str) -> str:
        if code == ALL:
            return self("report-all")
        if code == NO_HOUSE:
            return self("stats-region-unknown")
        try:
            return self.directory.region(code).name.get(self.locale)
        except KeyError:
            return code

    def month(self, key: str) -> str:
        return self("report-all") if key == ALL else key

    def measure(self, measure: str) -> str:
        return self(f"report-measure-{measure.replace('_', '-')}")

    def stage(self, stage: str) -> str:
        if stage == DECISION:
            return self("report-stage-decision")
        return self("stats-application-status-name", status=str(stage))

    def care_form(self, form: str) -> str:
        if form == ALL:
            return self("report-all")
        if form in set(FamilyForm):
            return self(f"app-option-care-form-{form}")
        return self("report-no-form") if form == NO_FORM else form


def small(count: int, threshold: int) -> object:
    """A count as the file shows it: 0 and counts from the threshold up as they are."""
    return f"< {threshold}" if 0 < count < threshold else count


def _rounded(value: float | None) -> float | str:
    return HIDDEN if value is None else round(value, 2)


def _summary_cells(summary: Summary, threshold: int) -> list[object]:
    if summary.n == 0 or summary.n < threshold:
        return [small(summary.n, threshold), HIDDEN, HIDDEN]
    return [summary.n, _rounded(summary.median), _rounded(summary.p90)]


def outcome_columns(report: Report) -> list[str]:
    seen = {code for groups in report.outcomes.values() for c in groups.values() for code in c}
    listed = [o.code for o in shipped_outcomes()]
    extra = sorted(seen - set(listed) - {UNKNOWN, OPEN})
    return [*listed, *extra, UNKNOWN, OPEN]


def _outcome_rows(
    report: Report, grouping: str, name: Callable[[str], str], columns: list[str], threshold: int
) -> list[list[object]]:
    rows: list[list[object]] = []
    groups = {ALL: report.outcomes.get("all", {}).get(ALL), **report.outcomes.get(grouping, {})}
    for key, counts in groups.items():
        if counts is None:
            continue
        cells = [small(counts[code], threshold) for code in columns]
        rows.append([name(key), *cells, small(sum(counts.values()), threshold)])
    return rows


def _times_table(
    report: Report, grouping: str, name: Callable[[str], str], threshold: int, header: list[str]
) -> Table:
    rows: list[list[object]] = []
    groups = {ALL: report.times.get("all", {}).get(ALL), **report.times.get(grouping, {})}
    for key, by_measure in groups.items():
        if by_measure is None:
            continue
        cells: list[object] = [name(key)]
        for measure in MEASURES:
            cells += _summary_cells(by_measure[measure], threshold)
        rows.append(cells)
    return header, rows


def report_tables(report: Report, labels: Labels, threshold: int) -> dict[str, Table]:
    """Every table of the report, by sheet name; counts only, small ones hidden."""
    tables: dict[str, Table] = {}
    total = labels("report-col-total")
    tables["summary"] = (
        [labels("report-col-item"), labels("report-col-value")],
        [
            [labels("report-summary-period"), f"{report.start:%d.%m.%Y} – {report.end:%d.%m.%Y}"],
            [labels("report-summary-cases"), small(report.total_cases, threshold)],
            [labels("report-summary-applications"), small(report.total_applications, threshold)],
            [labels("report-summary-threshold", threshold=threshold), ""],
            [labels("report-note-times"), ""],
            [labels("report-note-percentile"), ""],
            [labels("report-note-stages"), ""],
        ],
    )
    groupings = (
        ("region", labels.region, "report-col-region"),
        ("house", labels.house, "report-col-house"),
        ("month", labels.month, "report-col-month"),
    )
    columns = outcome_columns(report)
    names = [labels.outcome(code) for code in columns]
    for grouping, name, header_key in groupings:
        rows = _outcome_rows(report, grouping, name, columns, threshold)
        tables[f"outcomes_by_{grouping}"] = ([labels(header_key), *names, total], rows)
    tables["placements"] = (
        [labels("report-col-house"), labels("report-col-cases")],
        [
            [labels.house(house), small(count, threshold)]
            for house, count in sorted(report.placements.items())
        ],
    )
    for grouping, name, header_key in groupings:
        header = [labels(header_key)]
        for measure in MEASURES:
            what = labels.measure(measure)
            header += [
                labels("report-col-n", measure=what),
                labels("report-col-median-hours", measure=what),
                labels("report-col-p90-hours", measure=what),
            ]
        tables[f"times_by_{grouping}"] = _times_table(report, grouping, name, threshold, header)
    if report.shelter_id is None:
        tables.update(_application_tables(report, labels, threshold))
    return tables


def _application_tables(report: Report, labels: Labels, threshold: int) -> dict[str, Table]:
    forms = list(report.stages) or [ALL]
    stage_rows = []
    for form in forms:
        counts = report.stages.get(form, {})
        cells = [small(counts.get(stage, 0), threshold) for stage in STAGES]
        stage_rows.append([labels.care_form(form), *cells, small(sum(counts.values()), threshold)])
    header = [labels("report-col-care-form"), *(labels.stage(s) for s in STAGES)]
    day_rows = []
    for form in forms:
        for stage, summary in report.stage_days.get(form, {}).items():
            cells = _summary_cells(summary, threshold)
            day_rows.append([labels.care_form(form), labels.stage(stage), *cells])
    return {
        "applications": ([*header, labels("report-col-total")], stage_rows),
        "application_days": (
            [
                labels("report-col-care-form"),
                labels("report-col-stage"),
                labels("report-col-cases"),
                labels("report-col-median-days"),
                labels("report-col-p90-days"),
            ],
            day_rows,
        ),
    }
