"""The grid behind `Directory.nearest` answers exactly as a sort of every house would, anywhere
on Earth: a mother may share a location far from Kazakhstan, across the antimeridian or near a
pole, and a cell's bound that overestimated would drop the nearest house."""

from __future__ import annotations

import functools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.nearby import HouseGrid
from bot.services.shelters import Shelter, haversine_km


def _house(i: int, lat: float, lon: float) -> Shelter:
    return Shelter.model_construct(id=f"h{i:04d}", lat=lat, lon=lon)


@functools.cache
def _world() -> tuple[list[Shelter], HouseGrid]:
    rng = random.Random(5)
    houses = [_house(i, rng.uniform(-89.9, 89.9), rng.uniform(-180, 180)) for i in range(600)]
    # Clusters on both sides of the antimeridian and by the poles, two houses at one point.
    houses += [_house(600 + i, rng.uniform(-10, 10), 179.5 + rng.random()) for i in range(30)]
    houses += [_house(700 + i, rng.uniform(-10, 10), -180 + rng.random()) for i in range(30)]
    houses += [_house(800 + i, 89.0 + rng.random(), rng.uniform(-180, 180)) for i in range(20)]
    houses += [_house(900, 43.25, 76.95), _house(901, 43.25, 76.95)]
    return houses, HouseGrid(houses)


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(min_value=-90.0, max_value=90.0),
    lon=st.floats(min_value=-180.0, max_value=180.0),
    limit=st.integers(min_value=1, max_value=6),
)
def test_the_grid_gives_what_sorting_every_house_gives(lat: float, lon: float, limit: int) -> None:
    houses, grid = _world()
    expected = sorted(
        ((s, haversine_km(lat, lon, s.lat, s.lon)) for s in houses),
        key=lambda pair: (pair[1], pair[0].id),
    )[:limit]
    got = grid.nearest(lat, lon, limit)
    assert [s.id for s, _ in got] == [s.id for s, _ in expected]
    assert [km for _, km in got] == [km for _, km in expected]


def test_houses_at_one_point_come_in_id_order_and_a_large_limit_gives_every_house() -> None:
    houses, grid = _world()
    assert [s.id for s, _ in grid.nearest(43.25, 76.95, 2)] == ["h0900", "h0901"]
    assert len(grid.nearest(0.0, 0.0, len(houses) + 5)) == len(houses)
    assert grid.nearest(0.0, 0.0, 0) == [] and HouseGrid([]).nearest(0.0, 0.0, 3) == []
