"""Country and language names from ISO codes, in English or Korean, from Babel's CLDR locale data."""
import unicodedata
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


# CLDR also names groupings (EU, UN), ISO's reserved codes (AC, IC, ...) and pseudo-locales (XA, XB):
# none is a country a shipment goes to. XK (Kosovo) is kept.
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN"})


@cache
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """Every ISO 3166-1 alpha-2 country as (code, name in ``locale``), sorted by name."""
    territories = _locale(locale).territories
    codes = [code for code in territories if len(code) == 2 and code.isalpha() and code != _UNKNOWN_TERRITORY
             and code not in _NOT_COUNTRIES and not (code.startswith("X") and code != "XK")]
    return tuple(sorted(((code, territories[code]) for code in codes), key=lambda pair: _sort_key(pair[1])))


def _sort_key(name: str) -> str:
    # "Åland Islands" sorts with A and "Côte d'Ivoire" with Co, as people look for them.
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()

