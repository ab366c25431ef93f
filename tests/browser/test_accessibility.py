"""axe-core scans (npm package axe-core, pinned in package.json; `npm ci` installs it) and
the ARIA structure the chat relies on. No serious or critical violations are allowed."""
from __future__ import annotations

import pytest
from chatpage import AXE_JS, ChatTab

pytestmark = pytest.mark.skipif(
    not AXE_JS.exists(), reason="node_modules/axe-core missing: run `npm ci` in the repo root"
)


def scan(tab: ChatTab, what: str) -> None:
    violations = tab.axe()
    assert violations == [], f"{what}: " + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations)


def open_scannable(open_tab, path: str, viewport=(390, 844)) -> ChatTab:
    # axe is injected as a script tag: the test context bypasses our CSP to allow that.
    return open_tab(path, viewport=viewport, bypass_csp=True)


@pytest.mark.parametrize("path", ["/?code=A1", "/kiosk"])
def test_start_page(open_tab, rasa, path):
    scan(open_scannable(open_tab, path), "start page " + path)


def test_question_pages(open_tab, rasa):
    tab = open_scannable(open_tab, "/")
    tab.begin()
    tab.wait_question("work_status")
    scan(tab, "choice question")
    tab.click_option("Ja, ik werk")
    tab.wait_question("occupation")
    scan(tab, "text question")
    tab.type_text("docent")
    tab.wait_question("hours_per_week")
    scan(tab, "number question")
    tab.page.get_by_label("Vul een getal in").fill("28")
    tab.page.get_by_label("Vul een getal in").press("Enter")
    tab.wait_question("absence")
    tab.click_option("Ja, voor een deel")
    tab.wait_question("absence_since")
    scan(tab, "date question")
    tab.type_text("sinds 2 weken")
    tab.wait_question("barriers")
    tab.page.locator("#answer").get_by_role("button", name="Verder").click()  # shows error
    scan(tab, "multi-choice question with error")
    tab.page.get_by_label("Pijn", exact=True).check()
    tab.page.locator("#answer").get_by_role("button", name="Verder").click()
    tab.wait_question("work_ability")
    scan(tab, "scale question")


def test_readback_and_summary(open_tab, rasa):
    tab = open_scannable(open_tab, "/?code=A1")
    tab.begin()
    tab.wait_question("work_status")
    tab.click_option("Ik zoek werk")
    tab.wait_question("work_ability")
    tab.click_option("4")
    tab.wait_question("support_wish")
    tab.click_option("Ja")
    tab.wait_question("readback")
    tab.wait_bot_text("Dit heb ik genoteerd")
    scan(tab, "read-back")
    tab.click_option("Ja, alles klopt")
    tab.wait_question("consent_share")
    scan(tab, "consent question")
    tab.click_option("Ja, dat mag")
    tab.page.wait_for_selector("#summary-box:not([hidden])")
    scan(tab, "summary links")
    # focus goes to the heading of the patient's copy
    assert tab.page.evaluate("() => document.activeElement.id") == "summary-title"


def test_kiosk_question_and_warning(open_tab, rasa):
    tab = open_scannable(open_tab, "/kiosk?timeout=5&warn=20", viewport=(1280, 800))
    tab.begin()
    tab.wait_question("work_status")
    scan(tab, "kiosk question")
    tab.page.locator("#idle-dialog").wait_for(state="visible", timeout=10_000)
    scan(tab, "kiosk inactivity warning")


def test_aria_structure(open_tab, rasa):
    tab = open_tab("/")
    page = tab.page
    log = page.locator("#log")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    tab.begin()
    tab.wait_question("work_status")
    # new messages are added to the live region; answer controls sit in a named group
    assert page.get_by_role("log").locator(".msg-bot").count() == 2
    group = page.get_by_role("group", name="Werkt u op dit moment, of wilt u werken?")
    assert group.get_by_role("button").count() == 5
    # the free-text box is labelled and points at the question
    described = page.get_attribute("#text-input", "aria-describedby")
    assert page.locator(f"#{described}").inner_text().endswith("Werkt u op dit moment, of wilt u werken?")
    # each message says who speaks, for screen readers
    assert page.locator(".msg-bot .who").first.text_content() == "Assistent: "
