"""`make load-test`: 50 concurrent conversations of ~24 turns each, every one
completing the intake with consent, over the real REST channel.

Pass when: 0 errors (HTTP, empty/error replies, a wrong next question, a summary
queued in the outbox instead of stored), every conversation finished, and the database
holds exactly one row in wi_summaries per conversation (so exactly N for N
conversations). Progress is printed every 2 s. Exit code 1 on any mismatch.

    python scripts/bench/load_test.py                       # own fresh stack (temp dir)
    python scripts/bench/load_test.py --conversations 10    # smaller
    python scripts/bench/load_test.py --rasa-url http://127.0.0.1:5005 --db-url sqlite:///var/werkintake.db
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

from client import print_progress, run_conversations  # noqa: E402
from conversations import INTAKE_SCRIPTS  # noqa: E402


def count_summaries(db_url: str, senders: List[str]) -> Dict[str, int]:
    """Rows in wi_summaries per conversation id (senders without a row are absent)."""
    import sqlalchemy as sa

    from bot.storage.db import create_engine_for

    engine = create_engine_for(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("select conversation_id, count(*) from wi_summaries "
                        "where conversation_id in :ids group by conversation_id")
                .bindparams(sa.bindparam("ids", expanding=True)), {"ids": senders}).all()
    finally:
        engine.dispose()
    return {conversation_id: count for conversation_id, count in rows}


def run_load(rasa_url: str, db_url: str, *, conversations: int = 50, concurrency: Optional[int] = None,
             time_limit_s: float = 600, progress_every_s: float = 2.0) -> Dict[str, Any]:
    """Run the load and check the database; ``report["ok"]`` says whether it passed."""
    result = asyncio.run(run_conversations(
        f"{rasa_url}/webhooks/rest/webhook", list(INTAKE_SCRIPTS.values()), label="load",
        concurrency=concurrency or conversations, conversations=conversations,
        time_limit_s=time_limit_s, sender_prefix="load", progress=print_progress,
        progress_every_s=progress_every_s))
    senders = result.completed_senders
    counts = count_summaries(db_url, senders) if senders else {}
    stored = sum(counts.values())
    problems = []
    if result.errors:
        problems.append(f"{len(result.errors)} errors, e.g. {result.errors[:3]}")
    if result.conversations_done != conversations:
        problems.append(f"{result.conversations_done}/{conversations} conversations completed")
    if stored != conversations:
        problems.append(f"{stored} summaries stored for these conversations, expected {conversations}")
    duplicated = {s: n for s, n in counts.items() if n != 1}
    if duplicated:
        problems.append(f"conversations with more than one summary: {duplicated}")
    return {**result.stats(), "expected_conversations": conversations,
            "summaries_stored": stored, "problems": problems, "ok": not problems,
            "senders": senders}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--concurrency", type=int, help="default: all conversations at once")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--rasa-url", help="use a running stack instead of starting one")
    parser.add_argument("--db-url", help="its database (required with --rasa-url)")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    if bool(args.rasa_url) != bool(args.db_url):
        parser.error("--rasa-url and --db-url go together")

    stack, workdir = None, None
    try:
        if args.rasa_url:
            rasa_url, db_url = args.rasa_url.rstrip("/"), args.db_url
        else:
            from tests.support.stack import MODEL, Stack

            if not MODEL.exists():
                print(f"{MODEL} is missing: run `make train` first")
                return 1
            workdir = Path(tempfile.mkdtemp(prefix="werk-load-"))
            print(f"starting a fresh stack in {workdir} ...", flush=True)
            stack = Stack(workdir / "stack").start(web=False)
            rasa_url, db_url = stack.rasa_url, stack.db_url
        report = run_load(rasa_url, db_url, conversations=args.conversations,
                          concurrency=args.concurrency, time_limit_s=args.time_limit)
    finally:
        if stack:
            stack.stop_all()
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    shown = {k: v for k, v in report.items() if k not in ("senders", "error_samples", "slowest_turns")}
    print(json.dumps(shown, indent=2, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("LOAD TEST " + ("PASSED" if report["ok"] else "FAILED: " + "; ".join(report["problems"])))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
