"""Runtime settings, read from the environment (and an optional env file outside git).

Secrets (database URLs with passwords, API tokens) never live in the repository: set
them in the environment or in the file named by ``WERK_CONFIG`` (KEY=VALUE lines).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _load_env_file() -> None:
    path = os.environ.get("WERK_CONFIG")
    if not path or not Path(path).is_file():
        return
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip())


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    web_host: str
    web_port: int
    rasa_url: str
    retention_days: int
    session_secret: str | None
    careteam_host: str = "127.0.0.1"  # the care-team listener (python -m bot.web careteam)
    careteam_port: int = 8081

    @classmethod
    def from_env(cls) -> "Settings":
        _load_env_file()
        data_dir = Path(os.environ.get("WERK_DATA_DIR", PROJECT_ROOT / "var")).resolve()
        default_db = f"sqlite:///{data_dir / 'werkintake.db'}"
        return cls(
            data_dir=data_dir,
            database_url=os.environ.get("DATABASE_URL", default_db),
            web_host=os.environ.get("WEB_HOST", "127.0.0.1"),
            web_port=int(os.environ.get("WEB_PORT", "8080")),
            careteam_host=os.environ.get("CARETEAM_HOST", "127.0.0.1"),
            careteam_port=int(os.environ.get("CARETEAM_PORT", "8081")),
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            retention_days=int(os.environ.get("RETENTION_DAYS", "30")),
            session_secret=os.environ.get("WEB_SESSION_SECRET"),
        )


def get_settings() -> Settings:
    return Settings.from_env()
