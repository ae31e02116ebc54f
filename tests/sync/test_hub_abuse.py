"""A hub under abuse answers 413, 429 or another 4xx, never 5xx, and its memory stays bounded.

Real hubs on loopback (rate limits on, as `moot-hub serve` runs by default): bodies
of 10 MB and 100 MB, a burst of requests (``MOOT_ABUSE_BURST``, 5,000 here and on
demand), wrong tokens in a loop, malformed JSON, long headers. Then the limits
themselves, through the middleware with a clock the test moves: per address, per
token, an IPv6 household by its /64, and a bounded number of buckets.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from app import hub_links
from app.codes import Code
from app.store import Store
from sync import hubs
from sync.engine import sync_group
from sync.errors import Refused
from sync.hub.body import Message, Scope
from sync.hub.limits import Limit, Limits, RateLimited
from sync.protocol import PROTOCOL, PROTOCOL_HEADER
from tests.hubs import create_group, make_invite, sqlite_hub
from ui.sync_words import describe_failure

MakeStore = Callable[[str], Store]
BURST = int(os.environ.get("MOOT_ABUSE_BURST", "5000"))
HEADERS = {PROTOCOL_HEADER: str(PROTOCOL)}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A hub's URL, its database URL and a group on it."""
    with sqlite_hub(tmp_path) as (url, db):
        yield url, db, create_group(db, "Abbey Fields")


def _hub_rss_kb(url: str) -> int:
    """The resident memory of the hub process serving ``url``."""
    port = str(urlsplit(url).port)
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, PermissionError):
            continue
        if b"serve" in argv and port.encode() in argv:
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    raise AssertionError(f"no hub process on port {port}")


def _declared_body(url: str, size: int) -> tuple[int, dict[str, str]]:
    """Send headers declaring a body of ``size`` bytes, and read the answer before sending it."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            f"POST /v1/groups/g/ops HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"{PROTOCOL_HEADER}: {PROTOCOL}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\n\r\n".encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


@pytest.mark.parametrize("megabytes", [10, 100])
def test_a_body_too_large_is_refused_before_it_is_read(
    hub: tuple[str, str, str], megabytes: int, record_property: Callable[[str, object], None]
) -> None:
    url, _, _ = hub
    before = _hub_rss_kb(url)
    status, body = _declared_body(url, megabytes * 1024 * 1024)
    assert status == 413
    assert body["error"] == "too_large"
    assert "larger than this hub takes" in body["detail"]
    # Sent whole without saying its size, it is refused once past the limit.
    sent = requests.post(
        f"{url}/v1/groups/g/ops",
        data=iter([b"x" * 1024 * 1024] * 9),  # chunked: no Content-Length
        headers=HEADERS,
        timeout=30,
    )
    assert sent.status_code == 413
    grown = _hub_rss_kb(url) - before
    record_property("count", 2)
    record_property("unit", "bodies")
    record_property("rss_growth_kb", grown)
    assert grown < 64 * 1024


def test_a_burst_of_requests_meets_429_and_the_hub_stays_well(
    hub: tuple[str, str, str], make_store: MakeStore, record_property: Callable[[str, object], None]
) -> None:
    url, db, group = hub
    laptop = make_store("laptop")
    hubs.join_hub(store=laptop, hub_url=url, code=make_invite(db, group))
    with laptop.read() as db:
        link = hub_links.get_link(db, laptop.sealer, group)
    assert link is not None
    headers = {**HEADERS, "Authorization": f"Bearer {link.token}"}
    before = _hub_rss_kb(url)
    local = threading.local()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session  # type: ignore[no-any-return]

    def pull(_: int) -> tuple[int, str | None]:
        answer = session().get(
            f"{url}/v1/groups/{group}/ops", params={"after": 0, "limit": 1}, headers=headers,
            timeout=30,
        )  # fmt: skip
        return answer.status_code, answer.headers.get("Retry-After")

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(pull, range(BURST)))
    statuses = Counter(status for status, _ in answers)
    grown = _hub_rss_kb(url) - before
    record_property("count", BURST)
    record_property("unit", "requests")
    record_property("answered_200", statuses[200])
    record_property("answered_429", statuses[429])
    record_property("server_errors", sum(n for s, n in statuses.items() if s >= 500))
    record_property("rss_growth_kb", grown)
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[200] >= Limits().token.burst  # a laptop's sync is never near the limit
    assert statuses[429] > 0
    assert all(wait and int(wait) >= 1 for status, wait in answers if status == 429)
    assert grown < 64 * 1024
    # The token's bucket refills: after the wait it names, the laptop syncs again.
    waited = max(int(wait) for status, wait in answers if status == 429 and wait)
    assert waited <= 2
    time.sleep(waited)
    assert session().get(
        f"{url}/v1/groups/{group}/ops", params={"after": 0, "limit": 1}, headers=headers,
        timeout=30,
    ).status_code == 200  # fmt: skip


def _guess(session: requests.Session, url: str, group: str) -> requests.Response:
    """A pull with a token nobody was given."""
    return session.get(
        f"{url}/v1/groups/{group}/ops",
        params={"after": 0, "limit": 1},
        headers={**HEADERS, "Authorization": f"Bearer {secrets.token_urlsafe(24)}"},
        timeout=30,
    )


def test_wrong_tokens_in_a_loop_soon_wait_between_guesses(
    hub: tuple[str, str, str], make_store: MakeStore
) -> None:
    url, db, group = hub
    laptop = make_store("laptop")
    hubs.join_hub(store=laptop, hub_url=url, code=make_invite(db, group))
    with requests.Session() as session:
        answers = [_guess(session, url, group) for _ in range(100)]
        guesses = Limits().refused.burst
        statuses = [answer.status_code for answer in answers]
        assert statuses == [401] * guesses + [429] * (100 - guesses)  # then every guess waits
        assert "refused attempts" in answers[-1].json()["detail"]
        # A laptop on the same network waits too, and is told why in words.
        with pytest.raises(Refused) as refused:
            sync_group(laptop, group)
    assert refused.value.code == Code.RATE_LIMITED
    assert "too many requests" in describe_failure(refused.value, url)


def test_malformed_json_and_long_headers_are_refused_in_words(hub: tuple[str, str, str]) -> None:
    url, _, group = hub
    answers = [
        requests.post(f"{url}/v1/join", data=b"{not json", headers=HEADERS, timeout=30),
        requests.post(f"{url}/v1/join", data=b"[" * 100_000, headers=HEADERS, timeout=30),
        requests.post(
            f"{url}/v1/groups/{group}/ops",
            data=json.dumps({"ops": [1e308]}),
            headers=HEADERS,
            timeout=30,
        ),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.text
        assert answer.json()["detail"]
    try:
        long = requests.get(
            f"{url}/v1/hub", headers={**HEADERS, "X-Padding": "a" * 200_000}, timeout=30
        )
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        pass  # the server may close a connection whose headers will not end
    else:
        assert 400 <= long.status_code < 500
    assert requests.get(f"{url}/v1/hub", headers=HEADERS, timeout=30).status_code == 200


# --- the limits, through the middleware with a clock the test moves ------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _limited(limits: Limits, clock: _Clock) -> tuple[Callable[..., int], RateLimited]:
    async def app(scope: Scope, receive: object, send: Callable[[Message], object]) -> None:
        status = 401 if scope["path"] == "/v1/wrong" else 200
        await send({"type": "http.response.start", "status": status, "headers": []})  # type: ignore[misc]
        await send({"type": "http.response.body", "body": b""})  # type: ignore[misc]

    middleware = RateLimited(app, limits=limits, clock=clock)

    def call(address: str, token: str | None = None, path: str = "/v1/hub") -> int:
        headers = [(b"authorization", f"Bearer {token}".encode())] if token else []
        scope = {"type": "http", "path": path, "client": (address, 5000), "headers": headers}
        got: list[int] = []

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                got.append(message["status"])

        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        asyncio.run(middleware(scope, receive, send))
        return got[0]

    return call, middleware


def test_each_address_and_each_token_has_its_own_limit() -> None:
    clock = _Clock()
    limits = Limits(address=Limit(1.0, 5), token=Limit(1.0, 3), refused=Limit(0.1, 2))
    call, _ = _limited(limits, clock)
    assert [call("10.0.0.1", "ann") for _ in range(4)] == [200, 200, 200, 429]
    assert call("10.0.0.1", "bob") == 200  # another laptop on the same network
    assert call("10.0.0.1") == 429  # the network's own limit is spent now
    assert call("10.0.0.2", "cat") == 200  # another network is not held back
    clock.now += 2.0  # two seconds refill two requests
    assert [call("10.0.0.1", "ann") for _ in range(3)] == [200, 200, 429]


def test_refused_credentials_hold_back_only_their_address() -> None:
    clock = _Clock()
    call, _ = _limited(Limits(refused=Limit(0.2, 3)), clock)
    assert [call("10.0.0.1", path="/v1/wrong") for _ in range(5)] == [401, 401, 401, 429, 429]
    assert call("10.0.0.1", "ann") == 429  # guessing from here waits, whatever the token
    assert call("10.0.0.2", "bob") == 200
    clock.now += 5.0  # one more guess each five seconds
    assert call("10.0.0.1", path="/v1/wrong") == 401
    assert call("10.0.0.1", path="/v1/wrong") == 429


def test_an_ipv6_household_counts_once_and_buckets_are_bounded() -> None:
    clock = _Clock()
    limits = Limits(address=Limit(1.0, 2), max_keys=100)
    call, middleware = _limited(limits, clock)
    assert call("2001:db8:1:2::10") == 200
    assert call("2001:db8:1:2::11") == 200  # the same /64
    assert call("2001:db8:1:2:ffff::1") == 429
    assert call("2001:db8:1:3::10") == 200  # the next /64 is another household
    for n in range(1_000):  # a thousand addresses: the oldest are forgotten, not kept
        call(f"10.1.{n // 256}.{n % 256}")
    assert len(middleware.by_address) == limits.max_keys
