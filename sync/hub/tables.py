"""The hub's tables (SQLAlchemy Core, for SQLite and PostgreSQL alike).

``hub_ops`` is each group's log in the order the hub accepted it; ``seq`` is gap-free
per group in commit order, because it is taken from the group's counter row inside
the pushing transaction (the row lock makes the next pusher wait for the commit).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

hub_keys = Table(
    "hub_keys",
    metadata,
    Column("name", String, primary_key=True),  # 'public': the hub's public key (sync.hub.keys)
    Column("value", String, nullable=False),
)

groups = Table(
    "hub_groups",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("next_seq", BigInteger, nullable=False, server_default="1"),
    # The newest membership op in the log (seq, op id): the key of cached rosters.
    Column("roster_seq", BigInteger),
    Column("roster_op", String),
)

ops = Table(
    "hub_ops",
    metadata,
    Column("group_id", String, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("op_id", String, nullable=False),
    Column("device", String, nullable=False),
    Column("dev_seq", BigInteger, nullable=False),
    Column("hlc", BigInteger, nullable=False),
    Column("hash", String, nullable=False),
    Column("prev", String),
    Column("kind", String, nullable=False),
    Column("action", String, nullable=False),
    Column("entity", String, nullable=False),
    Column("wire", Text, nullable=False),  # the op as JSON, exactly as pulled
    PrimaryKeyConstraint("group_id", "seq"),
    UniqueConstraint("group_id", "op_id", name="uq_hub_ops_group_op"),  # ids are per group
    UniqueConstraint("group_id", "device", "dev_seq", name="uq_hub_ops_chain"),
    Index("ix_hub_ops_entity", "group_id", "kind", "entity"),
)

members = Table(
    "hub_members",
    metadata,
    Column("group_id", String, nullable=False),
    Column("device", String, nullable=False),
    Column("role", String, nullable=False),
    # Ops of this member kept though they do not count (see service.push): capped.
    Column("void_kept", Integer, nullable=False, server_default="0"),
    PrimaryKeyConstraint("group_id", "device"),
)

# The newest op of each author refused for good: the ops after it link through it, so
# one refusal never holds back the rest of its author's work (see service.push).
refused_links = Table(
    "hub_refused_links",
    metadata,
    Column("group_id", String, nullable=False),
    Column("device", String, nullable=False),
    Column("dev_seq", BigInteger, nullable=False),
    Column("hash", String, nullable=False),
    Column("prev", String),
    Column("hlc", BigInteger, nullable=False),
    PrimaryKeyConstraint("group_id", "device"),
)

devices = Table(
    "hub_devices",
    metadata,
    Column("token_hash", String, primary_key=True),
    Column("group_id", String, nullable=False),
    Column("device", String, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, server_default="0"),
    Index("ix_hub_devices_member", "group_id", "device"),
)

registration_codes = Table(
    "hub_registration_codes",
    metadata,
    Column("code_hash", String, primary_key=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("used_by", String),  # the group that registered with it
    Column("device", String),  # the laptop that registered it (may ask again)
)

invites = Table(
    "hub_invites",
    metadata,
    Column("code_hash", String, primary_key=True),
    Column("group_id", String, nullable=False),
    Column("role", String, nullable=False),
    Column("uses_left", Integer, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, server_default="0"),
    Column("created_by", String, nullable=False),  # 'hub', or the organiser's device
)

invite_uses = Table(
    "hub_invite_uses",
    metadata,
    Column("code_hash", String, nullable=False),
    Column("device", String, nullable=False),
    PrimaryKeyConstraint("code_hash", "device"),
)

# Device proofs the hub has taken (see service._spend_proof): each opens one door once.
# A row is kept while its stamp could still pass the clock check, then pruned.
used_proofs = Table(
    "hub_used_proofs",
    metadata,
    Column("proof_hash", String, primary_key=True),  # sha256 of the device and what it signed
    Column("stamp_ms", BigInteger, nullable=False),
    Index("ix_hub_used_proofs_stamp", "stamp_ms"),
)
