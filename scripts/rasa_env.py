"""Print shell exports that point Rasa's SQL tracker store at the project's database.

Rasa reads its tracker store settings from endpoints.yml, which takes them from these
environment variables; we derive them from DATABASE_URL so that the assistant's own
data and Rasa's trackers always use the same database (SQLite file or PostgreSQL).
"""
from __future__ import annotations

import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import make_url  # noqa: E402

from bot.settings import get_settings  # noqa: E402


def tracker_env(database_url: str) -> dict:
    url = make_url(database_url)
    dialect = url.get_backend_name()
    return {
        "TRACKER_DB_DIALECT": dialect if dialect == "sqlite" else url.drivername,
        "TRACKER_DB_HOST": url.host or "",
        "TRACKER_DB_PORT": str(url.port or ""),
        "TRACKER_DB_NAME": url.database or "",
        "TRACKER_DB_USER": url.username or "",
        "TRACKER_DB_PASSWORD": url.password or "",
    }


def main() -> None:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for key, value in tracker_env(settings.database_url).items():
        print(f"export {key}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
