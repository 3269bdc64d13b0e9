"""The language group of a query, which decides the fusion weights (``RankingProfile.weights_for``).

Three groups, because that is where the retrievers differ: English (every
retriever reads it), Korean (MiniLM cannot; Korean morphology for BM25), and
other languages (neither MiniLM nor the Korean-English synonyms help, the
multilingual encoders carry the query). Hangul decides Korean without a
model; otherwise ``py3langid`` (a maintained port of langid.py whose model
ships in the wheel) tells English from other languages, limited to the
languages buyers write in so that short queries ("brake pads") are not
taken for Javanese.
"""
from __future__ import annotations

import functools
import re
import threading

GROUPS = ("en", "ko", "other")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
LETTERS = re.compile(r"[^\W\d_]")
# Buyers' languages (the expo's and the demo's): langid chooses among these only.
BUYER_LANGUAGES = ("en", "ko", "ja", "zh", "es", "de", "fr", "it", "pt", "nl", "pl", "ru", "tr", "vi", "th", "id",
                   "ar", "sv", "cs")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
SURE = 0.5  # a short English query ("brake pads") often scores a little higher in another language
_lock = threading.Lock()
_identifier = None


def _classify(text: str) -> tuple[str, float]:
    global _identifier
    with _lock:  # the identifier is shared; classifying a short text takes microseconds
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier
            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(BUYER_LANGUAGES))
            _identifier = identifier
        return _identifier.classify(text)


@functools.lru_cache(maxsize=4096)
def query_language(text: str) -> str:
    """``en``, ``ko`` or ``other`` for a query text."""
    letters = LETTERS.findall(text)
    if not letters:
        return "en"
    if len(HANGUL.findall(text)) >= 0.3 * len(letters):
        return "ko"
    if len(LATIN.findall(text)) < 0.3 * len(letters):
        return "other"  # Japanese, Chinese, Cyrillic, Thai...
    language, probability = _classify(text)
    return "other" if language != "en" and probability >= SURE else "en"
