"""A profile made at the first schema revision opens under the newest and keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from app import migrate
from app.apply import ingest
from app.dump import dump
from app.personal import Sealer
from app.services import discussions, groups, notes
from app.settings import DB_FILE
from app.store import Store, open_store
from tests.support import ops_of


def _old_profile(folder: Path, source: Store) -> None:
    """A profile whose schema stops at revision 0001, holding all of source's ops."""
    folder.mkdir()
    engine = create_engine(f"sqlite:///{folder / DB_FILE}")
    with engine.connect() as conn:
        migrate.upgrade(conn, "0001")
        conn.commit()
    engine.dispose()
    db = sqlite3.connect(folder / DB_FILE)
    db.row_factory = sqlite3.Row
    with db:
        ingest(db, ops_of(source), sealer=Sealer.generate())
    db.close()


def test_an_old_profile_is_migrated_on_open_and_keeps_its_data(tmp_path: Path) -> None:
    source = open_store(tmp_path / "source", use_keyring=False)
    group = groups.create_group(store=source, name="Old Parish")
    disc, _ = discussions.start_discussion(store=source, group_id=group, title="Trees", body="Oak")
    discussions.reply(store=source, discussion_id=disc, body="Ash too")
    notes.create_note(store=source, group_id=group, title="Minutes", body="Met at 7\n")

    _old_profile(tmp_path / "old", source)
    engine = create_engine(f"sqlite:///{tmp_path / 'old' / DB_FILE}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
        assert "read_marks" not in tables
    engine.dispose()

    reopened = open_store(tmp_path / "old", use_keyring=False)
    try:
        assert dump(store=reopened, group_id=group) == dump(store=source, group_id=group)
        discussions.mark_read(store=reopened, discussion_id=disc)  # the newer table works
        [summary] = discussions.list_discussions(store=reopened, group_id=group)
        assert (summary.title, summary.posts) == ("Trees", 2)
    finally:
        reopened.close()
        source.close()


def test_every_revision_downgrades_and_upgrades_cleanly(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p", use_keyring=False)
    store.close()
    engine = create_engine(f"sqlite:///{tmp_path / 'p' / DB_FILE}")
    with engine.connect() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
        conn.commit()
        migrate.upgrade(conn)
        conn.commit()
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migrate.HEAD
        )
    engine.dispose()


def test_head_names_the_newest_revision() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(migrate.alembic_config()).get_current_head() == migrate.HEAD
