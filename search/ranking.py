"""Which encoders can read which text: facts about encoders that every ranking applies.

Encoders trained on English only (MiniLM) see noise in Korean text: a profile
without enough Latin-script text gets no vector from them, and a query in
another script does not ask them. The served weights themselves live in the
ranking profile (``matchmaker/matching/profiles/``), not here.
"""
from __future__ import annotations

import re

ENGLISH_ONLY = frozenset({"minilm"})
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f"
                          r"\u3400-\u9fff\uac00-\ud7af]")
MIN_LATIN_SHARE = 0.3  # Korean-only profiles sit below 0.2 (certificate names, acronyms)


def latin_share(text: str) -> float:
    """Latin letters as a share of all letters in Latin and the CJK/Cyrillic/Thai scripts."""
    latin = len(LATIN.findall(text))
    other = len(OTHER_SCRIPT.findall(text))
    return latin / (latin + other) if latin + other else 0.0


def covers(encoder_id: str, text: str) -> bool:
    """Whether ``encoder_id`` understands ``text`` well enough to embed it."""
    return encoder_id not in ENGLISH_ONLY or latin_share(text) >= MIN_LATIN_SHARE


def text_for(encoder_id: str, text: str) -> str:
    """What ``encoder_id`` should read of ``text``: English-only encoders skip other scripts' runs."""
    if encoder_id not in ENGLISH_ONLY:
        return text
    return re.sub(r"\s+", " ", OTHER_SCRIPT.sub(" ", text)).strip()


def reads(encoder_id: str, language: str | None) -> bool:
    """Whether ``encoder_id`` reads queries of a language group (``search.language``); None: any query."""
    return encoder_id not in ENGLISH_ONLY or language in (None, "en")


def retriever_weights(weights: dict[str, float], language: str | None) -> dict[str, float]:
    """``weights`` with the encoders that cannot read queries in ``language`` switched off."""
    return {name: (weight if name == "lexical" or reads(name, language) else 0.0) for name, weight in weights.items()}
