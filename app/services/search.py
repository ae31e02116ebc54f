"""One search over discussion titles, posts and notes, ranked, with snippets."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from app.search_rows import SEARCH_KINDS, SEARCH_STRIDE
from app.services.common import require_group
from app.store import Store

_KIND_BY_CODE = {code: kind for kind, code in SEARCH_KINDS.items()}
_WORD = re.compile(r"\w+", re.UNICODE)
MARK_START, MARK_END = "[", "]"


@dataclass(frozen=True)
class SearchHit:
    kind: str  # 'discussion' | 'post' | 'note'
    id: str
    discussion_id: str | None  # where a post or discussion opens
    title: str
    snippet: str


def fts_query(text: str) -> str | None:
    """Each word as a quoted prefix term, so any typed text is a valid query."""
    words = _WORD.findall(text)
    return " ".join(f'"{w}"*' for w in words) or None


def search(*, store: Store, group_id: str, query: str, limit: int = 20) -> list[SearchHit]:
    match = fts_query(query)
    if match is None:
        return []
    hits: list[SearchHit] = []
    now = store.clock.wall_ms()
    with store.read() as db:
        require_group(db, group_id)
        rows = db.execute(
            "SELECT rowid, snippet(search, -1, ?, ?, '…', 12) FROM search"
            " WHERE search MATCH ? AND group_id = ? ORDER BY bm25(search, 4.0, 1.0) LIMIT ?",
            (MARK_START, MARK_END, match, group_id, limit),
        ).fetchall()
        for rowid, snippet in rows:
            n, kind = divmod(rowid, SEARCH_STRIDE)
            hit = _resolve(db, _KIND_BY_CODE[kind], n, snippet, now)
            if hit is not None:
                hits.append(hit)
    return hits


# A discussion written ahead is not found before it shows, nor are its posts.
_SHOWN = " AND (d.publish_ms IS NULL OR d.publish_ms <= ?)"


def _resolve(
    db: sqlite3.Connection, kind: str, n: int, snippet: str, now_ms: int
) -> SearchHit | None:
    if kind == "discussion":
        row = db.execute(
            f"SELECT d.id, d.id, d.title FROM discussions d WHERE d.n = ?{_SHOWN}", (n, now_ms)
        ).fetchone()
    elif kind == "post":
        row = db.execute(
            "SELECT p.id, p.discussion_id, d.title FROM posts p"
            f" JOIN discussions d ON d.id = p.discussion_id WHERE p.n = ?{_SHOWN}",
            (n, now_ms),
        ).fetchone()
    else:
        row = db.execute("SELECT id, NULL, title FROM notes WHERE n = ?", (n,)).fetchone()
    if row is None:
        return None
    return SearchHit(kind, row[0], row[1], row[2], snippet)
