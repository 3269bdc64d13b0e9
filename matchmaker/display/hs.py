"""English descriptions of Harmonized System codes, from the HS 2022 nomenclature in ``data/``."""
import csv
import re
from functools import cache
from importlib.resources import files

HS_FILE = "data/harmonized-system.csv"  # see data/ATTRIBUTION.md for its source and licence
PREFIX_LENGTHS = (6, 4, 2)  # subheading, heading, chapter: the levels the nomenclature describes
MAX_CHARS = 90
_SEPARATORS = re.compile(r"[\s.\-]")
# Words that cannot end a shortened description: "for use with…" promises something that is not there.
_DANGLING = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "than", "the",
                       "to", "with", "whether", "not", "other", "including", "excluding"})


@cache
def hs_descriptions() -> dict[str, str]:
    """Every HS chapter, heading and subheading code (digits only) with its description, read once."""
    with files(__package__).joinpath(HS_FILE).open(encoding="utf-8", newline="") as stream:
        return {row["hscode"]: row["description"] for row in csv.DictReader(stream) if row["hscode"].isdigit()}


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters, with "…" if it was cut.

    Cuts after the last clause (at "," or ";") when that keeps two thirds of the room, else after the
    last whole word that does not leave a dangling "of" or "with".
    """
    if len(text) <= max_chars:
        return text
    room = max_chars - 1  # the "…"
    clause = max(text.rfind(", ", 0, room), text.rfind("; ", 0, room))
    if clause >= room * 2 // 3:
        cut = text[:clause]
    else:
        words = text[:room + 1].split(" ")[:-1]  # the last piece may be a word cut in half
        while len(words) > 1 and words[-1].lower() in _DANGLING:
            words.pop()
        cut = " ".join(words).rstrip(" ,;:(")
    # A parenthesis left open reads as broken: drop an aside that opens late, close one that opens early.
    opened = _unclosed(cut)
    while opened and opened[-1] >= room // 2:
        cut = cut[:opened.pop()].rstrip(" ,;:")
    closing = ")" * len(opened)
    if len(cut) + 1 + len(closing) > max_chars:
        cut = cut[:max_chars - 1 - len(closing)].rsplit(" ", 1)[0]
    return cut + "…" + closing


def _unclosed(text: str) -> list[int]:
    """Where the parentheses that ``text`` opens but does not close are, innermost last."""
    opened: list[int] = []
    for position, char in enumerate(text):
        if char == "(":
            opened.append(position)
        elif char == ")" and opened:
            opened.pop()
    return opened


def hs_description(code: str | None, max_chars: int | None = MAX_CHARS) -> str | None:
    """The English description of an HS code, at the most detailed level the nomenclature knows.

    Accepts "8708.99", "870899", "8708.99.10" (national digits are ignored) or "8708"; tries the
    6-, 4- then 2-digit prefix. None for a code that is not digits or that no prefix matches.
    ``max_chars`` shortens long descriptions for lists; None gives the full text.
    """
    digits = _SEPARATORS.sub("", code or "")
    if not digits.isdigit():
        return None
    known = hs_descriptions()
    for length in PREFIX_LENGTHS:
        if len(digits) >= length and digits[:length] in known:
            text = known[digits[:length]]
            return text if max_chars is None else shorten(text, max_chars)
    return None
