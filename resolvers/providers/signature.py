"""Signed provider notifications: HMAC-SHA256 over the timestamp and the raw body."""

from __future__ import annotations

import hashlib
import hmac

TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def is_authentic(secret: str, timestamp: str, body: bytes, signature: str, now: float) -> bool:
    """True when the signature matches and the timestamp is recent (an old one is a replay)."""
    # isdigit() alone takes "²" and other scripts' digits, which int() then refuses.
    if (
        not (timestamp.isascii() and timestamp.isdigit())
        or abs(now - int(timestamp)) > TOLERANCE_SECONDS
    ):
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)
