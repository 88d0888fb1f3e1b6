"""Movement pages: the list, a new plan, a plan's page (areas, participants, who registered,
its actions through the engine), editing a draft, the registration window.

Every signed-in user reads movements (plans are not personal data); the organiser (reviewer
over the organising unit) writes them. Each POST validates its form, calls one service,
commits once and redirects; a refusal shows the form again (422) or flashes the reason,
nothing written.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from workflow_app.attachments.storage import ATTACHMENTS
from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.dossiers.service.fields import DossierInvalid
from workflow_app.downloads import send_stored
from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.i18n import current_locale
from workflow_app.models.movement import Movement
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.movements.service import (
    files,
    inspections,
    queries,
    registration,
    year_end,
)
from workflow_app.movements.service import movements as service
from workflow_app.movements.service.movements import MovementError, PlanFields
from workflow_app.movements.service.registration import RegistrationError
from workflow_app.movements.views.forms import (
    ActionForm,
    InspectionForm,
    LaunchForm,
    NominationsForm,
    PlanForm,
    RegistrationFileForm,
    RegistrationForm,
    WindowForm,
)
from workflow_app.movements.views.pages import bp, registration_choices, unit_choices, viewer
from workflow_app.scoring.service.queries import tables_of_cluster, tables_of_movement
from workflow_app.workflow import WorkflowError, available_actions, definition_of


def _units(only_organised: bool = False) -> list[OrgUnit]:
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.is_active.is_(True))
                               .order_by(OrgUnit.path)).all()
    if only_organised:
        units = [u for u in units if service.may_create(viewer(), u)]
    return units


def _plan_form(movement: Movement | None = None) -> PlanForm:
    form = PlanForm(request.form if request.method == "POST" else None, obj=movement)
    locale = current_locale()
    organised = _units(only_organised=True)
    if movement is not None and movement.unit not in organised:
        organised.insert(0, movement.unit)
    form.unit_id.choices = choices((u.id, u.display_name(locale)) for u in organised)
    others = db.session.scalars(select(Movement).order_by(Movement.year.desc())).all()
    form.parent_id.choices = choices([(0, "—")] + [
        (m.id, f"{m.title} ({m.year})") for m in others if movement is None or m.id != movement.id])
    clusters = db.session.scalars(select(Cluster).order_by(Cluster.name)).all()
    form.cluster_id.choices = choices([(0, "—")] + [(c.id, c.name) for c in clusters])
    form.participant_ids.choices = choices((u.id, u.display_name(locale)) for u in _units())
    if request.method != "POST":
        today = today_local()
        form.year.data = form.year.data or today.year
        if movement is not None:
            form.participant_ids.data = [p.unit_id for p in movement.participants]
            form.areas.data = "\n".join(a.title for a in movement.areas)
            form.parent_id.data = movement.parent_id or 0
            form.cluster_id.data = movement.cluster_id or 0
            form.version.data = str(movement.version)
    return form


def _fields(form: PlanForm) -> PlanFields:
    return PlanFields(
        title=form.title.data, theme=form.theme.data or "", kind=form.kind.data,
        scope=form.scope.data, year=form.year.data, period_start=form.period_start.data,
        period_end=form.period_end.data, parent_id=form.parent_id.data or None,
        cluster_id=form.cluster_id.data or None,
        registration_deadline=form.registration_deadline.data,
        participant_ids=list(form.participant_ids.data or []),
        areas=[line.strip() for line in (form.areas.data or "").splitlines() if line.strip()])


def _refused(form, error: MovementError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


@bp.route("/")
def index():
    year = request.args.get("year", type=int)
    rows = queries.list_movements(db.session, year=year if year and 1945 <= year <= 2200
                                  else None)
    can_create = any(service.may_create(viewer(), g.unit) for g in viewer().grants)
    return render_template("movements/index.html", rows=rows, can_create=can_create,
                           locale=current_locale())


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _plan_form()
    if not form.unit_id.choices:
        abort(403)
    if form.validate_on_submit():
        unit = db.session.get(OrgUnit, form.unit_id.data)
        try:
            movement = service.create_movement(db.session, viewer(), unit, _fields(form))
            db.session.commit()
        except MovementError as error:
            db.session.rollback()
            _refused(form, error)
        else:
            flash(_("The plan is saved as a draft."), "success")
            return redirect(url_for("movements.detail", movement_id=movement.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("movements/form.html", form=form, movement=None), status


@bp.route("/<int:movement_id>")
def detail(movement_id: int):
    return _render_detail(queries.movement_or_404(db.session, movement_id))


def _registering_units(movement: Movement) -> list[OrgUnit]:
    user = viewer()
    return [p.unit for p in movement.participants if registration.may_register(user, p.unit)]


def _render_detail(movement: Movement, launch: LaunchForm | None = None, status: int = 200,
                   forms: dict | None = None):
    user, locale = viewer(), current_locale()
    version = str(movement.version)
    launch = launch or LaunchForm(data={"version": version, "document_date": today_local()})
    forms = forms or {}
    units = _registering_units(movement)
    reg_form = forms.get("registration") or RegistrationForm(prefix="reg")
    file_form = forms.get("file") or RegistrationFileForm(prefix="xlsx")
    reg_form.unit_id.choices = file_form.unit_id.choices = unit_choices(units)
    people = registration_choices(reg_form, units)
    inspection_form = forms.get("inspection") or InspectionForm(prefix="insp")
    inspection_form.unit_id.choices = unit_choices([p.unit for p in movement.participants])
    organiser = service.is_organiser(user, movement)
    registered_units = {r.unit_id for r in queries.registration_status(
        db.session, movement).registered}
    nominations_form = NominationsForm(prefix="nom")
    nominations_form.unit_id.choices = unit_choices(
        [u for u in units if u.id in registered_units])
    return render_template(
        "movements/detail.html", movement=movement, locale=locale,
        definition=definition_of(movement),
        actions=available_actions(movement, user, include_blocked=True),
        is_organiser=organiser,
        registration_open=registration.is_open(movement, today_local()) and bool(units),
        registration_form=reg_form, file_form=file_form, inspection_form=inspection_form,
        registration_people=people,
        inspections=inspections.inspections_of(db.session, movement),
        nominations_form=nominations_form,
        consolidated=organiser or user.has_role("auditor"),
        award_names=award_names(db.session, locale, today_local()),
        status=queries.registration_status(db.session, movement),
        children=queries.children_of(db.session, movement),
        history=queries.history(db.session, movement),
        score_tables=tables_of_movement(db.session, movement.id) + [
            t for t in (tables_of_cluster(db.session, movement.cluster_id)
                        if movement.cluster_id else []) if t.year == movement.year],
        launch_form=launch, action_form=ActionForm(data={"version": version}),
        window_form=WindowForm(data={
            "version": version, "registration_deadline": movement.registration_deadline,
            "registration_reopened": movement.registration_reopened,
            "registration_required": movement.registration_required}),
        today=today_local()), status


@bp.route("/<int:movement_id>/edit", methods=["GET", "POST"])
def edit(movement_id: int):
    movement = queries.movement_or_404(db.session, movement_id)
    if not service.is_organiser(viewer(), movement):
        abort(403)
    form = _plan_form(movement)
    if form.validate_on_submit():
        try:
            service.update_movement(db.session, viewer(), movement, form.version.data,
                                    _fields(form))
            db.session.commit()
        except MovementError as error:
            db.session.rollback()
            _refused(form, error)
        except WorkflowError as error:
            db.session.rollback()
            form.form_errors.append(str(error.description))
        else:
            flash(_("The plan is saved."), "success")
            return redirect(url_for("movements.detail", movement_id=movement.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("movements/form.html", form=form, movement=movement), status


@bp.route("/<int:movement_id>/actions/<trigger>", methods=["POST"])
def act(movement_id: int, trigger: str):
    movement = queries.movement_or_404(db.session, movement_id)
    if trigger == "launch":
        form = LaunchForm()
        if not form.validate_on_submit():
            return _render_detail(movement, launch=form, status=422)
        data = {"document_number": form.document_number.data.strip(),
                "document_date": form.document_date.data.isoformat(),
                "document_signer": form.document_signer.data or ""}
        upload = form.document_file.data
        if upload and upload.filename:
            try:
                data["document_sha256"], data["document_filename"] = files.store(
                    upload.read(), upload.filename)
            except WorkflowError as error:
                form.document_file.errors = [str(error.description)]
                return _render_detail(movement, launch=form, status=422)
        reason = None
    else:
        form = ActionForm(request.form)
        if not form.validate_on_submit():
            abort(400)
        data, reason = {}, form.reason.data
    try:
        service.act(db.session, viewer(), movement, trigger, form.version.data, reason, **data)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error.description), "danger")
    else:
        flash(_("Done: %(state)s.", state=definition_of(movement).state(movement.state)
                .label(current_locale())), "success")
    return redirect(url_for("movements.detail", movement_id=movement_id), code=303)


@bp.route("/<int:movement_id>/registration-window", methods=["POST"])
def registration_window(movement_id: int):
    movement = queries.movement_or_404(db.session, movement_id)
    if not service.is_organiser(viewer(), movement):
        abort(403)
    form = WindowForm(request.form)
    if form.validate_on_submit():
        try:
            service.set_registration_window(
                db.session, viewer(), movement, form.version.data,
                deadline=form.registration_deadline.data,
                reopened=form.registration_reopened.data,
                required=form.registration_required.data)
            db.session.commit()
        except (MovementError, WorkflowError) as error:
            db.session.rollback()
            flash(str(getattr(error, "message", None) or error.description), "danger")
        else:
            flash(_("The registration window is saved."), "success")
    else:
        flash(_("Enter a valid date."), "danger")
    return redirect(url_for("movements.detail", movement_id=movement_id), code=303)


def _registered(movement: Movement, form, lines_of) -> object:
    """Shared by the form and the XLSX upload: register, or show the page with the reason."""
    if form.unit_id.data not in {u.id for u in _registering_units(movement)}:
        abort(403)
    unit = db.session.get(OrgUnit, form.unit_id.data)
    try:
        registration.register(db.session, viewer(), movement, unit,
                              commitments=form.commitments.data or "",
                              lines=lines_of(unit), today=today_local())
        db.session.commit()
    except (RegistrationError, WorkflowError) as error:
        db.session.rollback()
        form.form_errors.append(str(getattr(error, "message", None) or error.description))
        return None
    flash(_("The registration of %(unit)s is saved.", unit=unit.name), "success")
    return redirect(url_for("movements.detail", movement_id=movement.id), code=303)


@bp.route("/<int:movement_id>/registration", methods=["POST"])
def register(movement_id: int):
    movement = queries.movement_or_404(db.session, movement_id)
    form = RegistrationForm(request.form, prefix="reg")
    units = _registering_units(movement)
    form.unit_id.choices = unit_choices(units)
    registration_choices(form, units)
    if "more" in request.form:  # more blank rows; nothing saved yet
        form.add_rows()
        return _render_detail(movement, forms={"registration": form})
    if form.validate_on_submit():
        done = _registered(movement, form, lambda unit: registration.lines_from_rows(
            db.session, unit, form.filled_rows()))
        if done is not None:
            return done
    return _render_detail(movement, status=422, forms={"registration": form})


@bp.route("/<int:movement_id>/registration/xlsx", methods=["POST"])
def register_file(movement_id: int):
    movement = queries.movement_or_404(db.session, movement_id)
    form = RegistrationFileForm(prefix="xlsx")
    form.unit_id.choices = unit_choices(_registering_units(movement))
    if form.validate_on_submit():
        data = form.file.data.read(5 * 1024 * 1024 + 1)
        if len(data) > 5 * 1024 * 1024:
            form.form_errors.append(_("The file is larger than 5 MB."))
        else:
            done = _registered(movement, form, lambda unit: registration.lines_from_xlsx(
                db.session, unit, data))
            if done is not None:
                return done
    return _render_detail(movement, status=422, forms={"file": form})


@bp.route("/<int:movement_id>/inspections", methods=["POST"])
def inspect(movement_id: int):
    movement = queries.movement_or_404(db.session, movement_id)
    if not service.is_organiser(viewer(), movement):
        abort(403)
    form = InspectionForm(request.form, prefix="insp")
    form.unit_id.choices = unit_choices([p.unit for p in movement.participants])
    if form.validate_on_submit():
        try:
            inspections.record_inspection(
                db.session, viewer(), movement, db.session.get(OrgUnit, form.unit_id.data),
                held_on=form.held_on.data, findings=form.findings.data, today=today_local())
            db.session.commit()
        except (MovementError, WorkflowError) as error:
            db.session.rollback()
            form.form_errors.append(str(getattr(error, "message", None) or error.description))
        else:
            flash(_("The inspection is recorded."), "success")
            return redirect(url_for("movements.detail", movement_id=movement_id), code=303)
    return _render_detail(movement, status=422, forms={"inspection": form})


from workflow_app.movements.views import (  # noqa: E402, F401 - register their pages
    routes_pacts,
    routes_review,
)


@bp.route("/<int:movement_id>/nominations", methods=["POST"])
def nominations(movement_id: int):
    """The unit's registration becomes its draft nominations, one batch per title."""
    movement = queries.movement_or_404(db.session, movement_id)
    form = NominationsForm(request.form, prefix="nom")
    form.unit_id.choices = unit_choices(_registering_units(movement))
    if not form.validate_on_submit():
        abort(403)
    unit = db.session.get(OrgUnit, form.unit_id.data)
    try:
        batches = year_end.nominations_from_registration(db.session, viewer(), movement, unit,
                                                         today=today_local())
        db.session.commit()
    except (MovementError, DossierInvalid, WorkflowError) as error:
        db.session.rollback()
        flash(str(getattr(error, "message", None) or error.description), "danger")
        return redirect(url_for("movements.detail", movement_id=movement_id), code=303)
    flash(_("%(count)d batches of draft nominations are open: complete and submit them.",
            count=len(batches)), "success")
    return redirect(url_for("dossiers.batches"), code=303)


@bp.route("/<int:movement_id>/document")
def document(movement_id: int, inline: bool = False):
    """The launching document's file."""
    movement = queries.movement_or_404(db.session, movement_id)
    if not movement.document_sha256:
        abort(404)
    name = movement.document_filename or "van-ban.pdf"
    return send_stored(ATTACHMENTS, movement.document_sha256, name, files.mimetype_of(name),
                       inline=inline)


@bp.route("/<int:movement_id>/document/view")
def document_view(movement_id: int):
    """The launching document shown in the page ("Xem") when it is a PDF or an image, to
    the same readers as its download; any other type is downloaded."""
    return document(movement_id, inline=True)
