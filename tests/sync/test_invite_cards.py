"""``moot invite card`` end to end: a card made against a real hub on loopback, and a
newcomer who joins with what is printed on it; the bundle route for a group with no hub;
and refusals that say why and leave no file behind.

Most stories run the command in this process, through a parser built as ``ui.cli``
builds its own (``add_invite_commands``), so they run fast; one runs the ``moot``
command itself.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import create_engine, text

from app.codes import Code
from app.errors import MootError
from app.services import groups, members
from app.store import Store
from sync import hubs
from sync.bundle import import_bundle
from tests.hubs import create_group, make_invite, sqlite_hub
from tests.moot_cli import Laptop
from tests.support import deliver, ops_of, pdf_text
from ui.cli_invite import add_invite_commands

MakeStore = Callable[[str], Store]


@dataclass
class Hub:
    url: str
    db: str

    def invitations(self) -> int:
        """How many invitation codes the hub has made, all groups."""
        engine = create_engine(self.db)
        with engine.begin() as conn:
            (count,) = conn.execute(text("SELECT COUNT(*) FROM hub_invites")).one()
        engine.dispose()
        return int(count)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as (url, db):
        yield Hub(url, db)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="moot")
    sub = parser.add_subparsers(metavar="COMMAND")

    def add(
        parent: Any, name: str, func: Any, help_text: str, *args: tuple[Any, ...]
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_text)
        p.set_defaults(command=func)
        for names, kwargs in args:
            p.add_argument(*names, **kwargs)
        return p

    def group(name: str, help_text: str) -> Any:
        return sub.add_parser(name, help=help_text).add_subparsers(metavar="ACTION", required=True)

    def arg(*names: str, **kwargs: Any) -> tuple[Any, ...]:
        return (names, kwargs)

    add_invite_commands(sub, add, arg, group)
    return parser


def invite_card(store: Store, *argv: object) -> dict[str, Any]:
    """``moot invite card ARGV…`` on this laptop, as the command runs it."""
    args = _parser().parse_args(["invite", "card", *map(str, argv)])
    args.json = True
    answer: dict[str, Any] = args.command(store, args)
    return answer


def refused(store: Store, *argv: object) -> MootError:
    with pytest.raises(MootError) as caught:
        invite_card(store, *argv)
    return caught.value


def flat(path: Path) -> str:
    """The PDF's words with the line breaks of its layout folded away."""
    return " ".join(pdf_text(path).split())


def organiser_on_hub(hub: Hub, store: Store, name: str) -> str:
    """A group on the hub with this laptop joined as its organiser; the group's id."""
    group_id = create_group(hub.db, name)
    hubs.join_hub(
        store=store, hub_url=hub.url, code=make_invite(hub.db, group_id, role="organiser")
    )
    return group_id


def test_a_newcomer_joins_with_the_code_on_the_card(
    hub: Hub, make_store: MakeStore, tmp_path: Path
) -> None:
    organiser = make_store("organiser")
    group_id = organiser_on_hub(hub, organiser, "Ashby Litter Pickers")
    groups.update_group(
        store=organiser,
        group_id=group_id,
        name="Ashby <Litter> Pickers & Friends",
        description="Litter picks on the first Saturday of the month, gloves provided.",
        colour="#1f6f78",
    )
    card = tmp_path / "noticeboard.pdf"
    made = invite_card(organiser, group_id, card, "--uses", "2", "--expires", "10")

    assert made["file"] == str(card)
    assert made["bundle"] is None
    assert made["uses"] == 2
    assert made["expires"] == (date.today() + timedelta(days=9)).isoformat()
    link = urlsplit(made["link"])
    assert (link.scheme, link.netloc) == ("moot", "join")
    assert parse_qs(link.query) == {"hub": [hub.url], "code": [made["code"]]}
    assert "Its code" in made["message"]
    words = flat(card)
    assert made["code"] in words.replace(" ", "")  # a long code may wrap in its box
    assert hub.url in words
    assert "Ashby <Litter> Pickers & Friends" in words
    assert "gloves provided" in words
    assert "Up to two people can join with this code" in words
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["noticeboard.pdf"]

    # What a user notices: someone reads the card and is in the group, as renamed.
    hubs.sync_all(store=organiser, group_id=group_id)
    newcomer = make_store("newcomer")
    joined = hubs.join_hub(store=newcomer, hub_url=hub.url, code=made["code"])
    assert (joined.group_id, joined.role) == (group_id, "member")
    there = groups.get_group(store=newcomer, group_id=group_id)
    assert (there.name, there.my_role) == ("Ashby <Litter> Pickers & Friends", "member")


def test_the_moot_command_prints_a_card_a_newcomer_joins_with(hub: Hub, tmp_path: Path) -> None:
    group_id = create_group(hub.db, "Westfield Residents")
    organiser = Laptop(tmp_path / "organiser")
    organiser.ok("name", "Olive")
    organiser.ok("join", hub.url, make_invite(hub.db, group_id, role="organiser"))
    card = tmp_path / "card.pdf"
    made = organiser.json("invite", "card", group_id, card, "--role", "clerk")
    assert set(made) >= {"file", "code", "link", "bundle", "expires", "uses"}
    assert (made["file"], made["bundle"], made["uses"]) == (str(card), None, 1)
    assert made["expires"] == (date.today() + timedelta(days=13)).isoformat()
    words = flat(card)
    assert made["code"] in words.replace(" ", "")  # a long code may wrap in its box
    assert "Westfield Residents" in words
    assert "One person can join with this code" in words
    assert "You join as a clerk" in words

    # The link on the card is enough by itself; without a code, the address is refused.
    newcomer = Laptop(tmp_path / "newcomer")
    assert "invitation code, or the moot://join link" in newcomer.refused("join", hub.url)
    assert "Joined 'Westfield Residents' as clerk" in newcomer.ok("join", made["link"])

    # Who joined by which invitation, once the organiser's laptop has heard.
    organiser.ok("sync")
    [used] = organiser.json("invite", "list", group_id)
    assert (used["invited_by"], len(used["joined"])) == ("Olive", 1)
    assert "'s invitation " in organiser.ok("invite", "list", group_id)


def test_a_member_is_refused_in_words_and_nothing_is_written(
    hub: Hub, make_store: MakeStore, tmp_path: Path
) -> None:
    group_id = create_group(hub.db, "Bell Ringers")
    member = make_store("member")
    hubs.join_hub(store=member, hub_url=hub.url, code=make_invite(hub.db, group_id))
    before = hub.invitations()
    out = tmp_path / "out"
    out.mkdir()

    error = refused(member, group_id, out / "card.pdf")
    assert error.code == Code.NOT_ORGANISER
    assert "Only an organiser of 'Bell Ringers' can make an invitation" in str(error)
    assert "No card was made." in str(error)
    assert list(out.iterdir()) == []
    assert hub.invitations() == before


def test_a_hub_that_is_down_is_refused_in_words_and_nothing_is_written(
    make_store: MakeStore, tmp_path: Path
) -> None:
    organiser = make_store("organiser")
    (tmp_path / "hub").mkdir()
    with sqlite_hub(tmp_path / "hub") as (url, db):
        group_id = organiser_on_hub(Hub(url, db), organiser, "Orchard Friends")
    out = tmp_path / "out"
    out.mkdir()

    error = refused(organiser, group_id, out / "card.pdf")
    assert error.code == Code.HUB_UNREACHABLE
    assert f"Cannot reach the hub at {url}" in str(error)
    assert "No card was made." in str(error)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--uses", "0"), "An invitation lets 1 to 1000 people join, not 0."),
        (("--uses", "1001"), "An invitation lets 1 to 1000 people join, not 1001."),
        (("--uses", "twenty"), "--uses takes a whole number"),
        (("--expires", "0"), "An invitation lasts 1 to 365 days, not 0."),
        (("--expires", "400"), "An invitation lasts 1 to 365 days, not 400."),
        (("--expires", "soon"), "--expires takes a whole number"),
    ],
)
def test_bad_values_are_refused_before_the_hub_is_asked(
    hub: Hub, make_store: MakeStore, tmp_path: Path, argv: tuple[str, ...], words: str
) -> None:
    organiser = make_store("organiser")
    group_id = organiser_on_hub(hub, organiser, "Parish Council")
    before = hub.invitations()
    out = tmp_path / "out"
    out.mkdir()

    error = refused(organiser, group_id, out / "card.pdf", *argv)
    assert error.code == Code.INVALID_INPUT
    assert words in str(error)
    assert list(out.iterdir()) == []
    assert hub.invitations() == before


def test_a_folder_that_does_not_exist_is_refused(
    hub: Hub, make_store: MakeStore, tmp_path: Path
) -> None:
    organiser = make_store("organiser")
    group_id = organiser_on_hub(hub, organiser, "Cricket Club")
    before = hub.invitations()

    error = refused(organiser, group_id, tmp_path / "no such folder" / "card.pdf")
    assert error.code == Code.FILE_ERROR
    assert "the folder" in str(error)
    assert "does not exist" in str(error)
    assert not (tmp_path / "no such folder").exists()
    assert hub.invitations() == before


# --- a group with no hub: the card comes with a bundle --------------------------------------


def test_a_group_with_no_hub_gets_a_card_and_a_bundle_a_newcomer_imports(
    make_store: MakeStore, tmp_path: Path
) -> None:
    organiser = make_store("organiser")
    groups.set_my_name(store=organiser, name="Olive")
    group_id = groups.create_group(
        store=organiser,
        name="Ashby Allotments",
        description="Plots, seed swaps and the autumn show.",
        colour="#8a6a1f",
    )
    card = tmp_path / "allotments.pdf"
    made = invite_card(organiser, group_id, card)

    bundle = tmp_path / "allotments.moot"
    assert made["bundle"] == str(bundle)
    assert (made["code"], made["link"], made["uses"]) == (None, None, 1)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "allotments.moot",
        "allotments.pdf",
    ]
    assert "allotments.moot" in made["message"]
    words = flat(card)
    assert "Ashby Allotments" in words
    assert "allotments.moot" in words
    assert "File ▸ Import bundle" in words
    assert "One person can join with this file" in words
    assert "moot://" not in words

    newcomer = make_store("newcomer")
    imported = import_bundle(store=newcomer, path=bundle)
    assert imported.joined_as == "member"
    assert groups.get_group(store=newcomer, group_id=group_id).my_role == "member"
    # The card's date is the invitation's own: the last whole day before it runs out.
    with sqlite3.connect(newcomer.settings.data_dir / "moot.db") as db:
        (expires_ms,) = db.execute("SELECT expires_ms FROM invitations").fetchone()
    runs_out = datetime.fromtimestamp(expires_ms / 1000).date()
    assert made["expires"] == (runs_out - timedelta(days=1)).isoformat()

    # Back on the organiser's laptop, the group knows who brought the newcomer in.
    groups.rename_me(store=newcomer, name="Nina")
    deliver(ops_of(newcomer), organiser)
    [used] = members.invitations_used(store=organiser, group_id=group_id)
    assert used.joined == ["Nina"]
    [nina] = [m for m in members.list_members(store=organiser, group_id=group_id)
              if m.device == newcomer.device_id]  # fmt: skip
    assert nina.invited_by == "Olive"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--uses", "5"), "a bundle's invitation lets one person join"),
        (("--expires", "10"), "A bundle's invitation lasts 30 days"),
    ],
)
def test_the_bundle_route_refuses_what_a_bundle_cannot_carry(
    make_store: MakeStore, tmp_path: Path, argv: tuple[str, ...], words: str
) -> None:
    organiser = make_store("organiser")
    group_id = groups.create_group(store=organiser, name="Book Club")
    error = refused(organiser, group_id, tmp_path / "card.pdf", *argv)
    assert error.code == Code.INVALID_INPUT
    assert words in str(error)
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []


def test_a_member_with_no_hub_is_refused_and_no_bundle_is_written(
    make_store: MakeStore, tmp_path: Path
) -> None:
    organiser, member = make_store("organiser"), make_store("member")
    group_id = groups.create_group(store=organiser, name="Book Club")
    first = tmp_path / "first"
    first.mkdir()
    invite_card(organiser, group_id, first / "card.pdf")
    import_bundle(store=member, path=first / "card.moot")
    out = tmp_path / "out"
    out.mkdir()

    error = refused(member, group_id, out / "card.pdf")
    assert error.code == Code.NOT_ORGANISER
    assert "Only an organiser of 'Book Club' can invite people" in str(error)
    assert list(out.iterdir()) == []
