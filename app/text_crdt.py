"""Collaborative note bodies: Yrs (pycrdt) text, carried in ops as base64 updates.

Concurrent edits merge character by character, so two people typing into one note
both keep their words, whatever order their updates arrive in.
"""

from __future__ import annotations

import base64
import difflib

from pycrdt import Doc, Text, get_state, merge_updates

from app.errors import InvalidOp

FIELD = "body"


def client_id_for(device: str) -> int:
    """Each device writes note text under one Yrs client id, derived from its key.

    A stable id per device keeps merges exact (edits are made one at a time, under the
    write lock, always on the newest stored state); 48 bits stay within the range
    every Yjs implementation handles.
    """
    return int(device[:12], 16)


def _doc(state: bytes | None, client_id: int | None = None) -> tuple[Doc[Text], Text]:
    doc: Doc[Text] = Doc(client_id=client_id)
    text = doc.get(FIELD, type=Text)
    if state:
        doc.apply_update(state)
    return doc, text


def apply_update(state: bytes | None, update_b64: str) -> bytes:
    """The note's new full state after merging one update into it.

    Updates are merged as updates, not integrated into a document and re-encoded:
    an edit that arrives before an edit it builds on stays in the merged update
    until its predecessor comes, where a document's encoded state would drop it.
    """
    try:
        update = base64.b64decode(update_b64, validate=True)
        merged = merge_updates(state, update) if state else merge_updates(update)
        render(merged)
    except Exception as exc:  # pycrdt raises bare exceptions for corrupt updates
        raise InvalidOp(f"a note update is corrupt: {exc}") from exc
    return bytes(merged)


def render(state: bytes | None) -> str:
    return str(_doc(state)[1])


def edit_update(state: bytes | None, new_text: str, *, device: str) -> str:
    """The update that turns the note's current text into ``new_text``, as base64.

    Only the changed spans are rewritten, so an edit made here merges cleanly with
    edits made elsewhere to other parts of the text.
    """
    doc, text = _doc(state, client_id_for(device))
    before = doc.get_state()
    old = str(text)
    apply_diff(text, old, new_text)
    return base64.b64encode(doc.get_update(before)).decode()


def apply_diff(text: Text, old: str, new: str) -> None:
    """Rewrite only the spans of ``text`` (which reads ``old``) that differ from ``new``.

    Yrs counts offsets in UTF-8 bytes, not characters: a '£' or an en dash before an
    edit would otherwise shift it into the wrong place.
    """
    with text.doc.transaction():
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        # Apply from the end so earlier offsets stay valid.
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            start = len(old[:i1].encode())
            if tag in ("replace", "delete"):
                del text[start : start + len(old[i1:i2].encode())]
            if tag in ("replace", "insert"):
                text.insert(start, new[j1:j2])


def check_update(update_b64: str, device: str) -> None:
    """Refuse an update that is corrupt, or that writes text under another device's id.

    Checked on the update alone, so it is malformed everywhere or nowhere, whatever
    else a replica holds.
    """
    try:
        update = base64.b64decode(update_b64, validate=True)
        render(merge_updates(update))
        clients = set(state_vector(get_state(update)))
    except Exception as exc:  # pycrdt raises bare exceptions for corrupt updates
        raise InvalidOp(f"a note update is corrupt: {exc}") from exc
    if clients - {client_id_for(device)}:
        raise InvalidOp("a note update writes text in another device's name")


def state_vector(encoded: bytes) -> dict[int, int]:
    """Decode a Yrs state vector: a varint count, then (client id, clock) varint pairs."""
    values: list[int] = []
    value = shift = 0
    for byte in encoded:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            values.append(value)
            value = shift = 0
    count, pairs = values[0], values[1:]
    return {pairs[2 * i]: pairs[2 * i + 1] for i in range(count)}
