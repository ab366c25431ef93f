#!/usr/bin/env python
"""NLU evaluation that prints numbers.

heldout:         parse every example of tests/nlu/*.yml (written separately from the
                 training data) with the trained model; print intent macro-F1 per file
                 and overall, the weakest intents and the most frequent confusions;
                 exit 1 when overall macro-F1 < --min-f1.
cross-validate:  Rasa's k-fold cross-validation on data/nlu (fresh NLU models per fold);
                 print the macro-F1 from its report.
Results are also written to results/nlu/*.json for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "results" / "nlu"


def macro_f1(gold, pred) -> tuple:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    labels = sorted(set(gold))
    f1 = f1_score(gold, pred, labels=labels, average="macro", zero_division=0)
    _, _, per, support = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    return f1, dict(zip(labels, per, strict=True)), dict(zip(labels, support, strict=True))


def faq_topic_check(gold, pred, min_correct: int) -> list:
    """FAQ topics (faq_* and human_contact) with fewer than ``min_correct`` held-out
    phrasings classified correctly."""
    from bot.knowledge import faq

    intents = {faq.faq_intent(t) for t in faq.topic_ids()}
    correct = Counter(g for g, p in zip(gold, pred, strict=True) if g == p and g in intents)
    return sorted((i, correct[i]) for i in intents if correct[i] < min_correct)


def heldout(model: str, min_f1: float, gate_file: str, faq_min_correct: int, directory: str) -> int:
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(model)
    files = sorted((ROOT / directory).glob("*.yml"))
    all_gold, all_pred, report, gated_f1 = [], [], {}, None
    started = time.perf_counter()
    for path in files:
        examples = [m for m in load_data(str(path)).intent_examples]
        gold = [m.get("intent") for m in examples]
        pred = [asyncio.run(agent.parse_message(m.get("text")))["intent"]["name"] for m in examples]
        f1, per, support = macro_f1(gold, pred)
        report[path.name] = {"examples": len(gold), "macro_f1": round(f1, 4),
                             "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 4)}
        print(f"{path.name:28s} examples={len(gold):4d}  intent macro-F1={f1:.3f}  "
              f"accuracy={report[path.name]['accuracy']:.3f}")
        all_gold += gold
        all_pred += pred
        if path.name == gate_file:
            gated_f1 = f1
    f1, per, support = macro_f1(all_gold, all_pred)
    elapsed = time.perf_counter() - started
    print(f"{'ALL held-out':28s} examples={len(all_gold):4d}  intent macro-F1={f1:.3f}  "
          f"({len(per)} intents, {elapsed / max(len(all_gold), 1) * 1000:.1f} ms/parse)")
    weakest = sorted(per.items(), key=lambda kv: kv[1])[:8]
    print("weakest intents: " + ", ".join(f"{k}={v:.2f}(n={support[k]})" for k, v in weakest))
    confusions = Counter((g, p) for g, p in zip(all_gold, all_pred, strict=True) if g != p).most_common(10)
    print("top confusions:  " + "; ".join(f"{g}->{p} x{n}" for (g, p), n in confusions))
    OUT.mkdir(parents=True, exist_ok=True)
    report["all"] = {"examples": len(all_gold), "macro_f1": round(f1, 4), "per_intent": {k: round(v, 4) for k, v in per.items()}}
    weak_topics = faq_topic_check(all_gold, all_pred, faq_min_correct)
    faq_gold = [(g, p) for g, p in zip(all_gold, all_pred, strict=True) if g.startswith("faq_") or g == "human_contact"]
    faq_acc = sum(g == p for g, p in faq_gold) / max(len(faq_gold), 1)
    print(f"FAQ held-out accuracy: {faq_acc:.3f} on {len(faq_gold)} phrasings; topics with fewer than "
          f"{faq_min_correct} correct: {weak_topics or 'none'}")
    report["faq"] = {"accuracy": round(faq_acc, 4), "phrasings": len(faq_gold), "weak_topics": weak_topics}
    (OUT / f"{Path(directory).name}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    failures = []
    if gated_f1 is None or gated_f1 < min_f1:
        failures.append(f"intent macro-F1 on {gate_file} {gated_f1} < {min_f1}")
    if weak_topics:
        failures.append(f"FAQ topics with < {faq_min_correct} correct held-out phrasings: {weak_topics}")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print(f"OK: intent macro-F1 on {gate_file} {gated_f1:.3f} >= {min_f1}; every FAQ topic has "
              f">= {faq_min_correct} correct held-out phrasings")
    return 1 if failures else 0


def cross_validate(folds: int) -> int:
    out = OUT / "cross_validation"
    started = time.perf_counter()
    cmd = [str(ROOT / ".venv" / "bin" / "rasa"), "test", "nlu", "--nlu", "data/nlu", "--config",
           "config.yml", "--cross-validation", "--folds", str(folds), "--out", str(out), "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT)
    if proc.returncode != 0:
        return proc.returncode
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    macro = report["macro avg"]["f1-score"]
    print(f"{folds}-fold cross-validation on data/nlu: intent macro-F1={macro:.3f} "
          f"accuracy={report.get('accuracy', float('nan')):.3f} "
          f"({time.perf_counter() - started:.0f} s)")
    (OUT / "cross_validation.json").write_text(json.dumps(
        {"folds": folds, "macro_f1": round(macro, 4), "accuracy": report.get("accuracy")}, indent=2))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("heldout")
    h.add_argument("--model", required=True)
    h.add_argument("--min-f1", type=float, default=0.90)
    h.add_argument("--gate-file", default="intake_heldout.yml",
                   help="held-out file whose intent macro-F1 must reach --min-f1 (issue: intake answers)")
    h.add_argument("--faq-min-correct", type=int, default=3)
    h.add_argument("--dir", default="tests/nlu", help="folder with the held-out files")
    c = sub.add_parser("cross-validate")
    c.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if args.cmd == "heldout":
        return heldout(args.model, args.min_f1, args.gate_file, args.faq_min_correct, args.dir)
    return cross_validate(args.folds)


if __name__ == "__main__":
    sys.exit(main())
