"""The project's own Dutch spaCy pipeline (build/spacy/nl_werk, built by `make spacy`)."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from bot.language.nlp import pipeline
from bot.language.nlp.ud_eval import lemma_accuracy

ROOT = Path(__file__).resolve().parents[2]
UD_TEST = ROOT.parent / "shared" / "data" / "ud_dutch" / "alpino_nl_alpino-ud-test.conllu"


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    out = tmp_path_factory.mktemp("spacy") / "nl_werk"
    pipeline.build("blank", out)
    return spacy.load(out, disable=["parser"])


@pytest.mark.parametrize("text,spans", [
    ("ik ben al 3 weken ziek", [("3 weken", "DURATION")]),
    ("sinds half oktober thuis", [("half oktober", "DATE")]),
    ("4 dagen van 8 uur", [("4 dagen", "DURATION"), ("8 uur", "DURATION")]),
    ("sinds 1 oktober 2026", [("1 oktober 2026", "DATE")]),
    ("tweeëndertig uur", [("tweeëndertig uur", "DURATION")]),
    ("al twee maanden", [("twee maanden", "DURATION")]),
    ("vanaf 12-10", [("12-10", "DATE")]),
    ("ik geef het een zesje", [("een", "NUMBER"), ("zesje", "NUMBER")]),
    ("ik ben kok in een restaurant", [("een", "NUMBER")]),
    ("ik werk in de zorg", []),
])
def test_numbers_durations_and_dates_are_marked(nlp, text, spans):
    assert [(e.text, e.label_) for e in nlp(text).ents] == spans


@pytest.mark.parametrize("text,lemmas", [
    ("m'n rug", ["mijn", "rug"]),
    ("'k ben moe", ["ik", "ben", "moe"]),
    ("uitzendbureaus", ["uitzendbureau"]),
    ("collega's hielpen", ["collega", "helpen"]),
    ("sinds 3 weken", ["sinds", "__getal__", "__duur__"]),
])
def test_lemmas_and_placeholders(nlp, text, lemmas):
    assert [t.lemma_ for t in nlp(text)] == lemmas


def test_zzp_er_stays_one_token(nlp):
    assert [t.text for t in nlp("ik ben zzp'er")] == ["ik", "ben", "zzp'er"]


def test_pipeline_is_loadable_by_rasa_spacy_nlp(tmp_path):
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    out = pipeline.build("blank", tmp_path / "nl_werk")
    model = SpacyNLP.load_model(str(out))
    SpacyNLP.ensure_proper_language_model(model.model)
    assert model.model.lang == "nl"


def test_official_model_is_used_when_installed(tmp_path):
    if not pipeline.official_available():
        pytest.skip("nl_core_news_sm is not installed here (GitHub-only package); blank base is used")
    out = pipeline.build("auto", tmp_path / "nl_werk")
    assert "tagger" in spacy.load(out).pipe_names or "morphologizer" in spacy.load(out).pipe_names


def test_lemma_accuracy_on_ud_dutch_beats_identity(nlp):
    if not UD_TEST.is_file():
        pytest.skip("UD Dutch treebank not available beside the repository")
    accuracy, baseline, words = lemma_accuracy(nlp, UD_TEST)
    print(f"\nUD Alpino test: lemma accuracy {accuracy:.3f} vs identity {baseline:.3f} on {words} words")
    assert words > 5000
    assert accuracy > baseline + 0.04
