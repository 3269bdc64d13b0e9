"""Whether a written certification is held now, or only pending, planned or lapsed.

A supplier who writes ``ISO 9001 (2025 예정)`` or ``IATF 16949 - in progress``
names a certification it does not hold yet; one who writes ``HACCP (expired)``
no longer holds it. Both are recognised (the text still names the scheme) but
not held. A renewal or surveillance audit in progress is not a gap: the
certificate stays valid meanwhile, so those phrases are removed first.
"""
from __future__ import annotations

import re

_YEAR = r"(?:19|20)\d\d"

# A certificate being renewed or audited for surveillance is still held.
_UPKEEP = re.compile(
    r"\b(?:re-?certification|re-?certified|renewal|renewed|surveillance(?:\s+audit)?)\b"
    r"(?:\s+(?:audit\s+)?(?:in[\s-]+progress|pending|under\s?way|on-?going|due|scheduled|planned))?"
    r"|(?:갱신|재\s*인증|사후\s*심사)\s*(?:심사\s*)?(?:진행\s*)?(?:중|예정)?",
    re.IGNORECASE,
)

_NOT_YET = re.compile("|".join((
    r"\bin[\s-]+(?:progress|process|preparation|the\s+process(?:\s+of)?)\b",
    r"\bon-?going\b", r"\bunder\s?way\b", r"\bpending\b", r"\bawaiting\b",
    r"\b(?:planned|planning|plans?\s+to|scheduled|expected|anticipated|intended)\b",
    rf"\btarget(?:ed|ing)?(?:\s+date)?\b(?=\s*:?\s*(?:for\s+)?(?:Q[1-4]\s*)?{_YEAR})", r"\btarget(?:ed|ing)\b",
    # "applied" alone only at the end, so "Applied Materials approved vendor" stays held.
    r"\bapplied\s+for\b", r"\bapplying(?:\s+for)?\b", r"\bapplied\b(?=\s*[)\]]|\s*$)",
    r"\bapplication\s+(?:submitted|filed|lodged|made|stage)\b",
    r"\bunder\s+(?:certification|audit|review|assessment|evaluation|application|registration|process"
    r"|preparation|development|consideration)\b",
    r"\bto\s+be\s+(?:certified|obtained|acquired|issued|completed|granted|achieved|audited|approved)\b",
    r"\b(?:preparing|seeking|pursuing)(?:\s+for)?\b", r"\bworking\s+(?:on|towards?)\b",
    r"\baiming\s+(?:for|at|to)\b", r"\bnot\s+yet\b", r"\bcoming\s+soon\b", r"\b(?:wip|tbd|tba)\b",
    rf"\bby\s+(?:the\s+)?(?:end\s+of\s+)?(?:Q[1-4]\s+|H[12]\s+)?{_YEAR}\b",
    # Korean: 진행중, 진행 중, 취득 예정, 준비중, 인증 심사중, 신청, 추진 중, 미취득 ...
    r"(?:진행|준비|심사|신청|추진|검토|대기|접수|획득|취득|인증)\s*중(?!국)",
    r"예정|계획|진행|준비|신청|추진|접수|취득\s*전|미\s*(?:취득|보유|인증)",
)), re.IGNORECASE)

_LAPSED = re.compile(
    r"\b(?:expired|lapsed|suspended|withdrawn|revoked|cancell?ed|terminated)\b"
    r"|\bno\s+longer\s+(?:valid|held|certified)\b|\bnot\s+(?:renewed|valid|held)\b"
    r"|만료|취소|정지|철회|실효",
    re.IGNORECASE,
)


def split_status(text: str) -> tuple[str, bool]:
    """``text`` without its status phrases, and whether it says the certificate is held now."""
    text = _UPKEEP.sub(" ", text)
    held = not (_NOT_YET.search(text) or _LAPSED.search(text))
    return _LAPSED.sub(" ", _NOT_YET.sub(" ", text)), held
