"""Vocabulary shared by the models, the data contract and the web pages."""

INDUSTRIES: dict[str, tuple[str, str]] = {
    # code: (English label, Korean label)
    "electronics": ("Electronics", "전자"),
    "semiconductor": ("Semiconductor", "반도체"),
    "auto-parts": ("Auto parts", "자동차 부품"),
    "machinery": ("Machinery", "기계"),
    "textiles": ("Textiles", "섬유"),
    "bio-pharma": ("Bio & pharma", "바이오·제약"),
    "cosmetics": ("Cosmetics", "화장품"),
    "food": ("Food", "식품"),
    "materials": ("Materials", "소재"),
    "other": ("Other", "기타"),
}

ROLES = ("buyer", "specialist", "admin")
STAFF_ROLES = ("specialist", "admin")

# A match moves from suggested to a curation decision, then towards a contract.
MATCH_STATUSES = ("suggested", "shortlisted", "rejected", "introduced", "won", "lost")
# The relevance grade a curation decision implies when no explicit grade was given:
# accepting into a shortlist is a positive judgment, rejecting is 0.
STATUS_GRADES = {"shortlisted": 2, "introduced": 2, "won": 3, "rejected": 0}

REQUEST_STATUSES = ("open", "closed")

SMART_FACTORY_LEVELS = {
    0: "none",
    1: "basic monitoring",
    2: "basic monitoring",
    3: "data-driven control",
    4: "advanced",
    5: "autonomous",
}
