"""Random work on three laptops, synced through a real hub in random order, converges.

Each example is a new group on one hub process. Laptops make random edits (the same
ones the merge property test makes) and sync at random moments; at the end each syncs
until nothing is left to send, and every laptop, and a fresh laptop that joins then,
holds the same group, with no reply or note line lost.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.dump import dump
from app.errors import MootError
from app.store import open_store
from sync import hubs
from sync.engine import sync_group
from tests.app.test_convergence import World, _act, _check
from tests.hubs import create_group, make_invite, sqlite_hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as hub:
        yield hub


@settings(
    max_examples=int(os.environ.get("MOOT_HUB_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    steps=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 11)), min_size=5, max_size=30),
)
def test_laptops_syncing_through_a_hub_converge(
    hub: tuple[str, str], seed: int, steps: list[tuple[int, int]]
) -> None:
    url, db = hub
    rnd = random.Random(seed)
    group = create_group(db, f"Group {seed}")
    code = make_invite(db, group, role="organiser", uses=4)
    with tempfile.TemporaryDirectory() as tmp:
        stores = [open_store(Path(tmp) / f"r{i}", use_keyring=False) for i in range(3)]
        try:
            for store in stores:
                hubs.join_hub(store=store, hub_url=url, code=code)
            world = World(stores, group, rnd)
            for who, action in steps:
                store = stores[who]
                if action >= 10:
                    sync_group(store, group)
                    continue
                with contextlib.suppress(MootError):  # a refusal writes nothing
                    _act(world, store, action)
            for _ in range(2):
                for store in stores:
                    sync_group(store, group)
            _check(world)
            late = open_store(Path(tmp) / "late", use_keyring=False)
            stores.append(late)
            hubs.join_hub(store=late, hub_url=url, code=code)
            # The newcomer's own admission is the one op the others have not pulled yet.
            for store in stores[:3]:
                sync_group(store, group)
            assert dump(store=late, group_id=group) == dump(store=stores[0], group_id=group)
        finally:
            for store in stores:
                store.close()
