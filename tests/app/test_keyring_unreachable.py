"""A profile whose keys live in the OS keyring is never given new ones because the keyring
did not answer once (a locked keychain, or a scheduled ``moot sync`` with no desktop
session): it is refused in words, and opens as itself when the keyring is back."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from keyring.errors import KeyringLocked

from app.keystore import KeyringUnreachable, key_path
from app.services import groups
from app.store import open_store
from tests.moot_cli import moot_command


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the login keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the login keyring is locked")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    try:
        yield kept
    finally:
        keyring.set_keyring(before)


def test_a_locked_keyring_refuses_the_profile_instead_of_new_keys(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = open_store(tmp_path, use_keyring=True)
    device = store.device_id
    group_id = groups.create_group(store=store, name="Bowls Club")
    store.close()
    assert not key_path(tmp_path, "device").exists()

    locked = LockedKeyring()
    locked.secrets = memory_keyring.secrets
    keyring.set_keyring(locked)
    with pytest.raises(KeyringUnreachable, match="unlock it or sign in"):
        open_store(tmp_path, use_keyring=True)
    assert sorted(p.name for p in tmp_path.glob("*.key")) == []

    keyring.set_keyring(memory_keyring)
    again = open_store(tmp_path, use_keyring=True)
    try:
        assert again.device_id == device
        assert [g.id for g in groups.list_groups(store=again)] == [group_id]
    finally:
        again.close()


def test_no_keyring_in_the_session_refuses_a_profile_whose_keys_are_in_it(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """Cron or ssh: no keyring service at all in the session, so keyring falls back to
    its failing backend; the desktop's keys are still in the desktop's keyring."""
    open_store(tmp_path, use_keyring=True).close()
    keyring.set_keyring(FailKeyring())  # type: ignore[no-untyped-call]
    with pytest.raises(KeyringUnreachable, match="could not be reached"):
        open_store(tmp_path, use_keyring=True)
    assert sorted(p.name for p in tmp_path.glob("*.key")) == []


def test_a_new_profile_with_a_locked_keyring_keeps_its_keys_in_files(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_keyring(LockedKeyring())
    store = open_store(tmp_path, use_keyring=True)
    device = store.device_id
    store.close()
    assert key_path(tmp_path, "device").exists()
    reopened = open_store(tmp_path, use_keyring=True)
    try:
        assert reopened.device_id == device
    finally:
        reopened.close()


def test_the_command_says_what_to_do_and_exits_non_zero(tmp_path: Path) -> None:
    """``moot sync`` run by a scheduler with the keyring locked: one line, no traceback."""
    script = (
        "import keyring, sys\n"
        "from tests.app.test_keyring_unreachable import LockedKeyring\n"
        "keyring.set_keyring(LockedKeyring())\n"
        "from ui.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    (tmp_path / "moot.db").touch()  # a profile made before, whose keys the keyring holds
    command = moot_command(tmp_path, "sync")
    done = subprocess.run(
        [command[0], "-c", script, *command[3:]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"MOOT_KEYRING": "1", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert "could not be reached" in done.stderr
    assert "Traceback" not in done.stderr
