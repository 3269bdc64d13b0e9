"""A deterministic, seeded generator of the demo catalog in ``data/demo/``.

It writes invented but realistic Korean SME profiles (about 40% Korean only,
the rest English or bilingual), buyer requests in several languages, and a
labelled development set whose grades follow from how each request was made:
3 when a supplier makes the requested product family and meets the required
certification and lead time, 2 when it makes the family with one gap, 1 when it
makes a sibling family, 0 otherwise. The same seed always gives the same bytes.
"""
from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..dataio.jsonl import dumps
from ..domain import INDUSTRIES
from .texts import (describe_supplier, product_description, product_name, request_text)
from .vocabulary import CERTIFICATIONS, FAMILIES, MARKETS, NAME_ENDINGS, NAME_STEMS, REGIONS, Family

DEFAULT_SEED = 20261122
SUPPLIERS = 3200
DEMO_REQUESTS = 64
DEV_REQUESTS = 40
MAX_NAME_ATTEMPTS = 200

INDUSTRY_WEIGHTS = {"electronics": 14, "semiconductor": 8, "auto-parts": 18, "machinery": 16, "textiles": 8,
                    "bio-pharma": 8, "cosmetics": 9, "food": 8, "materials": 8, "other": 3}
# Smart-factory levels among supported SMEs: most at basic or data-driven levels.
LEVEL_WEIGHTS = {0: 5, 1: 20, 2: 30, 3: 30, 4: 12, 5: 3}
REQUEST_LANGUAGES = {"en": 60, "de": 8, "es": 8, "fr": 6, "ja": 7, "vi": 7, "ko": 4}
BUYER_COUNTRIES = {"en": ("US", "GB", "CA", "AU", "IN", "AE", "SG", "NL", "SE", "SA"), "de": ("DE", "AT", "CH"),
                   "es": ("ES", "MX", "CL", "CO"), "fr": ("FR", "BE", "MA"), "ja": ("JP",), "vi": ("VN",),
                   "ko": ("US", "VN", "DE", "AE")}

FAMILIES_BY_INDUSTRY = {code: [f for f in FAMILIES if f.industry == code] for code in INDUSTRIES}


def nice(value: float) -> int:
    """Round to two significant digits, as people write order sizes (12,000 not 11,873)."""
    if value < 10:
        return max(1, round(value))
    scale = 10 ** (int(math.log10(value)) - 1)
    return int(round(value / scale) * scale)


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    """A value between low and high, spread evenly on a log scale."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def weighted(rng: random.Random, weights: dict) -> object:
    """One key of ``weights``, chosen in proportion to its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def siblings(family: Family) -> list[Family]:
    """Other families of the same industry and group."""
    return [f for f in FAMILIES_BY_INDUSTRY[family.industry] if f.group == family.group and f.key != family.key]


def make_product(rng: random.Random, family: Family, lang: str) -> dict:
    """One product record of ``family`` in the profile's language."""
    return {
        "name": product_name(family, lang),
        "description": product_description(rng, family, lang),
        "hs_code": family.hs,
        "moq": nice(log_uniform(rng, *family.moq)),
        "unit": family.unit,
        "lead_time_days": rng.randint(*family.lead),
        "unit_price_usd": round(log_uniform(rng, *family.price), 2),
    }


def make_supplier(rng: random.Random, number: int, used_names: set[str]) -> tuple[dict, list[str]]:
    """One supplier profile and the keys of the families it makes."""
    industry = weighted(rng, INDUSTRY_WEIGHTS)
    roll = rng.random()
    lang = "ko" if roll < 0.40 else ("bi" if roll < 0.75 else "en")
    for attempt in itertools.count():
        (stem_en, stem_ko), (end_en, end_ko) = rng.choice(NAME_STEMS), rng.choice(NAME_ENDINGS[industry])
        if stem_ko + end_ko not in used_names:
            break
        stem_en, stem_ko = stem_en + rng.choice(("Tech", "Global", "Korea")), stem_ko + rng.choice(("글로벌", "코리아"))
        if stem_ko + end_ko not in used_names:
            break
        if attempt >= MAX_NAME_ATTEMPTS:  # large synthetic catalogs (benchmarks) run out of plain names
            stem_en, stem_ko = f"{stem_en} {number}", f"{stem_ko}{number}"
            break
    used_names.add(stem_ko + end_ko)
    name = rng.choice(("(주)", "주식회사 ", "")) + stem_ko + end_ko
    name_en = f"{stem_en} {end_en} Co., Ltd."
    primary = rng.choice(FAMILIES_BY_INDUSTRY[industry])
    families = [primary]
    extra = siblings(primary) if rng.random() < 0.7 else FAMILIES_BY_INDUSTRY[industry]
    extra = [f for f in extra if f is not primary]
    if extra and rng.random() < 0.45:
        families.append(rng.choice(extra))
    region_en, region_ko, area = rng.choice(REGIONS[industry])
    certs = [c for i, c in enumerate(CERTIFICATIONS[industry]) if rng.random() < (0.7 if i == 0 else 0.28)]
    level = weighted(rng, LEVEL_WEIGHTS)
    market_weights = {code: weight for code, _, weight in MARKETS}
    markets = sorted({weighted(rng, market_weights) for _ in range(rng.choice((0, 1, 2, 2, 3, 4, 5)))})
    slug = (stem_en + end_en).lower().replace(" ", "").replace("&", "n").replace("-", "")
    record = {
        "external_id": f"KR-SME-{number:05d}",
        "name": name,
        "name_en": None if lang == "ko" else name_en,
        "description": "",
        "industry": industry,
        "region": region_ko if lang == "ko" else region_en,
        "products": [make_product(rng, f, lang) for f in families],
        "capabilities": [],
        "certifications": certs,
        "smart_factory_level": level,
        "employees": nice(log_uniform(rng, 8, 400)),
        "founded_year": rng.randint(1972, 2021),
        "export_markets": markets,
        "languages": ["ko"] + sorted(rng.sample(["en", "ja", "zh", "vi"], k=rng.choice((0, 1, 1, 2)))),
        "website": f"https://www.{slug}.co.kr",
        "contact_email": f"sales@{slug}.co.kr",
        "contact_phone": f"+82-{area}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
    }
    processes = [p for f in families for p in f.processes]
    chosen = rng.sample(processes, k=min(len(processes), rng.randint(2, 4)))
    record["capabilities"] = [ko if lang == "ko" else en for en, ko in chosen]
    record["description"] = describe_supplier(rng, record, families, chosen, lang)
    if lang == "ko" and "en" in record["languages"]:
        record["languages"].remove("en")  # a Korean-only profile is written by a Korean-only team
    return {k: v for k, v in record.items() if v not in (None, [], "")}, [f.key for f in families]


@dataclass(frozen=True)
class Need:
    """What a generated request asks for, kept to grade suppliers against it."""

    family: Family
    certification: str | None
    max_lead: int | None


def make_request(rng: random.Random, external_id: str) -> tuple[dict, Need]:
    """One buyer request in one of several languages, and the need behind it."""
    lang = weighted(rng, REQUEST_LANGUAGES)
    pool = [f for f in FAMILIES if lang in ("en", "ko") or lang in f.i18n]
    family = rng.choice(pool)
    cert = rng.choice(CERTIFICATIONS[family.industry]) if rng.random() < 0.5 else None
    lo, hi = family.lead
    max_lead = rng.randint(lo + (hi - lo) // 3, hi) if rng.random() < 0.4 else None
    quantity = nice(log_uniform(rng, family.moq[0], family.moq[1] * 5))
    title, description = request_text(rng, family, lang, quantity, cert, max_lead)
    record = {
        "external_id": external_id,
        "title": title,
        "description": description,
        "buyer_country": rng.choice(BUYER_COUNTRIES[lang]),
        "industry": family.industry if rng.random() < 0.6 else None,
        "quantity": quantity,
        "unit": family.unit,
        "required_certifications": [cert] if cert else [],
        "max_lead_time_days": max_lead,
        "target_unit_price_usd": round(log_uniform(rng, *family.price), 2) if rng.random() < 0.5 else None,
        "deadline": f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
    return {k: v for k, v in record.items() if v not in (None, [], "")}, Need(family, cert, max_lead)


def grade(need: Need, supplier: dict, family_keys: Sequence[str]) -> int:
    """The relevance grade of ``supplier`` for ``need`` (see the module docstring)."""
    if need.family.key in family_keys:
        product = supplier["products"][family_keys.index(need.family.key)]
        gaps = 0
        if need.certification and need.certification not in supplier.get("certifications", []):
            gaps += 1
        if need.max_lead and product["lead_time_days"] > need.max_lead:
            gaps += 1
        return 3 if gaps == 0 else 2
    if any(f.key in family_keys for f in siblings(need.family)):
        return 1
    return 0


def generate(seed: int = DEFAULT_SEED) -> dict[str, list[dict]]:
    """The whole demo data set as lists of records, keyed by file name."""
    rng = random.Random(seed)
    used: set[str] = set()
    suppliers, families = [], []
    for number in range(1, SUPPLIERS + 1):
        record, keys = make_supplier(rng, number, used)
        suppliers.append(record)
        families.append(keys)
    requests = [make_request(rng, f"RFQ-DEMO-{n:04d}")[0] for n in range(1, DEMO_REQUESTS + 1)]
    dev_requests, judgments = [], []
    for n in range(1, DEV_REQUESTS + 1):
        record, need = make_request(rng, f"RFQ-DEV-{n:04d}")
        dev_requests.append(record)
        graded = [(grade(need, s, keys), s["external_id"]) for s, keys in zip(suppliers, families)]
        positives = [(g, sid) for g, sid in graded if g > 0]
        # Hard negatives: same industry, judged 0, so evaluation sees explicit misses too.
        same_industry = [sid for (g, sid), s in zip(graded, suppliers)
                         if g == 0 and s["industry"] == need.family.industry]
        negatives = [(0, sid) for sid in rng.sample(same_industry, k=min(10, len(same_industry)))]
        for g, sid in sorted(positives, key=lambda p: (-p[0], p[1])) + sorted(negatives, key=lambda p: p[1]):
            judgments.append({"request_id": record["external_id"], "supplier_id": sid, "grade": g})
    return {"suppliers.jsonl": suppliers, "requests.jsonl": requests,
            "dev/requests.jsonl": dev_requests, "dev/judgments.jsonl": judgments}


def write(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the demo data set under ``out_dir``; return the record count of each file."""
    counts = {}
    for name, records in generate(seed).items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(dumps(r) + "\n" for r in records), encoding="utf-8")
        counts[name] = len(records)
    return counts
