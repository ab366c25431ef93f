"""`make bench`: our assistant against the framework floor (a bare `rasa init` moodbot).

One run: (a) create and train the moodbot in a temp dir, (b) time a full training of
our assistant into a temp dir (models/ untouched), (c) drive the moodbot over REST,
(d) start our stack (tests/support/stack.Stack, SQLite, models/werk-intake.tar.gz)
and drive it with scripted ~24-turn intakes ending in consent, each at concurrency 1
and 20, (e) micro-benchmark parse_answer, then print the table, write
results/bench/bench.json and update the results block of docs/benchmarks.md.

    python scripts/bench/run_bench.py            # full run (~10 min on 2 cores)
    python scripts/bench/run_bench.py --quick    # short smoke run, no training, docs untouched
"""
from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import micro  # noqa: E402
import report  # noqa: E402
from client import print_progress, run_conversations  # noqa: E402
from conversations import INTAKE_SCRIPTS, MOODBOT, Step  # noqa: E402
from procmem import RssSampler, tree_cpu_s, tree_memory_mb  # noqa: E402
from rasa_procs import Moodbot, train_ours  # noqa: E402
from tests.support.stack import MODEL, Stack  # noqa: E402


def wait_for_model(timeout_s: float = 900) -> None:
    """Another process may be replacing the model: wait until it is there and stable."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if MODEL.exists():
            size = MODEL.stat().st_size
            time.sleep(2)
            if MODEL.exists() and MODEL.stat().st_size == size:
                return
        print(f"  waiting for {MODEL} ...", flush=True)
        time.sleep(10)
    raise SystemExit(f"{MODEL} is missing: run `make train` first")


def drive(url: str, scripts: Sequence[Sequence[Step]], label: str, levels: List[int], turns: int,
          time_limit_s: float, pids: Dict[str, int]) -> Dict[str, Dict[str, Any]]:
    """Warm up, then one run per concurrency level; CPU per turn per process."""
    webhook = f"{url}/webhooks/rest/webhook"
    script_len = sum(len(s) for s in scripts) / len(scripts)
    asyncio.run(run_conversations(webhook, scripts, label=f"{label}-warmup", concurrency=1,
                                  conversations=2, time_limit_s=60, sender_prefix="warmup"))
    out: Dict[str, Dict[str, Any]] = {}
    for level in levels:
        conversations = max(level, math.ceil(turns / script_len))
        print(f"{label}: concurrency {level}, {conversations} conversations", flush=True)
        cpu_before = {name: tree_cpu_s(pid) for name, pid in pids.items()}
        result = asyncio.run(run_conversations(
            webhook, scripts, label=label, concurrency=level, conversations=conversations,
            time_limit_s=time_limit_s, sender_prefix=f"bench-{label}-c{level}", progress=print_progress,
            progress_every_s=5))
        stats = result.stats()
        stats["cpu_ms_per_turn"] = {
            name: round((tree_cpu_s(pid) - cpu_before[name]) * 1000 / max(result.turns, 1), 1)
            for name, pid in pids.items()}
        print(f"  -> {stats}", flush=True)
        out[f"c{level}"] = stats
    return out


def bench_floor(bot: Moodbot, args, data: Dict[str, Any]) -> None:
    bot.start()
    try:
        pids = {"moodbot": bot.proc.pid}
        with RssSampler(pids.values()) as sampler:
            data["runs"]["floor"] = drive(bot.url, [MOODBOT], "floor", args.levels, args.turns,
                                          args.time_limit, pids)
        mem = tree_memory_mb(bot.proc.pid)
        data["memory"]["processes"]["moodbot server (floor)"] = mem
        data["memory"]["floor_total_hwm_mb"] = mem["hwm_mb"]
        data["memory"]["floor_peak_sampled_rss_mb"] = round(sampler.peak_total_mb, 1)
    finally:
        bot.stop()


def bench_ours(workdir: Path, args, data: Dict[str, Any]) -> None:
    wait_for_model()
    stack = Stack(workdir / "stack")
    try:
        stack.start()
        pids = {name: proc.pid for name, proc in stack.procs.items()}
        with RssSampler(pids.values()) as sampler:
            data["runs"]["ours"] = drive(stack.rasa_url, list(INTAKE_SCRIPTS.values()), "ours",
                                         args.levels, args.turns, args.time_limit, pids)
        names = {"rasa": "rasa server (ours)", "actions": "action server", "web": "web app"}
        total = 0.0
        for name, pid in pids.items():
            mem = tree_memory_mb(pid)
            data["memory"]["processes"][names[name]] = mem
            total += mem["hwm_mb"]
        data["memory"]["ours_total_hwm_mb"] = round(total, 1)
        data["memory"]["ours_peak_sampled_rss_mb"] = round(sampler.peak_total_mb, 1)
    finally:
        stack.stop_all()


def step(title: str, fn: Callable[[], Any]) -> Any:
    print(f"\n== {title}", flush=True)
    started = time.perf_counter()
    value = fn()
    print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    return value


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short run: fewer turns, no full training, docs/benchmarks.md untouched")
    parser.add_argument("--turns", type=int, help="turns per server and concurrency level "
                        "(default 1000, quick 150)")
    parser.add_argument("--concurrency", default="1,20", help="levels, comma separated (default 1,20)")
    parser.add_argument("--time-limit", type=float, default=240, help="seconds per run (default 240)")
    parser.add_argument("--skip-train", action="store_true", help="do not time the full training")
    parser.add_argument("--out", type=Path, help="JSON output (default results/bench/bench.json, "
                        "quick: results/bench/bench-quick.json)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, models)")
    args = parser.parse_args(argv)
    args.turns = args.turns or (150 if args.quick else 1000)
    args.levels = [int(x) for x in args.concurrency.split(",")]
    train = not (args.skip_train or args.quick)
    out = args.out or ROOT / "results" / "bench" / ("bench-quick.json" if args.quick else "bench.json")
    docs = None if (args.no_docs or args.quick) else args.docs

    data: Dict[str, Any] = {
        "date": report.now(), "command": "python scripts/bench/run_bench.py " + " ".join(argv or sys.argv[1:]),
        "settings": {"turns_per_run": args.turns, "concurrency": args.levels, "quick": args.quick,
                     "time_limit_s": args.time_limit, "full_training": train},
        "machine": report.machine(), "load_before": report.loadavg(),
        "train": {}, "runs": {}, "memory": {"processes": {}},
    }
    workdir = Path(tempfile.mkdtemp(prefix="werk-bench-"))
    print(f"bench: work dir {workdir}, {args.turns} turns per run, levels {args.levels}", flush=True)
    try:
        bot = Moodbot(workdir / "moodbot")
        data["train"]["floor"] = step("floor: rasa init --no-prompt (trains the moodbot)", bot.create)
        if train:
            data["train"]["ours"] = step("ours: full rasa train (empty cache)",
                                         lambda: train_ours(workdir / "train"))
        step("floor: moodbot over REST", lambda: bench_floor(bot, args, data))
        step("ours: stack over REST", lambda: bench_ours(workdir, args, data))
        data["micro"] = step("micro-benchmark parse_answer",
                             lambda: micro.run(0.5 if args.quick else 3.0))
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    data["load_after"] = report.loadavg()
    report.evaluate(data)
    print("\n" + "\n".join(report.table_lines(data)))
    report.write_outputs(data, out, docs)
    print(f"\nwrote {out.relative_to(ROOT)}" + (f" and {docs.relative_to(ROOT)}" if docs else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
