"""Alembic environment for the hub: migrations run on the connection handed over."""

from __future__ import annotations

from alembic import context

from sync.hub.tables import metadata

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
