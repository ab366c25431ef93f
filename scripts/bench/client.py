"""Drive scripted conversations over Rasa's REST channel with asyncio + aiohttp.

``concurrency`` conversations are in flight at once; within a conversation turns are
sequential (a patient waits for the reply). The run is bounded by a number of
conversations and by a time limit (no new conversation starts after it).
"""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import aiohttp
from conversations import START_METADATA, Step, check


@dataclass
class RunResult:
    label: str
    concurrency: int
    latencies_s: List[float] = field(default_factory=list)
    errors: List[Dict[str, Any]] = field(default_factory=list)
    conversations_started: int = 0
    conversations_done: int = 0
    completed_senders: List[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    by_text: Dict[str, List[float]] = field(default_factory=dict)  # "#<turn> <text>": latencies
    retries: List[Dict[str, Any]] = field(default_factory=list)  # the web chat's "try again"
    http_5xx: int = 0

    def merge(self, other: "RunResult") -> None:
        """Add a later round of the same label and concurrency (interleaved runs)."""
        self.latencies_s += other.latencies_s
        self.errors += other.errors
        self.conversations_started += other.conversations_started
        self.conversations_done += other.conversations_done
        self.completed_senders += other.completed_senders
        self.elapsed_s += other.elapsed_s
        self.retries += other.retries
        self.http_5xx += other.http_5xx
        for text, values in other.by_text.items():
            self.by_text.setdefault(text, []).extend(values)

    @property
    def turns(self) -> int:
        return len(self.latencies_s)

    def stats(self) -> Dict[str, Any]:
        lat = sorted(self.latencies_s)
        return {
            "label": self.label, "concurrency": self.concurrency, "turns": self.turns,
            "conversations": self.conversations_done, "errors": len(self.errors),
            "p50_ms": round(percentile(lat, 50) * 1000, 1) if lat else None,
            "p95_ms": round(percentile(lat, 95) * 1000, 1) if lat else None,
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "turns_per_s": round(self.turns / self.elapsed_s, 2) if self.elapsed_s else None,
            "elapsed_s": round(self.elapsed_s, 2),
            "slowest_turns": self.slowest_turns(),
            "p50_ms_by_turn": self.p50_by_turn(),
            "error_samples": self.errors[:5],
            "retries": len(self.retries), "http_5xx": self.http_5xx,
        }

    def p50_by_turn(self, width: int = 8) -> Dict[str, float]:
        """Median latency of turns 0-7, 8-15, ...: does a turn get slower as the
        conversation (and its tracker) grows?"""
        buckets: Dict[int, List[float]] = {}
        for key, values in self.by_text.items():
            buckets.setdefault(int(key[1:].split(" ", 1)[0]) // width, []).extend(values)
        return {f"turns {b * width}-{b * width + width - 1}": round(percentile(sorted(v), 50) * 1000, 1)
                for b, v in sorted(buckets.items())}

    def slowest_turns(self, n: int = 4) -> List[Dict[str, Any]]:
        """The messages with the highest median latency (what makes up the p95)."""
        rows = [(percentile(sorted(v), 50), text, len(v)) for text, v in self.by_text.items()]
        return [{"message": text[:40], "p50_ms": round(p50 * 1000, 1), "count": count}
                for p50, text, count in sorted(rows, reverse=True)[:n]]


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-pct * len(sorted_values) // 100)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str,
               metadata: Optional[Dict[str, Any]] = None) -> Tuple[int, Any]:
    body: Dict[str, Any] = {"sender": sender, "message": text}
    if metadata:
        body["metadata"] = metadata
    async with session.post(url, json=body) as resp:
        raw = await resp.read()
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, raw[:200].decode("utf-8", "replace")


async def run_conversations(url: str, scripts: Sequence[Sequence[Step]], *, label: str,
                            concurrency: int, conversations: int, time_limit_s: float,
                            sender_prefix: str = "bench", turn_timeout_s: float = 60.0,
                            progress: Optional[Callable[[RunResult], None]] = None,
                            progress_every_s: float = 2.0,
                            make_sender: Optional[Callable[[str, int], str]] = None,
                            retry_unavailable: int = 0, retry_delay_s: float = 1.0,
                            message_ids: bool = False) -> RunResult:
    """Run ``conversations`` scripted conversations (cycling through ``scripts``).

    ``make_sender(run_id, index)`` names the conversations (default
    ``<prefix>-<run_id>-<index>``). With ``retry_unavailable`` > 0 a turn answered with
    the Dutch error reply (``custom.error``) is sent again after ``retry_delay_s``, up
    to that many times, as a patient does with the web chat's retry button; each retry
    is listed in ``result.retries``. With ``message_ids`` every message carries a
    ``metadata.message_id`` and a retry ``metadata.retry``, as the web chat sends them."""
    result = RunResult(label=label, concurrency=concurrency)
    run_id = uuid.uuid4().hex[:8]
    counter = iter(range(conversations))
    started = time.perf_counter()
    deadline = started + time_limit_s
    timeout = aiohttp.ClientTimeout(total=turn_timeout_s)
    connector = aiohttp.TCPConnector(limit=concurrency + 4)

    async def one(session: aiohttp.ClientSession, index: int) -> None:
        script = scripts[index % len(scripts)]
        sender = make_sender(run_id, index) if make_sender else f"{sender_prefix}-{run_id}-{index:05d}"
        result.conversations_started += 1
        for turn, (text, expect) in enumerate(script):
            metadata = dict(START_METADATA) if text == "/start" else {}
            if message_ids:  # as the web chat sends them (bot/intake/retries.py)
                metadata["message_id"] = uuid.uuid4().hex[:24]
            for attempt in range(retry_unavailable + 1):
                if attempt:
                    metadata["retry"] = True
                t0 = time.perf_counter()
                try:
                    status, replies = await send(session, url, sender, text, metadata or None)
                except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                    result.errors.append({"sender": sender, "turn": turn, "error": type(exc).__name__})
                    return
                latency = time.perf_counter() - t0
                result.latencies_s.append(latency)
                result.by_text.setdefault(f"#{turn} {text}", []).append(latency)
                if status >= 500:
                    result.http_5xx += 1
                if attempt < retry_unavailable and status == 200 and is_error_reply(replies):
                    result.retries.append({"sender": sender, "turn": turn, "at_s": round(t0 - started, 2)})
                    await asyncio.sleep(retry_delay_s)
                    continue
                break
            reason = f"HTTP {status}" if status != 200 else check(replies, expect)
            if reason:
                result.errors.append({"sender": sender, "turn": turn, "text": text, "error": reason})
                return
        result.conversations_done += 1
        result.completed_senders.append(sender)

    async def worker(session: aiohttp.ClientSession) -> None:
        for index in counter:
            if time.perf_counter() > deadline:
                return
            await one(session, index)

    async def reporter() -> None:
        while True:
            await asyncio.sleep(progress_every_s)
            result.elapsed_s = time.perf_counter() - started
            progress(result)

    report_task = asyncio.ensure_future(reporter()) if progress else None
    try:
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    finally:
        result.elapsed_s = time.perf_counter() - started
        if report_task:
            report_task.cancel()
    return result


def is_error_reply(replies: Any) -> bool:
    return isinstance(replies, list) and any(
        isinstance(m, dict) and isinstance(m.get("custom"), dict) and m["custom"].get("error")
        for m in replies)


def print_progress(result: RunResult) -> None:
    print(f"  [{result.label} c={result.concurrency}] {result.elapsed_s:6.1f}s  "
          f"conversations {result.conversations_done}/{result.conversations_started}  "
          f"turns {result.turns}  errors {len(result.errors)}  retries {len(result.retries)}", flush=True)
