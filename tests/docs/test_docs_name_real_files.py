"""Docs that stay true (issue 11, item 8): every repository path that docs/architecture.md
names in backticks exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATH = re.compile(r"`((?:bot|actions|scripts|tests|data|docs|deploy)/[A-Za-z0-9_./-]*)`")


@pytest.mark.parametrize("doc", ["docs/architecture.md"])
def test_every_named_path_exists(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = sorted(set(PATH.findall(text)))
    assert named, "the document names no paths: the check would prove nothing"
    missing = [p for p in named if not (ROOT / p.rstrip("/")).exists()]
    assert not missing, f"{doc} names paths that do not exist: {missing}"
