import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.storage import backends  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """Settings read from the environment: point the data dir at tmp_path."""
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "false")
    monkeypatch.setenv("WERK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WERK_CONFIG", raising=False)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    yield
    from bot.storage import db

    db.dispose_engines()


@pytest.fixture(params=backends.BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def db_url(backend, tmp_path, monkeypatch):
    url = backends.database_url(backend, tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def migrated_url(backend, tmp_path, monkeypatch):
    from bot.storage import db

    if backend == "postgresql":
        url = backends.postgres_url()
        if url is None:
            pytest.skip(backends.SKIP_REASON)
        backends.migrated_postgres(url)
    else:
        url = backends.database_url(backend, tmp_path)
        db.migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def repo(migrated_url):
    from bot.storage.repository import Repository

    return Repository(migrated_url)
