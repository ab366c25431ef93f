"""What the sync_*.py scripts share: files generated from bot/content/, written, or with
``--check`` only compared (exit 1 and the stale files named when one is out of date)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable, Dict

ROOT = Path(__file__).resolve().parent.parent


def between(path: Path, start: str, end: str, block: str) -> str:
    """The text of ``path`` with what lies between the lines ``start`` and ``end`` replaced."""
    head, rest = path.read_text(encoding="utf-8").split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{block}{end}{tail}"


def main(doc: str, script: str, wanted: Callable[[], Dict[Path, str]]) -> int:
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--check", action="store_true", help="only report whether the files are up to date")
    args = parser.parse_args()
    files = wanted()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    for p in stale:
        if args.check:
            print(f"out of date: {p.relative_to(ROOT)} (run {script})")
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(files[p], encoding="utf-8")
            print(f"wrote {p.relative_to(ROOT)}")
    return 1 if args.check and stale else 0
