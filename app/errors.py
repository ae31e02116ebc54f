"""The core's exception tree: each says, in words a person can act on, what went wrong."""

from __future__ import annotations


class MootError(Exception):
    """Base of every error the core raises on purpose."""


class NotFound(MootError):
    """An id names nothing in this profile."""


class InvalidInput(MootError):
    """A value a person typed or a script passed is not acceptable (empty title, ...)."""


class NotAllowed(MootError):
    """This device's role in the group does not permit the change."""


class InvalidOp(MootError):
    """An op is malformed, badly signed, or does not fit its author's chain."""


class BundleError(MootError):
    """A file is not a Moot bundle, or it is truncated or tampered with."""


class ClockError(MootError):
    """Stamps are too far ahead of this computer's clock to be trusted."""


class Cancelled(MootError):
    """Long work was stopped on request; what was committed before stays, nothing is half done."""
