"""How rows of the FTS5 ``search`` table point back at what they index.

A search rowid is the entity's ``n`` times ``SEARCH_STRIDE`` plus its kind's number, so
one integer names both the table and the row, and an update replaces by rowid.
"""

from __future__ import annotations

SEARCH_KINDS = {"discussion": 1, "post": 2, "note": 3}
SEARCH_STRIDE = 4


def search_rowid(kind: str, n: int) -> int:
    return n * SEARCH_STRIDE + SEARCH_KINDS[kind]
