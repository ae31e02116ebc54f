"""Council officers: their accounts, set-password links, cookie sessions, the sign-in
lockout, and the audit log of what they did.

Officers are hub accounts, never members of a group. The hub keeps no secret of
theirs in the clear: passwords as argon2 hashes, session cookies and set-password
links as sha256 hashes (each is a long random value, so a fast hash is enough).
Everything here works on a connection the caller opened (one transaction per request).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, select, text, update

from app.clock import DAY_MS, wall_ms
from app.codes import Code
from sync.hub import tables as t
from sync.hub.errors import HubRefusal, NotFoundOnHub
from sync.hub.service import require_group

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
MIN_PASSWORD = 12
MAX_PASSWORD = 1_000  # argon2 takes any length; the cap bounds one request's work
LINK_DAYS = 7  # a set-password link works once, within this
LINK_MS = LINK_DAYS * DAY_MS
IDLE_MS = 8 * HOUR_MS  # a session unused this long has ended
SESSION_MS = 7 * DAY_MS  # and any session ends this long after sign-in
TOUCH_MS = MINUTE_MS  # how often a session's last use is written down
LOCK_WINDOW_MS = 15 * MINUTE_MS
EMAIL_LIMIT = 5  # failed sign-ins for one e-mail address within the window
ADDRESS_LIMIT = 20  # failed sign-ins from one client address within the window

HASHER = PasswordHasher()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Officer:
    """A signed-in officer, as the pages check what they may see."""

    id: int
    email: str
    name: str
    admin: bool
    group_ids: frozenset[str]

    def can_see(self, group_id: str) -> bool:
        """An administrator sees every group; another officer, those given."""
        return self.admin or group_id in self.group_ids


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_email(email: str) -> str:
    """An e-mail address as accounts are keyed: trimmed and lower-cased."""
    return email.strip().lower()[:254]


# --- accounts ------------------------------------------------------------------------


def add_officer(
    conn: Connection, *, email: str, name: str, admin: bool, group_ids: list[str]
) -> tuple[Officer, str]:
    """Make an account (or renew one: a forgotten password, a removed officer back) and
    a one-time set-password token for it; the officer's old links stop working.
    """
    email = normal_email(email)
    if not _EMAIL.match(email):
        raise HubRefusal(f"{email!r} is not an e-mail address.", code=Code.INVALID_INPUT)
    if not name.strip():
        raise HubRefusal("An officer needs a name (--name).", code=Code.INVALID_INPUT)
    groups = sorted({g.strip() for g in group_ids if g.strip()})
    for group_id in groups:
        require_group(conn, group_id)
    name = name.strip()[:200]
    values = {"name": name, "admin": admin, "disabled": False}
    found = conn.execute(select(t.officers.c.id).where(t.officers.c.email == email)).scalar()
    if found is None:
        officer_id = int(
            conn.execute(
                insert(t.officers)
                .values(email=email, created_ms=wall_ms(), **values)
                .returning(t.officers.c.id)
            ).scalar_one()
        )
    else:
        officer_id = int(found)
        # Renewed, perhaps because the account was taken over: the old password and
        # every sign-in made with it stop working now, not when the link is used.
        values["password_hash"] = None
        conn.execute(update(t.officers).where(t.officers.c.id == officer_id).values(**values))
        end_sessions(conn, officer_id=officer_id)
    conn.execute(delete(t.officer_groups).where(t.officer_groups.c.officer_id == officer_id))
    if groups:
        conn.execute(
            insert(t.officer_groups), [{"officer_id": officer_id, "group_id": g} for g in groups]
        )
    conn.execute(delete(t.password_links).where(t.password_links.c.officer_id == officer_id))
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(t.password_links).values(
            token_hash=_sha256(token), officer_id=officer_id, expires_ms=wall_ms() + LINK_MS
        )
    )
    officer = Officer(officer_id, email, name, admin, frozenset(groups))
    kind = "administrator" if admin else "groups: " + (", ".join(groups) or "none")
    audit(conn, officer=None, action="officer added", target=email, detail=kind)
    return officer, token


def list_officers(conn: Connection) -> list[dict[str, Any]]:
    """Every account, with its groups and whether it has a password yet."""
    given: dict[int, list[str]] = {}
    for row in conn.execute(select(t.officer_groups).order_by(t.officer_groups.c.group_id)):
        given.setdefault(row.officer_id, []).append(row.group_id)
    rows = conn.execute(select(t.officers).order_by(t.officers.c.email))
    return [
        {
            "email": r.email,
            "name": r.name,
            "admin": bool(r.admin),
            "groups": given.get(r.id, []),
            "password_set": r.password_hash is not None,
            "disabled": bool(r.disabled),
        }
        for r in rows
    ]


def remove_officer(conn: Connection, *, email: str) -> None:
    """Disable an account: its sessions end and its links stop working at once."""
    email = normal_email(email)
    found = conn.execute(select(t.officers.c.id).where(t.officers.c.email == email)).scalar()
    if found is None:
        raise NotFoundOnHub(f"There is no officer {email} on this hub.", code=Code.INVALID_INPUT)
    conn.execute(update(t.officers).where(t.officers.c.id == found).values(disabled=True))
    conn.execute(delete(t.password_links).where(t.password_links.c.officer_id == found))
    ended = end_sessions(conn, officer_id=int(found))
    audit(conn, officer=None, action="officer removed", target=email, detail=f"{ended} sessions")


def load_officer(conn: Connection, officer_id: int) -> Officer | None:
    """The officer as the pages see them; None for a disabled or unknown account."""
    row = conn.execute(
        select(t.officers).where(t.officers.c.id == officer_id, t.officers.c.disabled.is_(False))
    ).first()
    if row is None:
        return None
    groups = conn.execute(
        select(t.officer_groups.c.group_id).where(t.officer_groups.c.officer_id == officer_id)
    ).scalars()
    return Officer(row.id, row.email, row.name, bool(row.admin), frozenset(groups))


# --- set-password links ----------------------------------------------------------------


class LinkSpent(Exception):
    """A set-password link used already, expired, replaced or never made."""


def password_problem(password: str, again: str) -> tuple[str, str] | None:
    """Why a new password is refused: the form's field to fix, and words to fix it by;
    None if it will do.
    """
    if len(password) < MIN_PASSWORD:
        return "password", f"Choose a password of at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return "password", f"Choose a password of at most {MAX_PASSWORD} characters."
    if password != again:
        return "again", "The two passwords are not the same: type the new one again in both."
    return None


def link_officer(conn: Connection, token: str) -> Officer:
    """The officer a set-password link is for; LinkSpent if it works no longer."""
    row = conn.execute(
        select(t.password_links).where(t.password_links.c.token_hash == _sha256(token))
    ).first()
    if row is None or row.used_ms is not None or row.expires_ms <= wall_ms():
        raise LinkSpent
    officer = load_officer(conn, row.officer_id)
    if officer is None:
        raise LinkSpent
    return officer


def set_password(conn: Connection, *, token: str, password: str) -> Officer:
    """Spend the link and set the officer's password; every session of theirs ends.

    The caller has checked the password with ``password_problem``.
    """
    officer = link_officer(conn, token)
    spent = conn.execute(
        update(t.password_links)
        .where(t.password_links.c.token_hash == _sha256(token))
        .where(t.password_links.c.used_ms.is_(None))
        .values(used_ms=wall_ms())
    ).rowcount
    if not spent:  # the same link, sent twice at once: the first took it
        raise LinkSpent
    conn.execute(
        update(t.officers)
        .where(t.officers.c.id == officer.id)
        .values(password_hash=HASHER.hash(password))
    )
    end_sessions(conn, officer_id=officer.id)
    audit(conn, officer=officer, action="password set")
    return officer


# --- signing in, and the lockout -------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """How a sign-in went: an officer, refused (both None), or locked out until a time."""

    officer: Officer | None = None
    locked_until_ms: int | None = None


@cache
def _stand_in_hash() -> str:
    # Checked against when no account matches, so an unknown address costs the same time.
    return HASHER.hash(secrets.token_urlsafe(16))


def _matches(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(conn: Connection, *, email: str, password: str, address: str) -> Attempt:
    """Check an e-mail address and password, counting failures towards the lockout.

    While locked out, nothing is checked and nothing counted, so a lockout ends on
    time however often someone keeps trying. Every answer but success is the same
    whether the address has an account or not.
    """
    email, now = normal_email(email), wall_ms()
    keys = {f"email:{email}": EMAIL_LIMIT, f"ip:{address}": ADDRESS_LIMIT}
    if conn.dialect.name == "postgresql":
        # Attempts for one address take turns, so many at once cannot all read the
        # failures from before any of them counted (SQLite's writers take turns anyway).
        for who in sorted(keys):
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:who))"), {"who": who})
    until = locked_until(conn, keys, now)
    if until is not None:
        return Attempt(locked_until_ms=until)
    row = conn.execute(
        select(t.officers.c.id, t.officers.c.password_hash).where(
            t.officers.c.email == email, t.officers.c.disabled.is_(False)
        )
    ).first()
    stored = row.password_hash if row is not None and row.password_hash else None
    right = _matches(stored or _stand_in_hash(), password[:MAX_PASSWORD]) and stored is not None
    officer = load_officer(conn, row.id) if row is not None else None
    if right and officer is not None:
        if HASHER.check_needs_rehash(stored or ""):
            new_hash = HASHER.hash(password)
            conn.execute(
                update(t.officers)
                .where(t.officers.c.id == officer.id)
                .values(password_hash=new_hash)
            )
        conn.execute(delete(t.login_failures).where(t.login_failures.c.who == f"email:{email}"))
        audit(conn, officer=officer, action="signed in", detail=address)
        return Attempt(officer=officer)
    conn.execute(delete(t.login_failures).where(t.login_failures.c.at_ms < now - LOCK_WINDOW_MS))
    conn.execute(insert(t.login_failures), [{"who": who, "at_ms": now} for who in keys])
    audit(conn, officer=officer, action="sign-in failed", target=email, detail=address)
    until = locked_until(conn, keys, now)
    if until is not None:
        audit(conn, officer=officer, action="locked out", target=email, detail=address)
    return Attempt()


def locked_until(conn: Connection, limits: dict[str, int], now: int) -> int | None:
    """When the latest lockout among ``limits`` (key: failures allowed) ends; None if none.

    A key with ``limit`` failures or more in the window is locked until enough of them
    have aged out of it to leave one fewer than the limit.
    """
    ends: list[int] = []
    for who, limit in limits.items():
        times = list(
            conn.execute(
                select(t.login_failures.c.at_ms)
                .where(t.login_failures.c.who == who)
                .where(t.login_failures.c.at_ms > now - LOCK_WINDOW_MS)
                .order_by(t.login_failures.c.at_ms)
            ).scalars()
        )
        if len(times) >= limit:
            ends.append(times[len(times) - limit] + LOCK_WINDOW_MS)
    return max(ends) if ends else None


# --- sessions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A signed-in browser: its officer and the token its forms carry."""

    officer: Officer
    csrf: str
    token_hash: str


def start_session(conn: Connection, *, officer_id: int) -> str:
    """A new session for the officer; its cookie value (kept only as a hash)."""
    now = wall_ms()
    sessions = t.officer_sessions.c
    conn.execute(
        delete(t.officer_sessions).where(
            (sessions.expires_ms <= now) | (sessions.seen_ms <= now - IDLE_MS)
        )
    )
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(t.officer_sessions).values(
            token_hash=_sha256(token),
            officer_id=officer_id,
            csrf=secrets.token_urlsafe(32),
            created_ms=now,
            seen_ms=now,
            expires_ms=now + SESSION_MS,
        )
    )
    return token


def find_session(conn: Connection, token: str) -> Session | None:
    """The live session a cookie names, its last use noted; None if it has ended."""
    now, token_hash = wall_ms(), _sha256(token)
    where = t.officer_sessions.c.token_hash == token_hash
    row = conn.execute(select(t.officer_sessions).where(where)).first()
    if row is None:
        return None
    officer = load_officer(conn, row.officer_id)
    if officer is None or row.expires_ms <= now or row.seen_ms <= now - IDLE_MS:
        conn.execute(delete(t.officer_sessions).where(where))
        return None
    if now - row.seen_ms >= TOUCH_MS:
        conn.execute(update(t.officer_sessions).where(where).values(seen_ms=now))
    return Session(officer, row.csrf, token_hash)


def end_session(conn: Connection, *, token_hash: str) -> None:
    conn.execute(delete(t.officer_sessions).where(t.officer_sessions.c.token_hash == token_hash))


def end_sessions(conn: Connection, *, officer_id: int) -> int:
    """End every session of the officer (sign out everywhere); how many there were."""
    ended = conn.execute(
        delete(t.officer_sessions).where(t.officer_sessions.c.officer_id == officer_id)
    ).rowcount
    return int(ended)


def session_count(conn: Connection, *, officer_id: int) -> int:
    live = conn.execute(
        select(func.count())
        .select_from(t.officer_sessions)
        .where(t.officer_sessions.c.officer_id == officer_id)
        .where(t.officer_sessions.c.expires_ms > wall_ms())
        .where(t.officer_sessions.c.seen_ms > wall_ms() - IDLE_MS)
    ).scalar_one()
    return int(live)


# --- the audit log ---------------------------------------------------------------------


def audit(
    conn: Connection, *, officer: Officer | None, action: str, target: str = "", detail: str = ""
) -> None:
    """Record what an officer did (None: the command line, or someone not signed in)."""
    conn.execute(
        insert(t.audit).values(
            at_ms=wall_ms(),
            officer_id=officer.id if officer else None,
            officer_email=officer.email if officer else "",
            action=action[:100],
            target=target[:300],
            detail=detail[:2000],
        )
    )


def audit_entries(conn: Connection, *, before: int | None = None, limit: int = 100) -> list[Any]:
    """The newest entries first, those older than entry ``before`` if given."""
    query = select(t.audit).order_by(t.audit.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(t.audit.c.id < before)
    return list(conn.execute(query))
