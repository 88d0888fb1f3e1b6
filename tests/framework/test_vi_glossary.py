"""One word per concept in the Vietnamese catalogue (workflow_app/translations/README.md,
"Glossary"): users are addressed as "anh/chị", never "bạn"; a council's round is a "vòng
bỏ phiếu", never a "vòng biểu quyết". No database."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from workflow_app.config import PROJECT_ROOT
from workflow_app.sizes import file_size

VI_PO = PROJECT_ROOT / "workflow_app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
YOU = re.compile(r"(?<!\w)bạn(?!\w)", re.IGNORECASE)
ROUND_AS_VOTE = re.compile(r"(?<!\w)vòng\s+biểu\s+quyết", re.IGNORECASE)


@pytest.fixture(scope="module")
def translations() -> list[tuple[str, str]]:
    with VI_PO.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((ids[0], text) for text in strings if text)
    return pairs


def test_users_are_addressed_as_anh_chi_never_ban(translations):
    offending = [(msgid, text) for msgid, text in translations if YOU.search(text)]
    assert offending == [], "use “anh/chị”, not “bạn”:\n" + "\n".join(
        f"{msgid!r} → {text!r}" for msgid, text in offending)
    assert sum("anh/chị" in text.lower() for _, text in translations) > 50  # really scanned


def test_a_round_is_a_vong_bo_phieu_never_a_vong_bieu_quyet(translations):
    offending = [(msgid, text) for msgid, text in translations if ROUND_AS_VOTE.search(text)]
    assert offending == [], "a round is a “vòng bỏ phiếu”:\n" + "\n".join(
        f"{msgid!r} → {text!r}" for msgid, text in offending)
    rounds = [text for msgid, text in translations if re.search(r"\bround\b", msgid, re.I)
              and "vòng" in text.lower()]
    assert sum("vòng bỏ phiếu" in text.lower() for text in rounds) >= 20


def test_the_scan_catches_what_it_forbids():
    assert YOU.search("Phiếu của bạn đã được gửi") and YOU.search("Bạn sẽ được báo")
    assert not YOU.search("Phiếu của anh/chị")
    assert ROUND_AS_VOTE.search("Kết thúc vòng biểu quyết")
    assert not ROUND_AS_VOTE.search("biểu quyết công khai") and not ROUND_AS_VOTE.search(
        "vòng bỏ phiếu")


@pytest.mark.parametrize(("size", "locale", "shown"), [
    (0, "vi", "0 B"),
    (988, "vi", "988 B"),
    (988, "en", "988 B"),
    (1024, "vi", "1,0 KB"),
    (1536, "en", "1.5 KB"),
    (1024 * 1024 - 1, "vi", "1,0 MB"),  # never "1024,0 KB"
    (20 * 1024 * 1024, "vi", "20,0 MB"),
    (int(79241.8 * 1024 * 1024), "vi", "77,4 GB"),  # the status page's instance folder
    (int(79241.8 * 1024 * 1024), "en", "77.4 GB"),
    (3 * 1024 ** 4, "en", "3.0 TB"),
    (None, "vi", ""),
])
def test_one_size_formatter_from_bytes_to_terabytes(size, locale, shown):
    assert file_size(size, locale) == shown
