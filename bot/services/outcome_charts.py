"""The outcome report for people: a short chat text for staff (Telegram HTML: every name from
a data file is escaped), and a charts page (PNG or PDF)."""

from __future__ import annotations

import io
from html import escape

from bot.services.outcome_report import ALL, MEASURES, OPEN, STAGES, Report
from bot.services.outcome_tables import Labels, outcome_columns
from bot.services.outcomes import UNKNOWN, outcome_of


def duration(hours: float, labels: Labels) -> str:
    """ "25 min", "3.5 h", "12 days": the unit a person would say."""
    if hours < 1:
        return labels("report-minutes", value=str(round(hours * 60)))
    if hours < 48:
        return labels("report-hours", value=_number(hours))
    return labels("report-days", value=_number(hours / 24))


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _mark(code: str) -> str:
    known = outcome_of(code)
    return known.emoji if known else ("❔" if code == UNKNOWN else "•")


def report_text(report: Report, labels: Labels) -> str:
    """Outcomes and times of the period as a staff chat message (figures as they are)."""
    lines = [
        labels(
            "report-text-title",
            since=f"{report.start:%d.%m.%Y}",
            until=f"{report.end:%d.%m.%Y}",
            count=report.total_cases,
        )
    ]
    overall = report.outcomes.get("all", {}).get(ALL)
    if overall:
        lines += ["", labels("report-text-outcomes")]
        for code in outcome_columns(report):
            if overall[code]:
                lines.append(f"{_mark(code)} {escape(labels.outcome(code))} — {overall[code]}")
    times = report.times.get("all", {}).get(ALL)
    if times and any(times[m].n for m in MEASURES):
        lines += ["", labels("report-text-times")]
        for measure in MEASURES:
            summary = times[measure]
            if summary.n and summary.median is not None and summary.p90 is not None:
                lines.append(
                    labels(
                        "report-text-time",
                        measure=labels.measure(measure),
                        median=duration(summary.median, labels),
                        p90=duration(summary.p90, labels),
                        count=summary.n,
                    )
                )
    for grouping, name in (("region", labels.region), ("house", labels.house)):
        groups = report.outcomes.get(grouping, {})
        if not groups:
            continue
        lines += ["", labels(f"report-text-by-{grouping}")]
        for key, counts in groups.items():
            take = report.times[grouping][key]["to_take"]
            line = labels(
                "report-text-group",
                name=escape(name(key)),
                count=sum(counts.values()),
                open=counts[OPEN],
                unknown=counts[UNKNOWN],
            )
            if take.median is not None:
                line += " · " + labels("report-text-take", median=duration(take.median, labels))
            lines.append(line)
    if report.shelter_id is None and report.total_applications:
        lines += ["", labels("report-text-applications", count=report.total_applications)]
        counts = report.stages.get(ALL, {})
        lines += [f"• {labels.stage(s)} — {counts[s]}" for s in STAGES if counts.get(s)]
    return "\n".join(lines)


def report_chart(
    report: Report, labels: Labels, threshold: int, *, file_format: str = "png"
) -> bytes:
    """One page (PNG, 1200x1400 px): outcomes, the times (median and 90th percentile) and the
    applications at each stage. A bar under the threshold is drawn empty and marked "< N"."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 14), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    outcome_axes, time_axes, stage_axes = figure.subplots(3, 1)
    figure.suptitle(
        labels(
            "report-chart-title", since=f"{report.start:%d.%m.%Y}", until=f"{report.end:%d.%m.%Y}"
        ),
        fontsize=18,
    )

    def bars(axes, names: list[str], counts: list[int], title: str, color: str) -> None:  # type: ignore[no-untyped-def]
        shown = [0 if 0 < c < threshold else c for c in counts]
        drawn = axes.barh(names[::-1], shown[::-1], color=color)
        marks = [f"< {threshold}" if 0 < c < threshold else str(c) for c in counts[::-1]]
        axes.bar_label(drawn, labels=marks, fontsize=11, padding=3)
        axes.set_title(title, fontsize=14, loc="left")
        axes.set_xlim(0, max([*shown, 1]) * 1.2)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.spines[["top", "right"]].set_visible(False)

    overall = report.outcomes.get("all", {}).get(ALL)
    codes = outcome_columns(report)
    bars(
        outcome_axes,
        [labels.outcome(c) for c in codes],
        [overall[c] if overall else 0 for c in codes],
        labels("report-chart-outcomes"),
        "#3b7dd8",
    )
    times = report.times.get("all", {}).get(ALL)
    names = [labels.measure(m) for m in MEASURES]
    medians, p90s = [], []
    for measure in MEASURES:
        summary = times[measure] if times else None
        enough = summary is not None and summary.n >= threshold and summary.median is not None
        medians.append(summary.median if enough and summary else 0)
        p90s.append(summary.p90 if enough and summary else 0)
    positions = list(range(len(MEASURES)))
    time_axes.barh(
        [p + 0.2 for p in positions],
        medians,
        height=0.4,
        color="#2f9e6e",
        label=labels("report-chart-median"),
    )
    time_axes.barh(
        [p - 0.2 for p in positions],
        p90s,
        height=0.4,
        color="#e38b2c",
        label=labels("report-chart-p90"),
    )
    time_axes.set_yticks(positions, names, fontsize=11)
    time_axes.invert_yaxis()
    time_axes.set_xlabel(labels("report-chart-hours"), fontsize=12)
    time_axes.set_title(labels("report-chart-times"), fontsize=14, loc="left")
    time_axes.legend(loc="lower right")
    time_axes.spines[["top", "right"]].set_visible(False)
    stages = report.stages.get(ALL, {})
    bars(
        stage_axes,
        [labels.stage(s) for s in STAGES],
        [stages.get(s, 0) for s in STAGES],
        labels("report-chart-stages"),
        "#8a5cc2",
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format=file_format)
    return buffer.getvalue()
