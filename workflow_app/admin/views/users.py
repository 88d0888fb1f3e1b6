"""Admin views: accounts and their roles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.accounts.service import users as service
from workflow_app.admin.views.blueprint import bp
from workflow_app.admin.views.choices import person_choices, role_choices
from workflow_app.admin.views.formflow import submit
from workflow_app.admin.views.forms import ActionForm, GrantForm, UserCreateForm
from workflow_app.extensions import db
from workflow_app.formkit import unit_choices
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import RoleGrant, User


def _grant_form() -> GrantForm:
    form = GrantForm()
    form.role.choices = role_choices()
    form.unit_id.choices = unit_choices(open_only=True)
    return form


@bp.route("/")
def index():
    """The administration's start page is its list of accounts (the menu's first entry)."""
    return redirect(url_for("admin.users"))


@bp.route("/users")
def users():
    rows = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows, action_form=ActionForm())


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserCreateForm()
    form.person_id.choices = person_choices(_("— no person —"))

    def create():
        person = db.session.get(Person, form.person_id.data) if form.person_id.data else None
        return service.create_user(db.session, form.username.data, form.password.data,
                                   email=form.email.data or "", person=person,
                                   actor=current_user)

    response, status = submit(form, create, service.UserError,
                              _("Account created. Now grant its roles."),
                              lambda user: url_for("admin.user_detail", user_id=user.id))
    if response:
        return response
    return render_template("admin/user_new.html", form=form), status


@bp.route("/users/<int:user_id>")
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    return render_template("admin/user_detail.html", user=user, grant_form=_grant_form(),
                           action_form=ActionForm())


@bp.route("/users/<int:user_id>/grants", methods=["POST"])
def user_grant(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _grant_form()
    if not form.validate_on_submit():
        return render_template("admin/user_detail.html", user=user, grant_form=form,
                               action_form=ActionForm()), 400
    unit = db.session.get(OrgUnit, form.unit_id.data)
    service.grant_role(db.session, user, form.role.data, unit, actor=current_user)
    db.session.commit()
    flash(_("Role granted."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/grants/<int:grant_id>/revoke", methods=["POST"])
def user_revoke(user_id: int, grant_id: int):
    user = db.get_or_404(User, user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id or not ActionForm().validate_on_submit():
        abort(404 if grant is None or grant.user_id != user.id else 400)
    try:
        service.revoke_role(db.session, grant, actor=current_user)
    except service.UserError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Role removed."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_set_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit() or request.form.get("active") not in ("0", "1"):
        abort(400)
    try:
        service.set_active(db.session, user, request.form["active"] == "1", actor=current_user)
    except service.UserError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Account enabled.") if user.is_active else
              _("Account disabled; its sessions have ended."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-totp", methods=["POST"])
def user_reset_totp(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.reset_totp(db.session, user, actor=current_user)
    db.session.commit()
    flash(_("Two-factor sign-in reset; the user enrols again at the next sign-in."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))
