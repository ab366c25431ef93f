"""Memory of a process and all its descendants, read from /proc (no psutil).

``VmRSS`` is the resident set now, ``VmHWM`` its peak ("high water mark") since the
process started. For a process tree the peaks are summed: an upper bound of the peak
of the whole tree, which is what a memory target should be checked against.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Dict, Iterable, List

PROC = Path("/proc")


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _parent_map() -> Dict[int, int]:
    parents: Dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            # pid (comm) state ppid ...; comm may contain spaces and parentheses
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents[int(entry.name)] = ppid
    return parents


def process_tree(pid: int) -> List[int]:
    """``pid`` and all its living descendants."""
    parents = _parent_map()
    children: Dict[int, List[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        if current in parents or (PROC / str(current)).exists():
            out.append(current)
        todo.extend(children.get(current, []))
    return out


def tree_memory_mb(pid: int) -> Dict[str, float]:
    """``{"rss_mb", "hwm_mb", "processes"}`` summed over the tree of ``pid``."""
    pids = process_tree(pid)
    rss = sum(_status_kb(p, "VmRSS") for p in pids)
    hwm = sum(_status_kb(p, "VmHWM") for p in pids)
    return {"rss_mb": round(rss / 1024, 1), "hwm_mb": round(hwm / 1024, 1), "processes": len(pids)}


class RssSampler:
    """Samples the summed current RSS of several process trees in a thread; keeps the
    highest total seen (a lower bound of the true peak, next to the summed VmHWM)."""

    def __init__(self, pids: Iterable[int], interval: float = 0.5):
        self.pids = list(pids)
        self.interval = interval
        self.peak_total_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(tree_memory_mb(p)["rss_mb"] for p in self.pids)
            self.peak_total_mb = max(self.peak_total_mb, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its living descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            stat = (PROC / str(p) / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return total / ticks


if __name__ == "__main__":
    print(tree_memory_mb(os.getpid()))

