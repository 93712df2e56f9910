"""Text a provider sends (a reason, an element name, a problem's detail) reaches the
caller, the exception and the log with identity numbers masked."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable

import httpx
import pytest
from http_helpers import fast_config, make_request

from ssbx_http import FetchError, HttpSource
from ssbx_model.case import Case
from ssbx_model.codec import xml as cx
from ssbx_model.identity import Personnummer
from ssbx_model.information import Answer, AnswerStatus, Provenance
from ssbx_model.testing.conformance import identity_forms

PERSON = Personnummer.from_birth_date(dt.date(1986, 11, 23), 985)
OTHER = Personnummer.from_birth_date(dt.date(1979, 6, 2), 991)
AT = dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC)
AF = Provenance("Arbetsförmedlingen", "2.1", AT)


def _texts(error: BaseException | None) -> list[str]:
    texts = []
    while error is not None:
        texts += [str(error), repr(error)]
        error = error.__cause__ or error.__context__
    return texts


def _clear_forms_in(texts: list[str]) -> list[str]:
    return [f for p in (PERSON, OTHER) for f in identity_forms(p) if any(f in t for t in texts)]


def _source(handler: Callable[[httpx.Request], httpx.Response]) -> HttpSource:
    config = fast_config("https://ssbtx.test", retries=2)
    return HttpSource(config, transport=httpx.MockTransport(handler))


def test_a_reason_the_provider_gives_arrives_masked(caplog: pytest.LogCaptureFixture) -> None:
    case = Case(
        person=PERSON,
        municipality="1287",
        enrolment=Answer.unavailable("PLACEHOLDER", AF),
        activity_reports=Answer(AnswerStatus.ABSENT, provenance=AF),
    )
    said = f"register locked for {OTHER.reveal()} and {PERSON.reveal_short(AT.date())}"
    body = cx.dumps(case).replace(b"PLACEHOLDER", said.encode())
    caplog.set_level(logging.DEBUG)
    with _source(lambda request: httpx.Response(200, content=body)) as source:
        fetched = source.fetch(make_request(PERSON))
    assert fetched.enrolment.reason == "register locked for 19790602-**** and 861123-****"
    assert not _clear_forms_in([repr(fetched), repr(fetched.enrolment), caplog.text])


def test_names_in_a_broken_document_and_a_problem_detail_are_not_shown_in_clear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    digits = OTHER.reveal().replace("-", "")
    broken = f'<case xmlns="urn:ssbx:case:1" schemaVersion="1.0.0"><a{digits}></b></case>'
    problem = {"type": "about:blank", "title": "Forbidden", "detail": f"{OTHER.reveal()} denied"}
    responses = [
        httpx.Response(200, content=broken.encode()),
        httpx.Response(403, content=json.dumps(problem).encode()),
    ]
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    for response in responses:
        with _source(lambda request, r=response: r) as source:  # type: ignore[misc]
            with pytest.raises(FetchError) as caught:
                source.fetch(make_request(PERSON))
            errors.append(caught.value)
    texts = [t for e in errors for t in _texts(e)] + [caplog.text]
    assert any("19790602-****" in t for t in texts)  # the broken name, masked, in the cause
    assert not _clear_forms_in(texts)
