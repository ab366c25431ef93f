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
