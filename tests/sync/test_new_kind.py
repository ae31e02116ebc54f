"""A new kind of op is one module: validated, merged, dumped and permission-checked.

The noticeboard of ``tests/made_up_kind.py`` is added to the registry here and, through
a ``sitecustomize`` module, to a real hub's on loopback; its table is made as its
migration would. Nothing else knows about it, yet a laptop refuses its malformed ops,
a clerk's notice reaches every laptop's dump through the hub, and the hub judges a
member's notice as one that does not count, because the domain says only clerks post.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.apply import ingest, rebuild_group
from app.dump import dump
from app.errors import InvalidOp, NotAllowed
from app.ids import uuid7
from app.ops import Op, sign_op
from app.registry import REGISTRY
from app.store import Store
from app.writer import writing
from sync.hub.db import make_engine
from tests import made_up_kind
from tests.hubs import (
    apply_entries,
    create_group,
    enrol,
    make_invite,
    migrate,
    own_ops,
    pull_all,
    push,
    running_hub,
    sqlite_url,
)
from tests.support import deliver

REPO = Path(__file__).resolve().parents[2]
SITECUSTOMIZE = """
from app.registry import REGISTRY
from tests.made_up_kind import DOMAIN

REGISTRY.add(DOMAIN)
"""


@pytest.fixture
def noticeboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The domain in this process's registry, and in that of every process started here."""
    REGISTRY.add(made_up_kind.DOMAIN)
    prelude = tmp_path / "prelude"
    prelude.mkdir()
    (prelude / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    path = os.pathsep.join([str(prelude), str(REPO), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", path)
    try:
        yield tmp_path
    finally:
        REGISTRY.remove(made_up_kind.DOMAIN.name)


def _with_table(store: Store) -> Store:
    with store.write() as db:
        db.execute(made_up_kind.TABLE_SQL)
    return store


def _signed(store: Store, group_id: str, fields: dict[str, object]) -> Op:
    """A notice as the laptop would sign it, whatever its own copy of the rules says."""
    with store.read() as db:
        last = db.execute(
            "SELECT seq, hash FROM ops WHERE group_id = ? AND device = ? ORDER BY seq DESC",
            (group_id, store.device_id),
        ).fetchone()
    seq, prev = (last[0], last[1]) if last else (0, None)
    op_id = uuid7()
    return sign_op(
        store.identity.key,
        op_id=op_id,
        group=group_id,
        device=store.device_id,
        seq=seq + 1,
        prev=prev,
        hlc=store.clock.now(),
        kind="notice",
        entity=op_id,
        action="create",
        payload=fields,
    )


def _void_kept(db_url: str, store: Store) -> int:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        kept = conn.execute(
            text("SELECT void_kept FROM hub_members WHERE device = :d"), {"d": store.device_id}
        ).scalar()
    engine.dispose()
    return int(kept or 0)


def _post_notice(store: Store, group_id: str, text: str) -> None:
    with writing(store) as w:
        w.emit(group_id, "notice", uuid7(), "create", {"text": text, "urgent": True})


def test_a_kind_declared_in_one_module_is_checked_merged_dumped_and_judged_by_the_hub(
    noticeboard: Path, make_store: Callable[[str], Store]
) -> None:
    clerk, member, reader = (_with_table(make_store(n)) for n in ("clerk", "member", "reader"))
    db_url = sqlite_url(noticeboard)
    migrate(db_url)
    group_id = create_group(db_url, "Ashby Parish")
    with running_hub(db_url) as base:
        _, clerk_token = enrol(base, make_invite(db_url, group_id, role="clerk"), clerk)
        _, member_token = enrol(base, make_invite(db_url, group_id), member)
        _, reader_token = enrol(base, make_invite(db_url, group_id), reader)

        # Validated from its declaration: a notice must say something, and nothing else.
        for fields in ({}, {"text": " "}, {"text": "Bins", "colour": "red"}):
            malformed = _signed(member, group_id, fields)
            with member.write() as db, pytest.raises(InvalidOp):
                ingest(db, [malformed], sealer=member.sealer)

        # Its least role is the clerk's: a member's own laptop refuses to write one ...
        with pytest.raises(NotAllowed, match="Only clerks and organisers may do this"):
            _post_notice(member, group_id, "Fete on Saturday")
        # ... and the hub judges one signed all the same by the same declaration: kept in
        # the log so the member's later ops still link, but counted as one that does not
        # count (an outsider's would be turned away).
        refused = _signed(member, group_id, {"text": "Fete on Saturday"})
        push(base, group_id, member_token, [refused.to_wire()])
        assert _void_kept(db_url, member) == 1

        # A clerk's notice is merged, reaches the hub, and every laptop dumps it.
        _post_notice(clerk, group_id, "Road closed on Tuesday")
        [accepted] = push(base, group_id, clerk_token, own_ops(clerk, group_id)[-1:])["results"]
        assert accepted["status"] == "accepted"
        assert _void_kept(db_url, clerk) == 0
        for laptop, token in ((reader, reader_token), (clerk, clerk_token)):
            apply_entries(laptop, pull_all(base, group_id, token))

    notices = json.loads(dump(store=reader, group_id=group_id))["notices"]
    assert notices == [
        {
            "created_by": clerk.device_id,
            "id": notices[0]["id"],
            "text": "Road closed on Tuesday",
            "urgent": True,
        }
    ]
    assert dump(store=reader, group_id=group_id) == dump(store=clerk, group_id=group_id)
    # The member's notice shows nowhere, and a rebuild clears the new table with the
    # rest: nothing is applied twice.
    deliver([refused], reader)
    with reader.write() as db:
        rebuild_group(db, group_id, reader.sealer)
    assert json.loads(dump(store=reader, group_id=group_id))["notices"] == notices
