"""Certifications named inside free text: a search box ("PCBA assembly medical ISO 13485") or a request."""
from __future__ import annotations

import re

from .table import table
from .text import fold, key, tokens

LONGEST = 6  # words in the longest alias worth looking for
_LATIN_WORD = re.compile(r"^[^\W\d_]+$", re.ASCII)


def _plain_word(word: str) -> bool:
    # "reach", "organic", "halal" written in lower case are ordinary words; "REACH" names the regulation.
    # Mixed case inside a word (RoHS, FSSC) marks an acronym, not a plain word.
    return bool(_LATIN_WORD.match(word)) and (word.islower() or word.istitle())


def mentions(text: str) -> list[str]:
    """Canonical ids of the known certifications named in ``text``, each once, in order of appearance."""
    return list(dict.fromkeys(cert_id for cert_id, _ in _windows(text)))


def without_mentions(text: str) -> str:
    """``text`` with the certifications it names cut out (they are needs to check, not words to search)."""
    for _, window in _windows(text):
        # The words as written, with any punctuation or space between them ("ISO9001:2015", "ISO 13485").
        pattern = r"[\W_]*".join(re.escape(word) for word in window)
        text = re.sub(rf"(?<!\w){pattern}(?:[\s:.\-/]*\d{{4}})?(?!\w)", " ", text, count=1, flags=re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _windows(text: str) -> list[tuple[str, list[str]]]:
    """(id, words) of each certification named in ``text``, in order.

    Windows of up to :data:`LONGEST` words are looked up, longest first, so
    ``ISO 13485`` is found whole and its words are not looked up again.
    """
    words = tokens(fold(text or ""))
    by_key = table().by_key
    found: list[tuple[str, list[str]]] = []
    start = 0
    while start < len(words):
        for size in range(min(LONGEST, len(words) - start), 0, -1):
            window = words[start:start + size]
            if size == 1 and _plain_word(window[0]):
                continue
            cert_id = by_key.get(key(window))
            if cert_id is not None:
                found.append((cert_id, window))
                start += size
                break
        else:
            start += 1
    return found
