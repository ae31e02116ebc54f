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
    LargeBinary,
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
    # When the laptop last used its token, to the minute: a group's "last sync".
    Column("last_seen_ms", BigInteger),
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


# --- the council's side: officers, their sessions and what they did ------------------

officers = Table(
    "hub_officers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String, nullable=False, unique=True),  # lower-cased
    Column("name", String, nullable=False),
    Column("password_hash", String),  # argon2; None until the set-password link is used
    Column("admin", Boolean, nullable=False, server_default="0"),  # sees every group
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("created_ms", BigInteger, nullable=False),
)

# The groups an officer who is not an administrator is given.
officer_groups = Table(
    "hub_officer_groups",
    metadata,
    Column("officer_id", Integer, nullable=False),
    Column("group_id", String, nullable=False),
    PrimaryKeyConstraint("officer_id", "group_id"),
)

officer_sessions = Table(
    "hub_officer_sessions",
    metadata,
    Column("token_hash", String, primary_key=True),  # sha256 of the cookie's value
    Column("officer_id", Integer, nullable=False),
    Column("csrf", String, nullable=False),  # the session's form token
    Column("created_ms", BigInteger, nullable=False),
    Column("seen_ms", BigInteger, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
    Index("ix_hub_officer_sessions_officer", "officer_id"),
)

# One-time links that set an officer's password (printed by ``moot-hub officer add``).
password_links = Table(
    "hub_password_links",
    metadata,
    Column("token_hash", String, primary_key=True),
    Column("officer_id", Integer, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
    Column("used_ms", BigInteger),
)

# Failed sign-ins, by e-mail address and by client address, for the lockout.
login_failures = Table(
    "hub_login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("who", String, nullable=False),  # "email:…" or "ip:…"
    Column("at_ms", BigInteger, nullable=False),
    Index("ix_hub_login_failures_who", "who", "at_ms"),
)

audit = Table(
    "hub_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("officer_id", Integer),  # None: the command line, or an unknown address
    Column("officer_email", String, nullable=False, server_default=""),
    Column("action", String, nullable=False),
    Column("target", String, nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
    Index("ix_hub_audit_at", "at_ms"),
)

# --- consultations -------------------------------------------------------------------

consultations = Table(
    "hub_consultations",
    metadata,
    Column("id", String, primary_key=True),  # the entity id of its ops in every group
    Column("title", String, nullable=False),
    Column("background", Text, nullable=False, server_default=""),  # Markdown
    Column("contact", String, nullable=False, server_default=""),
    Column("opens", String),  # ISO date
    Column("closes", String, nullable=False),  # ISO date; closes at the end of that day
    Column("questions", Text, nullable=False),  # JSON, as in the op
    Column("publication", String, nullable=False),  # full, anonymised or none
    Column("created_by", Integer),  # officer; None from the command line
    Column("created_ms", BigInteger, nullable=False),
    Column("published_ms", BigInteger),
    Column("feedback", Text, nullable=False, server_default=""),  # "You said, we did"
    Column("feedback_ms", BigInteger),
)

consultation_groups = Table(
    "hub_consultation_groups",
    metadata,
    Column("consultation_id", String, nullable=False),
    Column("group_id", String, nullable=False),
    Column("discussion_id", String),  # in the group's log, once published there
    # The consultation's own id in the group's log, once published there: made afresh for
    # each group, as a laptop in two of them holds each op id once.
    Column("entity", String),
    PrimaryKeyConstraint("consultation_id", "group_id"),
)

consultation_documents = Table(
    "hub_consultation_documents",
    metadata,
    Column("id", String, primary_key=True),
    Column("consultation_id", String, nullable=False),
    Column("filename", String, nullable=False),
    Column("media_type", String, nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Index("ix_hub_consultation_documents_consultation", "consultation_id"),
)

# An officer's tags and note on one group's answer to one question.
answer_notes = Table(
    "hub_answer_notes",
    metadata,
    Column("consultation_id", String, nullable=False),
    Column("group_id", String, nullable=False),
    Column("question", Integer, nullable=False),
    Column("tags", Text, nullable=False, server_default="[]"),  # JSON list
    Column("note", Text, nullable=False, server_default=""),
    Column("updated_ms", BigInteger, nullable=False),
    Column("updated_by", Integer),
    PrimaryKeyConstraint("consultation_id", "group_id", "question"),
)

# Places the hub made in a group's log for its own use: the Consultations category.
group_places = Table(
    "hub_group_places",
    metadata,
    Column("group_id", String, nullable=False),
    Column("place", String, nullable=False),  # "consultations"
    Column("entity", String, nullable=False),  # its id in the group's log
    PrimaryKeyConstraint("group_id", "place"),
)
