"""Citations that hold (issue 10 item 2): every seed citation in bot/content/ names lines
that exist and contain the keyword recorded with it; no "NOT IN SOURCE" digest section is
cited as seed; law sources carry an article and a public page address."""
import pytest

from bot.knowledge import faq
from bot.report import signals as sig
from bot.review import citations as cit

needs_seeds = pytest.mark.skipif(not cit.seeds_available(), reason="seed files not available")
CITATIONS = cit.all_citations()


def test_content_has_many_seed_citations():
    assert len(CITATIONS) >= 120


@needs_seeds
@pytest.mark.parametrize("c", CITATIONS, ids=lambda c: f"{c.where}:{c.label()}")
def test_every_seed_citation_contains_its_keyword(c):
    assert c.keyword, f"{c.where}: {c.label()} has no «keyword»"
    assert not cit.problems_of(c)


@needs_seeds
def test_a_wrong_citation_fails():
    right = cit.Citation("x", "001", 1523, 1524, "medisch beroepsgeheim")
    assert cit.problems_of(right) == []
    assert cit.problems_of(cit.Citation("x", "001", 1000, 1001, "medisch beroepsgeheim"))
    assert cit.problems_of(cit.Citation("x", "001", 1523, 1524, None))
    # a second keyword is checked too
    assert cit.problems_of(cit.Citation("x", "001", 1523, 1524, "medisch beroepsgeheim", ("staat er niet",)))
    assert "outside the file" in cit.problems_of(cit.Citation("x", "001", 99999, 99999, "a"))[0]


def test_citation_parsing():
    found = list(cit.parse("001 §5.1: seed 001 L1522-1527 «niet verplicht»; seed 003 L369 «mantelzorg»", "w"))
    assert [(c.seed, c.start, c.end, c.keyword) for c in found] == [
        ("001", 1522, 1527, "niet verplicht"), ("003", 369, 369, "mantelzorg")]
    two = next(cit.parse("seed 001 L1524-1527 «ziekmelden» and «antwoord»", "w"))
    assert (two.keyword, two.more) == ("ziekmelden", ("antwoord",))


@pytest.mark.parametrize("source,problem", [
    ("003 appendix A (UWV letter)", "NOT IN SOURCE"),
    ("003 bijlage A", "NOT IN SOURCE"),
    ("001 §3.3 (r. 1906-1919)", "line reference"),
    ("001 §5.2 (seed 001 L12, L40-41)", "line reference"),
    ("law: BW 7:670; rijksoverheid.nl 'Ontslag'", "https://"),
])
def test_bad_source_forms_are_caught(source, problem):
    assert any(problem in p for p in cit.source_problems(source, "x"))


def test_no_source_problems_in_the_content():
    assert [p for where, s in cit.content_sources() for p in cit.source_problems(s, where)] == []


# The citations the review found wrong: each now cites what really says it.
FIXED = {
    "employer_may_ask": ("faq", "moet deze zich ziekmelden"),
    "own_dossier_to_physician": ("faq", "zoals een maatschappelijk werker"),
    "occupational_therapy": ("faq", "maximaal 10 uur ergotherapie"),
    "is_work_good": ("faq", "herstel- en gezondheidsbevorderend effect"),
    "workplace_adjustments": ("faq", "doet wat redelijkerwijs mogelijk is"),
    "long_absence": ("signal", "binnen 6 weken vanaf het begin van een langdurende verzuimperiode"),
    "low_work_ability": ("signal", "tot tien (‘beste werkvermogen"),
    "doubtful_return": ("signal", "Positieve verwachtingen over terugkeer naar werk"),
    "uwv": ("help", "nieuw werk vinden"),
}


def _sources(kind, code):
    if kind == "faq":
        return faq.topic(code)["sources"]
    data = sig.signal_content()
    items = data["signals"] if kind == "signal" else data["suggested_help"]
    return [next(i["source"] for i in items if i["code"] == code)]


@needs_seeds
@pytest.mark.parametrize("code", sorted(FIXED))
def test_reviewed_citations_now_hold(code):
    kind, keyword = FIXED[code]
    cites = [c for s in _sources(kind, code) for c in cit.parse(s, code)]
    assert any(c.keyword == keyword and not cit.problems_of(c) for c in cites), cites


def test_rtw_expectation_question_cites_the_seed():
    from bot import content
    src = content.question("rtw_expectation")["source"]
    assert "seed 003 L289 «Positieve verwachtingen over terugkeer naar werk»" in src


def test_law_over_seed_is_said_in_the_source_note():
    notes = " ".join(faq.topic("employer_may_ask")["sources"])
    assert "follows the law" in notes and "https://wetten.overheid.nl/" in notes


def test_wia_and_timeline_cite_the_law_not_the_digest_appendix():
    for tid in ("wia", "poortwachter_timeline", "income_employee"):
        notes = " ".join(faq.topic(tid)["sources"])
        assert "appendix A" not in notes and "https://wetten.overheid.nl/" in notes
