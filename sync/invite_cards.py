"""Invitation cards made on this laptop: a code from the group's hub, or a bundle beside the card.

For a group connected to a hub, the hub makes the code (it is the hub that lets a
newcomer in over the network, and only for an organiser's asking); for a group with no
hub, a bundle file carrying a one-use invitation is written beside the card, named
like it (``poster.pdf`` and ``poster.moot``). Whatever is refused, nothing is left
behind: every check is made before the hub is asked, the card is laid out before any
file is written, and each file is written whole or not at all.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from app import hub_links
from app.codes import Code
from app.errors import FileError, InvalidInput, MootError, NotAllowed
from app.papers.invite_card import InviteCard, render_pdf
from app.papers.pdf import write_whole
from app.roles import ROLES
from app.services.groups import GroupSummary, get_group
from app.store import Store
from sync.bundle import export_bundle
from sync.client import HubClient
from sync.errors import SyncError

BUNDLE_SUFFIX = ".moot"
MAX_USES = 1000  # the hub's limits (``sync.protocol.InviteRequest``), checked before asking
MAX_DAYS = 365
HUB_DAYS = 14  # how long a hub's code lasts unless asked otherwise, as the hub's own default
# How long a bundle's invitation lasts: ``app.services.members.invite_with``'s default,
# which ``export_bundle`` gives every invitation it carries.
BUNDLE_DAYS = 30
NO_CARD = "No card was made."


@dataclass(frozen=True)
class CardMade:
    file: Path
    group_id: str
    group_name: str
    role: str
    uses: int
    expires: date  # the last day the invitation can be used
    code: str | None  # the hub's invitation code; None on the bundle route
    link: str | None  # moot://join?…; None on the bundle route
    bundle: Path | None  # the bundle written beside the card; None on the hub route


def make_invite_card(
    *,
    store: Store,
    group_id: str,
    path: Path,
    role: str = "member",
    uses: int = 1,
    days: int | None = None,
    client: HubClient | None = None,
) -> CardMade:
    """Make an invitation card for the group at ``path``: the hub route where the group
    has a hub on this laptop, else the bundle route. ``days=None``: the route's default."""
    path = Path(path)
    _check(role=role, uses=uses, days=days, path=path)
    group = get_group(store=store, group_id=group_id)
    with store.read() as db:
        link = hub_links.get_link(db, store.sealer, group_id)
    if link is None:
        return _by_bundle(store, group, path, role=role, uses=uses, days=days)
    client = client or HubClient(link.hub_url, link.token)
    return _by_hub(client, group, path, role=role, uses=uses, days=days or HUB_DAYS)


def _check(*, role: str, uses: int, days: int | None, path: Path) -> None:
    if role not in ROLES:
        raise InvalidInput(f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.")
    if not 1 <= uses <= MAX_USES:
        raise InvalidInput(f"An invitation lets 1 to {MAX_USES} people join, not {uses}.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"An invitation lasts 1 to {MAX_DAYS} days, not {days}.")
    if not path.parent.is_dir():
        raise FileError(f"Cannot save {path.name}: the folder {path.parent} does not exist.")
    if path.is_dir():
        raise FileError(f"Cannot save the card as {path}: that is a folder.")


def _last_day(days: int) -> date:
    # An invitation runs out ``days`` × 24 hours after it is made, part way through that
    # day: the card names the day before, the last whole day it can be used.
    return date.today() + timedelta(days=days - 1)


def _card(
    group: GroupSummary,
    *,
    role: str,
    uses: int,
    days: int,
    hub_url: str | None = None,
    code: str | None = None,
    bundle_file: str | None = None,
) -> InviteCard:
    return InviteCard(
        group_name=group.name,
        description=group.description,
        colour=group.colour,
        role=role,
        uses=uses,
        expires=_last_day(days),
        hub_url=hub_url,
        code=code,
        bundle_file=bundle_file,
    )


def _by_hub(
    client: HubClient, group: GroupSummary, path: Path, *, role: str, uses: int, days: int
) -> CardMade:
    try:
        code = client.invite(group.id, role=role, uses=uses, days=days)
    except SyncError as exc:
        if exc.code == Code.NOT_ORGANISER:
            raise type(exc)(
                f"Only an organiser of '{group.name}' can make an invitation, and the hub does"
                f" not count this laptop as one. Ask an organiser to make the card. {NO_CARD}",
                code=exc.code,
            ) from None
        raise type(exc)(f"{exc} {NO_CARD}", code=exc.code) from None
    card = _card(group, role=role, uses=uses, days=days, hub_url=client.base_url, code=code)
    # Should the card fail to be written, the code is left unused on the hub, where it
    # runs out in its time; nobody has seen it.
    write_whole(render_pdf(card), path)
    return CardMade(path, group.id, group.name, role, uses, card.expires, code, card.link, None)


def _by_bundle(
    store: Store, group: GroupSummary, path: Path, *, role: str, uses: int, days: int | None
) -> CardMade:
    if uses != 1:
        raise InvalidInput(
            f"'{group.name}' has no hub, so its card comes with a bundle file, and a bundle's"
            " invitation lets one person join: leave out --uses, and make a card for each"
            " newcomer (or connect the group to a hub, for a code many can use)."
        )
    if days is not None and days != BUNDLE_DAYS:
        raise InvalidInput(
            f"A bundle's invitation lasts {BUNDLE_DAYS} days; leave out --expires for a"
            " group with no hub."
        )
    bundle = path.with_suffix(BUNDLE_SUFFIX)
    if bundle == path:
        raise InvalidInput(
            f"The card and its bundle would both be {path.name}: name the card's file .pdf."
        )
    if group.my_role != "organiser":
        raise NotAllowed(
            f"Only an organiser of '{group.name}' can invite people to it; ask an organiser"
            f" to make the card. {NO_CARD}",
            code=Code.NOT_ORGANISER,
        )
    card = _card(group, role=role, uses=1, days=BUNDLE_DAYS, bundle_file=bundle.name)
    # Laid out before the bundle is written: a laptop that cannot make PDFs leaves no
    # bundle and makes no invitation.
    pdf = render_pdf(card)
    export_bundle(store=store, group_id=group.id, path=bundle, invite_role=role)
    try:
        write_whole(pdf, path)
    except MootError:
        # The invitation stays in the group's log, but its secret was only in the
        # bundle: with the bundle gone, nobody can use it, and it runs out in its time.
        with contextlib.suppress(OSError):
            bundle.unlink()
        raise
    return CardMade(path, group.id, group.name, role, 1, card.expires, None, None, bundle)
