"""What the hub refuses, each with the HTTP status it answers and words a person can act on."""

from __future__ import annotations


class HubRefusal(Exception):
    """Base: a request the hub will not carry out; nothing was changed."""

    status = 400


class Unauthorised(HubRefusal):
    """No token, or one the hub does not know (or has revoked)."""

    status = 401


class Forbidden(HubRefusal):
    """The device is known but may not do this (another group, a removed member)."""

    status = 403


class NotFoundOnHub(HubRefusal):
    """The group (or other thing named) is not on this hub."""

    status = 404


class Gone(HubRefusal):
    """An invitation or registration code that was used up, revoked or expired."""

    status = 410


class ProofUsed(HubRefusal):
    """A device proof the hub has taken once already: the same request sent again."""

    status = 409
