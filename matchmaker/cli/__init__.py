"""The ``matchmaker`` command line: thin click commands over functions that do the work.

``matchmaker ...`` and ``flask --app wsgi ...`` offer the same commands.
"""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def init_app(app: Flask) -> None:
    """Add our command groups to ``app.cli``."""
    from .backup import backup_command, restore_command
    from .dataio import export_command, import_command
    from .demo import demo_group
    from .relevance import eval_command, ranking_group, tune_command
    from .search import (check_index_command, match_command, reindex_command, search_command, sync_command,
                         worker_command)
    from .users import users_group

    for group in (users_group, import_command, export_command, demo_group, reindex_command, search_command,
                  match_command, sync_command, worker_command, eval_command, tune_command, ranking_group,
                  backup_command, restore_command, check_index_command):
        app.cli.add_command(group)


def _create_app() -> Flask:
    from .. import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             help="Matchmaker: buyer-supplier matchmaking for Korean smart-factory SMEs.\n\n"
                  "Settings come from MATCHMAKER_* environment variables (see README).")
def main() -> None:
    """Console-script entry point."""
