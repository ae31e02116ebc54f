"""The profile's schema: every revision goes down and up cleanly, and ``HEAD`` names the
newest. (Profiles made by each earlier version, with that version's own code, are
upgraded in ``tests/app/test_migration_fixtures.py``.)"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from app import migrate
from app.settings import DB_FILE
from app.store import open_store


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
