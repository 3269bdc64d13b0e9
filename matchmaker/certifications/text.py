"""What in a written certification is noise: dates, versions, issuers, filler words.

:func:`clean` removes the noise that spans several words (``ISO 9001:2015``,
``by BSI``, ``KS Q ISO 9001``, ``2024년 3월``) and :func:`words` splits what is
left into the words that may name a certification. The same two steps are
applied to the table's aliases and to what users type, so a rule added here
can never make an alias unreachable without the table validation noticing.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# A four-digit number from 1980 to 2039 standing alone is a year. No standard in the
# table has such a number (UL 1973 and UL 2054 fall outside the range on purpose).
_Y = r"(?:19[89]\d|20[0-3]\d)"
_YEAR = rf"(?<![\d.]){_Y}(?![\d.])"
_MONTH = (r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
# "Q1" before a year is a quarter, except in API Spec Q1.
_PERIOD = r"(?<!API\s)(?<!Spec\s)(?:Q[1-4]|[1-4]Q|H[12]|[12]H|early|mid|late|end(?:\s+of)?)"

_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), r) for p, r in (
    # SEMI documents carry their revision as -MMYY: SEMI S2-0821 is SEMI S2.
    (r"\b(SEMI\s*[A-Z]\s*\d+)\s*-\s*\d{4}\b", r"\1"),
    # "... by BSI", "... certified by TÜV SÜD", "... from KFQ": who issued it does not matter.
    (r"\s(?:(?:certified|issued|granted|audited|registered|accredited)\s+)?(?:by|from|via)\s+[^:;,]+$", " "),
    # National adoptions of ISO/IEC standards are the same standard: KS Q ISO 9001, EN ISO 13485.
    (r"\b(?:KS\s*[A-Z]|(?:(?:BS|DIN|NF|UNE|SS|UNI|NEN|PN|CSN)\s*)?EN)\s*[-/]?\s*(?=ISO|IEC)", " "),
    # Version words with their number: FSSC 22000 v6, IFS Food Version 8, BRCGS Issue 9, AS9100 Rev D.
    (r"\b(?:v|ver|version|issue|edition|ed)\.?\s*\d+(?:\.\d+)*\b", " "),
    (r"\brev(?:ision)?\.?\s*(?:\d+(?:\.\d+)*|[a-z])\b", " "),
    # Grades and levels within a scheme: AEC-Q100 Grade 1, ISO 14644-1 Class 5, ISO 26262 ASIL-D, SOC 2 Type II.
    (r"\b(?:(?:product\s+)?class|grade|level|type|asil|sil)\s*[-:]?\s*(?:\d+|[a-d]|i{1,3}|iv)\b", " "),
    # Dates, most specific first.
    (rf"(?<![\d.]){_Y}\s?[-./]\s?(?:0?[1-9]|1[0-2])(?:\s?[-./]\s?(?:0?[1-9]|[12]\d|3[01]))?(?![\d])\.?", " "),
    (rf"(?<![\d.])(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./]{_YEAR}", " "),
    (rf"(?<![\d.])(?:0?[1-9]|1[0-2])[-./]{_YEAR}", " "),
    (rf"{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?={_YEAR})", " "),
    (rf"\b{_PERIOD}[\s'/-]*(?={_YEAR})", " "),
    (rf"{_YEAR}(?:\s*[-/]?\s*(?:Q[1-4]|H[12])\b)?(?:\s*년\s*도?)?"
     r"(?:\s*(?:0?[1-9]|1[0-2])\s*월(?:\s*\d{1,2}\s*일)?)?"
     r"(?:\s*(?:상반기|하반기|[1-4]\s*분기|(?:말|초|중|내)(?![가-힣])))?", " "),
))

_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
# Digits (with decimals: VDA 6.3, ESD S20.20), Hangul runs, and runs of other letters are
# separate words, so ISO9001, ISO 9001 and ISO-9001 split alike, and so do KC인증 and KC 인증.
_WORD = re.compile(rf"\d+(?:\.\d+)*|[{_HANGUL}]+|[^\W\d_{_HANGUL}]+")

# Words that say something about a certificate but never which one it is.
NOISE: frozenset[str] = frozenset((
    "certified certificate certificates certification certifications cert certs compliant compliance "
    "conformity conforming registered registration accredited accreditation mark marked marking logo "
    "holder obtained acquired achieved granted awarded since version edition revision ver "
    "valid validity until till thru exp expires expiry expiration "
    "qms ems fsms ohsms "
    # Certification and accreditation bodies (marks that are also bodies, like UL and CSA, are entries).
    "tuv tuev tuvsud tuevsued sud sued rheinland nord austria sgs bsi ksa kfq kmr ktr ktl kcl fiti kotiti dnv gl lrqa "
    "lloyd lloyds intertek bureau veritas bv dekra nqa iqnet ukas anab kab "
    "한국표준협회 한국품질재단 한국경영인증원 "
    "인증 인증서 인증마크 마크 취득 보유 획득 완료 등록 적합 인정 필 년 년도 버전 유효기간 유효 까지"
).split())
# German spells umlauts out when they cannot be typed: Öko-Tex is Oeko-Tex, TÜV is TUEV.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "AE", "Ö": "OE", "Ü": "UE"})
# Korean writes these glued to the name: 해썹인증, 녹색인증취득.
_HANGUL_SUFFIXES = ("인증서", "인증", "취득", "보유", "획득")


def fold(text: str) -> str:
    """Compatibility forms unified (ＩＳＯ → ISO), umlauts spelled out (Öko → Oeko), other accents dropped."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(_UMLAUTS))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def clean(text: str) -> str:
    """``text`` (already folded) without dates, versions, issuers and adoption prefixes."""
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


def without_parentheses(text: str) -> str:
    """``text`` without bracketed remarks: ``HACCP (해썹)`` → ``HACCP``."""
    return _PARENTHESES.sub(" ", text)


def tokens(text: str) -> list[str]:
    """Every word of ``text``, noise included, as written."""
    return _WORD.findall(text)


def words(text: str) -> list[str]:
    """The words of ``text`` that may name a certification, as written."""
    kept = []
    for word in tokens(text):
        folded = word.casefold()
        while folded.endswith(_HANGUL_SUFFIXES) and folded not in NOISE:
            suffix = next(s for s in _HANGUL_SUFFIXES if folded.endswith(s))
            folded, word = folded[: -len(suffix)], word[: -len(suffix)]
        if folded and folded not in NOISE:
            kept.append(word)
    return kept


def key(found: Sequence[str]) -> str:
    """The comparable form of some words: ``['K', 'GMP']`` and ``['KGMP']`` are both ``kgmp``."""
    return "".join(found).casefold()
