"""The officers' pages at work, on a real hub on loopback: the figures of the groups
overview, invitations made and revoked on a group's page as laptops then find them,
registration codes, and the pages in headless Chromium (axe-core, and signing in with
the keyboard alone).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.clock import wall_ms
from app.codes import Code
from app.services.discussions import start_discussion
from app.services.groups import create_group as found_group
from app.services.groups import set_my_name
from app.store import Store
from sync import hubs
from sync.engine import sync_group
from sync.errors import Refused
from tests.browser_support import axe_violations, wait_until_gone
from tests.council_pages import (
    PASSWORD,
    Hub,
    Visitor,
    add_officer,
    change,
    csrf_of,
    officer,
    rows,
    two_group_hub,
)
from tests.hubs import (
    create_group,
    make_invite,
    pg_url_or_skip,
    postgres_database,
    running_hub,
)

MakeStore = Callable[[str], Store]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with two_group_hub(tmp_path_factory.mktemp("pages"), bowls="Bowls <Club>") as found:
        yield found


def _row(page: str, group_name: str) -> list[str]:
    """The cells of the overview's row for a group, as text."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        if f">{group_name}</a>" in row:
            return [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
    raise AssertionError(f"no row for {group_name} in the overview")


def _consultation(hub: Hub, id_: str, group: str, *, closes: str, published: bool) -> None:
    change(
        hub.db,
        "INSERT INTO hub_consultations (id, title, closes, questions, publication, created_ms,"
        " published_ms) VALUES (:id, 'Bus routes', :closes, '[]', 'full', :now, :published)",
        id=id_,
        closes=closes,
        now=wall_ms(),
        published=wall_ms() if published else None,
    )
    change(
        hub.db,
        "INSERT INTO hub_consultation_groups (consultation_id, group_id) VALUES (:c, :g)",
        c=id_,
        g=group,
    )


def test_the_overview_counts_members_activity_syncs_and_open_consultations(
    hub: Hub, make_store: MakeStore
) -> None:
    group = create_group(hub.db, "Counted")
    clerk, member, idle = make_store("clerk"), make_store("member"), make_store("idle")
    for store, role in ((clerk, "clerk"), (member, "member"), (idle, "member")):
        set_my_name(store=store, name=f"A {role}")
        hubs.join_hub(store=store, hub_url=hub.url, code=make_invite(hub.db, group, role=role))
    start_discussion(store=clerk, group_id=group, title="Water butts", body="Who has one spare?")
    start_discussion(store=member, group_id=group, title="Shed keys", body="Lost again.")
    start_discussion(store=idle, group_id=group, title="Hello", body="Back in the spring.")
    for store in (clerk, member, idle):
        sync_group(store, group)
    # Written so long ago it does not count for this month: a laptop that went quiet.
    change(
        hub.db,
        "UPDATE hub_ops SET hlc = 1 WHERE group_id = :g AND device = :d",
        g=group,
        d=idle.device_id,
    )
    _consultation(hub, "c-open", group, closes="2999-12-31", published=True)
    _consultation(hub, "c-closed", group, closes="2001-01-31", published=True)
    _consultation(hub, "c-draft", group, closes="2999-12-31", published=False)

    ada = officer(hub.url, hub.db, "ada.counts@example.org", admin=True)
    page = ada.get("/council/").text
    _name, members, active, last_sync, consultations = _row(page, "Counted")
    assert (members, active, consultations) == ("3", "2", "1")
    assert last_sync != "never"
    assert re.fullmatch(r"\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d", last_sync)
    assert _row(page, "Bowls &lt;Club&gt;")[1:] == ["0", "0", "never", "0"]
    for person in ("A clerk", "A member", clerk.device_id, member.device_id):
        assert person not in page  # counts only

    group_page = ada.get(f"/council/groups/{group}").text
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", group_page))
    assert figures["Members"] == "3"
    assert figures["Active this month"] == "2"
    assert figures["Open consultations"] == "1"


def test_a_laptops_last_sync_is_written_at_most_once_a_minute(
    hub: Hub, make_store: MakeStore
) -> None:
    laptop = make_store("laptop")
    hubs.join_hub(store=laptop, hub_url=hub.url, code=make_invite(hub.db, hub.bowls))

    def seen() -> list[int]:
        found = rows(
            hub.db, "SELECT last_seen_ms FROM hub_devices WHERE device = :d", d=laptop.device_id
        )
        return [r[0] for r in found]

    sync_group(laptop, hub.bowls)
    [first] = seen()
    assert first is not None
    assert abs(wall_ms() - first) < 60_000
    sync_group(laptop, hub.bowls)
    assert seen() == [first]  # a minute has not passed: nothing written
    change(hub.db, "UPDATE hub_devices SET last_seen_ms = :t WHERE device = :d",
           t=first - 61_000, d=laptop.device_id)  # fmt: skip
    sync_group(laptop, hub.bowls)
    assert seen()[0] >= first


def test_an_officer_given_one_group_sees_its_figures_only(hub: Hub) -> None:
    jo = officer(hub.url, hub.db, "jo.one@example.org", groups=[hub.bowls])
    page = jo.get("/council/").text
    assert _row(page, "Bowls &lt;Club&gt;")
    assert "Allotments" not in page
    assert "Bowls <Club>" not in page  # escaped, as everything from a group is


def _make_invitation(visitor: Visitor, group: str, **fields: str) -> tuple[str, str]:
    """Make one on the group's page: (the code shown once, the page after)."""
    answer = visitor.submit(
        f"/council/groups/{group}",
        f"/council/groups/{group}/invitations",
        {"role": "member", "uses": "1", "days": "14", **fields},
    )
    assert answer.status_code == 200, answer.text
    found = re.search(r'<p class="code">([\w-]+)</p>', answer.text)
    assert found is not None
    return found.group(1), answer.text


def test_an_invitation_made_on_the_group_page_lets_a_laptop_join(
    hub: Hub, make_store: MakeStore
) -> None:
    jo = officer(hub.url, hub.db, "jo.invites@example.org", groups=[hub.allotments])
    code, page = _make_invitation(jo, hub.allotments, role="clerk", uses="1", days="3")
    assert "For 1 laptop, as clerk, for 3 days." in page
    assert "cannot show it again" in page
    assert page.count(code) == 1
    assert "Clerk</td>" in page.split('id="open-invitations"')[1]
    assert jo.get(f"/council/groups/{hub.allotments}").text.count(code) == 0  # shown once

    laptop = make_store("laptop")
    joined = hubs.join_hub(store=laptop, hub_url=hub.url, code=code)
    assert joined.group_id == hub.allotments
    assert joined.role == "clerk"
    # Used up: it is no longer listed as open.
    after = jo.get(f"/council/groups/{hub.allotments}").text
    assert hashlib_of(code) not in after


def hashlib_of(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def test_a_revoked_invitation_lets_no_laptop_join(hub: Hub, make_store: MakeStore) -> None:
    jo = officer(hub.url, hub.db, "jo.revokes@example.org", groups=[hub.allotments])
    code, page = _make_invitation(jo, hub.allotments, uses="5")
    assert f'name="code_hash" value="{hashlib_of(code)}"' in page
    answer = jo.post(
        f"/council/groups/{hub.allotments}/invitations/revoke",
        {"csrf_token": csrf_of(page), "code_hash": hashlib_of(code)},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/council/groups/{hub.allotments}?done=revoked"
    after = jo.get(answer.headers["location"]).text
    assert "The invitation was revoked" in after
    assert hashlib_of(code) not in after

    with pytest.raises(Refused) as refused:
        hubs.join_hub(store=make_store("laptop"), hub_url=hub.url, code=code)
    assert refused.value.code == Code.INVITATION_SPENT


def test_an_invitation_form_with_mistakes_says_what_to_put_right(hub: Hub) -> None:
    jo = officer(hub.url, hub.db, "jo.mistakes@example.org", groups=[hub.allotments])
    answer = jo.submit(
        f"/council/groups/{hub.allotments}",
        f"/council/groups/{hub.allotments}/invitations",
        {"role": "chair", "uses": "0", "days": "a week"},
    )
    assert answer.status_code == 400
    page = answer.text
    assert '<h2 id="error-summary-title">There is a problem</h2>' in page
    for field in ("role", "uses", "days"):
        assert f'<a href="#{field}">' in page
        assert f'id="{field}-error"' in page
        assert re.search(rf'id="{field}"[^>]*aria-describedby="{field}-hint {field}-error"', page)
    assert 'value="a week"' in page  # what was typed stays, to be put right
    assert "<title>Error: Allotments" in page


def test_a_registration_code_made_by_an_administrator_connects_an_offline_group(
    hub: Hub, make_store: MakeStore
) -> None:
    ada = officer(hub.url, hub.db, "ada.registers@example.org", admin=True)
    answer = ada.submit("/council/", "/council/registration-codes", {})
    assert answer.status_code == 200
    found = re.search(r'<p class="code">([\w-]+)</p>', answer.text)
    assert found is not None
    organiser = make_store("organiser")
    group = found_group(store=organiser, name="Litter Pickers")
    hubs.connect_hub(store=organiser, group_id=group, hub_url=hub.url, code=found.group(1))
    assert _row(ada.get("/council/").text, "Litter Pickers")[1:3] == ["1", "1"]


def test_a_group_page_links_to_its_published_papers(hub: Hub) -> None:
    ada = officer(hub.url, hub.db, "ada.papers@example.org", admin=True)
    page = ada.get(f"/council/groups/{hub.allotments}").text
    assert f'href="/groups/{hub.allotments}/minutes"' in page
    assert "No minutes of this group have been approved yet." in page


def test_the_pages_keep_their_word_on_postgresql(make_store: MakeStore) -> None:
    """The same figures, codes, sessions and lockout with PostgreSQL under the hub."""
    with postgres_database(pg_url_or_skip()) as db, running_hub(db) as url:
        group = create_group(db, "Allotments")
        pg = Hub(url, db, group, group)
        laptop = make_store("laptop")
        hubs.join_hub(store=laptop, hub_url=url, code=make_invite(db, group, role="clerk"))
        start_discussion(store=laptop, group_id=group, title="Water butts", body="Any spare?")
        sync_group(laptop, group)
        _consultation(pg, "c-open", group, closes="2999-12-31", published=True)
        ada = officer(url, db, "ada@example.org", admin=True)
        row = _row(ada.get("/council/").text, "Allotments")
        assert (row[1], row[2], row[4]) == ("1", "1", "1")
        assert row[3] != "never"

        code, page = _make_invitation(ada, group, uses="2")
        hubs.join_hub(store=make_store("second"), hub_url=url, code=code)
        ada.post(
            f"/council/groups/{group}/invitations/revoke",
            {"csrf_token": csrf_of(page), "code_hash": hashlib_of(code)},
        )
        with pytest.raises(Refused):
            hubs.join_hub(store=make_store("third"), hub_url=url, code=code)

        stranger = Visitor(url)
        for _ in range(5):
            assert stranger.sign_in("nobody@example.org", "wrong password").status_code == 400
        assert stranger.sign_in("nobody@example.org").status_code == 429
        audit = ada.get("/council/audit").text
        for action in ("invitation made", "invitation revoked", "locked out"):
            assert action in audit
        ada.submit("/council/account", "/council/sign-out-everywhere", {})
        assert ada.get("/council/").status_code == 303


# --- headless Chromium ---------------------------------------------------------------------

BROWSER_EMAIL = "ada.browser@example.org"


def _keyboard_sign_in(browser: Any, hub: Hub, email: str, password: str) -> None:
    """Sign in as someone with no mouse: Tab to each field, type, Enter."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    browser.delete_all_cookies()
    browser.get(hub.url + "/council/sign-in")
    keys = ActionChains(browser)
    for _ in range(10):
        if browser.switch_to.active_element.get_attribute("id") == "email":
            break
        keys.send_keys(Keys.TAB).perform()
    else:
        raise AssertionError("Tab never reached the e-mail field")
    ActionChains(browser).send_keys(email, Keys.TAB).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "password"
    ActionChains(browser).send_keys(password, Keys.ENTER).perform()
    # Until the answer has come (and its cookie with it), the next page would race it.
    WebDriverWait(browser, 30).until(lambda b: "/council/sign-in" not in b.current_url)


@pytest.fixture(scope="module")
def browser_officer(hub: Hub) -> str:
    Visitor(hub.url).set_password(add_officer(hub.db, BROWSER_EMAIL, admin=True))
    return BROWSER_EMAIL


def test_signing_in_with_the_keyboard_alone_works_and_the_secure_cookie_is_kept(
    hub: Hub, browser: Any, browser_officer: str
) -> None:
    _keyboard_sign_in(browser, hub, browser_officer, PASSWORD)
    assert browser.current_url == hub.url + "/council/"
    assert browser.find_element("css selector", "h1").text == "Groups"
    # Chromium kept the Secure cookie from http://127.0.0.1 (loopback counts as secure).
    browser.get(hub.url + "/council/account")
    assert browser.find_element("css selector", "h1").text == "Your account"


def _click_and_wait(browser: Any, selector: str) -> None:
    """Press a form's button and wait for the page that answers it."""
    from selenium.common.exceptions import WebDriverException

    page = browser.find_element("tag name", "html")
    for attempt in range(3):
        try:  # a busy Chromium may not have the button's node ready to act on yet
            browser.find_element("css selector", selector).click()
            break
        except WebDriverException:
            if attempt == 2:
                raise
    wait_until_gone(browser, page)


def _page_with_errors(browser: Any, hub: Hub) -> None:
    browser.get(f"{hub.url}/council/groups/{hub.allotments}")
    field = browser.find_element("id", "uses")
    field.clear()
    field.send_keys("none")
    _click_and_wait(browser, "form[action$='/invitations'] button")
    assert browser.find_element("id", "uses-error")


def _page_with_code(browser: Any, hub: Hub) -> None:
    browser.get(f"{hub.url}/council/groups/{hub.allotments}")
    _click_and_wait(browser, "form[action$='/invitations'] button")
    assert browser.find_element("css selector", ".panel .code")


SIGNED_IN: dict[str, Callable[[Any, Hub], None]] = {
    "groups": lambda b, h: b.get(h.url + "/council/"),
    "group": lambda b, h: b.get(f"{h.url}/council/groups/{h.allotments}"),
    "group with a new code": _page_with_code,
    "group with mistakes": _page_with_errors,
    "account": lambda b, h: b.get(h.url + "/council/account"),
    "audit": lambda b, h: b.get(h.url + "/council/audit"),
    "not found": lambda b, h: b.get(h.url + "/council/groups/no-such-group"),
}


@pytest.mark.parametrize("page", list(SIGNED_IN))
def test_axe_finds_nothing_wrong_with_the_signed_in_pages(
    hub: Hub, browser: Any, browser_officer: str, page: str
) -> None:
    _keyboard_sign_in(browser, hub, browser_officer, PASSWORD)
    SIGNED_IN[page](browser, hub)
    assert browser.find_element("css selector", "h1").text
    assert len(browser.find_elements("css selector", "h1")) == 1
    violations = axe_violations(browser)
    assert violations == [], f"axe found {len(violations)} kinds of violation on {page}"


def _set_password_with_mistake(browser: Any, hub: Hub) -> None:
    link = add_officer(hub.db, "new.officer@example.org")
    browser.get(hub.url + link.removeprefix("http://127.0.0.1:8470"))
    browser.find_element("id", "password").send_keys("short")
    _click_and_wait(browser, "main form button")
    assert browser.find_element("id", "password-error")


SIGNED_OUT: dict[str, Callable[[Any, Hub], None]] = {
    "sign in": lambda b, h: b.get(h.url + "/council/sign-in"),
    "set password": lambda b, h: b.get(
        h.url + add_officer(h.db, "new.officer@example.org").removeprefix("http://127.0.0.1:8470")
    ),
    "set password with a mistake": _set_password_with_mistake,
    "link spent": lambda b, h: b.get(h.url + "/council/set-password/spent"),
    "not found": lambda b, h: b.get(h.url + "/council/nothing-here"),
}


@pytest.mark.parametrize("page", list(SIGNED_OUT))
def test_axe_finds_nothing_wrong_with_the_pages_before_sign_in(
    hub: Hub, browser: Any, page: str
) -> None:
    browser.get(hub.url + "/council/sign-in")
    browser.delete_all_cookies()
    SIGNED_OUT[page](browser, hub)
    assert len(browser.find_elements("css selector", "h1")) == 1
    violations = axe_violations(browser)
    assert violations == [], f"axe found {len(violations)} kinds of violation on {page}"
