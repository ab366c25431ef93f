"""FAQ content (bot/content/faq/*.yml), bot/knowledge/faq.py and its NLU data.

Contract: ../shared/spec/faq.md. Every topic of the spec's table must exist, with
sources, a checked date, at most 80 words, a who-can-help ending, correct variants per
employment group, an NLU intent with >= 12 training and >= 3 held-out examples.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

from bot.dialogue.messages import Message
from bot.knowledge import faq
from bot.language import readability
from bot.review import content_review

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "spec" / "faq.md"
NLU_FILES = sorted((ROOT / "data" / "nlu").rglob("*.yml"))
MY_NLU_FILES = sorted((ROOT / "data" / "nlu" / "faq").glob("*.yml")) + [ROOT / "data" / "nlu" / "scope.yml"]
HELDOUT = ROOT / "tests" / "nlu" / "faq_heldout.yml"

MAX_WORDS = 80
# Who can help further: one of these must be named in the last two sentences
# (B1 texts often end with "Vragen? Bel UWV.").
HELPERS = [
    "bedrijfsarts", "huisarts", "zorgteam", "uwv", "maatschappelijk werk", "ergotherapeut",
    "verzekeraar", "gemeente", "juridisch loket", "vakbond", "balie", "afdeling",
    "specialist", "arts", "uitzendbureau", "studieadviseur", "decaan", "personeelszaken",
    "leidinggevende",
]
# Topics whose facts are general Dutch law (marked "(law)" in faq.md): the article that
# must be cited.
LAW_TOPICS = {
    "employer_may_ask": "AVG",
    "open_consultation": "Arbowet art. 14",
    "income_employee": "BW 7:629",
    "income_temp_or_contract_end": "Ziektewet",
    "dismissal_while_sick": "BW 7:670",
    "disagree_physician": "Arbowet art. 14",
}
PUBLIC_PAGE = re.compile(r"\b[\w-]+\.nl\b")


def spec_topic_ids():
    if not SPEC.exists():
        pytest.skip(f"spec not found: {SPEC}")
    ids = re.findall(r"^\|\s*([a-z][a-z0-9_]+)\s*\|", SPEC.read_text(encoding="utf-8"), re.M)
    return [i for i in ids if i != "topic"]


def all_texts(tid):
    """(label, text) of the default answer and every text variant of a topic."""
    t = faq.topic(tid)
    out = [("answer", t["answer"])]
    out += [(f"variants.{g}", v) for g, v in (t.get("variants") or {}).items() if isinstance(v, str)]
    return out


def nlu_examples(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue
        ex = [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip().startswith("- ")]
        out.setdefault(block["intent"], []).extend(ex)
    return out


def norm(text):
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


TRAIN = {}
for _p in NLU_FILES:
    for _intent, _ex in nlu_examples(_p).items():
        TRAIN.setdefault(_intent, []).extend(_ex)
HELD = nlu_examples(HELDOUT)
REVIEW = content_review.statuses()


# ---------------------------------------------------------------------------
# the spec's topics


def test_spec_table_parsed():
    ids = spec_topic_ids()
    assert len(ids) >= 30 and "tell_employer" in ids and "human_contact" in ids


def test_every_spec_topic_present():
    missing = set(spec_topic_ids()) - set(faq.topic_ids())
    assert not missing


def test_extra_topics_from_digest_section_8():
    for tid in ("physician_vs_insurance_physician", "own_dossier_to_physician"):
        assert tid in faq.topic_ids()


@pytest.mark.parametrize("tid", faq.topic_ids())
def test_topic_has_sources_and_a_review_state(tid):
    # issue 10: the bulk "checked" date is replaced by per-text review records
    t = faq.topic(tid)
    assert t["sources"] and all(isinstance(s, str) and len(s) > 5 for s in t["sources"])
    assert "checked" not in t
    ids = {s.text.id for s in REVIEW}
    assert f"faq/{t['_file']}:topics[{tid}].answer" in ids


@pytest.mark.parametrize("tid,article", sorted(LAW_TOPICS.items()))
def test_law_facts_cite_article_and_public_page(tid, article):
    law = [s for s in faq.topic(tid)["sources"] if s.startswith("law")]
    assert any(article in s for s in law), law
    assert any(PUBLIC_PAGE.search(s) for s in law), law


@pytest.mark.parametrize("tid", faq.topic_ids())
def test_title_is_short_button_label(tid):
    title = faq.topic(tid)["title"]
    assert 1 <= len(title.split()) <= 5 and len(title) <= 40


@pytest.mark.parametrize("tid", faq.topic_ids())
def test_answers_short_and_end_with_who_can_help(tid):
    for label, text in all_texts(tid):
        n = len(readability.words(text))
        assert n <= MAX_WORDS, f"{tid} {label}: {n} words"
        tail = " ".join(readability.split_sentences(text)[-2:]).lower()
        assert any(re.search(r"\b" + re.escape(h), tail) for h in HELPERS), \
            f"{tid} {label} does not end with who can help: {tail!r}"


@pytest.mark.parametrize("tid", faq.topic_ids())
def test_no_arbo_arts_and_formal_u(tid):
    explains = faq.topic(tid).get("explains_term") == "arbo-arts"  # issue 10: may explain it
    for label, text in all_texts(tid) + [("title", faq.topic(tid)["title"])]:
        low = text.lower()
        assert explains and label != "title" or not re.search(r"arbo[\s-]?arts", low)
        assert not re.search(r"\b(je|jij|jouw|jullie)\b", low), f"{tid} {label}: informal 'je'"


def test_key_facts_present():
    """Spot checks of the facts the spec requires (faq.md 'must convey')."""
    inc = faq.answer_text("income_employee")
    assert "104 weken" in inc and "70%" in inc and "minimumloon" in inc and "WIA" in inc
    assert "35%" in faq.answer_text("wia") and "week 93" in faq.answer_text("wia")
    pw = faq.answer_text("poortwachter_timeline")
    for week in ("Week 6", "Week 8", "Week 42", "Week 52", "week 93"):
        assert week in pw
    ot = faq.answer_text("occupational_therapy")
    assert "10 uur" in ot and "verwijzing" in ot and "eigen risico" in ot
    assert "70%" in faq.answer_text("income_temp_or_contract_end")
    assert "opzegverbod" in faq.answer_text("dismissal_while_sick")
    assert "open spreekuur" in faq.answer_text("open_consultation")
    assert "second opinion" in faq.answer_text("disagree_physician")
    assert "machtiging" in faq.answer_text("specialist_contacts_physician")


# ---------------------------------------------------------------------------
# variants per employment group


@pytest.mark.parametrize("work_status,employment_type,group", [
    ("working", "permanent", "employee"),
    # issue 10: temporary and on-call workers get their own group (wage payment stops
    # when the contract ends), falling back to the employee variant
    ("working", "temporary", "flex_worker"),
    ("working", "on_call", "flex_worker"),
    ("working", "other", "employee"),
    ("working", "temp_agency", "temp_worker"),
    ("working", "self_employed", "self_employed"),
    ("working", None, None),
    (None, "self_employed", "self_employed"),
    ("job_seeking", None, "job_seeker"),
    ("studying", None, "student"),
    ("not_working", None, "not_working"),
    ("retired", None, "not_working"),
    (None, None, None),
    ("unknown_code", "permanent", None),
])
def test_employment_group(work_status, employment_type, group):
    assert faq.employment_group(work_status, employment_type) == group


def texts(messages):
    assert all(isinstance(m, Message) and m.text for m in messages)
    return " ".join(m.text for m in messages)


def test_variant_chosen_per_employment_type():
    default = texts(faq.answer_messages("income_employee"))
    assert "loon door" in default
    temp = texts(faq.answer_messages("income_employee", "working", "temp_agency"))
    assert "uitzend" in temp and temp != default
    zzp = texts(faq.answer_messages("income_employee", "working", "self_employed"))
    assert "zzp'er" in zzp and zzp == texts(faq.answer_messages("income_self_employed"))
    ww = texts(faq.answer_messages("income_employee", "job_seeking"))
    assert "WW" in ww
    # permanent has no variant of its own: the default answer
    assert texts(faq.answer_messages("income_employee", "working", "permanent")) == default


def test_reference_variant_goes_both_ways():
    employee = texts(faq.answer_messages("income_self_employed", "working", "permanent"))
    assert employee == texts(faq.answer_messages("income_employee"))


def test_topic_without_variants_gives_default_for_everyone():
    base = texts(faq.answer_messages("casemanager"))
    for ws, et in [("working", "self_employed"), ("job_seeking", None), ("working", "temp_agency")]:
        assert texts(faq.answer_messages("casemanager", ws, et)) == base


def test_self_employed_variants_do_not_promise_a_bedrijfsarts_via_employer():
    text = texts(faq.answer_messages("open_consultation", "working", "self_employed"))
    assert "geen bedrijfsarts" in text and "huisarts" in text


def test_paragraphs_become_separate_messages(monkeypatch):
    monkeypatch.setattr(faq, "answer_text", lambda tid, group=None: "Eerste deel.\n\nTweede deel.")
    msgs = faq.answer_messages("wia")
    assert [m.text for m in msgs] == ["Eerste deel.", "Tweede deel."]


def test_retention_placeholder_filled_from_settings(monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "14")
    text = texts(faq.answer_messages("privacy_this_assistant"))
    assert "14 dagen" in text and "{" not in text


def test_unknown_topic_raises():
    with pytest.raises(KeyError):
        faq.topic("no_such_topic")


# ---------------------------------------------------------------------------
# intents


def test_intent_round_trip():
    for tid in faq.topic_ids():
        assert faq.topic_for_intent(faq.faq_intent(tid)) == tid
    assert faq.faq_intent("wia") == "faq_wia"
    assert faq.faq_intent("human_contact") == "human_contact"
    assert faq.topic_for_intent("greet") is None and faq.topic_for_intent(None) is None


@pytest.mark.parametrize("tid", faq.topic_ids())
def test_topic_has_nlu_training_and_heldout(tid):
    intent = faq.faq_intent(tid)
    assert len(TRAIN.get(intent, [])) >= 12, f"{intent}: {len(TRAIN.get(intent, []))} training examples"
    assert len(HELD.get(intent, [])) >= 3, f"{intent}: held-out examples missing"


def test_no_faq_intent_without_topic():
    for intent in TRAIN:
        if intent.startswith("faq_"):
            assert faq.topic_for_intent(intent), intent


@pytest.mark.parametrize("intent,minimum", [("out_of_scope", 40), ("human_contact", 15), ("crisis", 20)])
def test_digression_intents_have_enough_examples(intent, minimum):
    assert len(TRAIN[intent]) >= minimum
    assert len(HELD[intent]) >= 10


def test_nlu_files_are_rasa_3_format():
    for path in MY_NLU_FILES + [HELDOUT]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["version"] == "3.1"
        assert all(set(b) == {"intent", "examples"} for b in data["nlu"])


def test_heldout_not_in_training_nor_near_copy():
    train = [norm(e) for ex in TRAIN.values() for e in ex]
    train_set = set(train)
    for _intent, examples in HELD.items():
        for e in examples:
            n = norm(e)
            assert n not in train_set, f"held-out copy of training: {e!r}"
            close = difflib.get_close_matches(n, train, n=1, cutoff=0.85)
            assert not close, f"held-out {e!r} is a near copy of {close[0]!r}"


def test_no_example_under_two_intents():
    """No FAQ/digression example also appears under another intent (any data/nlu file)."""
    mine = {i for p in MY_NLU_FILES for i in nlu_examples(p)}
    seen = {}
    for intent, examples in TRAIN.items():
        for e in examples:
            other = seen.setdefault(norm(e), intent)
            if other != intent and (other in mine or intent in mine):
                pytest.fail(f"{e!r} in {other} and {intent}")


def test_no_duplicate_examples_within_intent():
    for intent, examples in list(TRAIN.items()) + list(HELD.items()):
        normed = [norm(e) for e in examples]
        assert len(normed) == len(set(normed)), intent


# ---------------------------------------------------------------------------
# validation


def good_topic(**over):
    t = {"id": "x_topic", "title": "Korte titel", "answer": "Vraag het de bedrijfsarts.",
         "sources": ["001 §5.1"]}
    t.update(over)
    return t


@pytest.mark.parametrize("bad,problem", [
    ({"title": None}, "missing key 'title'"),
    ({"sources": []}, "missing key 'sources'"),
    ({"answer": "Bel de arbo-arts."}, "arbo-arts"),
    ({"answer": "Bel de Arboarts."}, "arbo-arts"),
    ({"title": "een titel van veel te veel woorden"}, "title longer"),
    ({"variants": {"zzp": "Tekst."}}, "unknown variant group"),
    ({"variants": {"employee": 3}}, "must be a text"),
    ({"checked": "2026-11-22"}, "unknown key 'checked'"),  # issue 10: reviews.yml instead
    ({"id": "Bad-Id"}, "bad id"),
    ({"answer": "Wacht {days} dagen."}, "unknown placeholder"),
    ({"colour": "red"}, "unknown key"),
])
def test_validate_topic_finds_problems(bad, problem):
    problems = faq.validate_topic(good_topic(**bad))
    assert any(problem in p for p in problems), problems


def test_validate_topic_accepts_good_topic():
    assert faq.validate_topic(good_topic(variants={"employee": {"topic": "y"}})) == []


def test_duplicate_ids_across_files_rejected(tmp_path, monkeypatch):
    topic = {"topics": [good_topic()]}
    (tmp_path / "a.yml").write_text(yaml.safe_dump(topic), encoding="utf-8")
    (tmp_path / "b.yml").write_text(yaml.safe_dump(topic), encoding="utf-8")
    monkeypatch.setattr(faq, "FAQ_DIR", tmp_path)
    faq.reload()
    try:
        with pytest.raises(faq.ContentError, match="duplicate id"):
            faq.topic_ids()
    finally:
        monkeypatch.undo()
        faq.reload()


def test_dangling_variant_reference_rejected(tmp_path, monkeypatch):
    topic = {"topics": [good_topic(variants={"employee": {"topic": "missing"}})]}
    (tmp_path / "a.yml").write_text(yaml.safe_dump(topic), encoding="utf-8")
    monkeypatch.setattr(faq, "FAQ_DIR", tmp_path)
    faq.reload()
    try:
        with pytest.raises(faq.ContentError, match="unknown topic"):
            faq.topic_ids()
    finally:
        monkeypatch.undo()
        faq.reload()


def test_content_files_are_small():
    for path in sorted((ROOT / "bot" / "content" / "faq").glob("*.yml")):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


def test_rasa_reads_the_nlu_files():
    reader_mod = pytest.importorskip("rasa.shared.nlu.training_data.formats.rasa_yaml")
    for path in MY_NLU_FILES + [HELDOUT]:
        td = reader_mod.RasaYAMLReader().read(str(path))
        expected = nlu_examples(path)
        assert len(td.training_examples) == sum(len(v) for v in expected.values())
        assert td.intents == set(expected)
