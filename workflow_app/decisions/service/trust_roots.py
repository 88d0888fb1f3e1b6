"""The certificates signatures are validated against (issue 20 item 1): an administrator
uploads the trust roots (self-signed CA certificates, e.g. the Government's root CA for
chữ ký số chuyên dùng) and the intermediate CA certificates below them, as PEM or DER.

A self-signed certificate is a trust root; any other CA certificate is an intermediate: it
only helps build the chain from a signer's certificate to a root, it is never trusted by
itself. Each addition and removal writes an audit event with the certificate's subject and
SHA-256 fingerprint. Whether a root is trusted is the administrator's decision: nothing here
is built in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from workflow_app.audit.chain import record
from workflow_app.models.signature import TrustCertificate
from workflow_app.models.user import User

MAX_SIZE = 64 * 1024


class TrustError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Parsed:
    certificate: x509.Certificate
    der: bytes

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.der).hexdigest()


def name_of(name: x509.Name) -> str:
    """A certificate name as one line (RFC 4514, UTF-8 kept as is)."""
    return name.rfc4514_string()


def serial_of(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "X")


def is_self_signed(certificate: x509.Certificate) -> bool:
    if certificate.subject != certificate.issuer:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(
            x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return is_self_signed(certificate)  # an old root without the extension


def parse(data: bytes) -> Parsed:
    """One certificate from PEM or DER bytes; TrustError naming the problem otherwise."""
    if not data:
        raise TrustError(_l("Choose a certificate file."))
    if len(data) > MAX_SIZE:
        raise TrustError(_l("A certificate file is at most 64 KB."))
    try:
        if b"-----BEGIN" in data:
            certificates = x509.load_pem_x509_certificates(data)
            if len(certificates) != 1:
                raise TrustError(_l("Upload one certificate per file."))
            certificate = certificates[0]
        else:
            certificate = x509.load_der_x509_certificate(data)
    except ValueError:
        raise TrustError(_l("This file is not an X.509 certificate (PEM or DER).")) from None
    return Parsed(certificate, certificate.public_bytes(Encoding.DER))


def add_certificate(session: Session, data: bytes, actor: User) -> TrustCertificate:
    """Add a trust root or an intermediate CA certificate (flush, audit)."""
    parsed = parse(data)
    certificate = parsed.certificate
    if not is_ca(certificate):
        raise TrustError(_l("This is not a CA certificate: upload the root or intermediate "
                            "certificates of the certification authority, not a signer's "
                            "own certificate."))
    fingerprint = parsed.fingerprint
    if session.scalar(select(TrustCertificate.id)
                      .where(TrustCertificate.fingerprint == fingerprint)) is not None:
        raise TrustError(_l("This certificate is already in the list."))
    row = TrustCertificate(
        kind="root" if is_self_signed(certificate) else "intermediate",
        subject=name_of(certificate.subject)[:1000], issuer=name_of(certificate.issuer)[:1000],
        serial=serial_of(certificate)[:80], not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc, fingerprint=fingerprint, der=parsed.der,
        added_by_id=actor.id)
    session.add(row)
    session.flush()
    record(session, "trust.certificate_added", "trust_certificate", row.id, actor=actor,
           data=_described(row))
    return row


def remove_certificate(session: Session, certificate_id: int, actor: User) -> TrustCertificate:
    row = session.get(TrustCertificate, certificate_id)
    if row is None:
        raise NotFound()
    record(session, "trust.certificate_removed", "trust_certificate", row.id, actor=actor,
           data=_described(row))
    session.delete(row)
    session.flush()
    return row


def _described(row: TrustCertificate) -> dict:
    return {"kind": row.kind, "subject": row.subject, "issuer": row.issuer,
            "serial": row.serial, "fingerprint_sha256": row.fingerprint,
            "not_before": row.not_before.isoformat(), "not_after": row.not_after.isoformat()}


def listing(session: Session) -> list[TrustCertificate]:
    return list(session.scalars(select(TrustCertificate)
                                .order_by(TrustCertificate.kind.desc(), TrustCertificate.id)))


def configured(session: Session) -> tuple[list[bytes], list[bytes]]:
    """(roots, intermediates) as DER, for the validation."""
    roots, intermediates = [], []
    for row in session.scalars(select(TrustCertificate).order_by(TrustCertificate.id)):
        (roots if row.kind == "root" else intermediates).append(bytes(row.der))
    return roots, intermediates


def colon_fingerprint(fingerprint: str) -> str:
    """AB:CD:… as certificate viewers show it."""
    upper = fingerprint.upper()
    return ":".join(upper[i:i + 2] for i in range(0, len(upper), 2))
