"""What a laptop signs to prove to a hub that it holds its device key.

Each message names the hub it is meant for twice: by the hub's device key, as
``GET /v1/hub`` gives it, and by the address the laptop dialled. It also carries the
laptop's clock, so a proof is good for a few minutes only, and the hub takes each
proof once. A proof kept from a log or captured on its way, or sent on to a hub other
than the one named, opens nothing. A hub that claims
another hub's key, to pass a laptop's fresh proof on to it, is caught by the address:
a hub told its public address (``moot-hub serve --public-url``) takes only proofs
made for that address.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PROOF_WINDOW_MS = 10 * 60_000  # how far a proof's stamp may be from the hub's clock
_DEFAULT_PORTS = {"http": 80, "https": 443}


def hub_address(url: str) -> str:
    """A hub's address in one spelling: ``HTTPS://Hub.Example:443/`` is ``https://hub.example``.

    The same spelling is what a laptop dials and what it signs, so nothing in the
    address may be read one way here and another by the HTTP library: a user name,
    a backslash, a query or a fragment make it no hub address. Raises ValueError for
    anything that is not one.
    """
    url = url.strip()
    odd = any(c.isspace() or not c.isprintable() or c in "\\@?#" for c in url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if odd or scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"{url!r} is not a hub address (http://… or https://…)")
    if parts.netloc.startswith("["):
        host = f"[{parts.hostname}]"  # an IPv6 address keeps its brackets
    else:
        try:  # an international name is dialled in its ASCII form
            host = parts.hostname.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise ValueError(f"{url!r} has a host name that cannot be used") from None
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{url!r} has a port that cannot be used") from None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def join_message(hub: str, address: str, code: str, stamp_ms: int) -> str:
    """Signed when joining a group with an invitation code."""
    return _message("moot-join", hub, address, code, stamp_ms)


def register_message(hub: str, address: str, group_id: str, code: str, stamp_ms: int) -> str:
    """Signed when connecting a group started offline with a registration code."""
    return _message("moot-register", hub, address, group_id, code, stamp_ms)


def enrol_message(hub: str, address: str, group_id: str, stamp_ms: int) -> str:
    """Signed by a laptop admitted offline, asking the hub for a token."""
    return _message("moot-enrol", hub, address, group_id, stamp_ms)


def _message(*parts: str | int) -> str:
    # A JSON list, so no code or address can shift a field into its neighbour.
    return json.dumps(parts, separators=(",", ":"))


def sign(key: Ed25519PrivateKey, message: str) -> str:
    return key.sign(message.encode()).hex()
