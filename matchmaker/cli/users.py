"""``matchmaker users``: create, list, re-role, deactivate, reactivate accounts and set their password.

The work is done by :mod:`matchmaker.accounts`, which the admin pages call too.
"""
from __future__ import annotations

import click

from ..accounts import UserError, change_role, create_user, find_user, set_active, set_password, users_query
from ..domain import ROLES
from ..extensions import db

__all__ = ["UserError", "create_user", "users_group"]  # create_user and UserError: imported from here by others


@click.group("users")
def users_group() -> None:
    """Create and manage accounts (buyers can also register in the browser)."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="specialist", show_default=True,
              help="What the account may do.")
@click.option("--name", help="The person's name, shown to colleagues.")
@click.option("--company", help="The person's company.")
@click.password_option(help="Prompted for (hidden, twice) when not given.")
def create_command(email: str, role: str, name: str | None, company: str | None, password: str) -> None:
    """Create an account for EMAIL, e.g. a sales specialist."""
    try:
        user = create_user(email, password, role, name, company=company)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}.")


@users_group.command("list")
@click.option("--role", type=click.Choice(ROLES), help="Only accounts with this role.")
def list_command(role: str | None) -> None:
    """List accounts: email, role and whether they can sign in."""
    users = db.session.scalars(users_query(role=role or "")).all()
    if not users:
        click.echo("No accounts yet. Create one with: matchmaker users create EMAIL --role specialist")
    for user in users:
        click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'inactive'}")


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role_command(email: str, role: str) -> None:
    """Give the account EMAIL another ROLE (the last active admin keeps theirs)."""
    try:
        user = find_user(email)
        changed = change_role(user, role)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.email} is now {role}." if changed else f"{user.email} is {role} already.")


def _set_active(email: str, active: bool) -> None:
    try:
        user = find_user(email)
        changed = set_active(user, active)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    state = "active" if active else "inactive"
    click.echo(f"{user.email} is now {state}." if changed else f"{user.email} is {state} already.")


@users_group.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Shut the account EMAIL out at once, signed-in sessions included (the last active admin stays)."""
    _set_active(email, False)


@users_group.command("reactivate")
@click.argument("email")
def reactivate_command(email: str) -> None:
    """Let the account EMAIL sign in again."""
    _set_active(email, True)


@users_group.command("set-password")
@click.argument("email")
@click.password_option(help="Prompted for (hidden, twice) when not given.")
def set_password_command(email: str, password: str) -> None:
    """Give the account EMAIL a new password; this also lifts a sign-in lockout and confirms its address."""
    try:
        user = find_user(email)
        set_password(user, password)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.email} has a new password.")
