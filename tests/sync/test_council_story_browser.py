"""A consultation from end to end, as its people do it: an officer in a real browser, a
clerk at a laptop's command line, a real hub on loopback between them.

The officer sets a password from the link an administrator printed, signs in, writes a
consultation and publishes it to the parish; the clerk's laptop syncs, finds it in the
group's discussions, answers both questions and submits the group's response with the
vote that agreed it; the officer reads the answer beside its provenance and exports the
responses as CSV. axe-core checks every page the officer sees on the way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser_support import axe_violations, wait_until_gone
from tests.council_pages import PASSWORD, add_officer
from tests.hubs import create_group, make_invite, running_hub, sqlite_url
from tests.moot_cli import Laptop

TITLE = "Traffic calming on Station Road"
CLOSES = "2099-03-31"
SCALE_QUESTION = "Should the council ask the county for a 20 mph limit on Station Road?"
TEXT_QUESTION = "Where would a crossing help most?"
ANSWER = "By the school gates, where children cross at 8:40 each morning."
SERIOUS = {"serious", "critical"}


def _accessible(driver: Any, where: str) -> None:
    bad = [v for v in axe_violations(driver) if v["impact"] in SERIOUS]
    assert bad == [], f"axe found serious or critical violations on {where}"


def _type(driver: Any, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def _set_date(driver: Any, element_id: str, iso: str) -> None:
    # A date field's typed form follows the browser's locale; its value is ISO always.
    field = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = arguments[1]", field, iso)


def _press(driver: Any, words: str) -> None:
    """Press the button or button-like link with these words, and wait for what it opens."""
    buttons = driver.find_elements(By.CSS_SELECTOR, "main button, main a.button")
    [button] = [b for b in buttons if b.text.strip() == words]
    button.click()
    wait_until_gone(driver, button)


@pytest.fixture
def hub(tmp_path: Path) -> Any:
    db = sqlite_url(tmp_path)
    with running_hub(db) as base:
        yield base, db


def test_an_officer_consults_a_parish_that_answers_from_its_laptop(
    hub: tuple[str, str], tmp_path: Path, browser: Any
) -> None:
    base, db = hub
    parish = create_group(db, "Ashby Parish")
    clerk = Laptop(tmp_path / "clerk")
    clerk.ok("name", "Jo Clerk")
    clerk.ok("join", base, make_invite(db, parish, role="clerk"))
    link = add_officer(db, "sam@council.example", name="Sam Officer", groups=[parish])

    # The officer's first visit: a password from the link, then signing in.
    # Printed for the address the administrator told it; this hub runs on a free port.
    browser.get(base + link[link.index("/council/") :])
    _accessible(browser, "the set-password page")
    _type(browser, "password", PASSWORD)
    _type(browser, "again", PASSWORD)
    _press(browser, "Set password")
    browser.get(f"{base}/council/sign-in")
    _accessible(browser, "the sign-in page")
    _type(browser, "email", "sam@council.example")
    _type(browser, "password", PASSWORD)
    form = browser.find_element(By.TAG_NAME, "form")
    browser.find_element(By.ID, "password").send_keys(Keys.ENTER)
    wait_until_gone(browser, form)
    assert "Ashby Parish" in browser.page_source  # the groups overview
    _accessible(browser, "the groups overview")

    # A consultation, written and published.
    browser.get(f"{base}/council/consultations/new")
    _accessible(browser, "the new consultation form")
    _type(browser, "title", TITLE)
    _type(browser, "background", "The county has asked parishes on the A-road network.")
    _type(browser, "contact", "Sam Officer, 01632 960000")
    _set_date(browser, "closes", CLOSES)
    browser.find_element(By.ID, "groups").click()
    browser.find_element(By.ID, "q1-type-scale").click()
    _type(browser, "q1-text", SCALE_QUESTION)
    _type(browser, "q2-text", TEXT_QUESTION)
    _press(browser, "Save draft")
    assert TITLE in browser.page_source
    on_hub = urlsplit(browser.current_url).path.split("/")[3]  # /council/consultations/ID
    _accessible(browser, "the consultation's page")
    _press(browser, "Publish…")
    _accessible(browser, "the publish confirmation")
    _press(browser, "Publish now")
    assert "Published" in browser.page_source or "published" in browser.page_source

    # The clerk's laptop: the consultation arrives, is answered and submitted.
    clerk.ok("sync")
    [listed] = clerk.json("consultation", "list", parish)
    assert listed["title"] == TITLE
    consultation = listed["id"]  # its id in the parish's log
    clerk.ok("consultation", "answer", consultation, "1", "Agree")
    clerk.ok("consultation", "answer", consultation, "2", ANSWER)
    meeting = clerk.json("meeting", "create", parish, "Parish council", "--at", "2027-03-10T19:30")[
        "id"
    ]
    clerk.ok(
        "consultation", "submit", consultation, "--meeting", meeting,
        "--minute", "27/014", "--for", "7", "--against", "2", "--abstain", "0",
    )  # fmt: skip
    clerk.ok("sync")
    [listed] = clerk.json("consultation", "list", parish)
    assert listed["status"].startswith("Received by the council")

    # The officer reads it and exports it.
    browser.get(f"{base}/council/consultations/{on_hub}/responses")
    page = browser.page_source
    assert ANSWER in page
    assert "Ashby Parish" in page
    assert "Jo Clerk" in page
    assert "27/014" in page
    _accessible(browser, "the responses page")
    href = browser.find_element(By.CSS_SELECTOR, "a[href$='responses.csv']").get_attribute("href")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    exported = requests.get(href, headers={"Cookie": cookie}, timeout=30)
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    texts = [" ".join(row.values()) for row in rows]
    assert any(ANSWER in t and "Ashby Parish" in t for t in texts)
    assert any("Agree" in t for t in texts)
