"""The outcome question asked again in a case's thread, when staff said "not known yet"."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.methods import SendMessage
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.outcomes import outcome_of
from bot.workspace.case_threads import Workspace
from bot.workspace.outcomes import outcome_keyboard, outcome_label
from storage.models import Case, CaseStatus


async def ask_outcome_again(
    bot: Bot,
    session: AsyncSession,
    case: Case,
    payload: dict[str, Any],
    workspace: Workspace,
) -> None:
    """An outcome "not known yet" (the follow-up row): the question again in the case's thread,
    with the list. Silent when the case was reopened or its outcome changed since."""
    outcome = outcome_of(case.outcome)
    if case.status != CaseStatus.CLOSED or outcome is None or not outcome.ask_again:
        return
    if case.outcome_at is None or case.outcome_at.isoformat() != payload.get("given_at"):
        return
    t = workspace.texts
    text = t(
        "staff-outcome-ask-again",
        case=case.id,
        outcome=outcome_label(case, workspace.directory, t.locale),
    )
    question = SendMessage(
        chat_id=case.staff_chat_id or 0, text=text, reply_markup=outcome_keyboard(case, t.locale)
    )
    await workspace.send(bot, session, case, question)
