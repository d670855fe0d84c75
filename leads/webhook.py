"""Optional outbound webhook (a CRM, a booking tool): POST the saved lead as JSON, signed, with retries.

The notification worker (leads/delivery.py) calls it for each "booked", "cancelled" or "moved" event, with
its own retries across runs. A failure is logged (without the URL's path or query, which may hold a key,
and without the lead's contact details) and returned, never raised. With a secret, the receiver can check
that the body came from us: ``X-Impplus-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from .records import Lead

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = "impplus-leads/1"
SIGNATURE_HEADER = "X-Impplus-Signature"


@dataclass(frozen=True)
class WebhookResult:
    """``delivered``: a 2xx answer; ``attempts``: 0 when no webhook is configured; ``error``: "timeout",
    "connection", "http_<status>" or "request" after the last attempt."""

    delivered: bool
    attempts: int = 0
    status: int | None = None
    error: str | None = None

    @property
    def configured(self) -> bool:
        """Whether a webhook URL was set (and so at least one attempt made)."""
        return self.attempts > 0


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for ``body``: "sha256=" and the hex HMAC-SHA256 under ``secret``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def webhook_body(lead: Lead, event: str | None = None) -> bytes:
    """The JSON body: the lead without the conversation id, and the event it tells of when given."""
    data = lead.to_dict(include_sender=False)
    if event is not None:
        data = {"event": event, **data}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def post_lead(lead: Lead, url: str | None, *, timeout: float = 5.0, retries: int = 2, backoff: float = 0.5,
              session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
              event: str | None = None, secret: str | None = None,
              idempotency_key: str | None = None) -> WebhookResult:
    """POST the lead to ``url`` (nothing when None); retry timeouts, refused connections, 429 and 5xx.

    Waits ``backoff``, then twice as long, between attempts. Redirects are not followed, so personal data
    never goes to a host that wasn't configured. ``Idempotency-Key`` (the reference, unless another key
    is given) lets the receiver ignore a repeat when a timed-out attempt did arrive.
    """
    if not url:
        return WebhookResult(delivered=False)
    body = webhook_body(lead, event)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "Idempotency-Key": idempotency_key or lead.reference}
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    http = session or requests.Session()
    status: int | None = None
    error = "request"
    attempts = 0
    try:
        for attempt in range(retries + 1):
            if attempt:
                sleep(backoff * 2 ** (attempt - 1))
            attempts += 1
            try:
                response = http.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
            except requests.Timeout:
                status, error = None, "timeout"
                continue
            except requests.ConnectionError:
                status, error = None, "connection"
                continue
            except requests.RequestException:
                status, error = None, "request"
                break
            status = response.status_code
            response.close()
            if 200 <= status < 300:
                logger.info("lead %s sent to webhook %s (HTTP %d)", lead.reference, _site(url), status)
                return WebhookResult(True, attempts, status)
            error = f"http_{status}"
            if status not in RETRY_STATUSES:
                break
    finally:
        if session is None:
            http.close()
    logger.warning("lead %s saved but not sent to webhook %s after %d attempt(s): %s", lead.reference,
                   _site(url), attempts, error)
    return WebhookResult(False, attempts, status, error)


def _site(url: str) -> str:
    """scheme://host[:port] only: paths and queries of webhook URLs often carry secrets."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if parts.port else "")
