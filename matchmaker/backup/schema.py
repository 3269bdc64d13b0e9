"""The archive's database made fit for this code: checked, and upgraded on the copy when its schema is older."""
from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app

from ..extensions import db, migrate
from .instance import BackupError
from .sqlite import check_file, facts, fold_wal


def prepare_database(copy: Path, helper_instance: Path, beside: Path,
                     say: Callable[[str], None]) -> tuple[Path, str | None, str | None]:
    """Check ``copy``, upgrade it if its schema is older, and move it to ``beside`` (next to the live
    database, so the swap is one rename).

    Returns ``(beside, its revision, the revision it was upgraded from or None)``.
    A revision this code does not know (a newer Matchmaker's) is refused.
    """
    check_file(copy, "the archive's database")
    revision = facts(copy)["alembic_revision"]
    upgraded_from = None
    if revision is not None:  # None: made by create_all (tests), never stamped; nothing to compare
        script = ScriptDirectory(migrate.directory)
        head = script.get_current_head()
        if revision not in {known.revision for known in script.walk_revisions()}:
            raise BackupError(f"the archive's database is at schema revision {revision!r}, which this Matchmaker "
                              "does not know: a newer version made it; restore it with that version or a later one")
        if revision != head:
            say(f"Upgrading the archive's database from schema revision {revision} to {head}...")
            upgrade_copy(copy, helper_instance)
            fold_wal(copy)
            upgraded_from, revision = revision, head
    beside.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(copy, beside)
    return beside, revision, upgraded_from


def upgrade_copy(path: Path, helper_instance: Path) -> None:
    """Run the migrations on the database file ``path``, a copy nothing else uses, through an app of its own.

    Upgrading the copy rather than the restored file means a failed or
    killed migration leaves the instance as it was.
    """
    from flask_migrate import upgrade

    from .. import create_app

    helper = create_app({"ENV_NAME": current_app.config["ENV_NAME"], "TESTING": current_app.testing,
                         "INSTANCE_PATH": str(helper_instance), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                         "SECRET_KEY": secrets.token_hex(32), "RANKING_PROFILE": current_app.config["RANKING_PROFILE"],
                         "WARM_UP": False, "SEARCH_SYNC": "off"})
    with helper.app_context():
        try:
            upgrade()
        except Exception as exc:  # noqa: BLE001 (any failure of a migration: nothing was replaced yet; say why)
            raise BackupError(f"upgrading the archive's database failed ({type(exc).__name__}: {exc}); "
                              "nothing was restored") from exc
        finally:
            db.engine.dispose()
