"""The hub's log: ``moot-hub serve --log-format json`` writes one JSON object a line on
stderr, a ``request`` line per answer, and never a secret.

A real hub serves laptops joining with invitation codes, an officer's one-time link and
a refused guess; every line of its stderr must parse as JSON, the requests must be
logged by their routes' templates with status, duration and the caller's address as
the hub sees it, and no code, token or one-time link may appear anywhere in the log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from app import moot_version
from app.services import discussions
from app.store import Store
from sync import hubs
from sync.engine import sync_group
from sync.errors import NotPermitted
from sync.hub.logs import JsonFormatter, TextFormatter, event
from tests.hubs import (
    PROTOCOL_HEADERS,
    create_group,
    hub_cli,
    hub_command,
    link_token,
    make_invite,
    running_hub,
    sqlite_url,
)

MakeStore = Callable[[str], Store]
TIMEOUT = 30


def _lines(log: Path) -> list[dict[str, Any]]:
    """Every line of the log, each of which must be a JSON object."""
    parsed = []
    for line in log.read_text(encoding="utf-8").splitlines():
        found = json.loads(line)  # fails the test on a line that is not JSON
        assert isinstance(found, dict), line
        parsed.append(found)
    return parsed


def test_the_json_log_has_a_line_per_request_and_no_secret(
    tmp_path: Path, make_store: MakeStore
) -> None:
    db = sqlite_url(tmp_path)
    log = tmp_path / "hub.log"
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(db, "Allotments")
    codes = [make_invite(db, group, role="organiser"), make_invite(db, group)]
    guess = "NotARealCode1234"
    with running_hub(db, log_path=log, serve_options=("--log-format", "json")) as url:
        officer = hub_cli(
            db, "officer", "add", "jo@example.org", "--name", "Jo", "--public-url", url
        )
        link = str(officer["link"])
        one_time = link.rstrip("/").rsplit("/", 1)[1]
        hubs.join_hub(store=ann, hub_url=url, code=codes[0])
        hubs.join_hub(store=bob, hub_url=url, code=codes[1])
        with pytest.raises(NotPermitted):
            hubs.join_hub(store=make_store("eve"), hub_url=url, code=guess)
        discussions.start_discussion(store=ann, group_id=group, title="Plots", body="Who?")
        sync_group(ann, group)
        assert requests.get(link, timeout=TIMEOUT).status_code == 200
        token = link_token(ann, group)
        query = "QuerySecret5678"
        through_proxy = requests.get(
            f"{url}/v1/groups/{group}/ops",
            params={"after": "0", "secret": query},
            headers={
                **PROTOCOL_HEADERS,
                "Authorization": f"Bearer {token}",
                "X-Forwarded-For": "203.0.113.7",  # from 127.0.0.1: the proxy uvicorn trusts
            },
            timeout=TIMEOUT,
        )
        assert through_proxy.status_code == 200
        assert requests.get(f"{url}/no/{one_time}", timeout=TIMEOUT).status_code == 404
        assert requests.get(f"{url}/healthz", timeout=TIMEOUT).status_code == 200
    text = log.read_text(encoding="utf-8")
    secrets = [*codes, guess, one_time, token, link_token(bob, group), query]
    assert not [s for s in secrets if s in text], "a secret reached the hub's log"

    lines = _lines(log)
    assert lines[0]["event"] == "startup"
    assert lines[0]["version"] == moot_version()
    assert lines[-1]["event"] == "shutdown"
    requested = [line for line in lines if line["event"] == "request"]
    for line in requested:
        assert set(line) >= {"ts", "level", "method", "path", "status", "duration_ms", "client"}
        when = dt.datetime.fromisoformat(line["ts"])
        assert when.utcoffset() == dt.timedelta(0)
        assert line["ts"].endswith("Z")
        assert line["level"] in ("info", "warning")
        assert isinstance(line["duration_ms"], float)
    seen = {(line["method"], line["path"], line["status"]) for line in requested}
    assert ("POST", "/v1/join", 200) in seen
    assert ("POST", "/v1/join", 403) in seen  # the guess
    assert ("GET", "/v1/groups/{group_id}/ops", 200) in seen
    assert ("POST", "/v1/groups/{group_id}/ops", 200) in seen
    assert ("GET", "/council/set-password/{token}", 200) in seen
    assert ("GET", "(no route)", 404) in seen
    assert not [line for line in requested if line["path"] == "/healthz"]  # probes are quiet
    proxied = [line for line in requested if line["client"] == "203.0.113.7"]
    assert [line["path"] for line in proxied] == ["/v1/groups/{group_id}/ops"]
    assert {line["client"] for line in requested} == {"127.0.0.1", "203.0.113.7"}


def test_a_proxy_the_hub_does_not_trust_is_not_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--trusted-proxy`` names the proxies; the log format may come from the environment."""
    log = tmp_path / "hub.log"
    monkeypatch.setenv("MOOT_HUB_LOG_FORMAT", "json")
    options = ("--trusted-proxy", "192.0.2.10", "--trusted-proxy", "198.51.100.0/24")
    with running_hub(sqlite_url(tmp_path), log_path=log, serve_options=options) as url:
        answer = requests.get(
            f"{url}/v1/hub",
            headers={**PROTOCOL_HEADERS, "X-Forwarded-For": "203.0.113.7"},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200
    lines = _lines(log)
    assert lines[0]["trusted_proxies"] == ["192.0.2.10", "198.51.100.0/24"]
    clients = {line["client"] for line in lines if line["event"] == "request"}
    assert clients == {"127.0.0.1"}


def test_a_hub_that_cannot_start_says_so_in_one_json_line(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    hub_cli(db, "group", "create", "Allotments")  # the database now has its hub's key
    garbled = tmp_path / "garbled.key"
    garbled.write_text("not a key\n")
    done = subprocess.run(
        [*hub_command(db, "serve", "--key", str(garbled), "--log-format", "json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [line["event"] for line in lines] == ["no_public_url", "startup_failed"]
    assert lines[1]["level"] == "error"
    assert "is not a Moot hub key" in lines[1]["message"]


def test_an_error_and_its_traceback_are_one_line() -> None:
    try:
        raise ValueError("the disk is full")
    except ValueError:
        record = logging.LogRecord(
            "uvicorn.error",
            logging.ERROR,
            __file__,
            1,
            "Exception in ASGI application",
            (),
            sys.exc_info(),
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    found = json.loads(line)
    assert (found["level"], found["event"], found["error"]) == ("error", "message", "ValueError")
    assert found["traceback"].startswith("Traceback (most recent call last)")
    assert found["traceback"].endswith("ValueError: the disk is full")
    assert found["message"] == "Exception in ASGI application"


def test_the_text_log_is_for_reading() -> None:
    fields = event("request", method="GET", path="/v1/hub", status=200, duration_ms=1.5)
    record = logging.LogRecord("sync.hub.requests", logging.INFO, __file__, 1, "", (), None)
    record.__dict__.update(fields)
    line = TextFormatter().format(record)
    assert line.endswith(" INFO request method=GET path=/v1/hub status=200 duration_ms=1.5")
    assert line[:24].endswith("Z")
