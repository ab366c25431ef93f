"""Write Rasa's runtime endpoints file from the endpoints.yml template.

The assistant's own data and Rasa's trackers use the same database (DATABASE_URL:
a SQLite file in the data directory by default, PostgreSQL in production). With
several Rasa servers, ``REDIS_URL`` (``redis://[:password@]host:port/db``) adds Rasa's
Redis lock store. Secrets in the URL and the action server's shared secret
(ACTION_SERVER_TOKEN, sent by Rasa as the header X-Werk-Action-Token) never go into the
repository: the filled-in file lives in the data directory with mode 0600.
"""

from __future__ import annotations

import os
import string
from pathlib import Path
from typing import Dict
from urllib.parse import unquote, urlsplit

import yaml
from sqlalchemy.engine import make_url

from bot.runtime.settings import PROJECT_ROOT, Settings, get_settings

TEMPLATE = PROJECT_ROOT / "endpoints.yml"
ACTION_TOKEN_HEADER = "X-Werk-Action-Token"
NEEDS_URL = ("lock_store",)  # sections left out when their url is empty


def tracker_values(database_url: str) -> Dict[str, str]:
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    return {
        "TRACKER_DB_DIALECT": "sqlite" if sqlite else url.drivername,
        "TRACKER_DB_HOST": url.host or "",
        "TRACKER_DB_PORT": str(url.port or ""),
        "TRACKER_DB_NAME": url.database or "",
        "TRACKER_DB_USER": url.username or "",
        "TRACKER_DB_PASSWORD": url.password or "",
    }


def lock_store_values(redis_url: str) -> Dict[str, str]:
    """Placeholders of the lock store section; all empty (no section) without REDIS_URL."""
    parts = urlsplit(redis_url) if redis_url else None
    if parts is None or parts.scheme not in ("redis", "rediss") or not parts.hostname:
        return {"LOCK_STORE_HOST": "", "LOCK_STORE_PORT": "", "LOCK_STORE_DB": "", "LOCK_STORE_PASSWORD": ""}
    return {
        "LOCK_STORE_HOST": parts.hostname,
        "LOCK_STORE_PORT": str(parts.port or 6379),
        "LOCK_STORE_DB": parts.path.strip("/") or "1",
        "LOCK_STORE_PASSWORD": unquote(parts.password or ""),
    }


def render(settings: Settings) -> dict:
    values = tracker_values(settings.database_url)
    values.update(lock_store_values(os.environ.get("REDIS_URL", "")))
    port = os.environ.get("ACTION_PORT", "5055")
    values["ACTION_ENDPOINT_URL"] = os.environ.get("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{port}/webhook")
    template = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    out: dict = {}
    for section, body in template.items():
        out[section] = {}
        for key, raw in body.items():
            value = string.Template(raw).substitute(values) if isinstance(raw, str) else raw
            if value not in ("", None):
                numeric = key == "port" or (section, key) == ("lock_store", "db")
                out[section][key] = int(value) if numeric else value
        if section in NEEDS_URL and "url" not in out[section]:
            del out[section]  # no REDIS_URL: Rasa's in-memory lock store (one server)
    token = os.environ.get("ACTION_SERVER_TOKEN", "")
    if token:  # checked by the action server (actions/server_security.py)
        out["action_endpoint"]["headers"] = {ACTION_TOKEN_HEADER: token}
    return out


def write(settings: Settings | None = None) -> Path:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "endpoints.yml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        yaml.safe_dump(render(settings), fh, sort_keys=False)
    return path


if __name__ == "__main__":
    print(write())
