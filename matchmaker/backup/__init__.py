"""Backups of the embedded setup (SQLite and the embedded index): ``matchmaker backup`` and ``restore``.

An archive holds a consistent copy of the SQLite database (the embedding
cache is a table in it), the live index version unless left out, the
instance's generated secret key if it has one, and ``manifest.json``: the
format, the app version, the Alembic revision, the time, the index version
and its build info, and every file's size and SHA-256. Archives are
readable by their owner only: they hold password hashes and the key.
PostgreSQL and Elasticsearch have tools of their own (README, "Backups and
restore").
"""
from .create import BackupSummary, create_backup
from .instance import BackupError, CorruptArchive, InstanceNotEmpty, Unsupported
from .restore import RestoreSummary, restore_backup

__all__ = ["BackupError", "BackupSummary", "CorruptArchive", "InstanceNotEmpty", "RestoreSummary", "Unsupported",
           "create_backup", "restore_backup"]
