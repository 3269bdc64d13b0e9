"""Sign-in, registration and password forms (CSRF-protected by Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..accounts import EMAIL_PATTERN
from ..forms import country_code, country_options, no_nul, strip
from ..models.user import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """Email and password, with an optional long-lived remember-me cookie."""

    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(), Length(max=254), no_nul])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class EmailForm(FlaskForm):
    """Just an e-mail address: to reset a password or to have a confirmation link sent again."""

    email = EmailField(_l("Email"), filters=[strip], validators=[
        DataRequired(), Length(max=254), Regexp(EMAIL_PATTERN, message=_l("Enter a valid email address."))])


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (registration and reset share these rules)."""

    # WTForms fills in %(min)d itself.
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("Use at least %(min)d characters."))])
    confirm = PasswordField(_l("Repeat password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class RegisterForm(EmailForm, NewPasswordForm):
    """Buyer self-registration."""

    name = StringField(_l("Your name"), filters=[strip], validators=[Optional(), Length(max=200), no_nul])
    company = StringField(_l("Company"), filters=[strip], validators=[Optional(), Length(max=200), no_nul])
    country = SelectField(_l("Country"), filters=[country_code], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names in the visitor's language, so the choices are made per request.
        self.country.choices = country_options()
