"""What can go wrong when syncing, in words a person can act on.

``requests`` exceptions never leave ``sync.client``: they are translated there into the
most specific of these.
"""

from __future__ import annotations

from app.errors import Cancelled as Cancelled  # long work of every kind stops with it
from app.errors import MootError


class SyncError(MootError):
    """Base of every sync failure; nothing local was lost or half-applied."""


class HubUnreachable(SyncError):
    """No connection to the hub (offline, wrong address, hub down)."""


class HubTimeout(SyncError):
    """The hub did not answer in time."""


class AuthRefused(SyncError):
    """The hub does not accept this laptop's token (never joined, or revoked)."""


class NotPermitted(SyncError):
    """The hub knows this laptop but it may not do this (removed, another group)."""


class ProtocolMismatch(SyncError):
    """This laptop's Moot and the hub speak different protocol versions."""


class Refused(SyncError):
    """The hub refused the request as given (a wrong code, a malformed change, ...)."""


class HubFailed(SyncError):
    """The hub answered with an error of its own, or an answer that makes no sense."""


class NotLinked(SyncError):
    """The group is not connected to a hub on this laptop."""
