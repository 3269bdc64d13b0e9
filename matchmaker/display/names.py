"""Company names a buyer who reads English can say: Korean legal forms in English, the rest romanized."""
import re

from .hangul import has_hangul, romanize

# Korean legal forms with their English names. A bracketed abbreviation is a legal form wherever it
# stands; a spelled-out one only at the start or end of the name, where Korean registrations put it.
_BRACKETED_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(r"[(（]\s*[%s]\s*[)）]" % marks), english) for marks, english in (
        ("주株", "Co., Ltd."),
        ("유", "Ltd."),
        ("합", "Limited Partnership"),  # (합) abbreviates 합자회사; 합명회사 is always written out
    ))
_SPELLED_FORMS: tuple[tuple[str, str], ...] = (
    ("주식회사", "Co., Ltd."),
    ("유한책임회사", "LLC"),  # before 유한회사: the longer spelling must win
    ("유한회사", "Ltd."),
    ("합자회사", "Limited Partnership"),
    ("합명회사", "General Partnership"),
)
_CIRCLED_JU = "\u321c"  # ㈜, one character for (주)


def _legal_form(name: str) -> tuple[str, str | None]:
    """``name`` without its Korean legal form, and that form in English (None if it has none)."""
    for pattern, english in _BRACKETED_FORMS:
        if pattern.search(name):
            return pattern.sub(" ", name), english
    if _CIRCLED_JU in name:
        return name.replace(_CIRCLED_JU, " "), "Co., Ltd."
    for korean, english in _SPELLED_FORMS:
        if name.startswith(korean):
            return name[len(korean):], english
        if name.endswith(korean):
            return name[:-len(korean)], english
    return name, None


def romanized_name(name: str) -> str:
    """A Korean company name in Latin letters: "(주)대한정밀" as "Daehanjeongmil Co., Ltd."

    Latin parts stay as written ("KR테크(주)" as "KR Tekeu Co., Ltd."); a name without Hangul is
    returned unchanged.
    """
    if not has_hangul(name) and _CIRCLED_JU not in name:
        return name
    rest, form = _legal_form(name.strip())
    rest = romanize(rest).strip(" ,")
    if not rest:
        return name
    if form is None or rest.endswith(form):  # "(주)KR테크 Co., Ltd." already says it in English
        return rest
    return f"{rest} {form}"


def display_name(name: str, name_en: str | None = None) -> str:
    """The name to show a buyer: the English name if given, else the romanized one."""
    return (name_en or "").strip() or romanized_name((name or "").strip())


def name_pair(name: str, name_en: str | None = None) -> tuple[str, str | None]:
    """The name to show first, and the Korean original to show beside it (None if nothing to add)."""
    shown = display_name(name, name_en)
    original = (name or "").strip()
    if not has_hangul(original) or original == shown:
        return shown, None
    return shown, original
