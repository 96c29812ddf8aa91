"""The mother's handoff: what she told the bot becomes one case for the right staff group."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.directory import Directory
from storage.cases import create_case_once
from storage.models import Case, CaseKind, Urgency, utcnow

# Kazakhstan's outline, roughly: beyond this box a location is surely abroad.
_KZ_LAT = (40.5, 55.5)
_KZ_LON = (46.4, 87.4)


class Safety(enum.StrEnum):
    DANGER = "danger"
    NO_SHELTER = "no_shelter"
    SAFE = "safe"


class ContactWay(enum.StrEnum):
    CALL = "call"
    MESSAGE = "message"
    WRITE_ONLY = "write_only"


class ContactTime(enum.StrEnum):
    ANY = "any"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


def is_outside_kazakhstan(lat: float, lon: float) -> bool:
    return not (_KZ_LAT[0] <= lat <= _KZ_LAT[1] and _KZ_LON[0] <= lon <= _KZ_LON[1])


def urgency_for(safety: str | None, *, danger_words: bool) -> Urgency:
    """Danger, a night with nowhere to sleep, or danger words anywhere make a case urgent."""
    if danger_words or safety in (Safety.DANGER, Safety.NO_SHELTER):
        return Urgency.URGENT
    return Urgency.NORMAL


@dataclass(frozen=True)
class Handoff:
    """Everything the mother agreed to pass to staff, gathered step by step in the flow."""

    user_id: int
    flow_id: str
    kind: CaseKind
    safety: str | None
    urgent_words: bool
    region: str | None
    shelter_id: str | None
    phone: str
    way: str
    time: str
    shared_phone: bool
    note: str | None
    language: str
    referral_source: str | None

    @classmethod
    def from_flow(
        cls, user_id: int, flow: dict[str, Any], *, language: str, referral_source: str | None
    ) -> Handoff:
        return cls(
            user_id=user_id,
            flow_id=str(flow["flow_id"]),
            kind=CaseKind(flow.get("kind", CaseKind.OTHER)),
            safety=flow.get("safety"),
            urgent_words=bool(flow.get("danger_words")),
            region=flow.get("region"),
            shelter_id=flow.get("shelter_id"),
            phone=str(flow["phone"]),
            way=str(flow.get("way", ContactWay.CALL)),
            time=str(flow.get("time", ContactTime.ANY)),
            shared_phone=bool(flow.get("shared")),
            note=flow.get("note"),
            language=language,
            referral_source=referral_source,
        )

    @property
    def urgency(self) -> Urgency:
        return urgency_for(self.safety, danger_words=self.urgent_words)


async def open_case(session: AsyncSession, handoff: Handoff) -> tuple[Case, bool]:
    """Create the case once per handoff: a double tap or a retried update finds the same case."""
    return await create_case_once(
        session,
        f"mother:{handoff.user_id}:{handoff.flow_id}",
        user_id=handoff.user_id,
        kind=handoff.kind,
        urgency=handoff.urgency,
        region=handoff.region,
        shelter_id=handoff.shelter_id,
        triage={"safety": handoff.safety, "danger_words": handoff.urgent_words},
        note=handoff.note,
        phone=handoff.phone,
        contact_way=handoff.way,
        contact_time=handoff.time,
        shared_phone=handoff.shared_phone,
        consent_at=utcnow(),
        language=handoff.language,
        referral_source=handoff.referral_source,
    )


def staff_chat_for(directory: Directory, shelter_id: str | None, central_chat_id: int) -> int:
    """The nearest house's own staff group if it has one, else the central group."""
    shelter = directory.shelter(shelter_id) if shelter_id else None
    if shelter is not None and shelter.staff_chat_id is not None:
        return shelter.staff_chat_id
    return central_chat_id
