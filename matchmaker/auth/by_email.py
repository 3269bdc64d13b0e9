"""Pages of the account e-mails: confirm an address, send the link again, forgot password, set a new one.

The forms that send e-mail answer the same whatever the address (see
:mod:`.registration`); a link that is forged, used or expired gets a page that
says so and offers a new one, never an error.
"""
from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import login_user

from . import registration, throttle, tokens
from .access import public
from .forms import EmailForm, NewPasswordForm
from .views import bp, mail_sent

EMAIL_FORMS = {  # which form page: its title, what it says and its button
    "resend": (_l("Send the confirmation link again"),
               _l("Type the email address you registered with. We will email it a new link to confirm it."),
               _l("Send the link")),
    "forgot": (_l("Forgot your password?"),
               _l("Type the email address of your account. We will email it a link to choose a new password."),
               _l("Send the link")),
}


def bad_link(error: tokens.BadLink, kind: str):
    """The page for a link that does not work (400), with the way to a new one."""
    return render_template("auth/bad_link.html", kind=kind, expired=error.expired), 400


def email_form(kind: str, action) -> object:
    """Show the e-mail form ``kind``; once filled in, ``action(email)`` sends its e-mail."""
    form = EmailForm()
    if form.validate_on_submit():
        action(form.email.data)
        return mail_sent(form.email.data)
    title, intro, button = EMAIL_FORMS[kind]
    return render_template("auth/email_form.html", form=form, kind=kind, title=title, intro=intro, button=button)


@bp.route("/confirm/<token>")
@public
def confirm_email(token: str):
    """Confirm the address the link was sent to, then sign in (the link works once)."""
    try:
        next_url = registration.confirm(token)
    except tokens.BadLink as error:
        return bad_link(error, "confirm")
    flash(_("Your email address is confirmed. Sign in with your password."), "success")
    return redirect(url_for("auth.login", next=next_url or None))


@bp.route("/confirm", methods=["GET", "POST"])
@throttle.account_mail
@throttle.mail_recipient
@public
def resend_confirmation():
    """Send a new confirmation link."""
    return email_form("resend", registration.resend_confirmation)


@bp.route("/reset", methods=["GET", "POST"])
@throttle.account_mail
@throttle.mail_recipient
@public
def forgot_password():
    """Ask for a link to set a new password."""
    return email_form("forgot", registration.request_reset)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Choose a new password through the e-mailed link; it signs in (and lifts a lockout)."""
    try:
        user = tokens.read_reset_token(token)
    except tokens.BadLink as error:
        return bad_link(error, "reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        registration.reset_password(user, form.password.data)
        if not user.active:
            flash(_("Your password is changed, but this account is deactivated. Ask the Matchmaker team."), "error")
            return redirect(url_for("auth.login"))
        login_user(user)
        flash(_("Your password is changed and you are signed in."), "success")
        return redirect(url_for("catalog.index"))
    response = make_response(render_template("auth/reset.html", form=form, email=user.email))
    response.headers["Cache-Control"] = "no-store"  # the page's address is the key
    return response
