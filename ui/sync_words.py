"""How a group stands with its hub, and what went wrong, in sentences a person can act on.

Failures arrive either as the exception a sync just raised (``sync.errors``,
``app.errors``) or, from an earlier run or the command line, as the failure the
profile kept; both carry a code (``app.codes``), from which each is worded as one
plain sentence saying what happened and what to do.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from app.codes import Code
from app.errors import MootError
from app.hub_links import Failure
from sync.engine import Rejection, SyncResult
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


def describe_failure(error: BaseException | Failure, hub_url: str = "") -> str:
    """One sentence for a failed sync (or join, connect, import): what happened, what to do.

    ``error`` is what a sync just raised, or the failure the profile kept from an
    earlier run; either way the code decides the sentence, and the words fill it in.
    """
    host = hub_host(hub_url) if hub_url else tr("the hub")
    if isinstance(error, Failure):
        return _describe(error.code, error.detail, host, kept=True)
    if isinstance(error, MootError):
        return _describe(error.code, str(error), host, kept=False)
    if isinstance(error, OSError):
        return tr("The file could not be read or written: {detail}").format(
            detail=_sentence(error.strerror or str(error))
        )
    return tr("Something went wrong: {detail}").format(detail=_sentence(str(error)))


def _describe(code: Code, detail: str, host: str, *, kept: bool) -> str:
    match code:
        case Code.CLOCK_AHEAD:
            return _clock_sentence(detail, ours_behind=False)
        case Code.CLOCK_OFF:
            return (
                tr("The hub refused this laptop's clock: it is minutes off the hub's.")
                + " "
                + _set_clock()
            )
        case Code.CLOCK_BEHIND:
            return _clock_sentence(detail, ours_behind=True)
        case Code.CANCELLED:
            return _stopped()
        case Code.HUB_UNREACHABLE:
            return _unreachable(host)
        case Code.TIMEOUT:
            return _timeout(host)
        case Code.BAD_TOKEN:
            return tr(
                "The hub no longer accepts this laptop. Ask an organiser for a new invitation "
                "and join again (File ▸ Join group on a hub…)."
            )
        case Code.PROTOCOL_MISMATCH:
            return tr(
                "This version of Moot and the hub no longer understand each other. "
                "Update Moot, or ask the council whether the hub was updated."
            )
        case Code.NOT_LINKED:
            return not_connected_line()
        case Code.HUB_BUSY:
            return tr("{host} is busy. Sync again in a few minutes.").format(host=host)
        case Code.RATE_LIMITED:
            return tr(
                "{host} is taking too many requests from this laptop or its network just now. "
                "Moot syncs again in a few minutes."
            ).format(host=host)
        case Code.HUB_FAILED:
            return tr("The hub had a problem: {detail} Try again later.").format(
                detail=_sentence(detail)
            )
        case Code.BAD_BUNDLE:
            return tr("That file cannot be used: {detail}").format(detail=_sentence(detail))
    if kept:
        return tr("The last sync failed: {detail}").format(detail=_sentence(detail))
    # The hub and the core word their refusals for people already ("That invitation
    # code is not known to this hub; check it was typed in full.").
    return _sentence(detail)


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


def describe_sync_result(result: SyncResult) -> str | None:
    """What a sync that went through leaves to say: changes the hub would not take.

    Changes held back because this laptop's clock is ahead of the hub's are said first:
    they stay on this laptop, and only the person can put the clock right.
    """
    held = describe_held_for_clock(result.held or [])
    if held:
        return held
    return describe_rejections(result.rejections) if result.rejections else None


def describe_held_for_clock(held: list[Rejection]) -> str | None:
    """Changes the hub holds back until its clock catches up with theirs, if any."""
    ahead = [one for one in held if one.code == Code.CLOCK_AHEAD]
    if not ahead:
        return None
    kept = (
        tr("1 change waits on this laptop until the hub's clock catches up with it.")
        if len(ahead) == 1
        else tr(
            "{n} changes wait on this laptop until the hub's clock catches up with them."
        ).format(n=len(ahead))
    )
    return _clock_sentence(ahead[0].reason, ours_behind=False) + " " + kept


def describe_rejections(rejections: list[Rejection]) -> str:
    """Changes the hub turned away for good, counted, with the first one's reason."""
    first = rejections[0] if rejections else None
    if first is not None and first.code == Code.CLOCK_AHEAD:
        return _clock_sentence(first.reason, ours_behind=False)
    count = len(rejections)
    head = (
        tr("The hub turned away 1 change from this laptop")
        if count == 1
        else tr("The hub turned away {n} changes from this laptop").format(n=count)
    )
    return f"{head}: {_sentence(first.reason if first else '')}"
