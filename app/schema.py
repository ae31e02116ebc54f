"""The local store's own tables: the op log, what waits, the outbox, hub links, read marks.

The tables materialised from a group's ops are declared with their domains, in
``app.kinds``, on this module's ``Base`` (import ``app.registry`` to have them all).
Materialised tables carry ``clocks``: for each field last set by an update, the
(stamp, device) that set it. A field absent from ``clocks`` still holds the value its
entity was created with, at the creation stamp. Each table keeps an integer key
``n`` besides its UUID, so the search index can point at rows by integer.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Meta(Base):
    """Device-local facts about this profile (never synced)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OpRow(Base):
    """Every op this replica holds; ``state`` 1 once it has taken effect, 0 while it waits."""

    __tablename__ = "ops"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    device: Mapped[str] = mapped_column(String)
    seq: Mapped[int] = mapped_column(Integer)
    prev: Mapped[str | None] = mapped_column(String)
    hlc: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String)
    entity: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String)
    payload: Mapped[str | None] = mapped_column(Text)  # JSON; NULL once erased
    payload_hash: Mapped[str] = mapped_column(String)
    sig: Mapped[str] = mapped_column(String)
    hash: Mapped[str] = mapped_column(String)
    state: Mapped[int] = mapped_column(Integer, server_default="0")
    __table_args__ = (
        UniqueConstraint("group_id", "device", "seq", name="uq_ops_chain"),
        # Only waiting ops are looked up by group and state; they are few.
        Index("ix_ops_waiting", "group_id", sqlite_where=text("state = 0")),
        Index("ix_ops_hlc", "hlc"),
    )


class Wait(Base):
    """What a waiting op waits for: it is tried again when one of its keys is touched.

    A key names an entity (``e:<id>``) or a member's role in a group
    (``r:<group>:<device>``); see ``app.apply``.
    """

    __tablename__ = "waits"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String, index=True)
    op_id: Mapped[str] = mapped_column(String, index=True)
    group_id: Mapped[str] = mapped_column(String, index=True)


class Outbox(Base):
    """Ops written on this device that no hub has acknowledged yet."""

    __tablename__ = "outbox"
    op_id: Mapped[str] = mapped_column(String, primary_key=True)


class ReadMark(Base):
    """How far this profile's member has read each discussion (device-local)."""

    __tablename__ = "read_marks"
    discussion_id: Mapped[str] = mapped_column(String, primary_key=True)
    read_hlc: Mapped[int] = mapped_column(BigInteger)


class HubLink(Base):
    """The hub a group syncs with, from this laptop: where, as whom, and how far (local)."""

    __tablename__ = "hub_links"
    group_id: Mapped[str] = mapped_column(String, primary_key=True)
    hub_url: Mapped[str] = mapped_column(String)
    token: Mapped[str] = mapped_column(Text)  # sealed with the profile's data key
    cursor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    cursor_op: Mapped[str | None] = mapped_column(String)  # the op at the cursor's seq
    last_sync_ms: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_code: Mapped[str | None] = mapped_column(String)


# The search index is an FTS5 table made by the migrations; see app.search_rows.
