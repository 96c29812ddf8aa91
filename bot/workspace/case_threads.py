"""Each case's thread in the staff group: a forum topic, or replies to the card in a plain group."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import CopyMessage, SendDocument, SendMessage
from aiogram.types import Message, ReplyParameters
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.directory import Directory
from bot.workspace.cards import StaffTexts, card_keyboard, case_card
from storage.coordination import Coordination
from storage.models import Case, MessageLink, StaffPost

log = logging.getLogger(__name__)

# A message for a case's thread: Workspace.send places it (its topic, or a reply to the card).
ThreadPost = SendMessage | CopyMessage | SendDocument


def _reply(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True)


def _thread_gone(error: TelegramBadRequest) -> bool:
    return "thread not found" in error.message.lower() or "topic_deleted" in error.message.lower()


class CaseThreads:
    """Knows which staff groups are forums and creates each case's topic exactly once.

    One per process (dispatcher data). The lock per case (in Redis when several instances run)
    keeps two messages arriving together from creating two topics; the row is committed
    before the lock is released.
    """

    def __init__(self, coordination: Coordination | None = None) -> None:
        self._forum: dict[int, bool] = {}
        self._coordination = coordination or Coordination()

    async def is_forum(self, bot: Bot, chat_id: int) -> bool:
        if chat_id not in self._forum:
            chat = await bot.get_chat(chat_id)
            self._forum[chat_id] = bool(chat.is_forum)
        return self._forum[chat_id]

    async def topic(
        self, bot: Bot, db: AsyncSession, case: Case, t: StaffTexts, gone: int | None = None
    ) -> int | None:
        """The case's topic, created if it has none yet (or only `gone`, a deleted one)."""
        if case.staff_chat_id is None or not await self.is_forum(bot, case.staff_chat_id):
            return None
        if case.thread_id is not None and case.thread_id != gone:
            return case.thread_id  # made already: nothing to lock
        # Commit before waiting for the lock: a write held while waiting deadlocks against the
        # lock's holder, who must write the topic's id (SQLite has one writer; it took the
        # 30 s busy timeout to break, stalling every update, when a relayed message met a card
        # being posted for the same case).
        await db.commit()
        async with self._coordination.lock(f"topic:{case.id}"):
            await db.refresh(case, ["thread_id"])
            if case.thread_id is None or case.thread_id == gone:
                name = t("staff-topic-name", case=case.id, kind=t(f"staff-kind-{case.kind}"))
                topic = await bot.create_forum_topic(case.staff_chat_id, name=name[:128])
                case.thread_id = topic.message_thread_id
                await db.commit()
        return case.thread_id


@dataclass(frozen=True)
class Workspace:
    """What every post into a case's thread needs, so it travels as one: the directory (the
    card names the house), the case threads (topics) and the staff's texts."""

    directory: Directory
    threads: CaseThreads
    texts: StaffTexts

    async def post_card(
        self, bot: Bot, db: AsyncSession, case: Case, gone: int | None = None
    ) -> Message:
        """The card opens the case's thread (in its topic, when the group is a forum)."""
        thread = await self.threads.topic(bot, db, case, self.texts, gone)
        assert case.staff_chat_id is not None
        try:
            card = await bot.send_message(
                case.staff_chat_id,
                case_card(case, self.directory, self.texts),
                message_thread_id=thread,
                reply_markup=card_keyboard(case, self.texts),
            )
        except TelegramBadRequest as error:
            if not _thread_gone(error) or thread is None or thread == gone:
                raise
            return await self.post_card(bot, db, case, gone=thread)
        case.card_message_id = card.message_id
        # At once, not with the update's next commit: a crash in between would post the card
        # again on the replay (the card is there, its id is not).
        await db.commit()
        return card

    async def post(
        self, bot: Bot, db: AsyncSession, case: Case, text: str, reply_to: int | None = None
    ) -> int:
        """Post a text into the case's thread; raises if Telegram refuses (follow-ups retry)."""
        message = SendMessage(chat_id=case.staff_chat_id or 0, text=text)
        return await self.send(bot, db, case, message, reply_to)

    async def send(
        self, bot: Bot, db: AsyncSession, case: Case, post: ThreadPost, reply_to: int | None = None
    ) -> int:
        """Send `post` into the case's thread (as a reply to `reply_to` if given); returns the
        message's id. A deleted topic is made again, with the card and a summary of the
        history, and the message is sent there: nothing is lost."""

        async def place(thread: int | None) -> int:
            reply = reply_to or (None if thread else case.card_message_id)
            placed = post.model_copy(
                update={"message_thread_id": thread, "reply_parameters": _reply(reply)}
            )
            return (await bot(placed)).message_id

        thread = await self.threads.topic(bot, db, case, self.texts)
        try:
            return await place(thread)
        except TelegramBadRequest as error:
            if not _thread_gone(error):
                raise
        log.info("case %s: its topic was deleted; making it again", case.id)
        await self.post_card(bot, db, case, gone=thread)
        summary = await history_summary(db, case, self.texts)
        if summary:
            sent = await bot.send_message(
                case.staff_chat_id or 0, summary, message_thread_id=case.thread_id
            )
            # Her words again: recorded, so /forget and the purge find this message too.
            db.add(
                StaffPost(
                    case_id=case.id,
                    chat_id=sent.chat.id,
                    message_id=sent.message_id,
                    kind="summary",
                )
            )
        return await place(case.thread_id)


async def history_summary(db: AsyncSession, case: Case, t: StaffTexts, limit: int = 10) -> str:
    links = list(
        await db.scalars(
            select(MessageLink)
            .where(MessageLink.case_id == case.id)
            .order_by(MessageLink.id.desc())
            .limit(limit)
        )
    )
    if not links:
        return ""
    lines = [t("staff-topic-recreated", count=len(links))]
    for link in reversed(links):
        who = t("staff-history-staff") if link.from_staff else t("staff-history-person")
        if link.internal:
            who = t("staff-history-note")
        body = link.content.get("text") or link.content.get("caption") or f"[{link.kind}]"
        lines.append(f"• {who}: {escape(str(body)[:200])}")
    return "\n".join(lines)
