"""A second, learned layer of the safety net: for messages the crisis rules do not
catch, how much they read like the crisis phrasings of the development corpus.

Rules (bot/knowledge/safety.py) stay first and give the fixed crisis answer. This classifier only
makes the assistant ASK ("Denkt u aan zelfdoding, of bent u in gevaar?", with 113 and
112 in the same message) when a message reads like crisis language the rules do not
know: when unsure, ask back. It is a logistic regression over word and character
n-grams, trained at start-up (about a second, deterministic) on
bot/content/safety_examples.yml (crisis phrasings against near-misses) plus every
ordinary NLU training example and answer synonym as negatives.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from bot import content

ROOT = Path(__file__).resolve().parents[2]
CHECK_THRESHOLD = 0.7  # chosen by cross-validation between the two development sets (docs/safety.md)


def _nlu_examples() -> Tuple[List[str], List[str]]:
    crisis: List[str] = []
    other: List[str] = []
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            target = crisis if block.get("intent") == "crisis" else other
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    target.append(line[2:])
    return crisis, other


def _synonyms() -> List[str]:
    out = []
    for q in content.questions():
        for opt in q.get("options") or []:
            out += [opt["label"], *(opt.get("synonyms") or [])]
    return out


def _features(text: str) -> str:
    """The normalised text without its sentence ends: with them, long answers written in
    full sentences looked like crisis language (leave-one-set-out, docs/safety.md)."""
    from bot.knowledge.safety import normalise

    return " ".join(w for w in normalise(text).split() if w != ".")


@lru_cache(maxsize=1)
def _model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    data = content.load("safety_examples")
    nlu_crisis, nlu_other = _nlu_examples()
    positives = list(data.get("crisis") or []) + nlu_crisis
    negatives = (
        list(data.get("near_misses") or []) + list(data.get("ordinary") or []) + nlu_other + _synonyms()
    )
    texts = [_features(t) for t in positives + negatives]
    labels = [1] * len(positives) + [0] * len(negatives)
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
        ),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000, random_state=0),
    )
    model.fit(texts, labels)
    return model


def crisis_probability(text: Optional[str]) -> float:
    """0 for button codes; otherwise the model's probability. Every message is scored:
    gating on a list of risk words missed new wording (docs/safety.md, development set 6)."""
    if not text or text.startswith("/"):
        return 0.0
    return float(_model().predict_proba([_features(text)])[0][1])


def needs_check(text: Optional[str]) -> bool:
    return crisis_probability(text) >= CHECK_THRESHOLD
