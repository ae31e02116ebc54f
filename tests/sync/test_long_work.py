"""Long work stopped part way leaves nothing half done; a round of syncs reports each group.

Cancelling is done as the window does it: from another thread, through the work's
``Progress``, here as soon as the work first reports how far it got.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import hub_links
from app.demo import build_demo
from app.dump import dump
from app.errors import Cancelled
from app.progress import Progress
from app.services import discussions, groups
from app.store import Store
from sync import hubs
from sync.bundle import export_bundle, import_bundle
from sync.engine import sync_group
from sync.errors import AuthRefused
from tests.hubs import create_group, make_invite, sqlite_hub
from tests.support import snapshot

MakeStore = Callable[[str], Store]


def cancelled_at_first_report() -> Progress:
    """A Progress that asks to stop the moment the work says how far it got."""
    holder: list[Progress] = []
    progress = Progress(lambda _done, _total, _what: holder[0].cancel())
    holder.append(progress)
    return progress


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as hub:
        yield hub


def test_a_cancelled_bundle_import_changes_nothing(make_store: MakeStore, tmp_path: Path) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group_id = groups.create_group(store=ann, name="Elm Street")
    discussions.start_discussion(store=ann, group_id=group_id, title="Bins", body="Tuesday")
    path = tmp_path / "elm.moot"
    export_bundle(store=ann, group_id=group_id, path=path, invite_role="member")
    before = snapshot(bob)

    with pytest.raises(Cancelled):
        import_bundle(store=bob, path=path, progress=cancelled_at_first_report())

    assert snapshot(bob) == before
    import_bundle(store=bob, path=path)  # and the invitation it carried is still good
    assert groups.get_group(store=bob, group_id=group_id).my_role == "member"


def test_a_cancelled_export_writes_no_file_and_makes_no_invitation(
    store: Store, tmp_path: Path
) -> None:
    group_id = groups.create_group(store=store, name="Elm Street")
    for n in range(3):
        discussions.start_discussion(store=store, group_id=group_id, title=f"T{n}", body="b")
    before = snapshot(store)
    path = tmp_path / "elm.moot"

    with pytest.raises(Cancelled):
        export_bundle(
            store=store,
            group_id=group_id,
            path=path,
            invite_role="member",
            progress=cancelled_at_first_report(),
        )

    assert snapshot(store) == before  # the invitation was never made
    assert list(tmp_path.iterdir()) == [store.settings.data_dir]  # nor a file, nor its draft


def test_a_cancelled_sample_group_is_not_made_at_all(store: Store) -> None:
    before = snapshot(store)
    with pytest.raises(Cancelled):
        build_demo(store, progress=cancelled_at_first_report())
    assert snapshot(store) == before
    assert groups.list_groups(store=store) == []


def test_a_sync_stopped_before_it_starts_changes_nothing(
    hub: tuple[str, str], make_store: MakeStore
) -> None:
    url, db = hub
    group_id = create_group(db, "Ashby Parish")
    ann, bob = make_store("ann"), make_store("bob")
    hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id, role="organiser"))
    hubs.join_hub(store=bob, hub_url=url, code=make_invite(db, group_id))
    discussions.start_discussion(store=ann, group_id=group_id, title="Verges", body="Who?")
    sync_group(ann, group_id)
    discussions.start_discussion(store=bob, group_id=group_id, title="Bins", body="When?")
    before = snapshot(bob)
    stopped = Progress.quiet()
    stopped.cancel()

    with pytest.raises(Cancelled):
        sync_group(bob, group_id, progress=stopped)

    assert snapshot(bob) == before  # nothing pulled, and what waits still waits
    sync_group(bob, group_id)
    sync_group(ann, group_id)
    assert dump(store=ann, group_id=group_id) == dump(store=bob, group_id=group_id)


def test_a_sync_stopped_part_way_keeps_the_pages_it_committed(
    hub: tuple[str, str], make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, db = hub
    group_id = create_group(db, "Big Village")
    ann, bob = make_store("ann"), make_store("bob")
    hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id, role="organiser"))
    for n in range(12):
        discussions.start_discussion(store=ann, group_id=group_id, title=f"T{n}", body="b")
    sync_group(ann, group_id)
    monkeypatch.setattr("sync.engine.PAGE", 10)  # several pages, so it can stop between them

    with pytest.raises(Cancelled):
        hubs.join_hub(
            store=bob,
            hub_url=url,
            code=make_invite(db, group_id),
            progress=cancelled_at_first_report(),
        )

    with bob.read() as conn:
        link = hub_links.get_link(conn, bob.sealer, group_id)
        (held,) = conn.execute(
            "SELECT COUNT(*) FROM ops WHERE group_id = ?", (group_id,)
        ).fetchone()
    assert link is not None
    assert link.cursor == 10 == held  # one page, whole, and no more
    sync_group(bob, group_id)  # the next sync brings the rest
    sync_group(ann, group_id)  # (and ann hears that bob joined)
    assert dump(store=ann, group_id=group_id) == dump(store=bob, group_id=group_id)


def test_one_group_failing_does_not_stop_the_others(
    hub: tuple[str, str], make_store: MakeStore
) -> None:
    url, db = hub
    first, second = create_group(db, "Allotments"), create_group(db, "Bowls Club")
    ann, bob = make_store("ann"), make_store("bob")
    for group_id in (first, second):
        hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id, role="organiser"))
        hubs.join_hub(store=bob, hub_url=url, code=make_invite(db, group_id))
    discussions.start_discussion(store=ann, group_id=second, title="Greens", body="Mow?")
    sync_group(ann, second)
    with bob.write() as conn:  # the hub no longer knows bob's token for the first group
        hub_links.save_link(conn, bob.sealer, group_id=first, hub_url=url, token="revoked")

    outcomes = {o.group_id: o for o in hubs.sync_all(store=bob)}

    failed, synced = outcomes[first], outcomes[second]
    assert isinstance(failed, hubs.GroupFailed)
    assert isinstance(failed.error, AuthRefused)
    assert isinstance(synced, hubs.GroupSynced)
    assert synced.result.pulled > 0
    assert [d.title for d in discussions.list_discussions(store=bob, group_id=second)] == ["Greens"]
    kept = {s.group_id: s.last_error for s in hubs.status(store=bob)}
    assert kept[first]
    assert kept[second] is None
