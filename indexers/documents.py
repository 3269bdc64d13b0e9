"""Supplier profiles (data-contract records) as search documents, and the text that gets embedded."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from search.documents import Document, IndexSchema

# Field boosts: a buyer's words in a company or product name say more than in a long description.
TEXT_WEIGHTS = {"name": 3.0, "products": 2.0, "capabilities": 1.5, "description": 1.0, "region": 0.5}
KEYWORD_FIELDS = ("industry", "certifications", "export_markets", "languages", "hs_codes")
NUMERIC_FIELDS = ("smart_factory_level", "employees", "founded_year", "min_moq", "min_lead_time_days")
EMBED_CHARS = 2000  # longer texts add little to a sentence embedding and cost time


def schema(vectors: Mapping[str, int]) -> IndexSchema:
    """The supplier index schema with one vector field per encoder."""
    return IndexSchema(dict(TEXT_WEIGHTS), KEYWORD_FIELDS, NUMERIC_FIELDS, dict(vectors))


def _join(*parts) -> str:
    return "\n".join(part for part in parts if part)


def text_fields(record: Mapping[str, Any]) -> dict[str, str]:
    """The searchable text of a supplier record, by field."""
    products = record.get("products") or []
    return {
        "name": _join(record.get("name"), record.get("name_en")),
        "products": _join(*(_join(p.get("name"), p.get("description")) for p in products)),
        "capabilities": _join(*(record.get("capabilities") or [])),
        "description": record.get("description") or "",
        "region": record.get("region") or "",
    }


def embedding_text(record: Mapping[str, Any]) -> str:
    """The one text an encoder sees for a supplier: names, products, capabilities, then description."""
    products = "; ".join(p["name"] for p in record.get("products") or [])
    capabilities = ", ".join(record.get("capabilities") or [])
    head = ". ".join(part for part in (record.get("name_en") or record.get("name"), products, capabilities) if part)
    return _join(head, record.get("description") or "")[:EMBED_CHARS]


def request_text(record: Mapping[str, Any]) -> str:
    """The query text of a buyer request: its title and description (once, when they are equal)."""
    title, description = record.get("title") or "", record.get("description") or ""
    return title if description.strip() == title.strip() else _join(title, description)


def _minimum(values):
    values = [v for v in values if v is not None]
    return min(values) if values else None


def supplier_document(record: Mapping[str, Any], vectors: Mapping[str, np.ndarray] | None = None) -> Document:
    """A search document for one supplier record."""
    products = record.get("products") or []
    hs_codes = sorted({p["hs_code"].replace(".", "")[:n] for p in products if p.get("hs_code") for n in (4, 6)})
    numbers = {
        "smart_factory_level": record.get("smart_factory_level"),
        "employees": record.get("employees"),
        "founded_year": record.get("founded_year"),
        "min_moq": _minimum(p.get("moq") for p in products),
        "min_lead_time_days": _minimum(p.get("lead_time_days") for p in products),
    }
    return Document(
        id=record["external_id"],
        text=text_fields(record),
        # Canonical ids when the app supplies them ("ISO 9001" for "ISO9001:2015"), else as written.
        keywords={"industry": [record["industry"]],
                  "certifications": list(record.get("certification_ids", record.get("certifications")) or []),
                  "export_markets": list(record.get("export_markets") or []),
                  "languages": list(record.get("languages") or []), "hs_codes": hs_codes},
        numbers={name: value for name, value in numbers.items() if value is not None},
        vectors=dict(vectors or {}),
    )
