"""Deletion that deletes: deleted rows must not be recoverable from the database file or
the outbox.

- SQLite: every connection runs ``PRAGMA secure_delete=ON`` (bot/storage/db.py), so
  deleted content is overwritten with zeros; after a deletion ``after_delete`` runs
  ``PRAGMA wal_checkpoint(TRUNCATE)`` so the write-ahead log (which still holds the old
  pages) is copied back and emptied. The checkpoint waits at most a few milliseconds for
  readers (it must not stall the assistant's writes); when readers keep it busy, a marker
  file ``<data_dir>/scrub-pending`` is left and the care-team app's background task
  (``finish_pending``, every minute) retries, logging an ERROR while it does not succeed.
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

CHECKPOINT_TRIES = 3
CHECKPOINT_BUSY_MS = 50
PENDING_NAME = "scrub-pending"


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


def after_delete(url: Optional[str] = None, data_dir: Optional[Path] = None) -> bool:
    """Make the deletion final in the database files (see the module docstring). True when
    done now; False when left to the background task."""
    url = url or db.default_url()
    engine = db.get_engine(url)
    if engine.dialect.name == "postgresql":
        vacuum(url)
        return True
    if engine.dialect.name != "sqlite" or db._sqlite_file(url) is None:
        return True
    if _checkpoint(engine):
        return True
    marker = _pending_marker(data_dir)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(url, encoding="utf-8")
    logger.warning("SQLite write-ahead log busy after a deletion; the background task retries")
    return False


def finish_pending(data_dir: Optional[Path] = None) -> bool:
    """Retry a checkpoint left by ``after_delete``; raises DeletionFailed while it cannot
    be done (the background task logs it as an error). True when nothing is pending."""
    marker = _pending_marker(data_dir)
    if not marker.exists():
        return True
    url = marker.read_text(encoding="utf-8").strip()
    if not _checkpoint(db.get_engine(url)):
        raise DeletionFailed(
            "SQLite write-ahead log could not be emptied after a deletion "
            "(readers keep it busy); deleted text may still be in the -wal file"
        )
    marker.unlink(missing_ok=True)
    return True


def _pending_marker(data_dir: Optional[Path]) -> Path:
    if data_dir is None:
        from bot.runtime.settings import get_settings

        data_dir = get_settings().data_dir
    return Path(data_dir) / PENDING_NAME


def _checkpoint(engine) -> bool:
    """``wal_checkpoint(TRUNCATE)`` with a short busy wait, a few tries; True when done."""
    for attempt in range(CHECKPOINT_TRIES):
        with engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={CHECKPOINT_BUSY_MS}")
            try:
                busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={db.SQLITE_BUSY_TIMEOUT_S * 1000}")
        if not busy:
            return True
        time.sleep(0.05 * (attempt + 1))
    return False


def vacuum(url: Optional[str] = None, tables: Iterable[str] = ("wi_summaries", "events")) -> None:
    engine = db.get_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            if db.table_exists(engine, table):
                conn.execute(sa.text(f'VACUUM "{table}"'))
