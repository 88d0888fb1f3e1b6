"""Council management pages: the list of councils, a new council, and one council's seats
(add a member with a role and a term, end a term, change a role) and quorum rule.

Who: admins over the council's unit manage; the council's secretary, chair and auditors over
its unit read. A council is set up by its head's decision; the admin records it and may cite
the decision (`basis`), kept in each change's audit event. The secretary, who runs the votes,
cannot change who votes (separation of duties). Every change goes through
`council/service/councils.py` (audited); a broken rule comes back as a form error (422).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.council.service import access, councils
from workflow_app.council.service.errors import CouncilError
from workflow_app.council.service.labels import MEMBER_ROLES as MEMBER_ROLE_LABELS
from workflow_app.council.views.blueprint import bp
from workflow_app.council.views.forms_manage import (
    CouncilForm,
    EndTermForm,
    RoleForm,
    RulesForm,
    SeatForm,
)
from workflow_app.extensions import db
from workflow_app.formkit import choices, unit_choices
from workflow_app.models.base import utcnow
from workflow_app.models.council import Council, CouncilMember
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.workdays import local_date


def _visible_council(council_id: int) -> Council:
    council = db.session.get(Council, council_id)
    if council is None or not access.may_read_council(current_user, council):
        abort(404)
    return council


def _managed_member(member_id: int) -> CouncilMember:
    member = db.session.get(CouncilMember, member_id)
    if member is None or not access.may_read_council(current_user, member.council):
        abort(404)
    if not access.may_manage_council(current_user, member.council):
        abort(403)
    return member


def _apply(form, work, done: str):
    """Validate, call the service, commit once; else (None, status) with the form errors."""
    if not form.validate_on_submit():
        return None, 422
    try:
        work()
    except CouncilError as error:
        db.session.rollback()
        form.form_errors.append(str(error.description))
        return None, error.code
    db.session.commit()
    flash(done, "success")
    return True, 302


@bp.route("/councils")
def councils_list():
    rows = [c for c in db.session.scalars(select(Council).order_by(Council.name))
            if access.may_read_council(current_user, c)]
    if not rows and not current_user.has_role("admin"):
        abort(403)
    return render_template("council/councils.html", councils=rows,
                           can_create=current_user.has_role("admin"))


@bp.route("/councils/new", methods=["GET", "POST"])
def council_new():
    if not current_user.has_role("admin"):
        abort(403)
    form = CouncilForm()
    managed = {u.id for u in db.session.scalars(select(OrgUnit))
               if current_user.can_see_unit(u, "admin")}
    form.unit_id.choices = [c for c in unit_choices() if c.value in managed]
    status = 200
    if form.is_submitted():
        unit = db.session.get(OrgUnit, form.unit_id.data or 0)
        created: list[Council] = []
        done, status = _apply(form, lambda: created.append(councils.create_council(
            db.session, code=form.code.data or "", name=form.name.data or "", unit=unit,
            quorum_comparator=form.quorum_comparator.data,
            quorum_ratio=form.quorum_ratio.data or "",
            recuse_nominee_unit=form.recuse_nominee_unit.data, actor=current_user,
            basis=form.basis.data)), _("The council is created."))
        if done:
            return redirect(url_for("council.council_detail", council_id=created[0].id))
    return render_template("council/council_new.html", form=form), status


def _user_choices(council: Council) -> list:
    return choices((u.id, f"{u.display_name} — {u.person.unit.name} ({u.username})")
                   for u in councils.seatable_users(db.session, council))


def _render_detail(council: Council, *, seat=None, rules=None, status: int = 200,
                   errors: list[str] | None = None):
    manage = access.may_manage_council(current_user, council)
    seat = seat or SeatForm(prefix="seat", formdata=None)
    seat.user_id.choices = _user_choices(council)
    if rules is None:
        rules = RulesForm(prefix="rules", formdata=None,
                          quorum_comparator=council.quorum_comparator,
                          quorum_ratio=council.quorum_ratio,
                          recuse_nominee_unit=council.recuse_nominee_unit)
    return render_template(
        "council/council_detail.html", council=council, manage=manage, seat_form=seat,
        rules_form=rules, end_form=EndTermForm(prefix="end", formdata=None),
        role_form=RoleForm(prefix="role", formdata=None),
        missing_grant=councils.missing_grant, errors=errors or [], today=local_date(utcnow()),
        member_roles=[(code, str(label)) for code, label in MEMBER_ROLE_LABELS.items()]), status


@bp.route("/councils/<int:council_id>")
def council_detail(council_id: int):
    return _render_detail(_visible_council(council_id))


@bp.route("/councils/<int:council_id>/members", methods=["POST"])
def council_add_member(council_id: int):
    council = _visible_council(council_id)
    if not access.may_manage_council(current_user, council):
        abort(403)
    form = SeatForm(prefix="seat")
    form.user_id.choices = _user_choices(council)
    voting = {"yes": True, "no": False}.get(form.voting.data)
    done, status = _apply(form, lambda: councils.add_member(
        db.session, council, db.session.get(User, form.user_id.data), form.role.data,
        term_from=form.term_from.data, term_to=form.term_to.data, voting=voting,
        actor=current_user, basis=form.basis.data), _("The member is seated."))
    if done:
        return redirect(url_for("council.council_detail", council_id=council.id))
    return _render_detail(council, seat=form, status=status)


@bp.route("/councils/<int:council_id>/rules", methods=["POST"])
def council_rules(council_id: int):
    council = _visible_council(council_id)
    if not access.may_manage_council(current_user, council):
        abort(403)
    form = RulesForm(prefix="rules")
    done, status = _apply(form, lambda: councils.set_rules(
        db.session, council, quorum_comparator=form.quorum_comparator.data,
        quorum_ratio=form.quorum_ratio.data or "",
        recuse_nominee_unit=form.recuse_nominee_unit.data, actor=current_user,
        basis=form.basis.data), _("The council's rules are saved."))
    if done:
        return redirect(url_for("council.council_detail", council_id=council.id))
    return _render_detail(council, rules=form, status=status)


@bp.route("/members/<int:member_id>/end", methods=["POST"])
def member_end_term(member_id: int):
    member = _managed_member(member_id)
    form = EndTermForm(prefix="end")
    done, status = _apply(form, lambda: councils.end_term(
        db.session, member, form.last_day.data, actor=current_user, basis=form.basis.data),
        _("The term is ended."))
    if done:
        return redirect(url_for("council.council_detail", council_id=member.council_id))
    return _render_detail(member.council, status=status,
                          errors=_errors(form, _("Give the last day of the term.")))


@bp.route("/members/<int:member_id>/role", methods=["POST"])
def member_change_role(member_id: int):
    member = _managed_member(member_id)
    form = RoleForm(prefix="role")
    done, status = _apply(form, lambda: councils.change_role(
        db.session, member, form.role.data, actor=current_user, basis=form.basis.data),
        _("The role is changed."))
    if done:
        return redirect(url_for("council.council_detail", council_id=member.council_id))
    return _render_detail(member.council, status=status,
                          errors=_errors(form, _("Choose the new role.")))


def _errors(form, fallback: str) -> list[str]:
    """A row's form errors (shown at the top of the page: the row forms are many)."""
    found = list(form.form_errors) + [e for errors in form.errors.values() for e in errors
                                      if isinstance(e, str)]
    return found or [fallback]
