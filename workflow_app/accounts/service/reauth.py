"""Re-authentication before a signing act: casting a ballot, signing minutes, issuing a
decision, a revoking decision or a submission letter, recording an eligibility override or a
quota exception, recording a digitally signed PDF (uploaded or signed on the server). The
password is asked again, and the TOTP code when the user has two-factor sign-in enabled (a
code is never accepted twice).

Failures count towards the sign-in throttle (same table, same limits), so a borrowed
session or a stolen API token cannot be used to guess the password through a signing page.
The caller commits the failure record before showing the error, and does nothing else. A
right password with a TOTP code that was already used (e.g. the one typed at sign-in, same
30-second window) is refused with its own message and is not counted as a failed attempt.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workflow_app.accounts.service import passwords, throttle, totp
from workflow_app.audit.chain import record
from workflow_app.models.user import User

# What did not happen when the check fails, by purpose (also recorded in the audit event).
OUTCOMES = {
    "ballot": _l("Your ballot was not cast."),
    "minutes": _l("The minutes were not signed."),
    "decision": _l("The decision was not issued."),
    "revocation": _l("The revoking decision was not issued."),
    "submission": _l("The submission letter was not issued."),
    "override": _l("The override was not recorded."),
    "quota_exception": _l("The quota exception was not recorded."),
    "signed_pdf": _l("The signed PDF was not recorded."),
}


def outcome(purpose: str) -> str:
    return str(OUTCOMES[purpose])


def missing_password(purpose: str) -> str:
    """The message when the password field was left empty."""
    return " ".join((_("Enter your password again to confirm."), outcome(purpose)))


def check(session: Session, user: User, password: str | None, code: str | None, ip: str,
          purpose: str = "ballot") -> str | None:
    """None when the user proved who they are; else the message to show."""
    if purpose not in OUTCOMES:
        raise ValueError(f"unknown re-authentication purpose {purpose!r}")
    blocked = throttle.minutes_blocked(session, user.username, ip)
    if blocked is not None:
        return " ".join((_("Too many failed attempts. Try again in %(minutes)d minutes.",
                           minutes=blocked), outcome(purpose)))
    ok = passwords.verify_password(user.password_hash, password or "")
    if ok and user.totp_enabled and not totp.accept_code(user, code or ""):
        if totp.was_used(user, code or ""):
            record(session, "auth.reauth_code_reused", "user", user.id, actor=user,
                   data={"ip": ip, "purpose": purpose})
            return " ".join((_("This code was already used. Wait for the next code from "
                               "your authenticator app and try again."), outcome(purpose)))
        ok = False
    if not ok:
        throttle.record_attempt(session, user.username, ip, succeeded=False)
        record(session, "auth.reauth_failed", "user", user.id, actor=user,
               data={"ip": ip, "purpose": purpose})
        return " ".join((_("The password or the code is not correct."), outcome(purpose)))
    return None
