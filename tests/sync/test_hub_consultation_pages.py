"""The officers' consultation pages on a real hub on loopback, asked as a browser asks.

What must hold: the draft's form works with no JavaScript (blank question blocks, and
an "Add another question" button that shows it again with one more, keeping what was
typed); a mistake is shown against its field and nothing is saved; publishing takes a
confirmation step; an officer of another group finds nothing at any of the addresses
(404, as for a consultation the hub lacks); no form is taken without its token; the
responses are side by side with the share of each option, a late one says so in
words, and tags and notes are kept; the exports download; "You said, we did" is
reviewed, then published to the groups that responded; every change is audited; and
axe-core finds nothing wrong with the pages in headless Chromium.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from app.services import consultations as laptop
from app.services.groups import set_my_name
from app.store import Store, open_store
from sync import hubs
from sync.engine import sync_group
from tests.council_pages import PASSWORD, Visitor, add_officer, change, csrf_of, officer, rows
from tests.hubs import create_group, in_group, make_invite, sqlite_hub

CLOSES = (date.today() + timedelta(days=21)).isoformat()


@dataclass(frozen=True)
class Hub:
    url: str
    db: str
    ashby: str
    bree: str
    jo: Visitor  # an officer given Ashby and Bree
    bo: Visitor  # an officer given Bree only
    clerk: Store  # Ashby's clerk


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    root = tmp_path_factory.mktemp("consultation-pages")
    clerk = open_store(root / "clerk", use_keyring=False)
    set_my_name(store=clerk, name="Jo Clerk")
    try:
        with sqlite_hub(root) as (url, db):
            ashby, bree = create_group(db, "Ashby Parish Council"), create_group(db, "Bree")
            hubs.join_hub(store=clerk, hub_url=url, code=make_invite(db, ashby, role="clerk"))
            jo = officer(url, db, "jo@example.org", groups=[ashby, bree])
            bo = officer(url, db, "bo@example.org", groups=[bree])
            yield Hub(url, db, ashby, bree, jo, bo, clerk)
    finally:
        clerk.close()


def _draft(hub: Hub, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Play area on Glebe field",
        "background": "The council has money for **one** play area.",
        "contact": "Parks team",
        "opens": "",
        "closes": CLOSES,
        "publication": "full",
        "groups": [hub.ashby],
        "question_count": "3",
        "q1-type": "text",
        "q1-text": "What should it include?",
        "q1-options": "",
        "q2-type": "choice",
        "q2-text": "Where should it go?",
        "q2-options": "Glebe field\r\nThe green\r\n",
        "q3-type": "text",
        "q3-text": "",
        "q3-options": "",
        "action": "save",
        **extra,
    }


def _create(hub: Hub, visitor: Visitor | None = None, **extra: Any) -> str:
    """A draft made through the form; its id."""
    who = visitor or hub.jo
    token = csrf_of(who.get("/council/consultations/new").text)
    answer = who.request(
        "POST",
        "/council/consultations/new",
        data={"csrf_token": token, **_draft(hub, **extra)},
        files=[("documents", ("Site plan.pdf", b"%PDF-1.4\n% the plan\n", "application/pdf"))],
    )
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(
        r"/council/consultations/([^/?]+)\?done=created", answer.headers["location"]
    )
    assert found
    return found.group(1)


def _publish(hub: Hub, consultation: str) -> requests.Response:
    page = f"/council/consultations/{consultation}/publish"
    return hub.jo.submit(page, page, {})


def _consultations(hub: Hub) -> int:
    return int(rows(hub.db, "SELECT count(*) FROM hub_consultations")[0][0])


# --- the draft's form, without JavaScript --------------------------------------------------


def test_the_form_has_blank_question_blocks_and_adds_one_more_keeping_what_was_typed(
    hub: Hub,
) -> None:
    form = hub.jo.get("/council/consultations/new").text
    assert form.count("<legend>Question ") == 3
    assert 'value="add-question"' in form
    assert 'enctype="multipart/form-data"' in form
    assert "<script" not in form
    assert 'type="file"' in form
    assert 'name="documents"' in form
    # Only the officer's own groups are offered.
    assert f'name="groups" value="{hub.ashby}"' in form
    assert hub.bo.get("/council/consultations/new").text.count('name="groups"') == 1
    before = _consultations(hub)
    token = csrf_of(form)
    again = hub.jo.post(
        "/council/consultations/new",
        {"csrf_token": token, **_draft(hub, action="add-question")},  # type: ignore[dict-item]
    )
    assert again.status_code == 200
    assert again.text.count("<legend>Question ") == 4
    assert 'name="q4-text"' in again.text
    assert ">Where should it go?</textarea>" in again.text
    assert "Glebe field\nThe green" in again.text
    assert 'value="choice" checked' in again.text
    assert _consultations(hub) == before  # nothing saved yet


def test_a_draft_is_saved_with_its_document_and_audited(hub: Hub) -> None:
    consultation = _create(hub)
    page = hub.jo.get(f"/council/consultations/{consultation}?done=created").text
    assert "<h1>Play area on Glebe field</h1>" in page
    assert "The draft is saved." in page
    assert "Where should it go?" in page
    assert ">Site plan.pdf</a>" in page
    assert "Publish…" in page
    [(title, groups)] = rows(
        hub.db,
        "SELECT c.title, count(g.group_id) FROM hub_consultations c JOIN hub_consultation_groups g"
        " ON g.consultation_id = c.id WHERE c.id = :c GROUP BY c.title",
        c=consultation,
    )
    assert (title, groups) == ("Play area on Glebe field", 1)
    audited = rows(
        hub.db,
        "SELECT officer_email FROM hub_audit WHERE action = 'consultation created' AND target = :c",
        c=consultation,
    )
    assert [r[0] for r in audited] == ["jo@example.org"]
    document = re.search(r'href="(/council/consultations/[^"]+/documents/[^"]+)"', page)
    assert document
    got = hub.jo.get(document.group(1))
    assert got.status_code == 200
    assert got.content.startswith(b"%PDF")
    assert got.headers["content-type"] == "application/pdf"


def test_a_mistake_is_shown_against_its_field_and_nothing_is_saved(hub: Hub) -> None:
    before = _consultations(hub)
    token = csrf_of(hub.jo.get("/council/consultations/new").text)
    # Block 1 left blank: the mistake is in the second block, the first question.
    wrong = _draft(hub, **{"q1-text": "", "q2-options": "Only one"})
    answer = hub.jo.post("/council/consultations/new", {"csrf_token": token, **wrong})
    assert answer.status_code == 400
    page = answer.text
    assert "<title>Error: New consultation" in page
    assert '<a href="#q2-options">Question 1 (choice) needs 2 to 20 options.</a>' in page
    assert 'id="q2-options-error"' in page
    assert 'aria-describedby="q2-options-hint q2-options-error"' in page
    past = _draft(hub, closes="2020-01-31")
    answer = hub.jo.post("/council/consultations/new", {"csrf_token": token, **past})
    assert answer.status_code == 400
    assert '<a href="#closes">The closing date, Friday 31 January 2020, has passed' in answer.text
    assert _consultations(hub) == before


# --- who may see what ------------------------------------------------------------------------


def test_an_officer_of_another_group_finds_nothing(hub: Hub) -> None:
    consultation = _create(hub)
    assert _publish(hub, consultation).status_code == 303
    base = f"/council/consultations/{consultation}"
    for path in (
        "",
        "/edit",
        "/publish",
        "/responses",
        "/responses.csv",
        "/responses.pdf",
        "/responses/print",
        "/feedback",
    ):
        assert hub.bo.get(base + path).status_code == 404, path
    assert consultation not in hub.bo.get("/council/consultations").text
    token = csrf_of(hub.bo.get("/council/consultations").text)
    for path, data in (
        ("/responses/notes", {"group": hub.ashby, "question": "1", "tags": "x", "note": ""}),
        ("/feedback", {"feedback": "Nothing", "action": "save"}),
        ("/publish", {}),
    ):
        answer = hub.bo.post(base + path, {"csrf_token": token, **data})
        assert answer.status_code == 404, path
    # Nor may a draft name a group the officer is not given.
    answer = hub.bo.post(
        "/council/consultations/new",
        {"csrf_token": token, **_draft(hub, groups=[hub.ashby])},  # type: ignore[dict-item]
    )
    assert answer.status_code == 404
    assert not rows(hub.db, "SELECT 1 FROM hub_answer_notes WHERE note = 'x' OR tags LIKE '%x%'")


def test_every_form_needs_its_token(hub: Hub) -> None:
    consultation = _create(hub)
    base = f"/council/consultations/{consultation}"
    before = _consultations(hub)
    for path, data in (
        ("/council/consultations/new", _draft(hub)),
        (base + "/publish", {}),
        (base + "/edit", _draft(hub, title="Changed")),
        (base + "/documents/x/remove", {}),
    ):
        assert hub.jo.post(path, data).status_code == 403, path
        assert hub.jo.post(path, {**data, "csrf_token": "forged"}).status_code == 403, path
    assert _consultations(hub) == before
    [(published, title)] = rows(
        hub.db, "SELECT published_ms, title FROM hub_consultations WHERE id = :c", c=consultation
    )
    assert published is None
    assert title == "Play area on Glebe field"
    # Signed out, a page sends the browser to sign in.
    assert Visitor(hub.url).get(base).status_code == 303


# --- publishing, responses, exports, feedback ----------------------------------------------


@pytest.fixture(scope="module")
def answered(hub: Hub) -> str:
    """A consultation published through the pages, which Ashby's clerk answered late."""
    consultation = _create(hub, groups=[hub.ashby, hub.bree])
    confirm = hub.jo.get(f"/council/consultations/{consultation}/publish").text
    assert "Publish this consultation?" in confirm
    assert "Ashby Parish Council, Bree" in confirm
    assert _publish(hub, consultation).headers["location"].endswith("?done=published")
    sync_group(hub.clerk, hub.ashby)
    ours = in_group(hub.db, consultation, hub.ashby)
    laptop.answer(store=hub.clerk, consultation_id=ours, question=1, value="Swings.")
    laptop.answer(store=hub.clerk, consultation_id=ours, question=2, value="The green")
    laptop.submit(store=hub.clerk, consultation_id=ours, how="organiser")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    change(
        hub.db,
        "UPDATE hub_consultations SET closes = :d WHERE id = :c",
        d=yesterday,
        c=consultation,
    )
    sync_group(hub.clerk, hub.ashby)
    return consultation


def test_publishing_puts_links_to_the_documents_on_the_hub(hub: Hub, answered: str) -> None:
    ours = in_group(hub.db, answered, hub.ashby)
    view = laptop.read_consultation(store=hub.clerk, consultation_id=ours)
    [document] = view.documents
    assert document["url"].startswith(f"{hub.url}/consultations/{answered}/documents/")
    public = requests.get(document["url"], timeout=30)  # no sign-in: groups share it
    assert public.status_code == 200
    assert public.content.startswith(b"%PDF")
    assert public.headers["x-content-type-options"] == "nosniff"
    again = _publish(hub, answered)
    assert again.status_code == 400
    assert "published already" in again.text


def test_a_drafts_document_is_not_public(hub: Hub) -> None:
    consultation = _create(hub)
    page = hub.jo.get(f"/council/consultations/{consultation}").text
    document = re.search(r'href="/council(/consultations/[^"]+/documents/[^"]+)"', page)
    assert document
    assert requests.get(hub.url + document.group(1), timeout=30).status_code == 404


def test_responses_side_by_side_with_shares_and_late_in_words(hub: Hub, answered: str) -> None:
    page = hub.jo.get(f"/council/consultations/{answered}/responses").text
    assert "1 of 2 groups have responded." in page
    assert "Ashby Parish Council" in page
    assert '<span class="late">(late)</span>' in page
    assert '<span class="late">Late</span>' in page
    assert "Swings." in page
    assert "Chose: The green" in page
    assert "How groups chose (1 group chose)" in page
    share = re.search(
        r"<th scope=\"row\">The green</th>\s*<td class=\"number\">1</td>\s*"
        r"<td class=\"number\">100%</td>",
        page,
    )
    assert share
    assert 'aria-hidden="true"' in page  # the bars repeat the figures beside them
    for kind in ("csv", "xlsx", "pdf"):
        assert f"/responses.{kind}" in page


def test_tags_and_a_note_are_kept_and_audited(hub: Hub, answered: str) -> None:
    page = f"/council/consultations/{answered}/responses"
    answer = hub.jo.submit(
        page,
        page + "/notes",
        {
            "group": hub.ashby,
            "question": "1",
            "tags": "play, budget, play",
            "note": "Costed.",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"].endswith(f"?done=noted#answer-1-{hub.ashby}")
    shown = hub.jo.get(page).text
    assert 'value="play, budget"' in shown
    assert ">Costed.</textarea>" in shown
    assert rows(
        hub.db, "SELECT count(*) FROM hub_audit WHERE action = 'consultation answer noted'"
    )[0][0]


def test_the_exports_download_and_are_audited(hub: Hub, answered: str) -> None:
    base = f"/council/consultations/{answered}/responses"
    got = hub.jo.get(base + ".csv")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert {r["Group"] for r in table} == {"Ashby Parish Council"}
    assert table[0]["Late"] == "Late"
    assert hub.jo.get(base + ".xlsx").content.startswith(b"PK")
    assert hub.jo.get(base + ".pdf").content.startswith(b"%PDF")
    printable = hub.jo.get(base + "/print").text
    assert "Play area on Glebe field: responses" in printable
    assert hub.jo.get(base + ".doc").status_code == 404
    exported = rows(
        hub.db,
        "SELECT detail FROM hub_audit WHERE action ="
        " 'consultation responses exported' AND target = :c",
        c=answered,
    )
    assert {r[0] for r in exported} >= {"CSV", "XLSX", "PDF"}


def test_you_said_we_did_is_reviewed_then_published_to_those_who_responded(
    hub: Hub, answered: str
) -> None:
    page = f"/council/consultations/{answered}/feedback"
    saved = hub.jo.submit(page, page, {"feedback": "Swings are in.", "action": "save"})
    assert saved.status_code == 303
    assert ">Swings are in.</textarea>" in hub.jo.get(page).text
    review = hub.jo.submit(page, page, {"feedback": "Swings are in the plans.", "action": "review"})
    assert review.status_code == 200
    assert "Publish this feedback?" in review.text
    assert "discussion of 1 group: Ashby Parish Council" in review.text
    done = hub.jo.post(
        page,
        {
            "csrf_token": csrf_of(review.text),
            "action": "publish",
            "feedback": "Swings are in the plans.",
        },
    )
    assert done.status_code == 303
    shown = hub.jo.get(page).text
    assert "Published " in shown
    assert "Swings are in the plans." in shown
    assert "<textarea" not in shown
    sync_group(hub.clerk, hub.ashby)
    ours = in_group(hub.db, answered, hub.ashby)
    view = laptop.read_consultation(store=hub.clerk, consultation_id=ours)
    assert view.feedback == "Swings are in the plans."
    bree_posts = rows(
        hub.db, "SELECT count(*) FROM hub_ops WHERE group_id = :g AND kind = 'post'", g=hub.bree
    )
    assert bree_posts[0][0] == 1  # the opening post only: Bree did not respond


def test_the_list_shows_status_closing_date_groups_and_responses(hub: Hub, answered: str) -> None:
    draft = _create(hub)
    page = hub.jo.get("/council/consultations").text
    row = page[page.index(f"/council/consultations/{answered}") :].split("</tr>")[0]
    assert "Closed" in row
    assert "Ashby Parish Council, Bree" in row
    assert "1 of 2" in row
    row = page[page.index(f"/council/consultations/{draft}") :].split("</tr>")[0]
    assert "Draft" in row


# --- accessibility, in a real browser --------------------------------------------------------


def test_the_pages_pass_axe(hub: Hub, answered: str, browser: Any) -> None:
    from tests.browser_support import axe_violations

    email = "axe@example.org"
    link = add_officer(hub.db, email, groups=[hub.ashby, hub.bree])
    browser.get(hub.url + urlsplit(link).path)
    browser.find_element("id", "password").send_keys(PASSWORD)
    browser.find_element("id", "again").send_keys(PASSWORD)
    browser.find_element("css selector", "main form button[type=submit]").click()
    browser.get(hub.url + "/council/sign-in")
    browser.find_element("id", "email").send_keys(email)
    browser.find_element("id", "password").send_keys(PASSWORD)
    browser.find_element("css selector", "main form button[type=submit]").click()
    base = f"/council/consultations/{answered}"
    for path in (
        "/council/consultations",
        "/council/consultations/new",
        base,
        base + "/responses",
        base + "/feedback",
        base + "/responses/print",
    ):
        for width in (1100, 380):
            browser.set_window_size(width, 900)
            browser.get(hub.url + path)
            assert "Sign in" not in browser.title, path
            assert axe_violations(browser) == [], f"{path} at {width} px"
