"""Helpers for the web tests: the running server, a cookie-keeping browser, markers."""
import re
import secrets
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import requests

from tests.storage import backends

ROOT = Path(__file__).resolve().parents[2]

PASSWORD = "een heel lang wachtwoord"


class Server:
    def __init__(self, base, url, data_dir, token, repo, patient_base=None):
        self.base, self.url, self.data_dir, self.token, self.repo = base, url, data_dir, token, repo
        self.patient_base = patient_base or base  # the patient listener (chat, own copy)

    def api(self, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token is not False:
            headers.setdefault("Authorization", f"Bearer {token or self.token}")
        return requests.get(self.base + path, headers=headers, timeout=30, **kwargs)

    def add(self, name, key=None, **work):
        """Store a fresh copy of a fixture; returns (summary, patient key)."""
        summary = backends.fresh_summary(name, **work)
        key = key or secrets.token_urlsafe(18)
        answers = {"work_status": summary["work"]["status"]}
        self.repo.save_summary(summary, answers=answers, patient_key=key)
        return summary, key

    def browser(self):
        return Browser(self.base)

    def patient(self):
        """A browser on the patient listener."""
        return Browser(self.patient_base)


class Browser:
    """A minimal cookie-keeping client. It keeps Secure cookies over plain http too
    (the app sets Secure by default), and records every Set-Cookie header."""

    def __init__(self, base):
        self.base, self.cookies, self.set_cookies = base, {}, []

    def request(self, method, path, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        resp = requests.request(method, self.base + path, headers=headers, timeout=30,
                                allow_redirects=False, **kwargs)
        for raw in resp.raw.headers.getlist("Set-Cookie"):
            self.set_cookies.append(raw)
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return resp

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def csrf(self, path="/zorgteam/inloggen"):
        page = self.get(path).text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def open_copy(self, summary_id, key):
        """What open-copy.js does with the key from the link's fragment: post it once."""
        page = self.get(f"/mijn-samenvatting/{summary_id}")
        assert page.status_code == 200 and 'id="open-copy"' in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.post(f"/mijn-samenvatting/{summary_id}/openen", data={"key": key, "csrf_token": token})

    def login(self, username="anna", password=PASSWORD):
        token = self.csrf()
        return self.post("/zorgteam/inloggen", data={"username": username, "password": password,
                                                     "csrf_token": token})


def importable(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


needs_summary_text = pytest.mark.skipif(not importable("bot.report.summary_text"),
                                        reason="waits for bot/report/summary_text.py (other engineer)")
needs_fhir = pytest.mark.skipif(not importable("bot.report.fhir"), reason="waits for bot/report/fhir.py (other engineer)")
