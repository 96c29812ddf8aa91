"""`anabot shelters import | list | check`, as an operator runs them."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.services.directory import SHELTERS_FILE, load_directory
from storage.db import create_engine, create_sessionmaker
from storage.models import AuditEntry, ShelterRecord
from storage.shelters import shelter_records
from tests.support.constants import DATA

# The phone numbers are the made-up test numbers of tests/data/shelters_verified.yaml
# (Karaganda's area code); never ship them.
GOOD_CSV = (
    "id,name_kk,name_ru,name_en,region,city_kk,city_ru,city_en,lat,lon,phones,verified,accepts,"
    "staff_chat_id\n"
    "astana-1,Ана үйі (Астана),Ана үйі (Астана),Ana Uyi (Astana),astana,Астана,Астана,Astana,"
    "51.169,71.449,8 (7212) 41-23-45;+7 701 555 12 34,да,pregnant;newborn;child,-1001234567890\n"
    "karaganda-1,Ана үйі (Қарағанды),Ана үйі (Караганда),,karaganda,Қарағанды,Караганда,"
    'Karaganda,"49,80","73,09",,no,pregnant,\n'
)

BAD_CSV = """\
id,name_kk,name_ru,region,city_kk,city_ru,lat,lon,phones,verified,accepts
astana-1,,Ана үйі,astana,Астана,Астана,51.169,71.449,,no,pregnant
karaganda-1,Ана үйі,Ана үйі,karaganda,Қарағанды,Караганда,73.09,49.80,,no,pregnant
atlantis-1,Ана үйі,Ана үйі,atlantis,Астана,Астана,51.1,71.4,+7 495 123 45 67,perhaps,elderly
astana-1,Ана үйі,Ана үйі,astana,Астана,Астана,51.169,71.449,,no,pregnant
"""


@pytest.fixture
def operator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A server folder with the shipped directory as SHELTERS_FILE and an empty database."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(SHELTERS_FILE, tmp_path / "data" / "shelters.yaml")
    monkeypatch.setenv("SHELTERS_FILE", str(tmp_path / "data" / "shelters.yaml"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'anabot.db'}")
    return tmp_path


def _records(folder: Path) -> tuple[list[ShelterRecord], list[AuditEntry]]:
    async def read() -> tuple[list[ShelterRecord], list[AuditEntry]]:
        engine = create_engine(f"sqlite+aiosqlite:///{folder / 'anabot.db'}")
        try:
            async with create_sessionmaker(engine)() as session:
                from sqlalchemy import select

                audits = list(await session.scalars(select(AuditEntry)))
                return await shelter_records(session), audits
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _houses_csv(operator: Path, text: str) -> Path:
    """The operator's spreadsheet export, saved as houses.csv."""
    source = operator / "houses.csv"
    source.write_text(text, encoding="utf-8")
    return source


def _shelters_file(operator: Path) -> tuple[Path, str]:
    """data/shelters.yaml, and what it says before the command."""
    target = operator / "data" / "shelters.yaml"
    return target, target.read_text(encoding="utf-8")


def test_csv_import_replaces_the_directory_keeps_a_backup_and_records_it(
    operator: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _houses_csv(operator, GOOD_CSV)
    target, before = _shelters_file(operator)

    assert main(["shelters", "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert "changed: astana-1 (name, phones, verified, accepts, staff_chat_id, source)" in out
    assert "changed: karaganda-1" not in out and "added: karaganda-1" in out
    assert "removed: almaty-1" in out
    assert "1 of 2 houses unverified" in out
    assert f"imported 2 houses into {target}" in out

    assert (operator / "data" / "shelters.yaml.bak").read_text(encoding="utf-8") == before
    directory = load_directory(target)  # the bot reads what was written
    astana = directory.shelter("astana-1")
    assert astana is not None and astana.verified and astana.show_contacts
    assert astana.phones == ["+77212412345", "+77015551234"]
    assert astana.staff_chat_id == -1001234567890
    karaganda = directory.shelter("karaganda-1")
    assert karaganda is not None and (karaganda.lat, karaganda.lon) == (49.80, 73.09)
    assert not karaganda.verified

    records, audits = _records(operator)
    assert [(r.id, r.verified, r.staff_chat_id) for r in records] == [
        ("astana-1", True, -1001234567890),
        ("karaganda-1", False, None),
    ]
    [entry] = [a for a in audits if a.action == "shelters_import"]
    assert entry.details["added"] == ["karaganda-1"]
    assert "almaty-1" in entry.details["removed"]

    assert main(["shelters", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "city", "region", "verified", "staff", "group", "phones"]
    assert table[1].split() == ["astana-1", "Астана", "astana", "yes", "-1001234567890", "2"]
    assert table[2].split() == ["karaganda-1", "Караганда", "karaganda", "no", "central", "0"]

    # The same file again changes nothing, in the file or the table.
    assert main(["shelters", "import", str(source)]) == 0
    again = capsys.readouterr().out
    assert "no changes" in again
    assert "database: 0 added, 0 changed, 0 removed" in again
    records_again, _ = _records(operator)
    assert [r.updated_at for r in records_again] == [r.updated_at for r in records]


def test_dry_run_shows_the_changes_and_writes_nothing(
    operator: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, before = _shelters_file(operator)

    assert main(["shelters", "import", str(DATA / "shelters_verified.yaml"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "added: karaganda-1" in out
    assert "removed: astana-1" in out
    assert "all houses are verified" in out
    assert "nothing was written" in out
    assert target.read_text(encoding="utf-8") == before
    assert not (operator / "data" / "shelters.yaml.bak").exists()
    assert not (operator / "anabot.db").exists()


def test_every_bad_row_and_field_is_named_and_nothing_is_written(
    operator: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _houses_csv(operator, BAD_CSV)
    target, before = _shelters_file(operator)

    assert main(["shelters", "import", str(source)]) == 1
    err = capsys.readouterr().err.splitlines()
    expected = [
        'houses.csv: row 2 (id "astana-1"): name_kk: required field is missing',
        'houses.csv: row 3 (id "karaganda-1"): lat: must be between 40 and 56 (Kazakhstan); '
        "lat and lon look swapped",
        'houses.csv: row 4 (id "atlantis-1"): region: unknown region code "atlantis"',
        'houses.csv: row 4 (id "atlantis-1"): phones[0]: "+7 495 123 45 67" is not a '
        "Kazakhstan phone number",
        'houses.csv: row 4 (id "atlantis-1"): verified:',
        'houses.csv: row 4 (id "atlantis-1"): accepts[0]: must be one of',
        'houses.csv: row 5 (id "astana-1"): id: duplicate of row 2; each id must be unique',
    ]
    for start in expected:
        assert any(line.startswith(start) for line in err), (start, err)
    assert err[-1] == f"nothing was imported: fix the lines above in {source}"
    assert target.read_text(encoding="utf-8") == before
    assert not (operator / "anabot.db").exists()


def test_unknown_column_and_yaml_mistakes(
    operator: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _houses_csv(operator, "id;name_kk;telephone\nastana-1;Ана үйі;123\n")
    assert main(["shelters", "import", str(source)]) == 1
    assert "houses.csv: unknown column 'telephone'" in capsys.readouterr().err

    assert main(["shelters", "import", str(DATA / "shelters_many_errors.yaml")]) == 1
    err = capsys.readouterr().err
    assert 'shelters_many_errors.yaml: entry 3 (id "good-1"): region: unknown region' in err
    assert 'entry 2 (id "karaganda-1"): lat: must be between 40 and 56' in err


def test_import_without_shelters_file_tells_the_operator_to_set_it(
    operator: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SHELTERS_FILE")
    shipped = SHELTERS_FILE.read_text(encoding="utf-8")
    assert main(["shelters", "import", str(DATA / "shelters_verified.yaml")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("SHELTERS_FILE is not set: add SHELTERS_FILE=data/shelters.yaml")
    assert SHELTERS_FILE.read_text(encoding="utf-8") == shipped
    assert not (operator / "anabot.db").exists()


def test_list_one_region_and_check_a_csv(
    operator: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shelters", "list", "--region", "west_kazakhstan"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [row.split()[0] for row in rows[1:-1]] == ["oral-1"]
    assert rows[-1].startswith("1 house in 1 region; 1 unverified")

    assert main(["shelters", "list", "--region", "atlantis"]) == 1
    assert "unknown region 'atlantis'" in capsys.readouterr().err

    source = _houses_csv(operator, GOOD_CSV)
    assert main(["shelters", "check", str(source)]) == 0
    assert capsys.readouterr().out.startswith("2 houses in 2 regions; 1 unverified")
