"""Backups of the hub's database, and restoring one: ``moot-hub backup`` and ``restore``.

A SQLite hub is copied with SQLite's online backup, in one read transaction, so a hub
serving meanwhile goes on and the copy is of one moment; a PostgreSQL hub with
``pg_dump`` from a snapshot exported by the transaction that counts what it holds.

Restoring checks, before it changes anything, that the file is a Moot hub's backup of
a schema this hub knows and that the database it goes into holds no groups (unless
``--force``); it then loads it whole, or nothing, and migrates it to this hub's schema.

The hub's key file is in no backup: whoever holds it writes as the hub (``sync.hub.keys``
says why the database never carries it). It never changes, so a copy kept apart from
the backups, once, serves every restore; the report says where it is.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url

from app.codes import Code
from app.errors import FileError, InvalidInput, MootError
from sync.hub import pg_tools
from sync.hub.db import alembic_config, make_engine, migrate
from sync.hub.keys import key_file_fit, move_key_out

SQLITE_MAGIC = b"SQLite format 3\x00"
HUB_TABLES = ("alembic_version", "hub_groups", "hub_keys", "hub_ops")  # in every revision
_UNUSED = {"alembic_version", "hub_keys"}  # all a migrated hub holds before it has groups


class Unusable(MootError):
    """The database could not be read or written while backing it up or restoring it."""

    default_code = Code.DATABASE_ERROR


@dataclass(frozen=True)
class Contents:
    """What a hub's database holds, as a backup report says it."""

    schema: str
    groups: int
    ops: int
    key_inside: bool  # the private key, where hubs before revision 0003 kept it


def backup(*, db_url: str, key_file: Path, into: Path, force: bool) -> dict[str, Any]:
    """Copy the hub's database to ``into`` (readable by its owner alone); what it holds."""
    started = time.perf_counter()
    sqlite = _is_sqlite(db_url)
    if sqlite and into.resolve() == _sqlite_file(db_url).resolve():
        raise InvalidInput(f"{into} is the hub's database itself; name another file.")
    if into.is_dir():
        raise InvalidInput(f"{into} is a folder; name the file to write the backup in.")
    if into.exists() and not force:
        raise InvalidInput(
            f"{into} exists already: name a new file, or give --force to replace it."
        )
    if not into.parent.is_dir():
        raise FileError(f"There is no folder {into.parent} to write the backup in.")
    partial = into.with_name(f".{into.name}.partial")
    try:
        _private_file(partial)
        if sqlite:
            contents = _sqlite_backup(_sqlite_file(db_url), partial)
        else:
            contents = _pg_backup(db_url, partial)
        os.replace(partial, into)
    finally:
        partial.unlink(missing_ok=True)
    if contents.key_inside:
        advice = (
            "this database still holds the hub's private key (a hub before revision 0003): "
            "run moot-hub migrate, then back up again, and keep this backup as safe as the key"
        )
    else:
        advice = (
            f"the hub's key is not in the backup: keep a copy of {key_file} apart from the "
            "backups (it never changes); a restored hub needs it"
        )
    return {
        "backup": str(into),
        "database": _named(db_url),
        "schema": contents.schema,
        "groups": contents.groups,
        "ops": contents.ops,
        "bytes": into.stat().st_size,
        "seconds": round(time.perf_counter() - started, 3),
        "key_file": str(key_file),
        "key_in_backup": contents.key_inside,
        "next": advice,
    }


def restore(*, db_url: str, key_file: Path, source: Path, force: bool) -> dict[str, Any]:
    """Put the backup ``source`` into the hub's database and migrate it; what it holds."""
    started = time.perf_counter()
    kind = _kind_of(source)
    here = "sqlite" if _is_sqlite(db_url) else "postgresql"
    if kind != here:
        raise InvalidInput(
            f"{source} is a backup of a hub on {_NAMES[kind]}, and this hub's database is "
            f"{_NAMES[here]}: restore it into a hub on {_NAMES[kind]} (--db). Nothing was changed."
        )
    if here == "sqlite":
        target = _sqlite_file(db_url)
        if target.exists() and source.resolve() == target.resolve():
            raise InvalidInput(f"{source} is the hub's database itself.")
        schema = _check_schema(_sqlite_contents(source).schema, source)
        if target.exists():
            _refuse_if_used(db_url, force=force)
        _sqlite_restore(source, target)
    else:
        pg_tools.tool("pg_restore")  # said first: without it nothing can be checked
        try:
            in_backup = pg_tools.tables(source)
            versions = pg_tools.rows_of(source, "alembic_version")
        except pg_tools.ToolFailed as exc:
            raise InvalidInput(
                f"{source} is not a backup pg_restore can read ({exc}). Nothing was changed."
            ) from None
        if missing := set(HUB_TABLES) - in_backup:
            raise InvalidInput(_not_a_backup(source, missing))
        schema = _check_schema(versions[0] if versions else "", source)
        _pg_restore(db_url, source, in_backup, force=force)
    settled = _settle(db_url, key_file)
    fit = str(settled.pop("key"))
    report = {
        "restored": str(source),
        "database": _named(db_url),
        "backup_schema": schema,
        **settled,
        "bytes": source.stat().st_size,
        "seconds": round(time.perf_counter() - started, 3),
        "key_file": str(key_file),
        "key": fit,
    }
    if fit not in ("matches", "moved", "none yet"):
        report["next"] = (
            f"put the key file kept with the backups at {key_file} (or name it with --key); "
            "the hub will not start without its own key"
        )
    return report


_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _is_sqlite(db_url: str) -> bool:
    return db_url.startswith("sqlite")


def _sqlite_file(db_url: str) -> Path:
    database = make_url(db_url).database
    if not database or database == ":memory:":
        raise InvalidInput("A hub database kept in memory has no file to back up or restore.")
    return Path(database)


def _private_file(path: Path) -> None:
    """An empty file at ``path`` that only its owner may read (a backup holds members'
    details and the hashes of their tokens and passwords).
    """
    path.unlink(missing_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise FileError(f"{path} could not be written: {exc.strerror}.") from None


def _kind_of(source: Path) -> str:
    try:
        with source.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise FileError(f"There is no file {source}.") from None
    except OSError as exc:
        raise FileError(f"{source} could not be read: {exc.strerror}.") from None
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(pg_tools.MAGIC):
        return "postgresql"
    raise InvalidInput(
        f"{source} is not a Moot hub backup: it is neither a SQLite database nor a pg_dump "
        "archive. Nothing was changed."
    )


def _not_a_backup(source: Path | str, missing: set[str]) -> str:
    return (
        f"{source} is not a Moot hub's database: it has no {', '.join(sorted(missing))} "
        "table. Nothing was changed."
    )


def _contents(tables: set[str], first: Callable[[str], Any], where: Path | str) -> Contents:
    if missing := set(HUB_TABLES) - tables:
        raise InvalidInput(_not_a_backup(where, missing))
    (schema,) = first("SELECT version_num FROM alembic_version") or ("",)
    (groups,) = first("SELECT COUNT(*) FROM hub_groups")
    (ops,) = first("SELECT COUNT(*) FROM hub_ops")
    legacy = first("SELECT 1 FROM hub_keys WHERE name = 'device'")
    return Contents(str(schema), int(groups), int(ops), legacy is not None)


def _revisions() -> list[str]:
    """Every schema revision this hub knows, the newest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in script.walk_revisions()]


def _check_schema(schema: str, source: Path) -> str:
    known = _revisions()
    if schema not in known:
        raise InvalidInput(
            f"{source} has schema {schema or 'none'}, which this moot-hub does not know (it "
            f"knows up to {known[0]}): a newer moot-hub made it. Upgrade this one, then "
            "restore. Nothing was changed."
        )
    return schema


# --- SQLite ------------------------------------------------------------------------------


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _sqlite_tables(db: sqlite3.Connection) -> set[str]:
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _sqlite_backup(database: Path, into: Path) -> Contents:
    if not database.is_file():
        raise InvalidInput(f"There is no hub database at {database}.")
    try:
        with closing(_read_only(database)) as source, closing(sqlite3.connect(into)) as copy:
            source.backup(copy)  # in one step: one read transaction, one moment's state
            copy.execute("PRAGMA journal_mode=DELETE")  # the backup is one file alone
            return _contents(
                _sqlite_tables(copy), lambda sql: copy.execute(sql).fetchone(), database
            )
    except sqlite3.Error as exc:
        raise Unusable(f"The hub's database {database} could not be copied: {exc}.") from None


def _sqlite_contents(source: Path) -> Contents:
    try:
        with closing(_read_only(source)) as db:
            checked = [row[0] for row in db.execute("PRAGMA quick_check")]
            if checked != ["ok"]:
                raise InvalidInput(
                    f"{source} is damaged ({checked[0]}); restore another backup. "
                    "Nothing was changed."
                )
            return _contents(_sqlite_tables(db), lambda sql: db.execute(sql).fetchone(), source)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(
            f"{source} is not a Moot hub backup that can be read ({exc}). Nothing was changed."
        ) from None


def _sqlite_restore(source: Path, target: Path) -> None:
    if not target.parent.is_dir():
        raise FileError(f"There is no folder {target.parent} for the hub's database.")
    if not target.exists():
        _private_file(target)
    try:
        with closing(_read_only(source)) as backup, closing(sqlite3.connect(target)) as db:
            db.execute("PRAGMA busy_timeout = 30000")
            # Page by page into the database as it is, in one write transaction: the
            # database's own log and locks stay right, as a copied file's would not.
            backup.backup(db)
    except sqlite3.Error as exc:
        raise Unusable(f"The backup could not be put into {target}: {exc}.") from None


# --- both -------------------------------------------------------------------------------


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _used(conn: Connection, tables: set[str]) -> list[str]:
    """The tables of the database that hold rows a hub in service writes."""
    return [
        name
        for name in sorted(tables - _UNUSED)
        if conn.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None
    ]


def _refuse_if_used(db_url: str, *, force: bool) -> set[str]:
    """InvalidInput if the database holds a hub's work, unless ``force``; then its tables
    (none if it holds no work: a hub's empty tables may simply make way).
    """
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            tables = _tables(conn)
            used = _used(conn, tables)
            groups = (
                conn.execute(text("SELECT COUNT(*) FROM hub_groups")).scalar_one()
                if "hub_groups" in tables
                else 0
            )
    finally:
        engine.dispose()
    if used and not force:
        held = f"{groups} group{'' if groups == 1 else 's'}" if groups else f"rows in {used[0]}"
        raise InvalidInput(
            f"The hub's database {make_url(db_url).render_as_string()} holds {held} already: "
            "restore into a new, empty database, or give --force to replace everything in it "
            "(stop the hub first). Nothing was changed."
        )
    return tables if used else set()


def _settle(db_url: str, key_file: Path) -> dict[str, Any]:
    """Migrate the restored database; what it holds, and how the key file fits it."""
    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            moved = move_key_out(conn, key_file)
            fit = "moved" if moved else key_file_fit(conn, key_file)
            schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            groups = conn.execute(text("SELECT COUNT(*) FROM hub_groups")).scalar_one()
            ops = conn.execute(text("SELECT COUNT(*) FROM hub_ops")).scalar_one()
    finally:
        engine.dispose()
    return {"schema": schema, "groups": groups, "ops": ops, "key": fit}


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_backup(db_url: str, into: Path) -> Contents:
    engine = make_engine(db_url)
    where = make_url(db_url).render_as_string()  # its password hidden
    try:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                contents = _contents(
                    _tables(conn), lambda sql: conn.execute(text(sql)).first(), where
                )
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                pg_tools.dump(pg_tools.Address.of(db_url), into, snapshot=str(snapshot))
    finally:
        engine.dispose()
    return contents


def _pg_restore(db_url: str, source: Path, in_backup: set[str], *, force: bool) -> None:
    tables = _refuse_if_used(db_url, force=force)  # those of a database in use
    if tables:
        theirs = {name for name in tables - in_backup if _is_hubs(name)}
        if theirs:
            raise InvalidInput(
                "The hub's database holds tables the backup does not "
                f"({', '.join(sorted(theirs))}), from a newer schema: restore into a new, empty "
                "database. Nothing was changed."
            )
        pg_tools.restore(pg_tools.Address.of(db_url), source, clean=True)
        return
    # Not in use: a hub's empty tables (a hub that started once, say) make way first.
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            for name in sorted(_tables(conn)):
                if _is_hubs(name):
                    conn.execute(text(f'DROP TABLE "{name}" CASCADE'))
    finally:
        engine.dispose()
    pg_tools.restore(pg_tools.Address.of(db_url), source, clean=False)


def _is_hubs(table: str) -> bool:
    return table.startswith("hub_") or table == "alembic_version"


def _named(db_url: str) -> str:
    """The database as the report names it: its address, any password hidden, so a
    command run with the wrong settings shows which database it used."""
    return make_url(db_url).render_as_string(hide_password=True)
