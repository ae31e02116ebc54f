"""``moot --smoke-test`` starts the real window, says what it opened, and quits."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from ui.main import _window_args

REPO = Path(__file__).resolve().parents[2]


def _moot(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOOT_KEYRING": "0"}
    return subprocess.run(
        [sys.executable, "-m", "ui.main", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_the_smoke_test_opens_the_sample_group_and_quits(tmp_path: Path) -> None:
    release = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    done = _moot("--demo", "--smoke-test", "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Moot {release} started: 1 group in {tmp_path / 'demo'}"


def test_the_smoke_test_fails_with_the_reason_when_the_profile_cannot_open(
    tmp_path: Path,
) -> None:
    not_a_folder = tmp_path / "profile"
    not_a_folder.write_text("")
    done = _moot("--smoke-test", "--data-dir", str(not_a_folder))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Moot did not start: the profile could not be opened" in done.stderr


def test_the_smoke_test_is_an_option_of_the_window() -> None:
    parsed = _window_args(["--demo", "--smoke-test"])
    assert parsed is not None
    assert parsed.smoke_test
