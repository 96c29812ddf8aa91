"""The imported directory of houses, kept in the `shelters` table so reports can see changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ShelterRecord


@dataclass(frozen=True)
class RecordChanges:
    """Ids of the rows an import added, changed and removed."""

    added: list[str]
    changed: list[str]
    removed: list[str]


async def shelter_records(session: AsyncSession) -> list[ShelterRecord]:
    """Every recorded house, by id."""
    return list(await session.scalars(select(ShelterRecord).order_by(ShelterRecord.id)))


async def replace_shelters(
    session: AsyncSession, entries: Sequence[Mapping[str, Any]]
) -> RecordChanges:
    """Make the table hold exactly `entries` (each a house in the file's schema, with an `id`).

    A row whose entry did not change is left alone, so its `updated_at` still says when it last
    changed.
    """
    existing = {record.id: record for record in await shelter_records(session)}
    added: list[str] = []
    changed: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        shelter_id = str(entry["id"])
        seen.add(shelter_id)
        columns = {
            "region": str(entry["region"]),
            "verified": bool(entry.get("verified", False)),
            "staff_chat_id": entry.get("staff_chat_id"),
            "entry": dict(entry),
        }
        record = existing.get(shelter_id)
        if record is None:
            session.add(ShelterRecord(id=shelter_id, **columns))
            added.append(shelter_id)
        elif any(getattr(record, name) != value for name, value in columns.items()):
            for name, value in columns.items():
                setattr(record, name, value)
            changed.append(shelter_id)
    removed = [shelter_id for shelter_id in existing if shelter_id not in seen]
    for shelter_id in removed:
        await session.delete(existing[shelter_id])
    await session.flush()
    return RecordChanges(added=added, changed=changed, removed=removed)
