"""Deletion that deletes: deleted rows must not be recoverable from the database file or
the outbox.

- SQLite: every connection runs ``PRAGMA secure_delete=ON`` (bot/storage/db.py), so
  deleted content is overwritten with zeros; after a deletion ``after_delete`` runs
  ``PRAGMA wal_checkpoint(TRUNCATE)`` so the write-ahead log (which still holds the old
  pages) is copied back and emptied. If the checkpoint cannot finish (a long reader), it
  is retried and then reported as an error.
- PostgreSQL: a DELETE leaves dead row versions until VACUUM; ``after_delete`` runs a
  plain ``VACUUM`` of our summary table and Rasa's ``events`` (autovacuum does the same
  later). Freed space is reused, not zeroed: see docs/security.md for what the hospital
  must add (encrypted volumes, WAL archive and backup retention).
- Outbox: ``remove_outbox_copies`` removes queued copies of deleted summaries; a failure
  raises (the caller must not report success).
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Iterable, Optional

import sqlalchemy as sa

from bot.storage import db

logger = logging.getLogger(__name__)

CHECKPOINT_TRIES = 5


class DeletionFailed(RuntimeError):
    """A deletion could not be completed; never swallow this."""


def remove_outbox_copies(summary_ids: Iterable[str], data_dir: Optional[Path] = None) -> int:
    from bot.storage.outbox import outbox_dir

    directory = outbox_dir(data_dir)
    removed = 0
    for summary_id in summary_ids:
        for suffix in (".json", ".broken"):
            path = directory / f"summary-{summary_id}{suffix}"
            if path.exists():
                try:
                    path.unlink()
                except OSError as exc:
                    raise DeletionFailed(f"cannot remove outbox copy {path.name}") from exc
                removed += 1
    return removed


def after_delete(url: Optional[str] = None) -> None:
    """Make the deletion final in the database files (see the module docstring)."""
    url = url or db.default_url()
    engine = db.get_engine(url)
    if engine.dialect.name == "sqlite":
        _checkpoint(engine)
    elif engine.dialect.name == "postgresql":
        vacuum(url)


def _checkpoint(engine) -> None:
    if db._sqlite_file(str(engine.url)) is None:
        return  # in-memory database: nothing on disk
    for attempt in range(CHECKPOINT_TRIES):
        with engine.connect() as conn:
            busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if not busy:
            return
        time.sleep(0.2 * (attempt + 1))
    raise DeletionFailed("SQLite write-ahead log could not be emptied after a deletion "
                         "(a reader keeps it open); deleted text may still be in the -wal file")


def vacuum(url: Optional[str] = None, tables: Iterable[str] = ("wi_summaries", "events")) -> None:
    engine = db.get_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            if db.table_exists(engine, table):
                conn.execute(sa.text(f'VACUUM "{table}"'))
