"""Machine description, targets, the printed table, bench.json and docs/benchmarks.md."""
from __future__ import annotations

import json
import platform
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

DOC_START, DOC_END = "<!-- bench:start -->", "<!-- bench:end -->"
TARGETS = {"p95_ratio_c1": 1.5, "turns_per_s_c20": 50.0, "total_rss_mb": 2048.0, "train_s": 240.0}


def machine() -> Dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    return {"cpu": models[0].strip() if models else platform.processor() or "unknown",
            "logical_cpus": len(re.findall(r"^processor\s*:", cpuinfo, re.M)),
            "mem_total_gb": round(int(mem.group(1)) / 2**20, 1) if mem else None,
            "kernel": platform.release(), "python": platform.python_version()}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return round(a / b, 2) if a is not None and b else None


def evaluate(data: Dict[str, Any]) -> None:
    """Add ``ratios`` and ``targets`` to ``data`` (in place)."""
    floor, ours = data["runs"].get("floor", {}), data["runs"].get("ours", {})
    ratios: Dict[str, Any] = {}
    for level in sorted(set(floor) & set(ours)):
        for key in ("p50_ms", "p95_ms", "turns_per_s"):
            ratios[f"{key}_{level}"] = _ratio(ours[level].get(key), floor[level].get(key))
    mem = data.get("memory", {})
    ratios["rss_hwm"] = _ratio(mem.get("ours_total_hwm_mb"), mem.get("floor_total_hwm_mb"))
    train = data.get("train", {})
    ratios["train_s"] = _ratio((train.get("ours") or {}).get("seconds"),
                               (train.get("floor") or {}).get("seconds"))
    data["ratios"] = ratios
    c20 = ours.get("c20", {})
    rows = [
        ("p95 per turn at concurrency 1 ≤ 1.5× floor", ratios.get("p95_ms_c1"),
         f"{ratios.get('p95_ms_c1')}×", TARGETS["p95_ratio_c1"], lambda v, t: v <= t),
        ("≥ 50 turns/s at concurrency 20, 0 errors", c20.get("turns_per_s"),
         f"{c20.get('turns_per_s')} turns/s, {c20.get('errors')} errors", TARGETS["turns_per_s_c20"],
         lambda v, t: v >= t and c20.get("errors") == 0),
        ("all our processes ≤ 2 GB RSS (sum of VmHWM)", mem.get("ours_total_hwm_mb"),
         f"{mem.get('ours_total_hwm_mb')} MB", TARGETS["total_rss_mb"], lambda v, t: v <= t),
        ("full training ≤ 4 min", (train.get("ours") or {}).get("seconds"),
         f"{(train.get('ours') or {}).get('seconds', 'not measured')} s", TARGETS["train_s"],
         lambda v, t: v <= t),
    ]
    data["targets"] = [{"target": name, "value": shown,
                        "met": None if value is None else bool(test(value, limit))}
                       for name, value, shown, limit, test in rows]


def _fmt(value: Any) -> str:
    return "–" if value is None else str(value)


def table_lines(data: Dict[str, Any]) -> List[str]:
    """Markdown tables (also printed to the terminal)."""
    lines = ["| server | concurrency | turns | conversations | p50 ms | p95 ms | turns/s | errors "
             "| CPU ms/turn (per process) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for server, levels in data["runs"].items():
        for _level, s in levels.items():
            cpu = ", ".join(f"{k} {v}" for k, v in (s.get("cpu_ms_per_turn") or {}).items())
            lines.append(f"| {server} | {s['concurrency']} | {s['turns']} | {s['conversations']} | "
                         f"{_fmt(s['p50_ms'])} | {_fmt(s['p95_ms'])} | {_fmt(s['turns_per_s'])} | "
                         f"{s['errors']} | {cpu} |")
    lines += ["", "| server | concurrency | median latency by turn number (ms) | slowest messages (median ms) |",
              "| --- | --- | --- | --- |"]
    for server, levels in data["runs"].items():
        for _level, s in levels.items():
            by_turn = ", ".join(f"{k}: {v}" for k, v in (s.get("p50_ms_by_turn") or {}).items())
            slow = ", ".join(f"`{t['message']}` {t['p50_ms']}" for t in s.get("slowest_turns") or [])
            lines.append(f"| {server} | {s['concurrency']} | {by_turn} | {slow} |")
    lines += ["", "| process | peak RSS (VmHWM, MB) | RSS at end (MB) |", "| --- | --- | --- |"]
    mem = data.get("memory", {})
    for name, m in (mem.get("processes") or {}).items():
        lines.append(f"| {name} | {m['hwm_mb']} | {m['rss_mb']} |")
    lines.append(f"| **ours together** (rasa + actions + web) | **{_fmt(mem.get('ours_total_hwm_mb'))}** "
                 f"| peak sampled total {_fmt(mem.get('ours_peak_sampled_rss_mb'))} |")
    lines += ["", "| training | wall time (s) | CPU time (s) | peak RSS (MB) |", "| --- | --- | --- | --- |"]
    labels = {"floor": "floor: `rasa init --no-prompt` (moodbot, includes its training)",
              "ours": "ours: `rasa train --force`, empty cache"}
    for name, t in (data.get("train") or {}).items():
        if t:
            lines.append(f"| {labels.get(name, name)} | {t['seconds']} | {_fmt(t.get('cpu_s'))} | "
                         f"{t['peak_rss_mb']} |")
    micro = data.get("micro")
    if micro:
        lines += ["", "| micro-benchmark | calls/s | mean µs/call |", "| --- | --- | --- |",
                  f"| `parse_answer` ({micro['inputs']} inputs, {micro['questions']} questions) | "
                  f"{micro['parse_calls_per_s']} | {micro['parse_mean_us']} |",
                  f"| baseline `{micro['baseline']}` (same inputs) | {micro['baseline_calls_per_s']} | "
                  f"{micro['baseline_mean_us']} |",
                  f"| ratio parse_answer / baseline | | {micro['ratio']}× |"]
    lines += ["", "| ratio ours / floor | value |", "| --- | --- |"]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in data.get("ratios", {}).items()]
    lines += ["", "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {t['target']} | {t['value']} | "
              f"{'–' if t['met'] is None else ('yes' if t['met'] else '**no**')} |"
              for t in data.get("targets", [])]
    return lines


def settings_text(st: Dict[str, Any]) -> str:
    return (f"{st['turns_per_run']} turns per server and level in {st.get('rounds', 1)} alternating "
            f"round(s), concurrency {' and '.join(map(str, st['concurrency']))}, "
            f"full training {'timed' if st.get('full_training') else 'not timed'}"
            + (", quick run" if st.get("quick") else ""))


def doc_block(data: Dict[str, Any]) -> str:
    m = data["machine"]
    head = [DOC_START,
            f"Last run: {data['date']}, `{data['command'].strip()}`: {settings_text(data['settings'])}.",
            "",
            f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs, {m['mem_total_gb']} GB RAM, "
            f"Linux {m['kernel']}, Python {m['python']}. Load average before/after: "
            f"{data['load_before']} / {data['load_after']} (shared machine: other work ran at "
            f"the same time, so treat the numbers as rough).",
            ""]
    return "\n".join(head + table_lines(data) + ["", DOC_END])


def write_outputs(data: Dict[str, Any], json_path: Path, doc_path: Optional[Path]) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if doc_path is None:
        return
    block = doc_block(data)
    text = doc_path.read_text(encoding="utf-8") if doc_path.exists() else (
        "# Benchmarks\n\nRun `make bench` (see scripts/bench/run_bench.py).\n\n" + DOC_START + DOC_END + "\n")
    if DOC_START in text and DOC_END in text:
        text = text[:text.index(DOC_START)] + block + text[text.index(DOC_END) + len(DOC_END):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc_path.write_text(text, encoding="utf-8")


def now() -> str:
    return datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M %Z")
