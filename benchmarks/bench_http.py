"""HTTP adapter: batch fetch with the async client vs one-at-a-time fetching, same run.

The stub runs in its own process (``ssbx-stub serve``) on loopback, serving the
synthetic municipality, with a fixed latency per fetch added by its fault injection
(50 ms; ``SSBX_BENCH_HTTP_LATENCY_MS``). Why the latency: on loopback with none, a fetch
is pure CPU on both sides (the client parsing and validating the document, the stub
building and serialising it, about 5 ms together), and with both on the same small
machine concurrency can only overlap those two processes: the speed-up would measure
the core count, not the client. A real provider answers in tens to hundreds of
milliseconds; the async client exists to overlap that waiting, and the fixed latency
models it (on the low side). The stub runs one uvicorn worker.

Measured in one run:

* ``batch``: ``AsyncHttpSource.fetch_many`` over N requests (10,000; quick: 500) with
  ``max_concurrency`` C (16, the config's default; ``SSBX_BENCH_HTTP_CONCURRENCY``);
* ``sequential``: ``HttpSource.fetch`` one request after the other, over the first 500
  (quick: 100) of the same requests: its rate does not depend on how many are fetched,
  and all 10,000 would take ten minutes to say the same.

More concurrency does not help on a small machine: once the stub and the client use
the CPU there is, more requests in flight only queue, and httpx's connection pool costs
grow with the number of connections.

Each reports cases/s and p50/p99 latency per fetch; ``speedup`` is batch cases/s over
sequential cases/s (target: at least 5).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from ssbx_http import AsyncHttpSource, HttpSource, HttpSourceConfig
from ssbx_http.stub import CaseBook

from ssbx_model.case import Case
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import FetchRequest, Requester
from ssbx_model.purpose import Purpose, Role

SEED = 1
LATENCY_MS = float(os.environ.get("SSBX_BENCH_HTTP_LATENCY_MS", "50"))
CONCURRENCY = int(os.environ.get("SSBX_BENCH_HTTP_CONCURRENCY", "16"))
#: What a social worker typically asks AF for (a realistic payload, not the whole case).
SETS = frozenset(
    {
        InformationSet.ENROLMENT,
        InformationSet.CONSENTS,
        InformationSet.PROGRAM_DECISIONS,
        InformationSet.ACTIVITY_SUPPORTS,
        InformationSet.ACTIVITY_REPORTS,
        InformationSet.PLANNING_MEETINGS,
    }
)


def _start_stub(persons: int) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-m",
        "ssbx_http.stub.cli",
        "serve",
        "--port",
        "0",
        "--seed",
        str(SEED),
        "--persons",
        str(persons),
        "--latency-ms",
        str(LATENCY_MS),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if " at " not in line:
        process.kill()
        raise RuntimeError(f"the stub did not start: {line!r}")
    url = line.rsplit(" at ", 1)[1].strip()
    for _ in range(200):
        try:
            httpx.get(f"{url}/v1/health", timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    return process, url


def _latencies(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
    }


def _sequential(url: str, requests: list[FetchRequest]) -> dict[str, Any]:
    timings: list[float] = []
    with HttpSource(HttpSourceConfig(url, allow_plain_http_loopback=True)) as source:
        source.fetch(requests[0])  # warm the connection
        started = time.perf_counter()
        for request in requests:
            t0 = time.perf_counter()
            case = source.fetch(request)
            timings.append(time.perf_counter() - t0)
            assert case.person == request.person
        elapsed = time.perf_counter() - started
    return {
        "cases": len(requests),
        "seconds": round(elapsed, 3),
        "cases_per_s": round(len(requests) / elapsed, 1),
        **_latencies(timings),
    }


async def _batch(url: str, requests: list[FetchRequest]) -> dict[str, Any]:
    timings: list[float] = []
    config = HttpSourceConfig(
        url,
        max_concurrency=CONCURRENCY,
        max_connections=CONCURRENCY,
        deadline=120,
        allow_plain_http_loopback=True,
    )
    async with AsyncHttpSource(config) as source:
        await source.fetch(requests[0])  # warm up
        fetch: Callable[[FetchRequest], Awaitable[Case]] = source.fetch

        async def timed(request: FetchRequest) -> Case:
            t0 = time.perf_counter()
            try:
                return await fetch(request)
            finally:
                timings.append(time.perf_counter() - t0)

        # Time each fetch the batch makes (fetch_many calls self.fetch).
        source.fetch = timed  # type: ignore[method-assign]
        started = time.perf_counter()
        results = await source.fetch_many(requests)
        elapsed = time.perf_counter() - started
    failures = [r for r in results if not isinstance(r, Case)]
    return {
        "cases": len(requests),
        "concurrency": CONCURRENCY,
        "failures": len(failures),
        "seconds": round(elapsed, 3),
        "cases_per_s": round(len(requests) / elapsed, 1),
        **_latencies(timings),
    }


def run(quick: bool) -> dict[str, Any]:
    """Batch vs sequential fetching from the stub on loopback; see the module docstring."""
    persons = 500 if quick else 10_000
    sequential_n = 100 if quick else 500
    book = CaseBook.synthetic(seed=SEED, persons=persons)
    requester = Requester("bench", Role.SOCIAL_WORKER, "1287")
    requests = [
        FetchRequest(p, SETS, Purpose.SOCIAL_ASSISTANCE, dt.date(2024, 6, 3), requester)
        for p in book.persons()
    ]
    del book
    gc.collect()
    gc.freeze()  # the requests live all run long: no collector passes over them
    load_before = os.getloadavg()[0]
    process, url = _start_stub(persons)
    try:
        sequential = _sequential(url, requests[:sequential_n])
        batch = asyncio.run(_batch(url, requests))
    finally:
        process.terminate()
        process.wait(timeout=30)
    speedup = round(batch["cases_per_s"] / sequential["cases_per_s"], 2)
    load = (round(load_before, 2), round(os.getloadavg()[0], 2))
    print(
        f"   stub: 1 uvicorn worker, {LATENCY_MS:g} ms latency per fetch (models a provider); "
        f"{len(SETS)} sets per fetch, XML; load average {load[0]} before, {load[1]} after "
        f"on {os.cpu_count()} CPUs"
    )
    print(
        f"   sequential: {sequential['cases_per_s']:>8} cases/s  "
        f"p50 {sequential['p50_ms']} ms  p99 {sequential['p99_ms']} ms  "
        f"({sequential['cases']} cases)"
    )
    print(
        f"   batch:      {batch['cases_per_s']:>8} cases/s  "
        f"p50 {batch['p50_ms']} ms  p99 {batch['p99_ms']} ms  "
        f"({batch['cases']} cases, concurrency {CONCURRENCY}, {batch['failures']} failures)"
    )
    print(f"   speed-up: {speedup}x (target >= 5x)")
    return {
        "setup": {
            "stub": "ssbx-stub serve, separate process, 1 uvicorn worker, loopback",
            "stub_latency_ms": LATENCY_MS,
            "why_latency": "models a provider's answer time; without it both sides are "
            "CPU-bound on the same cores and concurrency measures the core count",
            "sets_per_fetch": sorted(s.value for s in SETS),
            "body_format": "xml",
            "cpus": os.cpu_count(),
            "load_average_before_after": load,
        },
        "sequential": sequential,
        "batch": batch,
        "speedup": speedup,
        "target_speedup": 5,
    }


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
