"""Test backends shared by tests/storage and tests/web: SQLite in a temp dir, and
PostgreSQL from TEST_DATABASE_URL or a throwaway server (WERK_TEST_POSTGRES=1)."""
from __future__ import annotations

import atexit
import copy
import json
import os
import socket
import subprocess
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Tuple

import pytest
import sqlalchemy as sa

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "postgres_test_server.sh"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "summaries"
FIXTURE_NAMES = ("employee", "self_employed", "job_seeker")
BACKENDS = ("sqlite", "postgresql")
SKIP_REASON = ("PostgreSQL tests are off: set WERK_TEST_POSTGRES=1 (starts "
               "scripts/postgres_test_server.sh) or TEST_DATABASE_URL=postgresql+psycopg2://...")

_pg: Dict[str, Any] = {"url": None, "stop": False}


def postgres_url() -> Optional[str]:
    """The PostgreSQL test URL, starting the throwaway server once per test session."""
    if os.environ.get("TEST_DATABASE_URL"):
        return os.environ["TEST_DATABASE_URL"]
    if os.environ.get("WERK_TEST_POSTGRES") != "1":
        return None
    if _pg["url"] is None:
        running = subprocess.run([str(SCRIPT), "url"], capture_output=True, text=True)
        if running.returncode == 0 and running.stdout.strip():
            _pg["url"] = running.stdout.strip()  # started by someone else: leave it running
        else:
            started = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True,
                                     timeout=600)
            if started.returncode != 0 or not started.stdout.strip():
                raise RuntimeError(f"could not start PostgreSQL: {started.stderr[-2000:]}")
            _pg["url"] = started.stdout.strip().splitlines()[-1]
            _pg["stop"] = True
            atexit.register(_stop_postgres)
    return _pg["url"]


def _stop_postgres() -> None:
    if _pg["stop"]:
        subprocess.run([str(SCRIPT), "stop"], capture_output=True)
        _pg["stop"] = False


def reset_postgres(url: str) -> None:
    """Drop our tables, the version table and Rasa's `events` (a test database only)."""
    from bot.storage import db
    from bot.storage.models import metadata

    db.dispose_engines()
    engine = sa.create_engine(url, future=True)
    try:
        with engine.begin() as conn:
            for table in list(metadata.tables) + ["wi_alembic_version", "events"]:
                conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    finally:
        engine.dispose()


def migrated_postgres(url: str) -> None:
    """Empty, migrated tables: TRUNCATE when already at head (fast), else drop and migrate."""
    from bot.storage import db
    from bot.storage.models import metadata

    db.dispose_engines()
    engine = sa.create_engine(url, future=True)
    try:
        with engine.begin() as conn:
            at_head = sa.inspect(conn).has_table("wi_alembic_version") and conn.execute(
                sa.text("SELECT version_num FROM wi_alembic_version")).scalar() == _head()
            if at_head:
                names = ", ".join(f'"{t}"' for t in metadata.tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                conn.execute(sa.text('DROP TABLE IF EXISTS "events" CASCADE'))
    finally:
        engine.dispose()
    if not at_head:
        reset_postgres(url)
        db.migrate(url)


def _head() -> str:
    from alembic.script import ScriptDirectory

    from bot.storage import db

    return ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_current_head()


def database_url(backend: str, directory: Path) -> str:
    """An empty database for ``backend``; skips the test when PostgreSQL is off."""
    if backend == "sqlite":
        return f"sqlite:///{directory / 'werkintake.db'}"
    url = postgres_url()
    if url is None:
        pytest.skip(SKIP_REASON)
    reset_postgres(url)
    return url


def dead_url(backend: str, directory: Path) -> str:
    """A URL whose database cannot be reached."""
    if backend == "sqlite":
        blocker = directory / "not-a-directory"
        blocker.write_text("x")
        return f"sqlite:///{blocker / 'sub' / 'werkintake.db'}"
    return f"postgresql+psycopg2://nobody:nothing@127.0.0.1:{free_port()}/nodb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_fixture(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def fresh_summary(name: str, *, created_at: Optional[datetime] = None,
                  **work_overrides: Any) -> Dict[str, Any]:
    """A fixture with a new id and conversation, created now (or at ``created_at``)."""
    summary = copy.deepcopy(load_fixture(name))
    suffix = uuid.uuid4().hex[:12]
    summary["summary_id"] = f"{name.replace('_', '')}-{suffix}"
    summary["conversation_id"] = f"conv-{suffix}"
    summary["created_at"] = (created_at or datetime.now(timezone.utc)).isoformat()
    summary["work"].update(work_overrides)
    summary.setdefault("verified", True)  # as if from a redeemed invitation (bot/intake/handoff.py)
    return summary


def schema() -> Dict[str, Any]:
    for path in (REPO_ROOT / "bot" / "content" / "summary.schema.json",
                 REPO_ROOT.parent / "shared" / "spec" / "summary.schema.json"):
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    pytest.skip("summary.schema.json not found")


def validate(summary: Dict[str, Any]) -> None:
    import jsonschema

    jsonschema.Draft7Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(summary)


# -- a table like Rasa's SQLTrackerStore `events` ----------------------------------------

def events_table(metadata: Optional[sa.MetaData] = None) -> sa.Table:
    return sa.Table(
        "events", metadata or sa.MetaData(),
        sa.Column("id", sa.Integer, sa.Sequence("events_seq"), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )


def add_tracker_events(url: str, rows: Iterable[Tuple[str, float]]) -> None:
    """Create `events` if needed and insert (sender_id, unix timestamp) rows."""
    metadata = sa.MetaData()
    table = events_table(metadata)
    engine = sa.create_engine(url, future=True)
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            for sender, ts in rows:
                conn.execute(table.insert().values(sender_id=sender, type_name="user", timestamp=ts,
                                                   data=json.dumps({"event": "user", "text": "hoi"})))
    finally:
        engine.dispose()


def tracker_event_count(url: str, sender: Optional[str] = None) -> int:
    table = events_table()
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            query = sa.select(sa.func.count()).select_from(table)
            if sender is not None:
                query = query.where(table.c.sender_id == sender)
            return conn.execute(query).scalar()
    finally:
        engine.dispose()
