"""The ids the in-process tests share: the `settings` fixture's token, staff group and admin."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TOKEN = "123456:TEST-token"
STAFF_CHAT = -1001000000001
ADMIN = 900001
