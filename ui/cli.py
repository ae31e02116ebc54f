"""The headless command line: the same core as the desktop app, for scripts and schedules.

Its forms are a contract that scripts rely on: ``--json`` prints one JSON value on
stdout; any refusal prints one line on stderr (with ``--json``, one JSON object,
``{"error": CODE, "message": WORDS}``; the codes are ``app.codes.Code``), exits
non-zero and changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from app import moot_version
from app.codes import Code, error_json
from app.dump import dump
from app.errors import InvalidInput, MootError
from app.kinds.members import CONSENTS
from app.logs import log_to_file
from app.papers.invite_card import read_join_link
from app.roles import ROLES
from app.services import discussions, follows, groups, members, notes, polls, search
from app.services.roster import read_roster
from app.services.thread_view import read_thread
from app.store import Store, open_store
from sync import hubs
from sync.bundle import export_bundle, import_bundle

Command = Callable[[Store, argparse.Namespace], Any]
STOPPED = "stopped; what was done so far is kept, nothing is half done."


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Both options may stand before or after the subcommand; absent, they are unset.
    args.data_dir = getattr(args, "data_dir", None)
    args.json = getattr(args, "json", False)
    if not hasattr(args, "command"):
        parser.print_help()
        return 0
    try:
        store = open_store(Path(args.data_dir) if args.data_dir else None)
        log_to_file(store.settings.data_dir)
        try:
            result = args.command(store, args)
        finally:
            store.close()
    except KeyboardInterrupt:
        # Every write is one transaction, so what was committed stays and nothing is half done.
        _refused([(Code.CANCELLED, STOPPED)], as_json=args.json)
        return 130
    except MootError as exc:
        return _refused([(exc.code, str(exc))], as_json=args.json)
    except OSError as exc:
        words = f"{exc.strerror or exc} ({exc.filename or 'profile'})"
        return _refused([(Code.FILE_ERROR, words)], as_json=args.json)
    if isinstance(result, PartlyFailed):
        _print(result.value, as_json=args.json)
        return _refused(result.failures, as_json=args.json)
    _print(result, as_json=args.json)
    return 0


def _refused(failures: list[tuple[Code, str]], *, as_json: bool) -> int:
    """Say on stderr what was refused: a line each, or with ``--json`` one object."""
    if as_json:
        print(error_json(failures), file=sys.stderr)
    else:
        for _code, words in failures:
            print(f"moot: {words}", file=sys.stderr)
    return 1


def _print(result: Any, *, as_json: bool) -> None:
    if result is None:
        return
    if isinstance(result, Raw):
        print(result.text)
    elif as_json:
        print(json.dumps(_plain(result), ensure_ascii=False, indent=None))
    else:
        print(_human(_plain(result)))


class Raw:
    """Output printed as it is, with or without --json (the canonical dump)."""

    def __init__(self, text: str) -> None:
        self.text = text


class PartlyFailed:
    """Output printed as usual, then a line on stderr per failure, and a non-zero exit."""

    def __init__(self, value: Any, failures: list[tuple[Code, str]]) -> None:
        self.value, self.failures = value, failures


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    return value


def _human(value: Any) -> str:
    if isinstance(value, dict):
        if "message" in value:
            return str(value["message"])
        return "\n".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_human_row(v) for v in value) or "(none)"
    return str(value)


def _human_row(value: Any) -> str:
    if isinstance(value, dict):
        return "  ".join(str(v) for k, v in value.items() if k != "interests")
    return str(value)


# --- commands ---------------------------------------------------------------------


def cmd_whoami(store: Store, _a: argparse.Namespace) -> Any:
    return {"device": store.device_id, "name": groups.my_name(store=store)}


def cmd_name(store: Store, a: argparse.Namespace) -> Any:
    groups.set_my_name(store=store, name=a.name)
    return {"name": a.name.strip()}


def cmd_group_create(store: Store, a: argparse.Namespace) -> Any:
    group_id = groups.create_group(
        store=store, name=a.name, description=a.description, colour=a.colour, emblem=a.emblem
    )
    return {"id": group_id}


def cmd_group_list(store: Store, _a: argparse.Namespace) -> Any:
    return groups.list_groups(store=store)


def cmd_category_add(store: Store, a: argparse.Namespace) -> Any:
    return {"id": groups.add_category(store=store, group_id=a.group_id, name=a.name)}


def cmd_discussion_start(store: Store, a: argparse.Namespace) -> Any:
    discussion_id, post_id = discussions.start_discussion(
        store=store, group_id=a.group_id, title=a.title, body=a.body, category=a.category
    )
    return {"id": discussion_id, "post_id": post_id}


def cmd_discussion_list(store: Store, a: argparse.Namespace) -> Any:
    return discussions.list_discussions(
        store=store, group_id=a.group_id, offset=a.offset, limit=a.limit
    )


def cmd_discussion_set(store: Store, a: argparse.Namespace) -> Any:
    fields: dict[str, Any] = {}
    for flag in ("pinned", "locked", "resolved", "deleted"):
        value = getattr(a, flag)
        if value is not None:
            fields[flag] = value == "yes"
    if a.title is not None:
        fields["title"] = a.title
    if a.category is not None:
        fields["category"] = a.category
    if not fields:
        raise MootError("Say what to change (see 'moot discussion set --help').")
    discussions.update_discussion(store=store, discussion_id=a.discussion_id, **fields)
    return None


def cmd_thread(store: Store, a: argparse.Namespace) -> Any:
    return read_thread(
        store=store, discussion_id=a.discussion_id, offset=a.offset, limit=a.limit
    ).posts


def cmd_reply(store: Store, a: argparse.Namespace) -> Any:
    post_id = discussions.reply(
        store=store, discussion_id=a.discussion_id, body=a.body, reply_to=a.to
    )
    return {"id": post_id}


def cmd_edit(store: Store, a: argparse.Namespace) -> Any:
    discussions.edit_post(store=store, post_id=a.post_id, body=a.body)


def cmd_delete(store: Store, a: argparse.Namespace) -> Any:
    discussions.delete_post(store=store, post_id=a.post_id)


def cmd_restore(store: Store, a: argparse.Namespace) -> Any:
    discussions.restore_post(store=store, post_id=a.post_id)


def cmd_react(store: Store, a: argparse.Namespace) -> Any:
    discussions.react(store=store, post_id=a.post_id, emoji=a.emoji, present=True)


def cmd_unreact(store: Store, a: argparse.Namespace) -> Any:
    discussions.react(store=store, post_id=a.post_id, emoji=a.emoji, present=False)


def cmd_poll_create(store: Store, a: argparse.Namespace) -> Any:
    poll_id = polls.create_poll(
        store=store,
        discussion_id=a.discussion_id,
        question=a.question,
        options=a.options,
        multiple=a.multiple,
    )
    return {"id": poll_id}


def cmd_poll_show(store: Store, a: argparse.Namespace) -> Any:
    return polls.poll_results(store=store, poll_id=a.poll_id)


def cmd_vote(store: Store, a: argparse.Namespace) -> Any:
    polls.vote(store=store, poll_id=a.poll_id, choices=a.options)


def cmd_note_create(store: Store, a: argparse.Namespace) -> Any:
    return {"id": notes.create_note(store=store, group_id=a.group_id, title=a.title, body=a.body)}


def cmd_note_append(store: Store, a: argparse.Namespace) -> Any:
    notes.append_to_note(store=store, note_id=a.note_id, line=a.text)


def cmd_note_show(store: Store, a: argparse.Namespace) -> Any:
    note = notes.get_note(store=store, note_id=a.note_id)
    return note if a.json else Raw(f"# {note.title}\n\n{note.text}")


def cmd_note_list(store: Store, a: argparse.Namespace) -> Any:
    return [
        {"id": n.id, "title": n.title} for n in notes.list_notes(store=store, group_id=a.group_id)
    ]


def cmd_follow(store: Store, a: argparse.Namespace) -> Any:
    follows.follow(store=store, target_id=a.target_id, state=a.state)


def cmd_search(store: Store, a: argparse.Namespace) -> Any:
    return search.search(store=store, group_id=a.group_id, query=a.query, limit=a.limit)


def cmd_member_list(store: Store, a: argparse.Namespace) -> Any:
    listed = read_roster(store=store, group_id=a.group_id).members
    return members.with_interest(listed, a.interest) if a.interest else listed


def cmd_member_admit(store: Store, a: argparse.Namespace) -> Any:
    members.admit(
        store=store, group_id=a.group_id, device=a.device, role=a.role, display_name=a.name
    )


def cmd_member_remove(store: Store, a: argparse.Namespace) -> Any:
    members.remove_member(store=store, group_id=a.group_id, device=a.device)


def cmd_member_contact(store: Store, a: argparse.Namespace) -> Any:
    members.set_contact(store=store, group_id=a.group_id, contact=a.details, consent=a.consent)


def cmd_member_erase_contact(store: Store, a: argparse.Namespace) -> Any:
    members.erase_contact(store=store, group_id=a.group_id)


def cmd_bundle_export(store: Store, a: argparse.Namespace) -> Any:
    result = export_bundle(
        store=store, group_id=a.group_id, path=Path(a.file), invite_role=a.invite
    )
    message = f"Wrote {result.ops} changes to {result.path}"
    if result.invitation:
        message += f", with a one-use invitation to join as {result.invitation.role}"
    return {
        "file": str(result.path),
        "ops": result.ops,
        "invitation_role": result.invitation.role if result.invitation else None,
        "message": message + ".",
    }


def cmd_bundle_import(store: Store, a: argparse.Namespace) -> Any:
    r = import_bundle(store=store, path=Path(a.file))
    if not r.founded:
        message = (
            f"Kept {r.received} changes of group {r.group_id}, which this laptop does not have"
            " yet. They wait for the change that starts the group: import a bundle made from"
            " a laptop that has the whole group."
        )
        return {**asdict(r), "can_write": False, "message": message}
    lines = [f"Imported {r.received} new changes into '{r.group_name}'."]
    if r.joined_as:
        lines.append(f"This laptop has joined the group as {r.joined_as}.")
    elif r.invitation_refused:
        lines.append(f"The bundle's invitation could not be used: {r.invitation_refused}")
    if r.role == "removed":
        lines.append(
            "You can read this group, but cannot write in it until an organiser admits this"
            f" laptop (its device id is {store.device_id})."
        )
    if r.waiting:
        lines.append(f"{r.waiting} changes wait for others they depend on.")
    return {**asdict(r), "can_write": r.role != "removed", "message": "\n".join(lines)}


def cmd_join(store: Store, a: argparse.Namespace) -> Any:
    hub_url, code = read_join_link(a.hub_url) or (a.hub_url, a.code)
    if not code:
        raise InvalidInput(
            "Give the hub's address and the invitation code, or the moot://join link from"
            " an invitation card."
        )
    joined = hubs.join_hub(store=store, hub_url=hub_url, code=code)
    return {
        "group_id": joined.group_id,
        "group_name": joined.group_name,
        "role": joined.role,
        "pulled": joined.pulled,
        "message": f"Joined '{joined.group_name}' as {joined.role}; {joined.pulled} changes.",
    }


def cmd_hub_connect(store: Store, a: argparse.Namespace) -> Any:
    result = hubs.connect_hub(store=store, group_id=a.group_id, hub_url=a.hub_url, code=a.code)
    return {
        "group_id": a.group_id,
        "pushed": result.pushed,
        "pulled": result.pulled,
        "message": f"Connected; {result.pushed} changes uploaded to the hub.",
    }


def cmd_hub_enrol(store: Store, a: argparse.Namespace) -> Any:
    result = hubs.enrol_hub(store=store, group_id=a.group_id, hub_url=a.hub_url)
    return {"group_id": a.group_id, "pushed": result.pushed, "pulled": result.pulled}


def cmd_sync(store: Store, a: argparse.Namespace) -> Any:
    outcomes = hubs.sync_all(store=store, group_id=a.group_id)
    rows, lines, failures = [], [], []
    for outcome in outcomes:
        name = outcome.group_name or outcome.group_id
        if isinstance(outcome, hubs.GroupSynced):
            r = outcome.result
            rows.append(_sync_row(outcome, r.pushed, r.pulled, r.rejected, None))
            line = f"{name}: sent {r.pushed} changes and received {r.pulled}."
            if r.rejected:
                line += f" The hub turned away {r.rejected}."
            ahead = [held for held in r.held or () if held.code == Code.CLOCK_AHEAD]
            if ahead:  # only the person can put the clock right
                line += (
                    f" {len(ahead)} wait on this laptop: the hub refused its clock"
                    f" ({ahead[0].reason}); set the date and time, then sync again."
                )
            lines.append(line)
        else:
            rows.append(_sync_row(outcome, 0, 0, 0, outcome.error))
            lines.append(f"{name}: not synced: {outcome.error}")
            failures.append((outcome.error.code, f"{name}: {outcome.error}"))
    result = {
        "pushed": sum(row["pushed"] for row in rows),
        "pulled": sum(row["pulled"] for row in rows),
        "rejected": sum(row["rejected"] for row in rows),
        "groups": rows,
        "message": "\n".join(lines) or "No group on this laptop is connected to a hub.",
    }
    return PartlyFailed(result, failures) if failures else result


def _sync_row(
    outcome: hubs.GroupOutcome, pushed: int, pulled: int, rejected: int, error: MootError | None
) -> dict[str, Any]:
    return {
        "group_id": outcome.group_id,
        "group_name": outcome.group_name,
        "synced": error is None,
        "pushed": pushed,
        "pulled": pulled,
        "rejected": rejected,
        "error": None if error is None else error.code,
        "message": None if error is None else str(error),
    }


def cmd_status(store: Store, _a: argparse.Namespace) -> Any:
    return hubs.status(store=store)


def cmd_dump(store: Store, a: argparse.Namespace) -> Any:
    return Raw(dump(store=store, group_id=a.group_id))


# --- the parser -------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="profile folder (default: $MOOT_DATA_DIR or the user data folder)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print machine-readable JSON"
    )
    parser = argparse.ArgumentParser(
        prog="moot",
        parents=[common],
        description="Moot: discussions, notes and polls for community groups, offline first.",
    )
    parser.add_argument("--version", action="version", version=f"moot {moot_version()}")
    sub = parser.add_subparsers(metavar="COMMAND")

    def add(
        parent: Any, name: str, func: Command, help_text: str, *args: tuple[Any, ...]
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(
            name, parents=[common], help=help_text, description=help_text
        )
        p.set_defaults(command=func)
        for names, kwargs in args:
            p.add_argument(*names, **kwargs)
        return p

    def group(name: str, help_text: str) -> Any:
        p = sub.add_parser(name, help=help_text, description=help_text)
        return p.add_subparsers(metavar="ACTION", required=True)

    def arg(*names: str, **kwargs: Any) -> tuple[Any, ...]:
        return (names, kwargs)

    page = (arg("--offset", type=int, default=0), arg("--limit", type=int, default=50))
    add(sub, "whoami", cmd_whoami, "show this laptop's device id and your name")
    add(sub, "name", cmd_name, "set the name you go by", arg("name"))

    g = group("group", "start and list groups")
    add(
        g,
        "create",
        cmd_group_create,
        "start a new group, with you as organiser",
        arg("name"),
        arg("--description", default=""),
        arg("--colour", default=""),
        arg("--emblem", default=""),
    )
    add(g, "list", cmd_group_list, "list the groups on this laptop")
    add(
        g,
        "add-category",
        cmd_category_add,
        "add a discussion category (organisers)",
        arg("group_id"),
        arg("name"),
    )

    d = group("discussion", "start, list and moderate discussions")
    add(
        d,
        "start",
        cmd_discussion_start,
        "start a discussion with its first post",
        arg("group_id"),
        arg("title"),
        arg("body"),
        arg("--category"),
    )
    add(d, "list", cmd_discussion_list, "list a group's discussions", arg("group_id"), *page)
    from ui.cli_organiser import add_organiser_commands, add_schedule_commands

    add_schedule_commands(d, add, arg)
    yes_no = {"choices": ("yes", "no")}
    add(
        d,
        "set",
        cmd_discussion_set,
        "rename, pin, lock, resolve, move or delete a discussion",
        arg("discussion_id"),
        arg("--title"),
        arg("--category"),
        arg("--pinned", **yes_no),
        arg("--locked", **yes_no),
        arg("--resolved", **yes_no),
        arg("--deleted", **yes_no),
    )

    add(sub, "thread", cmd_thread, "read a discussion's posts", arg("discussion_id"), *page)
    add(
        sub,
        "reply",
        cmd_reply,
        "reply in a discussion",
        arg("discussion_id"),
        arg("body"),
        arg("--to", metavar="POST_ID"),
    )
    add(sub, "edit", cmd_edit, "edit one of your posts", arg("post_id"), arg("body"))
    add(sub, "delete", cmd_delete, "delete a post (restorable)", arg("post_id"))
    add(sub, "restore", cmd_restore, "restore a deleted post", arg("post_id"))
    add(sub, "react", cmd_react, "react to a post", arg("post_id"), arg("emoji"))
    add(sub, "unreact", cmd_unreact, "take back a reaction", arg("post_id"), arg("emoji"))

    p = group("poll", "quick polls")
    add(
        p,
        "create",
        cmd_poll_create,
        "ask a quick question in a discussion",
        arg("discussion_id"),
        arg("question"),
        arg("options", nargs="+", metavar="OPTION"),
        arg("--multiple", action="store_true"),
    )
    add(p, "show", cmd_poll_show, "show a poll's results", arg("poll_id"))
    add(
        sub,
        "vote",
        cmd_vote,
        "vote in a poll (option text or number)",
        arg("poll_id"),
        arg("options", nargs="+", metavar="OPTION"),
    )

    n = group("note", "shared notes")
    add(
        n,
        "create",
        cmd_note_create,
        "write a new shared note",
        arg("group_id"),
        arg("title"),
        arg("body"),
    )
    add(
        n, "append", cmd_note_append, "add a line at the end of a note", arg("note_id"), arg("text")
    )
    add(n, "show", cmd_note_show, "print a note", arg("note_id"))
    add(n, "list", cmd_note_list, "list a group's notes", arg("group_id"))

    add(
        sub,
        "follow",
        cmd_follow,
        "follow, mute or unfollow a discussion or category",
        arg("target_id"),
        arg("--state", choices=("following", "muted", "none"), default="following"),
    )
    add(
        sub,
        "search",
        cmd_search,
        "search discussions, posts and notes",
        arg("group_id"),
        arg("query"),
        arg("--limit", type=int, default=20),
    )

    m = group("member", "members and roles")
    add(
        m,
        "list",
        cmd_member_list,
        "list a group's members, with what each has written",
        arg("group_id"),
        arg("--interest", help="only those with this interest (who to ask about allotments?)"),
    )
    add(
        m,
        "admit",
        cmd_member_admit,
        "let a laptop write in the group (organisers)",
        arg("group_id"),
        arg("device"),
        arg("--role", default="member"),
        arg("--name", default=""),
    )
    add(
        m,
        "remove",
        cmd_member_remove,
        "take a member out of the group (organisers)",
        arg("group_id"),
        arg("device"),
    )
    add(
        m,
        "contact",
        cmd_member_contact,
        "share your contact details with the group, seen only as you allow",
        arg("group_id"),
        arg("details"),
        arg("--consent", choices=CONSENTS, default="organisers"),
    )
    add(
        m,
        "erase-contact",
        cmd_member_erase_contact,
        "erase your contact details on every laptop, the log included",
        arg("group_id"),
    )

    b = group("bundle", "carry changes on a USB stick")
    add(
        b,
        "export",
        cmd_bundle_export,
        "write every change of a group to a signed file",
        arg("group_id"),
        arg("file"),
        arg(
            "--invite",
            metavar="ROLE",
            choices=ROLES,
            help="also carry a one-use invitation to join with this role",
        ),
    )
    add(b, "import", cmd_bundle_import, "apply a bundle file", arg("file"))
    add(
        sub,
        "join",
        cmd_join,
        "join a group on a council hub with an invitation code (or a card's moot://join link)",
        arg("hub_url", metavar="HUB_URL|LINK"),
        arg("code", nargs="?", default=""),
    )
    h = group("hub", "connect groups to a council hub")
    add(
        h,
        "connect",
        cmd_hub_connect,
        "connect a group started here to a hub, with a registration code from the council",
        arg("group_id"),
        arg("hub_url"),
        arg("code"),
    )
    add(
        h,
        "enrol",
        cmd_hub_enrol,
        "reach a group's hub from a laptop admitted offline (proves its device key)",
        arg("group_id"),
        arg("hub_url"),
    )
    add(
        sub,
        "sync",
        cmd_sync,
        "send and receive changes with the hub (all linked groups)",
        arg("group_id", nargs="?"),
    )
    add(sub, "status", cmd_status, "how each group stands with its hub")
    from ui.cli_meetings import add_meeting_commands

    add_meeting_commands(sub, add, arg, group)
    from ui.cli_consultations import add_consultation_commands

    add_consultation_commands(sub, add, arg, group)
    from ui.cli_invite import add_invite_commands

    add_invite_commands(sub, add, arg, group)
    add_organiser_commands(sub, add, arg, group)
    add(sub, "dump", cmd_dump, "print a group's state as canonical JSON", arg("group_id"))
    return parser
