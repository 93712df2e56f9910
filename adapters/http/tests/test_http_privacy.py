"""No clear identity number in logs, error messages, URLs or headers, whatever goes wrong."""

from __future__ import annotations

import logging

import httpx
import pytest
from http_helpers import fast_config, make_request

from ssbx_http import FetchError, HttpSource
from ssbx_http.stub import CaseBook, StubServer, StubState
from ssbx_http.stub.admin import StubAdmin
from ssbx_model.identity import Personnummer

FAULTS = [
    {"reset_rate": 1.0},
    {"timeout_rate": 1.0, "hang_s": 2.0},
    {"error_rate": 1.0},
    {"error_rate": 1.0, "error_status": 403},
    {"truncate_rate": 1.0},
    {"cut_rate": 1.0},
    {"malformed_rate": 1.0, "malformed_kind": "invalid-case"},
    {"unavailable_sets": ["enrolment"]},
    {},
]


def _forms(person: Personnummer) -> list[str]:
    clear = person.reveal()
    return [clear, clear.replace("-", ""), clear[2:], clear[2:].replace("-", "")]


def _texts(error: BaseException | None) -> list[str]:
    texts = []
    while error is not None:
        texts += [str(error), repr(error)]
        error = error.__cause__ or error.__context__
    return texts


def test_nothing_logged_raised_or_sent_in_the_url_shows_the_number(
    caplog: pytest.LogCaptureFixture,
) -> None:
    book = CaseBook.synthetic(seed=5, persons=3)
    stranger = Personnummer.parse("19121212-1212")
    people = [*book.persons(), stranger]
    seen: list[httpx.Request] = []
    caplog.set_level(logging.DEBUG)
    with StubServer(StubState(book), access_log=True, log_level="debug") as server:
        admin = StubAdmin(server.base_url)
        transport = httpx.HTTPTransport()
        source = HttpSource(
            fast_config(server.base_url, read_timeout=0.3, retries=2),
            transport=transport,
        )
        source._client.event_hooks["request"].append(seen.append)
        errors: list[BaseException] = []
        with source:
            for faults in FAULTS:
                admin.set_faults(**faults)
                for person in people:
                    try:
                        source.fetch(make_request(person, organisation="Socialtjänsten"))
                    except FetchError as exc:
                        errors.append(exc)
        admin.close()
    assert errors
    assert seen
    logged = [r.getMessage() for r in caplog.records] + [caplog.text]
    exceptions = [t for e in errors for t in _texts(e)]
    wire = [str(r.url) for r in seen] + [f"{k}: {v}" for r in seen for k, v in r.headers.items()]
    assert any("fetch" in line for line in logged)  # the access log did run
    for person in people:
        for form in _forms(person):
            assert not [t for t in logged if form in t], form
            assert not [t for t in exceptions if form in t], form
            assert not [t for t in wire if form in t], form
