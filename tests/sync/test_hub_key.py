"""The hub's signing key lives in a private file on its machine, never in its database."""

from __future__ import annotations

import socket
import stat
import subprocess
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.identity import DeviceIdentity
from sync.hub.db import alembic_config, make_engine
from tests.hubs import hub_cli, hub_command, sqlite_url


def _keys_in_database(db_url: str) -> dict[str, str]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM hub_keys")).all()
    engine.dispose()
    return {str(row[0]): str(row[1]) for row in rows}


def _database_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("hub.db*")))


def _moot_hub(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        hub_command(db_url, *args), capture_output=True, text=True, timeout=120, check=False
    )


def test_the_private_key_is_in_a_private_file_and_not_in_the_database(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    key_file = tmp_path / "hub.key"
    assert hub_cli(db, "migrate") == {"migrated": True, "key_moved": False}
    assert not key_file.exists()  # made where the hub runs, not by a migration
    hub_cli(db, "group", "create", "Allotments")
    secret = key_file.read_text().strip()
    hub = DeviceIdentity.from_hex(secret).device_id
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _keys_in_database(db) == {"public": hub}
    assert secret.encode() not in _database_bytes(tmp_path)
    # The same hub, start after start.
    hub_cli(db, "group", "create", "Bowls club")
    assert key_file.read_text().strip() == secret
    assert _keys_in_database(db) == {"public": hub}


def test_a_key_an_older_hub_kept_in_its_database_moves_to_the_key_file(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    old = DeviceIdentity.generate()
    engine = make_engine(db)
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0002")
        conn.execute(
            text("INSERT INTO hub_keys (name, secret) VALUES ('device', :secret)"),
            {"secret": old.private_hex()},
        )
        conn.commit()
    engine.dispose()

    assert hub_cli(db, "migrate")["key_moved"] is True
    assert (tmp_path / "hub.key").read_text().strip() == old.private_hex()
    assert _keys_in_database(db) == {"public": old.device_id}
    assert old.private_hex().encode() not in _database_bytes(tmp_path)


def test_a_missing_foreign_or_garbled_key_file_stops_the_hub_with_a_message(
    tmp_path: Path,
) -> None:
    db = sqlite_url(tmp_path)
    hub_cli(db, "group", "create", "Tennis club")
    hub = _keys_in_database(db)["public"]
    before = _keys_in_database(db)
    other = tmp_path / "other.key"
    other.write_text(DeviceIdentity.generate().private_hex())
    garbled = tmp_path / "garbled.key"
    garbled.write_text("not a key\n")
    cases = [
        (("--key", str(other)), "belongs to another hub"),
        (("--key", str(garbled)), "is not a Moot hub key"),
        (("--key", str(tmp_path / "gone.key")), "is missing"),
        (("--key", str(tmp_path / "no-such-folder" / "hub.key")), "is missing"),
    ]
    for key_args, words in cases:
        done = _moot_hub(db, "group", "create", "Allotments", *key_args)
        assert done.returncode == 1
        assert words in done.stderr
        assert hub[:12] in done.stderr or words == "is not a Moot hub key"
        assert len(done.stderr.strip().splitlines()) == 1
    assert _keys_in_database(db) == before
    engine = make_engine(db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM hub_groups")).scalar_one() == 1
    engine.dispose()


def test_a_key_file_that_cannot_be_written_is_said_in_one_line(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    done = _moot_hub(db, "group", "create", "Allotments", "--key", str(tmp_path / "no" / "hub.key"))
    assert done.returncode == 1
    assert "could not be used: No such file or directory" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _keys_in_database(db) == {}


def test_a_public_address_that_is_not_one_stops_the_hub_in_one_line(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    done = _moot_hub(db, "serve", "--port", "1", "--public-url", "hub.example.gov.uk")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "moot-hub: 'hub.example.gov.uk' is not a hub address (http://… or https://…)"
    )
    assert not (tmp_path / "hub.key").exists()  # it stopped before making anything


def test_a_public_address_is_the_servers_concern_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite_url(tmp_path)
    monkeypatch.setenv("MOOT_HUB_PUBLIC_URL", "hub.example.gov.uk")  # a slip
    assert "id" in hub_cli(db, "group", "create", "Allotments")  # other commands go on
    monkeypatch.delenv("MOOT_HUB_PUBLIC_URL")
    with socket.socket() as taken:  # so the server stops once it has started up
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = _moot_hub(db, "serve", "--port", str(taken.getsockname()[1]))
    assert done.returncode != 0
    assert "no --public-url given, so this hub cannot refuse" in done.stderr
