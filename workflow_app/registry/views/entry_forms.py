"""The "enter by hand" forms of a person's or a unit's registry page, for those who may use
them (reviewers and admins whose grant covers the recipient's unit)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.catalogue.service.queries import today_local, versions_in_force
from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.i18n import current_locale
from workflow_app.registry.service.entries import Recipient, may_enter
from workflow_app.registry.views.forms import AwardEntryForm, InitiativeForm, RatingForm

FORMS = {"award": AwardEntryForm, "rating": RatingForm, "initiative": InitiativeForm}


def award_choices(recipient: Recipient) -> list:
    """The awards in force today that fit the recipient (a person or a collective)."""
    subject = "individual" if recipient.person is not None else "collective"
    locale = current_locale()
    rows = [(version.award.code, version.name(locale))
            for versions in versions_in_force(db.session, today_local()).values()
            for version in versions if version.subject in (subject, "both")]
    return choices([("", _("Choose…"))] + rows)


def build(kind: str, recipient: Recipient, formdata=None):
    form = FORMS[kind](formdata=formdata, prefix=kind)
    if kind == "award":
        form.award_code.choices = award_choices(recipient)
    return form


def entry_forms(recipient: Recipient, refused: dict | None = None) -> dict | None:
    """{kind: form} for the page, the refused one kept with its errors; None when the viewer
    may not enter rows for this recipient."""
    if not may_enter(current_user._get_current_object(), recipient):
        return None
    kinds = ("award", "rating", "initiative") if recipient.person is not None \
        else ("award", "rating")
    forms = {kind: build(kind, recipient) for kind in kinds}
    forms.update(refused or {})
    return forms
