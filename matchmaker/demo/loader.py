"""Load the committed demo catalog and create demo accounts (development only)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from .. import PROJECT_ROOT
from ..accounts import create_user, new_password
from ..dataio.importer import ImportReport, import_requests, import_suppliers
from ..extensions import db
from .embeddings import seed_cache
from .history import write_history
from ..models import BuyerRequest, Supplier, User

DEMO_DIR = PROJECT_ROOT / "data" / "demo"
LOGINS_FILE = "demo-logins.json"
DEMO_USERS = (("buyer@demo.matchmaker.test", "buyer", "Demo Buyer"),
              ("specialist@demo.matchmaker.test", "specialist", "Demo Specialist"),
              ("jiwoo@demo.matchmaker.test", "specialist", "Jiwoo Park"),
              ("admin@demo.matchmaker.test", "admin", "Demo Admin"))
BUYER_REQUESTS = 5  # demo requests handed to the demo buyer, so "My requests" is not empty


class DemoError(RuntimeError):
    """The demo cannot be loaded as asked."""


@dataclass
class DemoReport:
    """What loading the demo did."""

    reports: list[ImportReport] = field(default_factory=list)
    index: str | None = None  # what building the search index did
    seeded: int = 0  # shipped vectors copied into the embedding cache (demo/embeddings.py)
    existing_suppliers: int = 0
    users_created: list[str] = field(default_factory=list)
    history: str | None = None  # what writing the months of past work did


def logins_path() -> Path:
    """Where generated demo passwords are kept (under the instance path, mode 0600)."""
    return Path(current_app.instance_path) / LOGINS_FILE


def read_logins() -> dict[str, dict[str, str]]:
    """The demo accounts' emails, roles and passwords, as saved when they were created."""
    path = logins_path()
    return json.loads(path.read_text()) if path.exists() else {}


def _save_logins(logins: dict) -> None:
    path = logins_path()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(logins, handle, indent=2)


def ensure_demo_users() -> list[str]:
    """Create missing demo accounts with fresh random passwords; return the emails created."""
    if current_app.config["ENV_NAME"] == "production":
        raise DemoError("demo accounts are never created in production")
    logins, created = read_logins(), []
    for email, role, name in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            continue
        password = new_password()
        create_user(email, password, role, name)
        logins[email] = {"role": role, "password": password}
        created.append(email)
    if created:
        _save_logins(logins)
    return created


def load_demo(data_dir: Path = DEMO_DIR, *, with_users: bool = True, progress=None) -> DemoReport:
    """Load the demo catalog if the database has no suppliers yet; never overwrite real data.

    The search index is built (when there is none) before the requests are
    imported, so every demo request gets its suggested suppliers; then, with
    the demo accounts, the team's past months of work are written
    (:mod:`.history`), so the queue, pipeline and dashboard are not empty.
    """
    report = DemoReport(existing_suppliers=db.session.scalar(select(func.count(Supplier.id))) or 0)
    if report.existing_suppliers == 0:
        paths = [data_dir / name for name in ("suppliers.jsonl", "requests.jsonl")]
        for path in paths:
            if not path.exists():
                raise DemoError(f"{path} is missing; run 'matchmaker demo generate' to write it")
        report.reports.append(import_suppliers(paths[0].read_bytes().splitlines()))
        report.seeded = _seed_embeddings(data_dir)
        report.index = build_index_if_missing(progress)
        report.reports.append(import_requests(paths[1].read_bytes().splitlines()))
    if with_users:
        report.users_created = ensure_demo_users()
        if report.existing_suppliers == 0:
            _give_requests_to_demo_buyer()
            # The services link notifications to pages: give them the site's address.
            with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
                report.history = write_history().summary()
    return report


def _seed_embeddings(data_dir: Path) -> int:
    from ..search_service import embedding_cache, get_search  # loaded late, like the reindex job
    return seed_cache(get_search().encoders, embedding_cache(), data_dir)


def build_index_if_missing(progress=None) -> str:
    """Build the search index unless a live one exists (the job holds its lock); return its summary."""
    from ..reindex_job import run_reindex  # the job imports the search service, loaded late

    return run_reindex(if_missing=True, progress=progress)["message"]


def _give_requests_to_demo_buyer() -> None:
    buyer = db.session.scalar(select(User).where(User.email == DEMO_USERS[0][0]))
    rows = db.session.scalars(select(BuyerRequest).where(BuyerRequest.buyer_id.is_(None))
                              .order_by(BuyerRequest.external_id).limit(BUYER_REQUESTS))
    for row in rows:
        row.buyer_id = buyer.id
    db.session.commit()
