"""The assistant's Prometheus metrics: one registry, served by the web app at GET /metrics.

- ``chat_turns_total`` by outcome, and ``chat_turn_duration_seconds``: every turn a channel
  sends to Rasa, counted in ``RasaClient.send`` so the web chat and WeChat both count.
- ``eligibility_results_total`` by article and status: the measures of every
  ``eligibility_result`` payload that passes through a channel.
- The HTTP metrics of the web app (``http_requests_total``, ``http_request_duration_seconds``)
  are recorded by ``bot.web.metrics.MetricsMiddleware``.

No message text, sender id or openid is ever a label. One process, one registry: run the web
app with one uvicorn worker per container (several workers would need prometheus_client's
multiprocess mode).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

# From 5 ms to 30 s: a static file takes a few ms, a Rasa turn 50 ms to a few seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests by route template", ["method", "route", "status"], registry=REGISTRY
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
TURNS = Counter("chat_turns_total", "User turns sent to Rasa", ["outcome"], registry=REGISTRY)
TURN_LATENCY = Histogram(
    "chat_turn_duration_seconds", "Time Rasa took to answer a turn", buckets=LATENCY_BUCKETS, registry=REGISTRY
)
RESULTS = Counter(
    "eligibility_results_total",
    "Measures stated in eligibility_result payloads, by article and status",
    ["article", "status"],
    registry=REGISTRY,
)


def record_turn(outcome: str, seconds: float, messages: Iterable[dict[str, Any]] = ()) -> None:
    """One turn through RasaClient: its outcome (ok, unavailable), latency and the results it carried."""
    TURNS.labels(outcome=outcome).inc()
    TURN_LATENCY.observe(seconds)
    for message in messages:
        custom = message.get("custom")
        if not isinstance(custom, dict) or custom.get("type") != "eligibility_result":
            continue
        for measure in custom.get("measures") or ():
            if isinstance(measure, dict):
                RESULTS.labels(article=str(measure.get("article", "")), status=str(measure.get("status", ""))).inc()
