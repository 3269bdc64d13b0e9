"""Sign-in, sign-out and buyer registration pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import User, record_event
from ..models._columns import utcnow
from .access import public, roles_required
from .forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site, never to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("catalog.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("catalog.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == User.normalize_email(form.email.data)))
        if not User.signs_in(user, form.password.data):
            # One message for every failure, so the form does not reveal which emails exist.
            flash(_("Wrong email or password."), "error")
        else:
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            record_event("user.login", actor=user, entity_type="user", entity_id=user.id)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles_required()
def logout():
    """Sign out (POST only, so a link elsewhere cannot sign anyone out)."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    """Create a buyer account, sign it in and go on to ``next`` (like sign-in does)."""
    if current_user.is_authenticated:
        return redirect(url_for("catalog.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = User.normalize_email(form.email.data)
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            form.email.errors.append(_("An account with this email exists already. Sign in instead."))
        else:
            user = User(email=email, role="buyer", name=form.name.data or None,
                        company=form.company.data or None,
                        country=form.country.data or None)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.flush()
            record_event("user.register", actor=user, entity_type="user", entity_id=user.id)
            db.session.commit()
            login_user(user)
            flash(_("Welcome to Matchmaker. Your buyer account is ready."), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form)
