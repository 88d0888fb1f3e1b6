"""Forms of the decision pages: issuing a decision, forwarding with a tờ trình, and recording
the higher authority's decision.

The forms check shape (required, lengths, real dates, not in the future, the number/symbol
pattern); the services re-check everything that depends on the database (which dossiers,
which issuer). Multi-line fields hold one entry per line (legal bases, articles, recipients).
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.validators import Optional as OptionalValue

from workflow_app.decisions.service.forwarding import HIGHER_NUMBER_RE, SubmissionInput
from workflow_app.decisions.service.issue import ON_BEHALF_MAX, DecisionInput
from workflow_app.decisions.service.selection import parse_ids
from workflow_app.formkit import AppForm, DateField, not_in_future
from workflow_app.signing import ReauthFields

NEEDED = _l("This field is required.")


def lines(text: str | None) -> list[str]:
    """One entry per non-blank line, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _date_field(label):
    return DateField(label, validators=[InputRequired(message=_l("Enter a valid date.")),
                                        not_in_future])


class _DocumentForm(AppForm):
    """Fields every numbered document shares. `dossier_ids` is drawn as grouped checkboxes
    (or hidden inputs) by the templates; the service decides whether each id is allowed."""

    dossier_ids = SelectMultipleField(_l("Dossiers"), validate_choice=False)
    issuer_id = HiddenField()
    place = StringField(_l("Place of issue"), validators=[
        DataRequired(message=_l("Enter the place of issue (e.g. Hà Nội).")), Length(max=120)])
    summary = TextAreaField(_l("Summary line (trích yếu)"), validators=[
        DataRequired(message=_l("Enter the summary line (trích yếu).")), Length(max=500)])
    recipients = TextAreaField(_l("Recipients (nơi nhận), one per line"),
                               validators=[Length(max=2000)])

    def chosen_ids(self) -> list[int]:
        """The ticked dossier ids; raises SelectionError on a value that is not an id."""
        return parse_ids(self.dossier_ids.data or [])

    def chosen_issuer(self) -> int | None:
        value = (self.issuer_id.data or "").strip()
        return int(value) if value.isdigit() else None

    def validate_issuer_id(self, field) -> None:
        value = (field.data or "").strip()
        if value and not value.isdigit():
            raise ValidationError(_l("The issuing unit is not valid."))


class DecisionForm(ReauthFields, _DocumentForm):
    issued_on = _date_field(_l("Date of the decision"))
    authority = StringField(_l("Issuing authority (e.g. BỘ TRƯỞNG BỘ TƯ PHÁP)"), validators=[
        DataRequired(message=_l("Enter the issuing authority.")), Length(max=255)])
    bases = TextAreaField(_l("Legal bases (căn cứ), one per line"),
                          validators=[Length(max=5000)])
    articles = TextAreaField(_l("Articles (Điều 1, Điều 2 …), one per line"), validators=[
        DataRequired(message=_l("The decision needs at least one article.")),
        Length(max=10000)])
    on_behalf_of = StringField(
        _l("On behalf of (optional line above your title, e.g. KT. BỘ TRƯỞNG)"),
        validators=[OptionalValue(), Length(max=ON_BEHALF_MAX)])

    def fill(self, inp: DecisionInput) -> None:
        """Show `inp` (the service's defaults) in the form."""
        self.issued_on.data, self.place.data = inp.issued_on, inp.place
        self.summary.data, self.authority.data = inp.summary, inp.authority
        self.bases.data, self.articles.data = "\n".join(inp.bases), "\n".join(inp.articles)
        self.recipients.data = "\n".join(inp.recipients)
        self.on_behalf_of.data = inp.on_behalf_of

    def to_input(self) -> DecisionInput:
        return DecisionInput(
            dossier_ids=self.chosen_ids(), issued_on=self.issued_on.data,
            place=self.place.data.strip(), summary=self.summary.data.strip(),
            authority=self.authority.data.strip(), bases=lines(self.bases.data),
            articles=lines(self.articles.data), recipients=lines(self.recipients.data),
            issuer_id=self.chosen_issuer(), on_behalf_of=(self.on_behalf_of.data or "").strip())


class SubmissionForm(ReauthFields, _DocumentForm):
    issued_on = _date_field(_l("Date of the submission letter"))
    addressee = StringField(_l("Addressee (Kính gửi)"), validators=[
        DataRequired(message=_l("Enter the addressee (Kính gửi).")), Length(max=255)])
    signer_title = StringField(_l("Signer's title"), validators=[
        DataRequired(message=_l("Enter the signer's title.")), Length(max=160)])
    signer_name = StringField(_l("Signer's name"), validators=[
        DataRequired(message=_l("Enter the signer's name.")), Length(max=120)])
    body = TextAreaField(_l("Body, one paragraph per line"), validators=[
        DataRequired(message=NEEDED), Length(max=10000)])

    def fill(self, inp: SubmissionInput) -> None:
        self.issued_on.data, self.place.data = inp.issued_on, inp.place
        self.summary.data, self.addressee.data = inp.summary, inp.addressee
        self.signer_title.data, self.signer_name.data = inp.signer_title, inp.signer_name
        self.body.data, self.recipients.data = "\n".join(inp.body), "\n".join(inp.recipients)

    def to_input(self) -> SubmissionInput:
        return SubmissionInput(
            dossier_ids=self.chosen_ids(), issued_on=self.issued_on.data,
            place=self.place.data.strip(), summary=self.summary.data.strip(),
            addressee=self.addressee.data.strip(), signer_title=self.signer_title.data.strip(),
            signer_name=self.signer_name.data.strip(), body=lines(self.body.data),
            recipients=lines(self.recipients.data), issuer_id=self.chosen_issuer())


class HigherDecisionForm(AppForm):
    """The Prime Minister's / President's decision on one forwarded dossier (form prefix
    `d<dossier id>`, so each row of the page has its own field ids)."""

    number = StringField(_l("Decision number and symbol"), validators=[
        DataRequired(message=_l("Enter the decision's number and symbol, e.g. 125/QĐ-TTg.")),
        Length(max=60)])
    decided_on = _date_field(_l("Date of the decision"))
    version = HiddenField()

    def validate_number(self, field) -> None:
        value = unicodedata.normalize("NFC", (field.data or "").strip())
        if not HIGHER_NUMBER_RE.match(value):
            raise ValidationError(_l("Enter the number and symbol as printed on the "
                                     "decision, e.g. 125/QĐ-TTg."))
        field.data = value



class SignedPdfForm(ReauthFields, AppForm):
    """The digitally signed PDF of an issued document, uploaded by its signer."""

    file = FileField(_l("The signed PDF"),
                     validators=[FileRequired(_l("Choose the signed PDF file."))])


class AgencySignForm(ReauthFields, AppForm):
    """Signing the issued PDF on the server with the agency's certificate (a signing act)."""
