"""What can go wrong when syncing, in words a person can act on.

``requests`` exceptions never leave ``sync.client``: they are translated there into the
most specific of these, whose ``code`` is the one the hub sent (``app.codes``).
"""

from __future__ import annotations

from app.codes import Code
from app.errors import Cancelled as Cancelled  # long work of every kind stops with it
from app.errors import MootError


class SyncError(MootError):
    """Base of every sync failure; nothing local was lost or half-applied."""

    default_code = Code.HUB_FAILED


class HubUnreachable(SyncError):
    """No connection to the hub (offline, wrong address, hub down)."""

    default_code = Code.HUB_UNREACHABLE


class HubTimeout(SyncError):
    """The hub did not answer in time."""

    default_code = Code.TIMEOUT


class AuthRefused(SyncError):
    """The hub does not accept this laptop's token (never joined, or revoked)."""

    default_code = Code.BAD_TOKEN


class NotPermitted(SyncError):
    """The hub knows this laptop but it may not do this (removed, another group)."""

    default_code = Code.NOT_MEMBER


class ProtocolMismatch(SyncError):
    """This laptop's Moot and the hub speak different protocol versions."""

    default_code = Code.PROTOCOL_MISMATCH


class Refused(SyncError):
    """The hub refused the request as given (a wrong code, a malformed change, ...)."""

    default_code = Code.MALFORMED


class HubFailed(SyncError):
    """The hub answered with an error of its own, or an answer that makes no sense."""

    default_code = Code.HUB_FAILED


class NotLinked(SyncError):
    """The group is not connected to a hub on this laptop."""

    default_code = Code.NOT_LINKED
