"""Codes people type after a command never look like one of its options."""

from __future__ import annotations

from pathlib import Path

from app.ids import typed_secret
from tests.hubs import create_group, hub_cli, make_invite, sqlite_url


def test_invitation_and_registration_codes_never_start_with_a_dash(tmp_path: Path) -> None:
    # A code "-Pft…" after `moot join URL` is read as an unknown option; one in 64 random
    # codes would start so. Made here by the hub's own commands, in bulk.
    db = sqlite_url(tmp_path)
    group = create_group(db, "Allotments")
    codes = [make_invite(db, group) for _ in range(6)]
    codes += [str(hub_cli(db, "registration-code")["code"]) for _ in range(2)]
    assert all(len(code) >= 24 for code in codes)
    made = [typed_secret(18) for _ in range(5_000)]
    assert not [c for c in made + codes if c.startswith("-")]
    assert len(set(made)) == len(made)
