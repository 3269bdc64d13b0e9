"""``matchmaker eval``, ``tune`` and ``ranking``: measure the served ranking, tune it from judgments, choose it.

The work is done by :mod:`matchmaker.evaluation`, :mod:`matchmaker.matching.tuning`
and :mod:`matchmaker.matching.registry`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from search.backend import BackendError

from ..dataio.importer import ImportFailed
from ..evaluation import MODES, Judged, best_single, curated, encoder_modes, evaluate, read_judged, worst
from ..extensions import db
from ..matching import registry
from ..matching.profile import profile_toml

MODE_CHOICES = (*MODES, "all")


def _judged(requests: Path | None, judgments: Path | None, from_curation: bool) -> Judged:
    if from_curation:
        if requests or judgments:
            raise click.UsageError("give REQUESTS and JUDGMENTS files, or --from-curation, not both")
        judged = curated()
        if not judged.requests:
            raise click.ClickException("no curated judgments yet: specialists' decisions in the workspace are "
                                       "the judgments (or give REQUESTS and JUDGMENTS files)")
        return judged
    if not (requests and judgments):
        raise click.UsageError("give REQUESTS and JUDGMENTS (JSON Lines files), or --from-curation")
    try:
        with requests.open("rb") as r, judgments.open("rb") as j:
            judged = read_judged(r, j)
    except ImportFailed as exc:
        raise click.ClickException(str(exc).replace("nothing was imported", "nothing was evaluated")) from exc
    if not judged.requests:
        raise click.ClickException("no request in REQUESTS has a judgment in JUDGMENTS")
    if judged.duplicates:
        click.echo(f"Note: {judged.duplicates} judgment(s) grade a pair judged before; the later grade counts.",
                   err=True)
    return judged


def _profile(name: str | None):
    if name is None:
        return None
    try:
        return registry.resolve(name)
    except registry.RegistryError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from exc


FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("eval")
@click.argument("requests", type=FILE, required=False)
@click.argument("judgments", type=FILE, required=False)
@click.option("--mode", type=click.Choice(MODE_CHOICES), default="all", show_default=True,
              help="served: the matching service as the app serves it; all: every mode and each encoder alone.")
@click.option("-k", type=click.IntRange(1, 50), default=10, show_default=True, help="Cut-off for nDCG and recall.")
@click.option("--from-curation", is_flag=True, help="Judge by the specialists' decisions instead of files.")
@click.option("--profile", metavar="NAME", help="Rank with this profile instead of the live one (see `ranking list`).")
@click.option("--worst", "worst_n", type=click.IntRange(0, 100), default=5, show_default=True,
              help="How many of the worst-served requests to explain.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_command(requests: Path | None, judgments: Path | None, mode: str, k: int, from_curation: bool,
                 profile: str | None, worst_n: int, as_json: bool) -> None:
    """Measure the ranking on the live index: nDCG@k, Recall@k, Recall@50 and MRR per mode.

    REQUESTS and JUDGMENTS are JSON Lines files in the data contract; the
    suppliers they name must be in the catalog. Requests are ranked exactly as
    the app ranks them: their quantity, certifications, lead time and country
    feed the fit signals in the served mode. The worst-served requests are
    listed with the suppliers ranked above their relevant ones.
    """
    judged = _judged(requests, judgments, from_curation)
    chosen = _profile(profile)
    modes = [*MODES[:2], *encoder_modes(), *MODES[2:]] if mode == "all" else [mode]
    try:
        with click.progressbar(length=len(modes) * len(judged.requests), label="Ranking", file=sys.stderr,
                               hidden=as_json or not sys.stderr.isatty()) as bar:
            results = evaluate(judged, modes, k, chosen, progress=bar.update)
    except BackendError as exc:
        raise click.ClickException(str(exc)) from exc
    profile_name = chosen.name if chosen else registry.live_name()
    main = next((r for r in results if r.mode == "served"), results[-1])
    misses = worst(judged, main, worst_n)
    single = best_single(results, k)
    if as_json:
        click.echo(json.dumps({
            "profile": profile_name, "source": judged.source, "requests": len(judged.requests), "k": k,
            "modes": {r.mode: r.metrics for r in results},
            "best_single": single.mode if single else None,
            "worst": {"mode": main.mode, "requests": [m.__dict__ for m in misses]},
        }, ensure_ascii=False, indent=2))
        return
    click.echo(f"Profile {profile_name}, {len(judged.requests)} judged requests ({judged.source}), k={k}")
    names = list(results[0].metrics)
    click.echo(f"{'mode':<22}" + "".join(f"{name:>12}" for name in names))
    for result in results:
        mark = "  (best single)" if single is result else ""
        click.echo(f"{result.mode:<22}" + "".join(f"{result.metrics[n]:>12.4f}" for n in names) + mark)
    served = next((r for r in results if r.mode == "served"), None)
    if served and single:
        gap = served.metrics[f"ndcg@{k}"] - single.metrics[f"ndcg@{k}"]
        click.echo(f"served vs best single ({single.mode}): {gap:+.4f} nDCG@{k}")
    if misses:
        click.echo(f"\nWorst requests ({main.mode}):")
    for miss in misses:
        click.echo(f"- {miss.request_id} {miss.title[:70]!r}: nDCG@{k} {miss.ndcg:.3f}")
        found = ", ".join(f"{s} (grade {g}, {'rank ' + str(r) if r else 'not in the top 50'})"
                          for s, g, r in miss.relevant[:5])
        click.echo(f"    relevant: {found or 'none graded above 0'}")
        for supplier, name, grade in miss.above:
            click.echo(f"    ranked above: {supplier} {name[:50]} (grade {grade})")


@click.group("ranking")
def ranking_group() -> None:
    """List, inspect, activate and roll back ranking profiles (what the app serves)."""


@ranking_group.command("list")
def ranking_list() -> None:
    """Every profile: stored versions newest first, then packaged ones; * marks the live one."""
    for entry in registry.entries():
        figures = (entry.stored.figures or {}) if entry.stored else {}
        held_out = figures.get("cv", {}).get("tuned")
        detail = f"  held-out nDCG@10 {held_out:.4f}" if held_out is not None else ""
        created = f"  {entry.stored.created_at:%Y-%m-%d %H:%M}" if entry.stored else ""
        click.echo(f"{'*' if entry.live else ' '} {entry.name:<24} {entry.source:<9}{created}{detail}")


@ranking_group.command("show")
@click.argument("name", required=False)
def ranking_show(name: str | None) -> None:
    """Print profile NAME (the live one by default) as TOML, with the figures it was judged by."""
    name = name or registry.live_name()
    try:
        profile = registry.resolve(name)
    except registry.RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(profile_toml(profile), nl=False)
    row = registry.stored(name)
    if row is not None and row.figures:
        click.echo("\n# figures\n# " + json.dumps(row.figures, ensure_ascii=False, indent=1).replace("\n", "\n# "))


@ranking_group.command("activate")
@click.argument("name")
def ranking_activate(name: str) -> None:
    """Serve profile NAME from now on (every app process picks it up on its next search)."""
    try:
        registry.activate(name, note="activated from the command line")
        db.session.commit()
    except registry.RegistryError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{name} is live. Stored suggestions keep their ranks until requests are matched again "
               "(`matchmaker match --all`).")


@ranking_group.command("rollback")
def ranking_rollback() -> None:
    """Serve again the profile that was live before the current one."""
    try:
        activation = registry.rollback()
        db.session.commit()
    except registry.RegistryError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{activation.profile.name} is live again ({activation.note}).")


@click.command("tune")
@click.argument("requests", type=FILE, required=False)
@click.argument("judgments", type=FILE, required=False)
@click.option("--from-curation", is_flag=True, help="Tune on the specialists' decisions instead of files.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds: each is held out once while the others tune.")
@click.option("--name", help="Name of the new profile (default: the next free tuned-N).")
@click.option("--activate", is_flag=True, help="Serve the new profile at once (only if it beat the live one).")
@click.option("--seed", type=int, default=7, show_default=True, help="How requests are shuffled into folds.")
def tune_command(requests: Path | None, judgments: Path | None, from_curation: bool, folds: int, name: str | None,
                 activate: bool, seed: int) -> None:
    """Search a better ranking profile on judgments, by cross-validated nDCG@10.

    Tunes fusion weights per retriever and query language, the relevance
    floor, BM25 field boosts and fit-signal weights, starting from the live
    profile. The new profile is stored with its figures (`ranking show`) only
    when it beats the live profile on held-out folds; otherwise nothing is
    written and the command fails (exit code 1).
    """
    from ..matching.tuning import TuningError, tune
    judged = _judged(requests, judgments, from_curation)
    live = registry.live_profile()
    name = name or registry.next_name()
    if registry.stored(name) is not None or name in registry.packaged_names():
        raise click.BadParameter(f"a profile named {name!r} exists already", param_hint="--name")
    steps = {"done": 0}

    def tick():
        steps["done"] += 1
        if steps["done"] % 50 == 0:
            click.echo(f"  ... {steps['done']} profiles scored", err=True)
    click.echo(f"Tuning from {live.name} on {len(judged.requests)} judged requests ({judged.source}), "
               f"{folds} folds.", err=True)
    try:
        result = tune(judged, live, name, folds=folds, seed=seed, progress=tick)
    except (TuningError, BackendError) as exc:
        raise click.ClickException(str(exc)) from exc
    for fold in result.folds:
        click.echo(f"fold {fold['fold']}: {fold['requests']} held-out requests, tuned {fold['tuned']:.4f}, "
                   f"live {fold['live']:.4f}")
    click.echo(f"held-out nDCG@{result.k}: tuned {result.cv_tuned:.4f}, live {live.name} {result.cv_live:.4f} "
               f"({result.cv_tuned - result.cv_live:+.4f})")
    if not result.better:
        raise click.ClickException(f"the tuned profile is not better than {live.name} on held-out requests; "
                                   "nothing was written")
    for change in result.changes:
        click.echo(f"  {change}")
    try:
        registry.save(result.profile, source="tune", parent=live.name, figures=result.figures(judged.source))
        if activate:
            registry.activate(name, note=f"tuned from {live.name}, activated by tune --activate")
        db.session.commit()
    except registry.RegistryError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Saved {name}" + (" and made it live." if activate else f"; serve it with "
                                  f"`matchmaker ranking activate {name}`."))
