"""Fixtures shared by every test package: fresh profiles in temporary folders, and a
headless browser for the hub's pages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, settings

from app.store import Store, open_store

# Tests never touch the OS keyring of the machine they run on.
os.environ["MOOT_KEYRING"] = "0"

# HYPOTHESIS_PROFILE=explore finds failures without the slow shrinking phase.
settings.register_profile("explore", phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    """Open a new profile (one laptop) per name, each in its own folder."""
    stores: list[Store] = []

    def make(name: str = "laptop") -> Store:
        store = open_store(tmp_path / name, use_keyring=False)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def store(make_store: Callable[[str], Store]) -> Store:
    return make_store("laptop")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium with selenium, one per test module (tests/browser_support.py)."""
    from tests.browser_support import chromium

    with chromium() as driver:
        yield driver
