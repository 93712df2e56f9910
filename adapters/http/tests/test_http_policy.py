"""Configuration, the request document, backoff, and how responses are read, without a
server (httpx.MockTransport answers)."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable

import attrs
import httpx
import pytest
from http_helpers import ON, SETS, fast_config, make_request
from hypothesis import given
from hypothesis import strategies as st

from ssbx_http import (
    HttpSource,
    HttpSourceConfig,
    InvalidResponse,
    RequestRejected,
    ServiceUnavailable,
    create_source,
)
from ssbx_http._codec import FORMATS, negotiate
from ssbx_http._policy import PERSON_NOT_FOUND, backoff_delay
from ssbx_http.wire import decode_request, encode_request
from ssbx_model.case import Case
from ssbx_model.clock import fixed_clock
from ssbx_model.errors import ValidationError
from ssbx_model.identity import Personnummer
from ssbx_model.information import Answer, AnswerStatus, InformationSet, Provenance
from ssbx_model.ports import FetchRequest, Requester
from ssbx_model.purpose import Purpose, Role
from ssbx_model.testing import strategies as ss

PERSON = Personnummer.parse("19900101-0017")
OTHER = Personnummer.parse("19121212-1212")
AT = dt.datetime(2024, 6, 3, 8, 0, tzinfo=dt.UTC)
PROVENANCE = Provenance("Arbetsförmedlingen", "ssbtx-af-1.0", AT)


# -- configuration -------------------------------------------------------------------------


def test_a_bad_configuration_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        HttpSourceConfig(
            "ftp://x",
            read_timeout=0,
            retries=0,
            max_concurrency=True,
            deadline=-1,
            municipality="Stockholm",
            body_format="yaml",
            client_key="k.pem",
        )
    assert set(caught.value.paths) == {
        "base_url",
        "read_timeout",
        "retries",
        "max_concurrency",
        "deadline",
        "municipality",
        "body_format",
        "client_key",
    }


@pytest.mark.parametrize(
    "url",
    ["http://ssbtx.example", "http://10.0.0.5:8080", "http://localhost.example", "http://0x7f.1"],
)
def test_plain_http_to_a_host_that_is_not_loopback_is_refused_whatever_the_flag(url: str) -> None:
    with pytest.raises(ValidationError, match=r"must be https://.*in clear") as caught:
        HttpSourceConfig(url, allow_plain_http_loopback=True)
    assert caught.value.paths == ["base_url"]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://127.8.9.10/api", "http://[::1]:80", "http://LOCALHOST"]
)
def test_plain_http_to_loopback_is_allowed_only_when_asked_for(url: str) -> None:
    with pytest.raises(ValidationError, match="allow_plain_http_loopback=True") as caught:
        HttpSourceConfig(url)
    assert caught.value.paths == ["base_url"]
    assert HttpSourceConfig(url, allow_plain_http_loopback=True).base_url == url


def test_a_client_certificate_with_plain_http_is_refused_even_to_loopback() -> None:
    with pytest.raises(ValidationError, match="client_cert is set: mutual TLS needs https") as c:
        HttpSourceConfig(
            "http://127.0.0.1:8443", client_cert="client.pem", allow_plain_http_loopback=True
        )
    assert c.value.paths == ["base_url"]
    assert HttpSourceConfig("https://127.0.0.1:8443", client_cert="client.pem").client_cert


def test_the_plain_http_flag_must_be_a_boolean() -> None:
    with pytest.raises(ValidationError) as caught:
        HttpSourceConfig("http://127.0.0.1", allow_plain_http_loopback="yes")  # type: ignore[arg-type]
    assert set(caught.value.paths) == {"allow_plain_http_loopback", "base_url"}


def test_the_registry_factory_applies_the_plain_http_rule() -> None:
    with pytest.raises(ValidationError, match="allow_plain_http_loopback"):
        create_source("http://127.0.0.1:1")
    with create_source("http://127.0.0.1:1", allow_plain_http_loopback=True) as source:
        assert source.config.allow_plain_http_loopback is True


def test_timeouts_are_cut_to_the_time_left() -> None:
    config = HttpSourceConfig(
        "https://127.0.0.1:1", connect_timeout=5, read_timeout=30, write_timeout=10
    )
    assert config.timeout().read == 30
    cut = config.timeout(remaining=0.25)
    assert (cut.connect, cut.read, cut.write, cut.pool) == (0.25, 0.25, 0.25, 0.25)
    assert config.fetch_url == "https://127.0.0.1:1/v1/cases/fetch"
    assert HttpSourceConfig("https://h/api/").fetch_url == "https://h/api/v1/cases/fetch"


# -- the request document --------------------------------------------------------------------


@given(
    person=ss.person_ids(),
    sets=st.frozensets(st.sampled_from(list(InformationSet)), min_size=1),
    purpose=st.sampled_from(list(Purpose)),
    role=st.sampled_from(list(Role)),
    on=st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)),
)
def test_the_request_document_round_trips(
    person: Personnummer, sets: frozenset[InformationSet], purpose: Purpose, role: Role, on: dt.date
) -> None:
    request = FetchRequest(person, sets, purpose, on, Requester("u", role, "0180"))
    assert decode_request(encode_request(request)) == request


def test_a_bad_request_document_lists_its_problems_without_the_number() -> None:
    body = json.dumps(
        {
            "person": "19900101-0018",  # wrong check digit
            "purpose": "curiosity",
            "on": "2024-13-01",
            "sets": ["enrolment", "enrolment", "gossip"],
            "requester": {"user": "", "role": "socialsekreterare", "extra": 1},
            "colour": "blue",
        }
    ).encode()
    with pytest.raises(ValidationError) as caught:
        decode_request(body)
    assert set(caught.value.paths) == {
        "colour",
        "person",
        "purpose",
        "on",
        "sets[1]",
        "sets[2]",
        "requester.extra",
        "requester.user",
        "requester.organisation",
    }
    assert "0018" not in str(caught.value)


@pytest.mark.parametrize("body", [b"", b"[]", b"{", b"\xff", b'"x"'])
def test_a_body_that_is_no_json_object_is_one_problem(body: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        decode_request(body)
    assert caught.value.paths == [""]


def test_negotiation_prefers_xml() -> None:
    assert negotiate("") is FORMATS["xml"]
    assert negotiate("*/*") is FORMATS["xml"]
    assert negotiate("application/json, application/problem+json") is FORMATS["json"]
    assert negotiate("application/json, application/xml") is FORMATS["xml"]


# -- backoff -------------------------------------------------------------------------------


@given(
    attempt=st.integers(1, 40),
    base=st.floats(0.001, 2),
    cap=st.floats(0.001, 30),
    seed=st.integers(0, 2**32),
)
def test_full_jitter_stays_within_the_exponential_bound(
    attempt: int, base: float, cap: float, seed: int
) -> None:
    config = HttpSourceConfig("https://h", backoff_base=base, backoff_max=cap)
    bound = min(cap, base * 2 ** (attempt - 1))
    delay = backoff_delay(attempt, config, random.Random(seed))
    assert 0 <= delay <= bound
    exact = attrs.evolve(config, jitter=False)
    assert backoff_delay(attempt, exact, random.Random(seed)) == bound


def test_retry_after_raises_the_wait_up_to_the_cap() -> None:
    config = HttpSourceConfig("https://h", backoff_base=0.1, backoff_max=2.0, jitter=False)
    assert backoff_delay(1, config, random.Random(), retry_after=1.5) == 1.5
    assert backoff_delay(1, config, random.Random(), retry_after=60) == 2.0


# -- reading responses ---------------------------------------------------------------------


def _case(person: Personnummer = PERSON, **answers: Answer[object]) -> Case:
    return Case(person=person, municipality="1287", **answers)  # type: ignore[arg-type]


def _source(
    handler: Callable[[httpx.Request], httpx.Response], **overrides: object
) -> tuple[HttpSource, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    config = fast_config("https://ssbtx.test", body_format="json", **overrides)
    return HttpSource(config, transport=httpx.MockTransport(record), clock=fixed_clock(AT)), seen


def _answer_with(case: Case, status: int = 200) -> Callable[[httpx.Request], httpx.Response]:
    body = FORMATS["json"].dumps(case)
    return lambda _: httpx.Response(status, content=body)


def test_the_number_travels_only_in_the_body() -> None:
    case = _case(enrolment=Answer.absent(PROVENANCE), activity_reports=Answer.absent(PROVENANCE))
    source, seen = _source(_answer_with(case))
    source.fetch(make_request(PERSON))
    (request,) = seen
    clear, short = PERSON.reveal(), PERSON.reveal().replace("-", "")
    assert request.method == "POST"
    assert request.url.path == "/v1/cases/fetch"
    assert clear not in str(request.url)
    assert short not in str(request.url)
    assert not any(clear in v or short in v for v in request.headers.values())
    document = json.loads(request.content)
    assert document["person"] == clear
    assert document["purpose"] == "social-assistance"
    assert document["on"] == ON.isoformat()
    assert document["sets"] == sorted(s.value for s in SETS)
    assert document["requester"]["role"] == "socialsekreterare"


def test_an_answer_about_another_person_is_refused_not_retried() -> None:
    case = _case(OTHER, enrolment=Answer.absent(), activity_reports=Answer.absent())
    source, seen = _source(_answer_with(case))
    with pytest.raises(InvalidResponse, match="another person") as caught:
        source.fetch(make_request(PERSON))
    assert caught.value.cause_type == "PersonMismatch"
    assert len(seen) == 1
    assert OTHER.reveal() not in str(caught.value)


def test_an_answer_that_leaves_a_requested_set_out_is_never_a_partial_case() -> None:
    source, seen = _source(_answer_with(_case(enrolment=Answer.absent(PROVENANCE))))
    with pytest.raises(InvalidResponse, match="activity_reports") as caught:
        source.fetch(make_request(PERSON))
    assert caught.value.cause_type == "PartialAnswer"
    assert len(seen) == 1


def test_sets_not_asked_for_are_dropped_and_answers_pass_through_as_sent() -> None:
    case = _case(
        enrolment=Answer.absent(),
        activity_reports=Answer.absent(PROVENANCE),
        disability_codes=Answer.absent(PROVENANCE),
        reference="vendor-ref-1",
    )
    source, _ = _source(_answer_with(case))
    got = source.fetch(make_request(PERSON))
    assert got.disability_codes.status is AnswerStatus.NOT_REQUESTED
    assert got.reference is None
    assert got.activity_reports == case.activity_reports
    assert got.enrolment == case.enrolment  # no provenance invented


def test_a_404_without_the_person_not_found_problem_is_a_rejection() -> None:
    # A wrong base URL must not make everybody "not found".
    source, _ = _source(lambda _: httpx.Response(404, text="Not Found"))
    with pytest.raises(RequestRejected) as caught:
        source.fetch(make_request(PERSON))
    assert caught.value.status_code == 404


def test_a_404_with_the_person_not_found_problem_is_not_found() -> None:
    problem = {"type": PERSON_NOT_FOUND, "title": "Person not found", "status": 404}
    source, _ = _source(
        lambda _: httpx.Response(
            404, json=problem, headers={"content-type": "application/problem+json"}
        )
    )
    case = source.fetch(make_request(PERSON))
    assert case.enrolment.status is AnswerStatus.NOT_FOUND
    assert case.enrolment.provenance == Provenance(
        "Arbetsförmedlingen",
        case.enrolment.provenance.schema_version,
        AT,  # type: ignore[union-attr]
    )


@pytest.mark.parametrize("status", [201, 204, 301, 302, 304])
def test_other_statuses_are_invalid_and_not_retried(status: int) -> None:
    source, seen = _source(lambda _: httpx.Response(status, headers={"location": "http://x/"}))
    with pytest.raises(InvalidResponse):
        source.fetch(make_request(PERSON))
    assert len(seen) == 1


def test_a_5xx_is_retried_with_retry_after_honoured() -> None:
    answers = iter([httpx.Response(503, headers={"retry-after": "0.01"})] * 2)
    case = _case(enrolment=Answer.absent(PROVENANCE), activity_reports=Answer.absent(PROVENANCE))
    good = _answer_with(case)

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or good(request)

    source, seen = _source(handler)
    assert source.fetch(make_request(PERSON)).enrolment.status is AnswerStatus.ABSENT
    assert [r.headers["ssbx-attempt"] for r in seen] == ["1", "2", "3"]
    assert len({r.headers["ssbx-request-id"] for r in seen}) == 1


def test_a_response_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from ssbx_http import client

    monkeypatch.setattr(client, "MAX_RESPONSE_BYTES", 10)
    source, seen = _source(lambda _: httpx.Response(200, content=b" " * 100))
    with pytest.raises(InvalidResponse, match="larger than"):
        source.fetch(make_request(PERSON))
    assert len(seen) == 1


def test_every_failed_attempt_is_retried_up_to_the_limit_only() -> None:
    source, seen = _source(lambda _: httpx.Response(502), retries=4)
    with pytest.raises(ServiceUnavailable) as caught:
        source.fetch(make_request(PERSON))
    assert len(seen) == caught.value.attempts == 4
