"""One real stack (Rasa + actions + web app, SQLite in a temp dir) for the module."""
from __future__ import annotations

import pytest

from tests.support.stack import MODEL, Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first (make test does)")
    s = Stack(tmp_path_factory.mktemp("stack"))
    try:
        s.start()
        yield s
    finally:
        s.stop_all()


@pytest.fixture(scope="session")
def api_token(stack):
    return stack.cli("create-token", "e2e-tests").strip().splitlines()[-1].strip()
