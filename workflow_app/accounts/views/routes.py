"""Sign-in, two-factor, sign-out and the user's own account page."""

from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from workflow_app.accounts.service import signin as service
from workflow_app.accounts.service import totp
from workflow_app.accounts.views.forms import (
    ChangePasswordForm,
    CodeForm,
    LoginForm,
    TotpDisableForm,
)
from workflow_app.extensions import db
from workflow_app.models.user import User
from workflow_app.security import public

bp = Blueprint("auth", __name__)

PENDING_SECONDS = 300


def _ip() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.dashboard")


def _finish_login(user: User, next_url: str | None):
    locale = session.get("locale")
    token = service.complete_login(db.session, user, _ip(),
                                   request.user_agent.string or "")
    db.session.commit()
    session.clear()  # a new session at login: nothing from before survives
    session.permanent = True
    if locale:
        session["locale"] = locale
    user.session_token = token
    login_user(user)
    return redirect(_safe_next(next_url))


def _pending_user() -> User | None:
    user_id = session.get("pending_user_id")
    started = session.get("pending_at", 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def _throttled(minutes: int):
    return _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=minutes)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        outcome = service.check_password(db.session, form.username.data, form.password.data, _ip())
        db.session.commit()
        next_url = request.args.get("next")
        if outcome.blocked_minutes is not None:
            form.form_errors.append(_throttled(outcome.blocked_minutes))
            status = 429
        elif outcome.disabled:
            form.form_errors.append(_("This account is disabled. Contact your administrator."))
            status = 403
        elif not outcome.ok:
            form.form_errors.append(_("Wrong username or password."))
            status = 401
        elif service.needs_second_factor(outcome.user):
            locale = session.get("locale")
            session.clear()
            if locale:
                session["locale"] = locale
            session.update(pending_user_id=outcome.user.id, pending_at=time.time(),
                           pending_next=next_url)
            if outcome.user.totp_enabled:
                return redirect(url_for("auth.login_code"))
            return redirect(url_for("auth.totp_setup"))
        else:
            return _finish_login(outcome.user, next_url)
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
@public
def login_code():
    user = _pending_user()
    if user is None or not user.totp_enabled:
        flash(_("Your sign-in took too long. Please start again."), "warning")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        outcome = service.check_code(db.session, user, form.code.data, _ip())
        db.session.commit()
        if outcome.ok:
            return _finish_login(user, session.get("pending_next"))
        if outcome.blocked_minutes is not None:
            form.form_errors.append(_throttled(outcome.blocked_minutes))
            status = 429
        else:
            form.code.errors.append(_("That code is not valid, or was already used."))
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login_code.html", form=form), status


@bp.route("/login/totp-setup", methods=["GET", "POST"])
@public
def totp_setup():
    user = _pending_user()
    if user is None or user.totp_enabled:
        flash(_("Your sign-in took too long. Please start again."), "warning")
        return redirect(url_for("auth.login"))
    secret = session.get("pending_secret") or totp.new_secret()
    session["pending_secret"] = secret
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        outcome = service.check_code(db.session, user, form.code.data, _ip(), secret=secret)
        if outcome.ok:
            service.enrol_totp(db.session, user, secret)
            db.session.commit()
            return _finish_login(user, session.get("pending_next"))
        db.session.commit()
        if outcome.blocked_minutes is not None:
            form.form_errors.append(_throttled(outcome.blocked_minutes))
            status = 429
        else:
            form.code.errors.append(_("That code is not valid. Check your phone's clock."))
            status = 401
    elif request.method == "POST":
        status = 400
    uri = totp.provisioning_uri(secret, user.username)
    return render_template(
        "accounts/totp_setup.html", form=form, secret=secret, qr=totp.qr_svg(uri)
    ), status


@bp.route("/logout", methods=["POST"])
def logout():
    locale = current_user.locale
    service.logout(db.session, current_user)
    db.session.commit()
    logout_user()
    session.clear()
    session["locale"] = locale  # the sign-in page stays in the user's language
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if service.change_password(
            db.session, user, form.current_password.data, form.new_password.data
        ):
            # Every session ended, this one too; open a fresh one for this browser only.
            return _finish_login(user, url_for("auth.account"))
        form.current_password.errors.append(_("The current password is wrong."))
        status = 400
    elif request.method == "POST":
        status = 400
    return _account_page(form), status


def _account_page(form: ChangePasswordForm | None = None, *, token_form=None,
                  new_token: str | None = None):
    from workflow_app.accounts.views.token_forms import CreateTokenForm, RevokeTokenForm
    from workflow_app.api import tokens

    user = current_user._get_current_object()
    return render_template(
        "accounts/account.html", form=form or ChangePasswordForm(formdata=None),
        totp_form=TotpDisableForm(), totp_required=service.totp_required(user),
        token_form=token_form or CreateTokenForm(formdata=None),
        revoke_form=RevokeTokenForm(), api_tokens=tokens.tokens_of(db.session, user),
        new_token=new_token, token_max_days=tokens.max_days())


@bp.route("/account/tokens", methods=["POST"])
def account_token_create():
    """Create a personal access token; the page shows it this once (never stored, never
    flashed into the cookie)."""
    from workflow_app.accounts.views.token_forms import CreateTokenForm
    from workflow_app.api import tokens

    form = CreateTokenForm().with_max_days(tokens.max_days())
    if not form.validate_on_submit():
        return _account_page(token_form=form), 400
    _row, plaintext = tokens.create_token(db.session, current_user._get_current_object(),
                                          form.name.data, form.scope.data, form.days.data)
    db.session.commit()
    return _account_page(new_token=plaintext), 201


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
def account_token_revoke(token_id: int):
    from workflow_app.accounts.views.token_forms import RevokeTokenForm
    from workflow_app.api import tokens

    if not RevokeTokenForm().validate_on_submit():
        return _account_page(), 400
    if not tokens.revoke_token(db.session, current_user._get_current_object(), token_id):
        return _account_page(), 404
    db.session.commit()
    flash(_("The token is revoked; it no longer works."), "success")
    return redirect(url_for("auth.account"), 303)


@bp.route("/account/totp", methods=["GET", "POST"])
def account_totp_enable():
    """Turn two-factor sign-in on for a role that does not require it."""
    user = current_user._get_current_object()
    if user.totp_enabled:
        return redirect(url_for("auth.account"))
    secret = session.get("enrol_secret") or totp.new_secret()
    session["enrol_secret"] = secret
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        if totp.accept_code(user, form.code.data, secret):
            service.enrol_totp(db.session, user, secret)
            db.session.commit()
            session.pop("enrol_secret", None)
            flash(_("Two-factor sign-in is on."), "success")
            return redirect(url_for("auth.account"))
        form.code.errors.append(_("That code is not valid. Check your phone's clock."))
        status = 400
    elif request.method == "POST":
        status = 400
    uri = totp.provisioning_uri(secret, user.username)
    return render_template("accounts/account_totp.html", form=form, secret=secret,
                           qr=totp.qr_svg(uri)), status


@bp.route("/account/totp/off", methods=["POST"])
def account_totp_disable():
    form = TotpDisableForm()
    if not form.validate_on_submit():
        flash(_("Enter your password and a current code to turn two-factor sign-in off."),
              "error")
        return redirect(url_for("auth.account")), 303
    problem = service.disable_totp(db.session, current_user._get_current_object(),
                                   form.password.data, form.code.data)
    db.session.commit()  # also keeps the burnt code step
    flash(problem or _("Two-factor sign-in is off."), "error" if problem else "success")
    return redirect(url_for("auth.account"))
