"""PostgreSQL's own tools, for a hub's backups: ``pg_dump`` and ``pg_restore``.

They are given the database's address without its password, which goes to them in
``PGPASSWORD`` (so no other user of the machine sees it in the list of processes), and
their complaints are passed on in their own words. They must be of the server's major
version or newer: an older ``pg_dump`` refuses a newer server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app.codes import Code
from app.errors import MootError

MAGIC = b"PGDMP"  # how a pg_dump archive in its custom format begins
CONNECT_TIMEOUT_S = "10"
DEBIAN_BINARIES = Path("/usr/lib/postgresql")  # each version's tools in VERSION/bin
_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


class ToolFailed(MootError):
    """pg_dump or pg_restore is missing, or it failed; the words are its own."""

    default_code = Code.DATABASE_ERROR


@dataclass(frozen=True)
class Address:
    """Where a tool connects: a libpq address with no password in it, and the password."""

    address: str
    password: str | None

    @classmethod
    def of(cls, db_url: str) -> Address:
        url = make_url(db_url)
        plain = url.set(drivername="postgresql", password=None)
        return cls(plain.render_as_string(hide_password=False), url.password)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        env.setdefault("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT_S)
        return env


def tool(name: str) -> str:
    """The path of ``name``: on the PATH, else the newest of Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        DEBIAN_BINARIES.glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise ToolFailed(
        f"{name} was not found: install PostgreSQL's client tools of the server's version "
        "or newer (on Debian or Ubuntu: apt-get install postgresql-client), or put them "
        "on the PATH."
    )


def _run(name: str, args: list[str], db: Address | None = None) -> str:
    command = [tool(name), *args]
    env = db.env() if db else dict(os.environ)
    done = subprocess.run(  # noqa: S603  (PostgreSQL's own tool, with arguments made here)
        command, capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL
    )
    if done.returncode != 0:
        said = " ".join(line.strip() for line in done.stderr.strip().splitlines()[-3:])
        advice = ""
        if "version mismatch" in said:
            advice = " Install PostgreSQL's client tools of the server's version or newer."
        raise ToolFailed(f"{name} failed: {said or f'exit status {done.returncode}'}.{advice}")
    return done.stdout


def dump(db: Address, into: Path, *, snapshot: str | None = None) -> None:
    """The whole database into ``into``, as a custom-format archive; from ``snapshot``,
    one a transaction exported, so it holds what that transaction saw.
    """
    args = ["--format=custom", f"--file={into}", f"--dbname={db.address}"]
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    _run("pg_dump", args, db)


def tables(archive: Path) -> set[str]:
    """The names of the tables ``archive`` holds; ToolFailed if it is not one pg_restore reads."""
    listing = _run("pg_restore", ["--list", str(archive)])
    return {m.group(2) for line in listing.splitlines() if (m := _TABLE.match(line))}


def rows_of(archive: Path, table: str) -> list[str]:
    """The rows of one table in ``archive`` as COPY text, without reading anything else."""
    script = _run("pg_restore", ["--data-only", f"--table={table}", "--file=-", str(archive)])
    rows: list[str] = []
    copying = False
    for line in script.splitlines():
        if line.startswith("COPY "):
            copying = True
        elif copying and line == "\\.":
            break
        elif copying:
            rows.append(line)
    return rows


def restore(db: Address, archive: Path, *, clean: bool) -> None:
    """Load ``archive`` into the database in one transaction: all of it, or (failing)
    nothing. ``clean``: drop the tables it holds first. The tables belong to the role
    restoring, whoever owned them where the backup was made.
    """
    args = [
        f"--dbname={db.address}",
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        "--single-transaction",
        "--exit-on-error",
    ]
    if clean:
        args += ["--clean", "--if-exists"]
    _run("pg_restore", [*args, str(archive)], db)
