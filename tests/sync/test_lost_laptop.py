"""A lost laptop gives nothing away, and erased contact details are gone for good.

A member's contact details, a canary made afresh for each run, go from their laptop
through a real hub process (and a bundle on a USB stick) to the group's other laptops,
which show them as the member consented. Every byte of every laptop's profile folder
(database, write-ahead log, ``moot.log``) and of the temporary folder the processes
use is searched for them, in each form they could take: they are never there in
plaintext. Once the member erases them and everyone syncs, they are nowhere: not on a
laptop (not even sealed under the key that sits beside the database where there is no
keyring), not in the hub's database files, rows or logs, not in a new bundle. And
every laptop's log still verifies, a laptop that joins afterwards takes the whole log
without a refusal, and every laptop prints the same ``moot dump``.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import secrets
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Engine, inspect, text

from app import keystore
from app.apply import read_log
from app.dump import dump
from app.errors import InvalidOp
from app.identity import load_or_create
from app.ops import op_from_wire, verify_runs, verify_signature
from app.personal import Sealer
from app.services import discussions, groups, members
from app.store import Store, open_store
from sync import hubs
from sync.bundle import export_bundle, import_bundle
from sync.engine import sync_group
from sync.hub import local
from sync.hub.db import make_engine
from tests.hubs import (
    create_group,
    make_invite,
    pg_url_or_skip,
    postgres_database,
    running_hub,
    sqlite_url,
)
from tests.moot_cli import ENV, REPO, moot_command
from tests.support import RecordProperty, deliver, ops_of, record_figures

# A Fernet token (what ``app.personal`` seals with), as it lies in a file.
SEALED_TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_-]{40,}={0,2}")


# --- the canary and the search for it ---------------------------------------------------


@dataclass(frozen=True)
class Canary:
    """Contact details made for one run, and each form in which a file could hold them."""

    text: str
    forms: dict[str, bytes]  # what it is -> the bytes to look for


def make_canary() -> Canary:
    phone = f"07700 9{secrets.randbelow(10**5):05d}"
    # Not plain ASCII, so that UTF-8, UTF-16 and JSON's escapes each spell it differently.
    street = f"Tŷ {secrets.token_hex(4)}, {10 + secrets.randbelow(90)} Heol y Felin"
    details = f"{phone}; {street}"
    return Canary(details, _forms({"details": details, "phone": phone, "street": street}))


def _forms(parts: dict[str, str]) -> dict[str, bytes]:
    forms: dict[str, bytes] = {}
    for name, part in parts.items():
        forms[f"{name} in UTF-8"] = part.encode()
        forms[f"{name} in UTF-16-LE"] = part.encode("utf-16-le")
        forms[f"{name} in UTF-16-BE"] = part.encode("utf-16-be")
        forms[f"{name} JSON-escaped"] = json.dumps(part)[1:-1].encode()
        forms[f"{name} URL-encoded"] = quote(part).encode()
        forms[f"{name} form-encoded"] = quote_plus(part).encode()
        forms[f"{name} in hex"] = part.encode().hex().encode()
    whole = parts["details"].encode()
    for shift in range(3):  # where in a group of three bytes the details start
        for codec, encode in (
            ("base64", base64.b64encode),
            ("URL-safe base64", base64.urlsafe_b64encode),
        ):
            # The first group holds bytes before the details, the last may hold bytes after.
            encoded = encode(b"\0" * shift + whole)
            forms[f"details in {codec} (shift {shift})"] = encoded[4 if shift else 0 : -4]
    named: dict[bytes, str] = {}
    for name, needle in forms.items():
        named.setdefault(needle, name)
    return {name: needle for needle, name in named.items()}


@dataclass(frozen=True)
class Found:
    place: str
    offset: int
    form: str

    def __str__(self) -> str:
        return f"{self.place} at byte {self.offset} ({self.form})"


def _find(canary: Canary, place: str, data: bytes) -> list[Found]:
    found = []
    for form, needle in canary.forms.items():
        at = data.find(needle)
        while at >= 0:
            found.append(Found(place, at, form))
            at = data.find(needle, at + 1)
    return found


class Scan:
    """Searches files and values for the canary, counting what it searched."""

    def __init__(self, canary: Canary) -> None:
        self.canary = canary
        self.places = 0
        self.bytes = 0

    def data(self, place: str, data: bytes) -> list[Found]:
        self.places += 1
        self.bytes += len(data)
        return _find(self.canary, place, data)

    def folder(self, folder: Path) -> list[Found]:
        """Every file under ``folder``, byte for byte."""
        found = []
        for path, data in _files(folder):
            found += self.data(str(path), data)
        return found

    def sealed(self, folder: Path, key: bytes) -> list[Found]:
        """Sealed copies that ``key`` opens: whoever has the laptop has the key file too."""
        fernet = Fernet(key)
        found = []
        for path, data in _files(folder):
            for token in SEALED_TOKEN.finditer(data):
                try:
                    opened = fernet.decrypt(token.group())
                except InvalidToken:  # cut short, or another profile's
                    continue
                found += [
                    Found(f"{path}, sealed", token.start(), hit.form)
                    for hit in _find(self.canary, "", opened)
                ]
        return found

    def laptop(self, data_dir: Path) -> list[Found]:
        key = keystore.key_path(data_dir, "data").read_bytes().strip()
        return self.folder(data_dir) + self.sealed(data_dir, key)


def _files(folder: Path) -> Iterator[tuple[Path, bytes]]:
    for path in sorted(folder.rglob("*")):
        try:
            if path.is_file():
                yield path, path.read_bytes()
        except FileNotFoundError:  # a write-ahead log removed as its database closed
            continue


def _say(found: list[Found]) -> str:
    return "\n".join(map(str, found))


def _places(found: list[Found]) -> set[str]:
    return {hit.place for hit in found}


# --- laptops, the hub, and what they hold -----------------------------------------------


@dataclass
class Laptop:
    """A profile driven by the ``moot`` command, its temporary files in a folder we search."""

    data_dir: Path
    tmp: Path

    def call(self, *args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            moot_command(self.data_dir, *args),
            cwd=REPO,
            env=ENV | {"TMPDIR": str(self.tmp)},
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )

    def json(self, *args: object) -> Any:
        proc = self.call(*args, "--json")
        assert proc.returncode == 0, f"moot {args} failed: {proc.stderr}"
        assert proc.stderr == ""
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def dump(self, group: str) -> str:
        proc = self.call("dump", group)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    @property
    def device(self) -> str:
        return load_or_create(self.data_dir, use_keyring=False).device_id


def _own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of the test's own, for this process and every one it starts."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def _contact_shown(listing: list[dict[str, Any]], device: str) -> str | None:
    """What a member list shows of one member's contact details (None: not shown)."""
    [row] = [m for m in listing if m["device"] == device]
    shown: str | None = row["contact"]
    return shown


@contextmanager
def _opened(laptop: Laptop) -> Iterator[Store]:
    store = open_store(laptop.data_dir, use_keyring=False)
    try:
        yield store
    finally:
        store.close()


def _verified(wires: list[dict[str, Any]]) -> int:
    """Check ops as if they had just arrived; how many there were."""
    ops = [op_from_wire(wire) for wire in wires]  # a kept payload must hash as signed
    verify_runs(ops, {})  # each author's chain unbroken, each run's newest op signed
    forged = [op.id for op in ops if not verify_signature(op)]
    assert not forged, f"signatures that no longer verify: {forged}"
    return len(ops)


def _log_verifies(store: Store, group: str) -> set[str]:
    """The group's log as the laptop holds it verifies, erased details included; its ids."""
    with store.read() as db:
        held = read_log(db, store.sealer, group)
    erased = [o for o in held if (o.kind, o.action) == ("member", "contact") and o.payload is None]
    assert erased, "the log should keep the erased details' op, without its payload"
    _verified([op.to_wire() for op in held])
    return {op.id for op in held}


def _hub_wires(engine: Engine, group: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT wire FROM hub_ops WHERE group_id = :g ORDER BY seq"), {"g": group}
        )
        return [json.loads(wire) for (wire,) in rows]


def _hub_rows(engine: Engine, scan: Scan) -> list[Found]:
    """Every value of every table of a hub's database, as SQL gives it."""
    found = []
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            for n, row in enumerate(conn.execute(text(f'SELECT * FROM "{table}"'))):
                for column, value in row._mapping.items():
                    if isinstance(value, bytes | memoryview):
                        data = bytes(value)
                    else:
                        data = str(value).encode()
                    found += scan.data(f"{table} row {n}, {column}", data)
    return found


# --- the stories ------------------------------------------------------------------------


def test_contact_details_never_lie_in_the_clear_and_once_erased_are_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_property: RecordProperty
) -> None:
    canary = make_canary()
    scan = Scan(canary)
    tmp = _own_temp(tmp_path, monkeypatch)
    hub_dir, hub_logs, usb = (tmp_path / name for name in ("hub", "hub-logs", "usb"))
    for folder in (hub_dir, hub_logs, usb):
        folder.mkdir()
    db = sqlite_url(hub_dir)
    port = local.free_port()
    # The hub comes back after a break where the laptops know it: at the same address.
    monkeypatch.setattr(local, "free_port", lambda: port)
    ann, bob, dee = (Laptop(tmp_path / name, tmp) for name in ("ann", "bob", "dee"))
    # Cal's laptop runs the core in this process, as the desktop app does, open all day.
    cal = open_store(tmp_path / "cal", use_keyring=False)
    try:
        with running_hub(db, log_path=hub_logs / "hub-1.log") as url:
            group = create_group(db, "Mill Lane Allotments")
            organisers = make_invite(db, group, role="organiser")
            newcomers = make_invite(db, group, uses=3)
            ann.json("join", url, organisers)
            bob.json("join", url, newcomers)
            groups.set_my_name(store=cal, name="Cal Member")
            hubs.join_hub(store=cal, hub_url=url, code=newcomers)
            thread = ann.json("discussion", "start", group, "Plot rents", "Up by £5 this year?")
        # The hub is down for a while: Bob gives his details, and his sync fails (and is logged).
        bob.json("member", "contact", group, canary.text, "--consent", "organisers")
        offline = bob.call("sync", "--json")
        assert offline.returncode != 0, "a sync with the hub down should say it failed"
        assert "Sync of group" in (bob.data_dir / "moot.log").read_text()
        assert _contact_shown(bob.json("member", "list", group), bob.device) == canary.text

        with running_hub(db, log_path=hub_logs / "hub-2.log") as back:
            assert back == url
            bob.json("sync")
            ann.json("sync")
            # The organiser sees them, as Bob consented.
            assert _contact_shown(ann.json("member", "list", group), bob.device) == canary.text
            ann.json("bundle", "export", group, usb / "mill-lane.moot")
            # Cal, at the allotments with no connection, takes the group in from the stick.
            import_bundle(store=cal, path=usb / "mill-lane.moot")
            seen = members.list_members(store=cal, group_id=group)
            assert {m.device: m.contact for m in seen}[bob.device] is None  # not an organiser
            for n in range(12):  # and the thread goes on, growing the hub's log past Bob's op
                discussions.reply(
                    store=cal, discussion_id=thread["id"], body=f"Reply {n}: the water trough"
                )
            sync_group(cal, group)

            # Sealed they may be, as the design has them at rest; in plaintext, never.
            in_clear = scan.folder(ann.data_dir) + scan.folder(bob.data_dir)
            in_clear += scan.folder(cal.settings.data_dir) + scan.folder(tmp)
            in_clear += scan.folder(hub_logs)
            # As the design lets it, the hub holds them until they are erased: this scan
            # sees them where they are.
            assert scan.folder(hub_dir), "the hub's database should hold them before erasure"

            bob.json("member", "erase-contact", group)
            bob.json("sync")
            ann.json("sync")
            sync_group(cal, group)
            assert not _contact_shown(ann.json("member", "list", group), bob.device)
            assert members.my_profile(store=cal, group_id=group).contact == ""

            # A laptop that joins afterwards takes the whole log, erasure and all.
            dee.json("join", back, newcomers)
            for laptop in (ann, bob):
                laptop.json("sync")
            sync_group(cal, group)
            dumps = {laptop.data_dir.name: laptop.dump(group) for laptop in (ann, bob, dee)}
            dumps["cal"] = Laptop(cal.settings.data_dir, tmp).dump(group)
            assert len(set(dumps.values())) == 1, f"laptops disagree: {sorted(dumps)}"
            assert canary.text not in dumps["dee"]

            hub_engine = make_engine(db)
            try:
                hub_log = _hub_wires(hub_engine, group)
            finally:
                hub_engine.dispose()
            assert _verified(hub_log) == len(hub_log)
            held = {"cal": _log_verifies(cal, group)}
            for laptop in (ann, bob, dee):
                with _opened(laptop) as store:
                    held[laptop.data_dir.name] = _log_verifies(store, group)
            hub_ids = {wire["id"] for wire in hub_log}
            assert all(ids == hub_ids for ids in held.values()), "a laptop's log is not the hub's"

            # A bundle already carried away is beyond any laptop's reach; a new one is not.
            after = usb / "after.moot"
            export_bundle(store=cal, group_id=group, path=after)
            left = scan.data(f"{after}, unpacked", gzip.decompress(after.read_bytes()))
            for laptop_dir in (ann.data_dir, bob.data_dir, cal.settings.data_dir, dee.data_dir):
                left += scan.laptop(laptop_dir)
            left += scan.folder(tmp) + scan.folder(hub_dir) + scan.folder(hub_logs)
    finally:
        cal.close()
    record_figures(
        record_property,
        count=scan.places,
        unit="files",
        found=len(_places(in_clear) | _places(left)),
    )
    assert not in_clear, f"contact details in plaintext:\n{_say(in_clear)}"
    assert not left, f"erased contact details are still to be found:\n{_say(left)}"


def test_erased_details_leave_no_row_of_a_postgresql_hub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_property: RecordProperty
) -> None:
    admin = pg_url_or_skip()
    canary = make_canary()
    scan = Scan(canary)
    tmp = _own_temp(tmp_path, monkeypatch)
    hub_log = tmp_path / "hub.log"
    ann = open_store(tmp_path / "ann", use_keyring=False)
    bob = open_store(tmp_path / "bob", use_keyring=False)
    cal = open_store(tmp_path / "cal", use_keyring=False)
    try:
        with postgres_database(admin) as db, running_hub(db, log_path=hub_log) as url:
            group = create_group(db, "Riverside Residents")
            hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group, role="organiser"))
            hubs.join_hub(store=bob, hub_url=url, code=make_invite(db, group))
            for consent in ("members", "organisers"):  # shared widely, then thought better of
                members.set_contact(store=bob, group_id=group, contact=canary.text, consent=consent)
            sync_group(bob, group)
            sync_group(ann, group)
            seen = {m.device: m.contact for m in members.list_members(store=ann, group_id=group)}
            assert seen[bob.device_id] == canary.text

            engine = make_engine(db)
            try:
                before = _hub_rows(engine, scan)
                assert before, "the hub's rows should hold the details before erasure"
                members.erase_contact(store=bob, group_id=group)
                sync_group(bob, group)
                sync_group(ann, group)
                hubs.join_hub(store=cal, hub_url=url, code=make_invite(db, group))
                sync_group(ann, group)
                sync_group(bob, group)
                left = _hub_rows(engine, scan)
                wires = _hub_wires(engine, group)
            finally:
                engine.dispose()
            assert _verified(wires) == len(wires)
            for store in (ann, bob, cal):
                assert _log_verifies(store, group) == {wire["id"] for wire in wires}
                left += scan.laptop(store.settings.data_dir)
            left += scan.folder(tmp) + scan.data(str(hub_log), hub_log.read_bytes())
            assert len({dump(store=store, group_id=group) for store in (ann, bob, cal)}) == 1
    finally:
        for store in (ann, bob, cal):
            store.close()
    # Places: every value of every row on the hub, and every file on the laptops.
    record_figures(record_property, count=scan.places, unit="places", found=len(_places(left)))
    assert not left, f"erased contact details are still to be found:\n{_say(left)}"


def test_erased_details_leave_a_profile_on_an_sqlite_that_keeps_deleted_bytes(
    monkeypatch: pytest.MonkeyPatch, make_store: Callable[[str], Store]
) -> None:
    """Where SQLite leaves deleted bytes in place by default, as some builds do, a profile
    that stays open still keeps nothing of what an erasure blanked."""
    connect = sqlite3.dbapi2.connect

    def keeps_deleted_bytes(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db: sqlite3.Connection = connect(*args, **kwargs)
        db.execute("PRAGMA secure_delete=OFF")
        return db

    monkeypatch.setattr(sqlite3.dbapi2, "connect", keeps_deleted_bytes)
    canary = make_canary()
    scan = Scan(canary)
    ann, bob = make_store("ann"), make_store("bob")
    group = groups.create_group(store=ann, name="Tenants")
    members.admit(store=ann, group_id=group, device=bob.device_id, display_name="Bob")
    deliver(ops_of(ann), bob)
    # Bob shares his details with everyone, then thinks better of it: organisers only.
    for consent in ("members", "organisers"):
        members.set_contact(store=bob, group_id=group, contact=canary.text, consent=consent)
    deliver(ops_of(bob), ann)
    seen = {m.device: m.contact for m in members.list_members(store=ann, group_id=group)}
    assert seen[bob.device_id] == canary.text
    thread, _ = discussions.start_discussion(
        store=ann, group_id=group, title="Repairs", body="The boiler again"
    )
    for n in range(10):  # pages fill and split around the details
        discussions.reply(store=ann, discussion_id=thread, body=f"Reply {n}")
    deliver(ops_of(ann), bob)
    members.erase_contact(store=bob, group_id=group)
    deliver(ops_of(bob), ann)
    left = scan.laptop(ann.settings.data_dir) + scan.laptop(bob.settings.data_dir)
    assert not left, f"erased contact details are still to be found:\n{_say(left)}"


def test_the_checks_can_fail(tmp_path: Path, make_store: Callable[[str], Store]) -> None:
    """What the stories above look for, they find: details in each form, sealed copies
    under the right key, and a log altered after it was signed."""
    canary = make_canary()
    folder = tmp_path / "files"
    folder.mkdir()
    for form, needle in canary.forms.items():
        (folder / "file").write_bytes(b"\x00junk" * 100 + needle + b"more junk")
        hits = [(hit.offset, hit.form) for hit in Scan(canary).folder(folder)]
        assert (500, form) in hits
    key = Fernet.generate_key()
    (folder / "file").write_bytes(b"x" * 7 + Sealer(key).seal(canary.text).encode())
    assert Scan(canary).sealed(folder, key)
    assert not Scan(canary).sealed(folder, Fernet.generate_key())

    store = make_store("ann")
    group = groups.create_group(store=store, name="Tenants")
    members.set_contact(store=store, group_id=group, contact=canary.text)
    wires = [op.to_wire() for op in ops_of(store)]
    assert _verified(wires) == len(wires)
    [contact] = [w for w in wires if (w["kind"], w["action"]) == ("member", "contact")]

    def altered(**fields: Any) -> list[dict[str, Any]]:
        return [wire | fields if wire is contact else wire for wire in wires]

    with pytest.raises(InvalidOp):  # details changed after they were signed
        _verified(altered(payload={"contact": "07700 900000", "consent": "organisers"}))
    with pytest.raises(InvalidOp):  # a stamp changed
        _verified(altered(hlc=contact["hlc"] + 1))
