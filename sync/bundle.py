"""Sync bundles: a group's ops in one signed file, for places with no connection.

The file is gzip-compressed JSON lines: a header, one op per line, and a trailer with
the SHA-256 of everything before it and the exporting device's signature over that
digest. A missing trailer means the file was cut short; a digest or signature that
does not match means it was altered. Each op also carries its author's own signature,
so importing trusts the ops, not the file. Importing is just another delivery order:
twice, or in any order, changes nothing more.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.apply import IngestResult, ingest, read_log
from app.codes import Code
from app.errors import BundleError, Cancelled, ClockError, InvalidOp, NotAllowed, NotFound
from app.hub_links import queue
from app.ops import Op, op_from_wire
from app.progress import Progress, quiet_if_none
from app.services.common import require_group
from app.services.groups import get_group
from app.services.members import Invitation, invite_with, my_role, redeem_with, role_in
from app.store import Store
from app.writer import Writer, writing

MAGIC = "moot-bundle"
MAX_BYTES = 2**30  # uncompressed: about 190 papers of the largest size, with the rest
VERSION = 1
_STEP = 1_000  # lines written between two reports (and chances to stop)
# What export and import report they are doing; the window words them its own way.
WRITING = "Writing changes"
READING = "Reading the file"
APPLYING = "Applying changes"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    ops: int
    invitation: Invitation | None


@dataclass(frozen=True)
class ImportResult:
    group_id: str
    group_name: str
    received: int  # ops new to this laptop
    waiting: int  # of those, how many cannot take effect yet
    joined_as: str | None  # the role an invitation in the bundle gave
    invitation_refused: str | None  # why a carried invitation could not be used
    role: str  # this laptop's role in the group now ('removed': read only)
    founded: bool = True  # False: the group's founding change has not arrived yet


@dataclass(frozen=True)
class Bundle:
    group_id: str
    exporter: str
    ops: list[Op]
    invitation: Invitation | None


def export_bundle(
    *,
    store: Store,
    group_id: str,
    path: Path,
    invite_role: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write every op of the group to ``path``; with ``invite_role``, a one-use invitation too.

    The invitation, the file and the commit are one unit of work: if the file cannot be
    written, or the export is cancelled, the invitation was never made and no file is
    left; the file appears under its name only once the invitation is committed.
    """
    progress = quiet_if_none(progress)
    with writing(store) as w:
        progress.check()
        require_group(w.db, group_id)
        invitation = None
        if invite_role is not None:
            invitation = invite_with(w, group_id=group_id, role=invite_role)
        ops = read_log(w.db, store.sealer, group_id)
        lines = _bundle_lines(store, group_id, ops, invitation)
        size = sum(len(line) for line in lines)
        if size > MAX_BYTES:  # refused now, not when the file reaches the other laptop
            raise BundleError(
                f"The group's history is {size / 2**30:.1f} GiB, more than a bundle carries"
                f" ({MAX_BYTES // 2**30} GiB); sync it through its hub instead.",
                code=Code.TOO_LARGE,
            )
        tmp = _write_beside(path, lines, progress)
        try:
            progress.check()  # the last moment at which stopping leaves nothing behind
        except Cancelled:
            os.unlink(tmp)
            raise
    _move_into_place(tmp, path)
    return ExportResult(path, len(ops), invitation)


def _bundle_lines(
    store: Store, group_id: str, ops: list[Op], invitation: Invitation | None
) -> list[bytes]:
    header = {
        "format": MAGIC,
        "version": VERSION,
        "group": group_id,
        "exporter": store.device_id,
        "ops": len(ops),
        "invitation": None
        if invitation is None
        else {
            "invite_id": invitation.invite_id,
            "token": invitation.token,
            "role": invitation.role,
        },
    }
    lines = [_line(header), *(_line(op.to_wire()) for op in ops)]
    digest = hashlib.sha256(b"".join(lines)).digest()
    trailer = {"sha256": digest.hex(), "signature": store.identity.key.sign(digest).hex()}
    lines.append(_line(trailer))
    return lines


def read_bundle(path: Path) -> Bundle:
    """Parse and check a bundle file; raises BundleError saying what is wrong with it."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise BundleError(f"No file at {path}.") from None
    except (gzip.BadGzipFile, OSError, zlib.error, EOFError) as exc:
        if isinstance(exc, EOFError):
            raise BundleError(f"{path} is truncated: it ends part way through.") from None
        if isinstance(exc, PermissionError | IsADirectoryError):
            raise BundleError(
                f"Cannot read {path}: {exc.strerror}.", code=Code.FILE_ERROR
            ) from None
        raise BundleError(f"{path} is not a Moot bundle.") from None
    if len(raw) > MAX_BYTES:
        raise BundleError(f"{path} is larger than any bundle Moot writes; it was not read.")
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    header = _parse(lines[0] if lines else b"", path)
    if not isinstance(header, dict) or header.get("format") != MAGIC:
        raise BundleError(f"{path} is not a Moot bundle.")
    if header.get("version") != VERSION:
        raise BundleError(
            f"{path} was written by a different version of Moot (bundle format"
            f" {header.get('version')}); update Moot on both laptops."
        )
    count = header.get("ops")
    if not isinstance(count, int) or count < 0:
        # Taken as a line's position, a negative count would count from the end.
        raise BundleError(f"{path} is damaged: its header does not say how many changes it holds.")
    if len(lines) < count + 2:
        raise BundleError(f"{path} is truncated: it ends before all its changes.")
    trailer = _parse(lines[count + 1], path)
    if not isinstance(trailer, dict) or "signature" not in trailer:
        raise BundleError(f"{path} is truncated: its closing signature is missing.")
    digest = hashlib.sha256(b"".join(line + b"\n" for line in lines[: count + 1])).digest()
    if len(lines) != count + 2 or trailer.get("sha256") != digest.hex():
        raise BundleError(f"{path} has been altered since it was written.")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(header.get("exporter")))).verify(
            bytes.fromhex(str(trailer["signature"])), digest
        )
    except (InvalidSignature, ValueError):
        raise BundleError(f"{path} has been altered: its signature does not verify.") from None
    group_id = str(header.get("group"))
    try:
        ops = [op_from_wire(_parse(line, path)) for line in lines[1 : count + 1]]
    except InvalidOp as exc:
        raise BundleError(f"{path} holds a malformed change: {exc}") from None
    if any(op.group != group_id for op in ops):
        raise BundleError(f"{path} mixes changes of other groups into group {group_id}.")
    return Bundle(group_id, str(header["exporter"]), ops, _invitation(header, group_id, path))


def import_bundle(*, store: Store, path: Path, progress: Progress | None = None) -> ImportResult:
    """Apply a bundle's ops (and redeem its invitation) in one transaction, or nothing.

    Cancelled, nothing is changed: the last chance to stop comes just before the commit.
    """
    progress = quiet_if_none(progress)
    progress.report(0, 0, READING)
    bundle = read_bundle(path)
    joined_as = refused = None
    try:
        with store.write() as db:
            progress.check()
            progress.report(0, len(bundle.ops), APPLYING)
            now = store.clock.wall_ms()  # the clock that stamps this laptop's changes
            result: IngestResult = ingest(db, bundle.ops, sealer=store.sealer, now_ms=now)
            store.clock.observe(result.max_hlc)  # before a redemption is stamped
            queue(db, result.new_ids)  # for the hub, once this laptop reaches one
            if (
                bundle.invitation is not None
                and role_in(db, bundle.group_id, store.device_id) == "removed"
            ):
                joined_as, refused = _try_redeem(Writer(store, db), bundle.invitation)
            progress.check()
            progress.report(len(bundle.ops), len(bundle.ops), APPLYING)
    except (InvalidOp, ClockError) as exc:
        raise BundleError(f"{path} was refused and nothing was changed: {exc}") from None
    store.notify({bundle.group_id})
    try:
        name, founded = get_group(store=store, group_id=bundle.group_id).name, True
    except NotFound:
        # Its founding change is in none of what arrived: the ops are kept, waiting for
        # it, as a hub keeps a push's waiting ops; the next bundle that has it lets them in.
        name, founded = "", False
    return ImportResult(
        group_id=bundle.group_id,
        group_name=name,
        received=result.received,
        waiting=result.waiting,
        joined_as=joined_as,
        invitation_refused=refused,
        role=my_role(store=store, group_id=bundle.group_id),
        founded=founded,
    )


def _try_redeem(w: Writer, invitation: Invitation) -> tuple[str | None, str | None]:
    """Redeem, or keep the ops imported and say why the invitation could not be used."""
    w.db.execute("SAVEPOINT redeem")
    try:
        redeem_with(w, invitation)
    except (NotAllowed, InvalidOp) as exc:
        w.db.execute("ROLLBACK TO redeem")
        return None, str(exc)
    w.db.execute("RELEASE redeem")
    # The role the group's log gave, not the one the bundle's header claims.
    return role_in(w.db, invitation.group_id, w.store.device_id), None


def _invitation(header: dict[str, Any], group_id: str, path: Path) -> Invitation | None:
    inv = header.get("invitation")
    if inv is None:
        return None
    if not isinstance(inv, dict) or not all(
        _plain(inv.get(k)) for k in ("invite_id", "token", "role")
    ):
        raise BundleError(f"{path} carries a malformed invitation.")
    return Invitation(group_id, inv["invite_id"], inv["token"], inv["role"])


def _plain(value: Any) -> bool:
    """Short printable ASCII, as export writes them: redeeming signs them as UTF-8 bytes."""
    return (
        isinstance(value, str) and 0 < len(value) <= 64 and value.isascii() and value.isprintable()
    )


def _line(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _parse(line: bytes, path: Path) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, absurd numbers or nesting
        raise BundleError(f"{path} is damaged: a line is not valid JSON.") from None


def _write_beside(path: Path, lines: list[bytes], progress: Progress) -> str:
    """Write to a temporary file beside the target, so a full disk never leaves half a bundle."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".moot-bundle-", dir=path.parent or Path("."))
    except OSError as exc:
        raise BundleError(
            f"Cannot write to {path.parent}: {exc.strerror}.", code=Code.FILE_ERROR
        ) from None
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            for n, line in enumerate(lines):
                if n % _STEP == 0:
                    progress.check()
                    progress.report(n, len(lines), WRITING)
                gz.write(line)
    except Cancelled:
        os.unlink(tmp)
        raise
    except OSError as exc:
        os.unlink(tmp)
        raise BundleError(
            f"Could not write {path}: {exc.strerror}; nothing was written.", code=Code.FILE_ERROR
        ) from None
    return tmp


def _move_into_place(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise BundleError(
            f"Could not write {path}: {exc.strerror}; nothing was written.", code=Code.FILE_ERROR
        ) from None
