"""Real council hubs for tests: ``moot-hub serve`` processes on loopback, and their API.

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

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TextIO

import requests

from app.apply import IngestResult, ingest, read_log
from app.clock import wall_ms
from app.ops import op_from_wire
from app.store import Store
from sync.proofs import hub_address, join_message, sign
from sync.protocol import PROTOCOL

PROTOCOL_HEADERS = {"Moot-Protocol": str(PROTOCOL)}
TIMEOUT = 30.0  # seconds, per HTTP request
STARTUP_TIMEOUT = 30.0  # seconds for a hub to answer after it is started
PG_URL_VARIABLE = "MOOT_TEST_PG_URL"


# --- databases -------------------------------------------------------------------------


def sqlite_url(folder: Path) -> str:
    """A hub database in ``folder``: a SQLite file every hub process there can share."""
    return f"sqlite:///{Path(folder) / 'hub.db'}"


def pg_url_or_skip() -> str:
    """``MOOT_TEST_PG_URL``, or skip the test with the reason."""
    import pytest

    url = os.environ.get(PG_URL_VARIABLE, "")
    if not url:
        pytest.skip(f"{PG_URL_VARIABLE} not set: no PostgreSQL here")
    return url


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards.

    ``admin_url`` names a database the role may connect to, and the role needs
    CREATEDB (``.ci/run`` makes role ``moot`` so). Yields the new database's URL, in the
    form ``admin_url`` has (TCP or Unix socket, ``postgresql://...``).
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    name = f"moot_test_{uuid.uuid4().hex[:16]}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            # FORCE: a hub that was killed may leave a connection behind for a moment.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# --- the moot-hub command ----------------------------------------------------------------


def hub_command(db_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "sync.hub.cli", "--db", db_url, *args]


def hub_cli(db_url: str, *args: str) -> dict[str, Any]:
    """Run a ``moot-hub`` command with ``--json``; its answer, or AssertionError with why."""
    done = subprocess.run(
        [*hub_command(db_url, *args), "--json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"moot-hub {' '.join(args)} failed ({done.returncode}):\n{done.stderr}{done.stdout}"
        )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def migrate(db_url: str) -> None:
    hub_cli(db_url, "migrate")


def create_group(db_url: str, name: str) -> str:
    """Found a group on the hub (``moot-hub group create``); its id."""
    return str(hub_cli(db_url, "group", "create", name)["id"])


def make_invite(db_url: str, group_id: str, *, role: str = "member", uses: int = 1) -> str:
    """An invitation code (``moot-hub invite``)."""
    return str(hub_cli(db_url, "invite", group_id, "--role", role, "--uses", str(uses))["code"])


# --- hub processes -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(log: TextIO, lines: int = 40) -> str:
    log.flush()
    log.seek(0)
    return "".join(log.readlines()[-lines:])


def _wait_until_up(
    base_url: str, process: subprocess.Popen[bytes], log: TextIO, timeout: float
) -> bool:
    """True once the hub answers; False if it exited (its port taken, say)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            answer = requests.get(f"{base_url}/v1/hub", headers=PROTOCOL_HEADERS, timeout=2)
        except requests.RequestException:
            answer = None
        if answer is not None and answer.status_code == 200:
            return True
        time.sleep(0.05)
    raise AssertionError(f"the hub at {base_url} did not answer in {timeout:.0f} s:\n{_tail(log)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running_hub(
    db_url: str,
    *,
    name: str | None = None,
    log_path: Path | None = None,
    startup_timeout: float = STARTUP_TIMEOUT,
    knows_its_address: bool = True,
) -> Iterator[str]:
    """Run ``moot-hub serve`` on a free loopback port; yields its base URL.

    It is told that URL is its public address, so it refuses proofs made for any
    other, unless ``knows_its_address`` is false (laptops reach it through a relay).

    The hub migrates its database as it starts. Its output (warnings, tracebacks) goes
    to ``log_path`` if given, else to a temporary file, and is shown if it fails to
    start. Stopped (SIGTERM, then SIGKILL) on leaving the block.
    """
    with ExitStack() as stack:
        if log_path is None:
            log = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        else:
            log = stack.enter_context(open(log_path, "w+", encoding="utf-8"))
        extra = ["--name", name] if name else []
        for _attempt in range(5):  # another process may take the port before the hub binds
            log.seek(0)
            log.truncate()
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            process = subprocess.Popen(
                hub_command(
                    db_url,
                    "serve",
                    *("--host", "127.0.0.1", "--port", str(port)),
                    *(("--public-url", base_url) if knows_its_address else ()),
                    *extra,
                ),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            stack.callback(_stop, process)
            if _wait_until_up(base_url, process, log, startup_timeout):
                break
            if "address already in use" not in _tail(log).lower():
                raise AssertionError(
                    f"the hub exited with code {process.returncode}:\n{_tail(log)}"
                )
        else:
            raise AssertionError(f"no free port for the hub:\n{_tail(log)}")
        yield base_url


@contextmanager
def sqlite_hub(folder: Path) -> Iterator[tuple[str, str]]:
    """A hub serving a new SQLite database in ``folder``: (base URL, database URL)."""
    db = sqlite_url(folder)
    with running_hub(db) as url:
        yield url, db


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
