"""Moot's core: data model, op log, clock, merge rules, services, local store.

Nothing here imports Qt or a network library, so the same core runs in the desktop
app, the headless CLI and the hub.
"""

from importlib.metadata import PackageNotFoundError, version


def moot_version() -> str:
    """The installed release of Moot, as ``moot --version`` and ``moot-hub --version`` say."""
    try:
        return version("moot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
