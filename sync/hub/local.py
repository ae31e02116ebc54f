"""A council hub run on this machine: ``moot-hub`` commands, and ``moot-hub serve`` as a
process of its own on a free loopback port, on a SQLite file or a PostgreSQL database.

For trying a hub out beside a laptop, and for what measures or checks one:

    db = sqlite_url(folder)
    with running_hub(db) as base_url:
        group = create_group(db, "Allotments")
        code = make_invite(db, group, uses=2)
"""

from __future__ import annotations

import json
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

from sync.protocol import PROTOCOL, PROTOCOL_HEADER

PROTOCOL_HEADERS = {PROTOCOL_HEADER: str(PROTOCOL)}
STARTUP_TIMEOUT = 30.0  # seconds for a hub to answer after it is started


class HubCommandFailed(RuntimeError):
    """A ``moot-hub`` command refused or failed; the message has what it said."""


class HubDidNotStart(RuntimeError):
    """``moot-hub serve`` exited, or did not answer in time; the message has its output."""


def sqlite_url(folder: Path) -> str:
    """A hub database in ``folder``: a SQLite file every hub process there can share."""
    return f"sqlite:///{Path(folder) / 'hub.db'}"


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one hub; dropped afterwards.

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
        drop_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Drop a database made for one hub, even one a killed hub was still connected to."""
    import psycopg
    from psycopg import sql

    drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        try:
            # Plain first: it waits out an autovacuum worker busy there, which FORCE
            # may not stop for a role that is not a superuser.
            admin.execute(drop)
        except psycopg.errors.ObjectInUse:
            # A killed hub's connection, not yet noticed as gone.
            admin.execute(drop + sql.SQL(" WITH (FORCE)"))


# --- the moot-hub command ----------------------------------------------------------------


def hub_command(db_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "sync.hub.cli", "--db", db_url, *args]


def hub_cli(db_url: str, *args: str) -> dict[str, Any]:
    """Run a ``moot-hub`` command with ``--json``; its answer, or HubCommandFailed with why."""
    done = subprocess.run(  # noqa: S603  (this Python, running moot-hub)
        [*hub_command(db_url, *args), "--json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise HubCommandFailed(
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
    raise HubDidNotStart(f"the hub at {base_url} did not answer in {timeout:.0f} s:\n{_tail(log)}")


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
    rate_limits: bool = True,
    serve_options: Sequence[str] = (),
) -> Iterator[str]:
    """Run ``moot-hub serve`` on a free loopback port; yields its base URL.

    It is told that URL is its public address, so it refuses proofs made for any
    other, unless ``knows_its_address`` is false (laptops reach it through a relay).
    Without ``rate_limits`` it answers every request, however many come at once.
    ``serve_options`` go to ``serve`` as well (``--log-format json``, say).

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
        extra += serve_options
        if not rate_limits:
            extra.append("--no-rate-limits")
        for _attempt in range(5):  # another process may take the port before the hub binds
            log.seek(0)
            log.truncate()
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            process = subprocess.Popen(  # noqa: S603  (this Python, running moot-hub)
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
                raise HubDidNotStart(
                    f"the hub exited with code {process.returncode}:\n{_tail(log)}"
                )
        else:
            raise HubDidNotStart(f"no free port for the hub:\n{_tail(log)}")
        yield base_url


@contextmanager
def sqlite_hub(folder: Path, *, rate_limits: bool = True) -> Iterator[tuple[str, str]]:
    """A hub serving a new SQLite database in ``folder``: (base URL, database URL)."""
    db = sqlite_url(folder)
    with running_hub(db, rate_limits=rate_limits) as url:
        yield url, db
