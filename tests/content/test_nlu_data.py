"""Checks on the NLU training data and the held-out set for the intake intents.

- every data/nlu/*.yml and tests/nlu/*.yml file parses with Rasa's own loader;
- minimum example counts for the intake and small-talk intents (training and held-out);
- no held-out example appears (normalised) in the training data of any file;
- no training example of an intake/small-talk intent is also labelled with another
  intent in any training file (such a conflict makes the classifier guess).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TRAIN_DIR = ROOT / "data" / "nlu"
TEST_DIR = ROOT / "tests" / "nlu"
HELDOUT = TEST_DIR / "intake_heldout.yml"

# Files owned by the intake NLU data (kept short so they stay reviewable).
OWN_FILES = sorted(TRAIN_DIR.glob("intake_*.yml")) + [TRAIN_DIR / "smalltalk.yml", HELDOUT]
MAX_LINES = 400

MIN_TRAIN = {
    "inform": 250,
    "affirm": 30,
    "deny": 30,
    "skip": 30,
    "go_back": 20,
    "correct": 30,
    "start_over": 20,
    "start": 10,
    "greet": 20,
    "thank": 15,
    "goodbye": 15,
}
MIN_HELDOUT = {intent: 10 for intent in MIN_TRAIN}
MIN_HELDOUT["inform"] = 60

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation and whitespace removed.

    Dropping spaces too makes "dank je wel" and "dankjewel" the same example,
    so trivial variants of a training example cannot count as held-out.
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD.sub("", text).replace("_", "")


def _examples(path: Path) -> list[tuple[str, str]]:
    data = load_data(str(path))
    return [(m.get("intent"), m.get("text")) for m in data.intent_examples]


def _counts(pairs: list[tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for intent, _ in pairs:
        counts[intent] += 1
    return counts


def _all_files() -> list[Path]:
    return sorted(TRAIN_DIR.rglob("*.yml")) + sorted(TEST_DIR.glob("*.yml"))


@pytest.fixture(scope="module")
def training() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for path in sorted(TRAIN_DIR.rglob("*.yml")):
        pairs.extend(_examples(path))
    return pairs


@pytest.fixture(scope="module")
def heldout() -> list[tuple[str, str]]:
    return _examples(HELDOUT)


@pytest.mark.parametrize("path", _all_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_file_parses(path: Path) -> None:
    data = load_data(str(path))
    assert data.intent_examples, f"{path} has no intent examples"


def test_training_directory_parses_as_a_whole() -> None:
    data = load_data(str(TRAIN_DIR))
    assert set(MIN_TRAIN) <= data.intents


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_own_file_format(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(r'^version: "3\.1"$', text, re.MULTILINE), f"{path.name}: version"
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name}: split it, > {MAX_LINES} lines"


@pytest.mark.parametrize("intent,minimum", sorted(MIN_TRAIN.items()))
def test_training_minimum_counts(training, intent: str, minimum: int) -> None:
    count = _counts(training)[intent]
    assert count >= minimum, f"{intent}: {count} training examples, want >= {minimum}"


@pytest.mark.parametrize("intent,minimum", sorted(MIN_HELDOUT.items()))
def test_heldout_minimum_counts(heldout, intent: str, minimum: int) -> None:
    count = _counts(heldout)[intent]
    assert count >= minimum, f"{intent}: {count} held-out examples, want >= {minimum}"


def test_heldout_intents_are_trained(training, heldout) -> None:
    missing = {i for i, _ in heldout} - {i for i, _ in training}
    assert not missing, f"held-out intents without training data: {sorted(missing)}"


def test_heldout_not_in_training(training, heldout) -> None:
    seen = {normalise(text): (intent, text) for intent, text in training}
    leaks = [
        f"{text!r} ({intent}) ~ training {seen[normalise(text)]}"
        for intent, text in heldout
        if normalise(text) in seen
    ]
    assert not leaks, "held-out examples found in training data:\n" + "\n".join(leaks)


def test_heldout_has_no_internal_conflicts(heldout) -> None:
    by_text: dict[str, set[str]] = defaultdict(set)
    for intent, text in heldout:
        by_text[normalise(text)].add(intent)
    conflicts = {t: sorted(i) for t, i in by_text.items() if len(i) > 1}
    assert not conflicts, f"held-out examples with several intents: {conflicts}"


def test_no_conflicting_labels_for_own_intents(training) -> None:
    by_text: dict[str, set[str]] = defaultdict(set)
    for intent, text in training:
        by_text[normalise(text)].add(intent)
    conflicts = {
        t: sorted(i) for t, i in by_text.items() if len(i) > 1 and i & set(MIN_TRAIN)
    }
    assert not conflicts, f"training examples with several intents: {conflicts}"
