"""Forms of the revocation pages (labels of grounds and statuses:
`decisions.service.revocation_labels`).

The forms check shape (required, lengths, real dates not in the future); the services
(`revocation`, `revocation_issue`) re-check everything that depends on the database.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from workflow_app.decisions.service.revocation import MAX_EXPLANATION, ProposalInput
from workflow_app.decisions.service.revocation_issue import RevocationInput
from workflow_app.decisions.service.revocation_labels import GROUND_LABELS
from workflow_app.decisions.views.forms import _date_field, lines
from workflow_app.formkit import AppForm, DateField, choices, not_in_future
from workflow_app.models.revocation import GROUNDS
from workflow_app.signing import ReauthFields


class ProposalForm(AppForm):
    ground = SelectField(_l("Ground (Law on Emulation and Commendation, Art. 93 k2)"),
                         choices=choices([("", "—")] + [(g, GROUND_LABELS[g]) for g in GROUNDS]),
                         validators=[DataRequired(_l("Choose the ground of the revocation "
                                                     "(Law Art. 93 k2)."))])
    explanation = TextAreaField(_l("Facts the revocation rests on"), validators=[
        DataRequired(_l("Explain the facts the revocation rests on.")),
        Length(max=MAX_EXPLANATION)])
    evidence_reference = StringField(
        _l("Conclusion, decision or judgment relied on (number, date, body)"),
        validators=[Length(max=255)])
    conclusion_received_on = DateField(_l("Date this body received that conclusion"),
                                        validators=[Optional(), not_in_future])

    def to_input(self) -> ProposalInput:
        return ProposalInput(ground=self.ground.data, explanation=self.explanation.data.strip(),
                             evidence_reference=(self.evidence_reference.data or "").strip(),
                             conclusion_received_on=self.conclusion_received_on.data)


class RevocationDecisionForm(ReauthFields, AppForm):
    issuer_id = HiddenField()
    issued_on = _date_field(_l("Date of the decision"))
    place = StringField(_l("Place of issue"), validators=[
        DataRequired(message=_l("Enter the place of issue (e.g. Hà Nội).")), Length(max=120)])
    summary = TextAreaField(_l("Summary line (trích yếu)"), validators=[
        DataRequired(message=_l("Enter the summary line (trích yếu).")), Length(max=500)])
    authority = StringField(_l("Issuing authority (e.g. BỘ TRƯỞNG BỘ TƯ PHÁP)"), validators=[
        DataRequired(message=_l("Enter the issuing authority.")), Length(max=255)])
    bases = TextAreaField(_l("Legal bases (căn cứ), one per line"),
                          validators=[Length(max=5000)])
    articles = TextAreaField(_l("Articles (Điều 1, Điều 2 …), one per line"), validators=[
        DataRequired(message=_l("The decision needs at least one article.")),
        Length(max=10000)])
    recipients = TextAreaField(_l("Recipients (nơi nhận), one per line"),
                               validators=[Length(max=2000)])

    def fill(self, inp: RevocationInput) -> None:
        self.issued_on.data, self.place.data = inp.issued_on, inp.place
        self.summary.data, self.authority.data = inp.summary, inp.authority
        self.bases.data, self.articles.data = "\n".join(inp.bases), "\n".join(inp.articles)
        self.recipients.data = "\n".join(inp.recipients)
        self.issuer_id.data = str(inp.issuer_id or "")

    def to_input(self) -> RevocationInput:
        issuer = (self.issuer_id.data or "").strip()
        return RevocationInput(
            issued_on=self.issued_on.data, place=self.place.data.strip(),
            summary=self.summary.data.strip(), authority=self.authority.data.strip(),
            bases=lines(self.bases.data), articles=lines(self.articles.data),
            recipients=lines(self.recipients.data),
            issuer_id=int(issuer) if issuer.isdigit() else None)


class DismissForm(AppForm):
    reason = TextAreaField(_l("Why the award is kept"), validators=[
        DataRequired(_l("Give the reason for keeping the award.")),
        Length(max=MAX_EXPLANATION)])


class HigherRevocationForm(AppForm):
    number = StringField(_l("Number and symbol of the higher authority's decision"),
                         validators=[DataRequired(_l("Enter the decision's number and symbol, "
                                                     "e.g. 125/QĐ-TTg.")), Length(max=60)])
    decided_on = _date_field(_l("Date of the decision"))


class RecoveryForm(AppForm):
    recovered_on = _date_field(_l("Date the items and money were recovered"))
    note = StringField(_l("Note (receipt, who handed them back)"),
                       validators=[Length(max=500)])
