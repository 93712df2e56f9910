"""The XML codec: the same structure as JSON, strict reading with source lines, streaming,
versions and upgrades, and the round trip through both formats."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from codec_support import (
    DATA,
    PERSON,
    deregistered_case,
    minimal_case,
    paths_of,
    rich_case,
    xml_safe_text,
)
from hypothesis import given, settings
from lxml import etree

from ssbx_model.case import Case
from ssbx_model.codec import (
    NAMESPACE,
    SCHEMA_VERSION,
    Limits,
    _xml_read,
    register_upgrade,
    unregister_upgrade,
)
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import SchemaVersionError, ValidationError, XmlSyntaxError
from ssbx_model.testing import strategies as ss

_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<case xmlns="{NAMESPACE}" '
    f'schemaVersion="{SCHEMA_VERSION}">'
)


def _doc(body: str, head: str = _HEAD, tail: str = "</case>") -> bytes:
    return (head + body + tail).encode()


_MINIMAL = f"<person>{PERSON.reveal()}</person><municipality>1287</municipality>"


# -- structure and round trips -----------------------------------------------------------


def test_a_minimal_case_document() -> None:
    assert cx.dumps(minimal_case()) == _doc(_MINIMAL)


def test_lists_are_wrappers_of_elements_named_after_the_item_type() -> None:
    root = etree.fromstring(cx.dumps(rich_case()))
    ns = {"c": NAMESPACE}
    activities = root.findall(
        "c:program_decisions/c:value/c:program_decision/c:activities/c:activity", ns
    )
    assert len(activities) == 2
    assert [e.text for e in root.findall("c:consents/c:value/c:consent/c:scope/c:item", ns)] == [
        "social-assistance",
        "labour-market",
    ]
    # An empty list that differs from its default (None: not checked) is an empty wrapper.
    remarks = root.find("c:employer_checks/c:value/c:employer_check/c:payment_remarks", ns)
    assert remarks is not None
    assert len(remarks) == 0


def test_xml_and_json_carry_the_same_fields() -> None:
    def names(value: Any, into: set[str]) -> set[str]:
        if isinstance(value, dict):
            for key, item in value.items():
                into.add(key)
                names(item, into)
        elif isinstance(value, list):
            for item in value:
                names(item, into)
        return into

    json_fields = names(cj.loads.__globals__["_json"].loads(cj.dumps(rich_case()))["case"], set())
    xml_elements = {
        etree.QName(e).localname for e in etree.fromstring(cx.dumps(rich_case())).iter()
    }
    item_tags = {
        "consent",
        "program_decision",
        "activity",
        "item",
        "applicant_category_spell",
        "past_enrolment",
        "activity_support",
        "activity_report",
        "employer_check",
        "owner",
        "business_activity",
        "annual_income",
        "municipal_intervention",
        "case",
    }
    assert xml_elements - item_tags == json_fields


@pytest.mark.parametrize("make", [minimal_case, rich_case, deregistered_case])
def test_hand_built_cases_round_trip(make: Any) -> None:
    case = make()
    assert cx.loads(cx.dumps(case)) == case
    assert cx.loads(cx.dumps(case, pretty=True)) == case
    assert cx.loads(cx.dumps(case).decode()) == case


def test_the_fixture_files_are_the_hand_built_cases() -> None:
    assert cx.load(DATA / "case-1.0.0.xml") == rich_case()
    assert cx.load_many(DATA / "cases-1.0.0.xml") == [
        minimal_case(),
        rich_case(),
        deregistered_case(),
    ]


@settings(max_examples=60)
@given(ss.cases())
def test_any_case_round_trips_through_json_and_xml(case: Case) -> None:
    via_json = cj.loads(cj.dumps(case))
    assert via_json == case
    data = cx.dumps(via_json)
    assert cx.loads(data) == case
    assert cx.dumps(cx.loads(data)) == data


@settings(max_examples=40)
@given(ss.cases())
def test_the_reader_and_the_explaining_pass_build_the_same_case(case: Case) -> None:
    root = etree.fromstring(cx.dumps(case))
    problems: list[Any] = []
    visited = [0]
    assert _xml_read.read_case_fast(root, visited) == case
    assert len(visited) == 1  # the default limit is not added to the caller's list
    assert _xml_read.fast_checks_pass(root, visited[0] + 1, 1, 1 << 20)
    assert _xml_read.read_case_detailed(root, "case", problems, root=True) == case
    assert problems == []


_XML_TEXT = xml_safe_text()


@settings(max_examples=80)
@given(_XML_TEXT)
def test_any_text_xml_can_carry_round_trips_exactly(text: str) -> None:
    case = Case(person=PERSON, municipality="1287", reference=text)
    assert cx.loads(cx.dumps(case)) == case  # \r, ]]>, <, & and surrounding spaces survive
    assert cx.loads(cx.dumps(case, pretty=True)) == case


def test_a_canonical_document_is_never_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = _xml_read.read_case_detailed

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("detailed")
        return original(*args, **kwargs)

    monkeypatch.setattr(_xml_read, "read_case_detailed", spy)
    cx.loads(cx.dumps(rich_case(), pretty=True))
    cx.loads_many(cx.dumps_many([rich_case(), minimal_case()]))
    list(cx.iter_cases(io.BytesIO(cx.dumps_many([rich_case(), minimal_case()], pretty=True))))
    assert calls == []


# -- strictness, with paths and lines ----------------------------------------------------


def _problems(data: bytes) -> list[tuple[str, int | None]]:
    with pytest.raises(ValidationError) as info:
        cx.loads(data)
    return [(p.path, p.line) for p in info.value.problems]


def test_a_bad_value_carries_its_path_and_source_line() -> None:
    text = cx.dumps(rich_case(), pretty=True).decode()
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "<submitted_on>" in line)
    bad = text.replace("<submitted_on>2024-02-05<", "<submitted_on>2024-02-30<")
    assert _problems(bad.encode()) == [("case.activity_reports.value[0].submitted_on", number)]


def test_an_invariant_problem_carries_the_line_of_the_element_it_names() -> None:
    text = cx.dumps(rich_case(), pretty=True).decode()
    bad = text.replace("<end>2024-05-31</end>", "<end>2024-02-01</end>")
    lines = bad.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "<end>2024-02-01</end>" in line)
    assert _problems(bad.encode()) == [
        ("case.program_decisions.value[0].activities[1].period.end", number)
    ]


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        (_MINIMAL + "<nickname>x</nickname>", "case.nickname", "is not a field of Case"),
        (_MINIMAL + "<municipality>0180</municipality>", "case.municipality", "more than once"),
        (f"<person>{PERSON.reveal()}</person>", "case.municipality", "is required"),
        (
            _MINIMAL.replace("<municipality>", '<municipality code="1">'),
            "case.municipality",
            "attribute",
        ),
        (_MINIMAL + "stray text", "case", "text between"),
        (_MINIMAL.replace("1287</m", "12<b>8</b>7</m"), "case.municipality", "must hold text"),
        (
            _MINIMAL
            + "<consents><status>withheld</status><reason>x</reason><reason>y</reason></consents>",
            "case.consents.reason",
            "more than once",
        ),
        (
            _MINIMAL + "<interventions><intervention/></interventions>",
            "case.interventions[0]",
            "<municipal_intervention>",
        ),
        (_MINIMAL + '<reference xmlns="urn:other">x</reference>', "case", "not in namespace"),
        (
            _MINIMAL + "<unemployment_fund><status>known</status><value><member>1</member>"
            "<self_reported>true</self_reported></value></unemployment_fund>",
            "case.unemployment_fund.value.member",
            "true or false",
        ),
    ],
)
def test_what_the_schema_does_not_say_is_refused(body: str, path: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        cx.loads(_doc(body))
    assert paths_of(info.value) == [path]
    assert message in info.value.problems[0].message
    assert info.value.problems[0].line == 2


@pytest.mark.parametrize(
    "value",
    [" 1287", "2024-01-01 ", "+5", "05", "1e3"],
)
def test_scalar_text_is_taken_exactly_as_written(value: str) -> None:
    body = (
        _MINIMAL + f"<income><status>known</status><value><annual_income><year>{value}</year>"
        "<amount_sek>1</amount_sek><source>x</source></annual_income></value></income>"
    )
    with pytest.raises(ValidationError) as info:
        cx.loads(_doc(body))
    assert paths_of(info.value) == ["case.income.value[0].year"]


def test_the_root_must_be_a_case_document_of_a_known_version() -> None:
    with pytest.raises(ValidationError, match="root element"):
        cx.loads(b"<case>" + _MINIMAL.encode() + b"</case>")
    with pytest.raises(ValidationError, match="schemaVersion"):
        cx.loads(_doc(_MINIMAL, head=f'<case xmlns="{NAMESPACE}">'))
    with pytest.raises(ValidationError, match="unexpected attribute"):
        cx.loads(_doc(_MINIMAL, head=f'<case xmlns="{NAMESPACE}" schemaVersion="1.0.0" id="x">'))
    with pytest.raises(SchemaVersionError, match="namespace"):
        cx.loads(_doc(_MINIMAL, head=f'<case xmlns="{NAMESPACE}" schemaVersion="2.0.0">'))
    with pytest.raises(SchemaVersionError, match="newer"):
        cx.loads(_doc(_MINIMAL, head=f'<case xmlns="{NAMESPACE}" schemaVersion="1.3.0">'))
    assert (
        cx.loads(_doc(_MINIMAL, head=f'<case xmlns="{NAMESPACE}" schemaVersion="1.0.2">'))
        == minimal_case()
    )


def test_malformed_xml_gives_line_and_column() -> None:
    with pytest.raises(XmlSyntaxError) as info:
        cx.loads(
            b'<?xml version="1.0"?>\n<case xmlns="urn:ssbx:case:1">\n  <person>x</persn>\n</case>'
        )
    assert info.value.line == 3
    assert info.value.column is not None
    assert info.value.column > 1
    assert "line 3" in str(info.value)


def test_a_document_in_another_encoding_is_refused() -> None:
    latin = _doc(
        _MINIMAL,
        head='<?xml version="1.0" encoding="ISO-8859-1"?>'
        f'<case xmlns="{NAMESPACE}" schemaVersion="1.0.0">',
    )
    with pytest.raises(ValidationError, match="UTF-8"):
        cx.loads(latin)
    with pytest.raises(ValidationError, match="UTF-8"):
        cx.loads(_doc(_MINIMAL).decode().encode("utf-16"))


def test_loads_and_loads_many_read_their_kind_of_document() -> None:
    many = cx.dumps_many([minimal_case(), rich_case()])
    with pytest.raises(ValidationError, match="loads_many"):
        cx.loads(many)
    assert cx.loads_many(many) == [minimal_case(), rich_case()]
    assert cx.loads_many(cx.dumps(rich_case())) == [rich_case()]
    assert cx.loads_many(cx.dumps_many([])) == []


def test_a_many_case_document_reports_each_case_by_index() -> None:
    text = cx.dumps_many([minimal_case(), minimal_case(), rich_case()], pretty=True).decode()
    text = text.replace("<municipality>1287</municipality>", "<municipality>x</municipality>", 2)
    text = text.replace("</cases>", "<note>stray</note></cases>")
    with pytest.raises(ValidationError) as info:
        cx.loads_many(text.encode())
    assert paths_of(info.value) == ["cases[0].municipality", "cases[1].municipality", "cases[3]"]


def test_values_the_wire_cannot_carry_are_refused_when_writing() -> None:
    case = Case(person=PERSON, municipality="1287", reference="nul\x00")
    with pytest.raises(ValidationError) as info:
        cx.dumps(case)
    assert paths_of(info.value) == ["case.reference"]
    with pytest.raises(ValidationError):
        cx.dumps_many([minimal_case(), case])


# -- streaming -----------------------------------------------------------------------------


def test_iter_cases_streams_a_many_case_document(tmp_path: Any) -> None:
    cases = [minimal_case(), rich_case(), deregistered_case()]
    target = tmp_path / "cases.xml"
    assert cx.dump_many(iter(cases), target) == 3
    assert list(cx.iter_cases(target)) == cases
    assert list(cx.iter_cases(DATA / "cases-1.0.0.xml")) == cases
    assert list(cx.iter_cases(DATA / "case-1.0.0.xml")) == [rich_case()]


def test_iter_cases_drops_each_case_from_the_tree_once_built() -> None:
    class Trickle(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(256)

    data = cx.dumps_many([minimal_case()] * 50)
    seen: list[int] = []
    stream = cx._Stream(Trickle(data), Limits())
    for _ in stream.results():
        seen.append(len(stream.root))
    # Only the case just built and the few the parser read ahead stay in the tree.
    assert len(seen) == 50
    assert max(seen) <= 6


def test_a_bad_case_in_a_stream_raises_after_the_good_ones() -> None:
    text = cx.dumps_many([minimal_case(), rich_case(), minimal_case()], pretty=True).decode()
    text = text.replace("<year>2023</year>", "<year>twenty</year>")
    stream = cx.iter_cases(io.BytesIO(text.encode()))
    assert next(stream) == minimal_case()
    with pytest.raises(ValidationError) as info:
        next(stream)
    [problem] = info.value.problems
    assert problem.path == "cases[1].income.value[0].year"
    lines = text.splitlines()
    assert problem.line == 1 + next(i for i, line in enumerate(lines) if "twenty" in line)


def test_strays_between_streamed_cases_are_reported() -> None:
    data = cx.dumps_many([minimal_case(), minimal_case()]).replace(
        b"</case><case>", b"</case>text<junk/><case>"
    )
    results = list(cx.iter_results(io.BytesIO(data)))
    assert results[0] == minimal_case()
    assert results[-1] == minimal_case()
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert [p.path for e in errors for p in e.problems] == ["cases", "cases[1]"]


@pytest.mark.parametrize(
    ("start", "end"),
    [(b"<junk>", b"</junk>"), (b'<o:case xmlns:o="urn:other">', b"</o:case>")],
)
def test_an_element_that_holds_case_fields_is_not_a_case(start: bytes, end: bytes) -> None:
    data = cx.dumps_many([minimal_case()]).replace(b"<case>", start).replace(b"</case>", end)
    with pytest.raises(ValidationError) as info:
        cx.loads_many(data)
    assert paths_of(info.value) == ["cases[0]"]
    results = list(cx.iter_results(io.BytesIO(data)))
    assert len(results) == 1
    assert isinstance(results[0], ValidationError)
    assert paths_of(results[0]) == ["cases[0]"]


def test_a_stream_whose_root_is_not_a_case_document_is_refused() -> None:
    with pytest.raises(ValidationError, match="root element"):
        list(cx.iter_cases(io.BytesIO(b"<other><case/></other>")))
    with pytest.raises(ValidationError, match="root element"):
        list(cx.iter_cases(io.BytesIO(b"<other/>")))


# -- versions and upgrades -----------------------------------------------------------------


def _rename_municipality_json(case: dict[str, Any]) -> dict[str, Any]:
    case["municipality"] = case.pop("municipality_code")
    return case


def _rename_municipality_xml(case: Any) -> Any:
    old = "{urn:ssbx:case:0}"
    for el in case.iter(old + "municipality_code"):
        el.tag = old + "municipality"
    return cx.move_to_namespace(case, NAMESPACE)


@pytest.fixture
def upgrades() -> Iterator[None]:
    """The 0.9.0 -> 1.0.0 upgrade of the older fixtures (0.9.0 named the municipality
    ``municipality_code``)."""
    register_upgrade("0.9.0", "1.0.0", _rename_municipality_json, format="json")
    cx.register_upgrade("0.9.0", "1.0.0", _rename_municipality_xml)
    yield
    unregister_upgrade("0.9.0", format="json")
    unregister_upgrade("0.9.0", format="xml")


def test_the_older_fixtures_are_read_through_their_upgrade(upgrades: None) -> None:
    assert cj.load(DATA / "case-0.9.0.json") == deregistered_case()
    assert cx.load(DATA / "case-0.9.0.xml") == deregistered_case()
    assert list(cx.iter_cases(DATA / "case-0.9.0.xml")) == [deregistered_case()]


def test_a_many_case_document_of_the_older_version_is_upgraded_case_by_case(upgrades: None) -> None:
    text = cx.dumps_many([deregistered_case(), deregistered_case()]).decode()
    old = (
        text.replace("urn:ssbx:case:1", "urn:ssbx:case:0")
        .replace(f'schemaVersion="{SCHEMA_VERSION}"', 'schemaVersion="0.9.0"')
        .replace("municipality>", "municipality_code>")
    )
    assert cx.loads_many(old.encode()) == [deregistered_case()] * 2
    assert list(cx.iter_cases(io.BytesIO(old.encode()))) == [deregistered_case()] * 2


def test_without_its_upgrade_the_older_fixture_is_a_version_error() -> None:
    with pytest.raises(SchemaVersionError, match=r"0\.9\.0"):
        cx.load(DATA / "case-0.9.0.xml")


def test_a_failing_upgrade_is_a_version_error_that_names_no_data() -> None:
    def broken(case: Any) -> Any:
        raise KeyError("19900101-1239")

    register_upgrade("0.8.0", "1.0.0", broken, format="json")
    try:
        data = cj.dumps(minimal_case()).replace(f'"{SCHEMA_VERSION}"'.encode(), b'"0.8.0"')
        with pytest.raises(SchemaVersionError, match="KeyError") as info:
            cj.loads(data)
        assert "19900101" not in str(info.value)
    finally:
        unregister_upgrade("0.8.0", format="json")


def test_the_registry_refuses_upgrades_it_could_never_use() -> None:
    with pytest.raises(ValueError, match="newer"):
        register_upgrade("0.9.0", "0.8.0", lambda c: c, format="json")
    with pytest.raises(ValueError, match="read as it is"):
        register_upgrade("1.0.1", "1.2.0", lambda c: c, format="json")
    register_upgrade("0.7.0", "0.9.0", lambda c: c, format="xml")
    try:
        with pytest.raises(ValueError, match="already registered"):
            register_upgrade("0.7.0", "1.0.0", lambda c: c, format="xml")
    finally:
        unregister_upgrade("0.7.0", format="xml")
