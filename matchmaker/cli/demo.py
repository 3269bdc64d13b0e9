"""``matchmaker demo``: generate, load and sign in to the demo catalog."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from indexers.lock import LockHeld
from search.backend import BackendError

from ..demo import generator
from .search import progress_bar
from ..demo.loader import DEMO_DIR, DemoError, load_demo, logins_path, read_logins


@click.group("demo")
def demo_group() -> None:
    """The demo catalog of Korean SME suppliers and buyer requests."""


@demo_group.command("generate")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEMO_DIR, show_default=True,
              help="Folder to write the JSON Lines files to.")
@click.option("--seed", type=int, default=generator.DEFAULT_SEED, show_default=True,
              help="Random seed; the same seed always writes the same files.")
def generate_command(out: Path, seed: int) -> None:
    """Write the demo data set (suppliers, requests, a labelled dev set)."""
    for name, count in generator.write(out, seed).items():
        click.echo(f"{out / name}: {count} records")


@demo_group.command("load")
@click.option("--data", type=click.Path(file_okay=False, exists=True, path_type=Path), default=DEMO_DIR,
              show_default=True, help="Folder with suppliers.jsonl and requests.jsonl.")
def load_command(data: Path) -> None:
    """Load the demo catalog into an empty database and create the demo accounts.

    A database that already has suppliers is left as it is, so running this
    again never wipes anybody's work.
    """
    production = current_app.config["ENV_NAME"] == "production"
    try:
        with progress_bar() as progress:
            report = load_demo(data, with_users=not production, progress=progress)
    except (DemoError, LockHeld, BackendError) as exc:
        raise click.ClickException(str(exc)) from exc
    if report.existing_suppliers:
        click.echo(f"The catalog has {report.existing_suppliers} suppliers already; demo data not loaded again.")
    for item in report.reports[:1]:
        click.echo(f"Loaded {item.summary()}")
    if report.index:
        click.echo(report.index)
    for item in report.reports[1:]:
        click.echo(f"Loaded {item.summary()}")
    if report.history:
        click.echo(report.history)
    for email in report.users_created:
        click.echo(f"Created demo account {email}")


@demo_group.command("embed")
@click.option("--encoder", "encoder_id", default="e5", show_default=True,
              help="Which configured encoder's vectors to write (data/demo/embeddings-ENCODER.npz).")
def embed_command(encoder_id: str) -> None:
    """Write the shipped demo vectors of a slow encoder, from the catalog in the database.

    Run it after `demo generate` and `demo load` so a fresh clone's `make run`
    does not embed the demo with it again.
    """
    from ..dataio.exporter import iter_suppliers
    from ..demo.embeddings import seed_path, write_seed
    from ..search_service import get_search
    encoder = get_search().encoders.get(encoder_id)
    if encoder is None:
        raise click.BadParameter(f"{encoder_id!r} is not a configured encoder (MATCHMAKER_EMBEDDING_MODEL)",
                                 param_hint="--encoder")
    records = list(iter_suppliers(for_index=True))
    if not records:
        raise click.ClickException("the catalog is empty: run 'matchmaker demo load' first")
    click.echo(f"Embedding {len(records)} profiles with {encoder_id}; this takes a while.", err=True)
    count = write_seed(encoder, records)
    click.echo(f"Wrote {count} vectors to {seed_path(encoder_id)}.")


@demo_group.command("logins")
def logins_command() -> None:
    """Print the demo accounts and their passwords (development only)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo logins are shown in development mode only")
    logins = read_logins()
    if not logins:
        raise click.ClickException(f"no demo accounts yet ({logins_path()} is missing); run 'matchmaker demo load'")
    click.echo("Demo logins (development only):")
    for email, entry in logins.items():
        click.echo(f"  {entry['role']:<11} {email:<34} password: {entry['password']}")
