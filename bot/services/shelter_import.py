"""Importing a new directory of houses (`anabot shelters import`): validating entries read
from YAML or CSV, what the import changes, and the file written back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.services.data_files import entry_label, validate_entries
from bot.services.directory import Region, Shelter, load_regions


def validate_shelters(
    path: Path,
    raw_entries: list[Any],
    regions: Sequence[Region] | None = None,
    label: Callable[[int, Any], str] = entry_label,
) -> tuple[list[Shelter], list[str]]:
    """Validate raw entries (read from YAML or CSV) as houses; every problem, one line each."""
    region_list = list(regions) if regions is not None else load_regions()
    context = {"region_codes": frozenset(r.code for r in region_list)}
    return validate_entries(path, raw_entries, Shelter, "id", context, label)


def shelter_data(shelter: Shelter) -> dict[str, Any]:
    """A house as plain data in the file's schema: no empty optional fields."""
    data = shelter.model_dump(mode="json", exclude_none=True)
    if not data.get("phones"):
        data.pop("phones", None)
    return data


@dataclass(frozen=True)
class DirectoryChanges:
    """What an import changes, by id; `changed` maps an id to the fields that differ."""

    added: list[str]
    changed: dict[str, list[str]]
    removed: list[str]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def compare_shelters(old: Sequence[Shelter], new: Sequence[Shelter]) -> DirectoryChanges:
    """Houses added, changed (with the fields) and removed, in the order of their files."""
    before = {shelter.id: shelter_data(shelter) for shelter in old}
    after = {shelter.id: shelter_data(shelter) for shelter in new}
    changed: dict[str, list[str]] = {}
    for shelter_id, data in after.items():
        previous = before.get(shelter_id)
        if previous is not None and previous != data:
            fields = [name for name in Shelter.model_fields if previous.get(name) != data.get(name)]
            changed[shelter_id] = fields
    return DirectoryChanges(
        added=[shelter_id for shelter_id in after if shelter_id not in before],
        changed=changed,
        removed=[shelter_id for shelter_id in before if shelter_id not in after],
    )


def dump_directory(shelters: Sequence[Shelter], header: str = "") -> str:
    """The directory file's text (schema in DESIGN.md); `load_directory` reads it back."""
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    body = yaml.safe_dump(
        {"shelters": [shelter_data(shelter) for shelter in shelters]},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,  # small mappings and lists on one line, as people write them
        width=1000,
    )
    return comment + body
