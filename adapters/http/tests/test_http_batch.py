"""Batch fetches: bounded concurrency, results in order, one person's failure in place."""

from __future__ import annotations

import pytest
from http_helpers import fast_config, make_request

from ssbx_http import AsyncHttpSource, HttpSource, InvalidResponse, ServiceUnavailable
from ssbx_http.stub import RunningStub
from ssbx_model.case import Case
from ssbx_model.identity import Personnummer
from ssbx_model.information import AnswerStatus

STRANGER = Personnummer.parse("19121212-1212")


def _requests(stub: RunningStub, n: int) -> list:  # type: ignore[type-arg]
    people = stub.persons[:n]
    # The stranger is unknown to the stub, and "Socialtjänsten" is no municipality code:
    # that one fetch cannot build a Case and fails alone.
    return (
        [make_request(p) for p in people[:3]]
        + [make_request(STRANGER, organisation="Socialtjänsten")]
        + [make_request(p) for p in people[3:]]
    )


@pytest.mark.anyio
async def test_an_async_batch_keeps_order_and_isolates_a_failure(stub: RunningStub) -> None:
    stub.admin.set_faults(latency_ms=30)
    requests = _requests(stub, 12)
    async with AsyncHttpSource(fast_config(stub.base_url, max_concurrency=4)) as source:
        results = await source.fetch_many(requests)
    assert len(results) == len(requests)
    for request, result in zip(requests, results, strict=True):
        if request.person == STRANGER:
            assert isinstance(result, InvalidResponse)
        else:
            assert isinstance(result, Case)
            assert result.person == request.person
    stats = stub.admin.stats()
    assert stats["distinct_request_ids"] == len(requests)
    assert 2 <= stats["max_in_flight"] <= 4


@pytest.mark.anyio
async def test_a_batch_returns_transport_failures_in_place(stub: RunningStub) -> None:
    stub.admin.set_faults(error_rate=1.0, first=2)  # the first two requests fail
    requests = [make_request(p) for p in stub.persons[:5]]
    config = fast_config(stub.base_url, max_concurrency=1, retries=1)
    async with AsyncHttpSource(config) as source:
        results = await source.fetch_many(requests)
    assert [type(r).__name__ for r in results] == ["ServiceUnavailable"] * 2 + ["Case"] * 3
    assert isinstance(results[0], ServiceUnavailable)
    assert results[0].attempts == 1


@pytest.mark.anyio
async def test_an_empty_batch_is_empty(stub: RunningStub) -> None:
    async with AsyncHttpSource(fast_config(stub.base_url)) as source:
        assert await source.fetch_many([]) == []


def test_a_sync_batch_runs_threads_within_the_bound(stub: RunningStub) -> None:
    stub.admin.set_faults(latency_ms=30)
    requests = _requests(stub, 10)
    with HttpSource(fast_config(stub.base_url)) as source:
        results = source.fetch_many(requests, max_concurrency=3)
    assert [r.person for r in results if isinstance(r, Case)] == [
        r.person for r in requests if r.person != STRANGER
    ]
    assert sum(isinstance(r, InvalidResponse) for r in results) == 1
    assert 2 <= stub.admin.stats()["max_in_flight"] <= 3


@pytest.mark.anyio
async def test_batches_and_single_fetches_agree(stub: RunningStub) -> None:
    requests = [make_request(p) for p in stub.persons[:6]]
    with HttpSource(fast_config(stub.base_url)) as sync_source:
        one_by_one = [sync_source.fetch(r) for r in requests]
    async with AsyncHttpSource(fast_config(stub.base_url)) as source:
        batch = await source.fetch_many(requests)
    for single, batched in zip(one_by_one, batch, strict=True):
        assert isinstance(batched, Case)
        for (name, a), (_, b) in zip(single.answers(), batched.answers(), strict=True):
            assert (name, a.status, a.value) == (name, b.status, b.value)
            assert a.status is not AnswerStatus.UNAVAILABLE
