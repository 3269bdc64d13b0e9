"""Certifications named in free text (a search box, a request) are found, ordinary words are not."""
import pytest

from matchmaker.certifications import canonical_list, mentions


@pytest.mark.parametrize("text, expected", [
    ("PCBA assembly medical ISO 13485", ["ISO 13485"]),
    ("The supplier must be ISO 9001 certified. Samples first.", ["ISO 9001"]),
    ("kimchi, 해썹 인증 업체", ["HACCP"]),
    ("IATF16949 and iso-14001 plants", ["IATF 16949", "ISO 14001"]),
    ("RoHS and REACH compliant cables", ["RoHS", "REACH"]),
    ("we want to reach new markets", []),
    ("", []),
])
def test_mentions(text, expected):
    assert mentions(text) == expected


def test_requirements_keep_pending_schemes_holdings_do_not():
    texts = ["ISO 13485 (application in progress)", "iso9001:2015", "ISO 9001"]
    assert canonical_list(texts, held_only=False) == ["ISO 13485", "ISO 9001"]
    assert canonical_list(texts) == ["ISO 9001"]
    assert canonical_list(["", "  ", "-"], held_only=False) == []
