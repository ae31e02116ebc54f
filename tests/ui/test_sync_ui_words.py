"""What the status bar says, for each way a group can stand with its hub."""

from __future__ import annotations

from app.codes import Code
from app.errors import ClockError
from app.hub_links import Failure
from sync.engine import Rejection
from sync.errors import (
    AuthRefused,
    Cancelled,
    HubFailed,
    HubTimeout,
    HubUnreachable,
    ProtocolMismatch,
    Refused,
    SyncError,
)
from sync.hubs import GroupStatus
from ui.sync_words import (
    connected_line,
    describe_failure,
    describe_rejections,
    hub_host,
    not_connected_line,
)

HUB = "https://hub.westshire.gov.uk"
NOW = 1_700_000_000_000


def status(pending: int, last_sync_ms: int | None) -> GroupStatus:
    return GroupStatus("g", "Ashby Parish", HUB, pending, last_sync_ms, None)


def test_a_connected_group_says_its_hub_what_waits_and_when_it_synced() -> None:
    line = connected_line(status(3, NOW - 2 * 60_000), NOW)
    assert line == "Connected to hub.westshire.gov.uk · 3 changes waiting · synced 2 min ago"
    assert connected_line(status(0, NOW - 5_000), NOW).endswith(
        "all changes sent · synced just now"
    )
    assert connected_line(status(1, None), NOW).endswith("1 change waiting · not synced yet")
    assert "synced 3 h ago" in connected_line(status(0, NOW - 3 * 3_600_000), NOW)
    assert "synced 4 days ago" in connected_line(status(0, NOW - 4 * 86_400_000), NOW)


def test_a_group_with_no_hub_says_where_to_connect_it() -> None:
    assert not_connected_line() == "Not connected to a hub — File ▸ Connect this group to a hub…"


def test_clock_refusals_say_how_far_off_and_what_to_do() -> None:
    refused = Refused(
        "The hub refused this laptop's clock: changes are stamped 3 hours ahead of this "
        "computer's clock; check the date and time on both computers.",
        code=Code.CLOCK_AHEAD,
    )
    assert describe_failure(refused, HUB) == (
        "The hub refused this laptop's clock: it is 3 hours ahead. "
        "Set the date and time, then sync again."
    )
    pulled = SyncError(
        "Changes from the hub were refused: changes are stamped 5 days ahead of this "
        "computer's clock; check the date and time on both computers.",
        code=Code.CLOCK_BEHIND,
    )
    assert describe_failure(pulled, HUB) == (
        "Changes from the hub were refused: this laptop's clock is 5 days behind the "
        "group's. Set the date and time, then sync again."
    )
    assert "Set the date and time" in describe_failure(ClockError("stamped 2 days ahead"))
    rejected = describe_rejections(
        [
            Rejection(
                "01ab",
                Code.CLOCK_AHEAD,
                "changes are stamped 2 days ahead of this computer's clock; check the date",
            )
        ]
    )
    assert rejected.startswith("The hub refused this laptop's clock: it is 2 days ahead.")


def test_each_failure_says_what_happened_and_what_to_do() -> None:
    host = hub_host(HUB)
    assert describe_failure(HubUnreachable("x"), HUB).startswith(f"Can't reach {host}:")
    assert "few minutes" in describe_failure(HubTimeout("x"), HUB)
    assert "new invitation" in describe_failure(AuthRefused("x"), HUB)
    assert "Update Moot" in describe_failure(ProtocolMismatch("x"), HUB)
    assert describe_failure(HubFailed("the hub answered 500"), HUB).endswith("Try again later.")
    assert describe_failure(Cancelled("x")).startswith("Sync stopped.")
    assert describe_failure(Refused("That code was used already")) == "That code was used already."


def test_a_failure_kept_from_an_earlier_run_is_worded_from_its_code() -> None:
    kept = Failure(Code.HUB_UNREACHABLE, "Cannot reach the hub at https://hub.westshire.gov.uk.")
    assert describe_failure(kept, HUB).startswith("Can't reach hub.westshire.gov.uk:")
    clock = Failure(Code.CLOCK_AHEAD, "changes are stamped 3 hours ahead of this computer's")
    assert describe_failure(clock, HUB).startswith("The hub refused this laptop's clock: it is 3")
    odd = Failure(Code.FAILED, "something odd")
    assert describe_failure(odd, HUB) == "The last sync failed: Something odd."
    # The words alone decide nothing: a refusal that mentions a clock is not a clock fault.
    worded = Failure(Code.REFUSED, "The hub refused this laptop's clock")
    assert describe_failure(worded, HUB).startswith("The last sync failed:")


def test_rejected_changes_are_counted() -> None:
    why = "not allowed for a member"
    line = describe_rejections([Rejection(i, Code.NOT_MEMBER, why) for i in ("a", "b")])
    assert line == "The hub turned away 2 changes from this laptop: Not allowed for a member."
