"""Saving text that was edited from an older state of a note, keeping what arrived since.

An editor shows a note as it stood when it last synced (its *base*). Meanwhile other
laptops' edits may have been merged into the stored note. Diffing the editor's text
against the stored text would undo those edits, so the user's changes are made on the
base instead and the resulting update is merged like any other: both survive.
"""

from __future__ import annotations

import base64
import difflib

from pycrdt import Doc, Text

from app.text_crdt import (
    FIELD,
    apply_diff,
    apply_update,
    client_id_for,
    edit_update,
    render,
    state_vector,
)


def edit_from_base(
    base: bytes, base_text: str, current: bytes, new_text: str, *, device: str
) -> tuple[str, bytes]:
    """The update (base64) carrying the edits from ``base_text`` to ``new_text``.

    Also returns the state to hold as the base for edits made after ``new_text``.
    When ``base`` renders ``base_text`` the edits are made on it, so they merge exactly
    as concurrent CRDT edits do. Yrs names each item by (client id, clock), and an edit
    made on ``base`` continues this device's clock from where ``base`` left it; if the
    store already holds later edits from this device (another window, the command line)
    those names would clash, so then, as when ``base`` no longer renders ``base_text``,
    the edits are re-applied to the current text as a three-way merge instead.
    """
    cid = client_id_for(device)
    if _clock_of(base, cid) == _clock_of(current, cid):
        doc: Doc[Text] = Doc(client_id=cid)
        text = doc.get(FIELD, type=Text)
        doc.apply_update(base)
        if str(text) == base_text:
            before = doc.get_state()
            apply_diff(text, base_text, new_text)
            update = base64.b64encode(doc.get_update(before)).decode()
            return update, apply_update(base, update)
    merged = rebase_text(base_text, new_text, render(current))
    update = edit_update(current, merged, device=device)
    return update, apply_update(current, update)


def rebase_text(base: str, mine: str, theirs: str) -> str:
    """``theirs`` with the changes that turned ``base`` into ``mine`` (a three-way merge).

    Each change is placed by where its span of ``base`` now lies in ``theirs``; a change
    whose surroundings they rewrote lands at the edge of their rewrite.
    """
    moved = difflib.SequenceMatcher(a=base, b=theirs, autojunk=False).get_opcodes()

    def where(i: int, *, end: bool) -> int:
        for tag, a1, a2, b1, _b2 in moved:
            if tag == "equal" and a1 <= i <= a2:
                return b1 + i - a1
        for _tag, a1, a2, b1, b2 in moved:
            if a1 <= i <= a2:
                return b2 if end else b1
        return len(theirs)

    out = theirs
    changes = difflib.SequenceMatcher(a=base, b=mine, autojunk=False).get_opcodes()
    limit = len(theirs)
    for tag, i1, i2, j1, j2 in reversed(changes):
        if tag == "equal":
            continue
        start = min(where(i1, end=False), limit)
        stop = start if tag == "insert" else max(min(where(i2, end=True), limit), start)
        out = out[:start] + mine[j1:j2] + out[stop:]
        limit = start  # earlier changes must not reach into text already rewritten
    return out


def _clock_of(state: bytes, client: int) -> int:
    """How many items ``client`` has written into ``state`` (0 if none)."""
    doc: Doc[Text] = Doc()
    doc.get(FIELD, type=Text)
    doc.apply_update(state)
    return state_vector(doc.get_state()).get(client, 0)
