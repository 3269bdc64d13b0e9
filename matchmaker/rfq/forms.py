"""The form a buyer fills in to post a sourcing request."""
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..domain import INDUSTRIES

MAX_QUANTITY = 1_000_000_000
MAX_PRICE = 10_000_000


class RequestForm(FlaskForm):
    """Fields of the data contract's buyer request that a person types."""

    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("What do you need?", validators=[DataRequired(), Length(max=20000)])
    industry = SelectField("Industry", choices=[SelectChoice("", "Any")] + [SelectChoice(c, en) for c, (en, _) in INDUSTRIES.items()],
                           validators=[Optional()])
    buyer_country = StringField("Your country (2-letter code)", validators=[
        Optional(), Regexp(r"^[A-Za-z]{2}$", message="Use the 2-letter ISO code, e.g. US or DE.")])
    # Bounded so every value fits the database's integer column (PostgreSQL's is 32-bit).
    quantity = IntegerField("Quantity", validators=[Optional(), NumberRange(min=1, max=MAX_QUANTITY)])
    unit = StringField("Unit", validators=[Optional(), Length(max=20)])
    required_certifications = StringField("Required certifications (comma-separated)",
                                          validators=[Optional(), Length(max=500)])
    max_lead_time_days = IntegerField("Longest acceptable lead time (days)",
                                      validators=[Optional(), NumberRange(min=1, max=3650)])
    target_unit_price_usd = DecimalField("Target unit price (USD)", places=4,
                                         validators=[Optional(), NumberRange(min=0, max=MAX_PRICE)])
    deadline = DateField("Quotes needed by", validators=[Optional()])

    def certification_list(self) -> list[str]:
        """The certifications as a clean list, without empties or repeats."""
        seen: dict[str, None] = {}
        for item in (self.required_certifications.data or "").split(","):
            if item.strip():
                seen.setdefault(item.strip(), None)
        return list(seen)
