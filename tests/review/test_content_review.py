"""Per-text review records (issue 10 item 3): who reviewed which text when; a text changed
after its review shows as "niet beoordeeld" (here as a warning, never a failure)."""
import shutil
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.content import CONTENT_DIR
from bot.review import content_review as cr
from bot.review.content_review_doc import html, pdf, write_report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def workspace(tmp_path):
    """A copy of bot/content and an empty reviews file, so signing touches nothing real."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    reviews = tmp_path / "reviews.yml"
    return content, reviews


def test_every_patient_text_has_a_unique_id_hash_and_source():
    items = cr.texts()
    assert len(items) > 300
    assert len({t.id for t in items}) == len(items)
    assert all(len(t.hash) == 16 and t.source for t in items)
    ids = {t.id for t in items}
    for expected in ("faq/income.yml:topics[wia].answer", "questions.yml:questions[absence].text",
                     "signals.yml:suggested_help[uwv].patient_nl", "messages.yml:intro_1"):
        assert expected in ids
    wia = next(t for t in items if t.id == "faq/income.yml:topics[wia].answer")
    assert "https://wetten.overheid.nl/BWBR0019057" in wia.source


def test_hash_ignores_rewrapping_but_not_wording():
    assert cr.text_hash("Vraag het  de\nbedrijfsarts.") == cr.text_hash("Vraag het de bedrijfsarts.")
    assert cr.text_hash("Vraag het de bedrijfsarts.") != cr.text_hash("Vraag het de huisarts.")


def test_sign_then_change_shows_niet_beoordeeld(workspace):
    content, reviews = workspace
    tid = "faq/income.yml:topics[wia].answer"
    assert cr.sign("Dr. A. Jansen", [tid], content_dir=content, reviews=reviews, on=date(2026, 12, 1)) == [tid]
    record = yaml.safe_load(reviews.read_text(encoding="utf-8"))["reviews"][tid]
    assert record["reviewer"] == "Dr. A. Jansen" and record["date"] == "2026-12-01"
    assert record["state"] == cr.APPROVED
    status = {s.text.id: s for s in cr.statuses(content, reviews)}[tid]
    assert status.reviewed and status.state_nl == "beoordeeld"

    faq_file = content / "faq" / "income.yml"
    faq_file.write_text(faq_file.read_text(encoding="utf-8").replace("minstens 35%", "minstens 36%"),
                        encoding="utf-8")
    status = {s.text.id: s for s in cr.statuses(content, reviews)}[tid]
    assert not status.reviewed and status.changed and status.state_nl == "niet beoordeeld"
    doc = html(cr.statuses(content, reviews), date(2026, 12, 2))
    assert "niet beoordeeld (gewijzigd na beoordeling)" in doc


def test_sign_all_unreviewed_and_errors(workspace):
    content, reviews = workspace
    done = cr.sign("Dr. B. de Vries", all_unreviewed=True, content_dir=content, reviews=reviews)
    assert len(done) == len(cr.texts(content))
    assert cr.unreviewed(cr.statuses(content, reviews)) == []
    assert cr.sign("Dr. B. de Vries", all_unreviewed=True, content_dir=content, reviews=reviews) == []
    with pytest.raises(KeyError):
        cr.sign("Dr. B. de Vries", ["faq/nope.yml:topics[x].answer"], content_dir=content, reviews=reviews)
    with pytest.raises(ValueError):
        cr.sign("  ", all_unreviewed=True, content_dir=content, reviews=reviews)


def test_bad_records_are_refused(tmp_path):
    bad = tmp_path / "reviews.yml"
    bad.write_text("reviews:\n  x: {hash: a, reviewer: b, date: '2026-12-01', state: ok}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="state"):
        cr.load_records(bad)


def test_cli_sign_records_who_and_when(workspace, capsys):
    content, reviews = workspace
    where = ["--content-dir", str(content), "--reviews", str(reviews)]
    tid = "questions.yml:questions[absence].text"
    assert cr.main(where + ["sign", "--reviewer", "Dr. C. Bakker", "--ids", tid, "--date", "2026-12-01"]) == 0
    record = cr.load_records(reviews)[tid]
    assert record["reviewer"] == "Dr. C. Bakker" and record["date"] == "2026-12-01"
    assert "1 teksten vastgelegd" in capsys.readouterr().out
    assert cr.main(where + ["sign", "--reviewer", "Dr. C. Bakker", "--ids", "geen-id"]) == 2
    assert "Niet opgeslagen" in capsys.readouterr().err
    assert cr.main(where + ["list", "--unreviewed"]) == 0
    assert f" {tid}\n" not in capsys.readouterr().out


def test_report_has_every_text_source_and_state(tmp_path):
    items = cr.statuses()
    html_path, pdf_path = write_report(items, tmp_path, date(2026, 12, 1))
    doc = html_path.read_text(encoding="utf-8")
    assert doc.count('<td class="id">') == len(items)
    assert "Inhoudsbeoordeling:" in doc and "Bron" in doc
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert pdf(items[:5], date(2026, 12, 1)).startswith(b"%PDF")


def test_make_target_writes_the_documents():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "content-review:" in makefile and "bot.review.content_review report" in makefile


def test_review_records_are_valid_and_unreviewed_texts_are_reported():
    """Never fails on unreviewed texts: it reports them as a warning (and in the summary)."""
    records = cr.load_records()
    items = cr.statuses()
    ids = {s.text.id for s in items}
    stale = sorted(set(records) - ids)
    todo = cr.unreviewed(items)
    if todo:
        warnings.warn(cr.summary_line(items), UserWarning, stacklevel=1)
    changed = [s.text.id for s in todo if s.changed]
    if changed:
        warnings.warn("niet beoordeeld (gewijzigd na beoordeling): " + ", ".join(changed[:10])
                      + (f" en {len(changed) - 10} meer" if len(changed) > 10 else ""), UserWarning, stacklevel=1)
    if stale:
        warnings.warn(f"reviews.yml has records of texts that no longer exist: {stale[:5]}", UserWarning, stacklevel=1)


def test_status_command_runs():
    out = subprocess.run([sys.executable, "-m", "bot.review.content_review", "status"], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0 and "niet beoordeeld" in out.stdout
