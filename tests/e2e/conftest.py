"""One real stack (Rasa + actions + web app, SQLite in a temp dir) for the module."""
from __future__ import annotations

import pytest

from tests.support.stack import running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("stack")) as s:
        yield s


@pytest.fixture(scope="session")
def api_token(stack):
    return stack.cli("create-token", "e2e-tests").strip().splitlines()[-1].strip()
