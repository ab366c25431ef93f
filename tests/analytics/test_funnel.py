"""The funnel from a real SQLite tracker store: conversations saved with Rasa's
SQLTrackerStore, Rasa's marker evaluation over the store, then the counts per question."""
import asyncio
import csv
import subprocess
import sys

import pytest
import yaml

from bot.analytics import funnel
from bot.runtime.settings import PROJECT_ROOT
from tests.analytics.conversations import PATIENT_TEXT, Conversation, domain_dict, question_ids, store_all


def conversations():
    full_yes = Conversation("full-yes").start().answer_all().confirm_readback().consent(True)
    full_no = (Conversation("full-no").start().answer_all().change_in_readback("occupation").answer()
               .confirm_readback().consent(False))
    quiet_no = Conversation("quiet-no").start().answer_all().confirm_readback().consent(False, record_no=False)
    drop_occupation = Conversation("drop-occupation").start().answer().human_contact()
    skip_then_drop = Conversation("skip-then-drop").start().skip().crisis()
    idle = Conversation("idle").greet()
    drop_readback = Conversation("drop-readback").start().answer_all()
    drop_consent = Conversation("drop-consent").start().answer_all().confirm_readback()
    restart = Conversation("restart").start().answer().answer().restart().answer()
    # one sender, two sessions: stopped at occupation, came back an hour later and finished
    two = Conversation("two-sessions").start().answer().new_session().start().answer_all()
    two.confirm_readback().consent(True)
    return [full_yes, full_no, quiet_no, drop_occupation, skip_then_drop, idle, drop_readback, drop_consent,
            restart, two], skip_then_drop.state["current"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A SQLite tracker store filled with the conversations, and its endpoints file."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    tmp = tmp_path_factory.mktemp("funnel")
    (tmp / "domain.yml").write_text(yaml.safe_dump(domain_dict(), allow_unicode=True), encoding="utf-8")
    domain = Domain.load(str(tmp / "domain.yml"))
    db = tmp / "trackers.db"
    convs, after_skip = conversations()
    tracker_store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    asyncio.run(store_all(tracker_store, domain, convs))
    tracker_store.engine.dispose()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(db)}}))
    return {"dir": tmp, "endpoints": endpoints, "domain": tmp / "domain.yml", "after_skip": after_skip}


@pytest.fixture(scope="module")
def built(store):
    out = store["dir"] / "out"
    funnel.evaluate(store["endpoints"], out, domain_path=store["domain"])
    rows, totals = funnel.build(out)
    return out, {r["question_id"]: r for r in rows}, totals


def counts(row):
    return row["reached"], row["answered"], row["skipped"], row["dropped_out_here"]


def test_counts_per_question(built, store):
    _, rows, _ = built
    # started: full-yes, full-no, quiet-no, drop-occupation, skip-then-drop, drop-readback,
    # drop-consent, restart, and both sessions of two-sessions = 10
    assert counts(rows["work_status"]) == (10, 9, 1, 0)
    # skip-then-drop never reaches occupation (it is for working patients only); restart
    # answered it before restarting but stopped there afterwards: dropped wins
    assert counts(rows["occupation"]) == (9, 6, 0, 3)
    after_skip = store["after_skip"]
    assert rows[after_skip]["dropped_out_here"] >= 1
    assert counts(rows[funnel.READBACK]) == (6, 5, 0, 1)
    assert counts(rows[funnel.consent_id()]) == (5, 4, 0, 1)
    assert list(rows) == funnel.steps(question_ids())


def test_totals(built):
    _, _, totals = built
    assert totals == {"sessions": 11, "started": 10, "finished": 4, "dropped_out": 6, "consent_given": 2,
                      "consent_declined": 2, "readback_changed": 1, "crisis": 1, "human_contact": 1}


def test_rasa_statistics_count_the_markers(built):
    """Rasa's own statistics (stats-overall.csv) agree: both ways of recording a "no"."""
    out, _, _ = built
    with (out / "stats-overall.csv").open(encoding="utf-8") as fh:
        applied = {r["marker"]: int(float(r["value"])) for r in csv.DictReader(fh)
                   if r["statistic"] == "number_of_sessions_where_marker_applied_at_least_once"}
    assert (applied["consent_given"], applied["consent_declined"], applied["human_contact"]) == (2, 2, 1)
    assert applied["started"] == 10 and applied["crisis"] == 1


def test_outputs_have_counts_only(built):
    out, _, _ = built
    with (out / funnel.FUNNEL_CSV).open(encoding="utf-8") as fh:
        assert tuple(next(csv.reader(fh))) == funnel.FUNNEL_COLUMNS
    for name in (funnel.FUNNEL_CSV, funnel.TOTALS_CSV):
        text = (out / name).read_text(encoding="utf-8")
        assert PATIENT_TEXT not in text and "full-yes" not in text
    assert (out / funnel.CHART_PNG).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert funnel.load(out)[0][0]["question_id"] == "work_status"


def test_rasa_cli_evaluates_the_same_markers(store, tmp_path):
    """`rasa evaluate markers` itself (with our conditions registered) on the same store."""
    out = tmp_path / "markers.csv"
    result = subprocess.run(
        [sys.executable, "-m", "bot.analytics.rasa_cli", "evaluate", "markers", "all", str(out),
         "--config", str(PROJECT_ROOT / "markers"), "--endpoints", str(store["endpoints"]),
         "--domain", str(store["domain"]), "--no-stats"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    sessions = funnel.read_sessions(out)
    assert sum(1 for s in sessions.values() if s.has("crisis")) == 1
    assert sum(1 for s in sessions.values() if s.has("readback_changed")) == 1


def test_markers_refer_to_the_contract_slots(store):
    from rasa.core.evaluation.marker_base import Marker
    from rasa.shared.core.domain import Domain

    import bot.analytics.conditions  # noqa: F401

    markers = Marker.from_path(PROJECT_ROOT / "markers")
    assert markers.validate_against_domain(Domain.load(str(store["domain"])))
    names = {m.name for m in markers.sub_markers}
    for qid in question_ids():
        assert {f"asked_{qid}", f"answered_{qid}", f"skipped_{qid}"} <= names


def test_sync_markers_check():
    script = PROJECT_ROOT / "scripts" / "sync_markers.py"
    ok = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    text = (PROJECT_ROOT / "markers" / "questions.yml").read_text(encoding="utf-8")
    assert text.startswith("# generated from bot/content/questions.yml by scripts/sync_markers.py")


def test_make_funnel_script_on_a_database_url(store, built, tmp_path):
    """scripts/funnel.py (what `make funnel` runs) with --db-url: same funnel as above."""
    out = tmp_path / "funnel"
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "funnel.py"), "--db-url",
         f"sqlite:///{store['dir'] / 'trackers.db'}", "--domain", str(store["domain"]), "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / funnel.FUNNEL_CSV).read_text() == (built[0] / funnel.FUNNEL_CSV).read_text()
    assert "consent_given=2" in result.stdout
