"""The stub itself: its data, its API, its fault dice, its command line and fixtures."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import attrs
import httpx
import pytest
from http_helpers import ON, SETS, make_request
from hypothesis import given
from hypothesis import strategies as st

from ssbx_http._codec import FORMATS
from ssbx_http.stub import CaseBook, Faults, RunningStub, StubState, create_app
from ssbx_http.stub.data import answer
from ssbx_http.stub.faults import FaultInjector
from ssbx_http.wire import encode_request
from ssbx_model.errors import ValidationError
from ssbx_model.identity import Personnummer
from ssbx_model.information import Answer, AnswerStatus, InformationSet

AT = dt.datetime(2024, 6, 3, 8, 0, tzinfo=dt.UTC)

# -- data ----------------------------------------------------------------------------------


def test_synthetic_data_is_deterministic_and_fictitious() -> None:
    one = CaseBook.synthetic(seed=3, persons=12)
    two = CaseBook.synthetic(seed=3, persons=12)
    other = CaseBook.synthetic(seed=4, persons=12)
    assert one.persons() == two.persons()
    assert list(one) == list(two)
    assert one.persons() != other.persons()
    assert len(one) == 12
    # Skatteverket's test range of birth numbers: nobody real.
    assert all(980 <= int(p.reveal()[9:12]) <= 999 for p in one.persons())


def test_a_directory_of_case_files_is_served(tmp_path: Path, body_format: str) -> None:
    cases = list(CaseBook.synthetic(seed=1, persons=3))
    codec = FORMATS[body_format]
    for i, case in enumerate(cases):
        (tmp_path / f"case{i}.{body_format}").write_bytes(codec.dumps(case))
    (tmp_path / "notes.txt").write_text("ignored")
    book = CaseBook.from_directory(tmp_path)
    assert book.persons() == [c.person for c in cases]


def test_a_bad_directory_names_each_bad_file(tmp_path: Path) -> None:
    case = next(iter(CaseBook.synthetic(seed=1, persons=1)))
    (tmp_path / "a.json").write_bytes(FORMATS["json"].dumps(case))
    (tmp_path / "b.json").write_bytes(FORMATS["json"].dumps(case))
    (tmp_path / "c.json").write_text("{not json")
    with pytest.raises(ValidationError) as caught:
        CaseBook.from_directory(tmp_path)
    assert caught.value.paths == ["c.json"]
    (tmp_path / "c.json").unlink()
    with pytest.raises(ValidationError, match="repeats"):
        CaseBook.from_directory(tmp_path)
    with pytest.raises(ValidationError, match="not a directory"):
        CaseBook.from_directory(tmp_path / "missing")


def test_the_answer_holds_exactly_the_requested_sets() -> None:
    stored = next(iter(CaseBook.synthetic(seed=2, persons=1)))
    sets = frozenset({InformationSet.ENROLMENT, InformationSet.KAA_REGISTER})
    case = answer(
        stored,
        make_request(stored.person, sets),
        at=AT,
        unavailable=frozenset({InformationSet.KAA_REGISTER}),
        unavailable_reason="down",
    )
    assert case.interventions == ()
    for name, got in case.answers():
        if name not in sets:
            assert got.status is AnswerStatus.NOT_REQUESTED
            continue
        assert got.provenance is not None
    assert case.kaa_register.status is AnswerStatus.UNAVAILABLE
    assert case.kaa_register.reason == "down"
    assert case.kaa_register.provenance.fetched_at == AT  # type: ignore[union-attr]
    if stored.enrolment.status is AnswerStatus.NOT_REQUESTED:
        assert case.enrolment.status is AnswerStatus.NOT_FOUND
        assert case.enrolment.provenance.fetched_at == AT  # type: ignore[union-attr]
    else:
        assert case.enrolment == stored.enrolment  # served as stored, provenance included


def test_the_stub_and_the_memory_source_give_every_set_the_same_status() -> None:
    """A set the stored case does not hold is *not found* in both reference sources,
    never *absent* in one of them (absent can turn a rule's unknown into eligible)."""
    from ssbx_model.memory import MemoryInformationSource

    stored = attrs.evolve(
        next(iter(CaseBook.synthetic(seed=2, persons=1))),
        enrolment=Answer.not_requested(),
        permits=Answer.absent(),
    )
    request = make_request(stored.person, frozenset(InformationSet))
    from_stub = answer(stored, request, at=AT)
    from_memory = MemoryInformationSource([stored]).fetch(request)
    statuses = {name: got.status for name, got in from_stub.answers()}
    assert statuses == {name: got.status for name, got in from_memory.answers()}
    assert statuses[InformationSet.ENROLMENT] is AnswerStatus.NOT_FOUND
    assert statuses[InformationSet.PERMITS] is AnswerStatus.ABSENT
    assert from_stub.interventions == from_memory.interventions == ()


# -- faults --------------------------------------------------------------------------------


def test_faults_from_json_list_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        Faults.from_json(
            {
                "error_rate": 2,
                "latency_ms": -1,
                "error_status": 200,
                "malformed_kind": "odd",
                "unavailable_sets": ["enrolment", "gossip"],
                "first": -1,
                "volume": 11,
            }
        )
    assert set(caught.value.paths) == {
        "error_rate",
        "latency_ms",
        "error_status",
        "malformed_kind",
        "unavailable_sets[1]",
        "first",
        "volume",
    }


@given(st.dictionaries(st.text(max_size=20), st.none() | st.booleans() | st.integers() | st.text()))
def test_any_json_object_is_faults_or_a_validation_error(document: dict[str, object]) -> None:
    try:
        faults = Faults.from_json(document)
    except ValidationError:
        return
    assert Faults.from_json(faults.to_json()) == faults


def test_faults_hit_only_the_first_k_fetches_and_the_dice_are_seeded() -> None:
    injector = FaultInjector(Faults(error_rate=1.0, first=2))
    assert [injector.draw().failure for _ in range(4)] == ["error", "error", None, None]
    injector.set(Faults(error_rate=1.0, first=1))  # counting restarts
    assert injector.draw().failure == "error"

    def dice(seed: int) -> list[str | None]:
        injector.set(Faults(seed=seed, reset_rate=0.3, error_rate=0.3, latency_jitter_ms=5))
        return [injector.draw().failure for _ in range(50)]

    assert dice(5) == dice(5)
    assert set(dice(5)) == {"reset", "error", None}


# -- the API, in-process -----------------------------------------------------------------


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The stub app in-process, through httpx's ASGI transport."""
    book = CaseBook.synthetic(seed=0, persons=5)
    transport = httpx.ASGITransport(create_app(StubState(book)))
    async with httpx.AsyncClient(transport=transport, base_url="http://stub") as http:
        yield http


async def _apost(client: httpx.AsyncClient, body: bytes, **headers: str) -> httpx.Response:
    merged = {"content-type": "application/json"} | headers
    return await client.post("/v1/cases/fetch", content=body, headers=merged)


def _post(client: httpx.Client, body: bytes, **headers: str) -> httpx.Response:
    merged = {"content-type": "application/json"} | headers
    return client.post("/v1/cases/fetch", content=body, headers=merged)


@pytest.mark.anyio
async def test_health_and_openapi_are_served() -> None:
    book = CaseBook.synthetic(seed=0, persons=5)
    app = create_app(StubState(book))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://stub"
    ) as client:
        health = (await client.get("/v1/health")).json()
        openapi = (await client.get("/openapi.json")).json()
    assert health == {
        "status": "ok",
        "cases": 5,
        "data": "synthetic: seed 0, 5 persons, 2024-06-03",
        "faults_active": False,
    }
    assert "/v1/cases/fetch" in openapi["paths"]


@pytest.mark.anyio
async def test_an_invalid_request_gets_422_with_paths_and_never_the_number(
    client: httpx.AsyncClient,
) -> None:
    person = CaseBook.synthetic(seed=0, persons=5).persons()[0]
    document = json.loads(encode_request(make_request(person)))
    document["person"] = document["person"][:-1] + str((int(document["person"][-1]) + 1) % 10)
    document["sets"] = []
    response = await _apost(client, json.dumps(document).encode())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problems = response.json()["problems"]
    assert {p["path"] for p in problems} == {"person", "sets"}
    detail = response.json()["detail"]
    assert detail.startswith("2 problems: ")
    assert all(f"{p['path']}: {p['message']}" in detail for p in problems)
    assert document["person"] not in response.text
    assert document["person"][:8] not in response.text


@pytest.mark.anyio
async def test_bad_requests_get_the_right_status(client: httpx.Client) -> None:
    assert (await _apost(client, b"{")).status_code == 400
    assert (await _apost(client, b"{}", **{"content-type": "text/plain"})).status_code == 415
    assert (await _apost(client, b"x" * (65 * 1024))).status_code == 413
    assert (await client.get("/v1/cases/fetch")).status_code == 405


@pytest.mark.anyio
async def test_the_admin_api_sets_faults_and_counts(client: httpx.Client) -> None:
    bad = await client.post("/v1/_faults", json={"error_rate": 7})
    assert bad.status_code == 422
    assert [p["path"] for p in bad.json()["problems"]] == ["error_rate"]
    assert bad.json()["detail"].startswith("1 problem: error_rate: ")
    assert (await client.post("/v1/_faults", content=b"{")).status_code == 422
    set_ = await client.post("/v1/_faults", json={"error_rate": 1.0, "error_status": 502})
    assert set_.json()["error_status"] == 502
    assert (await client.get("/v1/health")).json()["faults_active"] is True
    person = CaseBook.synthetic(seed=0, persons=5).persons()[0]
    assert (await _apost(client, encode_request(make_request(person)))).status_code == 502
    stats = (await client.get("/v1/_stats")).json()
    assert stats["fetch_requests"] == 1
    assert stats["responses"] == {"502": 1}
    assert stats["faults"] == {"error": 1}
    assert (await client.delete("/v1/_faults")).json() == Faults().to_json()
    assert (await client.delete("/v1/_stats")).json()["fetch_requests"] == 0


@pytest.mark.anyio
async def test_the_stub_answers_in_the_format_asked_for(client: httpx.Client) -> None:
    person = CaseBook.synthetic(seed=0, persons=5).persons()[1]
    body = encode_request(make_request(person))
    as_json = await _apost(client, body, accept="application/json")
    assert as_json.headers["content-type"].startswith("application/json")
    case = FORMATS["json"].loads(as_json.content)
    assert {n for n, a in case.answers() if a.status is not AnswerStatus.NOT_REQUESTED} == SETS


# -- fixtures, command line ------------------------------------------------------------


def test_the_pytest_fixture_serves_on_loopback(ssbx_stub: RunningStub) -> None:
    assert ssbx_stub.base_url.startswith("http://127.0.0.1:")
    assert ssbx_stub.admin.health()["cases"] == 50
    assert len(ssbx_stub.persons) == 50


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ssbx_http.stub.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_cli_prints_the_openapi_description_and_the_roster() -> None:
    openapi = _cli("openapi")
    assert openapi.returncode == 0
    assert json.loads(openapi.stdout)["openapi"].startswith("3.")
    roster = _cli("persons", "--seed", "2", "--persons", "4")
    assert roster.returncode == 0
    expected = [p.reveal() for p in CaseBook.synthetic(seed=2, persons=4).persons()]
    assert roster.stdout.split() == expected


def test_the_cli_refuses_bad_data_with_exit_code_2(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{")
    result = _cli("serve", "--port", "0", "--data", str(tmp_path))
    assert result.returncode == 2
    assert "broken.json" in result.stderr
    half_tls = _cli("serve", "--port", "0", "--tls-cert", "server.pem")
    assert half_tls.returncode == 2
    assert "--tls-key" in half_tls.stderr
    bad_faults = _cli("serve", "--port", "0", "--error-rate", "3")
    assert bad_faults.returncode == 2
    assert "error_rate" in bad_faults.stderr


def test_the_cli_serves_with_faults_until_stopped() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ssbx_http.stub.cli",
            "serve",
            "--port",
            "0",
            "--persons",
            "3",
            "--unavailable-set",
            "activity_reports",
            "--error-rate",
            "1",
            "--error-status",
            "500",
            "--faults-first",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ssbx-stub: serving synthetic: seed 0, 3 persons")
        url = line.rsplit(" at ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        person = CaseBook.synthetic(seed=0, persons=3).persons()[0]
        body = encode_request(make_request(person))
        with httpx.Client(base_url=url, timeout=10) as http:
            for _ in range(100):  # the line is printed just before uvicorn listens
                try:
                    first = _post(http, body)
                    break
                except httpx.ConnectError:
                    import time

                    time.sleep(0.05)
            second = _post(http, body, accept="application/json")
            faults = http.get("/v1/_faults").json()
        # --faults-first 1 limits every fault, the unavailable set included, to one fetch.
        assert first.status_code == 500
        assert second.status_code == 200
        assert faults["unavailable_sets"] == ["activity_reports"]
        assert faults["first"] == 1
        case = FORMATS["json"].loads(second.content)
        assert case.activity_reports.status is not AnswerStatus.UNAVAILABLE
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.anyio
async def test_unknown_people_get_the_person_not_found_problem(client: httpx.Client) -> None:
    stranger = Personnummer.parse("19121212-1212")
    response = await _apost(client, encode_request(make_request(stranger)))
    assert response.status_code == 404
    assert response.json()["type"] == "urn:ssbx:problem:person-not-found"
    assert "1212" not in response.text
    assert ON.isoformat() not in response.text
