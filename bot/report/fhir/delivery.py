"""Push consented summaries into the hospital's FHIR server (docs/fhir.md, "Push").

Configured by the environment; without ``WERK_FHIR_PUSH_URL`` nothing is queued or sent:

    WERK_FHIR_PUSH_URL            base URL of the hospital's FHIR R4 server
    WERK_FHIR_PUSH_TOKEN          a fixed bearer token, or OAuth2 client credentials:
    WERK_FHIR_PUSH_TOKEN_URL      token endpoint
    WERK_FHIR_PUSH_CLIENT_ID / WERK_FHIR_PUSH_CLIENT_SECRET / WERK_FHIR_PUSH_SCOPE
    WERK_FHIR_PUSH_TIMEOUT=10     seconds per request
    WERK_FHIR_PUSH_MAX_ATTEMPTS=20

The summary itself stays in our database whatever happens here. When it is stored
(directly or from the file outbox, bot/storage/outbox.py), ``enqueue`` adds a delivery
row; the web app's background round (``run_maintenance``) calls ``deliver_pending``,
which posts one transaction Bundle (bot/report/fhir/bundle.py) per due delivery. A network
error, timeout, 5xx, 408, 429 or 401 is retried with exponential backoff (30 s doubling
to at most 1 h); another 4xx, or too many attempts, sets ``failed`` (a person must look;
``retry`` queues it again). The Bundle is idempotent, so a retry after a lost answer
stores nothing twice.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

import requests
import sqlalchemy as sa

from bot import content
from bot.storage import db
from bot.storage.models import FhirDelivery, Summary, utcnow

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
TRANSIENT_STATUS = {401, 408, 429}


@dataclass(frozen=True)
class PushConfig:
    url: str
    token: Optional[str] = None
    token_url: Optional[str] = None
    client_id: Optional[str] = None
    client_secret: Optional[str] = None
    scope: Optional[str] = None
    timeout: float = 10.0
    max_attempts: int = 20

    @classmethod
    def from_env(cls) -> Optional["PushConfig"]:
        url = os.environ.get("WERK_FHIR_PUSH_URL", "").strip()
        if not url:
            return None
        return cls(
            url=url.rstrip("/"),
            token=os.environ.get("WERK_FHIR_PUSH_TOKEN") or None,
            token_url=os.environ.get("WERK_FHIR_PUSH_TOKEN_URL") or None,
            client_id=os.environ.get("WERK_FHIR_PUSH_CLIENT_ID") or None,
            client_secret=os.environ.get("WERK_FHIR_PUSH_CLIENT_SECRET") or None,
            scope=os.environ.get("WERK_FHIR_PUSH_SCOPE") or None,
            timeout=float(os.environ.get("WERK_FHIR_PUSH_TIMEOUT", "10")),
            max_attempts=int(os.environ.get("WERK_FHIR_PUSH_MAX_ATTEMPTS", "20")),
        )


def _error(key: str, **fmt: object) -> str:
    return content.careteam_text(f"fhir_delivery.errors.{key}", **fmt)


class DeliveryError(Exception):
    def __init__(self, message_nl: str, transient: bool):
        super().__init__(message_nl)
        self.message_nl, self.transient = message_nl, transient


@dataclass
class DeliveryResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    details: List[str] = field(default_factory=list)


# --------------------------------------------------------------------------- queue


def after_store(summary: Dict[str, Any], url: Optional[str] = None) -> None:
    """Called once a consented summary is in the database (bot/storage/outbox.py): its
    Task is completed, and it is queued for the record when push is configured, the
    summary is for the care team and the patient is known (a summary without a patient
    identifier stays available through the API only). Never raises."""
    from bot.report.fhir import tasks

    try:
        tasks.on_summary_stored(summary, url)
        if summary.get("care_team") is False or PushConfig.from_env() is None:
            return
        identity, _ = tasks.identity_and_task(summary, url)
        if identity is not None and identity.known:
            enqueue(summary["summary_id"], url)
    except Exception:  # the summary is stored; a delivery problem must not undo that
        logger.exception("after-store FHIR steps failed for a summary")


def enqueue(
    summary_id: str,
    url: Optional[str] = None,
    now: Optional[datetime] = None,
    config: Optional[PushConfig] = None,
) -> bool:
    """Queue delivery of a stored summary; False when push is not configured or the
    summary is already queued/delivered."""
    if (config or PushConfig.from_env()) is None:
        return False
    now = now or utcnow()
    with db.session_scope(url) as s:
        if s.get(FhirDelivery, summary_id) is not None:
            return False
        s.add(
            FhirDelivery(
                summary_id=summary_id,
                status="queued",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    return True


def retry(summary_id: str, url: Optional[str] = None) -> bool:
    """Queue a failed delivery again (care team or administrator)."""
    with db.session_scope(url) as s:
        row = s.get(FhirDelivery, summary_id)
        if row is None or row.status == "delivered":
            return False
        row.status, row.next_attempt_at, row.updated_at = "queued", utcnow(), utcnow()
        return True


def state(summary_id: str, url: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """The delivery state for the care team (None: not pushed, e.g. push not configured)."""
    with db.session_scope(url) as s:
        row = s.get(FhirDelivery, summary_id)
        if row is None:
            return None
        return {
            "status": row.status,
            "status_nl": content.careteam_text(f"fhir_delivery.status.{row.status}"),
            "attempts": row.attempts,
            "next_attempt_at": _iso(row.next_attempt_at) if row.status in ("queued", "retrying") else None,
            "delivered_at": _iso(row.delivered_at),
            "last_error": row.last_error,
            "locations": row.locations or [],
        }


def states(summary_ids: List[str], url: Optional[str] = None) -> Dict[str, str]:
    """{summary_id: status} for a list page."""
    if not summary_ids:
        return {}
    with db.session_scope(url) as s:
        rows = s.execute(
            sa.select(FhirDelivery.summary_id, FhirDelivery.status).where(
                FhirDelivery.summary_id.in_(summary_ids)
            )
        )
        return {sid: status for sid, status in rows}


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat(timespec="seconds") if value else None


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


# --------------------------------------------------------------------------- sending


def deliver_pending(
    url: Optional[str] = None,
    config: Optional[PushConfig] = None,
    now: Optional[datetime] = None,
    http: Optional[requests.Session] = None,
) -> DeliveryResult:
    """Send every due delivery once. Never raises for a delivery problem."""
    result = DeliveryResult()
    config = config or PushConfig.from_env()
    if config is None:
        return result
    now = now or utcnow()
    with db.session_scope(url) as s:
        due = [
            r.summary_id
            for r in s.execute(
                sa.select(FhirDelivery)
                .where(FhirDelivery.status.in_(("queued", "retrying")), FhirDelivery.next_attempt_at <= now)
                .order_by(FhirDelivery.created_at)
            ).scalars()
        ]
    client = _Client(config, http or requests.Session())
    for summary_id in due:
        outcome = _deliver_one(summary_id, url, client, config, now)
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.details.append(f"{summary_id}: {outcome}")
    return result


def _deliver_one(
    summary_id: str, url: Optional[str], client: "_Client", config: PushConfig, now: datetime
) -> str:
    from bot.report.fhir import tasks
    from bot.report.fhir.bundle import transaction_bundle

    with db.session_scope(url) as s:
        row = s.get(Summary, summary_id)
        body, answers = (row.body, row.answers) if row is not None else (None, None)
    error: Optional[DeliveryError] = None
    locations: List[str] = []
    if body is None:
        error = DeliveryError(_error("summary_gone"), transient=False)
    else:
        try:
            identity, task = tasks.identity_and_task(body, url)
            bundle = transaction_bundle(body, answers, identity=identity, task=task)
            locations = client.post_transaction(bundle)
        except DeliveryError as exc:
            error = exc
        except Exception as exc:  # a bug must not stop the other deliveries
            logger.exception("building or sending the FHIR bundle failed")
            error = DeliveryError(_error("internal", kind=exc.__class__.__name__), transient=False)
    with db.session_scope(url) as s:
        row = s.get(FhirDelivery, summary_id)
        if row is None:  # removed meanwhile (retention)
            return "failed"
        row.attempts += 1
        row.updated_at = now
        if error is None:
            row.status, row.delivered_at, row.last_error = "delivered", now, None
            row.locations, row.next_attempt_at = locations, None
            logger.info("summary %s delivered to the FHIR server", summary_id)
            return "delivered"
        row.last_error = error.message_nl
        if error.transient and row.attempts < config.max_attempts:
            row.status, row.next_attempt_at = "retrying", now + backoff(row.attempts)
            logger.warning(
                "FHIR delivery of %s failed (attempt %d), retry at %s: %s",
                summary_id,
                row.attempts,
                row.next_attempt_at,
                error.message_nl,
            )
            return "retrying"
        row.status, row.next_attempt_at = "failed", None
        logger.error("FHIR delivery of %s failed for good: %s", summary_id, error.message_nl)
        return "failed"


class _Client:
    """HTTP to the hospital's FHIR server, with a bearer token or OAuth2 client credentials."""

    _tokens: Dict[tuple, tuple] = {}  # (token_url, client_id) -> (token, expires), per process

    def __init__(self, config: PushConfig, http: requests.Session):
        self.config, self.http = config, http
        self._key = (config.token_url, config.client_id)

    def _bearer(self) -> Optional[str]:
        if self.config.token:
            return self.config.token
        if not self.config.token_url:
            return None
        token, expires = self._tokens.get(self._key, (None, 0.0))
        if token and time.monotonic() < expires:
            return token
        data = {"grant_type": "client_credentials"}
        if self.config.scope:
            data["scope"] = self.config.scope
        try:
            resp = self.http.post(
                self.config.token_url,
                data=data,
                timeout=self.config.timeout,
                auth=(self.config.client_id or "", self.config.client_secret or ""),
            )
        except requests.RequestException as exc:
            raise DeliveryError(_error("token_unreachable", kind=exc.__class__.__name__), True) from exc
        if resp.status_code != 200:
            raise DeliveryError(
                _error("token_refused", status=resp.status_code),
                resp.status_code >= 500 or resp.status_code == 429,
            )
        try:
            payload = resp.json()
            token = str(payload["access_token"])
            expires = time.monotonic() + max(float(payload.get("expires_in", 300)) - 30, 0)
        except (ValueError, KeyError, TypeError) as exc:
            raise DeliveryError(_error("token_unusable"), True) from exc
        self._tokens[self._key] = (token, expires)
        return token

    def post_transaction(self, bundle: Dict[str, Any]) -> List[str]:
        headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}
        token = self._bearer()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            resp = self.http.post(
                self.config.url + "/", json=bundle, headers=headers, timeout=self.config.timeout
            )
        except requests.RequestException as exc:
            raise DeliveryError(_error("server_unreachable", kind=exc.__class__.__name__), True) from exc
        if resp.status_code == 401:
            self._tokens.pop(self._key, None)  # an expired token: fetch a new one next time
        if resp.status_code >= 300:
            transient = resp.status_code >= 500 or resp.status_code in TRANSIENT_STATUS
            raise DeliveryError(_error("server_status", status=resp.status_code), transient)
        try:
            entries = resp.json().get("entry", [])
        except ValueError as exc:
            raise DeliveryError(_error("server_unreadable"), True) from exc
        statuses = [str((e.get("response") or {}).get("status", "")) for e in entries]
        if len(entries) != len(bundle["entry"]) or not all(st[:1] == "2" for st in statuses):
            raise DeliveryError(_error("server_partial", statuses=", ".join(statuses)), True)
        return [(e.get("response") or {}).get("location", "") for e in entries]
