#!/usr/bin/env python
"""`make funnel`: Rasa's marker evaluation on the tracker store, then the completion funnel.

    scripts/funnel.py [--endpoints FILE] [--out results/funnel] [--domain domain.yml]

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analytics import funnel  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoints", default=os.environ.get("RASA_ENDPOINTS"),
                        help="Rasa endpoints file with the tracker store (default: $RASA_ENDPOINTS)")
    parser.add_argument("--out", type=Path, default=funnel.default_dir())
    parser.add_argument("--domain", type=Path, default=ROOT / "domain.yml",
                        help="validate the markers against this domain ('' to skip)")
    parser.add_argument("--from-markers", action="store_true", help="only rebuild from OUT/markers.csv")
    args = parser.parse_args()
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "sync_markers.py"), "--check"])
    if check.returncode:
        return check.returncode
    if not args.from_markers:
        if not args.endpoints:
            parser.error("no endpoints file: pass --endpoints or source scripts/env.sh")
        domain = args.domain if str(args.domain) else None
        funnel.evaluate(Path(args.endpoints), args.out, domain_path=domain)
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
