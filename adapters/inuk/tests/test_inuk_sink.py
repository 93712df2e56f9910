"""The INUK sink against httpx's mock transport: chunks, keys, retries, refusals."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable

import httpx
import pytest
from ssbx_inuk import InukSink, create_sink

from ssbx_model.clock import fixed_clock
from ssbx_model.errors import AdapterError, TransportError
from ssbx_model.identity import Personnummer
from ssbx_model.ports import ReportPayload
from ssbx_model.registry import load_adapter
from ssbx_model.testing.conformance import identity_forms

AT = dt.datetime(2024, 4, 3, 9, 0, tzinfo=dt.UTC)
KEY = "inuk-2024-03-1287-abc"


def inuk_payload(n: int = 5) -> ReportPayload:
    body = {
        "format": "ssbx-inuk/1",
        "report": "inuk",
        "period": "2024-03",
        "municipality": "1287",
        "records": [{"record_id": f"r{i:03d}", "person": f"pk_{i}"} for i in range(n)],
    }
    return ReportPayload(
        "inuk", "2024-03", "1287", "application/json", json.dumps(body).encode(), n
    )


Handler = Callable[[httpx.Request], httpx.Response]


class Endpoint:
    """Records requests; answers chunks and commits, or what ``script`` says first."""

    def __init__(self, *script: int | Exception) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            return httpx.Response(step, json={"error": "scripted"}, headers={"Retry-After": "7"})
        if request.url.path.endswith("/submissions"):
            return httpx.Response(201, json={"receipt": "R-1"})
        return httpx.Response(200, json={"accepted": 1})


def sink(endpoint: Endpoint, sleeps: list[float] | None = None, **options: object) -> InukSink:
    waits = sleeps if sleeps is not None else []
    return InukSink(
        "https://inuk.test/api/",
        transport=httpx.MockTransport(endpoint),
        clock=fixed_clock(AT),
        sleep=waits.append,
        **options,  # type: ignore[arg-type]
    )


def test_records_go_in_chunks_each_with_its_own_key_then_a_commit() -> None:
    endpoint = Endpoint()
    receipt = sink(endpoint, chunk_size=2).submit(inuk_payload(5), idempotency_key=KEY)
    paths = [r.url.path for r in endpoint.requests]
    assert paths == ["/api/v1/municipalities/1287/months/2024-03/records"] * 3 + [
        "/api/v1/municipalities/1287/months/2024-03/submissions"
    ]
    keys = [r.headers["Idempotency-Key"] for r in endpoint.requests]
    assert keys == [f"{KEY}.1-3", f"{KEY}.2-3", f"{KEY}.3-3", KEY]
    sent = [rec for r in endpoint.requests[:3] for rec in json.loads(r.content)["records"]]
    assert [r["record_id"] for r in sent] == [f"r{i:03d}" for i in range(5)]
    commit = json.loads(endpoint.requests[3].content)
    assert commit["record_ids"] == [f"r{i:03d}" for i in range(5)]
    assert commit["content_hash"] == inuk_payload(5).content_hash
    assert (receipt.reference, receipt.accepted_at, receipt.duplicate) == ("R-1", AT, False)


def test_transient_failures_are_retried_with_backoff_and_retry_after() -> None:
    endpoint = Endpoint(httpx.ConnectError("refused"), 503)
    sleeps: list[float] = []
    sink(endpoint, sleeps, backoff=0.5, chunk_size=10).submit(inuk_payload(), idempotency_key=KEY)
    assert sleeps == [0.5, 7.0]  # backoff, then the endpoint's Retry-After
    assert [r.headers["Idempotency-Key"] for r in endpoint.requests[:3]] == [f"{KEY}.1-1"] * 3


def test_giving_up_says_the_submission_can_be_resent() -> None:
    endpoint = Endpoint(*[httpx.ReadTimeout("slow")] * 3)
    with pytest.raises(TransportError, match=r"after 3 tries.*sent again with the same key"):
        sink(endpoint, retries=2).submit(inuk_payload(), idempotency_key=KEY)
    assert len(endpoint.requests) == 3


def test_a_refusal_is_not_retried() -> None:
    endpoint = Endpoint(400)
    with pytest.raises(TransportError, match="refused the chunk 1 of 1: HTTP 400: scripted"):
        sink(endpoint).submit(inuk_payload(), idempotency_key=KEY)
    assert len(endpoint.requests) == 1


@pytest.mark.parametrize("body", [b"Created", b"", b"\xff\xfe not utf-8", b'{"receipt": '])
def test_a_commit_accepted_with_a_body_that_is_not_json_is_a_transport_error(body: bytes) -> None:
    def endpoint(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/submissions"):
            return httpx.Response(201, content=body, headers={"Content-Type": "text/plain"})
        return httpx.Response(200, json={"accepted": 1})

    s = InukSink("https://inuk.test/api/", transport=httpx.MockTransport(endpoint))
    with pytest.raises(TransportError, match=r"commit \(HTTP 201\).*not a JSON receipt") as caught:
        s.submit(inuk_payload(), idempotency_key=KEY)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_the_token_is_sent_but_never_shown() -> None:
    endpoint = Endpoint()
    s = sink(endpoint, token="s3cret-token")
    s.submit(inuk_payload(), idempotency_key=KEY)
    assert endpoint.requests[0].headers["Authorization"] == "Bearer s3cret-token"
    assert "s3cret" not in repr(s)


def test_only_inuk_reports_in_our_json_format_are_sent() -> None:
    s = sink(Endpoint())
    other = ReportPayload("kolada", "2024", "1287", "application/json", b"{}", 0)
    with pytest.raises(AdapterError, match="not 'kolada'"):
        s.submit(other, idempotency_key=KEY)
    as_csv = ReportPayload("inuk", "2024-03", "1287", "text/csv", b"a,b", 0)
    with pytest.raises(AdapterError, match="JSON form"):
        s.submit(as_csv, idempotency_key=KEY)
    broken = ReportPayload("inuk", "2024-03", "1287", "application/json", b'{"format": 1}', 0)
    with pytest.raises(AdapterError, match="format"):
        s.submit(broken, idempotency_key=KEY)


def test_the_adapter_is_found_by_name() -> None:
    endpoint = Endpoint()
    found = load_adapter(
        "inuk", base_url="https://inuk.test", transport=httpx.MockTransport(endpoint)
    )
    assert isinstance(found, InukSink)
    with pytest.raises(TypeError, match="colour"):
        create_sink(base_url="https://inuk.test", colour="red")
    with pytest.raises(ValueError, match="retries"):
        InukSink("https://inuk.test", retries=-1)


def test_the_endpoints_text_is_logged_and_raised_with_identity_numbers_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    person = Personnummer.from_birth_date(dt.date(1986, 11, 23), 985)
    said = f"record for {person.reveal()} is locked"
    answers = iter([503, 400])

    def endpoint(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={"error": said})

    caplog.set_level(logging.DEBUG, logger="ssbx_inuk")
    s = InukSink("https://inuk.test/api/", transport=httpx.MockTransport(endpoint), sleep=[].append)
    with pytest.raises(TransportError) as caught:
        s.submit(inuk_payload(), idempotency_key=KEY)
    assert "record for 19861123-**** is locked" in str(caught.value)
    assert "record for 19861123-**** is locked" in caplog.text  # the 503 was logged
    shown = [str(caught.value), repr(caught.value), caplog.text]
    shown += [repr(r.args) for r in caplog.records]
    for form in identity_forms(person):
        assert not [text for text in shown if form in text]


def test_a_record_s_result_reaches_the_endpoint_as_the_report_wrote_it() -> None:
    # The INUK record carries the intervention's result in the month it ended (optional
    # key "result"): the sink passes every record through unchanged.
    body = json.loads(inuk_payload(2).body)
    body["records"][0]["result"] = "studier"
    payload = ReportPayload(
        "inuk", "2024-03", "1287", "application/json", json.dumps(body).encode(), 2
    )
    endpoint = Endpoint()
    sink(endpoint).submit(payload, idempotency_key=KEY)
    sent = json.loads(endpoint.requests[0].content)["records"]
    assert sent == body["records"]
    assert sent[0]["result"] == "studier"
    assert "result" not in sent[1]
