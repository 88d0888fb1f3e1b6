"""Upload type detection by content, safe names, content-addressed storage."""

import io
import zipfile

import pytest

from workflow_app.attachments.names import clean_filename
from workflow_app.attachments.sniff import DOCX, JPEG, PDF, PNG, XLSX, detect
from workflow_app.attachments.storage import Storage


def _zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, expected", [
    (b"%PDF-1.7\n...", PDF),
    (b"\x89PNG\r\n\x1a\n....", PNG),
    (b"\xff\xd8\xff\xe0....", JPEG),
    (_zip("[Content_Types].xml", "word/document.xml"), DOCX),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), XLSX),
])
def test_accepted_types_are_recognised_by_content(data, expected):
    assert detect(data) == expected


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00 windows executable",
    b"<html><script>alert(1)</script></html>",
    b"",
    _zip("evil.exe"),  # a zip that is not an office document
    _zip("word/document.xml"),  # no content-types part
    b"PK\x03\x04 truncated archive",
    b"GIF89a",
])
def test_everything_else_is_refused(data):
    assert detect(data) is None


def test_an_executable_renamed_to_pdf_is_still_refused():
    assert detect(b"MZ\x90\x00" + b"\x00" * 100) is None  # the name plays no part


@pytest.mark.parametrize("raw, expected", [
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\Users\\x\\Báo cáo thành tích.pdf", "Báo cáo thành tích.pdf"),
    ("to\x00trinh.pdf", "totrinh.pdf"),
    ("", "tep-dinh-kem.pdf"),
    ("....", "tep-dinh-kem.pdf"),
])
def test_names_lose_paths_and_control_characters(raw, expected):
    assert clean_filename(raw, ".pdf") == expected


def test_storage_is_content_addressed_and_deduplicated(tmp_path):
    storage = Storage(tmp_path)
    first = storage.put(b"%PDF-1.7 hello")
    second = storage.put(b"%PDF-1.7 hello")
    assert first == second
    assert storage.get(first) == b"%PDF-1.7 hello"
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_storage_refuses_anything_but_a_digest(tmp_path):
    with pytest.raises(ValueError):
        Storage(tmp_path).path_for("../../secret")
