"""How a group stands with its hub, and what went wrong, in sentences a person can act on.

Failures arrive either as the exception a sync just raised (``sync.errors``,
``app.errors``) or, from an earlier run or the command line, as the message that the
profile kept; both end as one plain sentence saying what happened and what to do.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from app.errors import BundleError, ClockError, MootError
from sync.errors import (
    AuthRefused,
    Cancelled,
    HubFailed,
    HubTimeout,
    HubUnreachable,
    NotLinked,
    NotPermitted,
    ProtocolMismatch,
    Refused,
    SyncError,
)
from sync.hubs import GroupStatus
from ui.i18n import tr
from ui.when import DAY_MS, HOUR_MS, MINUTE_MS

CONNECT_HINT = "File ▸ Connect this group to a hub…"
_AHEAD = re.compile(r"stamped ([\d.]+ (?:hours|days)) ahead")


def hub_host(hub_url: str) -> str:
    """What a person calls the hub: its host name (and port, where it has one)."""
    parts = urlsplit(hub_url if "//" in hub_url else f"//{hub_url}")
    return parts.netloc or hub_url


def since(last_sync_ms: int, now_ms: int) -> str:
    age = max(0, now_ms - last_sync_ms)
    if age < MINUTE_MS:
        return tr("synced just now")
    if age < HOUR_MS:
        return tr("synced {n} min ago").format(n=age // MINUTE_MS)
    if age < DAY_MS:
        return tr("synced {n} h ago").format(n=age // HOUR_MS)
    days = age // DAY_MS
    return tr("synced yesterday") if days == 1 else tr("synced {n} days ago").format(n=days)


def waiting(pending: int) -> str:
    if pending == 0:
        return tr("all changes sent")
    if pending == 1:
        return tr("1 change waiting")
    return tr("{n} changes waiting").format(n=pending)


def connected_line(status: GroupStatus, now_ms: int) -> str:
    """'Connected to hub.example · 3 changes waiting · synced 2 min ago'."""
    last = (
        since(status.last_sync_ms, now_ms)
        if status.last_sync_ms is not None
        else tr("not synced yet")
    )
    host = hub_host(status.hub)
    return f"{tr('Connected to {host}').format(host=host)} · {waiting(status.pending)} · {last}"


def not_connected_line() -> str:
    return tr("Not connected to a hub — {hint}").format(hint=CONNECT_HINT)


def _clock_sentence(message: str, *, ours_behind: bool) -> str:
    found = _AHEAD.search(message)
    amount = found.group(1) if found else ""
    if ours_behind:
        what = (
            tr("this laptop's clock is {amount} behind the group's").format(amount=amount)
            if amount
            else tr("this laptop's clock is behind the group's")
        )
        return (
            tr("Changes from the hub were refused: {what}.").format(what=what) + " " + _set_clock()
        )
    what = tr("it is {amount} ahead").format(amount=amount) if amount else tr("it is too far ahead")
    return tr("The hub refused this laptop's clock: {what}.").format(what=what) + " " + _set_clock()


def _set_clock() -> str:
    return tr("Set the date and time, then sync again.")


def describe_failure(error: BaseException | str, hub_url: str = "") -> str:
    """One sentence for a failed sync (or join, connect, import): what happened, what to do."""
    message = str(error)
    host = hub_host(hub_url) if hub_url else tr("the hub")
    if isinstance(error, str):
        return _describe_kept(message, host)
    if "refused this laptop's clock" in message:
        return _clock_sentence(message, ours_behind=False)
    if isinstance(error, ClockError) or (
        isinstance(error, SyncError) and "Changes from the hub were refused" in message
    ):
        return _clock_sentence(message, ours_behind=True)
    if isinstance(error, Cancelled):
        return _stopped()
    if isinstance(error, HubUnreachable):
        return _unreachable(host)
    if isinstance(error, HubTimeout):
        return _timeout(host)
    if isinstance(error, AuthRefused):
        return tr(
            "The hub no longer accepts this laptop. Ask an organiser for a new invitation "
            "and join again (File ▸ Join group on a hub…)."
        )
    if isinstance(error, NotPermitted | Refused):
        # The hub words its refusals for people already ("That invitation code is not
        # known to this hub; check it was typed in full.").
        return _sentence(message)
    if isinstance(error, ProtocolMismatch):
        return tr(
            "This version of Moot and the hub no longer understand each other. "
            "Update Moot, or ask the council whether the hub was updated."
        )
    if isinstance(error, NotLinked):
        return not_connected_line()
    if isinstance(error, HubFailed):
        return tr("The hub had a problem: {detail} Try again later.").format(
            detail=_sentence(message)
        )
    if isinstance(error, BundleError):
        return tr("That file cannot be used: {detail}").format(detail=_sentence(message))
    if isinstance(error, MootError):
        return _sentence(message)
    if isinstance(error, OSError):
        return tr("The file could not be read or written: {detail}").format(
            detail=_sentence(error.strerror or message)
        )
    return tr("Something went wrong: {detail}").format(detail=_sentence(message))


def _describe_kept(message: str, host: str) -> str:
    """A failure known only by the message the profile kept (an earlier run, the CLI)."""
    if "refused this laptop's clock" in message:
        return _clock_sentence(message, ours_behind=False)
    if "Changes from the hub were refused" in message:
        return _clock_sentence(message, ours_behind=True)
    if message.startswith("Cannot reach the hub"):
        return _unreachable(host)
    if "did not answer in time" in message:
        return _timeout(host)
    if message.startswith("Sync stopped"):
        return _stopped()
    return tr("The last sync failed: {detail}").format(detail=_sentence(message))


def _unreachable(host: str) -> str:
    return tr(
        "Can't reach {host}: this laptop may be offline, or the hub is down. "
        "Your changes are kept here and go up at the next sync."
    ).format(host=host)


def _timeout(host: str) -> str:
    text = tr("{host} took too long to answer. Sync again in a few minutes.").format(host=host)
    return text[0].upper() + text[1:]


def _stopped() -> str:
    return tr("Sync stopped. What was done so far is kept; the rest follows next time.")


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def describe_rejections(reasons: list[str]) -> str:
    """Changes the hub turned away for good (each reason is 'op id: why')."""
    count = len(reasons)
    why = reasons[0].split(": ", 1)[-1] if reasons else ""
    if "ahead of this computer's clock" in why:
        return _clock_sentence(why, ours_behind=False)
    head = (
        tr("The hub turned away 1 change from this laptop")
        if count == 1
        else tr("The hub turned away {n} changes from this laptop").format(n=count)
    )
    return f"{head}: {_sentence(why)}"
