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

# A match moves from suggested to a curation decision (shortlisted or rejected), then, for a
# shortlisted supplier, along the sales pipeline towards a contract.
PIPELINE_STAGES = ("shortlisted", "introduced", "meeting", "sample", "negotiating", "won", "lost")
MATCH_STATUSES = ("suggested", "rejected", *PIPELINE_STAGES)
CLOSED_STAGES = ("won", "lost")
# Why a specialist rejects a candidate, and why a deal is lost (the reason is required for both).
REJECT_REASONS = ("wrong_product", "missing_certification", "capacity_moq", "lead_time", "other")
LOST_REASONS = ("price", "quality", "capacity", "lead_time", "buyer_cancelled", "competitor", "no_response", "other")

# The relevance grade (data contract: 0-3) each decision stands for, when no explicit grade was
# imported. A supplier the team put on the shortlist is a good fit (2) at every step of the
# pipeline; winning the contract proves a full fit (3); rejecting it is "not a fit" (0). A lost
# deal was relevant enough to pursue but did not convert: "related but weak" (1).
STATUS_GRADES = {"shortlisted": 2, "introduced": 2, "meeting": 2, "sample": 2, "negotiating": 2,
                 "won": 3, "lost": 1, "rejected": 0}

# A request's life: posted (new), being curated (in_review), a shortlist published to the
# buyer (shortlisted), then closed by the team or withdrawn by the buyer.
REQUEST_STATUSES = ("new", "in_review", "shortlisted", "closed", "withdrawn")
OPEN_REQUEST_STATUSES = ("new", "in_review", "shortlisted")
# What a buyer sees of the shortlist once it is published: every pipeline stage.
SHORTLIST_STATUSES = PIPELINE_STAGES

# The steps a request's timeline records, in the order they usually happen.
REQUEST_EVENTS = ("posted", "edited", "in_review", "shortlist_published", "introduction_requested",
                  "introduced", "closed", "withdrawn")

# A buyer's request for an introduction to one supplier.
INTRODUCTION_STATUSES = ("requested", "introduced", "declined")

# Units a buyer picks from on the request form: the canonical spellings of
# ``matching.needs.normalize_unit``, so a request's unit compares with a product's MOQ unit.
UNITS: dict[str, tuple[str, str]] = {
    # code: (English label, Korean label)
    "pcs": ("pieces", "개"), "set": ("sets", "세트"), "pair": ("pairs", "켤레"), "kit": ("kits", "키트"),
    "kg": ("kilograms", "킬로그램"), "t": ("tonnes", "톤"), "m": ("metres", "미터"),
    "m2": ("square metres", "제곱미터"), "l": ("litres", "리터"), "roll": ("rolls", "롤"),
    "carton": ("cartons", "박스"), "case": ("cases", "케이스"), "bottle": ("bottles", "병"),
    "batch": ("batches", "배치"),
}

# Korea's smart-factory level scheme for SMEs (Basic 1-2, Intermediate 1-2, Advanced), as
# level: (short English label, one-sentence explanation naming the tier).
# Labels must differ: buyers compare suppliers by them.
SMART_FACTORY_LEVELS: dict[int, tuple[str, str]] = {
    0: ("none", "No smart-factory systems in production yet."),
    1: ("digital records",
        "Basic 1: production records are kept digitally and parts or lots are identified, e.g. by barcode or RFID."),
    2: ("real-time monitoring", "Basic 2: equipment and output are monitored in real time through sensors."),
    3: ("data-driven control",
        "Intermediate 1: collected production data is analysed and used to control the process."),
    4: ("optimisation", "Intermediate 2: processes are optimised, with simulation used to act before problems occur."),
    5: ("autonomous operation",
        "Advanced: the factory monitors, controls and optimises itself, e.g. with AI or a digital twin."),
}
