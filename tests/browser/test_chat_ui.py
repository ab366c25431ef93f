"""Browser tests of the chat page in home mode (the patient's own phone)."""
from __future__ import annotations

import re
from urllib.parse import urlparse

from chatpage import LOCAL_HOSTS, UNAVAILABLE, UUID4_RE, ChatTab

INFORM = '/inform{"code": "%s"}'


def answer_up_to_occupation(tab: ChatTab) -> None:
    tab.begin()
    tab.wait_question("work_status")
    tab.click_option("Ja, ik werk")
    tab.wait_question("occupation")


def test_start_screen_then_start_with_metadata(open_tab, rasa, screenshot_dir):
    tab = open_tab("/?code=AFS-2026-0042")
    page = tab.page
    assert page.get_attribute("html", "lang") == "nl"
    assert page.get_by_role("heading", name="Vragen over uw werk").is_visible()
    assert page.locator("#chat").is_hidden()
    page.screenshot(path=str(screenshot_dir / "phone-390-home-start.png"), full_page=True)
    tab.begin()
    tab.wait_question("work_status")
    first = rasa.requests[0]
    assert first["message"] == "/start"
    assert start_metadata(first) == {"channel": "home", "invitation": "AFS-2026-0042"}  # redeemed server-side
    assert UUID4_RE.match(first["sender"])
    assert page.locator("#start-screen").is_hidden()
    assert "Werkt u op dit moment, of wilt u werken?" in tab.bot_texts()


def test_invitation_link_fragment_is_sent_once_and_removed_from_the_address(open_tab, rasa):
    tab = open_tab("/#uitnodiging=K7QM-4XPA-9TRE")
    assert "uitnodiging" not in tab.page.url  # gone from the address bar and history
    tab.begin()
    tab.wait_question("work_status")
    assert start_metadata(rasa.requests[0]) == {"channel": "home", "invitation": "K7QM-4XPA-9TRE"}


def test_start_without_code_sends_no_code(open_tab, rasa):
    tab = open_tab("/")
    tab.begin()
    tab.wait_question("work_status")
    assert start_metadata(rasa.requests[0]) == {"channel": "home"}
    # every message has its own id (bot/intake/retries.py), never marked as a retry by itself
    ids = [r["metadata"]["message_id"] for r in rasa.requests]
    assert len(set(ids)) == len(ids) and not any("retry" in r["metadata"] for r in rasa.requests)


def start_metadata(request):
    """The metadata of a request without the web chat's message id (checked here)."""
    metadata = dict(request["metadata"])
    assert re.match(r"^[0-9a-f]{24}$", metadata.pop("message_id"))
    return metadata


def test_full_intake_every_input_type(open_tab, rasa, screenshot_dir):
    tab = open_tab("/?code=AFS1")
    page = tab.page
    tab.begin()

    # choice: buttons from custom.options (not also the plain buttons of the same reply)
    tab.wait_question("work_status")
    assert page.locator("#answer button").count() == 5
    page.screenshot(path=str(screenshot_dir / "phone-390-home-choice.png"))
    tab.click_option("Ja, ik werk")

    # text: only the free-text box
    tab.wait_question("occupation")
    assert page.locator("#answer button").count() == 0
    assert page.locator("#text-label").text_content() == "Typ uw antwoord"
    tab.type_text("verpleegkundige")

    # number
    tab.wait_question("hours_per_week")
    page.get_by_label("Vul een getal in").fill("32")
    page.locator("#answer").get_by_role("button", name="Verder").click()

    tab.wait_question("absence")
    tab.click_option("Ja, voor een deel")

    # date_or_duration: a date field (ISO value) and the hint to type a duration
    tab.wait_question("absence_since")
    assert page.locator("#answer input[type=date]").count() == 1
    assert "sinds 3 weken" in page.locator("#answer").inner_text()
    page.get_by_label("Kies een datum").fill("2026-10-01")
    page.locator("#answer").get_by_role("button", name="Verder").click()

    # multi_choice: checkboxes + Verder
    tab.wait_question("barriers")
    assert page.locator("#answer input[type=checkbox]").count() == 7
    page.get_by_label("Moe of weinig energie").check()
    page.get_by_label("Pijn", exact=True).check()
    page.screenshot(path=str(screenshot_dir / "phone-390-home-multi-choice.png"))
    page.locator("#answer").get_by_role("button", name="Verder").click()

    # scale: 11 buttons with the two end labels
    tab.wait_question("work_ability")
    assert page.locator("#answer .scale button").count() == 11
    answer_text = page.locator("#answer").inner_text()
    assert "0 = kan niet werken" in answer_text and "10 = zo goed als ooit" in answer_text
    page.screenshot(path=str(screenshot_dir / "phone-390-home-scale.png"))
    tab.click_option("6")

    # yes_no
    tab.wait_question("support_wish")
    tab.click_option("Ja")

    # read-back (a choice question of its own), then consent
    tab.wait_question("readback")
    bot = "\n".join(tab.bot_texts())
    assert "Dit heb ik genoteerd" in bot and "• Beroep: verpleegkundige" in bot
    page.screenshot(path=str(screenshot_dir / "phone-390-home-readback.png"), full_page=True)
    tab.click_option("Ja, alles klopt")
    tab.wait_question("consent_share")
    tab.click_option("Ja, dat mag")

    # the patient's own copy
    page.wait_for_selector("#summary-box:not([hidden])")
    view = page.get_attribute("#summary-view", "href")
    parsed = urlparse(view)
    assert parsed.path.startswith("/mijn-samenvatting/sum-")
    assert "key" not in parsed.query  # never a key in a query string (proxies log those)
    assert parsed.fragment == "" or parsed.fragment.startswith("sleutel=")
    assert page.get_attribute("#summary-download", "href") == view
    assert page.get_by_role("button", name="Print dit gesprek").is_visible()
    page.screenshot(path=str(screenshot_dir / "phone-390-home-summary.png"), full_page=True)

    sender = rasa.requests[0]["sender"]
    assert rasa.messages_from(sender) == [
        "/start", INFORM % "working", "verpleegkundige", "32", INFORM % "partial",
        "2026-10-01", INFORM % "fatigue,pain", "6", INFORM % "yes", INFORM % "confirm",
        INFORM % "yes",
    ]
    assert tab.user_texts() == [
        "Ja, ik werk", "verpleegkundige", "32", "Ja, voor een deel", "1 oktober 2026",
        "Moe of weinig energie, Pijn", "6", "Ja", "Ja, alles klopt", "Ja, dat mag",
    ]


def test_free_text_answers_a_choice_question(open_tab, rasa):
    tab = open_tab("/")
    tab.begin()
    tab.wait_question("work_status")
    assert tab.page.locator("#text-label").text_content() == "Of typ uw antwoord"
    tab.type_text("Ik studeer")
    tab.wait_question("work_ability")
    assert rasa.messages_from()[-1] == "Ik studeer"


def test_plain_rasa_buttons_are_shown(open_tab, rasa):
    tab = open_tab("/")
    answer_up_to_occupation(tab)
    tab.type_text("hulp")
    tab.wait_type("buttons")
    assert tab.page.locator("#answer button").all_inner_texts() == [
        "Verder met de vragen", "Ik wil een mens spreken"]
    tab.click_option("Verder met de vragen")
    tab.wait_question("occupation")
    assert rasa.messages_from()[-1] == "/continue"


def test_multi_choice_and_number_validate_before_sending(open_tab, rasa):
    tab = open_tab("/")
    page = tab.page
    answer_up_to_occupation(tab)
    tab.type_text("kok")
    tab.wait_question("hours_per_week")
    sent = len(rasa.requests)
    page.get_by_label("Vul een getal in").fill("veel")
    page.locator("#answer").get_by_role("button", name="Verder").click()
    assert "Vul alleen een getal in" in page.locator("#answer [role=alert]").text_content()
    assert page.get_attribute("#answer input", "aria-invalid") == "true"
    page.get_by_label("Vul een getal in").fill("24")
    page.get_by_label("Vul een getal in").press("Enter")
    tab.wait_question("absence")
    tab.click_option("Nee")
    tab.wait_question("barriers")
    page.locator("#answer").get_by_role("button", name="Verder").click()
    assert "Kies minstens één antwoord" in page.locator("#answer [role=alert]").text_content()
    assert rasa.messages_from()[sent:] == ["24", INFORM % "none"]


def test_html_is_shown_as_text_never_run(open_tab, rasa):
    tab = open_tab("/")
    page = tab.page
    answer_up_to_occupation(tab)
    evil = '<img src=x onerror="window.__pwned=1"><b>vet</b><script>window.__pwned=2</script>'
    tab.type_text(evil)
    tab.wait_question("hours_per_week")
    page.get_by_label("Vul een getal in").fill("30")
    page.get_by_label("Vul een getal in").press("Enter")
    tab.wait_question("absence")
    tab.click_option("Nee")
    tab.wait_question("barriers")
    page.get_by_label("Nee, niets").check()
    page.locator("#answer").get_by_role("button", name="Verder").click()
    tab.wait_question("work_ability")
    tab.click_option("8")
    tab.wait_question("support_wish")
    tab.click_option("Nee")
    tab.wait_question("readback")  # the read-back repeats the text from the bot side
    assert evil in tab.user_texts()
    assert any("Beroep: " + evil in t for t in tab.bot_texts())
    assert page.locator("#log img, #log b, #log script").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert not [u for u in tab.requests if urlparse(u).path == "/x"]


def test_keyboard_only_choice_question(open_tab, rasa):
    tab = open_tab("/")
    page = tab.page
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "start-button":
            break
    assert page.evaluate("() => document.activeElement.id") == "start-button"
    page.keyboard.press("Enter")
    tab.wait_question("work_status")
    # focus moves to the first answer button, and it is visibly focused
    assert page.evaluate("() => document.activeElement.textContent") == "Ja, ik werk"
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
    assert outline[0] != "none" and outline[1] != "0px" and outline[2] != "none"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Ik studeer"
    page.keyboard.press("Space")
    tab.wait_question("work_ability")
    assert rasa.messages_from()[-1] == INFORM % "studying"
    # scale by keyboard too: focus is on "0", three tabs reach "3"
    for _ in range(3):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab.wait_question("support_wish")
    assert rasa.messages_from()[-1] == "3"


def test_rasa_down_shows_dutch_message_and_retry(open_tab, dead_chat_url):
    tab = open_tab("/", base=dead_chat_url)
    tab.begin()
    tab.wait_bot_text("Het lukt nu even niet")
    assert tab.bot_texts() == [UNAVAILABLE]
    retry = tab.page.get_by_role("button", name="Opnieuw proberen")
    assert retry.is_visible()
    retry.click()
    tab.page.wait_for_function("() => document.querySelectorAll('.msg-bot').length === 2")
    assert tab.page.locator("#text-input").is_visible()


def test_no_request_leaves_localhost(open_tab, rasa):
    tab = open_tab("/?code=A1")
    answer_up_to_occupation(tab)
    tab.type_text("buschauffeur")
    tab.wait_question("hours_per_week")
    assert tab.requests, "requests were not recorded"
    hosts = {urlparse(u).hostname for u in tab.requests}
    assert hosts <= LOCAL_HOSTS, hosts
    paths = {urlparse(u).path for u in tab.requests}
    assert {"/", "/chat-static/chat.js", "/chat-static/controls.js", "/chat-static/chat.css",
            "/chat/api/message"} <= paths


def _check_layout(tab: ChatTab, width: int) -> None:
    page = tab.page
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('button, input:not([type=checkbox]), a, .check'))
            .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden'))
            .map(e => [e.textContent.trim() || e.id || e.className, e.getBoundingClientRect()])
            .filter(([n, r]) => r.width < 44 || r.height < 44)
            .map(([n, r]) => n + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))""")
    assert small == [], small


def test_narrow_phone_320(open_tab, rasa, screenshot_dir):
    tab = open_tab("/", viewport=(320, 640))
    _check_layout(tab, 320)
    page = tab.page
    page.screenshot(path=str(screenshot_dir / "phone-320-home-start.png"), full_page=True)
    answer_up_to_occupation(tab)
    _check_layout(tab, 320)
    tab.type_text("magazijnmedewerker")
    tab.wait_question("hours_per_week")
    page.get_by_label("Vul een getal in").fill("38")
    page.get_by_label("Vul een getal in").press("Enter")
    tab.wait_question("absence")
    tab.click_option("Nee")
    tab.wait_question("barriers")
    _check_layout(tab, 320)
    page.get_by_label("Pijn", exact=True).check()
    page.locator("#answer").get_by_role("button", name="Verder").click()
    tab.wait_question("work_ability")
    _check_layout(tab, 320)
    page.screenshot(path=str(screenshot_dir / "phone-320-home-scale.png"), full_page=True)


def test_layout_phone_390(open_tab, rasa):
    tab = open_tab("/", viewport=(390, 844))
    _check_layout(tab, 390)
    tab.begin()
    tab.wait_question("work_status")
    _check_layout(tab, 390)


def test_csp_blocks_inline_script_and_html_sinks(open_tab):
    tab = open_tab("/")
    page = tab.page
    outcome = page.evaluate("""() => {
        const out = {};
        try { document.body.innerHTML += '<b>x</b>'; out.html = 'allowed'; }
        catch (e) { out.html = e.name; }
        try {
          const s = document.createElement('script');
          s.textContent = 'window.__inline = 1';
          document.head.appendChild(s);
        } catch (e) { out.script = e.name; }
        return out;
    }""")
    page.wait_for_timeout(200)
    assert outcome["html"] == "TypeError"  # Trusted Types: no HTML from strings
    assert page.evaluate("() => window.__inline") is None
    assert any("Content Security Policy" in m or "TrustedHTML" in m for m in tab.console)
    tab.console.clear()  # expected violations: do not fail the fixture's check


def test_number_range_and_skip_offer_after_two_misses(open_tab, rasa):
    tab = open_tab("/")
    page = tab.page
    answer_up_to_occupation(tab)
    tab.type_text("schilder")
    tab.wait_question("hours_per_week")
    field = page.get_by_label("Vul een getal in van 0 tot 80")  # custom.min / custom.max
    field.fill("120")
    field.press("Enter")
    assert "van 0 tot 80" in page.locator("#answer [role=alert]").text_content()
    sent = len(rasa.requests)
    tab.type_text("weet niet precies")
    tab.wait_bot_text("Dat begreep ik niet")
    tab.wait_question("hours_per_week")
    # the question's own buttons are drawn once; other buttons of the reply come after it
    tab.type_text("heel veel")
    tab.wait_bot_text("Wilt u deze vraag overslaan?")
    skip = page.locator("#answer").get_by_role("button", name="Sla deze vraag over")
    assert skip.count() == 1
    assert page.locator("#answer input").count() == 1  # the number field is still there
    skip.click()
    tab.wait_question("absence")
    assert rasa.messages_from()[sent:] == ["weet niet precies", "heel veel", "/skip"]
    assert page.locator("#answer button").count() == 4  # no duplicate option buttons


def test_arabic_reply_is_shown_right_to_left(open_tab, rasa, screenshot_dir):
    tab = open_tab("/")
    answer_up_to_occupation(tab)
    tab.type_text("__arabic__")
    tab.wait_bot_text("113")
    arabic = tab.page.locator(".msg-bot p[lang='ar']")
    assert arabic.count() == 3
    assert arabic.first.evaluate("p => getComputedStyle(p).direction") == "rtl"
    dutch = tab.page.locator(".msg-bot p", has_text="Dit gesprek is in het Nederlands").last
    assert dutch.evaluate("p => getComputedStyle(p).direction") == "ltr"
    tab.page.screenshot(path=str(screenshot_dir / "phone-390-home-arabic.png"), full_page=True)
