"""Council officers' accounts and the security of their pages, on a real hub on loopback.

Officers are made with ``moot-hub officer add`` and set their password from the link
it prints; the pages are asked as a browser asks (tests/council_pages.py). What must
hold: nobody reaches a page without signing in, an officer sees only the groups given
(others are not found, just as a group the hub lacks), no form is taken without its
token, repeated failures lock sign-in for a while, a laptop's token and an officer's
cookie each open only their own side of the hub, secrets are kept only as hashes,
and what officers do is in the audit log.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from app.clock import wall_ms
from app.store import Store
from sync import hubs
from tests.council_pages import (
    PASSWORD,
    Hub,
    Visitor,
    add_officer,
    change,
    csrf_of,
    officer,
    rows,
    set_cookies,
    two_group_hub,
)
from tests.hubs import PROTOCOL_HEADERS, create_group, hub_cli, hub_command, make_invite, sqlite_hub

MakeStore = Callable[[str], Store]
HOUR_MS = 3_600_000


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with two_group_hub(tmp_path_factory.mktemp("officers")) as found:
        yield found


@pytest.fixture
def fresh_hub(tmp_path: Path) -> Iterator[Hub]:
    """A hub of its own: the lockout counts every failure from this machine's address."""
    with sqlite_hub(tmp_path) as (url, db):
        yield Hub(url, db, create_group(db, "Allotments"), create_group(db, "Bowls Club"))


def _email(who: str = "officer") -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def _invites(hub: Hub, group: str) -> int:
    found = rows(hub.db, "SELECT count(*) FROM hub_invites WHERE group_id = :g", g=group)
    return int(found[0][0])


def _audit(hub: Hub, action: str, target: str = "") -> list[str]:
    found = rows(
        hub.db,
        "SELECT officer_email FROM hub_audit WHERE action = :a AND target LIKE :t ORDER BY id",
        a=action,
        t=f"%{target}%",
    )
    return [r[0] for r in found]


# --- the command line -------------------------------------------------------------------


def test_officer_add_prints_a_set_password_link_for_the_hubs_address(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOOT_HUB_PUBLIC_URL", raising=False)
    email = _email()
    made = hub_cli(hub.db, "officer", "add", email.upper(), "--name", "Jo Bloggs")
    assert made["email"] == email  # addresses are kept lower-cased
    assert made["expires_days"] == 7
    assert re.fullmatch(r"http://127\.0\.0\.1:8470/council/set-password/[\w-]{40,}", made["link"])
    given = add_officer(hub.db, email, extra=("--public-url", "https://hub.example.gov.uk/"))
    assert given.startswith("https://hub.example.gov.uk/council/set-password/")
    monkeypatch.setenv("MOOT_HUB_PUBLIC_URL", "https://moot.westshire.gov.uk")
    assert add_officer(hub.db, email).startswith("https://moot.westshire.gov.uk/council/")

    listed = {o["email"]: o for o in hub_cli(hub.db, "officer", "list")["officers"]}
    assert listed[email]["name"] == "An Officer"
    assert listed[email]["password_set"] is False
    assert listed[email]["disabled"] is False
    human = _run(hub.db, "officer", "list")
    assert email in human.stdout
    assert "no password yet" in human.stdout


def test_officer_add_refuses_an_unknown_group_or_address(hub: Hub) -> None:
    done = _run(hub.db, "officer", "add", _email(), "--name", "X", "--groups", "no-such-group")
    assert done.returncode == 1
    assert "There is no group no-such-group on this hub." in done.stderr
    done = _run(hub.db, "officer", "add", "not-an-address", "--name", "X", "--json")
    assert done.returncode == 1
    assert json.loads(done.stderr)["error"] == "invalid_input"


def _run(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        hub_command(db, *args), capture_output=True, text=True, timeout=120, check=False
    )


# --- who reaches which page -------------------------------------------------------------

PAGES = ["/council/", "/council/groups/{a}", "/council/account", "/council/audit"]
FORMS = [
    "/council/groups/{a}/invitations",
    "/council/groups/{a}/invitations/revoke",
    "/council/registration-codes",
    "/council/sign-out",
    "/council/sign-out-everywhere",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_someone_not_signed_in_to_sign_in(hub: Hub, path: str) -> None:
    path = path.format(a=hub.allotments)
    answer = Visitor(hub.url).get(path)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/council/sign-in?next=" + path


@pytest.mark.parametrize("path", FORMS)
def test_every_form_refuses_someone_not_signed_in(hub: Hub, path: str) -> None:
    before = _invites(hub, hub.allotments)
    answer = Visitor(hub.url).post(path.format(a=hub.allotments), {"role": "member"})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/council/sign-in")
    assert _invites(hub, hub.allotments) == before


def test_an_officer_sees_only_the_groups_given(hub: Hub) -> None:
    jo = officer(hub.url, hub.db, _email("jo"), groups=[hub.allotments])
    mine = jo.get(f"/council/groups/{hub.allotments}")
    assert mine.status_code == 200
    assert "<h1>Allotments</h1>" in mine.text
    overview = jo.get("/council/").text
    assert "Allotments" in overview
    assert "Bowls Club" not in overview

    theirs = jo.get(f"/council/groups/{hub.bowls}")
    missing = jo.get("/council/groups/no-such-group")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.headers["content-type"].startswith("text/html")
    assert theirs.text == missing.text  # nothing tells one from the other
    assert "Bowls Club" not in theirs.text


def test_an_officer_can_change_nothing_in_a_group_not_given(hub: Hub) -> None:
    jo = officer(hub.url, hub.db, _email("jo"), groups=[hub.allotments])
    code = make_invite(hub.db, hub.bowls)
    code_hash = hashlib.sha256(code.encode()).hexdigest()
    token = csrf_of(jo.get("/council/").text)
    before = _invites(hub, hub.bowls)
    made = jo.post(
        f"/council/groups/{hub.bowls}/invitations",
        {"csrf_token": token, "role": "organiser", "uses": "5", "days": "30"},
    )
    revoked = jo.post(
        f"/council/groups/{hub.bowls}/invitations/revoke",
        {"csrf_token": token, "code_hash": code_hash},
    )
    assert made.status_code == revoked.status_code == 404
    assert _invites(hub, hub.bowls) == before
    # Nor through a group given: an invitation is revoked only in its own group.
    sideways = jo.post(
        f"/council/groups/{hub.allotments}/invitations/revoke",
        {"csrf_token": token, "code_hash": code_hash},
    )
    assert sideways.status_code == 404
    [(revoked_flag,)] = rows(
        hub.db, "SELECT revoked FROM hub_invites WHERE code_hash = :h", h=code_hash
    )
    assert not revoked_flag


def test_only_administrators_see_the_audit_log_and_make_registration_codes(hub: Hub) -> None:
    jo = officer(hub.url, hub.db, _email("jo"), groups=[hub.allotments])
    assert jo.get("/council/audit").status_code == 403
    before = rows(hub.db, "SELECT count(*) FROM hub_registration_codes")[0][0]
    token = csrf_of(jo.get("/council/").text)
    assert jo.post("/council/registration-codes", {"csrf_token": token}).status_code == 403
    assert rows(hub.db, "SELECT count(*) FROM hub_registration_codes")[0][0] == before
    assert "Audit log" not in jo.get("/council/").text

    ada = officer(hub.url, hub.db, _email("ada"), admin=True)
    overview = ada.get("/council/").text
    assert "Allotments" in overview
    assert "Bowls Club" in overview
    assert ada.get(f"/council/groups/{hub.bowls}").status_code == 200
    assert ada.get("/council/audit").status_code == 200


# --- form tokens --------------------------------------------------------------------------


def test_a_form_without_its_token_or_with_a_wrong_one_changes_nothing(hub: Hub) -> None:
    jo = officer(hub.url, hub.db, _email("jo"), groups=[hub.allotments])
    sam = officer(hub.url, hub.db, _email("sam"), groups=[hub.allotments])
    before = _invites(hub, hub.allotments)
    action = f"/council/groups/{hub.allotments}/invitations"
    fields = {"role": "member", "uses": "1", "days": "14"}
    for token in (None, "", "not-the-token", csrf_of(sam.get("/council/").text)):
        data = fields if token is None else {**fields, "csrf_token": token}
        answer = jo.post(action, data)
        assert answer.status_code == 403, token
        assert "nothing was changed" in answer.text
    assert _invites(hub, hub.allotments) == before

    # Signing out takes the token too: without it the session goes on.
    assert jo.post("/council/sign-out", {}).status_code == 403
    assert jo.post("/council/sign-out-everywhere", {"csrf_token": "x"}).status_code == 403
    assert jo.get("/council/").status_code == 200
    assert sam.get("/council/").status_code == 200


def test_the_sign_in_form_takes_only_its_own_token(hub: Hub) -> None:
    email = _email()
    visitor = Visitor(hub.url)
    assert visitor.set_password(add_officer(hub.db, email)).status_code == 303
    page = visitor.get("/council/sign-in")
    assert page.status_code == 200
    field = re.search(r'<input type="hidden" name="(\w*csrf\w*)" value="([^"]+)"', page.text)
    assert field is not None
    assert field.group(1) == "csrf_token"
    sessions = rows(hub.db, "SELECT count(*) FROM hub_officer_sessions")[0][0]
    good = {"email": email, "password": PASSWORD}
    assert visitor.post("/council/sign-in", good).status_code == 403  # no token
    assert visitor.post("/council/sign-in", {**good, "csrf_token": "forged"}).status_code == 403
    stranger = Visitor(hub.url)  # a token from the page, but not this browser's cookie
    assert (
        stranger.post("/council/sign-in", {**good, "csrf_token": field.group(2)}).status_code == 403
    )
    assert rows(hub.db, "SELECT count(*) FROM hub_officer_sessions")[0][0] == sessions
    assert (
        visitor.post("/council/sign-in", {**good, "csrf_token": field.group(2)}).status_code == 303
    )


def test_cookies_are_http_only_secure_lax_and_kept_to_the_council_pages(hub: Hub) -> None:
    email = _email()
    visitor = Visitor(hub.url)
    visitor.set_password(add_officer(hub.db, email))
    shown = visitor.get("/council/sign-in")
    signed = visitor.post(
        "/council/sign-in",
        {"email": email, "password": PASSWORD, "csrf_token": csrf_of(shown.text)},
    )
    headers = set_cookies(shown) + set_cookies(signed)
    session = [h for h in headers if h.startswith("moot_council=")]
    assert len(session) == 1
    for header in headers:
        attributes = {a.strip().lower() for a in header.split(";")[1:]}
        assert {"httponly", "secure", "samesite=lax", "path=/council"} <= attributes, header
    # Kept only as a hash: the cookie's value is not in the database.
    value = session[0].split(";")[0].split("=", 1)[1]
    held = rows(hub.db, "SELECT token_hash FROM hub_officer_sessions")
    assert (hashlib.sha256(value.encode()).hexdigest(),) in [tuple(r) for r in held]
    assert all(value not in r[0] for r in held)


def test_after_sign_in_the_officer_goes_back_to_this_hubs_page_only(hub: Hub) -> None:
    email = _email()
    visitor = Visitor(hub.url)
    visitor.set_password(add_officer(hub.db, email, admin=True))
    answer = visitor.sign_in(email, next_path="/council/audit")
    assert answer.headers["location"] == "/council/audit"
    other = Visitor(hub.url)
    for elsewhere in ("https://evil.example/", "//evil.example/council/", "/v1/hub"):
        assert other.sign_in(email, next_path=elsewhere).headers["location"] == "/council/"
        other.cookies.clear()


# --- the lockout --------------------------------------------------------------------------


def _fail(visitor: Visitor, email: str) -> requests.Response:
    return visitor.sign_in(email, "not the password at all")


def _locked(answer: requests.Response) -> int:
    assert answer.status_code == 429, answer.text
    assert "<h1>Too many failed sign-ins</h1>" in answer.text
    assert "Try again after" in answer.text
    seconds = int(answer.headers["retry-after"])
    assert 0 < seconds <= 15 * 60
    return seconds


def test_five_failures_for_one_address_lock_its_sign_in(fresh_hub: Hub) -> None:
    hub = fresh_hub
    email = _email("jo")
    visitor = Visitor(hub.url)
    visitor.set_password(add_officer(hub.db, email, groups=[hub.allotments]))
    failures = [_fail(visitor, email) for _ in range(5)]
    for answer in failures:
        assert answer.status_code == 400
        assert "The e-mail address or password is not right." in answer.text
    _locked(visitor.sign_in(email))  # the right password, refused unchecked
    _locked(Visitor(hub.url).sign_in(email.upper()))  # from another browser too
    assert _audit(hub, "locked out", email) == [email]
    assert len(_audit(hub, "sign-in failed", email)) == 5

    # An address with no account is answered the same, word for word, and locked the same.
    unknown = _email("nobody")
    guesses = [_fail(visitor, unknown) for _ in range(5)]
    assert [a.status_code for a in guesses] == [400] * 5
    assert _same_page(guesses[0].text, unknown) == _same_page(failures[0].text, email)
    locked = visitor.sign_in(unknown)
    _locked(locked)
    assert _same_page(locked.text, unknown) == _same_page(visitor.sign_in(email).text, email)

    # The failures age out of the window: then the right password works again.
    change(hub.db, "UPDATE hub_login_failures SET at_ms = at_ms - :m", m=16 * 60_000)
    assert visitor.sign_in(email).status_code == 303


def _same_page(page: str, email: str) -> str:
    """The page without what differs by asking: the address typed, tokens, times."""
    page = re.sub(r'value="[\w-]{32,}"', 'value=""', page.replace(email, "EMAIL"))
    return re.sub(r"<strong>[^<]*</strong> \(in about \d+ minutes?\)", "", page)


def test_twenty_failures_from_one_client_address_lock_every_sign_in_there(
    fresh_hub: Hub,
) -> None:
    hub = fresh_hub
    email = _email("jo")
    visitor = Visitor(hub.url)
    visitor.set_password(add_officer(hub.db, email, groups=[hub.allotments]))
    for i in range(20):  # four guesses at each of five addresses: none locked by itself
        assert _fail(visitor, f"guess-{i % 5}@example.org").status_code == 400
    seconds = _locked(visitor.sign_in(email))
    assert seconds > 14 * 60
    assert _audit(hub, "locked out") == [""]  # by someone not signed in


# --- sessions ----------------------------------------------------------------------------


def test_sign_out_ends_one_session_and_sign_out_everywhere_ends_them_all(hub: Hub) -> None:
    email = _email("jo")
    here = officer(hub.url, hub.db, email, groups=[hub.allotments])
    laptop, phone = Visitor(hub.url), Visitor(hub.url)
    assert laptop.sign_in(email).status_code == 303
    assert phone.sign_in(email).status_code == 303
    assert "signed in on 3 browsers" in here.get("/council/account").text

    answer = phone.submit("/council/account", "/council/sign-out", {})
    assert answer.headers["location"] == "/council/sign-in?done=signed-out"
    assert phone.get("/council/").status_code == 303
    assert laptop.get("/council/").status_code == 200

    answer = here.submit("/council/account", "/council/sign-out-everywhere", {})
    assert answer.status_code == 303
    for browser in (here, laptop):
        assert browser.get("/council/account").status_code == 303
    held = rows(
        hub.db,
        "SELECT count(*) FROM hub_officer_sessions s JOIN hub_officers o ON o.id = s.officer_id"
        " WHERE o.email = :e",
        e=email,
    )
    assert held[0][0] == 0
    assert _audit(hub, "signed out everywhere") == [email]
    assert _audit(hub, "signed out").count(email) == 1


def test_a_session_ends_when_unused_for_hours_and_after_a_week(hub: Hub) -> None:
    email = _email("jo")
    jo = officer(hub.url, hub.db, email, groups=[hub.allotments])
    where = "officer_id = (SELECT id FROM hub_officers WHERE email = :e)"
    change(hub.db, f"UPDATE hub_officer_sessions SET seen_ms = :t WHERE {where}",
           t=wall_ms() - 9 * HOUR_MS, e=email)  # fmt: skip
    assert jo.get("/council/").status_code == 303

    assert jo.sign_in(email).status_code == 303
    change(hub.db, f"UPDATE hub_officer_sessions SET expires_ms = :t WHERE {where}",
           t=wall_ms() - 1, e=email)  # fmt: skip
    assert jo.get("/council/").status_code == 303


def test_a_removed_officer_is_signed_out_and_cannot_sign_in(hub: Hub) -> None:
    email = _email("jo")
    jo = officer(hub.url, hub.db, email, groups=[hub.allotments])
    assert hub_cli(hub.db, "officer", "remove", email) == {"removed": email}
    assert jo.get("/council/").status_code == 303
    assert jo.sign_in(email).status_code == 400
    assert _audit(hub, "officer removed", email) == [""]


def test_a_laptops_token_opens_no_officer_page_and_a_cookie_no_sync_route(
    hub: Hub, make_store: MakeStore
) -> None:
    laptop = make_store("laptop")
    joined = hubs.join_hub(
        store=laptop, hub_url=hub.url, code=make_invite(hub.db, hub.allotments, role="organiser")
    )
    from app import hub_links

    with laptop.read() as db:
        link = hub_links.get_link(db, laptop.sealer, joined.group_id)
    assert link is not None
    bearer = {"Authorization": f"Bearer {link.token}", **PROTOCOL_HEADERS}
    for path in PAGES:
        answer = requests.get(
            hub.url + path.format(a=hub.allotments), headers=bearer, allow_redirects=False,
            timeout=30,
        )  # fmt: skip
        assert answer.status_code == 303, path
    assert requests.get(f"{hub.url}/v1/groups/{hub.allotments}/ops", headers=bearer, timeout=30).ok

    jo = officer(hub.url, hub.db, _email("jo"), admin=True)
    for method, path, body in (
        ("GET", f"/v1/groups/{hub.allotments}/ops", None),
        ("POST", f"/v1/groups/{hub.allotments}/ops", {"ops": []}),
        ("POST", f"/v1/groups/{hub.allotments}/invites", {"role": "member", "uses": 1, "days": 1}),
    ):
        answer = jo.request(method, path, headers=PROTOCOL_HEADERS, json=body)
        assert answer.status_code == 401, (path, answer.text)
        assert answer.json()["error"] == "bad_token"


# --- set-password links, and what is stored -----------------------------------------------


def test_a_set_password_link_works_once(hub: Hub) -> None:
    email = _email("jo")
    link = add_officer(hub.db, email, groups=[hub.allotments])
    visitor = Visitor(hub.url)
    path = link.removeprefix("http://127.0.0.1:8470")
    page = visitor.get(path)
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"
    # Whoever holds the link is not signed in yet: nothing offers to sign them out.
    assert "Sign out" not in page.text
    short = visitor.post(path, {"csrf_token": csrf_of(page.text), "password": "too short",
                                "again": "too short"})  # fmt: skip
    assert short.status_code == 400
    assert "Choose a password of at least 12 characters." in short.text
    assert 'aria-describedby="password-hint password-error"' in short.text
    differ = visitor.post(path, {"csrf_token": csrf_of(page.text), "password": PASSWORD,
                                 "again": PASSWORD + "!"})  # fmt: skip
    assert differ.status_code == 400
    assert 'id="again-error"' in differ.text

    assert visitor.set_password(link).headers["location"] == "/council/sign-in?done=password"
    again = visitor.get(path)
    assert again.status_code == 410
    assert "has been used, has expired" in again.text
    # Posted to again, with a good form token: the link is spent all the same.
    token = csrf_of(visitor.get("/council/sign-in").text)
    taken = visitor.post(path, {"csrf_token": token, "password": "another password!",
                                "again": "another password!"})  # fmt: skip
    assert taken.status_code == 410
    assert visitor.sign_in(email).status_code == 303
    assert _audit(hub, "password set").count(email) == 1


def test_a_set_password_link_expires_and_a_new_one_replaces_it(hub: Hub) -> None:
    email = _email("jo")
    first = add_officer(hub.db, email)
    second = add_officer(hub.db, email)
    visitor = Visitor(hub.url)
    assert visitor.get(first.removeprefix("http://127.0.0.1:8470")).status_code == 410
    change(
        hub.db,
        "UPDATE hub_password_links SET expires_ms = :t"
        " WHERE officer_id = (SELECT id FROM hub_officers WHERE email = :e)",
        t=wall_ms() - 1,
        e=email,
    )
    assert visitor.get(second.removeprefix("http://127.0.0.1:8470")).status_code == 410


def test_an_upload_too_large_for_the_hub_gets_a_page_not_json(hub: Hub) -> None:
    visitor = Visitor(hub.url)
    answer = visitor.request(
        "POST",
        "/council/sign-in",
        data=b"x" * (9 * 1024 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "<h1>Too large to take</h1>" in answer.text
    assert "Nothing was changed." in answer.text


def test_a_renewed_account_ends_its_sign_ins_and_old_password_at_once(hub: Hub) -> None:
    """An administrator renews an account that may have been taken over."""
    email = _email("jo")
    taken = Visitor(hub.url)
    taken.set_password(add_officer(hub.db, email, groups=[hub.allotments]))
    assert taken.sign_in(email).status_code == 303
    assert taken.get("/council/").status_code == 200
    renewed = add_officer(hub.db, email, groups=[hub.allotments])
    assert taken.get("/council/").status_code == 303  # to sign in
    assert Visitor(hub.url).sign_in(email).status_code != 303  # the old password is gone
    owner = Visitor(hub.url)
    owner.set_password(renewed)
    assert owner.sign_in(email).status_code == 303


def test_only_an_argon2_hash_of_a_password_is_stored(hub: Hub) -> None:
    email = _email("jo")
    password = f"a passphrase never seen {uuid.uuid4().hex}"
    visitor = Visitor(hub.url)
    visitor.set_password(add_officer(hub.db, email), password)
    [(stored,)] = rows(hub.db, "SELECT password_hash FROM hub_officers WHERE email = :e", e=email)
    assert stored.startswith("$argon2id$")
    assert password not in stored
    folder = Path(hub.db.removeprefix("sqlite:///")).parent
    for path in folder.glob("hub.db*"):  # the log file too
        assert password.encode() not in path.read_bytes(), path
    assert visitor.sign_in(email, password).status_code == 303


def test_what_officers_do_is_in_the_audit_log(hub: Hub) -> None:
    email = _email("jo")
    jo = officer(hub.url, hub.db, email, groups=[hub.allotments])
    made = jo.submit(
        f"/council/groups/{hub.allotments}",
        f"/council/groups/{hub.allotments}/invitations",
        {"role": "clerk", "uses": "2", "days": "7"},
    )
    assert made.status_code == 200
    code_hash = re.search(r'name="code_hash" value="([0-9a-f]{64})"', made.text)
    assert code_hash is not None
    jo.post(
        f"/council/groups/{hub.allotments}/invitations/revoke",
        {"csrf_token": csrf_of(made.text), "code_hash": code_hash.group(1)},
    )
    assert _audit(hub, "officer added", email) == [""]  # the command line
    assert _audit(hub, "password set").count(email) == 1
    assert _audit(hub, "signed in").count(email) == 1
    assert _audit(hub, "invitation made", hub.allotments).count(email) == 1
    assert _audit(hub, "invitation revoked", hub.allotments).count(email) == 1

    ada = officer(hub.url, hub.db, _email("ada"), admin=True)
    page = ada.get("/council/audit").text
    assert "<h1>Audit log</h1>" in page
    for words in ("invitation made", "invitation revoked", "password set", email, "Command line"):
        assert words in page


# --- error pages ---------------------------------------------------------------------------


def test_refusals_are_pages_under_council_and_json_under_v1(hub: Hub) -> None:
    jo = officer(hub.url, hub.db, _email("jo"), groups=[hub.allotments])
    missing = jo.get("/council/no-such-page")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in missing.text
    wrong = jo.get("/council/sign-out")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert "text/html" in wrong.headers["content-type"]
    bad = jo.get("/council/audit?before=soon")
    assert bad.status_code in (403, 422)
    api = requests.get(f"{hub.url}/v1/no-such-route", headers=PROTOCOL_HEADERS, timeout=30)
    assert api.status_code == 404
    assert api.json()["error"] == "not_found"
    api = requests.put(f"{hub.url}/v1/join", headers=PROTOCOL_HEADERS, timeout=30)
    assert api.status_code == 405
    assert api.headers["allow"] == "POST"
    assert api.json()["error"] == "malformed"
