"""Country and language names from ISO codes, in English or Korean, from Babel's CLDR locale data."""
from functools import cache

from babel import Locale

# CLDR's placeholders for "unknown": showing their names ("Unknown Region") would hide a bad code.
_UNKNOWN_TERRITORY = "ZZ"
_UNKNOWN_LANGUAGE = "und"


@cache
def _locale(locale: str) -> Locale:
    """Babel's data for ``locale`` ("en", "ko"), parsed once."""
    return Locale.parse(locale)


def country_name(code: str | None, locale: str = "en") -> str:
    """The name of an ISO 3166-1 alpha-2 country: "DE" as "Germany" ("독일" in "ko"); unknown codes as given."""
    key = (code or "").strip().upper()
    # Alpha-2 only: CLDR also names UN M.49 areas ("001" is "world"), which are not countries.
    if len(key) != 2 or not key.isascii() or not key.isalpha() or key == _UNKNOWN_TERRITORY:
        return code or ""
    return _locale(locale).territories.get(key, code)


def language_name(code: str | None, locale: str = "en") -> str:
    """The name of an ISO 639 language: "ko" as "Korean" ("한국어" in "ko"); unknown codes as given."""
    key = (code or "").strip().lower()
    if key == _UNKNOWN_LANGUAGE:
        return code or ""
    return _locale(locale).languages.get(key, code or "")
