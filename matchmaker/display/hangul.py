"""Finding Hangul in text and romanizing it word by word (Revised Romanization, via korean-romanizer)."""
import re

from korean_romanizer.romanizer import Romanizer

HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")  # precomposed syllables, the only form the romanizer reads
# Latin or digits directly against Hangul ("KR테크", "3D프린팅") get a space once the Hangul is romanized,
# or the two would run together into one unreadable word ("KRtekeu").
_JOINED_BEFORE = re.compile(r"[A-Za-z0-9)]$")
_JOINED_AFTER = re.compile(r"^[A-Za-z0-9(]")


def has_hangul(text: str | None) -> bool:
    """Whether ``text`` contains any Hangul syllable."""
    return bool(text) and HANGUL_RUN.search(text) is not None


def romanize_word(hangul: str) -> str:
    """One run of Hangul syllables, romanized and capitalised: 대한정밀 as Daehanjeongmil."""
    return Romanizer(hangul).romanize().capitalize()


def romanize(text: str) -> str:
    """``text`` with each Hangul run romanized and capitalised; everything else kept as written."""
    parts: list[str] = []
    end = 0
    for match in HANGUL_RUN.finditer(text):
        before = text[end:match.start()]
        parts.append(before)
        # Romanizing run by run keeps sound changes from leaking across words and into Latin text.
        word = romanize_word(match.group())
        if _JOINED_BEFORE.search(before):
            word = " " + word
        if _JOINED_AFTER.search(text[match.end():]):
            word += " "
        parts.append(word)
        end = match.end()
    parts.append(text[end:])
    return " ".join("".join(parts).split())
