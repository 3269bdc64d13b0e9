"""Between the supplier form and the data contract: what was typed as a contract record, and back.

:func:`read` turns the form into a record (strings as typed, numbers parsed;
a number that cannot be read stays text, so the contract reports that field).
:func:`show_errors` puts each of the contract's field errors next to its input
(``products[2].moq`` on the third product row that was filled in).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from ..dataio.contract import PRODUCT, SUPPLIER, FieldError
from ..i18n import industry_label
from ..templating import country_name, language_name
from .forms import SupplierForm

TEXT_LISTS = ("capabilities", "certifications")  # typed one per line (certifications: commas too)
CODE_LISTS = ("export_markets", "languages")  # chosen from the contract's code tables
BLANK_ROWS = 2  # empty product rows offered to fill in
WHOLE = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)", re.ASCII)  # 1200 or 1,200
DECIMAL = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?", re.ASCII)  # 12.5, .5 or 1,200.50; never 12,5
PATH = re.compile(r"(?P<name>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>\w+))?")


@dataclass
class Typed:
    """What the form says, as a contract record."""

    record: dict
    unreadable: dict[str, str] = field(default_factory=dict)  # contract path: why the number could not be read
    rows: list[int] = field(default_factory=list)  # the form row of each of the record's products


def _lines(text: str | None, commas: bool) -> list[str]:
    text = (text or "").replace(",", "\n") if commas else (text or "")
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def _in_order(chosen: list[str] | None, before: list[str] | None) -> list[str]:
    # A multiple select sends codes in list order; keep the saved order, so an untouched list is no change.
    chosen, before = list(chosen or []), list(before or [])
    return [code for code in before if code in chosen] + [code for code in chosen if code not in before]


def _value(kind: str, text, path: str, typed: Typed):
    text = text if isinstance(text, str) else ""
    if not text.strip():
        return None
    plain = text.strip()
    if kind == "int":
        if WHOLE.fullmatch(plain) and len(plain) <= 4000:  # Python reads no longer integer from text
            return int(plain.replace(",", ""))
        typed.unreadable[path] = _("Enter a whole number, e.g. 500.")
    elif kind == "number":
        if DECIMAL.fullmatch(plain) and any(ch.isdigit() for ch in plain):
            return float(plain.replace(",", ""))  # too large becomes inf, which the contract refuses
        typed.unreadable[path] = _("Enter a number with a point for decimals, e.g. 12.50.")
    return text


def read(form: SupplierForm, saved: dict | None = None) -> Typed:
    """The form as a contract record; ``saved`` (the stored record) keeps the order of code lists."""
    typed = Typed({})
    for name, rule in SUPPLIER.items():
        if name in TEXT_LISTS:
            typed.record[name] = _lines(form[name].data, commas=name == "certifications")
        elif name in CODE_LISTS:
            typed.record[name] = _in_order(form[name].data, (saved or {}).get(name))
        elif name != "products":
            typed.record[name] = _value(rule.kind, form[name].data, name, typed)
    products = []
    for row, entry in enumerate(form.products):
        if entry.form.remove.data or entry.form.is_blank():
            continue
        path = f"products[{len(products)}]"
        products.append({name: _value(rule.kind, entry.form[name].data, f"{path}.{name}", typed)
                         for name, rule in PRODUCT.items()})
        typed.rows.append(row)
    typed.record["products"] = products
    return typed


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # 0.00001, never 1e-05 (which the form would not read back)
    return str(value)


def initial(record: dict, version: int | None = None) -> dict:
    """Form data showing a stored contract record, with ``BLANK_ROWS`` empty product rows to fill."""
    data = {name: _text(record.get(name)) for name in SUPPLIER if name not in TEXT_LISTS + CODE_LISTS}
    data.update({name: "\n".join(record.get(name) or []) for name in TEXT_LISTS})
    data.update({name: list(record.get(name) or []) for name in CODE_LISTS})
    data["products"] = [{name: _text(product.get(name)) for name in PRODUCT}
                        for product in record.get("products") or []]
    data["products"] += [{} for _ in range(BLANK_ROWS)]
    data["version"] = "" if version is None else str(version)
    return data


def _sentence(message: str) -> str:
    # The contract's messages continue a field name ("is required"); under an input they stand alone.
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def show_errors(form: SupplierForm, errors: list[FieldError], typed: Typed) -> None:
    """Attach each error to its input; one without an input (none should be) goes above the form."""
    for error in errors:
        message = typed.unreadable.get(error.field) or _sentence(str(error.message))
        found = PATH.fullmatch(error.field)
        target = None
        if found and found["name"] == "products" and found["index"] and found["sub"]:
            index = int(found["index"])
            if index < len(typed.rows) and found["sub"] in PRODUCT:
                target = form.products[typed.rows[index]].form[found["sub"]]
        elif found and found["name"] in SUPPLIER and found["name"] != "products":
            target = form[found["name"]]
            if found["index"] and found["name"] in TEXT_LISTS:
                message = _("Entry %(number)d: %(message)s", number=int(found["index"]) + 1, message=message)
        if target is None and error.field == "products":  # the list as a whole: too many products
            form.form_errors.append(_("Products: %(message)s", message=message))
        elif target is None:
            form.form_errors.append(f"{error.field}: {message}" if error.field else message)
        else:
            target.errors = [*target.errors, message]


def _shown(name: str, value) -> str:
    if name == "products":
        names = ", ".join(product.get("name", "") for product in value or [])
        return ngettext("%(num)d product", "%(num)d products", len(value or [])) + (f": {names}" if names else "")
    if name == "industry":
        return industry_label(value)
    if name in CODE_LISTS:
        label = country_name if name == "export_markets" else language_name
        return ", ".join(label(code) for code in value or [])
    text = ", ".join(value) if isinstance(value, list) else _text(value)
    return text if len(text) <= 200 else text[:200] + "…"


def saved_values(form: SupplierForm, differences: dict[str, tuple]) -> list[tuple[str, str]]:
    """For a refused stale edit: each field where the form differs from the profile, with what is saved now."""
    return [(str(form[name].label.text), _shown(name, saved) or _("(empty)"))
            for name, (saved, _typed) in differences.items()]
