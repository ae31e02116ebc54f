"""``moot-hub officer …``: the council officers' accounts, from the hub's server.

``add`` prints a one-time link to the set-password page, good for 7 days; adding an
address again renews the account (a forgotten password, a removed officer back) with
the groups and role now given. ``remove`` disables an account and ends its sessions.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from app.codes import Code
from sync.hub import officers
from sync.hub.errors import HubRefusal
from sync.hub.settings import DEFAULT_PORT, HubSettings, public_urls

Work = Callable[[Connection], Any]
InTransaction = Callable[[HubSettings, Work], Any]
LOCAL_URL = f"http://127.0.0.1:{DEFAULT_PORT}"


def _base_url(given: list[str] | None) -> str:
    """Where the officer's browser reaches the hub: --public-url, $MOOT_HUB_PUBLIC_URL,
    or the hub on this machine at its default port.
    """
    try:
        found = public_urls(given)
    except ValueError as exc:
        raise HubRefusal(str(exc), code=Code.INVALID_INPUT) from None
    return found[0] if found else LOCAL_URL


def add_parser(sub: Any, common: argparse.ArgumentParser, in_transaction: InTransaction) -> None:
    actions = sub.add_parser("officer", help="council officers' accounts").add_subparsers(
        metavar="ACTION", required=True
    )

    add = actions.add_parser(
        "add", parents=[common], help="make an officer's account; prints a set-password link"
    )
    add.add_argument("email")
    add.add_argument("--name", required=True, help="the officer's name, as the pages show it")
    add.add_argument("--admin", action="store_true", help="sees every group and the audit log")
    add.add_argument("--groups", default="", metavar="G1,G2", help="the groups' ids, by commas")
    add.add_argument(
        "--public-url",
        action="append",
        metavar="URL",
        help=f"the hub's address in the link (default: $MOOT_HUB_PUBLIC_URL, else {LOCAL_URL})",
    )

    def run_add(settings: HubSettings, args: argparse.Namespace) -> dict[str, Any]:
        base = _base_url(args.public_url)

        def work(conn: Connection) -> dict[str, Any]:
            officer, token = officers.add_officer(
                conn,
                email=args.email,
                name=args.name,
                admin=args.admin,
                group_ids=args.groups.split(","),
            )
            return {
                "email": officer.email,
                "link": f"{base}/council/set-password/{token}",
                "expires_days": officers.LINK_DAYS,
                "admin": officer.admin,
                "groups": sorted(officer.group_ids),
            }

        return dict(in_transaction(settings, work))

    add.set_defaults(run=run_add)

    listed = actions.add_parser("list", parents=[common], help="every officer's account")

    def run_list(settings: HubSettings, args: argparse.Namespace) -> None:
        found = in_transaction(settings, officers.list_officers)
        if args.json:
            print(json.dumps({"officers": found}))
            return
        for o in found:
            role = (
                "administrator" if o["admin"] else "groups: " + (", ".join(o["groups"]) or "none")
            )
            state = "removed" if o["disabled"] else "" if o["password_set"] else "no password yet"
            print("  ".join(part for part in (o["email"], o["name"], role, state) if part))

    listed.set_defaults(run=run_list)

    remove = actions.add_parser(
        "remove", parents=[common], help="disable an officer's account and end its sessions"
    )
    remove.add_argument("email")

    def run_remove(settings: HubSettings, args: argparse.Namespace) -> dict[str, Any]:
        in_transaction(settings, lambda conn: officers.remove_officer(conn, email=args.email))
        return {"removed": officers.normal_email(args.email)}

    remove.set_defaults(run=run_remove)
