"""HTML to PDF on this laptop, with nothing fetched, and a PDF file written whole or not at all.

WeasyPrint lays the paper out (CSS paged media gives the footers and page counts) and
writes a tagged PDF/UA-1 file, so a screen reader finds the headings, lists and tables
the HTML has. It is imported on first use: it loads Pango, which takes a moment and
may be missing on a machine set up by hand; everything else in ``app`` works without.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path
from typing import Any

from app.codes import Code
from app.errors import FileError, MootError

NO_PANGO = (
    "Making a PDF needs WeasyPrint and the Pango text library, and they could not be"
    " loaded ({reason}). Run packaging/setup.sh, which installs them."
)


def _weasyprint() -> Any:
    try:
        import weasyprint  # loads Pango: only when a PDF is made
    except (ImportError, OSError) as exc:
        raise MootError(NO_PANGO.format(reason=exc), code=Code.FAILED) from None
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """The document as a tagged PDF (PDF/UA-1), refusing every URL it might name."""
    weasyprint = _weasyprint()
    # No protocol at all is allowed: the papers name no resources, and a paper must
    # never reach the network (or the disk) because of something typed into it.
    fetcher = weasyprint.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    assert isinstance(pdf, bytes)
    return pdf


def write_whole(data: bytes, path: Path) -> None:
    """Write ``data`` to a file beside ``path``, then rename it into place.

    A full disk, a missing folder or a file held open elsewhere leaves whatever was at
    ``path`` before, untouched, and no half-written file beside it.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise FileError(f"Cannot save {path.name}: the folder {folder} does not exist.")
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.part"
    try:
        with open(tmp, "xb") as out:  # created as any new file is, under the user's umask
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise FileError(f"Could not save {path}: {_reason(exc)}; nothing was written.") from None


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (is the file open in another program?)"
    return exc.strerror or str(exc)
