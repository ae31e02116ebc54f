"""The pages' static files, under ``/council/static/<content hash>/<name>``.

The hash in the address changes whenever the file does, so a browser may keep each
one for a year without asking again. An address with an old hash is not found: the
page that named it is itself out of date, and is never cached (see ``templating``).
"""

from __future__ import annotations

import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from sync.hub.web.session import PageRefusal

STATIC = Path(__file__).with_name("static")
CACHED = "public, max-age=31536000, immutable"

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=256)  # bounded: the names come from addresses anyone may ask for
def _asset(name: str) -> tuple[str, bytes, str] | None:
    """(content hash, bytes, media type) of a file in the static folder; None if none."""
    path = (STATIC / name).resolve()
    if not path.is_relative_to(STATIC.resolve()) or not path.is_file():
        return None
    data = path.read_bytes()
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media.startswith("text/"):
        media += "; charset=utf-8"
    return hashlib.sha256(data).hexdigest()[:16], data, media


def static_url(name: str) -> str:
    """The address of a static file, its content hash in it."""
    found = _asset(name)
    if found is None:
        raise ValueError(f"no static file {name!r} in {STATIC}")
    return f"/council/static/{found[0]}/{name}"


@router.get("/council/static/{digest}/{name:path}")
def static_file(digest: str, name: str) -> Response:
    found = _asset(name)
    if found is None or found[0] != digest:
        raise PageRefusal(404, "There is no such file on this hub.")
    _digest, data, media = found
    headers = {"Cache-Control": CACHED, "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=media, headers=headers)
