"""Buttons no flow owns: a forged or stale button in a group still gets its spinner stopped."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery


async def stray_button(query: CallbackQuery) -> None:
    # Only staff buttons live in groups (the staff router takes those); anything else there was
    # forged or belongs to an old message. Nothing to do but end the spinner.
    await query.answer()


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(stray_button)
    return router
