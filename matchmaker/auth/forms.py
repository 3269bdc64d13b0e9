"""Sign-in and registration forms (CSRF-protected by Flask-WTF)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..models.user import MIN_PASSWORD_LENGTH

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def strip(value):
    """Drop the spaces people paste around emails and names."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    """Email and password, with an optional long-lived remember-me cookie."""

    email = EmailField("Email", filters=[strip], validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in")


class RegisterForm(FlaskForm):
    """Buyer self-registration."""

    email = EmailField("Email", filters=[strip], validators=[
        DataRequired(), Length(max=254), Regexp(EMAIL_PATTERN, message="Enter a valid email address.")])
    name = StringField("Your name", filters=[strip], validators=[Optional(), Length(max=200)])
    company = StringField("Company", filters=[strip], validators=[Optional(), Length(max=200)])
    country = StringField("Country (2-letter code)", filters=[strip], validators=[
        Optional(), Regexp(r"^[A-Za-z]{2}$", message="Use the 2-letter ISO code, e.g. US or DE.")])
    password = PasswordField("Password", validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                               message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")])
    confirm = PasswordField("Repeat password", validators=[
        DataRequired(), EqualTo("password", message="The passwords do not match.")])
