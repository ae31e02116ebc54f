"""The officers' pages of a real hub, spoken to as a browser speaks to them.

``requests`` rightly sends no Secure cookie over plain http, so ``Visitor`` keeps the
hub's cookies itself and sends them back by hand; it follows no redirect, so each
answer can be looked at. Officers are made with ``moot-hub officer add``, as a
council's administrator would.

    link = add_officer(db, "jo@example.org", groups=[group])
    jo = Visitor(base_url)
    jo.set_password(link, PASSWORD)
    jo.sign_in("jo@example.org", PASSWORD)
    page = jo.get(f"/council/groups/{group}")
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import text

from sync.hub.db import make_engine
from tests.hubs import create_group, hub_cli, sqlite_hub

TIMEOUT = 30.0
PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


@dataclass(frozen=True)
class Hub:
    """A hub on a SQLite file with two groups for officers to be given."""

    url: str
    db: str
    allotments: str
    bowls: str


@contextmanager
def two_group_hub(folder: Path, *, bowls: str = "Bowls Club") -> Iterator[Hub]:
    with sqlite_hub(folder) as (url, db):
        yield Hub(url, db, create_group(db, "Allotments"), create_group(db, bowls))


def add_officer(
    db: str,
    email: str,
    *,
    name: str = "An Officer",
    admin: bool = False,
    groups: tuple[str, ...] | list[str] = (),
    extra: tuple[str, ...] = (),
) -> str:
    """``moot-hub officer add``: the set-password link it printed."""
    args = ["officer", "add", email, "--name", name, *extra]
    if admin:
        args.append("--admin")
    if groups:
        args += ["--groups", ",".join(groups)]
    return str(hub_cli(db, *args)["link"])


def csrf_of(page: str) -> str:
    """The form token in a page (the first form's: every form of a page has the same)."""
    found = _TOKEN.search(page)
    assert found, "the page has no form token"
    return found.group(1)


def set_cookies(answer: requests.Response) -> list[str]:
    return list(answer.raw.headers.getlist("Set-Cookie"))


class Visitor:
    """One browser: its cookies, kept by hand."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> requests.Response:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = requests.request(
            method,
            self.base_url + path,
            headers=sent,
            allow_redirects=False,
            timeout=TIMEOUT,
            **kw,
        )
        for header in set_cookies(answer):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict[str, str], **kw: Any) -> requests.Response:
        return self.request("POST", path, data=data, **kw)

    def submit(self, page: str, action: str, data: dict[str, str], **kw: Any) -> requests.Response:
        """Post a form of the page at ``page`` to ``action``, with the page's form token."""
        shown = self.get(page)
        assert shown.status_code == 200, f"{page} answered {shown.status_code}"
        return self.post(action, {"csrf_token": csrf_of(shown.text), **data}, **kw)

    def set_password(self, link: str, password: str = PASSWORD) -> requests.Response:
        path = urlsplit(link).path
        return self.submit(path, path, {"password": password, "again": password})

    def sign_in(
        self, email: str, password: str = PASSWORD, *, next_path: str = "/council/"
    ) -> requests.Response:
        return self.submit(
            "/council/sign-in",
            "/council/sign-in",
            {"email": email, "password": password, "next": next_path},
        )


def officer(base_url: str, db: str, email: str, **kw: Any) -> Visitor:
    """A signed-in officer, made with ``moot-hub officer add`` (``kw`` as add_officer)."""
    visitor = Visitor(base_url)
    assert visitor.set_password(add_officer(db, email, **kw)).status_code == 303
    assert visitor.sign_in(email).status_code == 303
    return visitor


def rows(db: str, sql: str, **params: Any) -> list[Any]:
    """Read the hub's database directly: what the pages do not show."""
    engine = make_engine(db)
    try:
        with engine.begin() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def change(db: str, sql: str, **params: Any) -> int:
    """Change the hub's database directly (time passing, say); the rows changed."""
    engine = make_engine(db)
    try:
        with engine.begin() as conn:
            return int(conn.execute(text(sql), params).rowcount)
    finally:
        engine.dispose()
