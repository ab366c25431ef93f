"""Stage markers by directory: every test under ``tests/<stage>/`` gets the marker ``<stage>``
(registered in pyproject.toml, ``--strict-markers``). ``make test-unit`` deselects all stages
with ``-m "not (e2e or browser or ...)"``; each stage target runs its own directory."""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

HERE = Path(__file__).resolve().parent

# Directory under tests/ -> marker. Keep in step with [tool.pytest.ini_options] markers
# and STAGE_MARKERS in the Makefile.
STAGES = ("e2e", "browser", "storage", "web", "faults", "load", "security", "fhir", "cluster")


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m deselection
def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        try:
            parts = Path(item.path).resolve().relative_to(HERE).parts
        except ValueError:
            continue
        if len(parts) > 1 and parts[0] in STAGES:
            item.add_marker(getattr(pytest.mark, parts[0]))
