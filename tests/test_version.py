"""Both commands say which release they are, as the package's metadata records it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("module", "name"), [("ui.main", "moot"), ("sync.hub.cli", "moot-hub")])
def test_version_names_the_release_in_pyproject(module: str, name: str) -> None:
    release = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    done = subprocess.run(
        [sys.executable, "-m", module, "--version"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, f"{name} {release}", "")
