"""The completion funnel per question, from Rasa's marker evaluation (markers/).

``evaluate`` runs Rasa's marker evaluation (the same steps as ``rasa evaluate markers
all``) on the tracker store of an endpoints file and writes ``markers.csv`` and Rasa's
statistics; ``build`` turns ``markers.csv`` into the funnel. Per session that started
the intake and per step (each question in the order of asking, the read-back before
the consent question), each reached session has at most one outcome:

* dropped_out_here: the session ended while this step was pending (not finished);
* answered: otherwise, the question got an answer (for the read-back: it was
  confirmed; for consent: yes or no);
* skipped: otherwise, the question was skipped.

A session can reach a question and have none of the three (it went back, an earlier
answer changed the route, or it restarted), so reached >= answered + skipped + dropped.
Only ids and counts are written: no conversation ids, no patient text.
"""

from __future__ import annotations

import asyncio
import csv
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.runtime.settings import PROJECT_ROOT

MARKERS_DIR = PROJECT_ROOT / "markers"
READBACK = "readback"
FUNNEL_COLUMNS = ("question_id", "reached", "answered", "skipped", "dropped_out_here")
TOTALS = (
    "sessions",
    "started",
    "finished",
    "dropped_out",
    "consent_given",
    "consent_declined",
    "readback_changed",
    "crisis",
    "human_contact",
)
MARKERS_CSV, FUNNEL_CSV, TOTALS_CSV, CHART_PNG = "markers.csv", "funnel.csv", "totals.csv", "funnel.png"
STATS_PREFIX = "stats"


def consent_id() -> str:
    """The consent question (``role: consent`` in questions.yml, ``content.consent_id()``)."""
    from bot import content

    return content.consent_id()


def default_dir() -> Path:
    """Where ``make funnel`` writes and the admin page reads (FUNNEL_DIR)."""
    return Path(os.environ.get("FUNNEL_DIR", PROJECT_ROOT / "results" / "funnel"))


# --- running Rasa's marker evaluation ---------------------------------------------------


def evaluate(
    endpoints: Path, out_dir: Path, domain_path: Optional[Path] = None, markers_dir: Path = MARKERS_DIR
) -> Path:
    """Rasa's marker evaluation over every tracker in the store of ``endpoints``: writes
    markers.csv and stats-overall.csv / stats-per-session.csv into ``out_dir``."""
    from rasa.core.evaluation.marker_base import Marker
    from rasa.core.evaluation.marker_tracker_loader import MarkerTrackerLoader
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.core.domain import Domain

    import bot.analytics.conditions  # noqa: F401  (registers slot_is, slot_contains)

    markers = Marker.from_path(markers_dir)
    domain = Domain.load(str(domain_path)) if domain_path else None
    if domain is not None and not markers.validate_against_domain(domain):
        bad = sorted(
            {
                repr(m)
                for m in markers.flatten()
                if not hasattr(m, "sub_markers") and not m.validate_against_domain(domain)
            }
        )
        raise SystemExit(
            f"{len(bad)} marker conditions refer to what {domain_path} does not have "
            f"(slots of the slot contract?), e.g. {', '.join(bad[:5])}"
        )
    store = TrackerStore.create(
        AvailableEndpoints.read_endpoints(str(endpoints)).tracker_store, domain=domain
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [MARKERS_CSV, f"{STATS_PREFIX}-overall.csv", f"{STATS_PREFIX}-per-session.csv"]
    for name in names:
        (out_dir / name).unlink(missing_ok=True)
    asyncio.run(
        markers.evaluate_trackers(
            trackers=MarkerTrackerLoader(store, "all").load(),
            output_file=out_dir / names[0],
            overall_stats_file=out_dir / names[1],
            session_stats_file=out_dir / names[2],
        )
    )
    return out_dir / MARKERS_CSV


# --- from markers.csv to the funnel ------------------------------------------------------


@dataclass
class Session:
    first: Dict[str, int] = field(default_factory=dict)  # marker -> first event index
    last: Dict[str, int] = field(default_factory=dict)  # marker -> last event index
    end: int = -1  # last event any marker applied at

    def has(self, marker: str) -> bool:
        return marker in self.first

    def at_end(self, marker: str) -> bool:
        return self.last.get(marker, -2) == self.end


def read_sessions(markers_csv: Path) -> Dict[Tuple[str, str], Session]:
    sessions: Dict[Tuple[str, str], Session] = defaultdict(Session)
    with markers_csv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            s = sessions[(row["sender_id"], row["session_idx"])]
            idx, name = int(row["event_idx"]), row["marker"]
            s.first[name] = min(idx, s.first.get(name, idx))
            s.last[name] = max(idx, s.last.get(name, idx))
            s.end = max(s.end, idx)
    return dict(sessions)


def steps(question_ids: Iterable[str]) -> List[str]:
    """The funnel's steps: the questions in the order of asking, the read-back before consent."""
    ids = [q for q in question_ids if q != consent_id()]
    return ids + [READBACK, consent_id()]


def started(s: Session) -> bool:
    return s.has("started") or any(m.startswith("asked_") for m in s.first)


def step_at_end(s: Session, question_ids: Iterable[str]) -> Optional[str]:
    """Where an unfinished session stopped (None: finished, or never started)."""
    if s.at_end("finished"):
        return None
    if s.at_end("in_readback"):
        return READBACK
    if s.at_end("in_consent") or s.at_end(f"asked_{consent_id()}"):
        return consent_id()
    return next((q for q in question_ids if s.at_end(f"asked_{q}")), None)


def _outcome(s: Session, step: str, stopped: Optional[str]) -> Optional[str]:
    """'dropped', 'answered', 'skipped', 'other' or None (not reached)."""
    if step == READBACK:
        reached = s.has("in_readback")
        done = s.has("in_consent") or s.has(f"asked_{consent_id()}") or s.has("finished")
        skipped = False
    else:
        reached = any(s.has(f"{kind}_{step}") for kind in ("asked", "answered", "skipped"))
        done = s.has(f"answered_{step}")
        skipped = s.has(f"skipped_{step}")
        if step == consent_id():
            reached = reached or s.has("in_consent")
            done = (
                done or s.has("consent_given") or s.has("consent_declined") or (reached and s.has("finished"))
            )
    if not reached:
        return None
    if stopped == step:
        return "dropped"
    return "answered" if done else "skipped" if skipped else "other"


def funnel(sessions: Dict[Tuple[str, str], Session], question_ids: List[str]) -> List[Dict[str, Any]]:
    rows: Dict[str, Dict[str, Any]] = {
        step: {"question_id": step, "reached": 0, "answered": 0, "skipped": 0, "dropped_out_here": 0}
        for step in steps(question_ids)
    }
    for s in sessions.values():
        if not started(s):
            continue
        stopped = step_at_end(s, question_ids)
        for step, row in rows.items():
            outcome = _outcome(s, step, stopped)
            if outcome is None:
                continue
            row["reached"] += 1
            key = {"dropped": "dropped_out_here", "answered": "answered", "skipped": "skipped"}.get(outcome)
            if key:
                row[key] += 1
    return list(rows.values())


def totals(
    sessions: Dict[Tuple[str, str], Session], question_ids: List[str], total_sessions: Optional[int] = None
) -> Dict[str, int]:
    begun = [s for s in sessions.values() if started(s)]
    given = sum(1 for s in begun if s.has("consent_given"))
    declined = sum(
        1 for s in begun if s.has("consent_declined") or (s.has("finished") and not s.has("consent_given"))
    )
    return {
        "sessions": total_sessions if total_sessions is not None else len(sessions),
        "started": len(begun),
        "finished": sum(1 for s in begun if s.at_end("finished")),
        "dropped_out": sum(1 for s in begun if step_at_end(s, question_ids) is not None),
        "consent_given": given,
        "consent_declined": declined,
        "readback_changed": sum(1 for s in begun if s.has("readback_changed")),
        "crisis": sum(1 for s in sessions.values() if s.has("crisis")),
        "human_contact": sum(1 for s in sessions.values() if s.has("human_contact")),
    }


def total_sessions(out_dir: Path) -> Optional[int]:
    """Rasa's own count of sessions (sessions where no marker applied are not in markers.csv)."""
    path = out_dir / f"{STATS_PREFIX}-overall.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["statistic"] == "total_number_of_sessions":
                return int(float(row["value"]))
    return None


def build(
    out_dir: Path, question_ids: Optional[List[str]] = None
) -> Tuple[List[Dict[str, Any]], Dict[str, int]]:
    """markers.csv (in ``out_dir``) -> funnel.csv, totals.csv and funnel.png."""
    from bot import content
    from bot.analytics.chart import draw

    ids = question_ids or [q["id"] for q in content.questions()]
    sessions = read_sessions(out_dir / MARKERS_CSV)
    rows, sums = funnel(sessions, ids), totals(sessions, ids, total_sessions(out_dir))
    with (out_dir / FUNNEL_CSV).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FUNNEL_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with (out_dir / TOTALS_CSV).open("w", encoding="utf-8", newline="") as fh:
        table = csv.writer(fh)
        table.writerow(["marker", "sessions"])
        table.writerows(sums.items())
    draw(rows, sums, out_dir / CHART_PNG)
    return rows, sums


def load(out_dir: Optional[Path] = None) -> Optional[Tuple[List[Dict[str, Any]], Dict[str, int], float]]:
    """The last funnel written to ``out_dir``: (rows, totals, modification time) or None."""
    out_dir = out_dir or default_dir()
    paths = [out_dir / FUNNEL_CSV, out_dir / TOTALS_CSV]
    if not all(p.exists() for p in paths):
        return None
    with paths[0].open(encoding="utf-8", newline="") as fh:
        rows = [{k: (v if k == "question_id" else int(v)) for k, v in r.items()} for r in csv.DictReader(fh)]
    with paths[1].open(encoding="utf-8", newline="") as fh:
        sums = {r["marker"]: int(r["sessions"]) for r in csv.DictReader(fh)}
    return rows, sums, paths[0].stat().st_mtime
