"""Intake profiles for the FHIR tests: the state fixtures (tests/fixtures/states), the
summary fixtures (tests/fixtures/summaries) and, when present, the conversation corpus
(tests/conversations/{dev,heldout}/*.yml, expected answers replayed through the real
question logic of bot/intake/questionnaire.py)."""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple
from zoneinfo import ZoneInfo

import yaml

from bot import content
from bot.intake import questionnaire as qn
from bot.language.answers import parse_answer
from bot.report.summary import build_summary

ROOT = Path(__file__).resolve().parents[2]
STATES = ROOT / "tests" / "fixtures" / "states"
SUMMARIES = ROOT / "tests" / "fixtures" / "summaries"
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


def corpus_dir() -> Path:
    return Path(os.environ.get("WERK_CONVERSATIONS_DIR", ROOT / "tests" / "conversations"))


def state_profiles() -> List[Tuple[str, Dict[str, Any]]]:
    return [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(STATES.glob("*.json"))]


def summary_fixtures() -> List[Tuple[str, Dict[str, Any]]]:
    return [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(SUMMARIES.glob("*.json"))]


def asked(state: Dict[str, Any]) -> List[str]:
    """The questions the assistant asked (answered or skipped), consent included."""
    done = set(state["answers"]) | set(state["skipped"])
    return [q["id"] for q in content.questions() if q["id"] in done]


def replay(answers: Dict[str, Any], context: Dict[str, Any], consent: bool = True) -> Dict[str, Any]:
    """Walk the real question logic with these answers: a question without an answer is
    skipped. Returns the final state."""
    state = qn.new_state(context)
    while True:
        qid = qn.next_question_id(state)
        if qid is None:
            break
        if answers.get(qid) is not None:
            qn.record_answer(state, qid, answers[qid], answers.get(f"{qid}_text"))
        else:
            qn.record_skip(state, qid)
    state["answers"]["consent_share"] = consent
    state["phase"] = qn.PHASE_DONE
    return state


def corpus_profiles() -> Iterator[Tuple[str, Dict[str, Any]]]:
    for path in sorted(corpus_dir().glob("*/*.yml")):
        for conv in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            expect = conv.get("expect") or {}
            if not expect.get("consent", True):
                continue
            answers = dict(expect.get("answers") or {})
            for qid, reply in (conv.get("replies") or {}).items():
                q = content.questions_by_id().get(qid)
                if q and q["answer_type"] == "text":
                    answers[qid] = reply  # the whole reply, as the assistant stores it
            for qid, reply in (conv.get("replies") or {}).items():
                q = content.questions_by_id().get(qid)
                if q and q["answer_type"] == "yes_no" and isinstance(answers.get(qid), str):
                    answers[qid] = True  # a yes whose details the writer gave as the expected text
                follow_up = content.follow_up_of(qid)
                if answers.get(qid) is True and follow_up and follow_up not in answers:
                    said = parse_answer(content.question(qid), str(reply)).extra_text
                    if said:  # "ja, ik werk sinds twee weken ...": the details came with the yes
                        answers[follow_up] = said
            for qid in expect.get("skipped") or []:
                answers.pop(qid, None)
            yield conv["id"], replay(answers, conv.get("metadata") or {})


def summary_of(name: str, state: Dict[str, Any]) -> Dict[str, Any]:
    return build_summary(state, f"conv-{name}", NOW, summary_id=f"sum-{name.replace('_', '-')}")
