"""Sign-in, sign-out and buyer registration pages (the pages of account e-mails are in :mod:`.by_email`)."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_user, logout_user

from ..models import User
from . import registration, signin, throttle
from .access import public, roles_required
from .forms import LoginForm, RegisterForm
from .mail import development_mail_folder

bp = Blueprint("auth", __name__)


def refusal(outcome: signin.Outcome) -> str:
    """Why a sign-in was refused, in the reader's language."""
    if outcome is signin.Outcome.LOCKED:  # the same for every locked address, with or without an account
        return ngettext("Too many failed sign-ins with this email. Wait %(num)d minute and try again, "
                        "or reset your password by email.",
                        "Too many failed sign-ins with this email. Wait %(num)d minutes and try again, "
                        "or reset your password by email.", current_app.config["SIGN_IN_LOCKOUT_MINUTES"])
    if outcome is signin.Outcome.UNCONFIRMED:  # only said to whoever typed the right password
        return _("Confirm your email address first: open the link in the email we sent you. "
                 "No email? Have it sent again below.")
    # One message for every wrong email or password, so the form does not reveal which emails exist.
    return _("Wrong email or password.")


def safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site, never to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("catalog.index")


def mail_sent(email: str):
    """Say where the next step went (the same words whatever the e-mail says) and show the check-your-email page."""
    flash(_("Check your inbox at %(email)s: we sent you an email with the next step.",
            email=User.normalize_email(email)), "info")
    return redirect(url_for("auth.check_email"))


@bp.route("/login", methods=["GET", "POST"])
@throttle.sign_in
@public
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("catalog.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = signin.attempt(form.email.data, form.password.data, request.remote_addr)
        if result.outcome is signin.Outcome.SIGNED_IN:
            login_user(result.user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        flash(refusal(result.outcome), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles_required()
def logout():
    """Sign out (POST only, so a link elsewhere cannot sign anyone out)."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@throttle.account_mail
@throttle.mail_recipient
@public
def register():
    """Register a buyer; the e-mailed link confirms the address, then sign-in goes on to ``next``."""
    if current_user.is_authenticated:
        return redirect(url_for("catalog.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        next_url = safe_next(request.args.get("next")) if request.args.get("next") else ""
        registration.register(form.email.data, form.password.data, next_url=next_url,
                              name=form.name.data, company=form.company.data, country=form.country.data)
        return mail_sent(form.email.data)
    return render_template("auth/register.html", form=form)


@bp.route("/check-email")
@public
def check_email():
    """What to do with the e-mail just sent (and, in development, where it was written)."""
    return render_template("auth/check_email.html", mail_folder=development_mail_folder())


from . import by_email  # noqa: E402,F401 - these views register on ``bp``
