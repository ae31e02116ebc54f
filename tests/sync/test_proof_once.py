"""A laptop's proof of its device key is good once: a request captured and sent again
within the proof's ten minutes gets no token.

Laptops and a real hub on loopback. Each request is sent as raw JSON, so the replay is
byte for byte what someone who captured it would send.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from sqlalchemy import text

from app.apply import read_membership
from app.clock import wall_ms
from app.codes import Code
from app.services import groups, members
from app.store import Store
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from sync.errors import Refused
from sync.hub.db import make_engine
from sync.proofs import enrol_message, hub_address, join_message, register_message, sign
from tests.hubs import (
    PROTOCOL_HEADERS,
    create_group,
    hub_cli,
    hub_device,
    make_invite,
    migrate,
    pg_url_or_skip,
    postgres_database,
    running_hub,
    sqlite_url,
)

MakeStore = Callable[[str], Store]
USED = "That proof of this laptop's key was used already; try again."


@dataclass
class Hub:
    url: str
    db: str

    def query(self, sql: str, **params: object) -> list[tuple[Any, ...]]:
        """Rows of one statement on the hub's database (committed)."""
        engine = make_engine(self.db)
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            rows = [tuple(r) for r in result] if result.returns_rows else []
        engine.dispose()
        return rows

    def tokens(self, device: str) -> int:
        """How many tokens the hub has issued to ``device``."""
        [(count,)] = self.query("SELECT COUNT(*) FROM hub_devices WHERE device = :d", d=device)
        return int(count)

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return requests.post(f"{self.url}{path}", json=body, headers=PROTOCOL_HEADERS, timeout=30)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            db = sqlite_url(tmp_path_factory.mktemp("hub"))
        else:
            db = stack.enter_context(postgres_database(pg_url_or_skip()))
        migrate(db)
        with running_hub(db) as url:
            yield Hub(url, db)


def _join_body(hub: Hub, store: Store, code: str, stamp: int) -> dict[str, Any]:
    address = hub_address(hub.url)
    message = join_message(hub_device(hub.url), address, code, stamp)
    return {
        "code": code,
        "device": store.device_id,
        "proof": sign(store.identity.key, message),
        "stamp_ms": stamp,
        "name": "Ann",
        "hub_url": address,
    }


def _enrol_body(hub: Hub, store: Store, group: str, stamp: int) -> dict[str, Any]:
    address = hub_address(hub.url)
    message = enrol_message(hub_device(hub.url), address, group, stamp)
    return {
        "device": store.device_id,
        "proof": sign(store.identity.key, message),
        "stamp_ms": stamp,
        "hub_url": address,
    }


def _refused_as_used(answer: requests.Response) -> None:
    assert answer.status_code == 409, answer.text
    body = answer.json()
    assert body == {"error": Code.PROOF_USED, "detail": USED}


def test_a_join_sent_again_gets_no_token_and_a_fresh_proof_still_joins(
    hub: Hub, make_store: MakeStore
) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Allotments")
    code = make_invite(hub.db, group)
    stamp = wall_ms()
    first = _join_body(hub, ann, code, stamp)
    joined = hub.post("/v1/join", first)
    assert joined.status_code == 200, joined.text
    assert joined.json()["group_id"] == group
    assert hub.tokens(ann.device_id) == 1

    _refused_as_used(hub.post("/v1/join", first))
    assert hub.tokens(ann.device_id) == 1
    # The laptop itself, sending its own proof again, hears the same words.
    client = HubClient(hub.url)
    with pytest.raises(Refused, match="used already; try again") as refused:
        client.join(**{k: v for k, v in first.items() if k != "hub_url"})
    assert refused.value.code == Code.PROOF_USED
    assert hub.tokens(ann.device_id) == 1

    # Trying again as told, with a new proof: the same laptop again gets a new token.
    again = hub.post("/v1/join", _join_body(hub, ann, code, stamp + 1))
    assert again.status_code == 200, again.text
    assert (again.json()["group_id"], again.json()["role"]) == (group, "member")
    assert again.json()["token"] != joined.json()["token"]
    assert hub.tokens(ann.device_id) == 2


def test_an_enrolment_sent_again_gets_no_token(hub: Hub, make_store: MakeStore) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(hub.db, "Tenants")
    hubs.join_hub(store=ann, hub_url=hub.url, code=make_invite(hub.db, group, role="organiser"))
    members.admit(store=ann, group_id=group, device=bob.device_id, role="member")  # offline
    sync_group(ann, group)

    stamp = wall_ms()
    first = _enrol_body(hub, bob, group, stamp)
    enrolled = hub.post(f"/v1/groups/{group}/enrol", first)
    assert enrolled.status_code == 200, enrolled.text
    assert hub.tokens(bob.device_id) == 1

    _refused_as_used(hub.post(f"/v1/groups/{group}/enrol", first))
    assert hub.tokens(bob.device_id) == 1

    again = hub.post(f"/v1/groups/{group}/enrol", _enrol_body(hub, bob, group, stamp + 1))
    assert again.status_code == 200, again.text
    assert hub.tokens(bob.device_id) == 2


def test_a_registration_sent_again_gets_no_token(hub: Hub, make_store: MakeStore) -> None:
    ann = make_store("ann")
    group = groups.create_group(store=ann, name="Started offline")
    hub_key = hub_device(hub.url)
    members.admit(store=ann, group_id=group, device=hub_key, role="organiser")
    with ann.read() as db:
        membership = [op.to_wire() for op in read_membership(db, ann.sealer, group)]
    code = str(hub_cli(hub.db, "registration-code")["code"])
    address = hub_address(hub.url)

    def body(stamp: int) -> dict[str, Any]:
        message = register_message(hub_key, address, group, code, stamp)
        return {
            "code": code,
            "group_id": group,
            "name": "Started offline",
            "device": ann.device_id,
            "proof": sign(ann.identity.key, message),
            "stamp_ms": stamp,
            "hub_url": address,
            "membership": membership,
        }

    stamp = wall_ms()
    registered = hub.post("/v1/register", body(stamp))
    assert registered.status_code == 200, registered.text
    assert hub.tokens(ann.device_id) == 1

    _refused_as_used(hub.post("/v1/register", body(stamp)))
    assert hub.tokens(ann.device_id) == 1

    # The organiser's laptop whose answer was lost asks again with a new proof: fine.
    again = hub.post("/v1/register", body(stamp + 1))
    assert again.status_code == 200, again.text
    assert hub.tokens(ann.device_id) == 2


def test_one_proof_sent_twice_at_once_gets_one_token(hub: Hub, make_store: MakeStore) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Allotments")
    body = _join_body(hub, ann, make_invite(hub.db, group), wall_ms())
    start = threading.Barrier(2)

    def send(_: int) -> requests.Response:
        start.wait(timeout=30)
        return hub.post("/v1/join", body)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(send, range(2)))
    assert sorted(a.status_code for a in answers) == [200, 409]
    [lost] = [a for a in answers if a.status_code == 409]
    _refused_as_used(lost)
    assert hub.tokens(ann.device_id) == 1


def test_proofs_too_old_to_pass_are_forgotten_as_others_are_spent(
    hub: Hub, make_store: MakeStore
) -> None:
    now = wall_ms()
    old, recent = "a" * 64, "b" * 64  # stand-ins for a proof an hour old and a minute old
    for proof_hash, stamp in ((old, now - 3_600_000), (recent, now - 60_000)):
        hub.query(
            "INSERT INTO hub_used_proofs (proof_hash, stamp_ms) VALUES (:p, :s)",
            p=proof_hash,
            s=stamp,
        )
    before = {row[0] for row in hub.query("SELECT proof_hash FROM hub_used_proofs")}
    ann = make_store("ann")
    group = create_group(hub.db, "Allotments")
    hubs.join_hub(store=ann, hub_url=hub.url, code=make_invite(hub.db, group))

    after = {row[0] for row in hub.query("SELECT proof_hash FROM hub_used_proofs")}
    assert old not in after
    assert recent in after  # it could still pass the clock check: kept
    [spent] = after - before  # the join's own proof
    assert after == before - {old} | {spent}


def test_a_join_refused_for_another_reason_does_not_spend_its_proof(
    hub: Hub, make_store: MakeStore
) -> None:
    """A refused join changes nothing: sent again, it is refused for the same reason."""
    ann = make_store("ann")
    group = create_group(hub.db, "Allotments")
    mistyped = _join_body(hub, ann, make_invite(hub.db, group) + "x", wall_ms())
    for _attempt in range(2):
        answer = hub.post("/v1/join", mistyped)
        assert answer.status_code == 403
        assert "invitation code is not known" in answer.json()["detail"]
    assert hub.tokens(ann.device_id) == 0


class AnswerLost(requests.Session):
    """A connection that loses the answer to the first join: the hub takes the request,
    and the same bytes go again, as a retry after a dropped connection sends them."""

    lost = False

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        if method == "POST" and str(url).endswith("/v1/join") and not self.lost:
            self.lost = True
            super().request(method, url, *args, **kwargs)
        return super().request(method, url, *args, **kwargs)


def test_a_laptop_whose_answer_was_lost_joins_with_a_fresh_proof(
    hub: Hub, make_store: MakeStore
) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Bowls Club")
    client = HubClient(hub.url, session=AnswerLost())
    joined = hubs.join_hub(
        store=ann, hub_url=hub.url, code=make_invite(hub.db, group), client=client
    )
    assert (joined.group_id, joined.role) == (group, "member")
    # The lost answer's token, and the one the fresh proof brought: the laptop keeps this.
    assert hub.tokens(ann.device_id) == 2
    assert sync_group(ann, group).pulled == 0
