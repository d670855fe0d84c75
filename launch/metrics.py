"""The assistant's Prometheus metrics, in one place: the registry, every metric, and ``GET /metrics``.

Each server counts what happens in its own process and answers ``/metrics`` with it (Prometheus text):
the Rasa server the turns (``channels.guarded_turn``), the action server the verdicts, bookings and
fallbacks (``actions/``), the desk the notifications, read from the outbox every worker writes to.
Labels only take a few fixed values (channel, language, verdict, result, kind, state): never a
conversation id or anything a person typed.

Who may read them (METRICS_ENABLED, METRICS_TOKEN): ``metrics_answer``. Without a token only when the
server listens on a loopback address (``make run``); on any other address only with
``Authorization: Bearer <METRICS_TOKEN>``, and not at all (404) when no token is set.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.process_collector import ProcessCollector

from project_settings import ProjectSettings, get_settings

if TYPE_CHECKING:
    from leads.store import LeadStore

PREFIX = "impplus"
disable_created_metrics()  # no *_created series beside each counter: Prometheus sees resets by itself
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # memory, CPU, open files, start time: process_*

# The Rasa server (channels/guarded_turn.py): every message that reached Rasa, how long its turn took
# (apology included), the turns answered with the apology instead of silence, and the refused messages.
TURNS = Counter(f"{PREFIX}_turns", "Messages handled (a turn each), by channel and language.",
                ["channel", "language"], registry=REGISTRY)
TURN_SECONDS = Histogram(f"{PREFIX}_turn_seconds", "Time from a message to its last reply, by channel.",
                         ["channel"], registry=REGISTRY,
                         buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0))
APOLOGIES = Counter(f"{PREFIX}_apologies", "Turns that got no reply and were answered with an apology.",
                    ["channel"], registry=REGISTRY)
FLOOD_REFUSALS = Counter(f"{PREFIX}_flood_refusals", "Messages refused by the per-sender flood limit.",
                         ["channel"], registry=REGISTRY)
# The action server (actions/): fallbacks, verdicts given, and bookings saved or failing to save.
FALLBACKS = Counter(f"{PREFIX}_fallbacks", "Fallback answers, by reason: nlu (message not understood), "
                    "core (no confident next step), intent_without_reply.", ["reason"], registry=REGISTRY)
VERDICTS = Counter(f"{PREFIX}_verdicts", "Screening verdicts given, by verdict.", ["verdict"],
                   registry=REGISTRY)
BOOKINGS = Counter(f"{PREFIX}_bookings", "Confirmed bookings: saved, or failed to save.", ["result"],
                   registry=REGISTRY)


@dataclass
class TurnTimer:
    """One turn, from the message to its last reply: counted and timed when ``done``."""

    channel: str
    language: str
    started: float = field(default_factory=time.monotonic)

    def done(self) -> None:
        TURNS.labels(self.channel, self.language).inc()
        TURN_SECONDS.labels(self.channel).observe(time.monotonic() - self.started)


# ------------------------------------------------------------------------------------- who may read
def is_loopback(host: str) -> bool:
    """Whether a listening address is loopback only (127.0.0.0/8, ::1, localhost); 0.0.0.0 is not."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def access(listen_host: str, authorization: str | None, settings: ProjectSettings) -> int:
    """200 (may read), 401 (a token is needed and this is not it) or 404 (metrics are off here)."""
    if not settings.metrics_enabled:
        return 404
    if is_loopback(listen_host):
        return 200
    if not settings.metrics_token:
        return 404
    given = _bearer(authorization)
    if given is not None and hmac.compare_digest(given.encode(), settings.metrics_token.encode()):
        return 200
    return 401


@dataclass(frozen=True)
class MetricsAnswer:
    """What ``GET /metrics`` answers, for any web framework."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def render(extra: Callable[[], bytes] | None = None) -> bytes:
    """This process's metrics as Prometheus text, followed by ``extra``'s (metrics only one server has)."""
    return generate_latest(REGISTRY) + (extra() if extra else b"")


def metrics_answer(listen_host: str, authorization: str | None, *, extra: Callable[[], bytes] | None = None,
                   settings: ProjectSettings | None = None) -> MetricsAnswer:
    """The answer to ``GET /metrics`` on a server listening on ``listen_host``, by the token rule."""
    status = access(listen_host, authorization, settings or get_settings())
    if status == 404:
        return MetricsAnswer(404, b"Not found\n")
    if status == 401:
        return MetricsAnswer(401, b"A metrics token is needed\n", headers={"WWW-Authenticate": "Bearer"})
    return MetricsAnswer(200, render(extra), CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------------------- the desk's notifications
class OutboxCollector:
    """The notifications in the outbox, read at each scrape: what every worker delivered, retried and gave
    up on, whichever process sent it. Gauges, since rows go when their lead is erased or purged."""

    def __init__(self, store: LeadStore) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        from leads.delivery import outbox_counts

        rows = GaugeMetricFamily(f"{PREFIX}_notifications", "Notifications in the outbox, by kind and state "
                                 "(pending, delivered, given_up).", labels=["kind", "state"])
        retries = GaugeMetricFamily(f"{PREFIX}_notification_retries", "Attempts after the first, summed "
                                    "over the outbox's notifications, by kind.", labels=["kind"])
        retried: dict[str, int] = {}
        for count in outbox_counts(self.store):
            rows.add_metric([count.kind, count.state], count.rows)
            retried[count.kind] = retried.get(count.kind, 0) + count.retries
        for kind, number in sorted(retried.items()):
            retries.add_metric([kind], number)
        yield rows
        yield retries


def outbox_metrics(store: LeadStore) -> Callable[[], bytes]:
    """Renders the outbox's metrics (the desk's ``extra``)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(OutboxCollector(store))  # type: ignore[arg-type]
    return lambda: generate_latest(registry)
