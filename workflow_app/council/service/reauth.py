"""Re-authentication before a ballot is cast: the password, and the TOTP code when the
member has two-factor sign-in enabled (a code is never accepted twice).

Failures count towards the sign-in throttle (same table, same limits), so a borrowed
session cannot be used to guess the password through the ballot page. The caller commits
the failure record before showing the error. A right password with a TOTP code that was
already used (e.g. the one typed at sign-in, same 30-second window) is refused with its own
message and is not counted as a failed attempt.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.accounts.service import passwords, throttle, totp
from workflow_app.audit.chain import record
from workflow_app.models.user import User


def check(session: Session, user: User, password: str, code: str | None,
          ip: str) -> str | None:
    """None when the member proved who they are; else the message to show."""
    blocked = throttle.minutes_blocked(session, user.username, ip)
    if blocked is not None:
        return _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=blocked)
    ok = passwords.verify_password(user.password_hash, password or "")
    if ok and user.totp_enabled and not totp.accept_code(user, code or ""):
        if totp.was_used(user, code or ""):
            record(session, "auth.reauth_code_reused", "user", user.id, actor=user,
                   data={"ip": ip, "purpose": "ballot"})
            return _("This code was already used. Wait for the next code from your "
                     "authenticator app and try again. Your ballot was not cast.")
        ok = False
    if not ok:
        throttle.record_attempt(session, user.username, ip, succeeded=False)
        record(session, "auth.reauth_failed", "user", user.id, actor=user,
               data={"ip": ip, "purpose": "ballot"})
        return _("The password or the code is not correct. Your ballot was not cast.")
    return None
