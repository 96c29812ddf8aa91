"""Counting sends in sliding windows, for the tests of Telegram's limits."""

from __future__ import annotations


def max_in_window(times: list[float], window: float) -> int:
    """The most events in any closed interval of length `window`."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return best
