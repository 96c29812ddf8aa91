"""`make demo` in a real terminal (a pty): the demo plays and quits cleanly."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.support.constants import ROOT


def _strip_ansi(raw: bytes) -> str:
    return re.sub(
        r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\r", "", raw.decode(errors="replace")
    )


def test_make_demo_in_a_real_terminal_plays_and_quits_cleanly(tmp_path: Path) -> None:
    """`anabot demo` on a pseudo-terminal, as `make demo` runs it: the role picker, the mother's
    menu, a tap, the switch to staff, and /quit, with no traceback."""
    leader, follower = pty.openpty()
    # A terminal of 40 rows and 120 columns, so prompt-toolkit has a bottom to draw its bar on.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--lang", "en"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=tmp_path,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""

    def until(fragment: str, within: float = 60) -> str:
        nonlocal seen
        deadline = time.monotonic() + within
        while fragment not in _strip_ansi(seen):
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {fragment!r}:\n{_strip_ansi(seen)[-2000:]}"
            ready, _, _ = select.select([leader], [], [], left)  # wait for output, not a sleep
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the demo closed the terminal
                    break
                seen += chunk
                # Answer "where is the cursor?" as a terminal does (mid-screen): prompt-toolkit
                # draws its bottom bar only once it knows.
                for _ in range(chunk.count(b"\x1b[6n")):
                    os.write(leader, b"\x1b[20;1R")
        return _strip_ansi(seen)

    try:
        until("Who do you play?")
        os.write(leader, b"1\r")
        screen = until("you play: mother")  # the bottom bar of the prompt
        assert "Emergency" in until("Emergency numbers")
        number = re.search(r"\[(\d+)\] 🆘 Emergency numbers", until("🆘 Emergency numbers"))
        assert number is not None, screen[-1500:]
        os.write(leader, number.group(1).encode() + b"\r")
        until("112")
        os.write(leader, b"/as staff\r")
        until("now you play a staff member")
        os.write(leader, b"/quit\r")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert "Traceback" not in _strip_ansi(seen)
