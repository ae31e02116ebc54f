"""The hub's health check, ``/healthz``, as a reverse proxy and a container probe it.

200 with the hub's version once its database answers; 503 in words when the database is
gone (a SQLite file's folder removed under a hub in this process; a PostgreSQL database
dropped under a hub process); never 429, however often it is asked; outside the API's
OpenAPI description, which schemathesis reads.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import requests
import uvicorn
from fastapi import FastAPI
from psycopg import sql
from sqlalchemy.engine import make_url

from app import moot_version
from sync.hub.api import create_app
from sync.hub.db import make_engine, migrate
from sync.hub.limits import Limit, Limits
from sync.hub.settings import HubSettings
from tests.hubs import (
    PROTOCOL_HEADERS,
    free_port,
    pg_url_or_skip,
    postgres_database,
    running_hub,
    sqlite_url,
)

TIMEOUT = 30


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + TIMEOUT
    while not server.started:
        assert thread.is_alive(), "the hub stopped as it started"
        assert time.monotonic() < deadline, "the hub did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(TIMEOUT)


def _app(folder: Path, limits: Limits | None = None) -> FastAPI:
    db = sqlite_url(folder)
    engine = make_engine(db)
    migrate(engine)
    engine.dispose()
    return create_app(HubSettings(db_url=db, key_file=folder / "hub.key", limits=limits))


def test_a_live_hub_is_healthy(tmp_path: Path) -> None:
    with running_hub(sqlite_url(tmp_path)) as url:
        answer = requests.get(f"{url}/healthz", timeout=TIMEOUT)  # no protocol header
        assert answer.status_code == 200
        assert answer.json() == {"status": "ok", "version": moot_version(), "database": "ok"}
        assert answer.headers["Cache-Control"] == "no-store"
        head = requests.head(f"{url}/healthz", timeout=TIMEOUT)
        assert (head.status_code, head.content) == (200, b"")
        described = requests.get(f"{url}/v1/openapi.json", timeout=TIMEOUT).json()
        assert "/healthz" not in described["paths"]
        refused = requests.post(f"{url}/healthz", timeout=TIMEOUT)
        assert refused.status_code == 405


def test_probes_are_never_rate_limited(tmp_path: Path) -> None:
    few = Limit(per_second=0.01, burst=3)
    app = _app(tmp_path, Limits(address=few, token=few, refused=few))
    with served(app) as url, requests.Session() as session:
        api = [
            session.get(f"{url}/v1/hub", headers=PROTOCOL_HEADERS, timeout=TIMEOUT)
            for _ in range(5)
        ]
        probes = [session.get(f"{url}/healthz", timeout=TIMEOUT) for _ in range(50)]
    assert [a.status_code for a in api] == [200, 200, 200, 429, 429]
    assert {p.status_code for p in probes} == {200}


def test_a_sqlite_database_gone_is_unhealthy(tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    folder.mkdir()
    app = _app(folder)
    with served(app) as url:
        assert requests.get(f"{url}/healthz", timeout=TIMEOUT).status_code == 200
        shutil.rmtree(folder)  # the disk it was on is gone, say
        app.state.hub.engine.dispose()  # and the connections open on it with it
        answer = requests.get(f"{url}/healthz", timeout=TIMEOUT)
        head = requests.head(f"{url}/healthz", timeout=TIMEOUT)
    assert answer.status_code == 503
    body = answer.json()
    assert (body["status"], body["database"]) == ("unavailable", "unreachable")
    assert body["detail"].startswith("The hub cannot reach its database (OperationalError)")
    assert head.status_code == 503


def test_a_postgres_database_gone_is_unhealthy() -> None:
    admin = pg_url_or_skip()
    with postgres_database(admin) as db, running_hub(db) as url:
        assert requests.get(f"{url}/healthz", timeout=TIMEOUT).status_code == 200
        with psycopg.connect(admin, autocommit=True) as server:  # its connections end with it
            name = sql.Identifier(str(make_url(db).database))
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
        answer = requests.get(f"{url}/healthz", timeout=TIMEOUT)
        assert answer.status_code == 503
        body = answer.json()
        assert (body["status"], body["database"]) == ("unavailable", "unreachable")
        assert "moot" not in body["detail"]  # no address, role or password in the answer


@pytest.mark.parametrize("path", ["/healthz", "/v1/hub"])
def test_health_is_answered_beside_the_api(tmp_path: Path, path: str) -> None:
    """The API keeps its protocol check; the health check needs none."""
    with served(_app(tmp_path)) as url:
        answer = requests.get(f"{url}{path}", timeout=TIMEOUT)
    assert answer.status_code == (200 if path == "/healthz" else 426)
