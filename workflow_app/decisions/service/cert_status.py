"""Fetching revocation information (CRL, OCSP) for a signer's certificate chain, through the
application's one outbound gate (`workflow_app.outbound`): only addresses on the
administrator's list of allowed hosts are called, without following redirects or proxies.

`collect` asks, for each certificate of the chain below the trust root, the OCSP responders
and CRL addresses the certificate names. What it brings back is handed to pyHanko, which
checks each answer's signature, issuer and freshness itself. What could not be asked (no
address named, host not allowed, unreachable, a bad answer) is listed in `notes`, so the
result can say plainly that revocation could not be checked.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID

from workflow_app import outbound

TIMEOUT = 10  # seconds per request
MAX_ANSWER = 10 * 1024 * 1024


@dataclass
class Revinfo:
    crls: list[bytes] = field(default_factory=list)
    ocsps: list[bytes] = field(default_factory=list)
    # (certificate subject, address or "", reason) for every source that could not be used
    notes: list[dict] = field(default_factory=list)
    # Certificates that named at least one source, and those for which an answer came back.
    named: int = 0
    answered: int = 0

    @property
    def complete(self) -> bool:
        """Every certificate that names a source has at least one answer."""
        return self.answered == self.named


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0913
        raise urllib.error.HTTPError(req.full_url, code, "redirect not followed", headers, fp)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def ocsp_urls(certificate: x509.Certificate) -> list[str]:
    try:
        aia = certificate.extensions.get_extension_for_class(
            x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [d.access_location.value for d in aia
            if d.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(d.access_location, x509.UniformResourceIdentifier)]


def crl_urls(certificate: x509.Certificate) -> list[str]:
    try:
        points = certificate.extensions.get_extension_for_class(
            x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return []
    return [name.value for point in points for name in (point.full_name or [])
            if isinstance(name, x509.UniformResourceIdentifier)]


def _fetch(url: str, allowed, *, data: bytes | None = None,
           content_type: str | None = None) -> bytes:
    outbound.check(url, allowed)  # HostNotAllowed: the caller notes it
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310 - checked above: http(s) to an allowed host
    if content_type:
        request.add_header("Content-Type", content_type)
    with _opener().open(request, timeout=TIMEOUT) as response:
        body = response.read(MAX_ANSWER + 1)
    if len(body) > MAX_ANSWER:
        raise ValueError("answer too large")
    return body


def _ocsp(certificate: x509.Certificate, issuer: x509.Certificate, url: str,
          allowed) -> bytes:
    request = ocsp.OCSPRequestBuilder().add_certificate(
        certificate, issuer, hashes.SHA1()).build()  # noqa: S303 - SHA-1 CertID is what responders expect
    body = _fetch(url, allowed, data=request.public_bytes(serialization.Encoding.DER),
                  content_type="application/ocsp-request")
    answer = ocsp.load_der_ocsp_response(body)  # ValueError when it is not an OCSP answer
    if answer.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise ValueError(f"responder answered {answer.response_status.name}")
    return body


def _crl(url: str, allowed) -> bytes:
    body = _fetch(url, allowed)
    try:
        crl = x509.load_der_x509_crl(body)
    except ValueError:
        crl = x509.load_pem_x509_crl(body)  # ValueError again when it is no CRL at all
    return crl.public_bytes(serialization.Encoding.DER)


def collect(chain: list[tuple[x509.Certificate, x509.Certificate]],
            allowed: tuple[str, ...] | None = None) -> Revinfo:
    """Revocation information for each (certificate, its issuer) of the chain."""
    found = Revinfo()
    for certificate, issuer in chain:
        subject = certificate.subject.rfc4514_string()
        sources = [("ocsp", url) for url in ocsp_urls(certificate)] + \
                  [("crl", url) for url in crl_urls(certificate)]
        if not sources:
            found.notes.append({"certificate": subject, "address": "", "reason": "no_source"})
            continue
        found.named += 1
        answered = False
        for kind, url in sources:
            try:
                if kind == "ocsp":
                    found.ocsps.append(_ocsp(certificate, issuer, url, allowed))
                else:
                    found.crls.append(_crl(url, allowed))
                answered = True
            except outbound.HostNotAllowed:
                found.notes.append({"certificate": subject, "address": url,
                                    "reason": "not_allowed"})
            except (OSError, ValueError, urllib.error.URLError):
                found.notes.append({"certificate": subject, "address": url,
                                    "reason": "unreachable"})
        if answered:
            found.answered += 1
    return found
