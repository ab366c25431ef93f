"""A small page object for the web chat, shared by the browser tests."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
UNAVAILABLE = ("Het lukt nu even niet. Probeer het over een minuut opnieuw. "
               "Uw antwoorden zijn bewaard.")


def host_of(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return "127.0.0.1"  # in-page, never leaves the machine
    return parsed.hostname or ""


class ChatTab:
    def __init__(self, context, base_url: str, timeout_ms: int = 10_000) -> None:
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.page = context.new_page()
        self.page.set_default_timeout(timeout_ms)
        self.requests: List[str] = []
        self.console: List[str] = []
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda msg: self.console.append(msg.text)
                     if msg.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda exc: self.console.append(f"pageerror: {exc}"))

    # ---- navigation and actions ----
    def goto(self, path: str) -> None:
        url = path if path.startswith("http") else self.base_url + path
        self.page.goto(url)
        self.page.wait_for_selector("#start-button")

    def begin(self) -> None:
        self.page.get_by_role("button", name="Beginnen").click()

    def wait_question(self, question_id: str) -> None:
        self.page.wait_for_selector(f'#answer[data-question-id="{question_id}"]', state="attached")

    def wait_type(self, answer_type: str) -> None:
        self.page.wait_for_selector(f'#answer[data-answer-type="{answer_type}"]', state="attached")

    def click_option(self, label: str) -> None:
        self.page.locator("#answer").get_by_role("button", name=label, exact=True).click()

    def type_text(self, text: str) -> None:
        self.page.fill("#text-input", text)
        self.page.get_by_role("button", name="Verstuur").click()

    def wait_bot_text(self, fragment: str) -> None:
        self.page.locator(".msg-bot", has_text=fragment).last.wait_for()

    # ---- reading ----
    def bot_texts(self) -> List[str]:
        return self.page.eval_on_selector_all(
            ".msg-bot", "els => els.map(e => Array.from(e.querySelectorAll('p'))"
                        ".map(p => p.textContent).join('\\n\\n'))")

    def user_texts(self) -> List[str]:
        return self.page.eval_on_selector_all(
            ".msg-user", "els => els.map(e => Array.from(e.querySelectorAll('p'))"
                         ".map(p => p.textContent).join('\\n\\n'))")

    def log_count(self) -> int:
        return self.page.eval_on_selector("#log", "el => el.childElementCount")

    def storage_state(self) -> Dict[str, Any]:
        """Everything the page could have stored: must stay empty in kiosk mode."""
        return {
            "cookies": self.context.cookies(),
            "local": self.page.evaluate("() => window.localStorage.length"),
            "session": self.page.evaluate("() => window.sessionStorage.length"),
            "indexeddb": self.page.evaluate(
                "async () => (await indexedDB.databases()).map(d => d.name)"),
        }

    # ---- accessibility ----
    def axe(self, context: str = "document") -> List[Dict[str, Any]]:
        """Run axe-core; returns the serious and critical violations."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE_JS))
        result = self.page.evaluate(
            """async (ctx) => {
                const res = await axe.run(ctx === 'document' ? document : ctx, {
                  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                  'wcag22aa', 'best-practice']},
                  resultTypes: ['violations'],
                });
                return res.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
            }""",
            context,
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]
