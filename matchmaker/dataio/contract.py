"""The data contract (``shared/data-contract.md``) as checkable field specs.

:func:`validate` turns one decoded JSON object into a clean dict, or a list of
:class:`FieldError` naming the field (``products[2].moq``) and what is wrong.
Unknown fields are accepted and ignored, as the contract allows. Messages are
in the interface language when a person reads them on a page (English elsewhere),
so the import report and the supplier editor say the same thing. Every field is
bounded: lengths, counts and ranges come from :mod:`.limits`, and README's
"Input limits" table is made from these specs (:mod:`.limits_table`).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..domain import INDUSTRIES
from . import limits as L
from .codes import COUNTRIES, LANGUAGES


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of one line of a file."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if not self.line and not self.field:  # about the whole input (an empty file)
            return self.message
        where = f"line {self.line}" if self.line else "input"
        return f"{where}, field '{self.field}': {self.message}" if self.field else f"{where}: {self.message}"


Check = Callable[[Any], str | None]  # returns an error message, or None when the value is fine


@dataclass(frozen=True)
class Field:
    """How one field of a record is checked; the bounds (``limits``) are README's "Input limits" too."""

    kind: str  # str, int, number, list, object
    required: bool = False
    check: Check | None = None
    item: Field | None = None  # for lists
    spec: dict[str, Field] | None = None  # for objects
    max_length: int | None = None  # characters, for strings
    max_items: int | None = None  # for lists
    low: float | None = None  # for numbers
    high: float | Callable[[], float] | None = None  # for numbers; a callable for a bound that moves (this year)

    def upper(self) -> float | None:
        """The highest value allowed today."""
        return self.high() if callable(self.high) else self.high


def _shown(value: str) -> str:
    # An error repeats what it refuses, but never a whole description.
    return repr(value) if len(value) <= 60 else repr(value[:60]) + "…"


def _choice(allowed, what: str) -> Check:
    def check(value):
        if value not in allowed:
            shown = ", ".join(sorted(allowed)) if len(allowed) <= 12 else str(what)
            return _("must be %(allowed)s; got %(value)s", allowed=shown, value=_shown(value))
        return None
    return check


SURROGATE = re.compile("[\ud800-\udfff]")
HS_CODE = re.compile(r"^\d+(\.\d+)*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _hs_code(value: str) -> str | None:
    digits = value.replace(".", "")
    if not HS_CODE.match(value) or not 4 <= len(digits) <= 10:
        return _("must be an HS code of 4 to 10 digits, dots allowed (e.g. 8708.99); got %(value)s",
                 value=_shown(value))
    return None


def _pattern(regex: re.Pattern, what: str) -> Check:
    return lambda value: None if regex.match(value) else _("must be %(what)s; got %(value)s", what=what,
                                                           value=_shown(value))


def _iso_date(value: str) -> str | None:
    try:
        date.fromisoformat(value)
    except ValueError:
        return _("must be an ISO 8601 date (YYYY-MM-DD); got %(value)s", value=_shown(value))
    return None


def _this_year() -> int:
    return date.today().year


COUNTRY_CODE = _l("an ISO 3166-1 alpha-2 country code (e.g. US)")
TEXT_LIST = Field("list", max_items=L.CAPABILITIES,
                  # List items are required: an empty string inside a list is a mistake, not an absent value.
                  item=Field("str", required=True, max_length=L.ITEM_CHARS))
# A code list names each code at most once, so it is never longer than its table.
COUNTRY_LIST = Field("list", max_items=len(COUNTRIES),
                     item=Field("str", required=True, check=_choice(COUNTRIES, COUNTRY_CODE)))
LANGUAGE_LIST = Field("list", max_items=len(LANGUAGES),
                      item=Field("str", required=True,
                                 check=_choice(LANGUAGES, _l("an ISO 639-1 language code (e.g. en)"))))
ID = Field("str", required=True, max_length=L.ID_CHARS)

PRODUCT: dict[str, Field] = {
    "name": Field("str", required=True, max_length=L.NAME_CHARS),
    "description": Field("str", max_length=L.PRODUCT_DESCRIPTION_CHARS),
    "hs_code": Field("str", max_length=L.HS_CODE_CHARS, check=_hs_code),
    "moq": Field("int", low=1, high=L.QUANTITY_MAX),
    "unit": Field("str", max_length=L.UNIT_CHARS),
    "lead_time_days": Field("int", low=0, high=L.LEAD_TIME_DAYS_MAX),
    "unit_price_usd": Field("number", low=0, high=L.PRICE_USD_MAX),
}

SUPPLIER: dict[str, Field] = {
    "external_id": ID,
    "name": Field("str", required=True, max_length=L.NAME_CHARS),
    "name_en": Field("str", max_length=L.NAME_CHARS),
    "description": Field("str", required=True, max_length=L.DESCRIPTION_CHARS),
    "industry": Field("str", required=True, check=_choice(INDUSTRIES, _l("an industry code"))),
    "region": Field("str", max_length=L.REGION_CHARS),
    "products": Field("list", max_items=L.PRODUCTS, item=Field("object", required=True, spec=PRODUCT)),
    "capabilities": TEXT_LIST,
    "certifications": Field("list", max_items=L.CERTIFICATIONS, item=TEXT_LIST.item),
    "smart_factory_level": Field("int", low=0, high=5),  # the contract's scale
    "employees": Field("int", low=0, high=L.EMPLOYEES_MAX),
    "founded_year": Field("int", low=L.FOUNDED_MIN, high=_this_year),
    "export_markets": COUNTRY_LIST,
    "languages": LANGUAGE_LIST,
    "website": Field("str", max_length=L.WEBSITE_CHARS, check=_pattern(URL, _l("an http(s) URL"))),
    "contact_email": Field("str", max_length=L.EMAIL_CHARS, check=_pattern(EMAIL, _l("an email address"))),
    "contact_phone": Field("str", max_length=L.PHONE_CHARS),
}

REQUEST: dict[str, Field] = {
    "external_id": ID,
    "title": Field("str", required=True, max_length=L.TITLE_CHARS),
    "description": Field("str", required=True, max_length=L.DESCRIPTION_CHARS),
    "buyer_country": Field("str", check=_choice(COUNTRIES, COUNTRY_CODE)),
    "industry": Field("str", check=_choice(INDUSTRIES, _l("an industry code"))),
    "quantity": Field("int", low=1, high=L.QUANTITY_MAX),
    "unit": Field("str", max_length=L.UNIT_CHARS),
    "required_certifications": Field("list", max_items=L.REQUIRED_CERTIFICATIONS,
                                     item=Field("str", required=True, max_length=L.REQUIRED_CERTIFICATION_CHARS)),
    "max_lead_time_days": Field("int", low=1, high=L.LEAD_TIME_DAYS_MAX),
    "target_unit_price_usd": Field("number", low=0, high=L.PRICE_USD_MAX),
    "deadline": Field("str", check=_iso_date),
}

JUDGMENT: dict[str, Field] = {
    "request_id": ID,
    "supplier_id": ID,
    "grade": Field("int", required=True, low=0, high=3),  # the contract's scale
}

# Integers are stored in 32-bit columns (PostgreSQL ``integer``): every whole-number field's range lies
# within this (a test checks), so a checked value can always be saved.
INT_LIMIT = 2**31 - 1

TYPE_NAMES = {"str": "a string", "int": "an integer", "number": "a number",
              "list": "a list", "object": "an object"}


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":  # bool is an int in Python, not in JSON
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    return isinstance(value, dict)


def _describe(value: Any) -> str:
    return {type(None): "null", bool: "a boolean", str: "a string", int: "an integer", float: "a number",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


@dataclass
class _Checker:
    line: int
    errors: list[FieldError] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(self.line, path, message))

    def value(self, spec: Field, value: Any, path: str) -> Any:
        if not _type_ok(spec.kind, value):
            self.fail(path, f"must be {TYPE_NAMES[spec.kind]}, got {_describe(value)}")
            return None
        if spec.kind == "str":
            value = value.strip()
            if not value:
                if spec.required:
                    self.fail(path, _("must not be empty"))
                return None
            if spec.max_length and len(value) > spec.max_length:
                self.fail(path, _("is %(length)d characters long; at most %(limit)d allowed",
                                  length=len(value), limit=spec.max_length))
                return None
            if "\x00" in value:  # PostgreSQL text cannot hold it
                self.fail(path, _("must not contain NUL characters"))
                return None
            if SURROGATE.search(value):  # JSON's "\ud800" escape: no UTF-8 exists for it, so no database takes it
                self.fail(path, _("must not contain a lone surrogate (a \\ud800 to \\udfff escape without its pair)"))
                return None
        if spec.kind == "number":
            try:
                value = float(value)
            except OverflowError:  # an integer beyond any float
                value = math.inf
            if not math.isfinite(value):
                self.fail(path, _("must be a finite number, got %(value)s", value=value))
                return None
        if spec.kind == "list":
            if spec.max_items is not None and len(value) > spec.max_items:  # before its items: one error, not 10,000
                self.fail(path, _("has %(count)d items; at most %(limit)d allowed", count=len(value),
                                  limit=spec.max_items))
                return None
            return [self.value(spec.item, item, f"{path}[{i}]") for i, item in enumerate(value)]
        if spec.kind == "object":
            return self.record(spec.spec, value, path + ".")
        if spec.check and (message := spec.check(value)):
            self.fail(path, message)
            return None
        if spec.kind in ("int", "number") and not spec.low <= value <= spec.upper():
            self.fail(path, _("must be between %(low)s and %(high)s, got %(value)s", low=spec.low,
                              high=spec.upper(), value=value))
            return None
        return value

    def record(self, spec: dict[str, Field], obj: dict, prefix: str = "") -> dict:
        clean = {}
        for name, rule in spec.items():
            value = obj.get(name)
            if value is None or (value == "" and not rule.required):
                if rule.required:
                    self.fail(prefix + name, _("is required"))
                continue
            clean[name] = self.value(rule, value, prefix + name)
        return clean


def validate(spec: dict[str, Field], obj: Any, line: int) -> tuple[dict, list[FieldError]]:
    """Check ``obj`` against ``spec``: a clean copy (strings stripped) and the errors found."""
    checker = _Checker(line)
    if not isinstance(obj, dict):
        checker.fail("", f"expected a JSON object, got {_describe(obj)}")
        return {}, checker.errors
    return checker.record(spec, obj), checker.errors
