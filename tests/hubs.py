"""Real council hubs for tests: ``moot-hub serve`` processes on loopback (``sync.hub.local``),
and their API spoken as a laptop speaks it.

A hub runs on a database URL: ``sqlite_url(folder)`` for a SQLite file, or
``postgres_database(MOOT_TEST_PG_URL)`` for a fresh PostgreSQL database of its own.
Groups and invitations are made with the ``moot-hub`` command, as a council would;
laptops (profiles opened with ``app.store.open_store``) join, push and pull over HTTP.

    with running_hub(url) as base:
        gid = create_group(url, "Allotments")
        code = make_invite(url, gid, uses=2)
        gid, token = enrol(base, code, laptop)  # join, then take in the group's log
        push(base, gid, token, own_ops(laptop, gid))
        entries = pull_all(base, gid, token)
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from app import hub_links
from app.apply import IngestResult, ingest, read_log
from app.clock import wall_ms
from app.ops import op_from_wire
from app.store import Store
from sync.hub import tables as t
from sync.hub.db import make_engine
from sync.hub.local import (
    PROTOCOL_HEADERS,
    create_group,
    free_port,
    hub_cli,
    hub_command,
    make_invite,
    migrate,
    postgres_database,
    running_hub,
    sqlite_hub,
    sqlite_url,
)
from sync.proofs import hub_address, join_message, sign

TIMEOUT = 30.0  # seconds, per HTTP request
PG_URL_VARIABLE = "MOOT_TEST_PG_URL"


__all__ = [
    "PROTOCOL_HEADERS",
    "create_group",
    "free_port",
    "hub_cli",
    "hub_command",
    "make_invite",
    "migrate",
    "postgres_database",
    "running_hub",
    "sqlite_hub",
    "sqlite_url",
]


@contextmanager
def hub_on(database: str, root: Path) -> Iterator[tuple[str, str]]:
    """A hub on ``"sqlite"`` (a file in ``root``) or ``"postgresql"`` (a fresh database;
    skipped without one): (base URL, database URL).
    """
    if database == "sqlite":
        with sqlite_hub(root) as hub:
            yield hub
        return
    with postgres_database(pg_url_or_skip()) as db, running_hub(db) as url:
        yield url, db


def pg_url_or_skip() -> str:
    """``MOOT_TEST_PG_URL``, or skip the test with the reason."""
    import pytest

    url = os.environ.get(PG_URL_VARIABLE, "")
    if not url:
        pytest.skip(f"{PG_URL_VARIABLE} not set: no PostgreSQL here")
    return url


def link_token(store: Store, group: str) -> str:
    """The token a laptop's link to a group's hub holds."""
    with store.read() as db:
        link = hub_links.get_link(db, store.sealer, group)
    assert link is not None
    return link.token


# --- the HTTP API, as a laptop uses it -------------------------------------------------


def _http(session: requests.Session | None) -> Any:
    return session if session is not None else requests


def _checked(answer: requests.Response) -> dict[str, Any]:
    if answer.status_code != 200:
        raise AssertionError(
            f"{answer.request.method} {answer.url} answered {answer.status_code}: {answer.text}"
        )
    body: dict[str, Any] = answer.json()
    return body


def _auth(token: str) -> dict[str, str]:
    return {**PROTOCOL_HEADERS, "Authorization": f"Bearer {token}"}


def hub_device(base_url: str, session: requests.Session | None = None) -> str:
    """The hub's own device key, which a laptop's proofs name."""
    answer = _http(session).get(f"{base_url}/v1/hub", headers=PROTOCOL_HEADERS, timeout=TIMEOUT)
    return str(_checked(answer)["device"])


def join_reply(
    base_url: str,
    code: str,
    store: Store,
    *,
    name: str = "",
    session: requests.Session | None = None,
) -> dict[str, Any]:
    """POST /v1/join for the laptop; the hub's whole answer (group, token, role)."""
    stamp = wall_ms()
    address = hub_address(base_url)
    message = join_message(hub_device(base_url, session), address, code, stamp)
    return _checked(
        _http(session).post(
            f"{base_url}/v1/join",
            json={
                "code": code,
                "device": store.device_id,
                "proof": sign(store.identity.key, message),
                "stamp_ms": stamp,
                "name": name,
                "hub_url": address,
            },
            headers=PROTOCOL_HEADERS,
            timeout=TIMEOUT,
        )
    )


def join(
    base_url: str,
    code: str,
    store: Store,
    *,
    name: str = "",
    session: requests.Session | None = None,
) -> tuple[str, str]:
    """Redeem an invitation for the laptop: (group id, bearer token)."""
    reply = join_reply(base_url, code, store, name=name, session=session)
    return str(reply["group_id"]), str(reply["token"])


def push(
    base_url: str,
    group_id: str,
    token: str,
    wire_ops: Sequence[dict[str, Any]],
    *,
    session: requests.Session | None = None,
) -> dict[str, Any]:
    """POST ops to the group's log: {"results": [...], "head": N}."""
    return _checked(
        _http(session).post(
            f"{base_url}/v1/groups/{group_id}/ops",
            json={"ops": list(wire_ops)},
            headers=_auth(token),
            timeout=TIMEOUT,
        )
    )


def pull_page(
    base_url: str,
    group_id: str,
    token: str,
    *,
    after: int = 0,
    limit: int = 500,
    session: requests.Session | None = None,
) -> dict[str, Any]:
    """One page of the log after ``after``: {"ops": [{"seq", "op"}...], "head": N}."""
    return _checked(
        _http(session).get(
            f"{base_url}/v1/groups/{group_id}/ops",
            params={"after": after, "limit": limit},
            headers=_auth(token),
            timeout=TIMEOUT,
        )
    )


def pull_all(
    base_url: str,
    group_id: str,
    token: str,
    after: int = 0,
    limit: int = 500,
    *,
    session: requests.Session | None = None,
) -> list[dict[str, Any]]:
    """Every log entry ({"seq", "op"}) after ``after``, page by page, up to the head."""
    entries: list[dict[str, Any]] = []
    while True:
        page = pull_page(base_url, group_id, token, after=after, limit=limit, session=session)
        entries.extend(page["ops"])
        if not page["ops"] or page["ops"][-1]["seq"] >= page["head"]:
            return entries
        after = page["ops"][-1]["seq"]


# --- laptops -----------------------------------------------------------------------------


def apply_entries(store: Store, entries: Sequence[dict[str, Any]]) -> IngestResult:
    """Take pulled log entries into the laptop's profile, as its sync would."""
    with store.write() as db:
        result = ingest(db, [op_from_wire(e["op"]) for e in entries], sealer=store.sealer)
    store.clock.observe(result.max_hlc)
    return result


def enrol(base_url: str, code: str, store: Store, *, name: str = "") -> tuple[str, str]:
    """Join with ``code`` and take in the group's log, so the laptop may write in it."""
    group_id, token = join(base_url, code, store, name=name)
    apply_entries(store, pull_all(base_url, group_id, token))
    return group_id, token


def own_ops(store: Store, group_id: str) -> list[dict[str, Any]]:
    """The wire form of every op this laptop wrote in the group, in its own order."""
    with store.read() as db:
        ops = [op for op in read_log(db, store.sealer, group_id) if op.device == store.device_id]
    return [op.to_wire() for op in sorted(ops, key=lambda op: op.seq)]


def in_group(db: str, consultation: str, group: str) -> str:
    """The consultation's id in the group's log: each group's is its own."""
    engine = make_engine(db)
    try:
        with engine.begin() as tx:
            cg = t.consultation_groups.c
            return str(
                tx.execute(
                    select(cg.entity).where(
                        cg.consultation_id == consultation, cg.group_id == group
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()
