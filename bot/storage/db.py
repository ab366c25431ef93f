"""Engines and sessions from a database URL, and running the Alembic migrations.

SQLite (the default, a file in WERK_DATA_DIR) gets WAL journaling and a busy timeout so
the action server and the web app can share the file; PostgreSQL is used by URL
(``postgresql+psycopg2://user:password@host:5432/db``; keep the password out of git).
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 15
PG_CONNECT_TIMEOUT_S = 5
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "wi_alembic_version"

_lock = threading.Lock()
_engines: Dict[str, Engine] = {}
_sessionmakers: Dict[str, sessionmaker] = {}


def default_url() -> str:
    from bot.runtime.settings import get_settings

    return get_settings().database_url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_file(url: str) -> Optional[Path]:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_engine_for(url: str) -> Engine:
    """A new engine for ``url`` (use :func:`get_engine` for the shared one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(url)
        kwargs = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}}
        if path is None:
            kwargs["poolclass"] = StaticPool
        else:
            _create_private_file(path)  # OSError if impossible
        engine = sa.create_engine(url, future=True, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {}
    if parsed.get_driver_name() in ("psycopg2", "") and parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    return sa.create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)


def _create_private_file(path: Path) -> None:
    """Create the SQLite file (and its directory) readable by the owner only; the WAL
    and shared-memory files inherit these permissions."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted content is zeroed (bot/storage/scrub.py)
    finally:
        cursor.close()


def get_engine(url: Optional[str] = None) -> Engine:
    """The process-wide engine for ``url`` (default: settings.database_url)."""
    url = url or default_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = create_engine_for(url)
        return engine


def get_sessionmaker(url: Optional[str] = None) -> sessionmaker:
    url = url or default_url()
    engine = get_engine(url)
    with _lock:
        maker = _sessionmakers.get(url)
        if maker is None:
            maker = _sessionmakers[url] = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        return maker


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = get_sessionmaker(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose_engines() -> None:
    """Close all pooled connections (tests, or after a fork)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _sessionmakers.clear()


def alembic_config(url: Optional[str] = None):
    """An Alembic Config for our migrations, without touching logging configuration."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url or default_url()
    return config


def migrate(url: Optional[str] = None, revision: str = "head") -> None:
    """Run ``alembic upgrade <revision>`` on ``url`` (idempotent)."""
    from alembic import command

    url = url or default_url()
    config = alembic_config(url)
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    logger.info("database migrated to %s", revision)


def current_revision(url: Optional[str] = None) -> Optional[str]:
    from alembic.runtime.migration import MigrationContext

    engine = create_engine_for(url or default_url())
    try:
        with engine.connect() as connection:
            ctx = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
            return ctx.get_current_revision()
    finally:
        engine.dispose()


def table_exists(engine: Engine, name: str) -> bool:
    return sa.inspect(engine).has_table(name)
