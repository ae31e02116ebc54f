"""A real headless Chromium driven by selenium, for the hub's pages: the screenshots
take their pictures with it, and the browser tests (tests/browser_support.py) drive it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",  # as root, which CI is
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class ChromiumMissing(RuntimeError):
    """What this machine lacks to run Chromium, in words that say how to get it."""


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium in a profile of its own; ChromiumMissing if there is none."""
    try:
        from selenium import webdriver
    except ImportError:
        raise ChromiumMissing("selenium is not installed (pip install -e '.[dev]')") from None
    binary = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        raise ChromiumMissing(
            "no chromium or chromedriver here (apt-get install chromium chromium-driver)"
        )
    with tempfile.TemporaryDirectory(prefix="moot-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for arg in (*CHROMIUM_ARGS, f"--user-data-dir={profile}"):
            options.add_argument(arg)
        driver = webdriver.Chrome(
            options=options, service=webdriver.ChromeService(executable_path=driver_path)
        )
        try:
            driver.set_script_timeout(60)
            driver.set_page_load_timeout(60)
            yield driver
        finally:
            driver.quit()
