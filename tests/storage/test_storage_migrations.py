"""Migrations from an empty database, next to Rasa's tracker table."""
import os
import stat

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.storage import db
from bot.storage.models import metadata
from tests.storage import backends


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from bot.storage import db as _db
    return ScriptDirectory.from_config(_db.alembic_config("sqlite://")).get_current_head()

OUR_TABLES = {"wi_summaries", "wi_audit_log", "wi_careteam_users", "wi_api_tokens",
              "wi_pending_tracker_deletions"}


def _tables(url):
    engine = db.create_engine_for(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _downgrade_to_base(url):
    from alembic import command

    config = db.alembic_config(url)
    engine = db.create_engine_for(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_prefixed_tables(db_url):
    assert not (OUR_TABLES & _tables(db_url))
    db.migrate(db_url)
    tables = _tables(db_url)
    assert OUR_TABLES <= tables
    assert "wi_alembic_version" in tables
    assert all(t.startswith("wi_") for t in tables)
    assert db.current_revision(db_url) == head_revision()


def test_migrate_is_idempotent(db_url):
    db.migrate(db_url)
    db.migrate(db_url)
    assert db.current_revision(db_url) == head_revision()


def test_models_match_migrations(migrated_url):
    engine = db.create_engine_for(migrated_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = [d for d in compare_metadata(context, metadata)
                    if not (d[0] == "remove_table" and d[1].name not in metadata.tables)]
    finally:
        engine.dispose()
    assert diff == []


def test_rasa_events_table_is_left_alone(db_url):
    backends.add_tracker_events(db_url, [("conv-1", 1.0)])
    db.migrate(db_url)
    _downgrade_to_base(db_url)  # removes only our tables
    tables = _tables(db_url)
    assert "events" in tables
    assert not (OUR_TABLES & tables)
    assert backends.tracker_event_count(db_url) == 1


def test_sqlite_file_is_private_with_wal_and_busy_timeout(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'werk.db'}"
    db.migrate(url)
    mode = stat.S_IMODE(os.stat(tmp_path / "sub" / "werk.db").st_mode)
    assert mode == 0o600
    engine = db.get_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_default_url_is_sqlite_in_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("WERK_DATA_DIR", str(tmp_path / "var"))
    assert db.default_url() == f"sqlite:///{tmp_path / 'var' / 'werkintake.db'}"
    db.migrate()
    assert (tmp_path / "var" / "werkintake.db").is_file()
