"""``matchmaker import`` and ``matchmaker export`` in the data contract's JSON Lines."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from ..dataio.exporter import EXPORTERS, ExportFailed, export
from ..dataio.importer import IMPORTERS, ImportFailed
from ..dataio.jsonl import atomic_writer
from ..search_sync import outbox_status

KINDS = click.Choice(sorted(IMPORTERS))


def run_import(kind: str, path: Path, skip_invalid: bool):
    """Import ``path`` with a progress bar on a terminal; return the report."""
    raw_lines = path.read_bytes().splitlines()
    show = sys.stderr.isatty()
    with click.progressbar(length=len(raw_lines), label=f"Importing {kind}", file=sys.stderr,
                           hidden=not show, show_pos=True) as bar:
        return IMPORTERS[kind](raw_lines, skip_invalid=skip_invalid, progress=bar.update)


@click.command("import")
@click.argument("kind", type=KINDS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Import the good lines and report the bad ones, instead of importing nothing.")
def import_command(kind: str, file: Path, skip_invalid: bool) -> None:
    """Import KIND (suppliers, requests or judgments) from a JSON Lines FILE.

    Records are upserted on external_id. By default the import is all or
    nothing: any bad line is reported with its line number and field, and
    nothing is changed.
    """
    try:
        report = run_import(kind, file, skip_invalid)
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from exc
    for error in report.skipped:
        click.echo(f"skipped: {error}", err=True)
    click.echo(report.summary())
    if kind == "suppliers" and current_app.config["SEARCH_SYNC"] == "worker":
        waiting = outbox_status()["suppliers"]
        if waiting:
            click.echo(f"Search: {waiting} supplier change(s) queued; a running `matchmaker worker` applies them "
                       "(or run `matchmaker sync` now).", err=True)


@click.command("export")
@click.argument("kind", type=click.Choice(sorted(EXPORTERS)))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
def export_command(kind: str, file: str) -> None:
    """Export every KIND record (suppliers, requests or judgments) to FILE ('-' for stdout)."""
    try:
        with atomic_writer(file) as handle:
            count = export(kind, handle)
    except ExportFailed as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Exported {count} {kind} to {file}.", err=file == "-")
