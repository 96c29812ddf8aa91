"""A person's message passed on to the staff: kept with her case, then copied into its thread."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.use_cases.desk import Desk
from bot.workspace.alerts import Relayed, relay_to_staff
from storage.cases import keep_message
from storage.models import Case


async def pass_on(
    bot: Bot,
    db: AsyncSession,
    desk: Desk,
    case: Case,
    message: Message,
    content: dict[str, Any],
) -> Relayed:
    link = await keep_message(
        db,
        case,
        user_chat_id=message.chat.id,
        user_message_id=message.message_id,
        kind=message.content_type,
        content=content,
    )
    return await relay_to_staff(
        bot,
        db,
        message,
        case,
        link,
        desk.workspace,
    )
