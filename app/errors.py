"""The core's exception tree: each says, in words a person can act on, what went wrong,
and carries a stable ``code`` (``app.codes``) for scripts and for the window.
"""

from __future__ import annotations

from typing import ClassVar

from app.codes import Code


class MootError(Exception):
    """Base of every error the core raises on purpose."""

    default_code: ClassVar[Code] = Code.FAILED

    def __init__(self, *args: object, code: Code | None = None) -> None:
        super().__init__(*args)
        self.code = code or self.default_code


class NotFound(MootError):
    """An id names nothing in this profile."""

    default_code = Code.NOT_FOUND


class InvalidInput(MootError):
    """A value a person typed or a script passed is not acceptable (empty title, ...)."""

    default_code = Code.INVALID_INPUT


class NotAllowed(MootError):
    """This device's role in the group does not permit the change."""

    default_code = Code.NOT_ALLOWED


class InvalidOp(MootError):
    """An op is malformed, badly signed, or does not fit its author's chain."""

    default_code = Code.MALFORMED


class BundleError(MootError):
    """A file is not a Moot bundle, or it is truncated or tampered with."""

    default_code = Code.BAD_BUNDLE


class ClockError(MootError):
    """Stamps are too far ahead of this computer's clock to be trusted."""

    default_code = Code.CLOCK_BEHIND


class FileError(MootError):
    """A file could not be written or read: a missing folder, a full disk, no permission."""

    default_code = Code.FILE_ERROR


class Cancelled(MootError):
    """Long work was stopped on request; what was committed before stays, nothing is half done."""

    default_code = Code.CANCELLED
