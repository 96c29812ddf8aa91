"""/stats's second message: outcomes and times of the period, as a chart with its text."""

from __future__ import annotations

from datetime import date

from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.directory import Directory
from bot.services.outcome_charts import report_chart, report_text
from bot.services.outcome_report import compute_report
from bot.services.outcome_tables import Labels
from bot.services.reports import period_bounds
from bot.workspace.cards import StaffTexts

CAPTION = 1024  # Telegram's limit on a photo's caption


async def reply_outcomes(
    message: Message,
    db: AsyncSession,
    t: StaffTexts,
    period: tuple[date, date],
    *,
    settings: Settings,
    directory: Directory,
    shelter_id: str | None = None,
) -> None:
    """Outcomes and times for staff: figures as they are (staff see the cases anyway).

    `shelter_id` limits them to one house's cases: the permission model passes it for house
    staff, who must not see other houses' figures.
    """
    since, until = period_bounds(*period, settings.tz)
    report = await compute_report(
        db,
        since=since,
        until=until,
        start=period[0],
        end=period[1],
        zone=settings.tz,
        shelter_id=shelter_id,
    )
    labels = Labels(lambda key, args: t(key, **args), directory, t.locale)
    text = report_text(report, labels)
    chart = report_chart(report, labels, threshold=1)
    if len(text) <= CAPTION:
        await message.reply_photo(BufferedInputFile(chart, "outcomes.png"), caption=text)
        return
    await message.reply_photo(BufferedInputFile(chart, "outcomes.png"))
    await message.reply(text)
