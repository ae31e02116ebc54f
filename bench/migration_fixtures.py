"""Fixtures made by every earlier schema of Moot: a laptop's profile and a hub's database
as each released version left them, for the tests that upgrade them
(``tests/app/test_migration_fixtures.py``, ``tests/sync/test_hub_migration_fixtures.py``).

    .venv/bin/python -m bench.migration_fixtures            # make the fixtures missing
    .venv/bin/python -m bench.migration_fixtures --list     # say which there are
    .venv/bin/python -m bench.migration_fixtures --force    # make them all again

When: each time a migration lands (a new file in ``app/migrations/versions`` or
``sync/hub/migrations/versions``), run it once, before or after committing the
migration; it adds the fixture of the release before the new migration, which the tests
then upgrade like every older one. Commit what it writes under
``tests/fixtures/migrations/``. It takes a few seconds a release (needs git history).

A release is the last commit, on the first-parent history, of each pair of schema
revisions (newest app migration, newest hub migration); the pair the working tree has
itself is left out, as nothing needs upgrading from it yet. Migrations added on a side
branch are taken at the merge, as laptops only ever ran what was merged. Where the
release's own code does not run (a module it imports was committed later), the newest
commit before it with the same schemas is taken, and the manifest says so; a release
none of whose commits runs is listed, with why, in ``unrunnable.json``.

For each release missing, it checks the commit out with ``git worktree`` in a
temporary folder and runs, in that old code with this virtualenv's Python, the
generator below (``--inside``): it starts that version's hub (if it has one), lets two
laptops join and write a varied history with what that version offers (discussions,
replies, reactions, polls, notes edited on both laptops, members' contact details and
an erasure, a removed member, meetings with minutes approved and signed, a summons, a
paper), syncs it over the hub or bundle files, leaves one change unsent and a failed
sync on record. It keeps, in ``tests/fixtures/migrations/<app rev>-<hub rev>/``:

- ``laptop/``: the first laptop's profile, its database checkpointed and gzipped, and
  the key files it keeps in the folder when there is no OS keyring;
- ``hub/``: the hub's database, gzipped, and its key file once hubs kept one;
- ``manifest.json``: the commit, the schema revisions, the protocol its laptop spoke,
  each group's name, op count and dump hash, and how the hub refused a laptop of
  today's protocol if it did;
- ``content.json.gz``: what must survive, compressed: each group's dump as that version
  printed it (``moot dump``), the ids of the ops in the laptop's log and in each of the
  hub's group logs (with their seq), and each op's hash.

The worktree is removed afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import importlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "migrations"
APP_VERSIONS = "app/migrations/versions"
HUB_VERSIONS = "sync/hub/migrations/versions"
MANIFEST = "manifest.json"
UNRUNNABLE_FILE = "unrunnable.json"  # releases with no fixture, as none of their commits runs
CONTENT = "content.json.gz"  # the dumps and op logs: the bulk, compressed
LAPTOP_DB = "moot.db"
HUB_DB = "hub.db"
_REVISION = re.compile(r"^(\d{4})_\w+\.py$")


# --- the releases, from git --------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """The commits that had one pair of schema revisions; the newest is the release."""

    commits: tuple[tuple[str, str], ...]  # (commit, subject), oldest first
    app: str
    hub: str | None

    @property
    def commit(self) -> str:
        return self.commits[-1][0]

    @property
    def subject(self) -> str:
        return self.commits[-1][1]

    @property
    def name(self) -> str:
        return f"app{self.app}-hub{self.hub}" if self.hub else f"app{self.app}-nohub"


class Unrunnable(RuntimeError):
    """The commit's own code does not run (a module committed later, say)."""


UNRUNNABLE = 3  # the generator's exit code when the old code itself does not run


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=REPO, check=True, capture_output=True, text=True, timeout=300
    )
    return done.stdout


def _newest(names: list[str]) -> str | None:
    revisions = [m.group(1) for n in names if (m := _REVISION.match(n))]
    return max(revisions, default=None)


def _revisions_at(commit: str) -> tuple[str | None, str | None]:
    listed = _git("ls-tree", "--name-only", commit, f"{APP_VERSIONS}/", f"{HUB_VERSIONS}/")
    app = [p.rsplit("/", 1)[1] for p in listed.split() if p.startswith(APP_VERSIONS)]
    hub = [p.rsplit("/", 1)[1] for p in listed.split() if p.startswith(HUB_VERSIONS)]
    return _newest(app), _newest(hub)


def current_revisions() -> tuple[str | None, str | None]:
    """The newest app and hub revisions in the working tree (committed or not)."""
    return (
        _newest([p.name for p in (REPO / APP_VERSIONS).glob("*.py")]),
        _newest([p.name for p in (REPO / HUB_VERSIONS).glob("*.py")]),
    )


def releases() -> list[Release]:
    """The last first-parent commit of each schema pair, oldest first, less the current pair."""
    found: list[Release] = []
    for line in _git("log", "--first-parent", "--reverse", "--format=%H %s").splitlines():
        commit, _, subject = line.partition(" ")
        app, hub = _revisions_at(commit)
        if app is None:
            continue
        if found and (found[-1].app, found[-1].hub) == (app, hub):
            last = found[-1]
            found[-1] = Release((*last.commits, (commit, subject)), app, hub)
        else:
            found.append(Release(((commit, subject),), app, hub))
    latest = {r.name: r for r in found}  # a pair met again later (a revert): its last run
    return [r for r in latest.values() if (r.app, r.hub) != current_revisions()]


# --- making one fixture ------------------------------------------------------------------


def _current_protocol() -> int:
    from sync.protocol import PROTOCOL  # this (the current) version's, which laptops now send

    return PROTOCOL


def make_fixture(release: Release, folder: Path) -> list[str]:
    """Run the generator at the release, or where its code does not run, at the newest
    commit before it with the same schemas, and store what it made; the commits passed
    by, and why. Unrunnable if none of them runs."""
    passed: list[str] = []
    for commit, subject in reversed(release.commits):
        out = folder / commit
        try:
            _generate_at(commit, out, folder)
        except Unrunnable as exc:
            passed.append(f"{commit[:7]} does not run: {exc}")
            continue
        _store(release, commit, subject, out, passed)
        return passed
    raise Unrunnable("; ".join(passed))


def _generate_at(commit: str, out: Path, folder: Path) -> None:
    worktree = folder / "worktree"
    out.mkdir()
    _git("worktree", "add", "--detach", str(worktree), commit)
    try:
        # -S: this virtualenv's editable install of the current code must not fill in
        # modules the old version lacks; its packages come in by PYTHONPATH instead.
        paths = [str(worktree), sysconfig.get_paths()["purelib"]]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOOT_")}
        env |= {
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)),
            "MOOT_KEYRING": "0",
            "MOOT_DATA_DIR": str(folder / "data"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        command = [sys.executable, "-S", "-P", str(Path(__file__).resolve())]
        command += ["--inside", str(out), "--protocol", str(_current_protocol())]
        done = subprocess.run(
            command, cwd=worktree, env=env, capture_output=True, text=True, timeout=900
        )
    finally:
        _git("worktree", "remove", "--force", str(worktree))
        _git("worktree", "prune")
    if done.returncode == UNRUNNABLE:
        raise Unrunnable(done.stderr.strip().splitlines()[-1])
    if done.returncode != 0:
        raise RuntimeError(f"the generator failed at {commit[:7]}:\n{done.stdout}{done.stderr}")


def _store(release: Release, commit: str, subject: str, out: Path, passed: list[str]) -> Path:
    target = FIXTURES / release.name
    if target.exists():
        shutil.rmtree(target)
    (target / "laptop").mkdir(parents=True)
    manifest: dict[str, Any] = {"name": release.name, "commit": commit, "subject": subject}
    if passed:
        manifest["release"] = release.commit  # the newest of these schemas, which did not run
        manifest["passed_by"] = passed
    manifest |= json.loads((out / MANIFEST).read_text())
    for path in sorted((out / "laptop").iterdir()):
        _keep(path, target / "laptop")
    if (out / "hub").exists():
        (target / "hub").mkdir()
        for path in sorted((out / "hub").iterdir()):
            _keep(path, target / "hub")
    shutil.copyfile(out / CONTENT, target / CONTENT)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return target


def _keep(path: Path, folder: Path) -> None:
    if path.suffix == ".db":
        with (
            path.open("rb") as src,
            gzip.GzipFile(folder / f"{path.name}.gz", "wb", 9, None, 0) as dst,
        ):
            shutil.copyfileobj(src, dst)
    elif path.suffix == ".key":
        shutil.copyfile(path, folder / path.name)


def _unrunnable() -> dict[str, dict[str, str]]:
    """The releases none of whose commits runs, and why, as found by an earlier run."""
    path = FIXTURES / UNRUNNABLE_FILE
    found: dict[str, dict[str, str]] = json.loads(path.read_text()) if path.exists() else {}
    return found


def _write_unrunnable(found: dict[str, dict[str, str]]) -> None:
    path = FIXTURES / UNRUNNABLE_FILE
    if found:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    else:
        path.unlink(missing_ok=True)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.migration_fixtures", description=__doc__)
    parser.add_argument("--list", action="store_true", help="say which releases there are")
    parser.add_argument("--force", action="store_true", help="make every fixture again")
    parser.add_argument("--only", action="append", metavar="NAME", help="a fixture name or commit")
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--protocol", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside is not None:
        try:
            generate(args.inside, args.protocol)
        except Unrunnable as exc:
            print(f"{exc}", file=sys.stderr)
            return UNRUNNABLE
        return 0
    wanted = [
        r
        for r in releases()
        if not args.only or any(w in (r.name, r.commit[: len(w)]) for w in args.only)
    ]
    made = 0
    unrunnable = _unrunnable()
    for release in wanted:
        target = FIXTURES / release.name
        present = (target / MANIFEST).exists()
        made_from = json.loads((target / MANIFEST).read_text())["commit"] if present else ""
        commit = made_from or release.commit
        line = f"{release.name:<16} {commit[:7]}  {release.subject[:60]}"
        if release.name in unrunnable and not args.force:
            print(f"{line}  none of its commits runs: {unrunnable[release.name]['why']}")
            continue
        if args.list or (present and not args.force):
            print(f"{line}  {'present' if present else 'missing'}")
            continue
        start = time.perf_counter()
        unrunnable.pop(release.name, None)
        try:
            with tempfile.TemporaryDirectory(prefix="moot-fixture-") as folder:
                passed = make_fixture(release, Path(folder))
        except Unrunnable as exc:
            unrunnable[release.name] = {"commit": release.commit, "why": str(exc)}
            print(f"{line}  none of its commits runs: {exc}", flush=True)
            continue
        finally:
            _write_unrunnable(unrunnable)
        made += 1
        took = time.perf_counter() - start
        print(f"{line}  made, {_size(target) / 1024:.0f} KB in {took:.0f} s", flush=True)
        for words in passed:
            print(f"{'':<16} {words}")
    if FIXTURES.exists():
        print(f"{made} made; {_size(FIXTURES) / 1024:.0f} KB in {FIXTURES.relative_to(REPO)}")
    return 0


# --- the fixtures, as the tests read them -------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    """One release's fixture: its manifest, and its files unpacked where a test wants them."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.manifest["name"])

    @property
    def has_hub(self) -> bool:
        return self.manifest["hub_revision"] is not None

    def content(self) -> dict[str, Any]:
        """The dumps the old version printed, and the op logs of laptop and hub."""
        found: dict[str, Any] = json.loads(gzip.decompress((self.folder / CONTENT).read_bytes()))
        return found

    def unpack_laptop(self, into: Path) -> Path:
        """The laptop's profile folder, as the old version left it."""
        return _unpack(self.folder / "laptop", into)

    def unpack_hub(self, into: Path) -> Path:
        """The hub's folder (its database, and its key file once hubs kept one)."""
        return _unpack(self.folder / "hub", into)


def _unpack(source: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.name.endswith(".db.gz"):
            (into / path.name.removesuffix(".gz")).write_bytes(gzip.decompress(path.read_bytes()))
        else:
            shutil.copyfile(path, into / path.name)
            (into / path.name).chmod(0o600)  # key files: readable by their owner alone
    return into


def fixtures() -> list[Fixture]:
    """Every fixture made, oldest schema first."""
    found = sorted(p.parent for p in FIXTURES.glob(f"*/{MANIFEST}"))
    return [Fixture(p, json.loads((p / MANIFEST).read_text())) for p in found]


# --- the generator, run inside the old version's code ------------------------------------
#
# Everything below runs with the old version's modules on the path, so it reaches them
# through importlib and asks what each has before using it.

ANN, BOB = "Ann Organiser", "Bob Member"
ERASED = "07700 900123"  # Bob's telephone, which he erases: no upgraded hub may keep it


def _module(name: str) -> Any:
    """The old version's module, or None where that version has no such module."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(f"{exc.name}.")):
            return None  # that version has no such module (or package)
        raise Unrunnable(f"{name} does not import: {exc}") from None


def _service(name: str) -> Any:
    return _module(f"app.services.{name}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class OldHub:
    """That version's ``moot-hub serve`` on loopback, and its command line."""

    def __init__(self, folder: Path, protocol: int) -> None:
        self.folder = folder
        self.db = f"sqlite:///{folder / HUB_DB}"
        self.protocol = protocol
        self.headers = {"Moot-Protocol": str(protocol)}
        self.url = ""
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "serve.log"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-S", "-m", "sync.hub.cli", "--db", self.db, *args]

    def cli(self, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            [*self.command(*args), "--json"], capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"moot-hub {' '.join(args)} failed: {done.stderr}{done.stdout}")
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer

    def start(self) -> None:
        import requests

        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--name", "Westshire hub"]
        if (
            "--public-url"
            in Path(importlib.import_module("sync.hub.cli").__file__ or "").read_text()
        ):
            serve += ["--public-url", self.url]  # hubs that check proofs name their address
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(*serve), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(requests.RequestException):
                answer = requests.get(f"{self.url}/v1/hub", headers=self.headers, timeout=2)
                if answer.status_code == 200:
                    return
                if answer.status_code != 503:  # up, but its own laptops get no further
                    raise Unrunnable(f"its hub answers {answer.status_code}: {answer.text}")
            time.sleep(0.1)
        said = self.log.read_text()
        if "ImportError" in said or "ModuleNotFoundError" in said:
            raise Unrunnable(f"its hub does not start: {said.strip().splitlines()[-1]}")
        raise RuntimeError(f"the old hub did not start: {said}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.unlink(missing_ok=True)


class Laptops:
    """How this version's laptops meet its hub: its sync client."""

    def __init__(self, hub: OldHub) -> None:
        self.hub = hub
        self.hubs = _module("sync.hubs")
        self.engine = _module("sync.engine")
        if self.hubs is None or self.engine is None:
            raise Unrunnable("no laptop of this version speaks to its hub")

    def join(self, store: Any, code: str) -> str:
        return str(self.hubs.join_hub(store=store, hub_url=self.hub.url, code=code).group_id)

    def sync(self, store: Any, group: str) -> None:
        result = self.engine.sync_group(store, group)
        if result.rejected:
            raise RuntimeError(f"the old hub refused {result.rejected} changes")

    def connect(self, store: Any, group: str) -> None:
        code = str(self.hub.cli("registration-code")["code"])
        self.hubs.connect_hub(store=store, group_id=group, hub_url=self.hub.url, code=code)

    def enrol(self, store: Any, group: str) -> None:
        self.hubs.enrol_hub(store=store, group_id=group, hub_url=self.hub.url)


def _by_bundle(src: Any, dst: Any, group: str, folder: Path, *, invite: bool = False) -> None:
    """Carry the group's ops from one laptop to another on a bundle file, as on a USB stick."""
    bundle = importlib.import_module("sync.bundle")
    path = folder / "carried.moot"
    bundle.export_bundle(
        store=src, group_id=group, path=path, invite_role="member" if invite else None
    )
    bundle.import_bundle(store=dst, path=path)
    path.unlink()


def _discussions(ann: Any, bob: Any, group: str, exchange: Any) -> None:
    """Group one: discussions, replies, reactions, a poll, notes, profiles, contacts."""
    discussions, polls, notes = _service("discussions"), _service("polls"), _service("notes")
    members, groups, follows = _service("members"), _service("groups"), _service("follows")
    groups.add_category(store=ann, group_id=group, name="Planning & Roads")
    welcome, first = discussions.start_discussion(
        store=ann, group_id=group, title="Welcome to the allotments", body="Say hello here."
    )
    hedge, opening = discussions.start_discussion(
        store=ann,
        group_id=group,
        title="Hedge on Mill Lane",
        body="It needs cutting back.",
        category="Planning & Roads",
    )
    discussions.update_discussion(store=ann, discussion_id=welcome, pinned=True)
    poll = polls.create_poll(
        store=ann,
        discussion_id=hedge,
        question="When shall we cut it?",
        options=["Saturday", "Sunday", "Next week"],
        multiple=True,
    )
    polls.vote(store=ann, poll_id=poll, choices=["Saturday", "Sunday"])
    rota = notes.create_note(store=ann, group_id=group, title="Plot rota", body="Week 1: Ann\n")
    scratch = notes.create_note(store=ann, group_id=group, title="Scratch", body="to delete\n")
    has_contacts = hasattr(members, "set_contact")
    if has_contacts:
        members.set_contact(store=ann, group_id=group, contact="ann@example.org", consent="members")
    exchange()

    hello = discussions.reply(store=bob, discussion_id=welcome, body="Hello from plot 7!")
    discussions.reply(store=bob, discussion_id=hedge, body="I can bring shears.", reply_to=opening)
    wrong = discussions.reply(store=bob, discussion_id=hedge, body="Oops, wrong thread")
    discussions.delete_post(store=bob, post_id=wrong)
    discussions.react(store=bob, post_id=first, emoji="👍")
    polls.vote(store=bob, poll_id=poll, choices=["Sunday"])
    members.update_profile(store=bob, group_id=group, bio="Plot 7", interests=["hedges", "bees"])
    if follows is not None:
        follows.follow(store=bob, target_id=hedge)
    # Both laptops edit the rota before they next meet: both edits must survive.
    notes.edit_note(store=bob, note_id=rota, text="Week 1: Ann\nWeek 2: Bob\n")
    notes.edit_note(store=ann, note_id=rota, text="Week 1: Ann and Cat\n")
    if has_contacts:
        members.set_contact(store=bob, group_id=group, contact=ERASED)
    exchange()

    if has_contacts:
        members.erase_contact(store=bob, group_id=group)
    discussions.react(store=ann, post_id=hello, emoji="❤️")
    discussions.edit_post(store=ann, post_id=opening, body="It needs cutting back before May.")
    discussions.update_discussion(store=ann, discussion_id=hedge, resolved=True)
    notes.rename_note(store=ann, note_id=rota, title="Plot rota 2027")
    notes.delete_note(store=ann, note_id=scratch)
    if hasattr(members, "change_role"):
        members.change_role(store=ann, group_id=group, device=bob.device_id, role="clerk")
    exchange()


def _council(ann: Any, bob: Any, group: str, exchange: Any) -> None:
    """Group two: a removed member, and the meetings of a council where there are any."""
    members, notes, discussions = _service("members"), _service("notes"), _service("discussions")
    gone = hashlib.sha256(b"a member who left").hexdigest()
    members.admit(store=ann, group_id=group, device=gone, display_name="Dee Left")
    members.remove_member(store=ann, group_id=group, device=gone)
    notes.create_note(store=ann, group_id=group, title="Standing orders", body="1. Quorum: 3\n")
    discussions.start_discussion(
        store=ann, group_id=group, title="Agenda ideas", body="What should we discuss?"
    )
    meetings = _service("meetings")
    if meetings is None:
        exchange()
        return
    papers = _service("meeting_papers")
    january = meetings.create_meeting(
        store=ann,
        group_id=group,
        title="Parish council",
        starts_at="2027-01-14T19:30",
        place="Village hall",
        chair=BOB,
    )
    precept = meetings.add_item(store=ann, meeting_id=january, title="Precept 2027/28")
    staffing = meetings.add_item(
        store=ann,
        meeting_id=january,
        title="Clerk's salary",
        exempt=True,
        exempt_reason="staffing matters",
    )
    if papers is not None:
        papers.attach_paper(
            store=ann,
            item_id=precept,
            name="budget.csv",
            data=b"line,amount\nhall,1200\nverges,800\n",
            media_type="text/csv",
        )
    if hasattr(meetings, "issue_summons"):
        meetings.issue_summons(store=ann, meeting_id=january, issued_on="2027-01-08")
    meetings.set_attendance(store=ann, meeting_id=january, member=BOB, status="present")
    meetings.set_attendance(store=ann, meeting_id=january, member=ANN, status="present")
    meetings.declare(
        store=ann,
        item_id=precept,
        member=BOB,
        kind="other_registrable",
        nature="Trustee of the village hall, which the precept funds",
    )
    meetings.minute(store=ann, item_id=precept, text="The clerk presented the budget.")
    meetings.resolve(
        store=ann,
        item_id=precept,
        text="RESOLVED that the precept be set at £24,500",
        votes_for=5,
        votes_against=2,
        abstain=1,
        proposer=BOB,
    )
    meetings.add_action(
        store=ann, item_id=precept, text="Send the precept demand", owner=ANN, due="2027-01-31"
    )
    meetings.minute(store=ann, item_id=staffing, text="The salary review was agreed.")
    exchange()
    meetings.circulate(store=ann, meeting_id=january)
    february = meetings.create_meeting(
        store=ann, group_id=group, title="Parish council", starts_at="2027-02-11T19:30"
    )
    meetings.approve(store=ann, meeting_id=january, at=february)
    meetings.sign(store=ann, meeting_id=january, chair=BOB, signed_at="2027-02-11T21:05")
    exchange()


def _checkpointed(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
    finally:
        db.close()
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def _rows(path: Path, sql: str) -> list[list[Any]]:
    db = sqlite3.connect(path)
    try:
        return [list(row) for row in db.execute(sql)]
    finally:
        db.close()


def generate(out: Path, current_protocol: int | None) -> None:
    """Make the fixture's files in ``out`` with the version of Moot on the path."""
    found = importlib.import_module("app").__file__ or ""
    if not Path(found).resolve().is_relative_to(Path.cwd().resolve()):
        raise RuntimeError(f"the old version is not on the path: {found}")
    store_module = importlib.import_module("app.store")
    groups = importlib.import_module("app.services.groups")
    dump = importlib.import_module("app.dump")
    ann = store_module.open_store(out / "laptop", use_keyring=False)
    bob = store_module.open_store(out / "bob", use_keyring=False)
    groups.set_my_name(store=ann, name=ANN)
    groups.set_my_name(store=bob, name=BOB)
    hub_cli = _module("sync.hub.cli")
    client = _module("sync.client")
    hub = laptops = None
    manifest: dict[str, Any] = {"client_protocol": getattr(client, "PROTOCOL", None)}
    if hub_cli is not None:
        (out / "hub").mkdir()
        protocol = _module("sync.protocol") or importlib.import_module("sync.hub.settings")
        hub = OldHub(out / "hub", protocol.PROTOCOL)
    try:
        if hub is not None:
            hub.start()
            laptops = Laptops(hub)
        if hub is not None and laptops is not None:
            allotments = str(hub.cli("group", "create", "Mill Lane Allotments")["id"])
            code = str(hub.cli("invite", allotments, "--role", "organiser")["code"])
            laptops.join(ann, code)
            laptops.join(bob, str(hub.cli("invite", allotments)["code"]))

            def exchange_allotments() -> None:
                laptops.sync(ann, allotments)
                laptops.sync(bob, allotments)
                laptops.sync(ann, allotments)
        else:
            allotments = groups.create_group(store=ann, name="Mill Lane Allotments")
            _by_bundle(ann, bob, allotments, out, invite=True)

            def exchange_allotments() -> None:
                _by_bundle(ann, bob, allotments, out)
                _by_bundle(bob, ann, allotments, out)

        _discussions(ann, bob, allotments, exchange_allotments)

        council = groups.create_group(
            store=ann, name="Ashby Parish Council", description="Meets monthly", colour="#2a6f97"
        )
        _by_bundle(ann, bob, council, out, invite=True)
        _by_bundle(bob, ann, council, out)
        if laptops is not None:
            laptops.connect(ann, council)
            laptops.enrol(bob, council)

            def exchange_council() -> None:
                laptops.sync(ann, council)
                laptops.sync(bob, council)
                laptops.sync(ann, council)
        else:

            def exchange_council() -> None:
                _by_bundle(ann, bob, council, out)
                _by_bundle(bob, ann, council, out)

        _council(ann, bob, council, exchange_council)
        # One change the hub has not had yet: the upgraded laptop sends it.
        discussions = _service("discussions")
        [welcome] = [
            d.id
            for d in discussions.list_discussions(store=ann, group_id=allotments)
            if d.title == "Welcome to the allotments"
        ]
        discussions.reply(store=ann, discussion_id=welcome, body="See you on Saturday.")
        discussions.mark_read(store=ann, discussion_id=welcome)
        listed = groups.list_groups(store=ann)
        dumps = {g.id: dump.dump(store=ann, group_id=g.id) for g in listed}
        names = {g.id: g.name for g in listed}
        if hub is not None and laptops is not None:
            if current_protocol is not None:
                manifest["hub_refusal"] = _refusal(hub, current_protocol)
            hub.stop()
            # The laptop's last sync failed (its hub was down): kept as its last error.
            with contextlib.suppress(Exception):
                laptops.sync(ann, allotments)
    finally:
        if hub is not None:
            hub.stop()
        device = ann.device_id
        ann.close()
        bob.close()
    shutil.rmtree(out / "bob")
    laptop_db = out / "laptop" / LAPTOP_DB
    _checkpointed(laptop_db)
    for extra in (out / "laptop").iterdir():
        if extra.suffix not in (".db", ".key"):
            extra.unlink() if extra.is_file() else shutil.rmtree(extra)
    [[manifest["app_revision"]]] = _rows(laptop_db, "SELECT version_num FROM alembic_version")
    laptop_ops = _rows(laptop_db, "SELECT id, hash FROM ops ORDER BY id")
    # An op's hash is the same wherever it is held: kept once, for laptop and hub alike.
    content: dict[str, Any] = {
        "dumps": dumps,
        "hashes": dict(laptop_ops),
        "laptop_ops": [op_id for op_id, _ in laptop_ops],
    }
    counts = dict(_rows(laptop_db, "SELECT group_id, COUNT(*) FROM ops GROUP BY group_id"))
    manifest["laptop"] = {
        "device": device,
        "files": sorted(p.name for p in (out / "laptop").iterdir()),
        "groups": {
            g: {
                "name": names[g],
                "ops": counts[g],
                "dump_sha256": hashlib.sha256(d.encode()).hexdigest(),
            }
            for g, d in dumps.items()
        },
    }
    manifest["hub_revision"] = None
    if hub is not None:
        hub_db = out / "hub" / HUB_DB
        _checkpointed(hub_db)
        [[manifest["hub_revision"]]] = _rows(hub_db, "SELECT version_num FROM alembic_version")
        log: dict[str, list[list[Any]]] = {}
        for group, seq, op_id, op_hash in _rows(
            hub_db, "SELECT group_id, seq, op_id, hash FROM hub_ops ORDER BY group_id, seq"
        ):
            log.setdefault(group, []).append([seq, op_id])
            if content["hashes"].setdefault(op_id, op_hash) != op_hash:
                raise RuntimeError(f"op {op_id} has one hash on the laptop, another on the hub")
        content["hub_log"] = log
        manifest["hub"] = {
            "protocol": hub.protocol,
            "files": sorted(p.name for p in (out / "hub").iterdir()),
            "groups": {g: {"ops": len(entries)} for g, entries in log.items()},
        }
    (out / CONTENT).write_bytes(gzip.compress(json.dumps(content).encode(), mtime=0))
    (out / MANIFEST).write_text(json.dumps(manifest))


def _refusal(hub: OldHub, protocol: int) -> dict[str, Any] | None:
    """What this old hub answers a laptop that speaks ``protocol`` (today's), if it refuses."""
    if protocol == hub.protocol:
        return None
    import requests

    answer = requests.get(f"{hub.url}/v1/hub", headers={"Moot-Protocol": str(protocol)}, timeout=30)
    return {"status": answer.status_code, "body": answer.text}


if __name__ == "__main__":
    raise SystemExit(main())
