"""The form the sales team uses to correct a supplier profile."""
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..domain import INDUSTRIES


def split_list(text: str | None) -> list[str]:
    """A comma-separated field as a clean list without empties or repeats."""
    return list(dict.fromkeys(item.strip() for item in (text or "").split(",") if item.strip()))


class SupplierForm(FlaskForm):
    """The profile fields people edit; products and contacts come from imports."""

    name = StringField("Registered name", validators=[DataRequired(), Length(max=200)])
    name_en = StringField("English trade name", validators=[Optional(), Length(max=200)])
    industry = SelectField("Industry", choices=[SelectChoice(c, en) for c, (en, _) in INDUSTRIES.items()])
    region = StringField("Region", validators=[Optional(), Length(max=100)])
    description = TextAreaField("Description", validators=[DataRequired(), Length(max=20000)])
    capabilities = StringField("Capabilities (comma-separated)", validators=[Optional(), Length(max=2000)])
    certifications = StringField("Certifications (comma-separated)", validators=[Optional(), Length(max=1000)])
    smart_factory_level = IntegerField("Smart-factory level (0-5)", validators=[Optional(), NumberRange(0, 5)])
