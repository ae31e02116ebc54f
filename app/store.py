"""A profile's local store: one SQLite file, migrated on open, and this device's identity.

Transactions are explicit: ``read()`` for a consistent snapshot, ``write()`` for a unit
of work that takes SQLite's write lock up front (so two writers queue rather than
fail half way). Each call checks out its own connection; none is shared between
threads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from app import migrate
from app.clock import HybridClock
from app.errors import MootError
from app.identity import DeviceIdentity, load_or_create
from app.personal import ProfileConnection, Sealer
from app.settings import ProfileSettings, default_data_dir, keyring_wanted


class Store:
    def __init__(self, settings: ProfileSettings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        existed = settings.db_path.exists()  # so its keys were made on an earlier start
        self.engine = _make_engine(settings.db_path)
        with self.engine.connect() as conn:
            migrate.upgrade(conn)
            conn.commit()
        keys = {"use_keyring": settings.use_keyring, "profile_exists": existed}
        try:
            self.identity: DeviceIdentity = load_or_create(settings.data_dir, **keys)
            self.sealer = Sealer.for_profile(settings.data_dir, **keys)
        except MootError:
            self.engine.dispose()
            raise
        with self.read() as db:
            last = db.execute("SELECT MAX(hlc) FROM ops").fetchone()[0]
        self.clock = HybridClock(last or 0)
        self._listeners: list[Callable[[set[str]], None]] = []

    @property
    def device_id(self) -> str:
        return self.identity.device_id

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._connection(write=False) as db:
            yield db

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        with self._connection(write=True) as db:
            yield db

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(moot_write=write)
            with conn.begin():
                db = conn.connection.driver_connection
                assert isinstance(db, ProfileConnection)
                db.erased = False
                yield db
            if db.erased:
                _forget_erased(db)

    def subscribe(self, listener: Callable[[set[str]], None]) -> None:
        """Call ``listener`` with the ids of the groups each committed write changed."""
        self._listeners.append(listener)

    def notify(self, groups: Iterable[str]) -> None:
        changed = set(groups)
        if changed:
            for listener in self._listeners:
                listener(changed)

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path | None = None, *, use_keyring: bool | None = None) -> Store:
    return Store(
        ProfileSettings(
            data_dir=data_dir or default_data_dir(),
            use_keyring=keyring_wanted() if use_keyring is None else use_keyring,
        )
    )


BUSY_TIMEOUT_MS = 10_000


def _forget_erased(db: ProfileConnection) -> None:
    """Clear the write-ahead log of the pages an erasure just rewrote.

    Its old frames keep them, sealed under the profile's key, which sits beside the
    file where there is no keyring: a lost laptop would give them up. A truncating
    checkpoint writes the new pages home (freed space zeroed: ``secure_delete``) and
    empties the log.
    """
    db.erased = False
    # Without waiting: a checkpoint kept waiting by a reader would hold every writer
    # back the while. If a reader is there, the next erasure or the closing does it.
    db.execute("PRAGMA busy_timeout=0")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"factory": ProfileConnection})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Transactions are begun explicitly below, not by the sqlite3 module.
        dbapi_conn.isolation_level = None
        dbapi_conn.row_factory = sqlite3.Row
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten content is zeroed, so erased contact details do not
        # linger in free space; not every SQLite build does this by default.
        dbapi_conn.execute("PRAGMA secure_delete=ON")
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        dbapi_conn.execute("PRAGMA cache_size=-32768")  # 32 MiB: big imports stay in memory

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("moot_write", True)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
