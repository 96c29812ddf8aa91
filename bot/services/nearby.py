"""Which houses are nearest to a point: a grid of cells searched nearest cell first.

Pure Python on purpose: numpy was imported for this alone on the bot's path (14 MB resident of
a bot whose aim is the echo bot's + 40 MB, issue 16), and a brute-force pass in Python over
10,000 houses takes milliseconds. Here the houses are kept in 1-degree cells; cells are visited
in the order of a lower bound of their distance, and the search stops when the next cell cannot
hold a house as near as the limit-th found. Inside a cell, houses are compared by the squared
chord between unit vectors (a few multiplications, the same order as the great-circle
distance); only the winners get their haversine distance. A country-wide directory of 10,000
houses answers in well under 1 ms at p99 (`python -m bench.nearest`), the shipped eleven in
microseconds, with one code path for both.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

from bot.services.shelters import Shelter, haversine_km

CELL_DEGREES = 1.0  # about 111 km north-south: tens of cells for a country, a few visited
# Candidates within this relative margin of the limit-th are kept and decided by haversine and
# id, so rounding in the chord never changes the answer a plain sort of every house gives.
MARGIN = 1e-9


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lmb = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lmb), math.cos(phi) * math.sin(lmb), math.sin(phi)


class _Cell:
    """One cell's box (degrees) and its houses as (x, y, z, house) on the unit sphere."""

    __slots__ = ("cos_far", "lat_hi", "lat_lo", "lon_hi", "lon_lo", "points")

    def __init__(self, row: int, column: int) -> None:
        self.lat_lo, self.lat_hi = row * CELL_DEGREES, (row + 1) * CELL_DEGREES
        self.lon_lo, self.lon_hi = column * CELL_DEGREES, (column + 1) * CELL_DEGREES
        # The smallest cosine of a latitude in the cell: the narrowest a degree of longitude gets.
        self.cos_far = math.cos(math.radians(min(90.0, max(abs(self.lat_lo), abs(self.lat_hi)))))
        self.points: list[tuple[float, float, float, Shelter]] = []

    def bound(self, lat: float, lon: float, cos_lat: float) -> float:
        """A lower bound of the squared chord from the point to any point of the cell.

        The great-circle angle is at least the difference of latitudes, and (haversine:
        a >= cos(phi1) cos(phi2) sin^2(dlon / 2)) at least 2 asin(s), s = sqrt(cos(phi1)
        cos_far) sin(dlon / 2), with longitudes compared the short way round. A chord is
        2 sin(angle / 2): 2 sin(dlat / 2) and 2 s.
        """
        dlat = max(0.0, self.lat_lo - lat, lat - self.lat_hi)
        if self.lon_lo <= lon <= self.lon_hi:
            dlon = 0.0
        else:
            dlon = min((self.lon_lo - lon) % 360.0, (lon - self.lon_hi) % 360.0)
        by_lat = math.sin(math.radians(dlat) / 2)
        by_lon = math.sqrt(max(0.0, cos_lat * self.cos_far)) * math.sin(math.radians(dlon) / 2)
        return 4 * max(by_lat, by_lon) ** 2


class HouseGrid:
    """The houses of a directory in cells, for `nearest`."""

    def __init__(self, shelters: Iterable[Shelter]) -> None:
        cells: dict[tuple[int, int], _Cell] = {}
        for shelter in shelters:
            key = (math.floor(shelter.lat / CELL_DEGREES), math.floor(shelter.lon / CELL_DEGREES))
            if key not in cells:
                cells[key] = _Cell(*key)
            cells[key].points.append((*_unit(shelter.lat, shelter.lon), shelter))
        self._cells = list(cells.values())

    def nearest(self, lat: float, lon: float, limit: int) -> list[tuple[Shelter, float]]:
        """Up to `limit` houses with their distance in km, nearest first; the id breaks ties."""
        if limit <= 0 or not self._cells:
            return []
        qx, qy, qz = _unit(lat, lon)
        cos_lat = math.cos(math.radians(lat))
        order = [(cell.bound(lat, lon, cos_lat), i) for i, cell in enumerate(self._cells)]
        heapq.heapify(order)
        found: list[tuple[float, Shelter]] = []
        cut = math.inf  # the squared chord of the limit-th found, with the margin
        while order and order[0][0] <= cut:
            _, i = heapq.heappop(order)
            for x, y, z, shelter in self._cells[i].points:
                chord2 = (x - qx) ** 2 + (y - qy) ** 2 + (z - qz) ** 2
                if chord2 <= cut:
                    found.append((chord2, shelter))
            if len(found) >= limit:
                found.sort(key=lambda pair: pair[0])
                cut = found[limit - 1][0] * (1 + MARGIN) + 1e-18
                found = [pair for pair in found if pair[0] <= cut]
        ranked = sorted(
            ((shelter, haversine_km(lat, lon, shelter.lat, shelter.lon)) for _, shelter in found),
            key=lambda pair: (pair[1], pair[0].id),
        )
        return ranked[:limit]
