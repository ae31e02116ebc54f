"""Joining a group on a hub, connecting an offline group to one, and syncing them all."""

from __future__ import annotations

from dataclasses import dataclass

from app import hub_links
from app.apply import read_log, read_membership
from app.clock import wall_ms
from app.services import members
from app.services.groups import get_group, list_groups, my_name
from app.store import Store
from sync.client import HubClient
from sync.engine import Progress, SyncResult, sync_group
from sync.errors import Refused, SyncError
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
    last_error: str | None


def join_hub(
    *,
    store: Store,
    hub_url: str,
    code: str,
    client: HubClient | None = None,
    progress: Progress | None = None,
) -> Joined:
    """Join a group with an invitation code, then pull its whole history."""
    client = client or HubClient(hub_url)
    hub, stamp = str(client.info()["device"]), wall_ms()
    answer = client.join(
        code=code.strip(),
        device=store.device_id,
        name=my_name(store=store),
        proof=sign(store.identity.key, join_message(hub, client.base_url, code.strip(), stamp)),
        stamp_ms=stamp,
    )
    group_id = str(answer["group_id"])
    with store.write() as db:
        hub_links.save_link(
            db,
            store.sealer,
            group_id=group_id,
            hub_url=client.base_url,
            token=str(answer["token"]),
        )
    client.token = str(answer["token"])
    result = sync_group(store, group_id, client=client, progress=progress)
    return Joined(group_id, str(answer.get("group_name", "")), str(answer["role"]), result.pulled)


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
    its invitation codes bring.
    """
    group = get_group(store=store, group_id=group_id)
    if group.my_role != "organiser":
        raise Refused("Only an organiser of the group can connect it to a hub.")
    client = client or HubClient(hub_url)
    hub = client.info()
    members.admit(
        store=store,
        group_id=group_id,
        device=str(hub["device"]),
        role="organiser",
        display_name=str(hub.get("name") or "Council hub"),
    )
    with store.read() as db:
        membership = [op.to_wire() for op in read_membership(db, store.sealer, group_id)]
    stamp = wall_ms()
    token = client.register(
        code=code.strip(),
        group_id=group_id,
        name=group.name,
        device=store.device_id,
        proof=sign(
            store.identity.key,
            register_message(str(hub["device"]), client.base_url, group_id, code.strip(), stamp),
        ),
        stamp_ms=stamp,
        membership=membership,
    )
    with store.write() as db:
        hub_links.save_link(
            db, store.sealer, group_id=group_id, hub_url=client.base_url, token=token
        )
        hub_links.queue(db, [op.id for op in read_log(db, store.sealer, group_id)])
    client.token = token
    return sync_group(store, group_id, client=client, progress=progress)


def enrol_hub(
    *, store: Store, group_id: str, hub_url: str, client: HubClient | None = None
) -> SyncResult:
    """A laptop admitted offline reaches the group's hub by proving its device key."""
    client = client or HubClient(hub_url)
    hub, stamp = str(client.info()["device"]), wall_ms()
    token = client.enrol(
        group_id,
        device=store.device_id,
        stamp_ms=stamp,
        proof=sign(store.identity.key, enrol_message(hub, client.base_url, group_id, stamp)),
    )
    with store.write() as db:
        hub_links.save_link(
            db, store.sealer, group_id=group_id, hub_url=client.base_url, token=token
        )
    client.token = token
    return sync_group(store, group_id, client=client)


def sync_all(*, store: Store, group_id: str | None = None) -> list[SyncResult]:
    """Sync one group, or every hub-linked group; one failing does not stop the others.

    Raises the first failure after trying them all (each group's own is also kept as
    its last error, for ``status``).
    """
    with store.read() as db:
        groups = [group_id] if group_id else hub_links.linked_groups(db)
    results, failures = [], []
    for group in groups:
        try:
            results.append(sync_group(store, group))
        except SyncError as exc:
            failures.append(exc)
    if failures:
        raise failures[0]
    return results


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
