"""In-process checks of the web building blocks (no server needed)."""
import sys
from datetime import timedelta

import pytest

from bot.web.security import Signer
from tests.storage import backends
from tests.web.helpers import importable


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WERK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("WEB_SESSION_SECRET", raising=False)
    from bot.runtime.settings import get_settings

    return get_settings()


def _paths(app):
    return {route.path for route in app.router.routes}


def test_create_app_registers_all_routes(settings):
    from bot.web.app import create_app

    app = create_app(settings)
    paths = _paths(app)
    for path in ("api/v1/summaries", "api/v1/summaries/<summary_id:str>",
                 "api/v1/summaries/<summary_id:str>/<kind:str>", "zorgteam", "zorgteam/inloggen",
                 "zorgteam/uitloggen", "zorgteam/samenvatting/<summary_id:str>", "zorgteam/audit",
                 "mijn-samenvatting/<summary_id:str>", "mijn-samenvatting/<summary_id:str>/verwijderen",
                 "healthz"):
        assert path in paths, path
    if importable("bot.web.chat"):
        assert "chat/api/message" in paths
    assert app.ctx.options.cookie_secure is True  # the default
    assert create_app(settings).name != app.name  # several apps per process (tests)


def test_create_app_without_chat_blueprint(settings, monkeypatch):
    from bot.web.app import create_app

    monkeypatch.setitem(sys.modules, "bot.web.chat", None)  # import fails
    app = create_app(settings)
    assert "chat/api/message" not in _paths(app)
    assert "zorgteam" in _paths(app)


def test_web_options_from_env(monkeypatch):
    from bot.web.app import WebOptions

    monkeypatch.setenv("WEB_COOKIE_SECURE", "0")
    monkeypatch.setenv("WEB_SESSION_HOURS", "2")
    options = WebOptions.from_env()
    assert options.cookie_secure is False and options.session_hours == 2
    assert options.maintenance_interval_s == 60 and options.tracker_deletion_delay_s == 30


def test_signer_round_trip_tamper_and_expiry():
    signer = Signer(b"s" * 32)
    value = signer.sign("session", {"u": "anna"}, 60)
    assert signer.unsign("session", value)["u"] == "anna"
    assert signer.unsign("csrf", value) is None  # bound to its purpose
    assert Signer(b"t" * 32).unsign("session", value) is None
    data, mac = value.split(".")
    assert signer.unsign("session", data + "x." + mac) is None
    assert signer.unsign("session", None) is None and signer.unsign("session", "a.b.c") is None
    expired = signer.sign("session", {"u": "anna"}, -1)
    assert signer.unsign("session", expired) is None
    with pytest.raises(ValueError):
        Signer(b"short")


def test_login_throttle_per_account_address_and_account(tmp_path):
    """The throttle counts in the database: per account+address strict, per address and
    per account wider; a new window starts over."""
    from bot.storage import db
    from bot.storage.repository import Repository
    from bot.web.auth import throttle_keys

    url = f"sqlite:///{tmp_path / 'throttle.db'}"
    db.migrate(url)
    repo = Repository(url)
    window = timedelta(minutes=15)
    assert all(repo.acquire_login_attempt(throttle_keys("anna", "10.0.0.1"), window) for _ in range(5))
    assert not repo.acquire_login_attempt(throttle_keys("anna", "10.0.0.1"), window)
    assert repo.acquire_login_attempt(throttle_keys("anna", "10.0.0.2"), window)  # other address
    assert repo.acquire_login_attempt(throttle_keys("bert", "10.0.0.1"), window)
    assert repo.acquire_login_attempt(throttle_keys("anna", "10.0.0.1"), timedelta(seconds=0))
    db.dispose_engines()


def test_detail_rows_use_dutch_labels_not_codes():
    from bot.web.careteam import work_rows

    rows = dict(work_rows(backends.load_fixture("employee")["work"]))
    joined = " ".join(f"{k} {v}" for k, v in rows.items())
    assert "Verpleegkundige op een afdeling interne geneeskunde" in joined
    for code in ("permanent", "partial", "yes_with_adjustments", "fatigue", "in_contact"):
        assert code not in joined
    assert "32" in joined and "4" in joined


def test_patient_copy_path():
    from bot.web.patient import patient_copy_path

    assert patient_copy_path("abc-1", "k/ey") == "/mijn-samenvatting/abc-1#sleutel=k%2Fey"


@pytest.mark.skipif(not importable("bot.web.chat"), reason="waits for bot/web/chat.py (other engineer)")
def test_chat_keeps_its_own_csp(server):
    import requests

    resp = requests.get(server.patient_base + "/", timeout=30)
    assert resp.status_code == 200
    assert "trusted-types" in resp.headers["Content-Security-Policy"]
