"""Real headless Chromium for the hub's pages, with axe-core to check them.

The ``browser`` fixture (tests/conftest.py) starts one Chromium per test module; it
skips, saying why, where selenium, Chromium, chromedriver or axe-core is missing
(axe-core: ``npm ci`` in tests/browser).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

from bench.chromium import ChromiumMissing
from bench.chromium import chromium as browser

AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA (as axe tags its rules) and axe's best practices.
STANDARDS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN_AXE = """
const STANDARDS = arguments[0];
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: {type: "tag", values: STANDARDS},
  resultTypes: ["violations"],
}).then(
  (r) => done(r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.html + " :: " + n.failureSummary),
  }))),
  (e) => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]),
);
"""


def _skip(reason: str) -> NoReturn:
    print(f"skipped: {reason}")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium driven by selenium (``bench.chromium``); skips, saying why, if
    this machine lacks it or axe-core.
    """
    if not AXE.exists():
        _skip("axe-core is not installed (npm ci in tests/browser)")
    try:
        with browser() as driver:
            yield driver
    except ChromiumMissing as missing:
        _skip(str(missing))


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """What axe-core finds wrong with the page the browser shows, each printed."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = driver.execute_async_script(RUN_AXE, STANDARDS)
    for v in violations:
        print(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            print(f"    {node}")
    return violations


def wait_until_gone(driver: Any, element: Any, timeout: float = 30) -> None:
    """Wait until the page holding ``element`` is replaced by the next one.

    Chromium, mid-navigation, may answer a question about the old node with an inspector
    error instead of a stale reference: that node is gone too.
    """
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    def gone(_driver: Any) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    WebDriverWait(driver, timeout).until(gone)
