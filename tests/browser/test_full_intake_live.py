"""A full intake by clicks and typing against the REAL stack (Rasa + actions + web app).

Runs against LIVE_STACK_URL when it is set (e.g. a `make run`), or, with
WERK_LIVE_STACK=1 (as `make test` does), against a fresh stack that the test starts itself
(tests/support/stack.py: Rasa, action server and web app on free localhost ports).

Optional: LIVE_APPOINTMENT_CODE (default TEST-LIVE-001), LIVE_TIMEOUT_MS (per step, default
30000), LIVE_CHECK_COPY=0 to skip opening the patient's copy at /mijn-samenvatting/.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Dict, List, Optional
from urllib.parse import urlparse

import pytest
from chatpage import UNAVAILABLE, ChatTab

LIVE_URL = os.environ.get("LIVE_STACK_URL", "").rstrip("/")
START_STACK = os.environ.get("WERK_LIVE_STACK") == "1"
CODE = os.environ.get("LIVE_APPOINTMENT_CODE", "TEST-LIVE-001")
STEP_MS = int(os.environ.get("LIVE_TIMEOUT_MS", "30000"))
MAX_STEPS = 45

pytestmark = pytest.mark.skipif(
    not (LIVE_URL or START_STACK),
    reason="LIVE_STACK_URL is not set: start Rasa, the action server and the web app "
           "(make run), then set LIVE_STACK_URL=http://127.0.0.1:8080",
)

THREE_WEEKS_AGO = (dt.date.today() - dt.timedelta(weeks=3)).isoformat()
OCCUPATION = "verpleegkundige"
# question id -> answer: a code to click, a list of codes to tick, or ("type"/"fill", text).
PLAN: Dict[str, object] = {
    "work_status": "working",
    "occupation": ("type", OCCUPATION),
    "employment_type": "permanent",
    "hours_per_week": ("fill", "32"),
    "absence": "partial",
    "absence_since": ("fill", THREE_WEEKS_AGO),
    "support_wish": "yes",
    "how_is_work": ("type", "Het gaat redelijk, maar ik ben snel moe."),
    "barriers": ["fatigue", "pain"],
    "what_goes_well": ("type", "Het contact met mijn collega's."),
    "work_aggravates": "no",
    "occupational_physician": "in_contact",
    "knows_open_consultation": "yes",
    "employer_informed": "yes",
    "workplace_support": "partly",
    "job_control": "partly",
    "income_protection": "none",
    "work_ability": ("scale", "6"),
    "rtw_expectation": "yes_with_adjustments",
    "worries": ["income"],
    "informal_care": "no",
    "scheduling_needs": "no",
    "changed_since_last_visit": "no",
    "physician_contact_wish": "undecided",
    "readback": "confirm",
    "consent_share": "yes",
}
FALLBACK = {"number": ("fill", "10"), "scale": ("scale", "5"), "text": ("type", "Geen."),
            "date_or_duration": ("fill", THREE_WEEKS_AGO)}


@pytest.fixture(scope="module")
def live_url(tmp_path_factory):
    if LIVE_URL:
        yield LIVE_URL
        return
    from tests.support.stack import Stack

    stack = Stack(tmp_path_factory.mktemp("live-stack"))
    try:
        stack.start()
        yield stack.web_url
    finally:
        stack.stop_all()


@pytest.fixture
def live_tab(browser, live_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam", service_workers="block")
    tab = ChatTab(context, live_url, timeout_ms=STEP_MS)
    yield tab
    live_host = urlparse(live_url).hostname
    outside = [u for u in tab.requests
               if urlparse(u).scheme in ("http", "https") and urlparse(u).hostname != live_host]
    context.close()
    assert not outside, f"requests left the web app's host: {outside}"


def bot_count(tab: ChatTab) -> int:
    return tab.page.locator(".msg-bot").count()


def current_question(tab: ChatTab) -> Optional[str]:
    return tab.page.get_attribute("#answer", "data-question-id")


def answer(tab: ChatTab, qid: str) -> None:
    page = tab.page
    area = page.locator("#answer")
    kind = page.get_attribute("#answer", "data-answer-type") or "text"
    plan = PLAN.get(qid)
    if plan is None:
        if kind in ("choice", "yes_no"):
            codes = area.locator("button[data-code]").evaluate_all("bs => bs.map(b => b.dataset.code)")
            plan = "no" if "no" in codes else codes[0]
        elif kind == "multi_choice":
            plan = [area.locator("input[type=checkbox]").first.get_attribute("value")]
        else:
            plan = FALLBACK.get(kind, ("type", "Geen."))
    if isinstance(plan, str):
        area.locator(f'button[data-code="{plan}"]').click()
    elif isinstance(plan, list):
        for code in plan:
            area.locator(f'input[type=checkbox][value="{code}"]').check()
        area.get_by_role("button", name="Verder").click()
    elif plan[0] == "scale":
        area.get_by_role("button", name=plan[1], exact=True).click()
    elif plan[0] == "fill" and area.locator("input:not([type=checkbox])").count():
        area.locator("input").first.fill(plan[1])
        area.get_by_role("button", name="Verder").click()
    else:
        tab.type_text(plan[1])


def test_full_intake_home_by_clicks_and_typing(live_tab, live_url, screenshot_dir):
    tab = live_tab
    page = tab.page
    tab.goto(f"/?code={CODE}")
    before = bot_count(tab)
    tab.begin()
    page.wait_for_function(f"() => document.querySelectorAll('.msg-bot').length > {before}")
    asked: List[str] = []
    for _ in range(MAX_STEPS):
        texts = tab.bot_texts()
        assert UNAVAILABLE not in texts, "the live stack answered 'unavailable'"
        if page.locator("#summary-box:not([hidden])").count():
            break
        qid = current_question(tab)
        assert qid, f"no question and no summary; last bot messages: {texts[-3:]}"
        asked.append(qid)
        assert asked.count(qid) <= 3, f"{qid} asked again and again; bot said: {texts[-3:]}"
        if qid == "consent_share":
            assert any(OCCUPATION in t for t in texts), "the read-back does not show the answers"
            page.screenshot(path=str(screenshot_dir / "live-readback.png"), full_page=True)
        before = bot_count(tab)
        answer(tab, qid)
        page.wait_for_function(f"() => document.querySelectorAll('.msg-bot').length > {before}")
        page.wait_for_timeout(200)  # a reply may arrive as several messages in one task
    else:
        pytest.fail(f"intake did not finish in {MAX_STEPS} steps: {asked}")

    assert "consent_share" in asked and asked[0] == "work_status"
    page.screenshot(path=str(screenshot_dir / "live-summary.png"), full_page=True)
    href = page.get_attribute("#summary-view", "href")
    parsed = urlparse(href)
    assert parsed.path.startswith("/mijn-samenvatting/") and len(parsed.path) > 19
    assert parsed.fragment.startswith("sleutel=") and not parsed.query  # the key: fragment only
    if os.environ.get("LIVE_CHECK_COPY", "1") != "0":
        page.goto(live_url + href)  # open-copy.js exchanges the key once for a cookie
        page.wait_for_selector("article.summary")
        assert OCCUPATION in page.content()
        assert "sleutel" not in page.url


def test_kiosk_on_live_stack_wipes_with_klaar(live_tab):
    tab = live_tab
    page = tab.page
    tab.goto("/kiosk")
    tab.begin()
    tab.wait_question("work_status")
    before = bot_count(tab)
    page.locator('#answer button[data-code="working"]').click()
    page.wait_for_function(f"() => document.querySelectorAll('.msg-bot').length > {before}")
    page.get_by_role("button", name="Klaar").click()
    page.wait_for_selector("#start-screen", state="visible")
    assert tab.log_count() == 0
    assert tab.storage_state() == {"cookies": [], "local": 0, "session": 0, "indexeddb": []}
