"""Server-side signing with the agency's own certificate (issue 20 item 1, option for bodies
that use an organisation seal certificate): the key is held by the server (PKCS#12 or PEM,
paths in configuration, never in the database), the issued PDF is signed with pyHanko as an
incremental update with a visible stamp, and the result goes through exactly the same
validation and recording as an uploaded signed PDF (`signed_pdf.record_signed_pdf`): the
agency's certificate must chain to a configured trust root too.

Where the stamp goes is configuration (`AGENCY_STAMP_BOX`): LEGAL_FACTS confirms no rule for
its place, so nothing is inferred — configurable, no confirmed legal source.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.stamp import TextStampStyle
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.config import DATA_DIR, Config
from workflow_app.decisions.service import signed_pdf
from workflow_app.decisions.service.event_loop import outside_running_loop
from workflow_app.decisions.service.pades import SignatureRefused
from workflow_app.models.signature import SignedPdf
from workflow_app.models.user import User
from workflow_app.workdays import VIETNAM_TZ

FONT = DATA_DIR / "fonts" / "LiberationSerif-Regular.ttf"
FIELD = "ChuKySoCoQuan"
STAMP_TEXT = "Ký bởi: %(signer)s\nCơ quan: %(issuer)s\nThời gian ký: %(vn_time)s"


@dataclass(frozen=True)
class _EmbeddedFont(GlyphAccumulatorFactory):
    """The stamp's font, read into memory (pyHanko's factory leaves its file open)."""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(FONT.read_bytes()),
                                font_size=self.font_size, obj_stream=obj_stream)


@dataclass(frozen=True)
class StampBox:
    page: int
    box: tuple[int, int, int, int]


def enabled(config: Config | None) -> bool:
    return bool(config is not None and config.agency_signing_key)


def stamp_box(text: str) -> StampBox:
    """"page,x1,y1,x2,y2" (PDF points, page -1 = the last); ValueError when malformed."""
    parts = [int(part.strip()) for part in text.split(",")]
    if len(parts) != 5 or parts[3] <= parts[1] or parts[4] <= parts[2]:
        raise ValueError("AGENCY_STAMP_BOX is page,x1,y1,x2,y2 with x2 > x1 and y2 > y1")
    return StampBox(parts[0], (parts[1], parts[2], parts[3], parts[4]))


def load_signer(config: Config) -> signers.SimpleSigner:
    """The agency's signer from the configured files; SignatureRefused when they cannot be
    read (the message names no path: it is shown to the user)."""
    key = Path(config.agency_signing_key)
    passphrase = config.agency_signing_passphrase.encode() or None
    try:
        if key.suffix.lower() in (".p12", ".pfx"):
            signer = signers.SimpleSigner.load_pkcs12(str(key), passphrase=passphrase)
        else:
            cert = config.agency_signing_cert
            signer = signers.SimpleSigner.load(str(key), cert, ca_chain_files=(cert,),
                                               key_passphrase=passphrase)
    except (OSError, ValueError, TypeError):
        signer = None
    if signer is None:
        raise SignatureRefused("agency_certificate_unreadable", _l(
            "The agency's signing certificate configured on the server cannot be read: ask "
            "the administrator to check it."))
    return signer


def sign_issued(issued: bytes, signer: signers.SimpleSigner, box: StampBox, issuer_name: str,
                now: datetime) -> bytes:
    """`issued` signed by `signer`, PAdES, with a visible stamp in `box`."""
    style = TextStampStyle(stamp_text=STAMP_TEXT, border_width=1,
                           text_box_style=TextBoxStyle(
                               font=_EmbeddedFont(str(FONT)), font_size=9))
    pdf_signer = PdfSigner(
        PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES),
        signer=signer, stamp_style=style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD, on_page=box.page,
                                           box=box.box))
    out = outside_running_loop(
        pdf_signer.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(issued)),
        appearance_text_params={"issuer": issuer_name,
                                "vn_time": now.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M")})
    return out.getvalue()


def sign_with_agency_certificate(session: Session, user: User, document, storage: Storage,
                                 now: datetime, config: Config,
                                 allowed_hosts: tuple[str, ...] | None = None) -> SignedPdf:
    """Sign the issued PDF with the agency's certificate, then validate and record it as an
    uploaded one. Raises SignatureRefused (nothing recorded)."""
    if not enabled(config):
        raise SignatureRefused("agency_signing_off", _l(
            "Signing with the agency's certificate is not configured on this server."))
    if signed_pdf.signed_of(session, document) is not None:
        raise SignatureRefused("already_signed", signed_pdf.ALREADY_SIGNED)
    try:
        box = stamp_box(config.agency_stamp_box)
    except ValueError:
        raise SignatureRefused("agency_stamp_box", _l(
            "The place of the signature stamp configured on the server is not valid: ask the "
            "administrator to check it.")) from None
    issued = signed_pdf.issued_bytes(session, document, storage)
    data = sign_issued(issued, load_signer(config), box, document.issuer.name, now)
    return signed_pdf.record_signed_pdf(session, user, document, data, storage, now,
                                        allowed_hosts=allowed_hosts)
