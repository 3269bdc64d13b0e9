"""The forms a buyer fills in: a sourcing request, and a request for an introduction.

Every number and date has bounds, so no input reaches the database as a value
it cannot hold (PostgreSQL's integers are 32-bit) or the matching service as
nonsense (a deadline in 1999, a price of 0). Lengths, counts and ranges are the
data contract's (``dataio.contract.REQUEST``, whose numbers are the input
limits), so a request typed here and one imported obey the same limits; the
lower price bound and the deadline window are this form's own.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, HiddenField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation,
                                ValidationError)

from .. import certifications
from ..dataio.contract import REQUEST
from ..dataio.limits import MESSAGE_CHARS
from ..domain import INDUSTRIES, UNITS
from ..forms import country_code, country_options, no_nul, strip
from ..i18n import industry_label, unit_label

TITLE, DESCRIPTION, QUANTITY = REQUEST["title"], REQUEST["description"], REQUEST["quantity"]
LEAD_TIME, PRICE, CERTIFICATIONS = (REQUEST["max_lead_time_days"], REQUEST["target_unit_price_usd"],
                                    REQUEST["required_certifications"])
MIN_PRICE = Decimal("0.01")  # a target price of 0 is no target
MAX_DEADLINE_DAYS = 2 * 365  # quotes are wanted within two years
# The typed list: every certification at its longest, with a comma and a space between them.
CERTIFICATIONS_CHARS = CERTIFICATIONS.max_items * (CERTIFICATIONS.item.max_length + 2)


def finite(form, field) -> None:
    """Refuse ``NaN`` and ``Infinity``, which ``Decimal`` accepts and no range check can compare."""
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        field.errors[:] = []
        raise StopValidation(_l("Enter a number."))  # stop: the range check that follows would crash on NaN


def split_certifications(text: str | None) -> list[str]:
    """The written certifications as a list without empties or repeats (same scheme twice counts once)."""
    seen: dict[str, str] = {}
    for item in (text or "").replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        key = certifications.parse(item).id if any(ch.isalnum() for ch in item) else item
        seen.setdefault(key, item)
    return list(seen.values())


def normalized_certifications(text: str | None) -> list[str]:
    """Known schemes by their canonical id (``iso9001:2015`` is ``ISO 9001``); others as the buyer wrote them."""
    result = []
    for item in split_certifications(text):
        parsed = certifications.parse(item) if any(ch.isalnum() for ch in item) else None
        result.append(parsed.id if parsed and parsed.known and parsed.held else item)
    return result


def _industry_choices():
    return [("", _l("Any industry"))] + [(code, industry_label(code)) for code in INDUSTRIES]


def _unit_choices():
    return [("", _l("Choose a unit"))] + [(code, f"{unit_label(code)} ({code})") for code in UNITS]


class RequestForm(FlaskForm):
    """Fields of the data contract's buyer request that a person types."""

    title = StringField(_l("Title"), filters=[strip],
                        validators=[DataRequired(), Length(min=3, max=TITLE.max_length), no_nul],
                        description=_l("A short name for what you are sourcing, e.g. “Aluminium die-cast housings”."))
    description = TextAreaField(_l("What do you need?"), filters=[strip],
                                validators=[DataRequired(), Length(min=10, max=DESCRIPTION.max_length), no_nul],
                                description=_l("Product, material or process, specifications, and anything a "
                                               "supplier must meet. Any language."))
    industry = SelectField(_l("Industry"), validators=[Optional()])
    buyer_country = SelectField(_l("Destination country"), filters=[country_code], validators=[DataRequired()],
                                description=_l("Where the goods will be delivered."))
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(QUANTITY.low, QUANTITY.high)])
    unit = SelectField(_l("Unit"), default="")  # no Optional(): it would skip the check that a quantity has a unit
    required_certifications = StringField(
        _l("Required certifications"), filters=[strip],
        validators=[Optional(), Length(max=CERTIFICATIONS_CHARS), no_nul],
        description=_l("Separate several with commas, e.g. ISO 9001, IATF 16949. Any certification may be typed."))
    max_lead_time_days = IntegerField(_l("Longest acceptable lead time (days)"),
                                      validators=[Optional(), NumberRange(min=LEAD_TIME.low, max=LEAD_TIME.high)])
    target_unit_price_usd = DecimalField(_l("Target unit price (USD)"), places=2,
                                         validators=[Optional(), finite, NumberRange(min=MIN_PRICE, max=PRICE.high)])
    deadline = DateField(_l("Quotes needed by"), validators=[Optional()])
    version = HiddenField()  # the request's version when the edit page was opened

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.industry.choices = _industry_choices()
        self.unit.choices = _unit_choices()
        self.buyer_country.choices = country_options()

    def validate_unit(self, field) -> None:
        if self.quantity.data and not field.data:
            raise ValidationError(_l("Choose the unit of the quantity."))

    def validate_deadline(self, field) -> None:
        if field.data is None:
            return
        today = date.today()
        if field.data < today:
            raise ValidationError(_l("Choose a date from today on."))
        if field.data > today + timedelta(days=MAX_DEADLINE_DAYS):
            raise ValidationError(_l("Choose a date within two years."))

    def validate_required_certifications(self, field) -> None:
        items = split_certifications(field.data)
        if len(items) > CERTIFICATIONS.max_items:
            raise ValidationError(_l("List at most %(n)d certifications.", n=CERTIFICATIONS.max_items))
        if any(len(item) > CERTIFICATIONS.item.max_length for item in items):
            raise ValidationError(_l("Each certification must be at most %(n)d characters.",
                                     n=CERTIFICATIONS.item.max_length))
        if any(not any(ch.isalnum() for ch in item) for item in items):
            raise ValidationError(_l("Each certification needs a letter or digit."))

    def certification_list(self) -> list[str]:
        """The certifications to store: known schemes normalized, others as written."""
        return normalized_certifications(self.required_certifications.data)

    def values(self) -> dict:
        """The request's fields as the service takes them."""
        price = self.target_unit_price_usd.data
        return {
            "title": self.title.data, "description": self.description.data,
            "industry": self.industry.data or None, "buyer_country": self.buyer_country.data or None,
            "quantity": self.quantity.data, "unit": (self.unit.data or None) if self.quantity.data else None,
            "required_certifications": self.certification_list(),
            "max_lead_time_days": self.max_lead_time_days.data,
            "target_unit_price_usd": float(price) if price is not None else None,
            "deadline": self.deadline.data,
        }


class IntroductionForm(FlaskForm):
    """Ask the team to introduce a supplier: what is needed, how many, and for which request."""

    message = TextAreaField(_l("What do you need from this supplier?"), filters=[strip],
                            validators=[DataRequired(), Length(min=10, max=MESSAGE_CHARS), no_nul])
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(QUANTITY.low, QUANTITY.high)])
    unit = SelectField(_l("Unit"), default="")  # no Optional(): it would skip the check that a quantity has a unit
    # A request id, or "new" to create a request from this form.
    request_choice = RadioField(_l("Which of your requests is this for?"), validators=[InputRequired()])
    # Required only for a new request (checked below); Optional() would skip that check.
    title = StringField(_l("Title of the new request"), filters=[strip], validators=[Length(max=TITLE.max_length),
                                                                                     no_nul])
    buyer_country = SelectField(_l("Destination country"), filters=[country_code], default="")

    def __init__(self, open_requests, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = _unit_choices()
        self.buyer_country.choices = country_options()
        self.request_choice.choices = [(str(row.id), row.title) for row in open_requests] + [
            ("new", _l("A new request"))]
        if self.request_choice.data is None:
            self.request_choice.data = str(open_requests[0].id) if open_requests else "new"

    def validate_unit(self, field) -> None:
        if self.quantity.data and not field.data:
            raise ValidationError(_l("Choose the unit of the quantity."))

    def validate_title(self, field) -> None:
        if self.request_choice.data == "new" and len(field.data or "") < 3:
            raise ValidationError(_l("Give the new request a title of at least 3 characters."))

    def validate_buyer_country(self, field) -> None:
        if self.request_choice.data == "new" and not field.data:
            raise ValidationError(_l("Choose the destination country of the new request."))
