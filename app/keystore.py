"""Where a profile's secrets live: the OS keyring where there is one, else a private file.

Each secret is one line of text under a name ('device' for the signing key, 'data' for
the key that seals personal data). The file fallback is created readable by the user
alone, from the start, never widened then narrowed.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from app.codes import Code
from app.errors import MootError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "moot"


def key_path(data_dir: Path, name: str) -> Path:
    """Where the named secret lives when there is no OS keyring."""
    return data_dir / f"{name}.key"


class KeyringUnreachable(MootError):
    """The profile keeps its keys in the OS keyring, and the keyring did not answer."""

    default_code = Code.FILE_ERROR


def load_or_create(
    data_dir: Path,
    name: str,
    make: Callable[[], str],
    *,
    use_keyring: bool,
    profile_exists: bool = False,
) -> str:
    """The named secret of this profile, made with ``make`` and stored the first time.

    An existing profile whose keyring does not answer (locked, or no desktop session, as
    for a scheduled ``moot sync``) is refused rather than given new keys: they would
    sign as another device and leave everything sealed under the old key unreadable.
    """
    account = f"{name}-key-" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    secret, answered = _keyring_get(account) if use_keyring else (None, True)
    if secret is not None:
        return secret
    path = key_path(data_dir, name)
    found = _file_get(path)
    if found is not None:
        return found
    if profile_exists and not answered:
        raise KeyringUnreachable(
            f"the OS keyring, which holds this profile's keys, could not be reached "
            f"({data_dir}): unlock it or sign in to the desktop, then try again (a profile "
            f"restored without its keys starts afresh as a new device with MOOT_KEYRING=0)"
        )
    secret = make()
    if use_keyring and _keyring_set(account, secret):
        return secret
    return load_or_create_file(path, lambda: secret)


def load_or_create_file(path: Path, make: Callable[[], str]) -> str:
    """The secret in the private file at ``path``, made with ``make`` and written if absent.

    Callers that may race to make it (hub processes starting together) hold a lock
    around this: the file is written in place, created exclusively.
    """
    secret = _file_get(path)
    if secret is not None:
        return secret
    secret = make()
    _file_set(path, secret)
    return secret


def _keyring_get(account: str) -> tuple[str | None, bool]:
    """The secret the keyring holds for ``account``, and whether the keyring answered."""
    try:
        import keyring
        from keyring.backends.fail import Keyring as FailKeyring

        if isinstance(keyring.get_keyring(), FailKeyring):
            # No keyring here: none on this machine, or none in this session (cron, ssh),
            # which cannot be told apart; a profile made before is refused, not re-keyed.
            return None, False
        secret: str | None = keyring.get_password(KEYRING_SERVICE, account)
    except Exception as exc:  # a broken keyring backend must not stop the app opening
        log.info("OS keyring not usable (%s); using the key file", exc)
        return None, False
    return secret, True


def _keyring_set(account: str, secret: str) -> bool:
    try:
        import keyring
        from keyring.backends.fail import Keyring as FailKeyring

        if isinstance(keyring.get_keyring(), FailKeyring):
            return False
        keyring.set_password(KEYRING_SERVICE, account, secret)
    except Exception as exc:  # no secret service running, locked keychain, ...
        log.info("OS keyring not usable (%s); using the key file", exc)
        return False
    return True


def _file_get(path: Path) -> str | None:
    if not path.exists():
        return None
    return path.read_text().strip()


def _file_set(path: Path, secret: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret + "\n")
