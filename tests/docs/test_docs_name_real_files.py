"""Docs that stay true (issue 11, item 8): every repository path that the README and the
docs name in backticks exists (files an operator creates at deployment are listed)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATH = re.compile(r"`((?:bot|actions|scripts|tests|data|docs|deploy)/[A-Za-z0-9_./-]*)`")


CREATED_AT_DEPLOYMENT = {"deploy/werk.env"}
DOCS = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS)
def test_every_named_path_exists(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = sorted(set(PATH.findall(text)))
    assert named, "the document names no paths: the check would prove nothing"
    missing = [p for p in named if not (ROOT / p.rstrip("/")).exists() and p not in CREATED_AT_DEPLOYMENT
               and "*" not in p]
    assert not missing, f"{doc} names paths that do not exist: {missing}"
