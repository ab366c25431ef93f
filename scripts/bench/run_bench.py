"""`make bench`: our assistant against the framework floor (a bare `rasa init` moodbot).

One run: (a) create and train the moodbot in a temp dir, (b) time a full training of
our assistant into a temp dir (models/ untouched), (c) serve the moodbot and start our
stack (tests/support/stack.Stack, SQLite, models/werk-intake.tar.gz), (d) drive both
over REST (moodbot: greet/mood/goodbye turns; ours: scripted ~24-turn intakes ending in
consent) at concurrency 1 and 20, in alternating rounds so that the changing load of
a shared machine hits both alike, (e) micro-benchmark parse_answer, then print the
table, write results/bench/bench.json and update the results block of
docs/benchmarks.md.

    python scripts/bench/run_bench.py            # full run (~12 min on 2 cores)
    python scripts/bench/run_bench.py --quick    # short smoke run, no training, docs untouched
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
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


@dataclass
class Target:
    label: str
    url: str
    scripts: Sequence[Sequence[Step]]
    pids: Dict[str, int]

    @property
    def script_len(self) -> float:
        return sum(len(s) for s in self.scripts) / len(self.scripts)


def drive(targets: List[Target], levels: List[int], turns: int, rounds: int,
          time_limit_s: float) -> Dict[str, Dict[str, Dict[str, Any]]]:
    """Per concurrency level, ``rounds`` alternating rounds of every target (so a change
    in the load of the shared machine hits both alike), merged into one result each."""
    out: Dict[str, Dict[str, Dict[str, Any]]] = {t.label: {} for t in targets}
    for t in targets:  # warm-up, not counted
        asyncio.run(run_conversations(f"{t.url}/webhooks/rest/webhook", t.scripts, label="warmup",
                                      concurrency=1, conversations=2, time_limit_s=60,
                                      sender_prefix="warmup"))
    for level in levels:
        merged: Dict[str, Any] = {}
        cpu: Dict[str, Dict[str, float]] = {t.label: {n: 0.0 for n in t.pids} for t in targets}
        for round_no in range(1, rounds + 1):
            for t in targets:
                conversations = max(level, math.ceil(turns / rounds / t.script_len))
                print(f"{t.label}: concurrency {level}, round {round_no}/{rounds}, "
                      f"{conversations} conversations", flush=True)
                before = {n: tree_cpu_s(pid) for n, pid in t.pids.items()}
                result = asyncio.run(run_conversations(
                    f"{t.url}/webhooks/rest/webhook", t.scripts, label=t.label, concurrency=level,
                    conversations=conversations, time_limit_s=time_limit_s / rounds,
                    sender_prefix=f"bench-{t.label}-c{level}-r{round_no}", progress=print_progress,
                    progress_every_s=5))
                for n, pid in t.pids.items():
                    cpu[t.label][n] += tree_cpu_s(pid) - before[n]
                if t.label in merged:
                    merged[t.label].merge(result)
                else:
                    merged[t.label] = result
        for t in targets:
            result = merged[t.label]
            stats = result.stats()
            stats["rounds"] = rounds
            stats["cpu_ms_per_turn"] = {n: round(v * 1000 / max(result.turns, 1), 1)
                                        for n, v in cpu[t.label].items()}
            print(f"  -> {t.label} c={level}: {stats}", flush=True)
            out[t.label][f"c{level}"] = stats
    return out


def bench(workdir: Path, bot: Moodbot, args, data: Dict[str, Any]) -> None:
    """Floor and ours run side by side (idle while the other one is driven)."""
    wait_for_model()
    stack = Stack(workdir / "stack")
    try:
        bot.start()
        stack.start()
        ours_pids = {name: proc.pid for name, proc in stack.procs.items()}
        targets = [Target("floor", bot.url, [MOODBOT], {"moodbot": bot.proc.pid}),
                   Target("ours", stack.rasa_url, list(INTAKE_SCRIPTS.values()), ours_pids)]
        with RssSampler(ours_pids.values()) as sampler:
            data["runs"] = drive(targets, args.levels, args.turns, args.rounds, args.time_limit)
        mem = data["memory"]
        floor = tree_memory_mb(bot.proc.pid)
        mem["processes"]["moodbot server (floor)"] = floor
        mem["floor_total_hwm_mb"] = floor["hwm_mb"]
        names = {"rasa": "rasa server (ours)", "actions": "action server", "web": "web app"}
        total = 0.0
        for name, pid in ours_pids.items():
            mem["processes"][names[name]] = tree_memory_mb(pid)
            total += mem["processes"][names[name]]["hwm_mb"]
        mem["ours_total_hwm_mb"] = round(total, 1)
        mem["ours_peak_sampled_rss_mb"] = round(sampler.peak_total_mb, 1)
    finally:
        stack.stop_all()
        bot.stop()


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
    parser.add_argument("--rounds", type=int, help="alternating rounds per level (default 3, quick 1)")
    parser.add_argument("--time-limit", type=float, default=240,
                        help="seconds per server and level, over all rounds (default 240)")
    parser.add_argument("--skip-train", action="store_true", help="do not time the full training")
    parser.add_argument("--out", type=Path, help="JSON output (default results/bench/bench.json, "
                        "quick: results/bench/bench-quick.json)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, models)")
    parser.add_argument("--from-json", type=Path, help="only re-render table and docs from a result file")
    args = parser.parse_args(argv)
    if args.from_json:
        data = json.loads(args.from_json.read_text(encoding="utf-8"))
        report.evaluate(data)
        print("\n".join(report.table_lines(data)))
        report.write_outputs(data, args.from_json, None if args.no_docs else args.docs)
        return 0
    args.turns = args.turns or (150 if args.quick else 1000)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.levels = [int(x) for x in args.concurrency.split(",")]
    train = not (args.skip_train or args.quick)
    out = args.out or ROOT / "results" / "bench" / ("bench-quick.json" if args.quick else "bench.json")
    docs = None if (args.no_docs or args.quick) else args.docs

    data: Dict[str, Any] = {
        "date": report.now(), "command": "python scripts/bench/run_bench.py " + " ".join(argv or sys.argv[1:]),
        "settings": {"turns_per_run": args.turns, "rounds": args.rounds, "concurrency": args.levels,
                     "quick": args.quick,
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
        step("floor and ours over REST, interleaved rounds", lambda: bench(workdir, bot, args, data))
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
