"""The stub's OpenAPI description, exercised property-based (schemathesis) against the live
stub on loopback with faults off: no server errors, and every response as described."""

from __future__ import annotations

import re

import pytest
import schemathesis
from http_helpers import fast_config, make_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_http import HttpSource
from ssbx_http.stub import RunningStub, openapi_document, start_stub
from ssbx_http.wire import TEXT_PATTERN, has_text
from ssbx_model.information import AnswerStatus, InformationSet
from ssbx_model.purpose import Purpose, Role
from ssbx_model.testing import strategies as ss

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _operations(admin: bool) -> list[str]:
    """The labels ("POST /v1/cases/fetch") of the public or the admin operations."""
    labels = []
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if ("admin" in operation["tags"]) == admin:
                labels.append(f"{method.upper()} {path}")
    return labels


def _person_ids(known: list[str]) -> st.SearchStrategy[str]:
    """Valid identity numbers, half of them people the stub knows (so that both 200 and
    404 are reached): JSON Schema cannot say "valid date and check digit", so the
    description names the format ``ssbx-person-id`` and this strategy generates it."""
    synthetic = ss.person_ids().map(lambda p: p.reveal())
    return st.one_of(st.sampled_from(known), synthetic) if known else synthetic


def _exercise(base_url: str, label: str, known: list[str]) -> None:
    """Property-based calls of one operation (schemathesis's strategies, hypothesis's
    engine), each response checked against the description, server errors included.

    (schemathesis's own pytest integration with a lazily loaded schema does not run under
    pytest 9 yet, so the operation's strategy is driven here.)"""
    schemathesis.openapi.format("ssbx-person-id", _person_ids(known))
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operation = schema.find_operation_by_label(label)
    assert operation is not None

    @given(case=operation.as_strategy())
    @SETTINGS
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=base_url)

    call()


@pytest.mark.parametrize("label", _operations(admin=False))
def test_the_public_api_behaves_as_described(shared_stub: RunningStub, label: str) -> None:
    known = [p.reveal() for p in shared_stub.persons]
    _exercise(shared_stub.base_url, label, known)


@pytest.mark.parametrize("label", _operations(admin=True))
def test_the_admin_api_behaves_as_described(label: str) -> None:
    # On a stub of its own: random faults set through the admin API must not leak.
    with start_stub(persons=1) as stub:
        _exercise(stub.base_url, label, [])


def test_the_description_lists_the_models_vocabulary() -> None:
    schemas = openapi_document()["components"]["schemas"]
    request = schemas["FetchRequest"]["properties"]
    assert request["sets"]["items"]["enum"] == [s.value for s in InformationSet]
    assert request["purpose"]["enum"] == [p.value for p in Purpose]
    assert request["requester"]["properties"]["role"]["enum"] == [r.value for r in Role]
    faults = schemas["Faults"]["properties"]
    from ssbx_http.stub import Faults

    assert set(faults) == set(Faults().to_json())
    texts = [request["requester"]["properties"][k]["pattern"] for k in ("user", "organisation")]
    assert texts == [TEXT_PATTERN, TEXT_PATTERN]
    assert faults["unavailable_reason"]["pattern"] == TEXT_PATTERN


@given(st.text())
def test_the_text_pattern_and_its_python_twin_agree(text: str) -> None:
    assert has_text(text) == bool(re.search(TEXT_PATTERN, text))
    assert has_text(text + "\x1c\u0085\ufeff \t") == has_text(text)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_valid_request_gets_exactly_its_sets(
    shared_stub: RunningStub, data: st.DataObject
) -> None:
    person = data.draw(st.sampled_from(shared_stub.persons))
    sets = data.draw(st.frozensets(st.sampled_from(list(InformationSet)), min_size=1))
    body_format = data.draw(st.sampled_from(["xml", "json"]))
    with HttpSource(fast_config(shared_stub.base_url, body_format=body_format)) as source:
        case = source.fetch(make_request(person, sets))
    answered = {n for n, a in case.answers() if a.status is not AnswerStatus.NOT_REQUESTED}
    assert answered == sets
