"""The group itself, its members and its invitations: their kinds of op and merge rules.

Membership is judged at each op's own point in the total order (see app.timeline):
a role change that lands before ops that depended on the old role asks for the group
to be applied again from its log.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app import payload as p
from app.clock import physical_ms
from app.codes import Code, Refusal
from app.domain import Domain, Dump, Kind, Table
from app.ids import founded_id
from app.invite_proof import proof_holds
from app.merge_rows import MAX_KEY, lww
from app.ops import Op
from app.roles import ORGANISER, ROLE_RANK, ROLES
from app.schema import Base

if TYPE_CHECKING:
    from app.apply import Applier

CONSENTS = ("nobody", "organisers", "members")  # who may see a member's contact details
FOREIGN_FOUNDING = "the group's id does not come from its founder's key"

# --- groups and membership -------------------------------------------------------


def group_create(a: Applier, op: Op) -> str | None:
    if op.id != op.group or op.entity != op.group or op.seq != 1:
        return "a group is founded only by its own first op"
    seed = op.fields.get("seed")
    # Groups founded before ids were bound to their founder carry no seed.
    if seed is not None and founded_id(op.device, seed) != op.group:
        return FOREIGN_FOUNDING
    if a.db.execute("SELECT 1 FROM groups WHERE id = ?", (op.group,)).fetchone():
        return "the group exists already"
    f = op.fields
    a.db.execute(
        "INSERT INTO groups (id, name, description, colour, emblem, founder, created_hlc, clocks)"
        " VALUES (?,?,?,?,?,?,?,'{}')",
        (
            op.group,
            f.get("name", ""),
            f.get("description", ""),
            f.get("colour", ""),
            f.get("emblem", ""),
            op.device,
            op.hlc,
        ),
    )
    _grant(a, op, op.device, "organiser", f.get("display_name"))
    return None


def group_update(a: Applier, op: Op) -> str | None:
    row = a.db.execute("SELECT n, created_hlc, founder FROM groups WHERE id = ?", (op.group,))
    n, created, founder = row.fetchone()
    lww(a, "groups", n, op, op.fields, base=[created, founder])
    return None


def _grant(a: Applier, op: Op, device: str, role: str, display_name: str | None) -> None:
    """Record that ``device`` holds ``role`` from this op on, and keep its member row."""
    tl = a.timeline(op.group)
    tl.add(device, op.order, role)
    a.role_changed_in_past(op.group, device, op.hlc)
    a.db.execute(
        "INSERT INTO role_changes (op_id, group_id, device, role, hlc, author)"
        " VALUES (?,?,?,?,?,?)",
        (op.id, op.group, device, role, op.hlc, op.device),
    )
    row = a.db.execute(
        "SELECT n, joined_hlc FROM members WHERE group_id = ? AND device = ?", (op.group, device)
    ).fetchone()
    joined = op.hlc if role != "removed" else None
    if row is None:
        a.db.execute(
            "INSERT INTO members (group_id, device, role, display_name, joined_hlc, created_hlc,"
            " created_by, clocks) VALUES (?,?,?,?,?,?,?,?)",
            (
                op.group,
                device,
                tl.current(device),
                display_name or "",
                joined or 0,
                op.hlc,
                op.device,
                json.dumps({"display_name": list(op.order)} if display_name else {}),
            ),
        )
        return
    n, old_joined = row
    if joined is not None and (old_joined == 0 or joined < old_joined):
        a.db.execute("UPDATE members SET joined_hlc = ? WHERE n = ?", (joined, n))
    a.db.execute("UPDATE members SET role = ? WHERE n = ?", (tl.current(device), n))
    if display_name:
        # Members are made by whichever admission arrives first, so their fields
        # compare against "never set" rather than against the row's creation.
        lww(a, "members", n, op, {"display_name": display_name}, base=[0, ""])


def member_set_role(a: Applier, op: Op) -> str | None:
    _grant(a, op, op.entity, op.fields["role"], op.fields.get("display_name"))
    if "invited_by" in op.fields:  # a hub's admission, from an organiser's invitation
        _invited(a, op, op.entity, op.fields["invited_by"], op.fields.get("invitation", ""))
    return None


def _invited(a: Applier, op: Op, device: str, by: str, invitation: str) -> None:
    """Who brought a member in, and with which invitation: the first admission that
    says so, by its stamp, whatever order the ops arrive in."""
    a.db.execute(
        "UPDATE members SET invited_by = ?1, invitation = ?2, invited_hlc = ?3"
        " WHERE group_id = ?4 AND device = ?5 AND (invited_hlc IS NULL OR invited_hlc > ?3"
        "  OR (invited_hlc = ?3 AND invitation > ?2))",  # a tie goes to the lesser invitation
        (by, invitation, op.hlc, op.group, device),
    )


def member_update(a: Applier, op: Op) -> str | None:
    if op.entity != op.device and a.rank(op) < ORGANISER:
        return Refusal(Code.NOT_OWNER, "members edit only their own profile")
    n = _member_n(a, op)
    if n is None:
        return "no such member (yet)"
    lww(a, "members", n, op, op.fields, base=[0, ""])
    return None


def _member_n(a: Applier, op: Op) -> int | None:
    row = a.db.execute(
        "SELECT n FROM members WHERE group_id = ? AND device = ?", (op.group, op.entity)
    ).fetchone()
    return None if row is None else int(row[0])


def member_contact(a: Applier, op: Op) -> str | None:
    """A member's own contact details and who may see them; sealed in the row."""
    n = _member_n(a, op)
    if n is None:
        return "no such member (yet)"
    if op.payload is None:
        return None  # erased: it still counts, as nothing
    f = op.fields
    lww(a, "members", n, op, {"contact": a.sealer.seal(f["contact"]),
                               "contact_consent": f["consent"]}, base=[0, ""])  # fmt: skip
    return None


def member_erase(a: Applier, op: Op) -> str | None:
    """Erase a member's contact details: on every laptop, in the rows and in the log.

    Only the member erases their own, and always may, even once removed: what the
    erasure blanks then never depends on roles that a late op could still change.
    """
    n = _member_n(a, op)
    if n is None:
        return "no such member (yet)"
    # Consent goes with the details it covered, so every laptop agrees on both.
    lww(a, "members", n, op, {"contact": "", "contact_consent": "organisers"}, base=[0, ""])
    (clocks_json,) = a.db.execute("SELECT clocks FROM members WHERE n = ?", (n,)).fetchone()
    clocks = json.loads(clocks_json)
    if list(op.order) > clocks.get("erased", [0, ""]):
        clocks["erased"] = list(op.order)
        a.db.execute("UPDATE members SET clocks = ? WHERE n = ?", (json.dumps(clocks), n))
    return None


def invite_create(a: Applier, op: Op) -> str | None:
    f = op.fields
    cur = a.db.execute(
        "INSERT INTO invitations (id, group_id, role, invite_key, expires_ms, created_by,"
        " created_hlc, revoked, clocks) VALUES (?,?,?,?,?,?,?,0,'{}')",
        (op.entity, op.group, f["role"], f["invite_key"], f["expires_ms"], op.device, op.hlc),
    )
    a.remember("invitations", op.entity, cur.lastrowid or 0, op)
    return None


def invite_update(a: Applier, op: Op) -> str | None:
    found = a.find("invitations", op.entity, op)
    if found is None:
        return "no such invitation (yet)"
    if op.fields.get("revoked") is not True:
        return "an invitation can only be revoked, and stays revoked"
    n = found[0]
    used_by, used_hlc, clocks_json = a.db.execute(
        "SELECT used_by, used_hlc, clocks FROM invitations WHERE n = ?", (n,)
    ).fetchone()
    if used_by is not None and (used_hlc, used_by) > op.order:
        a.rebuild_later(op.group)  # it was used after this revocation: void that use
    # The earliest revocation counts: a second one must not reopen the window between.
    clocks = json.loads(clocks_json)
    if list(op.order) < clocks.get("revoked", [MAX_KEY, ""]):
        clocks["revoked"] = list(op.order)
    a.db.execute(
        "UPDATE invitations SET revoked = 1, clocks = ? WHERE n = ?", (json.dumps(clocks), n)
    )
    return None


def invite_redeem(a: Applier, op: Op) -> str | None:
    found = a.find("invitations", op.entity, op)
    if found is None:
        return "no such invitation (yet)"
    row = a.db.execute(
        "SELECT role, invite_key, expires_ms, revoked, used_by, used_hlc, clocks"
        " FROM invitations WHERE n = ?",
        (found[0],),
    ).fetchone()
    role, key, expires_ms, revoked, used_by, used_hlc, clocks = row
    if not proof_holds(key, op.fields["proof"], op.entity, op.device):
        return Refusal(Code.BAD_INVITATION, "the invitation code is wrong")
    if physical_ms(op.hlc) > expires_ms:
        return Refusal(Code.INVITATION_SPENT, "the invitation had expired")
    if revoked and json.loads(clocks).get("revoked", [0, ""]) < list(op.order):
        return Refusal(Code.INVITATION_SPENT, "the invitation had been revoked")
    if used_by is not None:
        if (used_hlc, used_by) < op.order:
            return Refusal(Code.INVITATION_SPENT, "the invitation was already used")
        a.rebuild_later(op.group)  # this use came first: the later one is void
    a.db.execute(
        "UPDATE invitations SET used_by = ?, used_hlc = ? WHERE n = ?",
        (op.device, op.hlc, found[0]),
    )
    _grant(a, op, op.device, role, op.fields.get("display_name"))
    (by,) = a.db.execute("SELECT created_by FROM invitations WHERE n = ?", (found[0],)).fetchone()
    _invited(a, op, op.device, by, op.entity)
    return None


# --- its tables, as its migrations make them -----------------------------------------


class Group(Base):
    __tablename__ = "groups"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    name: Mapped[str] = mapped_column(String)
    description: Mapped[str] = mapped_column(Text, server_default="")
    colour: Mapped[str] = mapped_column(String, server_default="")
    emblem: Mapped[str] = mapped_column(String, server_default="")
    # What each newcomer reads on joining, set by organisers (Markdown); NULL until then.
    welcome: Mapped[str | None] = mapped_column(Text)
    conduct: Mapped[str | None] = mapped_column(Text)
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
    # Who brought them in (a device), with which invitation, by the first admission saying so.
    invited_by: Mapped[str | None] = mapped_column(String)
    invitation: Mapped[str | None] = mapped_column(String)
    invited_hlc: Mapped[int | None] = mapped_column(BigInteger)
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


# --- what each kind carries ---------------------------------------------------------


def _role(v: object) -> bool:
    return isinstance(v, str) and v in ROLES


def _role_or_removed(v: object) -> bool:
    # A list or an object in a signed op would otherwise be hashed by the lookup.
    return isinstance(v, str) and v in ROLE_RANK


GROUP_FIELDS: dict[str, p.Check] = {
    "name": p.title,
    "description": p.text(5000),
    "colour": p.text(32),
    "emblem": p.text(32),
}
_PROFILE = {"display_name": p.text(100), "bio": p.text(5000), "interests": p.titles}
# Set after founding only: a welcome and a code of conduct, each a short page of Markdown.
_GROUP_UPDATES = {**GROUP_FIELDS, "welcome": p.text(10_000), "conduct": p.text(20_000)}

DOMAIN = Domain(
    name="members",
    tables=(
        Table(
            "groups",
            Dump(
                "id, name, description, colour, emblem, welcome, conduct, founder",
                "id",
                single="group",
            ),
            key="id",
        ),
        Table(
            "members",
            Dump(
                "device, role, display_name, bio, interests, contact, contact_consent, joined_hlc,"
                " invited_by, invitation",
                "device",
                json=("interests",),
            ),
        ),
        Table("role_changes"),
        Table(
            "invitations",
            Dump(
                "id, role, invite_key, expires_ms, revoked, used_by, created_by",
                "id",
                bools=("revoked",),
            ),
        ),
    ),
    kinds=(
        Kind(
            "group",
            "create",
            group_create,
            {"name": p.title},
            {**GROUP_FIELDS, "display_name": p.text(100), "seed": p.hex_of(32)},
            least="anyone",
            membership=True,
        ),
        Kind("group", "update", group_update, {}, _GROUP_UPDATES, least="organiser"),
        Kind(
            "member",
            "set_role",
            member_set_role,
            {"role": _role_or_removed},
            {"display_name": p.text(100), "invited_by": p.hex_of(64), "invitation": p.text(64)},
            least="organiser",
            membership=True,
        ),
        Kind("member", "update", member_update, {}, _PROFILE),
        Kind(
            "member",
            "contact",
            member_contact,
            {"contact": p.text(2000), "consent": p.one_of(*CONSENTS)},
            own="members set only their own contact details",
            personal=True,
            erases=True,
        ),
        # Members may always erase their own details, even once removed: what the
        # erasure blanks then never depends on roles that a late op could still change.
        Kind(
            "member",
            "erase",
            member_erase,
            least="anyone",
            own="members erase only their own contact details",
            erases=True,
        ),
        Kind(
            "invite",
            "create",
            invite_create,
            {"role": _role, "invite_key": p.hex_of(64), "expires_ms": p.integer},
            least="organiser",
            membership=True,
        ),
        Kind(
            "invite",
            "update",
            invite_update,
            {},
            {"revoked": p.boolean},
            least="organiser",
            membership=True,
        ),
        Kind(
            "invite",
            "redeem",
            invite_redeem,
            {"proof": p.hex_of(128)},
            {"display_name": p.text(100)},
            least="anyone",
            membership=True,
        ),
    ),
)
