"""Joining a group on a hub, connecting an offline group to one, and syncing them all."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from app import hub_links
from app.apply import read_log, read_membership
from app.clock import wall_ms
from app.codes import Code
from app.errors import Cancelled, MootError
from app.hub_links import Failure
from app.progress import Progress, quiet_if_none
from app.services import members
from app.services.groups import get_group, list_groups, my_name
from app.store import Store
from sync.client import HubClient
from sync.engine import SyncResult, sync_group
from sync.errors import Refused
from sync.proofs import enrol_message, join_message, register_message, sign


@dataclass(frozen=True)
class Joined:
    group_id: str
    group_name: str
    role: str
    pulled: int


@dataclass(frozen=True)
class GroupStatus:
    group_id: str
    group_name: str
    hub: str
    pending: int  # changes waiting to go up
    last_sync_ms: int | None
    last_error: Failure | None


@dataclass(frozen=True)
class GroupSynced:
    group_id: str
    group_name: str
    hub: str
    result: SyncResult


@dataclass(frozen=True)
class GroupFailed:
    group_id: str
    group_name: str
    hub: str
    error: MootError  # Cancelled where the person stopped the round at this group


GroupOutcome = GroupSynced | GroupFailed

log = logging.getLogger(__name__)
Sent = TypeVar("Sent")


def join_hub(
    *,
    store: Store,
    hub_url: str,
    code: str,
    client: HubClient | None = None,
    progress: Progress | None = None,
) -> Joined:
    """Join a group with an invitation code, then pull its whole history.

    Stopped before the hub lets this laptop in, nothing changes; stopped during the
    pull, the group is joined and the rest of its history comes at the next sync.
    """
    progress = quiet_if_none(progress)
    progress.check()
    client = client or HubClient(hub_url)
    hub, name = client.info().device, my_name(store=store)
    answer = _with_fresh_proof(
        lambda stamp: client.join(
            code=code.strip(),
            device=store.device_id,
            name=name,
            proof=sign(store.identity.key, join_message(hub, client.base_url, code.strip(), stamp)),
            stamp_ms=stamp,
        )
    )
    with store.write() as db:
        hub_links.save_link(
            db, store.sealer, group_id=answer.group_id, hub_url=client.base_url, token=answer.token
        )
    client.token = answer.token
    result = sync_group(store, answer.group_id, client=client, progress=progress)
    return Joined(answer.group_id, answer.group_name, answer.role, result.pulled)


def connect_hub(
    *,
    store: Store,
    group_id: str,
    hub_url: str,
    code: str,
    client: HubClient | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Connect a group started offline to a hub with a registration code; upload its history.

    The hub is admitted to the group as an organiser, so it can let in the members
    its invitation codes bring. Stopped before the hub registers the group, nothing
    changes; stopped during the upload, the rest goes up at the next sync.
    """
    progress = quiet_if_none(progress)
    progress.check()
    group = get_group(store=store, group_id=group_id)
    if group.my_role != "organiser":
        raise Refused(
            "Only an organiser of the group can connect it to a hub.", code=Code.NOT_ORGANISER
        )
    client = client or HubClient(hub_url)
    hub = client.info()
    progress.check()
    members.admit(
        store=store,
        group_id=group_id,
        device=hub.device,
        role="organiser",
        display_name=hub.name or "Council hub",
    )
    with store.read() as db:
        membership = [op.to_wire() for op in read_membership(db, store.sealer, group_id)]
    token = _with_fresh_proof(
        lambda stamp: client.register(
            code=code.strip(),
            group_id=group_id,
            name=group.name,
            device=store.device_id,
            proof=sign(
                store.identity.key,
                register_message(hub.device, client.base_url, group_id, code.strip(), stamp),
            ),
            stamp_ms=stamp,
            membership=membership,
        )
    )
    with store.write() as db:
        hub_links.save_link(
            db, store.sealer, group_id=group_id, hub_url=client.base_url, token=token
        )
        hub_links.queue(db, [op.id for op in read_log(db, store.sealer, group_id)])
    client.token = token
    return sync_group(store, group_id, client=client, progress=progress)


def enrol_hub(
    *,
    store: Store,
    group_id: str,
    hub_url: str,
    client: HubClient | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """A laptop admitted offline reaches the group's hub by proving its device key."""
    progress = quiet_if_none(progress)
    progress.check()
    client = client or HubClient(hub_url)
    hub = client.info().device
    token = _with_fresh_proof(
        lambda stamp: client.enrol(
            group_id,
            device=store.device_id,
            stamp_ms=stamp,
            proof=sign(store.identity.key, enrol_message(hub, client.base_url, group_id, stamp)),
        )
    )
    with store.write() as db:
        hub_links.save_link(
            db, store.sealer, group_id=group_id, hub_url=client.base_url, token=token
        )
    client.token = token
    return sync_group(store, group_id, client=client, progress=progress)


def _with_fresh_proof(send: Callable[[int], Sent]) -> Sent:
    """``send(stamp)``, which proves this laptop's key with a proof made at ``stamp``.

    A proof is good once. If the hub has seen this one (it took the request, but its
    answer was lost and the request went again), a new proof is made and sent once more.
    """
    stamp = wall_ms()
    try:
        return send(stamp)
    except Refused as exc:
        if exc.code != Code.PROOF_USED:
            raise
    return send(max(wall_ms(), stamp + 1))


def sync_all(
    *,
    store: Store,
    group_id: str | None = None,
    progress: Progress | None = None,
    words: Callable[[str, str], str] | None = None,
) -> list[GroupOutcome]:
    """Sync one group, or every hub-linked group, and say how each went.

    One group failing does not stop the others (its failure is also kept as its last
    error, for ``status``). Cancelling stops the round: the group it stopped in is
    failed with ``Cancelled``, and the groups after it are not tried. ``words(what,
    group name)`` rewords what each group's sync reports.
    """
    progress = quiet_if_none(progress)
    standing = {s.group_id: s for s in status(store=store)}
    chosen = [group_id] if group_id else list(standing)
    outcomes: list[GroupOutcome] = []
    for group in chosen:
        known = standing.get(group)
        name, hub = (known.group_name, known.hub) if known else ("", "")
        mine = progress if words is None else progress.reworded(partial(_for_group, words, name))
        try:
            outcomes.append(GroupSynced(group, name, hub, sync_group(store, group, progress=mine)))
        except Cancelled as exc:
            outcomes.append(GroupFailed(group, name, hub, exc))
            break
        except MootError as exc:
            log.warning("Sync of group %s (%s) failed: %s", group, name or "unnamed", exc)
            outcomes.append(GroupFailed(group, name, hub, exc))
    return outcomes


def _for_group(words: Callable[[str, str], str], group_name: str, what: str) -> str:
    return words(what, group_name)


def status(*, store: Store) -> list[GroupStatus]:
    """How each hub-linked group stands: its hub, changes waiting, last sync, last error."""
    with store.read() as db:
        links = [hub_links.get_link(db, store.sealer, g) for g in hub_links.linked_groups(db)]
        found = [link for link in links if link is not None]
        pending = {link.group_id: hub_links.outbox_size(db, link.group_id) for link in found}
    names = {g.id: g.name for g in list_groups(store=store)}
    return [
        GroupStatus(
            link.group_id,
            # A join cut short before the group's first page arrived leaves a link to a
            # group not here yet; the next sync brings it.
            names.get(link.group_id, ""),
            link.hub_url,
            pending[link.group_id],
            link.last_sync_ms,
            link.last_error,
        )
        for link in found
    ]
