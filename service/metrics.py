"""Prometheus metrics of the gateway (prometheus-client, default registry).

Buckets reach 2 minutes: a CPU generation of several images takes tens of seconds."""

from __future__ import annotations

import time
from contextlib import contextmanager

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)

REQUEST_SECONDS = Histogram("dcae_request_duration_seconds", "HTTP request latency by endpoint and status",
                            ["endpoint", "method", "status"], buckets=LATENCY_BUCKETS)
STAGE_SECONDS = Histogram("dcae_stage_duration_seconds",
                          "Pipeline stage latency: image_decode, encoder, text_encoder, denoise_step, "
                          "denoise_loop, decoder, image_encode; generate_model (the whole call of Triton's "
                          "generate model, DCAE_GENERATE_LOOP=triton)", ["stage"], buckets=LATENCY_BUCKETS)
BATCH_SIZE = Histogram("dcae_batch_size", "Rows per model execution (micro-batching)", ["model"],
                       buckets=(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64))
QUEUE_DEPTH = Gauge("dcae_queue_depth", "Requests waiting for a model execution", ["model"])
IN_FLIGHT = Gauge("dcae_requests_in_flight", "HTTP requests being served")
ADMITTED = Gauge("dcae_requests_admitted", "Requests admitted per endpoint, running or waiting (DCAE_MAX_QUEUE)",
                 ["endpoint"])
REJECTED = Counter("dcae_requests_rejected_total", "Requests refused before any work: unauthorized, forbidden, "
                   "rate_limited, body_too_large, body_timeout, json_too_complex, overloaded", ["reason"])
CANCELLED = Counter("dcae_requests_cancelled_total", "Requests whose work was cancelled: deadline, "
                    "client_disconnected, client_stalled (stopped reading the response)", ["reason"])
BACKEND_UNAVAILABLE = Counter("dcae_backend_unavailable_total", "Requests answered 503 because the model server "
                              "could not be reached")
IMAGES_GENERATED = Counter("dcae_images_generated_total", "Images generated")
STREAMED = Counter("dcae_streamed_requests_total", "Generations answered as Server-Sent Events, by kind: "
                   "image_generation (/v1/generate, /v1/images/generations), image_edit (/v1/images/edits)", ["kind"])
DECODE_WORKERS_REPLACED = Counter("dcae_image_decode_workers_replaced_total", "Image-decode processes stopped "
                                  "mid-decode (their request's deadline passed or its client left) and replaced")


@contextmanager
def stage(name: str):
    t0 = time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(name).observe(time.perf_counter() - t0)
