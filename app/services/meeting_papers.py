"""Papers put with an agenda item: files that go round with the agenda.

A paper's bytes travel in its op, so every laptop has it offline; hence the limit on
its size, asked of a file before it is read.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import os
from pathlib import Path
from typing import Any

from app.codes import Code
from app.errors import InvalidInput, NotFound
from app.ids import authored_id
from app.kinds.meetings import MAX_PAPER, MAX_PAPER_NAME, file_name
from app.papers.words import file_size
from app.services.meetings import item_row, open_for_record
from app.store import Store
from app.writer import writing


def attach_paper_file(*, store: Store, item_id: str, path: Path) -> str:
    """Put the file at ``path`` with the item; refused by its size before it is read."""
    with path.open("rb") as f:  # a missing file is an OSError: said as file_error
        refuse_large_paper(path.name, os.fstat(f.fileno()).st_size)
        data = f.read(MAX_PAPER + 1)
    return attach_paper(store=store, item_id=item_id, name=path.name, data=data)


def attach_paper(
    *, store: Store, item_id: str, name: str, data: bytes, media_type: str = ""
) -> str:
    """Put a file with an agenda item, to go round with the agenda; the paper's id.

    The file travels in its op, so every laptop has it offline: hence the size limit.
    """
    name = _paper_name(name)
    if not data:
        raise InvalidInput(f"“{name}” is empty; there is nothing in it to attach.")
    refuse_large_paper(name, len(data))
    media_type = (media_type or mimetypes.guess_type(name, strict=False)[0] or "").strip()
    fields: dict[str, Any] = {
        "item_id": item_id,
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": base64.b64encode(data).decode(),
    }
    if media_type:
        fields["media_type"] = media_type[:100]
    paper_id = authored_id(store.device_id)
    with writing(store) as w:
        item = item_row(w.db, item_id)
        open_for_record(w.db, item["meeting_id"])
        w.emit(item["group_id"], "paper", paper_id, "create", fields)
    return paper_id


def _paper_name(name: str) -> str:
    """The file's own name, as it is kept: no folder, nothing unprintable, not too long."""
    cleaned = "".join(c for c in name.strip() if c.isprintable())
    if not cleaned:
        raise InvalidInput("A paper needs the name of its file.")
    if len(cleaned) > MAX_PAPER_NAME:  # shortened, keeping what says what kind of file it is
        stem, ext = os.path.splitext(cleaned)
        ext = ext if len(ext) <= 20 else ""
        cleaned = stem[: MAX_PAPER_NAME - len(ext)].rstrip() + ext
    if not file_name(cleaned):
        raise InvalidInput(f"“{cleaned}” is not a file's name; give the name without its folder.")
    return cleaned


def refuse_large_paper(name: str, size: int) -> None:
    """Refuse (code ``too_large``) a file of ``size`` bytes: asked before reading it too."""
    if size <= MAX_PAPER:
        return
    shown, most = file_size(size), f"{MAX_PAPER // (1024 * 1024)} MB"
    if shown == file_size(MAX_PAPER):  # just over: "4.0 MB" would not say why
        shown, most = f"{size:,} bytes", f"{MAX_PAPER:,} bytes"
    raise InvalidInput(
        f"“{name}” is {shown}; a paper can be at most {most}. "
        "Make it smaller, or share a link to it in the minutes instead.",
        code=Code.TOO_LARGE,
    )


def paper_file(*, store: Store, paper_id: str) -> tuple[str, bytes]:
    """A paper's file name and its bytes, to save or open."""
    with store.read() as db:
        row = db.execute(
            "SELECT name, data FROM item_papers WHERE id = ? AND deleted = 0", (paper_id,)
        ).fetchone()
    if row is None:
        raise NotFound(f"No paper with id {paper_id!r} in this profile.")
    return str(row[0]), bytes(row[1])


def remove_paper(*, store: Store, paper_id: str) -> None:
    """Take a paper off its item (its file stays in the log, as every change does)."""
    with writing(store) as w:
        row = w.db.execute(
            "SELECT group_id, item_id FROM item_papers WHERE id = ? AND deleted = 0",
            (paper_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"No paper with id {paper_id!r} in this profile.")
        item = item_row(w.db, row["item_id"])
        open_for_record(w.db, item["meeting_id"])
        w.emit(row["group_id"], "paper", paper_id, "update", {"deleted": True})
