"""The local store's tables: the op log and the state materialised from it.

Materialised tables carry ``clocks``: for each field last set by an update, the
(stamp, device) that set it. A field absent from ``clocks`` still holds the value its
entity was created with, at the creation stamp. Each table keeps an integer key
``n`` besides its UUID, so the search index can point at rows by integer.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
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


class Group(Base):
    __tablename__ = "groups"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    name: Mapped[str] = mapped_column(String)
    description: Mapped[str] = mapped_column(Text, server_default="")
    colour: Mapped[str] = mapped_column(String, server_default="")
    emblem: Mapped[str] = mapped_column(String, server_default="")
    founder: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Member(Base):
    """A device admitted to a group; ``role`` is 'removed' once it is taken out."""

    __tablename__ = "members"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[str] = mapped_column(String, ForeignKey("groups.id"))
    device: Mapped[str] = mapped_column(String)
    role: Mapped[str] = mapped_column(String)
    display_name: Mapped[str] = mapped_column(String, server_default="")
    bio: Mapped[str] = mapped_column(Text, server_default="")
    interests: Mapped[str] = mapped_column(Text, server_default="[]")
    contact: Mapped[str] = mapped_column(Text, server_default="")  # personal data, sealed
    contact_consent: Mapped[str] = mapped_column(String, server_default="organisers")
    joined_hlc: Mapped[int] = mapped_column(BigInteger)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")
    __table_args__ = (UniqueConstraint("group_id", "device", name="uq_members_device"),)


class RoleChange(Base):
    """Each role a device was given, and when: an op counts under its author's role then."""

    __tablename__ = "role_changes"
    op_id: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    device: Mapped[str] = mapped_column(String)
    role: Mapped[str] = mapped_column(String)
    hlc: Mapped[int] = mapped_column(BigInteger)
    author: Mapped[str] = mapped_column(String)
    __table_args__ = (Index("ix_role_changes_group", "group_id"),)


class Invitation(Base):
    __tablename__ = "invitations"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String, ForeignKey("groups.id"))
    role: Mapped[str] = mapped_column(String)
    invite_key: Mapped[str] = mapped_column(String)  # public key standing for the token
    expires_ms: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    revoked: Mapped[bool] = mapped_column(Boolean, server_default=false())
    used_by: Mapped[str | None] = mapped_column(String)
    used_hlc: Mapped[int | None] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Category(Base):
    __tablename__ = "categories"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String, ForeignKey("groups.id"))
    name: Mapped[str] = mapped_column(String)
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Discussion(Base):
    __tablename__ = "discussions"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String, ForeignKey("groups.id"))
    category_id: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    pinned: Mapped[bool] = mapped_column(Boolean, server_default=false())
    locked: Mapped[bool] = mapped_column(Boolean, server_default=false())
    resolved: Mapped[bool] = mapped_column(Boolean, server_default=false())
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    last_activity_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")
    __table_args__ = (Index("ix_discussions_activity", "group_id", "last_activity_hlc"),)


class Post(Base):
    __tablename__ = "posts"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    discussion_id: Mapped[str] = mapped_column(String)
    reply_to: Mapped[str | None] = mapped_column(String)
    body: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")
    __table_args__ = (Index("ix_posts_discussion", "discussion_id", "created_hlc"),)


class Reaction(Base):
    """Per-element last-writer-wins presence: (post, member, emoji) is there or not."""

    __tablename__ = "reactions"
    post_id: Mapped[str] = mapped_column(String, primary_key=True)
    member: Mapped[str] = mapped_column(String, primary_key=True)
    emoji: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    present: Mapped[bool] = mapped_column(Boolean)
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String)


class Poll(Base):
    __tablename__ = "polls"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    discussion_id: Mapped[str] = mapped_column(String)
    question: Mapped[str] = mapped_column(String)
    options: Mapped[str] = mapped_column(Text)  # JSON list of option texts
    multiple: Mapped[bool] = mapped_column(Boolean, server_default=false())
    closes_ms: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Vote(Base):
    """A member's current choices in a poll: one register per member per poll."""

    __tablename__ = "votes"
    poll_id: Mapped[str] = mapped_column(String, primary_key=True)
    member: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    choices: Mapped[str] = mapped_column(Text)  # JSON list of option indexes
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String)


class Note(Base):
    """A shared note: the body is a text CRDT, ``text`` its current plain rendering."""

    __tablename__ = "notes"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text, server_default="")
    ydoc: Mapped[bytes] = mapped_column(LargeBinary)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Follow(Base):
    """A member following or muting a discussion or a category (an LWW register)."""

    __tablename__ = "follows"
    member: Mapped[str] = mapped_column(String, primary_key=True)
    target_id: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    target_kind: Mapped[str] = mapped_column(String)
    state: Mapped[str] = mapped_column(String)  # 'following' | 'muted' | 'none'
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String)


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
    last_sync_ms: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)


# The search index is an FTS5 table made by the migrations; see app.search_rows.
