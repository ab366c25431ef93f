"""Finding 6: the patient key travelled in a query string, was stored in Rasa's tracker
and never expired."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from tests.security.conftest import csrf_of, custom, finish_intake
from tests.web.helpers import Browser


def test_patient_key_is_not_in_the_tracker_and_not_in_a_query(stack):
    sender, replies = finish_intake(stack, {"channel": "home"})
    summary_id, key = custom(replies, "summary_id"), custom(replies, "patient_key")
    assert key
    engine = sa.create_engine(stack.db_url)
    with engine.connect() as conn:
        data = conn.execute(sa.text("select data from events where sender_id = :s"), {"s": sender}).scalars().all()
    engine.dispose()
    assert data and summary_id in "".join(data)  # the tracker knows the summary ...
    assert key not in "".join(data)              # ... never the key

    browser = Browser(stack.web_url)
    old_way = browser.get(f"/mijn-samenvatting/{summary_id}", params={"key": key})
    assert old_way.status_code == 200 and 'id="open-copy"' in old_way.text
    assert "open-copy.js" in old_way.text  # reads #sleutel=... and posts it once
    resp = browser.post(f"/mijn-samenvatting/{summary_id}/openen",
                        data={"key": key, "csrf_token": csrf_of(old_way.text)})
    assert resp.status_code == 303 and "?" not in resp.headers["Location"]
    copy = browser.get(f"/mijn-samenvatting/{summary_id}")
    assert copy.status_code == 200 and "Verwijder mijn samenvatting" in copy.text and key not in copy.text
    cookie = [c for c in browser.set_cookies if c.startswith("wi_copy=")][-1]
    assert "Max-Age=900" in cookie and "HttpOnly" in cookie and f"Path=/mijn-samenvatting/{summary_id}" in cookie

    # the cookie is for this copy only
    _, other = finish_intake(stack, {"channel": "home"})
    stranger = Browser(stack.web_url)
    stranger.cookies = dict(browser.cookies)
    assert 'id="open-copy"' in stranger.get(f"/mijn-samenvatting/{custom(other, 'summary_id')}").text


def test_patient_key_expires(stack):
    _, replies = finish_intake(stack, {"channel": "home"})
    summary_id, key = custom(replies, "summary_id"), custom(replies, "patient_key")
    engine = sa.create_engine(stack.db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("update wi_summaries set patient_key_expires_at = :t where id = :i"),
                     {"t": datetime(2020, 1, 1), "i": summary_id})
    engine.dispose()
    browser = Browser(stack.web_url)
    page = browser.get(f"/mijn-samenvatting/{summary_id}").text
    resp = browser.post(f"/mijn-samenvatting/{summary_id}/openen", data={"key": key, "csrf_token": csrf_of(page)})
    assert resp.status_code == 404
