"""``matchmaker backup`` and ``matchmaker restore`` for the embedded setup (SQLite and the embedded index)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..backup import BackupError, create_backup, restore_backup
from ..locks import LockHeld
from .search import EXIT_LOCKED, progress_bar


def say(line: str) -> None:
    """A progress line, on stderr so that stdout holds only the summary."""
    click.echo(line, err=True)


@click.command("backup")
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("--without-index", is_flag=True,
              help="Leave the search index out: a smaller archive; the restore rebuilds the index from the database.")
def backup_command(dest: Path | None, without_index: bool) -> None:
    """Write a consistent backup of this instance to DEST while the app runs.

    The archive holds the SQLite database (copied with SQLite's online backup
    API; the embedding cache is in it), the live search index version, the
    generated secret key if there is one, and a manifest with every file's
    SHA-256. DEST ending in .tar.gz or .tgz is one compressed file; any other
    name, a folder; an existing folder gets the default name inside it.
    Default: backups/matchmaker-<UTC time>.tar.gz in the instance folder.
    Archives are readable by their owner only: they hold password hashes and
    the key. With PostgreSQL or Elasticsearch, use their own tools (README).
    Exits with code 75 while a reindex runs.
    """
    try:
        summary = create_backup(dest, with_index=not without_index, report=say)
    except LockHeld as exc:
        click.echo(f"Error: {exc}; try again when it has finished.", err=True)
        sys.exit(EXIT_LOCKED)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.line())


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that holds data (the replaced files are kept in backups/replaced-<time>/).")
def restore_command(archive: Path, force: bool) -> None:
    """Restore a backup made by `matchmaker backup` into this instance.

    Every file is checked against the archive's manifest before anything is
    replaced: a truncated or altered archive is refused and the instance
    left as it was. A database with an older schema is upgraded. The
    archive's index is made live and brought up to date with the database;
    without one (or one built with other encoders), the index is built from
    the database. Stop the web server and the worker first; exits with code
    75 while a reindex or the worker runs.
    """
    try:
        with progress_bar() as progress:
            summary = restore_backup(archive, force=force, report=say, progress=progress)
    except LockHeld as exc:
        click.echo(f"Error: {exc}.", err=True)
        sys.exit(EXIT_LOCKED)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in summary.lines():
        click.echo(line)
    if summary.reindex_error:
        raise click.ClickException(f"the data is restored, but the search index is not up to date "
                                   f"({summary.reindex_error}); run `matchmaker reindex --full`")
