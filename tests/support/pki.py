"""A throw-away PKI for the digital-signature tests: a root CA, an intermediate CA under it,
signer certificates (valid, expired, revoked, from an untrusted CA), a CRL served over HTTP on
127.0.0.1 by the test itself, and signing a PDF with pyHanko as a signer's tool would
(an incremental update after the issued bytes)."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko_certvalidator.registry import SimpleCertificateStore

from workflow_app.decisions.service.event_loop import outside_running_loop

NOW = datetime.now(UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Thử nghiệm"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def make_certificate(common_name: str, issuer: Issued | None = None, *, ca: bool = False,
                     not_before: datetime | None = None, not_after: datetime | None = None,
                     crl_url: str | None = None, ocsp_url: str | None = None) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name)
    signing_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.certificate.subject if issuer else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - timedelta(days=30))
               .not_valid_after(not_after or NOW + timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   signing_key.public_key()), critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    if ocsp_url:
        builder = builder.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                   x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


def make_crl(issuer: Issued, revoked: list[x509.Certificate]) -> bytes:
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(issuer.certificate.subject)
               .last_update(NOW - timedelta(hours=1))
               .next_update(NOW + timedelta(days=7))
               .add_extension(x509.CRLNumber(1), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer.key.public_key()), critical=False))
    for certificate in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(certificate.serial_number)
            .revocation_date(NOW - timedelta(days=1)).build())
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


class CrlServer:
    """Serves CRLs (`files`: path → DER) on 127.0.0.1 and answers OCSP requests on POST
    /ocsp for the certificates `ocsp_known` holds (serial → (certificate, revoked)), signed
    by `ocsp_issuer`; counts the requests."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.requests = 0
        self.ocsp_issuer: Issued | None = None
        self.ocsp_known: dict[int, tuple[x509.Certificate, bool]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                server.requests += 1
                body = server.files.get(self.path, b"")
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - http.server's name
                server.requests += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = server.ocsp_answer(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def ocsp_answer(self, body: bytes) -> bytes:
        request = ocsp.load_der_ocsp_request(body)
        known = self.ocsp_known.get(request.serial_number)
        issuer = self.ocsp_issuer
        if known is None or issuer is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(serialization.Encoding.DER)
        certificate, revoked = known
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=certificate, issuer=issuer.certificate, algorithm=hashes.SHA1(),  # noqa: S303 - the CertID hash the request used
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=datetime.now(UTC) - timedelta(minutes=1),
            next_update=datetime.now(UTC) + timedelta(hours=1),
            revocation_time=NOW - timedelta(days=1) if revoked else None,
            revocation_reason=None).responder_id(
            ocsp.OCSPResponderEncoding.HASH, issuer.certificate)
        return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, name: str) -> str:
        return f"http://{self.host}/{name}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Pki:
    server: CrlServer
    root: Issued
    intermediate: Issued
    signer: Issued
    expired: Issued
    revoked: Issued
    stranger: Issued  # under a root nobody configured
    stranger_root: Issued
    ocsp_good: Issued  # names an OCSP responder only
    ocsp_revoked: Issued


def build_pki() -> Pki:
    server = CrlServer()
    root = make_certificate("Root CA thử nghiệm", ca=True)
    # The intermediate's status is on the root's list, the signers' on the intermediate's.
    intermediate = make_certificate("CA trung gian thử nghiệm", root, ca=True,
                                    crl_url=server.url("root.crl"))
    ca_crl = server.url("ca.crl")
    signer = make_certificate("Lê Thành Long", intermediate, crl_url=ca_crl)
    expired = make_certificate("Người ký hết hạn", intermediate, crl_url=ca_crl,
                               not_before=NOW - timedelta(days=400),
                               not_after=NOW - timedelta(days=2))
    revoked = make_certificate("Người ký bị thu hồi", intermediate, crl_url=ca_crl)
    stranger_root = make_certificate("Root CA lạ", ca=True)
    stranger = make_certificate("Người lạ", stranger_root)
    ocsp_good = make_certificate("Người ký OCSP", intermediate, ocsp_url=server.url("ocsp"))
    ocsp_revoked = make_certificate("Người ký OCSP bị thu hồi", intermediate,
                                    ocsp_url=server.url("ocsp"))
    server.files["/root.crl"] = make_crl(root, [])
    server.files["/ca.crl"] = make_crl(intermediate, [revoked.certificate])
    server.ocsp_issuer = intermediate
    server.ocsp_known = {ocsp_good.certificate.serial_number: (ocsp_good.certificate, False),
                         ocsp_revoked.certificate.serial_number: (ocsp_revoked.certificate,
                                                                  True)}
    return Pki(server, root, intermediate, signer, expired, revoked, stranger, stranger_root,
               ocsp_good, ocsp_revoked)


def _asn1(issued: Issued) -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
    return (asn1_x509.Certificate.load(issued.der),
            asn1_keys.PrivateKeyInfo.load(issued.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())))


def sign(pdf: bytes, who: Issued, chain: list[Issued], field_name: str = "Signature1") -> bytes:
    """`pdf` signed by `who` (PAdES, invisible), embedding `chain` as a signer's tool does."""
    certificate, key = _asn1(who)
    signer = signers.SimpleSigner(
        signing_cert=certificate, signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(c.der) for c in chain]))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = outside_running_loop(signers.sign_pdf, writer,
                               PdfSignatureMetadata(field_name=field_name), signer=signer)
    return out.getvalue()
