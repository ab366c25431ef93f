"""The care-team funnel page (/zorgteam/trechter): administrators only, counts only.

The funnel shown is made the way `make funnel` makes it: conversations (with patient
text in them) in a SQLite tracker store, Rasa's marker evaluation, the funnel files in
FUNNEL_DIR, which the running web app reads."""
import asyncio
import os

import pytest
import yaml

from tests.web.helpers import PASSWORD


@pytest.fixture(scope="module", autouse=True)
def funnel_dir(tmp_path_factory):
    """Runs before the module's server starts (autouse): the app reads FUNNEL_DIR."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    from bot.analytics import funnel
    from tests.analytics.conversations import Conversation, domain_dict, store_all

    tmp = tmp_path_factory.mktemp("funnel-web")
    (tmp / "domain.yml").write_text(yaml.safe_dump(domain_dict(), allow_unicode=True), encoding="utf-8")
    domain = Domain.load(str(tmp / "domain.yml"))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp / "trackers.db"))
    convs = [Conversation("patient-a").start().answer_all().confirm_readback().consent(True),
             Conversation("patient-b").start().answer().human_contact(),
             Conversation("patient-c").start().skip().crisis()]
    asyncio.run(store_all(store, domain, convs))
    store.engine.dispose()
    (tmp / "endpoints.yml").write_text(yaml.safe_dump(
        {"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp / "trackers.db")}}))
    out = tmp / "out"
    funnel.evaluate(tmp / "endpoints.yml", out, domain_path=tmp / "domain.yml")
    funnel.build(out)
    old = os.environ.get("FUNNEL_DIR")
    os.environ["FUNNEL_DIR"] = str(out)
    yield out
    if old is None:
        os.environ.pop("FUNNEL_DIR", None)
    else:
        os.environ["FUNNEL_DIR"] = old


def test_funnel_page_is_for_administrators_only(server):
    anonymous = server.browser()
    for path in ("/zorgteam/trechter", "/zorgteam/trechter.png"):
        resp = anonymous.get(path)
        assert resp.status_code == 303 and resp.headers["Location"] == "/zorgteam/inloggen"
    server.repo.create_user("bert", PASSWORD)  # a member, not an administrator
    member = server.browser()
    assert member.login("bert").status_code == 303
    for path in ("/zorgteam/trechter", "/zorgteam/trechter.png"):
        resp = member.get(path)
        assert resp.status_code == 403 and "beheerder" in resp.text


def test_funnel_page_shows_counts_and_no_patient_text(server, funnel_dir):
    from bot import content
    from tests.analytics.conversations import PATIENT_TEXT

    admin = server.browser()
    admin.login()
    resp = admin.get("/zorgteam/trechter")
    assert resp.status_code == 200
    page = resp.text
    text = content.load_yaml("funnel.yml")
    assert text["title"] in page and text["columns"]["dropped_out_here"] in page
    # work_status: reached by all 3, answered by 2, skipped by 1 (Dutch label "Werk")
    assert "<tr><td>Werk</td><td>3</td><td>2</td><td>1</td><td>0</td></tr>" in page
    assert f"<tr><th scope=\"row\">{text['totals']['crisis']}</th><td>1</td></tr>" in page
    for secret in (PATIENT_TEXT, "patient-a", "patient-b", "patient-c"):
        assert secret not in page
    chart = admin.get("/zorgteam/trechter.png")
    assert chart.status_code == 200 and chart.headers["Content-Type"] == "image/png"
    assert chart.content == (funnel_dir / "funnel.png").read_bytes()
    assert "Trechter" in admin.get("/zorgteam/").text   # in the administrator's menu
