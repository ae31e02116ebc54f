"""Each refusal of the hub comes with its stable code: on the wire, to the laptop, and
from ``moot-hub --json``.

A real hub on loopback, spoken to as a laptop would (raw HTTP, to see the wire), and
``moot-hub`` run as a council officer's script would run it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from app import hub_links
from app.clock import wall_ms
from app.codes import Code
from app.identity import DeviceIdentity
from app.store import Store
from sync import hubs
from sync.client import HubClient
from sync.errors import AuthRefused, NotPermitted
from sync.proofs import enrol_message, hub_address, join_message, sign
from sync.protocol import PROTOCOL, PROTOCOL_HEADER
from tests.hubs import create_group, hub_command, make_invite, sqlite_hub

HEADERS = {PROTOCOL_HEADER: str(PROTOCOL)}
MakeStore = Callable[[str], Store]


@dataclass(frozen=True)
class Hub:
    url: str
    db: str
    group: str
    other_group: str


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as (url, db):
        yield Hub(url, db, create_group(db, "Allotments"), create_group(db, "Bowls Club"))


def _join_body(hub: Hub, code: str, *, key: DeviceIdentity | None = None, **change: Any) -> Any:
    laptop = key or DeviceIdentity.generate()
    hub_key = HubClient(hub.url).info().device
    stamp = change.pop("stamp_ms", wall_ms())
    signer = change.pop("signer", laptop)
    proof = sign(signer.key, join_message(hub_key, hub_address(hub.url), code, stamp))
    body = {
        "code": code,
        "device": laptop.device_id,
        "proof": proof,
        "stamp_ms": stamp,
        "hub_url": hub.url,
    }
    return body | change


def _refusal(answer: requests.Response) -> tuple[int, str]:
    """The status and the code; every refusal also carries words for a person."""
    body = answer.json()
    assert set(body) == {"error", "detail"}, body
    assert isinstance(body["detail"], str), body
    assert body["detail"].endswith("."), body
    return answer.status_code, body["error"]


def _token(hub: Hub, store: Store, group: str, role: str = "member") -> str:
    hubs.join_hub(store=store, hub_url=hub.url, code=make_invite(hub.db, group, role=role))
    with store.read() as db:
        link = hub_links.get_link(db, store.sealer, group)
    assert link is not None
    return link.token


def test_a_request_in_another_protocol_or_too_large_or_malformed_is_refused_by_code(
    hub: Hub,
) -> None:
    old = requests.get(f"{hub.url}/v1/hub", headers={PROTOCOL_HEADER: "1"}, timeout=10)
    assert _refusal(old) == (426, Code.PROTOCOL_MISMATCH)
    ops = f"{hub.url}/v1/groups/{hub.group}/ops"
    many = requests.post(ops, json={"ops": [{}] * 2_001}, headers=HEADERS, timeout=10)
    assert _refusal(many) == (400, Code.TOO_LARGE)
    huge = requests.post(ops, data=b"x" * (9 << 20), headers=HEADERS, timeout=30)
    assert _refusal(huge) == (413, Code.TOO_LARGE)
    shapeless = requests.post(f"{hub.url}/v1/join", json={"code": 1}, headers=HEADERS, timeout=10)
    assert _refusal(shapeless) == (422, Code.MALFORMED)


def test_getting_in_is_refused_with_a_code_for_each_reason(hub: Hub) -> None:
    join = f"{hub.url}/v1/join"

    def post(body: Any) -> tuple[int, str]:
        return _refusal(requests.post(join, json=body, headers=HEADERS, timeout=10))

    assert post(_join_body(hub, "no-such-invitation")) == (403, Code.BAD_INVITATION)
    code = make_invite(hub.db, hub.group)
    hour_ago = wall_ms() - 3_600_000
    assert post(_join_body(hub, code, stamp_ms=hour_ago)) == (400, Code.CLOCK_OFF)
    forged = _join_body(hub, code, signer=DeviceIdentity.generate())
    assert post(forged) == (403, Code.BAD_SIGNATURE)
    first = requests.post(join, json=_join_body(hub, code), headers=HEADERS, timeout=10)
    assert first.status_code == 200, first.text
    assert post(_join_body(hub, code)) == (410, Code.INVITATION_SPENT)

    laptop = DeviceIdentity.generate()
    stamp, hub_key = wall_ms(), HubClient(hub.url).info().device
    message = enrol_message(hub_key, hub_address(hub.url), "no-such-group", stamp)
    enrol = {
        "device": laptop.device_id,
        "proof": sign(laptop.key, message),
        "stamp_ms": stamp,
        "hub_url": hub.url,
    }
    answer = requests.post(
        f"{hub.url}/v1/groups/no-such-group/enrol", json=enrol, headers=HEADERS, timeout=10
    )
    assert _refusal(answer) == (404, Code.UNKNOWN_GROUP)


def test_a_laptop_is_refused_by_code_where_it_may_not_go(hub: Hub, make_store: MakeStore) -> None:
    token = _token(hub, make_store("bob"), hub.group)
    ops = f"{hub.url}/v1/groups/{hub.group}/ops"
    anonymous = requests.get(ops, headers=HEADERS, timeout=10)
    assert _refusal(anonymous) == (401, Code.BAD_TOKEN)
    unknown = requests.get(ops, headers=HEADERS | {"Authorization": "Bearer nope"}, timeout=10)
    assert _refusal(unknown) == (401, Code.BAD_TOKEN)
    bearer = HEADERS | {"Authorization": f"Bearer {token}"}
    elsewhere = requests.get(
        f"{hub.url}/v1/groups/{hub.other_group}/ops", headers=bearer, timeout=10
    )
    assert _refusal(elsewhere) == (403, Code.NOT_MEMBER)
    invites = f"{hub.url}/v1/groups/{hub.group}/invites"
    inviting = requests.post(invites, json={}, headers=bearer, timeout=10)
    assert _refusal(inviting) == (403, Code.NOT_ORGANISER)

    # The laptop reads the code, whatever the words.
    client = HubClient(hub.url, token)
    with pytest.raises(NotPermitted) as refused:
        client.invite(hub.group, role="member", uses=1, days=1)
    assert refused.value.code == Code.NOT_ORGANISER
    with pytest.raises(AuthRefused) as unknown_token:
        HubClient(hub.url, "nope").push(hub.group, [])
    assert unknown_token.value.code == Code.BAD_TOKEN
    with pytest.raises(NotPermitted) as spent:
        hubs.join_hub(store=make_store("cat"), hub_url=hub.url, code="no-such-invitation")
    assert spent.value.code == Code.BAD_INVITATION


def _moot_hub(db: str, *args: str) -> tuple[int, dict[str, Any], str]:
    done = subprocess.run(
        [*hub_command(db, *args), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return done.returncode, json.loads(done.stderr) if done.stderr else {}, done.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("revoke", "no-such-invitation-code"), Code.BAD_INVITATION),
        (("invite", "no-such-group"), Code.UNKNOWN_GROUP),
        (("invite", "{group}", "--uses", "0"), Code.INVALID_INPUT),
        (("group", "create", "   "), Code.INVALID_INPUT),
    ],
)
def test_moot_hub_json_says_what_it_refused_by_code(
    hub: Hub, args: tuple[str, ...], code: Code
) -> None:
    status, refused, out = _moot_hub(hub.db, *(a.format(group=hub.group) for a in args))
    assert status == 1
    assert out == ""
    assert refused["error"] == code
    assert refused["message"]


def test_moot_hub_json_says_when_its_database_cannot_be_used(tmp_path: Any) -> None:
    missing = f"sqlite:///{tmp_path / 'no-such-folder' / 'hub.db'}"
    status, refused, _ = _moot_hub(missing, "registration-code")
    assert status == 1
    assert refused["error"] == Code.DATABASE_ERROR
    assert "database could not be used" in refused["message"]
