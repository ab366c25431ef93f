"""LHC-Forms (npm ``lforms``) renders our Questionnaire in Chromium. For each intake
profile the test fills the rendered form through its controls with the profile's answers
(in questionnaire order, as the assistant asked them) and checks that

- the form shows exactly the questions the assistant asked (enableWhen and the SDC
  enableWhenExpression evaluated by lforms itself), and
- the QuestionnaireResponse lforms makes from the filled form has the same answers as
  ours (bot/report/fhir/response.py).

The hidden context item (returning_patient) is prepopulated through ``initial``, as a
server does for a known appointment (SDC prepopulation)."""
from __future__ import annotations

import copy
import functools
import http.server
import re
import socketserver
import threading
from pathlib import Path

import pytest

from bot import content
from bot.report import fhir
from tests.fhir import profiles

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
PORT = profiles_port = int(__import__("os").environ.get("WERK_FHIR_TEST_PORT_BASE", "7300")) + 21
MAX_CORPUS = 10


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def parity_profiles():
    out = list(profiles.state_profiles())
    seen = {tuple(profiles.asked(s)) for _, s in out}
    for name, state in profiles.corpus_profiles():
        key = tuple(profiles.asked(state))
        if key not in seen and len(out) < len(profiles.state_profiles()) + MAX_CORPUS:
            seen.add(key)
            out.append((name, state))
    return out


PROFILES = parity_profiles()


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium missing: run scripts/ensure_chromium.sh")
    if not (ROOT / "node_modules" / "lforms").is_dir():
        pytest.fail("npm package lforms missing: run `make install`")
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(ROOT))
    server = _Server(("127.0.0.1", PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1:%d/).*" % PORT), lambda route: route.abort())
        tab.goto(f"http://127.0.0.1:{PORT}/tests/fhir/lforms/page.html")
        tab.wait_for_function("window.LForms && LForms.Util && LForms.lformsVersion", timeout=30000)
        tab.errors = errors
        yield tab
        browser.close()
    server.shutdown()


def _item(page, link_id):
    return page.locator(f'[id="item-{link_id}/1"]').first


def _click_label(page, link_id, text):
    exact = re.compile(r"^\s*" + re.escape(text) + r"\s*$")
    _item(page, link_id).locator("label").filter(has_text=exact).first.click()


def _fill(page, link_id, value):
    box = _item(page, link_id).locator("input, textarea").first
    box.fill(str(value))
    box.press("Tab")


def fill_form(page, qr):
    """Answer every item of our QuestionnaireResponse through the form's controls."""
    for item in qr["item"]:
        q = content.questions_by_id().get(item["linkId"])
        if q is None:
            continue  # hidden context item: prepopulated
        qid = q["id"]
        for answer in item["answer"]:
            if "valueCoding" in answer:
                _click_label(page, qid, answer["valueCoding"]["display"])
            elif "valueBoolean" in answer:
                _click_label(page, qid, "Yes" if answer["valueBoolean"] else "No")
            elif "valueDate" in answer:
                y, m, d = answer["valueDate"].split("-")
                box = _item(page, qid).locator("input").first
                box.fill(f"{m}/{d}/{y}")
                box.press("Enter")
                for sub in answer.get("item", []):
                    sub_box = page.locator(f'[id^="item-{sub["linkId"]}/"] input').first
                    sub_box.fill(str(sub["answer"][0]["valueInteger"]))
                    sub_box.press("Tab")
            elif "valueString" in answer and q["answer_type"] == "multi_choice":
                _click_label(page, qid, "Other")
                other = _item(page, qid).locator("input[type=text], input:not([type])").last
                other.fill(answer["valueString"])
                other.press("Tab")
            else:
                value = next(v for k, v in answer.items() if k.startswith("value"))
                _fill(page, qid, value)
        page.wait_for_timeout(50)


def visible_items(page):
    ids = page.evaluate("""() => Array.from(document.querySelectorAll('lhc-item[id^="item-"]'))
        .map(e => e.id).filter(id => /^item-[^/]+\\/1$/.test(id))""")
    return sorted({i[len("item-"):-len("/1")] for i in ids} - {"absence_since.weeks"})


def normalised(qr):
    out = {}

    def walk(items):
        for item in items or []:
            values = []
            for a in item.get("answer", []):
                for key, value in a.items():
                    if key == "valueCoding":
                        values.append(("coding", value["system"], value["code"]))
                    elif key.startswith("value"):
                        values.append((key, float(value) if key in ("valueDecimal", "valueInteger") else value))
                walk(a.get("item"))
            if values:
                out[item["linkId"]] = sorted(values, key=repr)
            walk(item.get("item"))

    walk(qr.get("item"))
    return out


def render_and_fill(page, name, state, questionnaire):
    summary = profiles.summary_of(name, state)
    ours = fhir.questionnaire_response(summary, state["answers"])
    questionnaire = copy.deepcopy(questionnaire)
    context = summary.get("context") or {}
    for item in questionnaire["item"]:
        if item["linkId"] == "returning_patient" and context.get("returning_patient") is not None:
            item["initial"] = [{"valueBoolean": context["returning_patient"]}]
    page.evaluate("""q => { const el = document.getElementById('form'); el.innerHTML = '';
                            return LForms.Util.addFormToPage(q, el, {}); }""", questionnaire)
    page.wait_for_selector('[id="item-work_status/1"]')
    fill_form(page, ours)
    page.wait_for_timeout(200)
    return ours


@pytest.mark.parametrize("name,state", PROFILES, ids=[n for n, _ in PROFILES])
def test_lforms_shows_what_the_assistant_asked_and_answers_alike(page, name, state):
    ours = render_and_fill(page, name, state, fhir.questionnaire())
    assert visible_items(page) == sorted(profiles.asked(state))
    theirs = page.evaluate("""() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4',
                                   document.querySelector('#form lhc-form') || undefined)""")
    assert theirs["questionnaire"] == ours["questionnaire"]
    assert normalised(theirs) == normalised(ours)
    assert page.errors == []


def test_parity_check_notices_a_wrong_condition(page):
    """With hours_per_week's expression replaced by ``true`` the form shows a question the
    assistant did not ask a job seeker: the check above can fail."""
    questionnaire = copy.deepcopy(fhir.questionnaire())
    item = next(i for i in questionnaire["item"] if i["linkId"] == "hours_per_week")
    expression = next(e for e in item["extension"] if e["url"] == fhir.EXT_ENABLE_WHEN_EXPRESSION)
    expression["valueExpression"]["expression"] = "true"
    state = dict(profiles.state_profiles())["job_seeker"]
    render_and_fill(page, "job_seeker", state, questionnaire)
    shown = visible_items(page)
    assert "hours_per_week" in shown and "hours_per_week" not in profiles.asked(state)
