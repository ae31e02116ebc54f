"""Bring a profile's schema to the newest revision when it opens.

Alembic is imported only when a migration is due: a profile already at ``HEAD`` opens
without it, which keeps start-up (and every scripted ``moot`` call) quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0016"  # the newest revision in migrations/versions (a test keeps this true)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    has_table = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    ).first()
    if has_table is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, revision: str = "head") -> None:
    if revision == "head" and current_revision(connection) == HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
