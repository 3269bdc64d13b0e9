"""The form the sales team uses to correct a supplier profile."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..domain import INDUSTRIES
from ..i18n import industry_label


def split_list(text: str | None) -> list[str]:
    """A comma-separated field as a clean list without empties or repeats."""
    return list(dict.fromkeys(item.strip() for item in (text or "").split(",") if item.strip()))


class SupplierForm(FlaskForm):
    """The profile fields people edit; products and contacts come from imports."""

    name = StringField(_l("Registered name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("English trade name"), validators=[Optional(), Length(max=200)])
    industry = SelectField(_l("Industry"))
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=20000)])
    capabilities = StringField(_l("Capabilities (comma-separated)"), validators=[Optional(), Length(max=2000)])
    certifications = StringField(_l("Certifications (comma-separated)"), validators=[Optional(), Length(max=1000)])
    smart_factory_level = IntegerField(_l("Smart-factory level (0-5)"), validators=[Optional(), NumberRange(0, 5)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Industry names in the interface language, so the choices are made per request.
        self.industry.choices = [SelectChoice(code, industry_label(code)) for code in INDUSTRIES]
