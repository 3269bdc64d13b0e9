"""The supplier editor's form: every field of the contract's supplier record, as people type it.

The form only carries text; what is allowed is decided by the data contract
(``dataio.contract``), which ``catalog.editor`` runs on what was typed. The
required marks and length limits shown here are read from the same specs.
"""
from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FieldList, Form, FormField, HiddenField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)

from ..dataio.codes import COUNTRIES, LANGUAGES
from ..dataio.contract import PRODUCT, SUPPLIER, Field
from ..display import country_choices, language_name, smart_factory_label
from ..domain import INDUSTRIES, SMART_FACTORY_LEVELS
from ..i18n import current_language, industry_label


def _mark(form, spec: dict[str, Field], skip: tuple[str, ...] = ()) -> None:
    # The contract says which fields are required and how long they may be; the inputs show it.
    for name, rule in spec.items():
        if name in form._fields and name not in skip:
            if rule.required:
                form[name].flags.required = True
            if rule.max_length:
                form[name].flags.maxlength = rule.max_length


def _by_name(pairs) -> list[tuple[str, str]]:
    def key(pair):
        # "Åland Islands" sorts with A, as people look for it; a code without a name ("bh") goes last.
        name = "".join(ch for ch in unicodedata.normalize("NFKD", pair[1]) if not unicodedata.combining(ch))
        return pair[0] == pair[1], name.casefold()
    return sorted(pairs, key=key)


def _with_unknown(choices: list[tuple[str, str]], chosen) -> list[tuple[str, str]]:
    # A code outside the table stays visible (and selected), so the contract reports it instead of it vanishing.
    known = {code for code, _ in choices}
    return choices + [(code, code) for code in (chosen or []) if code not in known]


def country_choices_for_contract() -> list[tuple[str, str]]:
    """The contract's country codes by their names in the interface language."""
    names = dict(country_choices(current_language()))
    return _by_name((code, names.get(code, code)) for code in COUNTRIES)


def language_choices_for_contract() -> list[tuple[str, str]]:
    """The contract's language codes by their names in the interface language."""
    return _by_name((code, language_name(code, current_language())) for code in LANGUAGES)


class ProductForm(Form):
    """One product row; a row left empty is not a product."""

    name = StringField(_l("Product name"))
    description = TextAreaField(_l("Description"))
    hs_code = StringField(_l("HS code"), description=_l("4 to 10 digits, e.g. 8708.99"))
    moq = StringField(_l("Minimum order"))
    unit = StringField(_l("Unit"), description=_l("e.g. pcs, kg, m"))
    lead_time_days = StringField(_l("Lead time (days)"))
    unit_price_usd = StringField(_l("Indicative unit price (USD)"))
    remove = BooleanField(_l("Remove this product"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mark(self, PRODUCT)

    def is_blank(self) -> bool:
        """Nothing typed in this row."""
        return not any((self[name].data or "").strip() for name in PRODUCT)


class SupplierForm(FlaskForm):
    """Every field of a supplier profile; ``editor`` turns it into a contract record and back."""

    external_id = StringField(_l("Profile id"),
                              description=_l("Optional: the company's key in your source system. "
                                             "Left empty, one is made up."))
    name = StringField(_l("Registered name"), description=_l("As registered, often in Korean."))
    name_en = StringField(_l("English trade name"))
    industry = SelectField(_l("Industry"), validate_choice=False)
    region = StringField(_l("Region"), description=_l("e.g. Gyeongbuk Gumi or 경북 구미"))
    description = TextAreaField(_l("Description"), description=_l("What the company makes and how. Korean, "
                                                                   "English or both."))
    capabilities = TextAreaField(_l("Capabilities"), description=_l("Processes and services, one per line, "
                                                                    "e.g. 5-axis CNC machining."))
    smart_factory_level = SelectField(_l("Smart-factory level"), validate_choice=False)
    employees = StringField(_l("Employees"))
    founded_year = StringField(_l("Founded (year)"))
    website = StringField(_l("Website"), description=_l("Starting with https:// or http://"))
    products = FieldList(FormField(ProductForm))
    certifications = TextAreaField(_l("Certifications"), description=_l("One per line, e.g. ISO 9001."))
    export_markets = SelectMultipleField(_l("Export markets"), validate_choice=False)
    languages = SelectMultipleField(_l("Working languages"), validate_choice=False)
    contact_email = StringField(_l("Contact e-mail"))
    contact_phone = StringField(_l("Contact phone"))
    version = HiddenField()  # the profile's version when the page was opened

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mark(self, SUPPLIER, skip=("external_id",))  # made up when left empty
        self.industry.choices = [("", _l("Choose an industry"))] + [
            (code, industry_label(code)) for code in INDUSTRIES]
        self.smart_factory_level.choices = [(str(level) if level is not None else "",
                                             smart_factory_label(level, current_language()))
                                            for level in (None, *SMART_FACTORY_LEVELS)]
        self.export_markets.choices = _with_unknown(country_choices_for_contract(), self.export_markets.data)
        self.languages.choices = _with_unknown(language_choices_for_contract(), self.languages.data)
