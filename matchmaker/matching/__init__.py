"""Matching: buyer needs in, suppliers ranked by relevance and fit with readable reasons out.

Modules: :mod:`.profile` (the served weights), :mod:`.needs`, :mod:`.fit`,
:mod:`.explain` and :mod:`.reasons`, :mod:`.service` (``match_text``,
``match_request``) and :mod:`.suggestions` (stored matches for requests).
"""
