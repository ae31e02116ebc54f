"""The benchmark stays runnable: a small run prints its figures and finds its state sound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_small_apply_benchmark_runs_and_reports() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.apply_bench", "--ops", "600", "--devices", "4",
         "--batch", "200", "--replies", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "ops/s" in run.stdout
    assert "apply/raw" in run.stdout
    assert "median" in run.stdout


def test_a_small_hub_benchmark_runs_and_reports() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.hub_bench", "--ops", "600", "--devices", "4",
         "--laptops", "5", "--rounds", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "bootstrap" in run.stdout
    assert "p99" in run.stdout


def test_a_small_window_benchmark_runs_and_reports(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.ui_bench", "--posts", "200", "--ops", "300",
         "--runs", "1", "--cache", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "start-up on a profile" in run.stdout
    assert "RSS" in run.stdout
    assert "max gap" in run.stdout


def test_a_small_papers_benchmark_runs_and_reports() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.papers_bench", "--items", "6", "--words", "200",
         "--runs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "minutes PDF, median of 1" in run.stdout
    assert "one-paragraph PDF" in run.stdout


def test_a_small_meetings_benchmark_runs_and_reports() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.meetings_bench", "--ops", "600", "--devices", "4",
         "--items", "8", "--words", "200", "--runs", "2", "--pdf-runs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "open the meeting" in run.stdout
    assert "minutes to PDF" in run.stdout


def test_a_small_overview_benchmark_runs_and_reports() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.overview_bench", "--ops", "600", "--devices", "4",
         "--runs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "open the Overview place (read and drawn), median" in run.stdout
    assert "overview/raw" in run.stdout
