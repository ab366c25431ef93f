"""Load on the local cluster (scripts/local_cluster.py) through its one entry (nginx → web app
→ nginx → Rasa), as patients' browsers send it: ``POST /chat/api/message`` with a
UUID conversation id; a turn answered with the web chat's Dutch error reply is sent
again after 1 s (the patient's "try again"), never a 5xx.

    python scripts/bench/cluster_load.py failover   # kill Rasa, actions, web; restart Redis
    python scripts/bench/cluster_load.py scale      # 1 against 2 Rasa servers, same run

``failover`` passes when every conversation finished, no 5xx reached the client and
the database holds exactly one summary per conversation (none lost, none twice).
``scale`` prints turns/s, p95 and CPU ms per turn per process for 1 and 2 Rasa
servers in alternating rounds; ``--docs`` writes the table into docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "scripts")]

from client import RunResult, print_progress, run_conversations  # noqa: E402
from conversations import INTAKE_SCRIPTS  # noqa: E402
from load_test import count_summaries  # noqa: E402
from procmem import tree_cpu_s, tree_memory_mb  # noqa: E402

TURNS_PER_CONVERSATION = sum(len(s) for s in INTAKE_SCRIPTS.values()) / len(INTAKE_SCRIPTS)
DOCS = ROOT / "docs" / "benchmarks.md"
# The load comes from one address (127.0.0.1) and runs a conversation faster than a
# patient types: the web apps' rate limits (bot/web/limits.py) are raised for it.
LOAD_ENV = {"RATE_CHAT": "1000/60", "RATE_CHAT_ADDRESS": "100000/60"}


def uuid_sender(run_id: str, index: int) -> str:
    return str(uuid.uuid4())


async def _load(cluster, conversations: int, concurrency: int, label: str,
                events: Optional[List[Tuple[float, str, Callable[[], Any]]]] = None,
                time_limit_s: float = 600) -> Tuple[RunResult, List[Dict[str, Any]]]:
    """Run the load; ``events`` are ``(fraction of expected turns, name, action)``, fired
    in a thread when the load gets there (so the event loop keeps talking)."""
    url = f"{cluster.public_url}/chat/api/message"
    fired: List[Dict[str, Any]] = []
    expected_turns = conversations * TURNS_PER_CONVERSATION
    progress_box: Dict[str, RunResult] = {}

    def progress(result: RunResult) -> None:
        progress_box["r"] = result
        print_progress(result)

    async def fire_events(started: float) -> None:
        loop = asyncio.get_running_loop()
        for fraction, name, action in events or []:
            while progress_box.get("r") is None or progress_box["r"].turns < fraction * expected_turns:
                await asyncio.sleep(0.2)
            at = time.perf_counter() - started
            print(f"  >>> {name} at {at:.1f}s (turn {progress_box['r'].turns})", flush=True)
            detail = await loop.run_in_executor(None, action)
            fired.append({"event": name, "at_s": round(at, 1), "turns_before": progress_box["r"].turns,
                          "detail": detail})

    started = time.perf_counter()
    task = asyncio.ensure_future(fire_events(started))
    try:
        result = await run_conversations(
            url, list(INTAKE_SCRIPTS.values()), label=label, concurrency=concurrency,
            conversations=conversations, time_limit_s=time_limit_s, progress=progress,
            progress_every_s=0.5, make_sender=uuid_sender, retry_unavailable=30, retry_delay_s=1.0,
            message_ids=True)
    finally:
        if not task.done():
            task.cancel()
    return result, fired


def summaries_check(db_url: str, senders: List[str], expected: int) -> Dict[str, Any]:
    counts = count_summaries(db_url, senders) if senders else {}
    return {"summaries_stored": sum(counts.values()),
            "conversations_without_summary": expected - len(counts),
            "conversations_with_duplicates": sum(1 for n in counts.values() if n != 1)}


def upstream_log(cluster, since: float = 0.0) -> List[Dict[str, str]]:
    """Lines of nginx's access log of the Rasa router: conversation, upstream(s), status."""
    rows = []
    pattern = re.compile(r"^(\S+) (\d+) (\d+) \S+ \S+ up=(\S+) ups=(\S+) conv=(\S+)")
    for line in (cluster.log_dir / "nginx-access.log").read_text(errors="replace").splitlines():
        m = pattern.match(line)
        if m and int(m.group(2)) == cluster.port("rasa_router"):
            when = float(m.group(1))  # $msec: Unix time of the end of the request
            if when >= since:
                rows.append({"t": when, "status": m.group(3), "up": m.group(4), "ups": m.group(5),
                             "conv": m.group(6)})
    return rows


def routing_report(cluster, senders: List[str], kill_time: float) -> Dict[str, Any]:
    """Stickiness before the Rasa kill, and where its conversations went after it."""
    rows = [r for r in upstream_log(cluster) if r["conv"] in set(senders)]
    before: Dict[str, set] = {}
    after: Dict[str, set] = {}
    for r in rows:
        if r["status"] != "200":
            continue  # in flight when the server died (502) or given up by the web app (499)
        final = r["up"].split(", ")[-1]  # nginx lists every server it tried
        (before if r["t"] < kill_time else after).setdefault(r["conv"], set()).add(final)
    dead = f"127.0.0.1:{cluster.port('rasa', 0)}"
    moved = [c for c, ups in before.items() if ups == {dead} and c in after]
    return {
        "conversations_on_two_servers_before_kill": sum(1 for ups in before.values() if len(ups) > 1),
        "servers_used_before_kill": sorted({u for ups in before.values() for u in ups}),
        "conversations_moved_off_killed_server": len(moved),
        "served_by_killed_server_after_kill": sum(1 for ups in after.values() if dead in ups),
    }


def run_failover(cluster, conversations: int = 40, concurrency: int = 20) -> Dict[str, Any]:
    """Kill one Rasa server, then one action server, then one web app, and restart
    Redis, while ``conversations`` intakes run; then check the database."""
    kill_time = {}

    def kill(name: str) -> Callable[[], Any]:
        def action() -> Any:
            kill_time[name] = time.time()
            cluster.kill(name)
            return f"SIGKILL {name}"
        return action

    def restart_redis() -> Any:
        return f"down {cluster.restart_redis():.2f}s"

    events = [(0.15, "kill rasa0", kill("rasa0")), (0.35, "kill actions0", kill("actions0")),
              (0.55, "kill web0", kill("web0")), (0.75, "restart redis", restart_redis)]
    result, fired = asyncio.run(_load(cluster, conversations, concurrency, "failover", events))
    time.sleep(1.0)
    report = {**result.stats(), "events": fired, "expected_conversations": conversations}
    report.update(summaries_check(cluster.db_url, result.completed_senders, conversations))
    report["outbox_files"] = len(list((cluster.data_dir / "outbox").glob("*.json"))) \
        if (cluster.data_dir / "outbox").is_dir() else 0
    senders = result.completed_senders
    report["routing"] = routing_report(cluster, senders, kill_time.get("rasa0", 0.0)) if senders else {}
    problems = []
    if result.conversations_done != conversations:
        problems.append(f"{result.conversations_done}/{conversations} conversations finished")
    if result.errors:
        problems.append(f"{len(result.errors)} errors, e.g. {result.errors[:3]}")
    if result.http_5xx:
        problems.append(f"{result.http_5xx} HTTP 5xx reached the patient")
    if report["summaries_stored"] != conversations or report["conversations_with_duplicates"]:
        problems.append(f"summaries: {report['summaries_stored']} stored for {conversations} "
                        f"conversations, {report['conversations_with_duplicates']} duplicated")
    if len(fired) != len(events):
        problems.append(f"only {len(fired)} of {len(events)} faults happened")
    report["problems"] = problems
    report["ok"] = not problems
    return report


# -- scaling ------------------------------------------------------------------------------

def process_pids(cluster) -> Dict[str, int]:
    pids = {name: proc.pid for name, proc in cluster.procs.items() if proc.poll() is None}
    pidfile = cluster.pg_dir / "data" / "postmaster.pid"
    if pidfile.exists():
        pids["postgres"] = int(pidfile.read_text().split()[0])
    return pids


def run_scaling(cluster, conversations: int = 40, concurrency: int = 20,
                rounds: int = 2) -> Dict[str, Any]:
    """Alternating rounds of the same load with 1 and 2 Rasa servers behind nginx."""
    levels: Dict[int, Dict[str, Any]] = {}
    for _ in range(rounds):
        for servers in (1, 2):
            cluster.route_rasa_to(list(range(servers)))
            pids = process_pids(cluster)
            cpu0 = {n: tree_cpu_s(p) for n, p in pids.items()}
            own0 = sum(os.times()[:2])
            result, _ = asyncio.run(_load(cluster, conversations, concurrency, f"{servers} Rasa"))
            cpu1 = {n: tree_cpu_s(p) for n, p in pids.items()}
            level = levels.setdefault(servers, {"result": None, "cpu_s": {}, "checks": []})
            if level["result"] is None:
                level["result"] = result
            else:
                level["result"].merge(result)
            for name in pids:
                level["cpu_s"][name] = level["cpu_s"].get(name, 0.0) + cpu1[name] - cpu0[name]
            level["cpu_s"]["load client"] = level["cpu_s"].get("load client", 0.0) + sum(os.times()[:2]) - own0
            level["checks"].append(summaries_check(cluster.db_url, result.completed_senders,
                                                   result.conversations_started))
    cluster.route_rasa_to(list(range(cluster.counts["rasa"])))
    out: Dict[str, Any] = {"conversations_per_round": conversations, "concurrency": concurrency,
                           "rounds": rounds, "levels": {}}
    for servers, level in levels.items():
        result: RunResult = level["result"]
        stats = result.stats()
        turns = max(result.turns, 1)
        cpu_ms = {n: round(1000 * s / turns, 1) for n, s in sorted(level["cpu_s"].items())}
        out["levels"][servers] = {
            "turns": result.turns, "conversations": result.conversations_done,
            "errors": len(result.errors), "retries": len(result.retries), "http_5xx": result.http_5xx,
            "turns_per_s": stats["turns_per_s"], "p50_ms": stats["p50_ms"], "p95_ms": stats["p95_ms"],
            "cpu_ms_per_turn": cpu_ms,
            "cpu_ms_per_turn_total": round(sum(v for k, v in cpu_ms.items() if k != "load client"), 1),
            "summaries_missing": sum(c["conversations_without_summary"] for c in level["checks"]),
            "summaries_duplicated": sum(c["conversations_with_duplicates"] for c in level["checks"]),
        }
    one, two = out["levels"][1], out["levels"][2]
    out["ratio_turns_per_s"] = round(two["turns_per_s"] / one["turns_per_s"], 2)
    out["ratio_p95"] = round(two["p95_ms"] / one["p95_ms"], 2)
    out["rss_mb"] = {n: tree_memory_mb(p)["hwm_mb"] for n, p in process_pids(cluster).items()}
    return out


def render_scaling(report: Dict[str, Any]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with open("/proc/loadavg") as fh:
        load = " ".join(fh.read().split()[:3])
    lines = [
        f"Last run: {when}, `make bench-cluster`: {report['rounds']} alternating rounds of "
        f"{report['conversations_per_round']} intakes at concurrency {report['concurrency']} per "
        f"level, through nginx and the web apps. Machine: {os.cpu_count()} logical CPUs, "
        f"Python {platform.python_version()}, load average after: {load}.",
        "",
        "| Rasa servers | turns | p50 ms | p95 ms | turns/s | errors | retries | CPU ms per turn (per process) | CPU ms per turn, all services |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for servers, lv in sorted(report["levels"].items(), key=lambda kv: int(kv[0])):
        per = ", ".join(f"{n} {v}" for n, v in lv["cpu_ms_per_turn"].items() if v >= 0.1)
        lines.append(f"| {servers} | {lv['turns']} | {lv['p50_ms']} | {lv['p95_ms']} | {lv['turns_per_s']} | "
                     f"{lv['errors']} | {lv['retries']} | {per} | {lv['cpu_ms_per_turn_total']} |")
    lines += ["", f"Ratio 2 / 1 servers: turns/s **{report['ratio_turns_per_s']}×**, "
              f"p95 {report['ratio_p95']}×. Peak RSS (VmHWM, MB): "
              + ", ".join(f"{n} {v}" for n, v in sorted(report["rss_mb"].items())) + "."]
    return "\n".join(lines)


def write_docs(block: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- cluster:start -->", "<!-- cluster:end -->"
    if start not in text:
        raise SystemExit(f"{DOCS} has no {start} marker")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    DOCS.write_text(f"{head}{start}\n{block}\n{end}{tail}", encoding="utf-8")



def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("failover", "scale"))
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="scale: alternating rounds")
    parser.add_argument("--json", type=Path, help="write the report here")
    parser.add_argument("--docs", action="store_true", help="scale: update docs/benchmarks.md")
    args = parser.parse_args(argv)
    from local_cluster import Cluster

    workdir = Path(tempfile.mkdtemp(prefix="werk-cluster-"))
    cluster = Cluster(workdir, extra_env=LOAD_ENV)
    try:
        print(f"starting the cluster in {workdir} ...", flush=True)
        cluster.start()
        if args.mode == "failover":
            report = run_failover(cluster, args.conversations, args.concurrency)
        else:
            report = run_scaling(cluster, args.conversations, args.concurrency, args.rounds)
    finally:
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    shown = {k: v for k, v in report.items() if k not in ("slowest_turns", "p50_ms_by_turn")}
    print(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    if args.mode == "scale":
        block = render_scaling(report)
        print(block)
        if args.docs:
            write_docs(block)
        return 0
    print("FAILOVER " + ("PASSED" if report["ok"] else "FAILED: " + "; ".join(report["problems"])))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
