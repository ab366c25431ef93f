"""Kiosk mode (shared waiting-room tablet): nothing stored, inactivity warning, wipe."""
from __future__ import annotations

from chatpage import UUID4_RE, ChatTab

TABLET = (1280, 800)
SECRET = "hartchirurg in het Amphia"  # an answer that must vanish after a wipe


def start_and_answer(tab: ChatTab) -> None:
    tab.begin()
    tab.wait_question("work_status")
    tab.click_option("Ja, ik werk")
    tab.wait_question("occupation")
    tab.type_text(SECRET)
    tab.wait_question("hours_per_week")


def assert_wiped(tab: ChatTab) -> None:
    page = tab.page
    page.wait_for_selector("#start-screen", state="visible")
    assert page.locator("#chat").is_hidden()
    assert tab.log_count() == 0
    assert page.locator("#answer").evaluate("el => el.childElementCount") == 0
    assert page.input_value("#text-input") == ""
    html = page.content()
    assert SECRET not in html
    assert "Werkt u op dit moment" not in html
    assert page.locator("#wiped-note").is_visible()
    assert page.locator("#done-button").is_hidden()
    assert page.locator("#idle-dialog").evaluate("d => d.open") is False
    assert tab.storage_state() == {"cookies": [], "local": 0, "session": 0, "indexeddb": []}


def test_kiosk_start_sends_tablet_channel(open_tab, rasa, screenshot_dir):
    tab = open_tab("/kiosk", viewport=TABLET)
    page = tab.page
    assert page.locator("#done-button").is_hidden()
    page.screenshot(path=str(screenshot_dir / "tablet-1280x800-kiosk-start.png"))
    tab.begin()
    tab.wait_question("work_status")
    metadata = dict(rasa.requests[0]["metadata"])
    assert len(metadata.pop("message_id")) == 24 and metadata == {"channel": "tablet"}
    assert page.locator("#done-button").is_visible()
    page.screenshot(path=str(screenshot_dir / "tablet-1280x800-kiosk-question.png"))
    tab.click_option("Ja, ik werk")
    tab.wait_question("occupation")
    tab.type_text("lasser")
    tab.wait_question("hours_per_week")
    page.get_by_label("Vul een getal in").fill("40")
    page.get_by_label("Vul een getal in").press("Enter")
    tab.wait_question("absence")
    tab.click_option("Ja, helemaal")
    tab.wait_question("absence_since")
    tab.type_text("sinds 3 weken")
    tab.wait_question("barriers")
    page.get_by_label("Pijn", exact=True).check()
    page.locator("#answer").get_by_role("button", name="Verder").click()
    tab.wait_question("work_ability")
    page.screenshot(path=str(screenshot_dir / "tablet-1280x800-kiosk-scale.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= TABLET[0]
    assert tab.storage_state() == {"cookies": [], "local": 0, "session": 0, "indexeddb": []}


def test_inactivity_warning_then_wipe(open_tab, rasa, screenshot_dir):
    tab = open_tab("/kiosk?timeout=5&warn=3", viewport=TABLET)
    page = tab.page
    start_and_answer(tab)
    first_sender = rasa.requests[0]["sender"]
    dialog = page.locator("#idle-dialog")
    dialog.wait_for(state="visible", timeout=10_000)
    assert page.get_by_role("dialog", name="Bent u er nog?").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "still-here"
    assert "seconden" in dialog.inner_text()
    page.screenshot(path=str(screenshot_dir / "tablet-1280x800-kiosk-warning.png"))
    page.wait_for_selector("#start-screen", state="visible", timeout=10_000)
    assert_wiped(tab)
    # a new conversation gets a new sender id
    tab.begin()
    tab.wait_question("work_status")
    senders = rasa.senders()
    assert len(senders) == 2 and senders[0] == first_sender
    assert UUID4_RE.match(senders[1]) and senders[1] != first_sender
    assert SECRET not in page.content()


def test_still_here_keeps_the_conversation(open_tab, rasa):
    tab = open_tab("/kiosk?timeout=5&warn=3", viewport=TABLET)
    page = tab.page
    start_and_answer(tab)
    count = tab.log_count()
    page.locator("#idle-dialog").wait_for(state="visible", timeout=10_000)
    page.get_by_role("button", name="Ik ben er nog").click()
    assert page.locator("#idle-dialog").is_hidden()
    page.wait_for_timeout(3_500)  # longer than the warning would have lasted
    assert tab.log_count() == count
    assert SECRET in tab.user_texts()
    page.get_by_label("Vul een getal in").fill("36")
    page.get_by_label("Vul een getal in").press("Enter")
    tab.wait_question("absence")
    assert rasa.senders() == [rasa.requests[0]["sender"]]
    # the Escape key also means "ik ben er nog"
    page.locator("#idle-dialog").wait_for(state="visible", timeout=10_000)
    page.keyboard.press("Escape")
    assert page.locator("#idle-dialog").is_hidden()
    assert tab.log_count() > count


def test_klaar_wipes_at_once(open_tab, rasa):
    tab = open_tab("/kiosk", viewport=TABLET)
    start_and_answer(tab)
    tab.page.get_by_role("button", name="Klaar").click()
    assert_wiped(tab)
    assert tab.page.evaluate("() => document.activeElement.id") == "start-button"


def test_klaar_while_waiting_drops_the_late_answer(open_tab, rasa):
    tab = open_tab("/kiosk", viewport=TABLET)
    page = tab.page
    start_and_answer(tab)
    page.fill("#text-input", "__slow__")
    page.get_by_role("button", name="Verstuur").click()
    page.get_by_role("button", name="Klaar").click()
    assert_wiped(tab)
    page.wait_for_timeout(2_500)  # the proxy answers 'unavailable' after 2 s: must be ignored
    assert tab.log_count() == 0
    assert page.locator("#start-screen").is_visible()


def test_default_timeouts_120_and_30_seconds(open_tab, rasa):
    tab = open_tab("/kiosk", viewport=TABLET, before_goto=lambda t: t.page.clock.install())
    page = tab.page
    start_and_answer(tab)
    dialog = page.locator("#idle-dialog")
    page.clock.run_for(110_000)
    assert dialog.is_hidden()
    page.clock.run_for(11_000)
    assert dialog.is_visible()
    page.clock.run_for(20_000)
    assert page.locator("#idle-seconds").text_content() in ("10", "9")
    assert tab.log_count() > 0
    page.clock.run_for(11_000)
    assert_wiped(tab)


def test_kiosk_never_shows_the_patient_copy(open_tab, rasa):
    tab = open_tab("/kiosk", viewport=TABLET)
    page = tab.page
    tab.begin()
    tab.wait_question("work_status")
    tab.click_option("Ik ben met pensioen")
    tab.wait_question("work_ability")
    tab.click_option("9")
    tab.wait_question("support_wish")
    tab.click_option("Nee")
    tab.wait_question("readback")
    tab.click_option("Ja, alles klopt")
    tab.wait_question("consent_share")
    tab.click_option("Ja, dat mag")
    tab.wait_bot_text("Uw zorgteam krijgt de samenvatting")
    assert page.locator("#summary-box").count() == 0
    assert page.locator("a[href*='mijn-samenvatting']").count() == 0
