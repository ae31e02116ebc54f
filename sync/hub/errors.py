"""What the hub refuses, each with the HTTP status it answers, a stable code
(``app.codes``) and words a person can act on.
"""

from __future__ import annotations

from typing import ClassVar

from app.codes import Code


class HubRefusal(Exception):
    """Base: a request the hub will not carry out; nothing was changed."""

    status = 400
    default_code: ClassVar[Code] = Code.MALFORMED

    def __init__(self, detail: str, *, code: Code | None = None) -> None:
        super().__init__(detail)
        self.code = code or self.default_code


class Unauthorised(HubRefusal):
    """No token, or one the hub does not know (or has revoked)."""

    status = 401
    default_code = Code.BAD_TOKEN


class Forbidden(HubRefusal):
    """The device is known but may not do this (another group, a removed member)."""

    status = 403
    default_code = Code.NOT_MEMBER


class NotFoundOnHub(HubRefusal):
    """The group (or other thing named) is not on this hub."""

    status = 404
    default_code = Code.UNKNOWN_GROUP


class Gone(HubRefusal):
    """An invitation or registration code that was used up, revoked or expired."""

    status = 410
    default_code = Code.INVITATION_SPENT


class ProofUsed(HubRefusal):
    """A device proof the hub has taken once already: the same request sent again."""

    status = 409
    default_code = Code.PROOF_USED
