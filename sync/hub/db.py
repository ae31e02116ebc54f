"""The hub's database: an engine for SQLite or PostgreSQL, migrated by Alembic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
_ERASED = "moot_erased"  # in a connection's info: its transaction blanked contact details


def note_erasure(conn: Connection) -> None:
    """Have a SQLite hub clear its log file's old copies once this transaction ends."""
    if conn.dialect.name == "sqlite":
        conn.info[_ERASED] = True


def make_engine(url: str) -> Engine:
    """The hub's engine. Its errors never show the values a statement was given (contact
    details, hashes of tokens), so none reaches the hub's log or a refusal's words.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        # A plan made for each query's own values: a group's log starts empty and then
        # grows by thousands of ops a minute, and a plan cached while it was small
        # (a scan of the whole log) would be kept until statistics caught up. Seen on
        # an upload: lookups grew from 1 to 17 ms each as the log passed 30,000 ops.
        return create_engine(
            url,
            hide_parameters=True,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            connect_args={"options": "-c plan_cache_mode=force_custom_plan"},
        )
    engine = create_engine(url, hide_parameters=True, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Deleted and overwritten content is zeroed, so erased contact details do not
        # linger in free space; not every SQLite build does this by default.
        dbapi_conn.execute("PRAGMA secure_delete=ON")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_conn: Any, record: Any) -> None:
        # The write-ahead log keeps the pages an erasure rewrote, details and all, until
        # SQLite happens to write over them; once the transaction has ended, a truncating
        # checkpoint writes the new pages home and empties the log; kept back by a
        # reader, it is done at the next erasure, or as the last connection closes.
        if record.info.pop(_ERASED, False) and dbapi_conn is not None:
            # Without waiting: kept waiting by a long pull, it would hold every push back.
            dbapi_conn.execute("PRAGMA busy_timeout=0")
            try:
                dbapi_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Take the write lock up front: pushers queue instead of failing half way.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema up to date; hub processes starting together take turns."""
    from alembic import command

    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(8470)"))
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
