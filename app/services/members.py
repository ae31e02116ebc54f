"""Members, roles and invitations: who may write in a group, and how they get in."""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass

from app.clock import DAY_MS, wall_ms
from app.errors import InvalidInput, NotFound
from app.ids import authored_id
from app.invite_proof import invite_key, prove
from app.kinds.members import CONSENTS
from app.ops import is_hex
from app.personal import Sealer
from app.roles import ROLES
from app.services.common import clean_title, get_meta, require_group
from app.services.groups import MY_NAME
from app.store import Store
from app.writer import Writer, writing


@dataclass(frozen=True)
class MemberView:
    device: str
    display_name: str
    role: str
    bio: str
    interests: list[str]
    joined_hlc: int
    contact: str | None  # None where the member has not let this viewer see it
    posts: int = 0  # posts and replies of theirs still standing
    started: int = 0  # discussions they started
    invited_by: str = ""  # the name of who brought them in, where an invitation says so


@dataclass(frozen=True)
class Invitation:
    """What a newcomer needs to join: the invitation's id and its secret token."""

    group_id: str
    invite_id: str
    token: str
    role: str


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.")
    return role


def _check_device(device: str) -> str:
    device = device.strip().lower()
    if not is_hex(device, 64):
        raise InvalidInput("A device id is 64 hexadecimal characters (see 'moot whoami').")
    return device


def admit(
    *, store: Store, group_id: str, device: str, role: str = "member", display_name: str = ""
) -> None:
    """Let a device write in the group with a role (organisers only)."""
    fields: dict[str, object] = {"role": _check_role(role)}
    if display_name.strip():
        fields["display_name"] = clean_title(display_name, "name")
    with writing(store) as w:
        require_group(w.db, group_id)
        w.emit(group_id, "member", _check_device(device), "set_role", fields)


def remove_member(*, store: Store, group_id: str, device: str) -> None:
    """Take a member out: what they write from now on has no effect anywhere."""
    device = _check_device(device)
    with writing(store) as w:
        require_group(w.db, group_id)
        if not w.db.execute(
            "SELECT 1 FROM members WHERE group_id = ? AND device = ?", (group_id, device)
        ).fetchone():
            raise NotFound("That device is not a member of this group.")
        w.emit(group_id, "member", device, "set_role", {"role": "removed"})


def update_profile(*, store: Store, group_id: str, **fields: object) -> None:
    """Change this member's own display name, bio, interests or contact details."""
    if "display_name" in fields:
        fields["display_name"] = clean_title(str(fields["display_name"]), "name")
    with writing(store) as w:
        require_group(w.db, group_id)
        w.emit(group_id, "member", store.device_id, "update", dict(fields))


def list_members(*, store: Store, group_id: str) -> list[MemberView]:
    """The group's members; contact details only as far as each member consented."""
    with store.read() as db:
        return members_in(db, store.sealer, store.device_id, group_id)


def members_in(db: sqlite3.Connection, sealer: Sealer, me: str, group_id: str) -> list[MemberView]:
    """``list_members`` inside a transaction the caller holds (so consent and role agree)."""
    require_group(db, group_id)
    viewer = role_in(db, group_id, me)
    rows = db.execute(
        "SELECT device, display_name, role, bio, interests, joined_hlc, contact,"
        " contact_consent, invited_by FROM members WHERE group_id = ? AND role != 'removed'"
        " ORDER BY display_name COLLATE NOCASE, device",
        (group_id,),
    ).fetchall()
    posts = dict(
        db.execute(
            "SELECT created_by, COUNT(*) FROM posts WHERE group_id = ? AND deleted = 0"
            " GROUP BY created_by",
            (group_id,),
        ).fetchall()
    )
    started = dict(
        db.execute(
            "SELECT created_by, COUNT(*) FROM discussions WHERE group_id = ? AND deleted = 0"
            " GROUP BY created_by",
            (group_id,),
        ).fetchall()
    )
    names = names_in(db, group_id)
    views = []
    for r in rows:
        shown = r[0] == me or _consents(r[7], viewer)
        contact = sealer.unseal(r[6]) if shown else None
        views.append(
            MemberView(
                r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], contact,
                posts.get(r[0], 0), started.get(r[0], 0), names.get(r[8], "") if r[8] else "",
            )
        )  # fmt: skip
    return views


@dataclass(frozen=True)
class InvitationUsed:
    """An invitation that brought members in: whose it was, and who joined by it."""

    invitation: str  # its id (a bundle's), or a stem of its code's hash (a hub's)
    invited_by: str  # the organiser's name
    joined: list[str]  # names, in the order they joined


def invitations_used(*, store: Store, group_id: str) -> list[InvitationUsed]:
    """Who invited whom, by invitation, the most fruitful first: how the group grows."""
    with store.read() as db:
        require_group(db, group_id)
        names = names_in(db, group_id)
        rows = db.execute(
            "SELECT invitation, invited_by, device FROM members WHERE group_id = ?"
            " AND invited_by IS NOT NULL ORDER BY invited_hlc, device",
            (group_id,),
        ).fetchall()
    found: dict[tuple[str, str], list[str]] = {}
    for invitation, by, device in rows:
        found.setdefault((invitation, by), []).append(names.get(device, ""))
    used = [InvitationUsed(i, names.get(by, ""), joined) for (i, by), joined in found.items()]
    return sorted(used, key=lambda u: -len(u.joined))


def with_interest(views: list[MemberView], interest: str) -> list[MemberView]:
    """The members who gave ``interest`` (any case) among their interests."""
    wanted = interest.strip().casefold()
    return [v for v in views if any(i.casefold() == wanted for i in v.interests)]


def _consents(consent: str, viewer_role: str) -> bool:
    if consent == "members":
        return viewer_role != "removed"
    return consent == "organisers" and viewer_role == "organiser"


def set_contact(*, store: Store, group_id: str, contact: str, consent: str = "organisers") -> None:
    """Share this member's contact details with the group, seen only as they consent."""
    if consent not in CONSENTS:
        raise InvalidInput(f"Unknown consent {consent!r}; use one of: {', '.join(CONSENTS)}.")
    if len(contact) > 2000:
        raise InvalidInput("Contact details are too long (at most 2,000 characters).")
    with writing(store) as w:
        require_group(w.db, group_id)
        w.emit(group_id, "member", store.device_id, "contact",
               {"contact": contact.strip(), "consent": consent})  # fmt: skip


def erase_contact(*, store: Store, group_id: str) -> None:
    """Erase this member's contact details everywhere, the copies in the log included."""
    with writing(store) as w:
        require_group(w.db, group_id)
        w.emit(group_id, "member", store.device_id, "erase", {})


def my_role(*, store: Store, group_id: str) -> str:
    with store.read() as db:
        return role_in(db, group_id, store.device_id)


def names_in(db: sqlite3.Connection, group_id: str) -> dict[str, str]:
    """Each member's name by device, removed members too (their posts stay theirs); a
    member who has given no name is "member" and the start of their device key."""
    return {
        r[0]: r[1] or f"member {r[0][:8]}"
        for r in db.execute(
            "SELECT device, display_name FROM members WHERE group_id = ?", (group_id,)
        )
    }


def mentionable_in(db: sqlite3.Connection, group_id: str) -> list[str]:
    """The names a post may @mention: the group's members who have given one."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT display_name FROM members WHERE group_id = ? AND role != 'removed'"
            " AND display_name != '' ORDER BY display_name COLLATE NOCASE",
            (group_id,),
        )
    ]


def role_in(db: sqlite3.Connection, group_id: str, device: str) -> str:
    """A device's role in a group now; 'removed' where it has none."""
    row = db.execute(
        "SELECT role FROM members WHERE group_id = ? AND device = ?", (group_id, device)
    ).fetchone()
    return str(row[0]) if row else "removed"


def create_invitation(
    *, store: Store, group_id: str, role: str = "member", days: int = 30
) -> Invitation:
    """A one-use invitation; only the hash of its token goes into the group's log."""
    with writing(store) as w:
        require_group(w.db, group_id)
        return invite_with(w, group_id=group_id, role=role, days=days)


def invite_with(w: Writer, *, group_id: str, role: str = "member", days: int = 30) -> Invitation:
    """Make an invitation inside a unit of work the caller holds (a bundle export, say)."""
    if not 1 <= days <= 365:
        raise InvalidInput("An invitation lasts between 1 and 365 days.")
    token = secrets.token_urlsafe(24)
    invite_id = authored_id(w.store.device_id)
    fields = {
        "role": _check_role(role),
        "invite_key": invite_key(token),
        "expires_ms": wall_ms() + days * DAY_MS,
    }
    w.emit(group_id, "invite", invite_id, "create", fields)
    return Invitation(group_id, invite_id, token, role)


def revoke_invitation(*, store: Store, group_id: str, invite_id: str) -> None:
    with writing(store) as w:
        w.emit(group_id, "invite", invite_id, "update", {"revoked": True})


def redeem_invitation(*, store: Store, invitation: Invitation) -> str:
    """Join with an invitation; returns the role it gave. Refused if already used."""
    with writing(store) as w:
        return redeem_with(w, invitation)


def redeem_with(w: Writer, invitation: Invitation) -> str:
    """Redeem inside a unit of work the caller holds (a bundle import, say)."""
    fields = {"proof": prove(invitation.token, invitation.invite_id, w.store.device_id)}
    name = get_meta(w.db, MY_NAME)
    if name:
        fields["display_name"] = name
    w.emit(invitation.group_id, "invite", invitation.invite_id, "redeem", fields)
    return invitation.role


# --- for the members page ---------------------------------------------------------


@dataclass(frozen=True)
class MyProfile:
    """What this member has told the group about themselves, to fill an edit form."""

    display_name: str
    bio: str
    interests: list[str]
    contact: str
    consent: str  # one of CONSENTS: who may see ``contact``


def my_profile(*, store: Store, group_id: str) -> MyProfile:
    with store.read() as db:
        profile = profile_in(db, store.sealer, store.device_id, group_id)
    if profile is None:
        raise NotFound("This laptop is not a member of the group yet.")
    return profile


def profile_in(db: sqlite3.Connection, sealer: Sealer, me: str, group_id: str) -> MyProfile | None:
    """This member's own profile, or None where this laptop is not a member."""
    require_group(db, group_id)
    row = db.execute(
        "SELECT display_name, bio, interests, contact, contact_consent FROM members"
        " WHERE group_id = ? AND device = ?",
        (group_id, me),
    ).fetchone()
    if row is None:
        return None
    return MyProfile(row[0], row[1], json.loads(row[2]), sealer.unseal(row[3]), row[4])


def parse_interests(text: str) -> list[str]:
    """Interests as typed, separated by commas or new lines; duplicates dropped."""
    seen: dict[str, str] = {}
    for part in text.replace("\n", ",").split(","):
        word = part.strip()
        if word and word.casefold() not in seen:
            seen[word.casefold()] = clean_title(word, "interest")
    if len(seen) > 50:
        raise InvalidInput("At most 50 interests, please.")
    return list(seen.values())


def change_role(*, store: Store, group_id: str, device: str, role: str) -> None:
    """Give a current member another role (organisers only)."""
    role, device = _check_role(role), _check_device(device)
    with writing(store) as w:
        require_group(w.db, group_id)
        if role_in(w.db, group_id, device) == "removed":
            raise NotFound("That person is not a member of this group.")
        w.emit(group_id, "member", device, "set_role", {"role": role})
