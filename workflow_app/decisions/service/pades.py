"""Validating a signed PDF against the PDF the application issued (issue 20 item 1), with
pyHanko.

A signer downloads the issued PDF, signs it with their own token in their usual tool (an
incremental update: the issued bytes stay as they are, the signature is appended) and
uploads the result. `validate` accepts it only when all of these hold, and otherwise raises
`SignatureRefused` naming the first check that failed:

1. it is a PDF with at least one signature;
2. the file starts with exactly the bytes the application issued (their SHA-256 is the one
   the audit trail recorded), and the first signature is the revision right after them;
3. nothing was changed after the issued revision except signatures and their fields
   (pyHanko's difference analysis), and the last signature covers the whole file;
4. every signature is intact (the signed bytes hash to what was signed) and
   cryptographically valid;
5. every signer's certificate chains to a trust root the administrator configured (with the
   configured intermediates and those embedded in the signature) and was valid at the time
   the signature states; that time lies between the issue of the document and now;
6. revocation: where the certificates name an OCSP responder or a CRL that is allowed and
   reachable, the answers are given to pyHanko and a revoked certificate is refused; where
   none could be asked, the result says "could not be checked" (`revocation`).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from flask_babel import lazy_gettext as _l
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffResult, ModificationLevel
from pyhanko.sign.diff_analysis.commons import compare_dicts
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from workflow_app.decisions.service import cert_status
from workflow_app.decisions.service.event_loop import outside_running_loop

# Tokens for chữ ký số carry non-repudiation, digital signature or both.
KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"},
                                match_all_key_usages=False)
CLOCK_SKEW = timedelta(minutes=10)  # a signer's clock may be a little off
MAX_SIGNATURES = 10  # each is validated and its revocation asked: bounded work per upload
log = logging.getLogger(__name__)


class SignatureRefused(ValueError):
    """The upload is refused: `message` (for the user) names the check that failed; `check`
    is its code for the API."""

    def __init__(self, check: str, message):
        super().__init__(str(message))
        self.check = check
        self.message = message


@dataclass
class SignatureInfo:
    subject: str
    serial: str
    issuer: str
    signed_at: datetime
    trust_anchor: str  # SHA-256 fingerprint of the trust root
    field: str


@dataclass
class Validation:
    signatures: list[SignatureInfo]
    revocation: str  # "good" | "unchecked" | "no_source"
    revocation_notes: list[dict] = field(default_factory=list)

    @property
    def signer(self) -> SignatureInfo:
        """The first signature: the signer's (a seal may follow)."""
        return self.signatures[0]

    def as_record(self) -> dict:
        return {
            "signatures": [{"subject": s.subject, "serial": s.serial, "issuer": s.issuer,
                            "signed_at": s.signed_at.astimezone(UTC).isoformat(),
                            "trust_anchor": s.trust_anchor, "field": s.field}
                           for s in self.signatures],
            "checks": {"intact": True, "covers_whole_file": True,
                       "signed_revision_is_issued_pdf": True, "trusted": True,
                       "valid_at_signing_time": True},
            "revocation": self.revocation, "revocation_notes": self.revocation_notes}


def _reader(data: bytes) -> PdfFileReader:
    if not data.lstrip()[:5] == b"%PDF-":
        raise SignatureRefused("not_pdf", _l("The file is not a PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # noqa: BLE001 - any failure to parse an uploaded file
        log.info("uploaded file is not a readable PDF: %r", error)
        raise SignatureRefused("not_pdf", _l("The file is not a readable PDF.")) from error
    if reader.encrypted:
        raise SignatureRefused("not_pdf", _l("The file is an encrypted PDF."))
    if not signatures:
        raise SignatureRefused("no_signature", _l("The PDF carries no digital signature."))
    if len(signatures) > MAX_SIGNATURES:
        raise SignatureRefused("too_many_signatures", _l(
            "The PDF carries more than %(max)d signatures.", max=MAX_SIGNATURES))
    return reader


def _check_issued_revision(reader: PdfFileReader, data: bytes, issued: bytes) -> None:
    refused = SignatureRefused("not_the_issued_pdf", _l(
        "The signed file is not the PDF the application issued for this document: sign the "
        "PDF downloaded from this page, without changing it."))
    if len(data) <= len(issued) or data[:len(issued)] != issued:
        raise refused
    issued_revisions = PdfFileReader(io.BytesIO(issued), strict=False).xrefs.total_revisions
    if reader.embedded_signatures[0].signed_revision != issued_revisions:
        raise refused
    modified = SignatureRefused("modified", _l(
        "The document was changed after it was issued or signed: besides the signatures, "
        "its content is not the issued PDF's."))
    try:
        first_ok = _only_a_signature_added(reader, issued_revisions)
        later = None
        if reader.xrefs.total_revisions > issued_revisions + 1:
            later = DEFAULT_DIFF_POLICY.review_file(reader, issued_revisions)
    except Exception as error:  # noqa: BLE001 - a file the analysis cannot read is refused
        log.info("difference analysis failed: %r", error)
        raise modified from error
    if not first_ok:
        raise modified
    if later is not None and (not isinstance(later, DiffResult)
                              or later.modification_level > ModificationLevel.FORM_FILLING):
        raise modified


# What the revision adding the first signature may change in objects that existed before:
# the catalogue gains the form (/AcroForm, /Perms) and may get what signing software adds
# without changing what is shown — XMP metadata (/Metadata), the PDF version and extension
# levels (/Version, /Extensions), validation data (/DSS); a page gains the signature's
# widget in /Annots; the document information dictionary (producer, dates) may be rewritten.
ROOT_MAY_ADD = frozenset({"/AcroForm", "/Perms", "/Metadata", "/Version", "/Extensions",
                          "/DSS"})
PAGE_MAY_ADD = frozenset({"/Annots"})


def _is_signature_widget(annotation) -> bool:
    annotation = annotation.get_object()
    if annotation.get("/Subtype") != "/Widget":
        return False
    field = annotation
    while "/FT" not in field and "/Parent" in field:
        field = field["/Parent"].get_object()
    return field.get("/FT") == "/Sig"


def _annotation_ids(page) -> list[tuple[int, int]]:
    annots = page.raw_get("/Annots") if "/Annots" in page else []
    if isinstance(annots, generic.IndirectObject):
        annots = annots.get_object()
    return [(a.idnum, a.generation) for a in annots if isinstance(a, generic.IndirectObject)]


def _page_gains_signature_widgets_only(before, after) -> bool:
    if not compare_dicts(before, after, PAGE_MAY_ADD, raise_exc=False):
        return False
    kept, present = set(_annotation_ids(before)), _annotation_ids(after)
    if not kept <= set(present):
        return False
    annots = after.raw_get("/Annots")
    annots = annots.get_object() if isinstance(annots, generic.IndirectObject) else annots
    return all(_is_signature_widget(a) for a in annots
               if isinstance(a, generic.IndirectObject)
               and (a.idnum, a.generation) not in kept)


def _only_a_signature_added(reader: PdfFileReader, revision: int) -> bool:
    """The revision right after the issued bytes adds a signature and nothing else that
    shows: every object it overwrites is the catalogue (gaining the form), a page (gaining
    signature widgets only), or the information dictionary; it frees nothing. pyHanko's
    difference analysis starts from a revision that has a form, so this one is checked
    here."""
    xrefs = reader.xrefs
    if xrefs.refs_freed_in_revision(revision):
        return False
    old = reader.get_historical_resolver(revision - 1)
    new = reader.get_historical_resolver(revision)
    root_ref = new.root_ref
    if (root_ref.idnum, root_ref.generation) != (old.root_ref.idnum, old.root_ref.generation):
        return False
    info = reader.trailer.raw_get("/Info", revision=revision - 1) \
        if "/Info" in reader.trailer.flatten(revision - 1) else None
    info_id = (info.idnum, info.generation) if info is not None else None
    for ref in xrefs.explicit_refs_in_revision(revision):
        if xrefs.get_introducing_revision(ref) == revision:
            continue  # a new object: only what a changed object below refers to shows
        key = (ref.idnum, ref.generation)
        before, after = old.get_object(ref), new.get_object(ref)
        if key == (root_ref.idnum, root_ref.generation):
            if not compare_dicts(before, after, ROOT_MAY_ADD, raise_exc=False):
                return False
        elif key == info_id:
            continue
        elif isinstance(before, generic.DictionaryObject) and before.get("/Type") == "/Page":
            if not _page_gains_signature_widgets_only(before, after):
                return False
        else:
            return False
    return True


REVOKED = (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE,
           AdESIndeterminate.REVOKED_CA_NO_POE)


def _trust_message(indication) -> SignatureRefused:
    if indication in REVOKED:
        return SignatureRefused("revoked", _l(
            "The signer's certificate (or a certificate of its chain) was revoked."))
    if indication in (AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND,
                      AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
                      AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE):
        return SignatureRefused("untrusted", _l(
            "The signer's certificate does not chain to a trust root the administrator "
            "configured."))
    if indication in (AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID,
                      AdESFailure.NOT_YET_VALID, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                      AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED):
        return SignatureRefused("not_valid_at_signing_time", _l(
            "The signer's certificate was not valid at the time of signing (expired or "
            "not yet valid)."))
    if indication == AdESIndeterminate.SIG_CONSTRAINTS_FAILURE:
        return SignatureRefused("key_usage", _l(
            "The signer's certificate is not one for signing documents (key usage)."))
    return SignatureRefused("untrusted", _l(
        "The signer's certificate could not be validated against the configured trust "
        "roots."))


def _context(roots, intermediates, moment: datetime, revinfo=None,
             mode: str = "soft-fail") -> ValidationContext:
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in roots],
        other_certs=[asn1_x509.Certificate.load(der) for der in intermediates],
        moment=moment, allow_fetching=False,
        crls=[asn1_crl.CertificateList.load(der) for der in revinfo.crls] if revinfo else [],
        ocsps=[asn1_ocsp.OCSPResponse.load(der) for der in revinfo.ocsps] if revinfo else [],
        revocation_mode=mode, retroactive_revinfo=True)


def _status(embedded, context):
    try:
        return outside_running_loop(validate_pdf_signature, embedded, context,
                                    key_usage_settings=KEY_USAGE)
    except Exception as error:  # noqa: BLE001 - a malformed signature in an uploaded file
        log.info("signature validation failed: %r", error)
        raise SignatureRefused("invalid", _l(
            "A signature in the file could not be read or is not a PDF signature.")) from error


def _chain(path) -> list[tuple[x509.Certificate, x509.Certificate]]:
    """(certificate, issuer) for each certificate of the path below the trust root."""
    certs = [x509.load_der_x509_certificate(c.dump()) for c in path.iter_certs(True)]
    return [(certs[i], certs[i - 1]) for i in range(len(certs) - 1, 0, -1)]


def validate(data: bytes, issued: bytes, *, roots: list[bytes], intermediates: list[bytes],
             not_before: datetime, now: datetime,
             allowed_hosts: tuple[str, ...] | None = None) -> Validation:
    """Validate `data` (the uploaded file) against `issued` (see the module docstring)."""
    if not roots:
        raise SignatureRefused("no_trust_roots", _l(
            "No trust root is configured: an administrator must add the certification "
            "authority's root certificate first."))
    reader = _reader(data)
    _check_issued_revision(reader, data, issued)
    signatures = reader.embedded_signatures
    infos: list[SignatureInfo] = []
    results = {"good": 0, "unchecked": 0, "no_source": 0}
    notes: list[dict] = []
    for position, embedded in enumerate(signatures):
        signed_at = embedded.self_reported_timestamp
        if signed_at is None:
            raise SignatureRefused("no_signing_time", _l(
                "A signature does not state when it was made."))
        if signed_at.tzinfo is None:
            signed_at = signed_at.replace(tzinfo=UTC)
        if signed_at < not_before - CLOCK_SKEW or signed_at > now + CLOCK_SKEW:
            raise SignatureRefused("signing_time", _l(
                "A signature states a signing time before the document was issued or in the "
                "future."))
        status = _status(embedded, _context(roots, intermediates, signed_at))
        if not (status.intact and status.valid):
            raise SignatureRefused("not_intact", _l(
                "A signature does not match the file's content: the file was changed after "
                "it was signed."))
        if status.trust_problem_indic is not None or status.validation_path is None:
            raise _trust_message(status.trust_problem_indic)
        last = position == len(signatures) - 1
        if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            raise SignatureRefused("modified", _l(
                "The last signature does not cover the whole file: something was added after "
                "it was signed."))
        path = status.validation_path
        revinfo = cert_status.collect(_chain(path), allowed_hosts)
        notes += revinfo.notes
        if revinfo.named == 0:
            results["no_source"] += 1
        else:
            mode = "hard-fail" if revinfo.complete else "soft-fail"
            checked = _status(embedded, _context(roots, intermediates, signed_at, revinfo,
                                                 mode))
            if checked.revoked or checked.trust_problem_indic in REVOKED:
                raise _trust_message(AdESFailure.REVOKED)
            if checked.trust_problem_indic is None and revinfo.complete:
                results["good"] += 1
            else:
                if checked.trust_problem_indic is not None:
                    notes.append({"certificate": "", "address": "",
                                  "reason": "answer_not_usable"})
                results["unchecked"] += 1
        certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
        anchor = hashlib.sha256(path.trust_anchor.authority.certificate.dump()).hexdigest()
        infos.append(SignatureInfo(
            subject=certificate.subject.rfc4514_string(),
            serial=format(certificate.serial_number, "X"),
            issuer=certificate.issuer.rfc4514_string(), signed_at=signed_at.astimezone(UTC),
            trust_anchor=anchor, field=embedded.field_name or ""))
    if results["unchecked"]:
        revocation = "unchecked"
    elif results["no_source"]:
        revocation = "no_source"
    else:
        revocation = "good"
    return Validation(infos, revocation, notes)
