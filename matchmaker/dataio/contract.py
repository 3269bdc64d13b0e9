"""The data contract (``shared/data-contract.md``) as checkable field specs.

:func:`validate` turns one decoded JSON object into a clean dict, or a list of
:class:`FieldError` naming the field (``products[2].moq``) and what is wrong.
Unknown fields are accepted and ignored, as the contract allows. Messages are
in the interface language when a person reads them on a page (English elsewhere),
so the import report and the supplier editor say the same thing.
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
from .codes import COUNTRIES, LANGUAGES


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of one line of a file."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "input"
        return f"{where}, field '{self.field}': {self.message}" if self.field else f"{where}: {self.message}"


Check = Callable[[Any], str | None]  # returns an error message, or None when the value is fine


@dataclass(frozen=True)
class Field:
    """How one field of a record is checked."""

    kind: str  # str, int, number, date, list, object
    required: bool = False
    check: Check | None = None
    item: Field | None = None  # for lists
    spec: dict[str, Field] | None = None  # for objects
    max_length: int | None = None


def _range(low: float | None, high: float | None) -> Check:
    def check(value):
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                return _("must be at least %(low)s, got %(value)s", low=low, value=value)
            return _("must be between %(low)s and %(high)s, got %(value)s", low=low, high=high, value=value)
        return None
    return check


def _choice(allowed, what: str) -> Check:
    def check(value):
        if value not in allowed:
            shown = ", ".join(sorted(allowed)) if len(allowed) <= 12 else str(what)
            return _("must be %(allowed)s; got %(value)s", allowed=shown, value=repr(value))
        return None
    return check


HS_CODE = re.compile(r"^\d+(\.\d+)*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _hs_code(value: str) -> str | None:
    digits = value.replace(".", "")
    if not HS_CODE.match(value) or not 4 <= len(digits) <= 10:
        return _("must be an HS code of 4 to 10 digits, dots allowed (e.g. 8708.99); got %(value)s",
                 value=repr(value))
    return None


def _pattern(regex: re.Pattern, what: str) -> Check:
    return lambda value: None if regex.match(value) else _("must be %(what)s; got %(value)s", what=what,
                                                              value=repr(value))


def _iso_date(value: str) -> str | None:
    try:
        date.fromisoformat(value)
    except ValueError:
        return _("must be an ISO 8601 date (YYYY-MM-DD); got %(value)s", value=repr(value))
    return None


def _founded(value: int) -> str | None:
    return _range(1800, date.today().year)(value)


COUNTRY_CODE = _l("an ISO 3166-1 alpha-2 country code (e.g. US)")
TEXT = Field("str")
# List items are required: an empty string inside a list is a mistake, not an absent value.
TEXT_LIST = Field("list", item=Field("str", required=True, max_length=200))
COUNTRY_LIST = Field("list", item=Field("str", required=True,
                                        check=_choice(COUNTRIES, COUNTRY_CODE)))

PRODUCT: dict[str, Field] = {
    "name": Field("str", required=True, max_length=200),
    "description": TEXT,
    "hs_code": Field("str", max_length=16, check=_hs_code),  # the column's width
    "moq": Field("int", check=_range(1, None)),
    "unit": Field("str", max_length=20),
    "lead_time_days": Field("int", check=_range(0, 3650)),
    "unit_price_usd": Field("number", check=_range(0, None)),
}

SUPPLIER: dict[str, Field] = {
    "external_id": Field("str", required=True, max_length=100),
    "name": Field("str", required=True, max_length=200),
    "name_en": Field("str", max_length=200),
    "description": Field("str", required=True),
    "industry": Field("str", required=True, check=_choice(INDUSTRIES, _l("an industry code"))),
    "region": Field("str", max_length=100),
    "products": Field("list", item=Field("object", required=True, spec=PRODUCT)),
    "capabilities": TEXT_LIST,
    "certifications": TEXT_LIST,
    "smart_factory_level": Field("int", check=_range(0, 5)),
    "employees": Field("int", check=_range(0, 10_000_000)),
    "founded_year": Field("int", check=_founded),
    "export_markets": COUNTRY_LIST,
    "languages": Field("list", item=Field("str", required=True,
                                          check=_choice(LANGUAGES, _l("an ISO 639-1 language code (e.g. en)")))),
    "website": Field("str", max_length=300, check=_pattern(URL, _l("an http(s) URL"))),
    "contact_email": Field("str", max_length=254, check=_pattern(EMAIL, _l("an email address"))),
    "contact_phone": Field("str", max_length=50),
}

REQUEST: dict[str, Field] = {
    "external_id": Field("str", required=True, max_length=100),
    "title": Field("str", required=True, max_length=300),
    "description": Field("str", required=True),
    "buyer_country": Field("str", check=_choice(COUNTRIES, COUNTRY_CODE)),
    "industry": Field("str", check=_choice(INDUSTRIES, _l("an industry code"))),
    "quantity": Field("int", check=_range(1, None)),
    "unit": Field("str", max_length=20),
    "required_certifications": TEXT_LIST,
    "max_lead_time_days": Field("int", check=_range(1, 3650)),
    "target_unit_price_usd": Field("number", check=_range(0, None)),
    "deadline": Field("str", check=_iso_date),
}

JUDGMENT: dict[str, Field] = {
    "request_id": Field("str", required=True, max_length=100),
    "supplier_id": Field("str", required=True, max_length=100),
    "grade": Field("int", required=True, check=_range(0, 3)),
}

# Integers are stored in 32-bit columns (PostgreSQL ``integer``): a larger one could not be saved.
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
        if spec.kind == "number":
            try:
                value = float(value)
            except OverflowError:  # an integer beyond any float
                value = math.inf
            if not math.isfinite(value):
                self.fail(path, _("must be a finite number, got %(value)s", value=value))
                return None
        if spec.kind == "list":
            return [self.value(spec.item, item, f"{path}[{i}]") for i, item in enumerate(value)]
        if spec.kind == "object":
            return self.record(spec.spec, value, path + ".")
        if spec.check and (message := spec.check(value)):
            self.fail(path, message)
            return None
        if spec.kind == "int" and not -INT_LIMIT - 1 <= value <= INT_LIMIT:  # after the field's own range
            self.fail(path, _("is out of range: must be between %(low)d and %(high)d", low=-INT_LIMIT - 1,
                              high=INT_LIMIT))
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
