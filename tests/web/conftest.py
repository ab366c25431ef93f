"""The real web apps per test module and backend, each on a free port: the care-team
listener (``python -m bot.web careteam``) and the patient listener (``python -m bot.web``).

sanic-testing is not installed, so the app runs in a subprocess and the tests talk HTTP
with ``requests``. The test process shares the database (SQLite file or PostgreSQL) to
prepare data and to check the audit log.
"""
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.storage import backends  # noqa: E402
from tests.web.helpers import PASSWORD, Server  # noqa: E402


def _start(url, data_dir, port, surface):
    env = dict(os.environ)
    for name in ("WERK_CONFIG", "TRACKER_DATABASE_URL", "WEB_COOKIE_SECURE"):
        env.pop(name, None)
    env.update({
        "RASA_TELEMETRY_ENABLED": "false", "DATABASE_URL": url, "WERK_DATA_DIR": str(data_dir),
        "WEB_HOST": "127.0.0.1", "WEB_PORT": str(port), "CARETEAM_PORT": str(port),
        "WEB_SESSION_SECRET": secrets.token_hex(32),
        "WEB_SKIP_MIGRATE": "1", "WEB_MAINTENANCE_INTERVAL": "0.5",
        "WEB_TRACKER_DELETION_DELAY": "0", "RASA_URL": "http://127.0.0.1:9",
        "PYTHONPATH": str(ROOT),
    })
    log = open(data_dir / f"web-{surface}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "bot.web", surface], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((data_dir / f"web-{surface}.log").read_text())
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("web app did not start:\n" + (data_dir / f"web-{surface}.log").read_text())


@pytest.fixture(scope="module", params=backends.BACKENDS)
def server(request, tmp_path_factory):
    from bot.storage import db
    from bot.storage.repository import Repository

    data_dir = tmp_path_factory.mktemp(f"web-{request.param}")
    url = backends.database_url(request.param, data_dir)
    db.migrate(url)
    repo = Repository(url)
    repo.create_user("anna", PASSWORD, role="admin")
    token = repo.create_token("epd")
    proc, base = _start(url, data_dir, backends.free_port(), "careteam")
    patient_proc, patient_base = _start(url, data_dir, backends.free_port(), "patient")
    yield Server(base, url, data_dir, token, repo, patient_base)
    for p in (proc, patient_proc):
        p.terminate()
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
    db.dispose_engines()
