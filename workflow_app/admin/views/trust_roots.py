"""Admin views: the certificates digital signatures are validated against (issue 20 item 1)
— trust roots and intermediate CA certificates, listed with subject, validity and
fingerprint; added from a PEM or DER file and removed, each audited
(`decisions.service.trust_roots`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.admin.views.blueprint import bp
from workflow_app.admin.views.formflow import submit
from workflow_app.admin.views.forms import ActionForm, TrustCertificateForm
from workflow_app.decisions.service import trust_roots
from workflow_app.extensions import db


@bp.route("/trust-certificates", methods=["GET", "POST"])
def trust_certificates():
    form = TrustCertificateForm()
    response, status = submit(
        form,
        lambda: trust_roots.add_certificate(db.session, form.file.data.read(),
                                            current_user._get_current_object()),
        trust_roots.TrustError, _("Certificate added."),
        lambda _row: url_for("admin.trust_certificates"))
    if response:
        return response
    return render_template("admin/trust_certificates.html", form=form,
                           rows=trust_roots.listing(db.session), action_form=ActionForm(),
                           colon=trust_roots.colon_fingerprint), status


@bp.post("/trust-certificates/<int:certificate_id>/remove")
def trust_certificate_remove(certificate_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    trust_roots.remove_certificate(db.session, certificate_id, current_user._get_current_object())
    db.session.commit()
    flash(_("Certificate removed: signatures are no longer validated against it."), "success")
    return redirect(url_for("admin.trust_certificates"))
