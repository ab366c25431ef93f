#!/usr/bin/env python
"""`make funnel`: Rasa's marker evaluation on the tracker store, then the completion funnel.

    scripts/funnel.py [--endpoints FILE | --db-url URL] [--out results/funnel] [--domain domain.yml]

The endpoints file is the one `make run` gives Rasa ($RASA_ENDPOINTS, written by
bot/runtime/rasa_endpoints.py from DATABASE_URL): the same SQL tracker store. Writes
markers.csv and stats-*.csv (Rasa's) and funnel.csv, totals.csv and funnel.png
(docs/funnel.md). ``--from-markers`` skips the evaluation and rebuilds from markers.csv.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analytics import funnel  # noqa: E402


def endpoints_for(db_url: str, directory: Path) -> Path:
    """An endpoints file with only the SQL tracker store of ``db_url`` (as `make run` writes it)."""
    import yaml

    from bot.runtime.rasa_endpoints import tracker_values

    v = tracker_values(db_url)
    store = {"type": "SQL", "dialect": v["TRACKER_DB_DIALECT"], "url": v["TRACKER_DB_HOST"],
             "port": int(v["TRACKER_DB_PORT"]) if v["TRACKER_DB_PORT"] else None, "db": v["TRACKER_DB_NAME"],
             "username": v["TRACKER_DB_USER"], "password": v["TRACKER_DB_PASSWORD"]}
    path = directory / "endpoints.yml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # may hold a password
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        yaml.safe_dump({"tracker_store": {k: x for k, x in store.items() if x not in ("", None)}}, fh)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoints", default=os.environ.get("RASA_ENDPOINTS"),
                        help="Rasa endpoints file with the tracker store (default: $RASA_ENDPOINTS)")
    parser.add_argument("--db-url", help="the tracker store's database instead (a DATABASE_URL)")
    parser.add_argument("--out", type=Path, default=funnel.default_dir())
    parser.add_argument("--domain", default=str(ROOT / "domain.yml"),
                        help="validate the markers against this domain ('' to skip)")
    parser.add_argument("--from-markers", action="store_true", help="only rebuild from OUT/markers.csv")
    args = parser.parse_args()
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "sync_markers.py"), "--check"])
    if check.returncode:
        return check.returncode
    if not args.from_markers:
        domain = Path(args.domain) if args.domain else None
        with tempfile.TemporaryDirectory() as tmp:
            endpoints = endpoints_for(args.db_url, Path(tmp)) if args.db_url else args.endpoints
            if not endpoints:
                parser.error("no tracker store: pass --endpoints or --db-url, or source scripts/env.sh")
            funnel.evaluate(Path(endpoints), args.out, domain_path=domain)
    rows, totals = funnel.build(args.out)
    width = max(len(str(r["question_id"])) for r in rows)
    print(f"{'step':<{width}}  reached answered skipped dropped")
    for r in rows:
        print(f"{r['question_id']:<{width}}  {r['reached']:>7} {r['answered']:>8} {r['skipped']:>7} "
              f"{r['dropped_out_here']:>7}")
    print(" ".join(f"{k}={v}" for k, v in totals.items()))
    print(f"wrote {args.out}/{funnel.FUNNEL_CSV}, {funnel.TOTALS_CSV}, {funnel.CHART_PNG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
