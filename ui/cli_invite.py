"""``moot invite …``: recruiting from the command line, with a printable invitation card."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.papers.words import long_date
from app.roles import ROLES
from app.services import members
from app.store import Store
from sync.invite_cards import BUNDLE_DAYS, HUB_DAYS, MAX_DAYS, MAX_USES, CardMade, make_invite_card

Add = Callable[..., argparse.ArgumentParser]
Arg = Callable[..., tuple[Any, ...]]


def add_invite_commands(sub: Any, add: Add, arg: Arg, group: Callable[[str, str], Any]) -> None:
    i = group("invite", "recruit newcomers: invitations to join a group")
    add(
        i,
        "card",
        cmd_card,
        "print an invitation card (PDF) with a code and a QR code from the group's hub;"
        " for a group with no hub, a bundle carrying a one-use invitation is written beside it",
        arg("group_id"),
        arg("file", help="the card's PDF file (the bundle, if any, goes beside it as .moot)"),
        arg("--role", default="member", choices=ROLES, help="the role newcomers join with"),
        arg("--uses", default="1", metavar="N", help=f"how many may join (1 to {MAX_USES})"),
        arg(
            "--expires",
            metavar="DAYS",
            help=f"days until it runs out (default {HUB_DAYS}; with a bundle, {BUNDLE_DAYS})",
        ),
    )
    add(
        i,
        "list",
        cmd_list,
        "who invited whom: each invitation that brought members in, and who joined by it",
        arg("group_id"),
    )


def cmd_list(store: Store, a: argparse.Namespace) -> Any:
    used = members.invitations_used(store=store, group_id=a.group_id)
    if a.json:
        return used
    from ui.cli import Raw

    lines = [
        f"{u.invited_by or 'someone'}'s invitation {u.invitation}: {len(u.joined)} joined"
        f" ({', '.join(n or 'a member' for n in u.joined)})"
        for u in used
    ]
    return Raw("\n".join(lines) or "Nobody has joined by an invitation yet.")


def cmd_card(store: Store, a: argparse.Namespace) -> Any:
    uses = _whole_number(a.uses, "--uses", f"how many people may join, from 1 to {MAX_USES}")
    days = (
        None
        if a.expires is None
        else _whole_number(a.expires, "--expires", f"the days it lasts, from 1 to {MAX_DAYS}")
    )
    made = make_invite_card(
        store=store, group_id=a.group_id, path=Path(a.file), role=a.role, uses=uses, days=days
    )
    return {
        "file": str(made.file),
        "code": made.code,
        "link": made.link,
        "bundle": None if made.bundle is None else str(made.bundle),
        "expires": made.expires.isoformat(),
        "uses": made.uses,
        "role": made.role,
        "message": _said(made),
    }


def _whole_number(text: str, option: str, meaning: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(f"{option} takes a whole number ({meaning}), not {text!r}.") from None


def _said(made: CardMade) -> str:
    until = long_date(made.expires.isoformat())
    who = "one person" if made.uses == 1 else f"up to {made.uses} people"
    if made.bundle is not None:
        return (
            f"Wrote the invitation card for '{made.group_name}' to {made.file}, and beside it"
            f" the bundle {made.bundle}, which carries the invitation: give the newcomer both."
            f" It lets one person join as {made.role}, until {until}."
        )
    return (
        f"Wrote the invitation card for '{made.group_name}' to {made.file}."
        f" Its code {made.code} lets {who} join as {made.role}, until {until}."
    )
