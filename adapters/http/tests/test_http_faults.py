"""The client against the real stub on loopback, with each fault switched on in turn.

Every fault is tried twice: limited to the first request (``first=1``), where the retry
must succeed and the stub must have counted exactly two requests; and permanent, where
the source must raise a typed error after exactly ``retries`` requests. Never is a
corrupt or partial Case returned.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from http_helpers import SETS, fast_config, make_request

from ssbx_http import (
    AsyncHttpSource,
    DeadlineExceeded,
    FetchError,
    HttpSource,
    InvalidResponse,
    RequestRejected,
    ServiceUnavailable,
)
from ssbx_http.stub import RunningStub
from ssbx_model.case import Case
from ssbx_model.errors import TransportError
from ssbx_model.information import AnswerStatus, InformationSet

# (fault settings, the error when it never stops, the cause type(s) it reports)
TRANSIENT_FAULTS: dict[str, tuple[dict[str, Any], type[FetchError], tuple[str, ...]]] = {
    "reset": ({"reset_rate": 1.0}, ServiceUnavailable, ("ReadError", "RemoteProtocolError")),
    "timeout": ({"timeout_rate": 1.0, "hang_s": 5.0}, ServiceUnavailable, ("ReadTimeout",)),
    "error": ({"error_rate": 1.0}, ServiceUnavailable, ("HTTP 503",)),
    "truncate": ({"truncate_rate": 1.0}, ServiceUnavailable, ("RemoteProtocolError",)),
    "cut": ({"cut_rate": 1.0}, InvalidResponse, ("XmlSyntaxError", "ValidationError")),
    "not-xml": (
        {"malformed_rate": 1.0, "malformed_kind": "not-xml"},
        InvalidResponse,
        ("XmlSyntaxError", "ValidationError"),
    ),
    "invalid-xml": (
        {"malformed_rate": 1.0, "malformed_kind": "invalid-xml"},
        InvalidResponse,
        ("XmlSyntaxError", "ValidationError"),
    ),
}


def assert_whole(case: Case, stub: RunningStub, sets: frozenset[InformationSet] = SETS) -> None:
    """The case answers exactly ``sets``, as the stub's register has them."""
    stored = stub.book.get(case.person)
    assert stored is not None
    for name, answer in case.answers():
        if name in sets:
            assert answer.status is not AnswerStatus.NOT_REQUESTED
            assert answer.provenance is not None
            expected = stored.answer(name)
            if expected.status is AnswerStatus.NOT_REQUESTED:
                # The stub holds no answer: not found, as every source says it (never
                # absent, which would claim the provider found nothing).
                assert answer.status is AnswerStatus.NOT_FOUND
            else:
                assert answer.status is expected.status
                assert answer.value == expected.value
        else:
            assert answer.status is AnswerStatus.NOT_REQUESTED


def test_fetch_returns_exactly_the_requested_sets(stub: RunningStub, body_format: str) -> None:
    request = make_request(stub.persons[0])
    with HttpSource(fast_config(stub.base_url, body_format=body_format)) as source:
        case = source.fetch(request)
    assert case.person == request.person
    assert case.municipality == stub.book.get(request.person).municipality  # type: ignore[union-attr]
    assert_whole(case, stub)
    assert stub.admin.stats()["fetch_requests"] == 1


@pytest.mark.parametrize("fault", list(TRANSIENT_FAULTS))
def test_a_transient_fault_on_the_first_request_is_retried(stub: RunningStub, fault: str) -> None:
    settings, _, _ = TRANSIENT_FAULTS[fault]
    stub.admin.set_faults(first=1, **settings)
    config = fast_config(stub.base_url, read_timeout=0.3)
    with HttpSource(config) as source:
        case = source.fetch(make_request(stub.persons[1]))
    assert_whole(case, stub)
    stats = stub.admin.stats()
    assert stats["fetch_requests"] == 2
    assert stats["distinct_request_ids"] == 1
    assert stats["attempts"] == {"1": 1, "2": 1}
    assert sum(stats["faults"].values()) == 1


@pytest.mark.parametrize("fault", list(TRANSIENT_FAULTS))
def test_a_lasting_fault_raises_after_every_attempt(stub: RunningStub, fault: str) -> None:
    settings, error, causes = TRANSIENT_FAULTS[fault]
    stub.admin.set_faults(**settings)
    config = fast_config(stub.base_url, read_timeout=0.3, retries=3)
    request = make_request(stub.persons[2])
    with HttpSource(config) as source, pytest.raises(error) as caught:
        source.fetch(request)
    assert isinstance(caught.value, TransportError)
    assert caught.value.attempts == 3
    assert caught.value.cause_type in causes
    assert stub.admin.stats()["fetch_requests"] == 3
    message = str(caught.value)
    assert "3 attempts" in message
    assert request.person.masked in message
    assert request.person.reveal() not in message


@pytest.mark.anyio
@pytest.mark.parametrize("fault", list(TRANSIENT_FAULTS))
async def test_the_async_source_retries_each_fault_too(stub: RunningStub, fault: str) -> None:
    settings, error, _ = TRANSIENT_FAULTS[fault]
    stub.admin.set_faults(first=1, **settings)
    config = fast_config(stub.base_url, read_timeout=0.3, retries=2)
    async with AsyncHttpSource(config) as source:
        case = await source.fetch(make_request(stub.persons[3]))
        assert_whole(case, stub)
        stub.admin.set_faults(**settings)
        with pytest.raises(error) as caught:
            await source.fetch(make_request(stub.persons[3]))
    assert caught.value.attempts == 2
    assert stub.admin.stats()["fetch_requests"] == 2 + 2


def test_a_reset_is_seen_by_the_client_as_a_connection_reset(stub: RunningStub) -> None:
    stub.admin.set_faults(reset_rate=1.0)
    config = fast_config(stub.base_url, retries=1)
    with HttpSource(config) as source, pytest.raises(ServiceUnavailable) as caught:
        source.fetch(make_request(stub.persons[2]))
    assert caught.value.cause_type == "ReadError"
    cause = caught.value.__cause__
    causes = []
    while cause is not None:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    assert any(isinstance(c, ConnectionResetError) for c in causes)


def test_a_well_formed_document_that_is_no_case_is_not_retried(stub: RunningStub) -> None:
    stub.admin.set_faults(malformed_rate=1.0, malformed_kind="invalid-case")
    with HttpSource(fast_config(stub.base_url)) as source, pytest.raises(InvalidResponse) as caught:
        source.fetch(make_request(stub.persons[4]))
    assert caught.value.attempts == 1
    assert stub.admin.stats()["fetch_requests"] == 1


@pytest.mark.parametrize("status", [400, 401, 403, 409, 422, 429])
def test_4xx_is_never_retried(stub: RunningStub, status: int) -> None:
    stub.admin.set_faults(error_rate=1.0, error_status=status)
    with HttpSource(fast_config(stub.base_url)) as source, pytest.raises(RequestRejected) as c:
        source.fetch(make_request(stub.persons[5]))
    assert c.value.status_code == status
    assert c.value.attempts == 1
    assert stub.admin.stats()["fetch_requests"] == 1


def test_an_unavailable_provider_set_is_answered_unavailable_with_its_reason(
    stub: RunningStub, body_format: str
) -> None:
    reason = "AF:s register svarar inte"
    stub.admin.set_faults(
        unavailable_sets={InformationSet.ACTIVITY_REPORTS}, unavailable_reason=reason
    )
    with HttpSource(fast_config(stub.base_url, body_format=body_format)) as source:
        case = source.fetch(make_request(stub.persons[6]))
    reports = case.activity_reports
    assert reports.status is AnswerStatus.UNAVAILABLE
    assert reports.reason == reason
    assert reports.provenance is not None
    assert case.enrolment.status is not AnswerStatus.UNAVAILABLE
    assert stub.admin.stats()["fetch_requests"] == 1


def test_a_person_unknown_to_the_provider_is_not_found_in_every_set(
    stub: RunningStub,
) -> None:
    from ssbx_model.identity import Personnummer

    stranger = Personnummer.parse("19121212-1212")
    assert stub.book.get(stranger) is None
    with HttpSource(fast_config(stub.base_url)) as source:
        case = source.fetch(make_request(stranger, organisation="0180"))
    assert case.person == stranger
    assert case.municipality == "0180"
    for name, answer in case.answers():
        expected = AnswerStatus.NOT_FOUND if name in SETS else AnswerStatus.NOT_REQUESTED
        assert answer.status is expected
    assert stub.admin.stats()["fetch_requests"] == 1


def test_not_found_without_a_known_municipality_is_an_error(stub: RunningStub) -> None:
    from ssbx_model.identity import Personnummer

    stranger = Personnummer.parse("19121212-1212")
    config = fast_config(stub.base_url)
    with HttpSource(config) as source, pytest.raises(InvalidResponse, match="municipality"):
        source.fetch(make_request(stranger, organisation="Socialtjänsten"))
    with HttpSource(fast_config(stub.base_url, municipality="1287")) as source:
        assert source.fetch(make_request(stranger, organisation="x")).municipality == "1287"


def test_the_deadline_cuts_a_slow_answer(stub: RunningStub) -> None:
    stub.admin.set_faults(latency_ms=2000)
    config = fast_config(stub.base_url, deadline=0.5, read_timeout=30.0)
    started = time.monotonic()
    with HttpSource(config) as source, pytest.raises(DeadlineExceeded) as caught:
        source.fetch(make_request(stub.persons[7]))
    elapsed = time.monotonic() - started
    assert elapsed < 0.5 + 1.0  # generous margin on a shared machine
    assert caught.value.attempts == 1
    assert "deadline of 0.5 s" in str(caught.value)


@pytest.mark.anyio
async def test_the_async_deadline_cuts_a_slow_answer(stub: RunningStub) -> None:
    stub.admin.set_faults(latency_ms=2000)
    config = fast_config(stub.base_url, deadline=0.5, read_timeout=30.0)
    started = time.monotonic()
    async with AsyncHttpSource(config) as source:
        with pytest.raises(DeadlineExceeded):
            await source.fetch(make_request(stub.persons[7]))
    assert time.monotonic() - started < 0.5 + 1.0


def test_no_wait_is_started_that_would_end_after_the_deadline(stub: RunningStub) -> None:
    stub.admin.set_faults(error_rate=1.0)
    config = fast_config(
        stub.base_url, deadline=1.0, backoff_base=5.0, backoff_max=5.0, jitter=False
    )
    started = time.monotonic()
    with HttpSource(config) as source, pytest.raises(DeadlineExceeded) as caught:
        source.fetch(make_request(stub.persons[8]))
    assert time.monotonic() - started < 1.0
    assert caught.value.attempts == 1
    assert caught.value.cause_type == "HTTP 503"


def test_retries_stop_at_the_deadline_even_with_attempts_left(stub: RunningStub) -> None:
    stub.admin.set_faults(timeout_rate=1.0, hang_s=5.0)
    config = fast_config(stub.base_url, deadline=0.6, read_timeout=0.25, retries=10)
    started = time.monotonic()
    with HttpSource(config) as source, pytest.raises(DeadlineExceeded) as caught:
        source.fetch(make_request(stub.persons[9]))
    assert time.monotonic() - started < 0.6 + 1.0
    assert 2 <= caught.value.attempts <= 3
    assert stub.admin.stats()["fetch_requests"] == caught.value.attempts


def test_random_faults_never_yield_a_corrupt_case(stub: RunningStub) -> None:
    stub.admin.set_faults(
        seed=11,
        reset_rate=0.1,
        error_rate=0.1,
        truncate_rate=0.1,
        cut_rate=0.1,
        malformed_rate=0.1,
        malformed_kind="invalid-xml",
    )
    config = fast_config(stub.base_url, retries=2)
    outcomes: list[str] = []
    with HttpSource(config) as source:
        for person in stub.persons[:20]:
            try:
                case = source.fetch(make_request(person))
            except (ServiceUnavailable, InvalidResponse) as exc:
                outcomes.append(type(exc).__name__)
            else:
                assert_whole(case, stub)
                outcomes.append("ok")
    assert "ok" in outcomes
    stats = stub.admin.stats()
    assert stats["distinct_request_ids"] == 20
    assert stats["fetch_requests"] == 20 + sum(stats["faults"].values()) - outcomes.count(
        "ServiceUnavailable"
    ) - outcomes.count("InvalidResponse")


def test_a_stub_that_is_gone_is_a_connection_error(stub: RunningStub) -> None:
    from ssbx_http.stub import start_stub

    gone = start_stub(persons=1)
    url = gone.base_url
    gone.stop()
    source = HttpSource(fast_config(url, retries=2))
    with source, pytest.raises(ServiceUnavailable) as caught:
        source.fetch(make_request(stub.persons[0]))
    assert caught.value.cause_type == "ConnectError"
    assert caught.value.attempts == 2
