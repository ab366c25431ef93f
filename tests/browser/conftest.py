"""Fixtures for the web chat browser tests.

- ``fake_rasa``: a scripted Rasa REST server (fake_rasa.py) in a background thread;
  ``rasa`` is the same server, reset for each test.
- ``chat_url``: the chat blueprint served by a minimal Sanic app (serve_chat.py) in a
  subprocess on a free localhost port, talking to the fake Rasa
  (CHAT_TEST_FULL_APP=1: the real web app from bot.web.app instead).
  ``dead_chat_url``: the same, but Rasa is down (nothing listens on its port).
- ``browser``: Debian Chromium (/usr/bin/chromium) through Playwright; ``open_tab`` makes a
  fresh context and page for each call and checks afterwards that no request left
  localhost and that no Content-Security-Policy violation happened.

Chromium missing: run ``scripts/ensure_chromium.sh`` (the browser tests are skipped, or
fail when REQUIRE_BROWSER=1).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, List

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for _path in (HERE, ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from chatpage import LOCAL_HOSTS, ChatTab, host_of  # noqa: E402
from fake_rasa import FakeRasa  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# CHAT_TEST_FULL_APP=1: serve the real web app (bot.web.app.create_app) instead of the
# bare blueprint, to check that the chat works the same next to the care-team pages.
FULL_APP = os.environ.get("CHAT_TEST_FULL_APP") == "1"
PROXY_TIMEOUT = 2.0  # seconds the test chat server waits for (fake) Rasa
SLOW_RASA = 4.0      # seconds the fake Rasa takes for "__slow__"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chat server exited:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"chat server did not answer at {url}:\n{log.read_text(errors='replace')}")


def start_chat_server(rasa_url: str, log: Path) -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(ROOT))
    cmd = [
        sys.executable, str(HERE / "serve_chat.py"), "--port", str(port),
        "--rasa-url", rasa_url, "--rasa-timeout", str(PROXY_TIMEOUT),
    ]
    if FULL_APP:
        cmd.append("--full-app")
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/kiosk", proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa(slow_seconds=SLOW_RASA).start()
    yield server
    server.stop()


@pytest.fixture
def rasa(fake_rasa: FakeRasa) -> FakeRasa:
    fake_rasa.reset()
    return fake_rasa


@pytest.fixture(scope="session")
def chat_url(fake_rasa: FakeRasa, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("chat") / "server.log"
    yield from start_chat_server(fake_rasa.url, log)


@pytest.fixture(scope="session")
def dead_chat_url(tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("chat-dead") / "server.log"
    yield from start_chat_server(f"http://127.0.0.1:{free_port()}", log)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def open_tab(browser, chat_url):
    """``open_tab(path, viewport=(w, h), base=chat_url, bypass_csp=False) -> ChatTab``."""
    tabs: List[ChatTab] = []

    def _open(path: str = "/", viewport=(390, 844), base: str = "", bypass_csp: bool = False,
              before_goto=None) -> ChatTab:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            bypass_csp=bypass_csp,
            service_workers="block",
        )
        tab = ChatTab(context, base or chat_url)
        tabs.append(tab)
        if before_goto:
            before_goto(tab)
        tab.goto(path)
        return tab

    yield _open
    for tab in tabs:
        outside = [u for u in tab.requests if host_of(u) not in LOCAL_HOSTS]
        csp = [m for m in tab.console if "Content Security Policy" in m]
        tab.context.close()
        assert not outside, f"requests left localhost: {outside}"
        assert not csp, f"CSP violations: {csp}"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
