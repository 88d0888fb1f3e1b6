"""Time-based one-time codes (RFC 6238) with pyotp; a code is never accepted twice."""

from __future__ import annotations

import time

import pyotp
import segno

from workflow_app.models.user import User

ISSUER = "TDKT"
STEP = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG markup (made locally; no network)."""
    return segno.make(uri, error="m").svg_inline(scale=4)


def matching_counter(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code equals `code` (allowing one step of clock drift), or None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // STEP)
    for counter in (current, current - 1, current + 1):
        if totp.at(counter * STEP) == code:
            return counter
    return None


def accept_code(user: User, code: str, secret: str | None = None) -> bool:
    """Check a code for `user` and burn its time step so that it cannot be reused."""
    secret = secret or user.totp_secret
    if not secret:
        return False
    counter = matching_counter(secret, code)
    if counter is None or counter <= user.totp_last_counter:
        return False
    user.totp_last_counter = counter
    return True


def was_used(user: User, code: str) -> bool:
    """True when `code` is a valid code for `user` whose time step was already burnt
    (typically the code just used to sign in); such a code is refused, but it proves
    nothing wrong about the person typing it."""
    if not user.totp_secret:
        return False
    counter = matching_counter(user.totp_secret, code)
    return counter is not None and counter <= user.totp_last_counter
