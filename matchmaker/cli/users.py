"""``matchmaker users``: create and list accounts."""
from __future__ import annotations

import click
from sqlalchemy import select

from ..domain import ROLES
from ..extensions import db
from ..models import User, record_event
from ..models.user import MIN_PASSWORD_LENGTH


class UserError(ValueError):
    """An account cannot be created as asked."""


def create_user(email: str, password: str, role: str, name: str | None = None) -> User:
    """Create and save an account; raise :class:`UserError` if the email is taken or the password short."""
    email = User.normalize_email(email)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(f"an account with email {email} exists already")
    user = User(email=email, role=role, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_event("user.create", entity_type="user", entity_id=user.id, role=role)
    db.session.commit()
    return user


@click.group("users")
def users_group() -> None:
    """Create and list accounts (buyers can also register in the browser)."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="specialist", show_default=True,
              help="What the account may do.")
@click.option("--name", help="The person's name, shown to colleagues.")
@click.password_option(help="Prompted for (hidden, twice) when not given.")
def create_command(email: str, role: str, name: str | None, password: str) -> None:
    """Create an account for EMAIL, e.g. a sales specialist."""
    try:
        user = create_user(email, password, role, name)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}.")


@users_group.command("list")
@click.option("--role", type=click.Choice(ROLES), help="Only accounts with this role.")
def list_command(role: str | None) -> None:
    """List accounts: email, role and whether they can sign in."""
    stmt = select(User).order_by(User.role, User.email)
    if role:
        stmt = stmt.where(User.role == role)
    users = db.session.scalars(stmt).all()
    if not users:
        click.echo("No accounts yet. Create one with: matchmaker users create EMAIL --role specialist")
    for user in users:
        click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'inactive'}")
