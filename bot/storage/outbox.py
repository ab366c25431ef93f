"""A file outbox for when the database is unavailable.

``save_summary_or_queue`` is what the assistant calls after consent: it stores the
summary, or, if the database cannot be reached, writes it atomically as JSON to
``<data_dir>/outbox/`` (mode 0600) so nothing the patient consented to is lost.
``flush_outbox`` (CLI ``flush-outbox`` and the web app's background task, every 60 s)
moves queued items into the database. Tracker-deletion requests are queued the same way.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from sqlalchemy.exc import SQLAlchemyError

from bot.storage import hashing
from bot.storage.repository import Repository, prepare_summary

logger = logging.getLogger(__name__)

DB_ERRORS = (SQLAlchemyError, OSError)


def outbox_dir(data_dir: Optional[Path] = None) -> Path:
    if data_dir is None:
        from bot.runtime.settings import get_settings

        data_dir = get_settings().data_dir
    return Path(data_dir) / "outbox"


def _write_atomically(directory: Path, name: str, payload: Dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(directory, 0o700)
    except OSError:
        pass
    target = directory / name
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def queue_summary(
    summary: Dict[str, Any],
    *,
    answers: Optional[Dict[str, Any]] = None,
    patient_key_hash: Optional[str] = None,
    data_dir: Optional[Path] = None,
) -> Path:
    summary = prepare_summary(summary)
    payload = {
        "kind": "summary",
        "summary": summary,
        "answers": answers,
        "patient_key_hash": patient_key_hash,
    }
    return _write_atomically(outbox_dir(data_dir), f"summary-{summary['summary_id']}.json", payload)


def save_summary_or_queue(
    summary: Dict[str, Any],
    *,
    answers: Optional[Dict[str, Any]] = None,
    patient_key: Optional[str] = None,
    url: Optional[str] = None,
    data_dir: Optional[Path] = None,
) -> Tuple[str, bool]:
    """Returns ``(summary_id, stored)``; ``stored`` is False when it went to the outbox."""
    summary = prepare_summary(summary)
    key_hash = hashing.sha256_hex(patient_key) if patient_key else None
    try:
        summary_id = Repository(url).save_summary(summary, answers=answers, patient_key_hash=key_hash)
    except DB_ERRORS as exc:
        logger.warning(
            "database unavailable, summary %s queued in outbox: %s",
            summary["summary_id"],
            exc.__class__.__name__,
        )
        queue_summary(summary, answers=answers, patient_key_hash=key_hash, data_dir=data_dir)
        return summary["summary_id"], False
    _after_store(dict(summary, summary_id=summary_id), url)
    return summary_id, True


def _after_store(summary: Dict[str, Any], url: Optional[str]) -> None:
    """FHIR: complete the hospital's Task, queue the push into the record (if configured)."""
    from bot.report.fhir.delivery import after_store

    after_store(summary, url)


def request_tracker_deletion_or_queue(
    conversation_id: str,
    reason: Optional[str] = None,
    *,
    url: Optional[str] = None,
    data_dir: Optional[Path] = None,
) -> bool:
    """Queue deletion of a Rasa tracker; True if stored in the database directly."""
    try:
        Repository(url).request_tracker_deletion(conversation_id, reason)
        return True
    except DB_ERRORS as exc:
        logger.warning("database unavailable, tracker deletion queued in outbox: %s", exc.__class__.__name__)
        payload = {"kind": "tracker_deletion", "conversation_id": conversation_id, "reason": reason}
        name = f"tracker-{hashing.new_summary_id()}.json"
        _write_atomically(outbox_dir(data_dir), name, payload)
        return False


@dataclass
class FlushResult:
    flushed: int = 0
    remaining: int = 0
    broken: int = 0


def pending_files(data_dir: Optional[Path] = None):
    directory = outbox_dir(data_dir)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.json") if not p.name.startswith(".tmp-"))


def flush_outbox(url: Optional[str] = None, data_dir: Optional[Path] = None) -> FlushResult:
    """Store queued items; stops at the first database error (the rest stay queued).
    Unreadable files are renamed to ``*.broken`` and counted."""
    result = FlushResult()
    files = pending_files(data_dir)
    if not files:
        return result
    repo = Repository(url)
    for index, path in enumerate(files):
        try:
            item = json.loads(path.read_text(encoding="utf-8"))
            kind = item["kind"]
        except (OSError, ValueError, KeyError, TypeError):
            logger.error("unreadable outbox file %s", path.name)
            path.rename(path.with_suffix(".broken"))
            result.broken += 1
            continue
        try:
            if kind == "summary":
                stored = dict(
                    item["summary"],
                    summary_id=repo.save_summary(
                        item["summary"],
                        answers=item.get("answers"),
                        patient_key_hash=item.get("patient_key_hash"),
                    ),
                )
            elif kind == "tracker_deletion":
                repo.request_tracker_deletion(item["conversation_id"], item.get("reason"))
            else:
                raise ValueError(kind)
        except DB_ERRORS as exc:
            logger.warning("outbox flush stopped, database unavailable: %s", exc.__class__.__name__)
            result.remaining = len(files) - index
            return result
        except (ValueError, KeyError, TypeError):
            logger.error("invalid outbox item %s", path.name)
            path.rename(path.with_suffix(".broken"))
            result.broken += 1
            continue
        path.unlink()
        result.flushed += 1
        if kind == "summary":
            _after_store(stored, url)
    return result
