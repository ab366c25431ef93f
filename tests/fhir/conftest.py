"""Fixtures for the FHIR tests: Node (npm tools in node_modules) and the port base."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JS = Path(__file__).resolve().parent / "js"
PORT_BASE = int(os.environ.get("WERK_FHIR_TEST_PORT_BASE", "7300"))


def node_available() -> bool:
    return shutil.which("node") is not None and (ROOT / "node_modules" / "@medplum" / "core").is_dir()


@pytest.fixture(scope="session")
def node():
    if not node_available():
        pytest.fail("node and the npm tools are needed: run `make install` (npm ci)")

    def run(script: str, payload, timeout: int = 300):
        path = ROOT / "build" / "fhir-tests" / f"{script}.input.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS / f"{script}.mjs"), str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout)

    return run


class FhirTestServer:
    """Medplum's FhirRouter + MemoryRepository (tests/fhir/js/fhir_server.mjs) on loopback."""

    def __init__(self, port: int, *extra: str):
        self.port, self.extra, self.proc = port, extra, None
        self.base = f"http://127.0.0.1:{port}/fhir"

    def start(self):
        self.proc = subprocess.Popen(["node", str(JS / "fhir_server.mjs"), "--port", str(self.port), *self.extra],
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert "listening" in line, self.proc.stderr.read()[-2000:]
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def search(self, resource_type: str, token: str = None, **params):
        import requests

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = requests.get(f"{self.base}/{resource_type}", params=params, headers=headers, timeout=10)
        resp.raise_for_status()
        return [e["resource"] for e in resp.json().get("entry", [])]


@pytest.fixture
def fhir_server_factory():
    started = []

    def make(offset: int, *extra: str) -> FhirTestServer:
        server = FhirTestServer(PORT_BASE + 10 + offset, *extra)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    from bot.storage import db

    monkeypatch.setenv("WERK_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'werkintake.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.migrate(url)
    yield url
    db.dispose_engines()
