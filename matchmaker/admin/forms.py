"""Account forms for admins (CSRF-protected by Flask-WTF).

The account rules (email format, password length, who may lose the admin role)
live in :mod:`matchmaker.accounts`; these forms only check that the fields came.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from ..domain import ROLES
from ..forms import no_nul, strip
from ..i18n import ROLE_LABELS
from ..models.user import MIN_PASSWORD_LENGTH

STATES = ("1", "0")  # how the active forms spell an account's state: active, inactive


def role_choices() -> list[tuple[str, object]]:
    """Every role by its label."""
    return [(role, ROLE_LABELS[role]) for role in ROLES]


class NewUserForm(FlaskForm):
    """An account made by an admin, with a typed or a generated initial password."""

    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(), Length(max=254), no_nul])
    name = StringField(_l("Name"), filters=[strip], validators=[Optional(), Length(max=200), no_nul])
    company = StringField(_l("Company"), filters=[strip], validators=[Optional(), Length(max=200), no_nul])
    role = SelectField(_l("Role"), choices=role_choices, default="specialist", validators=[DataRequired()])
    password = PasswordField(_l("Initial password"), validators=[Optional(), Length(max=200)], description=_l(
        "At least %(min)d characters. Leave it empty and a password is generated and shown to you once.",
        min=MIN_PASSWORD_LENGTH))


class RoleForm(FlaskForm):
    """A new role, and the role the page showed (a stale page is refused)."""

    role = SelectField(_l("Role"), choices=role_choices)  # a single field: no "required" mark (choices are checked)
    seen_role = HiddenField(validators=[AnyOf(ROLES)])


class ActiveForm(FlaskForm):
    """Deactivate or reactivate, and the state the page showed (a stale page is refused)."""

    active = HiddenField(validators=[InputRequired(), AnyOf(STATES)])
    seen_active = HiddenField(validators=[InputRequired(), AnyOf(STATES)])
