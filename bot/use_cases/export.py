"""An export of cases and applications for a period: the tables, and the audit row it leaves."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import reports
from storage.staff import audit

Table = tuple[reports.Header, reports.Rows]


async def export_period(
    session: AsyncSession,
    actor_id: int | None,
    period: tuple[date, date],
    zone: ZoneInfo,
    *,
    personal: bool,
    **audited: Any,
) -> tuple[Table, Table]:
    """Cases and applications created from the period's first day to its last; every export
    is audited (the operator's too), personal data above all. `audited`: more to record."""
    start, end = period
    since, until = reports.period_bounds(start, end, zone)
    cases = await reports.export_rows(
        session, since=since, until=until, personal=personal, zone=zone
    )
    applications = await reports.export_application_rows(
        session, since=since, until=until, personal=personal, zone=zone
    )
    await audit(
        session,
        actor_id,
        "export",
        personal=personal,
        since=start.isoformat(),
        until=end.isoformat(),
        **audited,
    )
    return cases, applications
