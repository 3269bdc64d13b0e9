"""Explanations for the suppliers a page shows (only those: reasons cost an embedding per line)."""
from __future__ import annotations

import numpy as np

from indexers.cache import text_key

from ..search_service import SearchService, embedding_cache
from ..display import english_terms
from .explain import MEANING, WORDS, Explanation, best_by_meaning, best_by_words, lines_of
from .fit import facts_of, fit_signals
from .needs import Needs
from .profile import FitWeights

PREFERRED_ENCODER = "usem3"  # multilingual: reads Korean product lines and English requests alike


def _line_vectors(service: SearchService, encoder_id: str, texts: list[str]) -> dict[str, np.ndarray]:
    """Embeddings of product and capability lines, through the shared embedding cache."""
    encoder = service.encoders[encoder_id]
    keys = {text: text_key(text) for text in dict.fromkeys(texts)}
    cache = embedding_cache()
    found = cache.get_many(encoder.cache_key, list(keys.values()))
    missing = [text for text, key in keys.items() if key not in found]
    if missing:
        made = dict(zip((keys[t] for t in missing), encoder.encode(missing)))
        cache.put_many(encoder.cache_key, made.items())
        found.update(made)
    return {text: found[key] for text, key in keys.items()}


def explain(service: SearchService, matches, query_vectors: dict[str, np.ndarray], terms: frozenset[str],
            needs: Needs, fit: FitWeights) -> None:
    """Attach an :class:`Explanation` to each match: its matched line and its fit signals.

    When the line closest in meaning is another product than the one the fit
    signals judged, they are judged again on it (with ``fit``, the weights of
    the profile that ranked the page), so the reason's MOQ and lead time are
    those of the product it names (the page's order stays).
    """
    pending = []
    for match in matches:
        lines = lines_of(match.supplier)
        line, _ = best_by_words(lines, terms)
        match.explanation = Explanation(line, WORDS if line else None, signals=match.signals)
        if line is None and lines:
            pending.append((match, lines))
    encoder_id = PREFERRED_ENCODER if PREFERRED_ENCODER in query_vectors else next(iter(query_vectors), None)
    if pending and encoder_id:
        vectors = _line_vectors(service, encoder_id, [line.text for _, lines in pending for line in lines])
        for match, lines in pending:
            matrix = np.stack([vectors[line.text] for line in lines])
            line, similarity = best_by_meaning(lines, matrix, query_vectors[encoder_id])
            match.explanation.matched, match.explanation.how = line, MEANING
            match.explanation.similarity = similarity
            if line.product is not None and line.product is not match.product:
                match.product = line.product
                match.signals = fit_signals(needs, facts_of(match.supplier), line.product, fit)
                match.explanation.signals = match.signals
    for match in matches:
        found = match.explanation.matched
        if found is not None:  # English terms for a Korean line (none for other text)
            match.explanation.english = english_terms(found.text, limit=5)
