"""Clock stamps as people say them: "just now", "2 h ago", "Tue", "3 Mar", "3 Mar 2023"."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from app.clock import physical_ms, wall_ms

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("when", text, None, n)


def ago(stamp: int, now_ms: int | None = None) -> str:
    """How long ago a clock stamp (HLC) was, short enough for a list row."""
    ms = physical_ms(stamp)
    now = wall_ms() if now_ms is None else now_ms
    age = now - ms
    if age < MINUTE_MS:
        return _tr("just now")
    if age < HOUR_MS:
        return _tr("%n min ago", age // MINUTE_MS)
    if age < DAY_MS:
        return _tr("%n h ago", age // HOUR_MS)
    when = datetime.fromtimestamp(ms / 1000)
    if age < 7 * DAY_MS:
        return when.strftime("%a %H:%M")
    if when.year == datetime.fromtimestamp(now / 1000).year:
        return f"{when.day} {when.strftime('%b')}"
    return f"{when.day} {when.strftime('%b %Y')}"


def since(stamp: int) -> str:
    """The month a stamp fell in, as "March 2025": how long a member has belonged."""
    when = datetime.fromtimestamp(physical_ms(stamp) / 1000)
    return f"{when.strftime('%B')} {when.year}"


def full(stamp: int) -> str:
    """The exact local time of a stamp, for a tooltip."""
    when = datetime.fromtimestamp(physical_ms(stamp) / 1000)
    return f"{when.strftime('%A')} {when.day} {when.strftime('%B %Y, %H:%M')}"
