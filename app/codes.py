"""The stable codes of everything Moot refuses or fails at, beside the words it says.

Words change (they are translated, and improved); codes do not. A script reads the
code from ``moot --json`` and ``moot-hub --json``; a laptop reads it from the hub's
answer and words the failure from it; the profile keeps it with the last sync's
failure. The README lists them all.
"""

from __future__ import annotations

import json
from enum import StrEnum


class Code(StrEnum):
    # Who may write what: the registry's one permission rule, on laptops and the hub.
    NOT_MEMBER = "not_member"  # the author is not (or no longer) a member
    NOT_CLERK = "not_clerk"  # only clerks and organisers may do this
    NOT_ORGANISER = "not_organiser"  # only organisers may do this
    NOT_OWNER = "not_owner"  # a member acts only on what is their own
    REMOVED = "removed"  # this laptop has been removed from the group
    # How a change stands against the others.
    WAIT_FOR_EARLIER = "wait_for_earlier"  # its author's earlier changes have not arrived
    REFUSED = "refused"  # a merge rule turns it away (it names what is missing, say)
    ID_TAKEN = "id_taken"  # another change has that id
    BAD_SIGNATURE = "bad_signature"  # a signature or a proof of a key does not verify
    BAD_CHAIN = "bad_chain"  # it does not fit its author's chain of changes
    MALFORMED = "malformed"  # a change or a request is not well formed
    # Clocks.
    CLOCK_AHEAD = "clock_ahead"  # stamped ahead of the hub's clock
    CLOCK_BEHIND = "clock_behind"  # changes arrived stamped ahead of this computer's clock
    CLOCK_OFF = "clock_off"  # a request's time is minutes off the hub's
    # Getting in.
    BAD_TOKEN = "bad_token"  # noqa: S105  (no hub token, or one the hub does not know)
    BAD_INVITATION = "bad_invitation"  # an invitation or registration code it does not know
    INVITATION_SPENT = "invitation_spent"  # used up, revoked or expired
    PROOF_USED = "proof_used"  # a proof of a laptop's key is good once
    WRONG_HUB = "wrong_hub"  # a request made for another hub address
    UNKNOWN_GROUP = "unknown_group"  # the group is not on this hub
    GROUP_EXISTS = "group_exists"  # a group registered on the hub already
    # The conversation with the hub.
    TOO_LARGE = "too_large"  # a request larger than the hub takes; a paper over its limit
    PROTOCOL_MISMATCH = "protocol_mismatch"  # laptop and hub speak different versions
    HUB_BUSY = "hub_busy"  # try again shortly
    RATE_LIMITED = "rate_limited"  # too many requests from one laptop or address at once
    HUB_FAILED = "hub_failed"  # the hub had a problem, or answered nonsense
    HUB_UNREACHABLE = "hub_unreachable"  # offline, a wrong address, or the hub is down
    TIMEOUT = "timeout"  # the hub did not answer in time
    NOT_LINKED = "not_linked"  # the group is not connected to a hub on this laptop
    # The core.
    NOT_FOUND = "not_found"  # an id names nothing in this profile
    INVALID_INPUT = "invalid_input"  # a value typed or passed is not acceptable
    NOT_ALLOWED = "not_allowed"  # this laptop's role does not permit the change
    BAD_BUNDLE = "bad_bundle"  # a file that is not a Moot bundle, or was tampered with
    FILE_ERROR = "file_error"  # a file or the profile could not be read or written
    DATABASE_ERROR = "database_error"  # the hub's database could not be used
    ALTERED = "altered"  # approved minutes that are not as they were approved
    CANCELLED = "cancelled"  # long work stopped on request
    FAILED = "failed"  # anything else: the words say what


def code_of(text: object, default: Code) -> Code:
    """``text`` read as a code (one sent by a newer hub may be unknown: then ``default``)."""
    try:
        return Code(str(text))
    except ValueError:
        return default


def error_json(failures: list[tuple[Code, str]]) -> str:
    """What ``moot --json`` and ``moot-hub --json`` print on stderr when refused.

    ``{"error": CODE, "message": WORDS}``; where several things failed (groups in one
    sync), the first one's code, every message, and each under ``"failures"``.
    """
    (code, words), *more = failures
    out: dict[str, object] = {"error": code, "message": words}
    if more:
        out["message"] = "\n".join(w for _c, w in failures)
        out["failures"] = [{"error": c, "message": w} for c, w in failures]
    return json.dumps(out, ensure_ascii=False)


class Refusal(str):
    """Why a change does not count, in words, carrying its ``code``.

    A string, so every rule that returns words goes on working; the hub reads the
    code off it for the laptop.
    """

    code: Code

    def __new__(cls, code: Code, words: str) -> Refusal:
        made = super().__new__(cls, words)
        made.code = code
        return made


def refusal_code(reason: str) -> Code:
    """The code of a reason a rule gave: its own, or REFUSED for words alone."""
    return reason.code if isinstance(reason, Refusal) else Code.REFUSED
