"""The JSON codec: canonical form, strict reading, every problem with its path, versions
and JSON Lines streaming."""

from __future__ import annotations

import datetime as dt
import io
import json as stdjson
from typing import Any

import pytest
from codec_support import (
    DATA,
    PERSON,
    deregistered_case,
    json_bytes,
    json_doc,
    minimal_case,
    paths_of,
    rich_case,
    unwritable_case,
    xml_safe_text,
)
from hypothesis import given, settings

from ssbx_model.case import Case
from ssbx_model.codec import SCHEMA_VERSION, Limits, _json_read
from ssbx_model.codec import json as cj
from ssbx_model.errors import SchemaVersionError, ValidationError
from ssbx_model.testing import strategies as ss

#: The version as the writer spells it in a document.
_WRITTEN = f'"{SCHEMA_VERSION}"'.encode()

# -- canonical form and round trips ------------------------------------------------------


def test_a_minimal_case_is_written_with_its_version_and_nothing_else() -> None:
    data = cj.dumps(minimal_case())
    assert data == (
        b'{"schema_version":"' + SCHEMA_VERSION.encode() + b'","case":'
        b'{"person":"' + PERSON.reveal().encode() + b'","municipality":"1287"}}'
    )


def test_fields_holding_their_default_or_none_are_left_out() -> None:
    case = json_doc(cj.dumps(rich_case()))["case"]
    assert "sius" not in case  # not requested: the default
    consent = case["consents"]["value"][0]
    assert "confirmed" not in consent  # False is the default
    assert consent["registered_on"] == "2024-01-15"
    check = case["employer_checks"]["value"][0]
    assert check["payment_remarks"] == []  # checked, none: differs from the default None
    assert "financial_situation" not in check  # None
    assert "provenance" not in case["employer_checks"]


def test_scalars_have_one_written_form() -> None:
    case = json_doc(cj.dumps(rich_case()))["case"]
    assert case["person"] == PERSON.reveal()
    assert case["interventions"][0]["changed_at"] == "2024-03-01T09:30:00+01:00"
    assert case["interventions"][0]["extent"] == 50
    activity = case["program_decisions"]["value"][0]["activities"][0]
    assert activity["provider"]["organisation_number"] == "556036-0793"
    assert activity["period"] == {"start": "2024-02-01", "end": "2024-04-30"}
    assert case["business_activities"]["value"][0]["organisation_number"] == PERSON.reveal()[2:]


@pytest.mark.parametrize("make", [minimal_case, rich_case, deregistered_case])
def test_hand_built_cases_round_trip(make: Any) -> None:
    case = make()
    assert cj.loads(cj.dumps(case)) == case
    assert cj.loads(cj.dumps(case, pretty=True)) == case


def test_the_fixture_file_is_the_rich_case() -> None:
    assert cj.load(DATA / "case-1.0.0.json") == rich_case()


@settings(max_examples=60)
@given(ss.cases())
def test_any_case_round_trips_through_json(case: Case) -> None:
    data = cj.dumps(case)
    assert cj.loads(data) == case
    assert cj.dumps(cj.loads(data)) == data  # canonical: one case, one text


@settings(max_examples=40)
@given(ss.cases())
def test_the_reader_and_the_explaining_pass_build_the_same_case(case: Case) -> None:
    raw = json_doc(cj.dumps(case))["case"]
    problems: list[Any] = []
    detailed = _json_read.read_case_detailed(raw, "case", problems)
    assert problems == []
    assert detailed == _json_read.read_case_fast(raw, [0]) == case


def test_a_canonical_document_is_never_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = _json_read._read

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("explained")
        return original(*args, **kwargs)

    monkeypatch.setattr(_json_read, "_read", spy)
    cj.loads_many(cj.dumps_many([rich_case(), minimal_case()]))
    cj.loads_many(cj.dumps_many([rich_case(), minimal_case()], pretty=True))
    cj.loads(cj.dumps(rich_case(), pretty=True))
    assert calls == []
    with pytest.raises(ValidationError):  # the spy does see the explaining pass
        cj.loads(cj.dumps(rich_case()).replace(b'"1287"', b'"12"'))
    assert calls


class _CountingDecoder:
    """Stands in for the module's msgspec decoder of one value, counting the values."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.sizes: list[int] = []

    def decode(self, data: Any) -> Any:
        self.sizes.append(len(bytes(data)))
        return self.decoder.decode(data)


def test_a_many_case_document_is_parsed_case_by_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """A many-case document is never parsed whole into Python values: each case is
    parsed and built in turn, whatever the layout, and nothing is parsed twice."""
    cases = [rich_case(), minimal_case(), rich_case()]
    whole: list[str] = []
    original = _json_read.parse_json_text

    def spy(text: str) -> Any:
        whole.append(text[:20])
        return original(text)

    monkeypatch.setattr(_json_read, "parse_json_text", spy)
    counting = _CountingDecoder(cj._VALUE)
    monkeypatch.setattr(cj, "_VALUE", counting)
    # each case is decoded by msgspec straight into the reader's types
    counting_cases = _CountingDecoder(cj._CASE)
    monkeypatch.setattr(cj, "_CASE", counting_cases)
    data = cj.dumps_many(cases)
    assert cj.loads_many(data) == cases
    # the version, then each case alone (a small part of the document)
    assert len(counting.sizes) == 1
    assert len(counting_cases.sizes) == len(cases)
    assert max(counting.sizes + counting_cases.sizes) < len(data) / 2
    assert cj.loads_many(cj.dumps_many(cases, pretty=True)) == cases
    assert cj.loads_many(cj.dumps_many([])) == []
    reordered = {"cases": json_doc(cj.dumps_many(cases))["cases"], "schema_version": "1.0.0"}
    assert cj.loads_many(json_bytes(reordered)) == cases
    assert whole == []


@pytest.mark.parametrize(
    ("edit", "paths"),
    [
        (lambda t: t.replace(b'"1287"', b'"12"', 1), ["cases[0].municipality"]),
        (lambda t: t.replace(b"]}", b'],"extra":1}'), ["extra"]),
        (lambda t: t.replace(b'"status"', b'"status":"known","status"', 1), None),
        (lambda t: t + b"x", [""]),
        (lambda t: t.replace(b"},{", b"}{", 1), [""]),
    ],
)
def test_a_bad_many_case_document_read_case_by_case_names_its_problems(
    edit: Any, paths: list[str] | None
) -> None:
    data = edit(cj.dumps_many([rich_case(), minimal_case()]))
    with pytest.raises(ValidationError) as info:
        cj.loads_many(data)
    if paths is None:  # a repeated key, somewhere in the first case
        assert paths_of(info.value)[0].startswith("cases[0].")
        assert "more than once" in info.value.problems[0].message
    else:
        assert paths_of(info.value) == paths


_XML_SAFE_TEXT = xml_safe_text()


@settings(max_examples=80)
@given(_XML_SAFE_TEXT)
def test_any_text_xml_can_carry_round_trips(text: str) -> None:
    case = Case(person=PERSON, municipality="1287", reference=text)
    assert cj.loads(cj.dumps(case)) == case
    assert cj.loads(cj.dumps(case).decode()) == case  # str input too


# -- strictness: every problem with its path ---------------------------------------------


def _case_with(field: str, value: Any) -> bytes:
    document = json_doc(cj.dumps(minimal_case()))
    document["case"][field] = value
    return json_bytes(document)


def _problem(data: bytes, many: bool = False) -> tuple[list[str], list[str]]:
    with pytest.raises(ValidationError) as info:
        (cj.loads_many if many else cj.loads)(data)
    return paths_of(info.value), [p.message for p in info.value.problems]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("municipality", 1287, "must be a string, not a whole number"),
        ("reference", True, "must be a string, not a boolean"),
        ("reference", None, "must not be null"),
        ("person", "199001011239", "YYYYMMDD-NNNC"),
        ("person", "900101-1239", "YYYYMMDD-NNNC"),
        ("person", "19900101-1238", "check digit"),
        ("person", 199001011239, "not a whole number"),
    ],
)
def test_a_wrong_scalar_is_a_problem_at_its_path(field: str, value: Any, expected: str) -> None:
    paths, messages = _problem(_case_with(field, value))
    assert paths == [f"case.{field}"]
    assert expected in messages[0]


def _income(value: dict[str, Any]) -> bytes:
    return _case_with("income", {"status": "known", "value": [value]})


@pytest.mark.parametrize(
    ("value", "path", "expected"),
    [
        ({"year": "2023", "amount_sek": 1, "source": "x"}, "year", "whole number, not a string"),
        ({"year": 2023.0, "amount_sek": 1, "source": "x"}, "year", "not a decimal number"),
        ({"year": True, "amount_sek": 1, "source": "x"}, "year", "not a boolean"),
        (
            {"year": 2023, "amount_sek": 2**63, "source": "x"},
            "amount_sek",
            "from -9223372036854775808",
        ),
        ({"year": 2023, "amount_sek": 1}, "source", "is required"),
        (
            {"year": 2023, "amount_sek": 1, "source": "x", "extra": 1},
            "extra",
            "is not a field of AnnualIncome",
        ),
        ({"year": 2023, "amount_sek": -5, "source": "x"}, "amount_sek", "must not be negative"),
    ],
)
def test_problems_inside_lists_carry_the_full_path(value: Any, path: str, expected: str) -> None:
    paths, messages = _problem(_income(value))
    assert paths == [f"case.income.value[0].{path}"]
    assert expected in messages[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-1-01", "YYYY-MM-DD"),
        ("20240101", "YYYY-MM-DD"),
        ("2024-02-30", "real calendar date"),
        ("2024-W01-1", "YYYY-MM-DD"),
        (" 2024-01-01", "YYYY-MM-DD"),
    ],
)
def test_dates_are_iso_calendar_dates_only(text: str, expected: str) -> None:
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["activity_reports"]["value"][0]["submitted_on"] = text
    paths, messages = _problem(json_bytes(document))
    assert paths == ["case.activity_reports.value[0].submitted_on"]
    assert expected in messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-01T09:30:00",
        "2024-03-01 09:30:00+01:00",
        "2024-03-01T09:30+01:00",
        "2024-03-01T25:00:00Z",
    ],
)
def test_datetimes_need_their_offset_and_one_form(text: str) -> None:
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["interventions"][0]["changed_at"] = text
    paths, _ = _problem(json_bytes(document))
    assert paths == ["case.interventions[0].changed_at"]


def test_a_z_offset_reads_as_utc() -> None:
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["interventions"][0]["changed_at"] = "2024-03-01T08:30:00Z"
    case = cj.loads(json_bytes(document))
    assert case.interventions[0].changed_at == dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "1 to 100"), (101, "1 to 100"), ("50", "not a string"), (50.0, "decimal")],
)
def test_an_extent_is_a_whole_percent(value: Any, expected: str) -> None:
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["interventions"][0]["extent"] = value
    paths, messages = _problem(json_bytes(document))
    assert paths == ["case.interventions[0].extent"]
    assert expected in messages[0]


def test_enums_and_answer_statuses_accept_their_values_only() -> None:
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["consents"]["status"] = "Known"
    document["case"]["consents"]["value"][0]["scope"][1] = "labour_market"
    paths, messages = _problem(json_bytes(document))
    assert paths == ["case.consents.status", "case.consents.value[0].scope[1]"]
    assert "'known'" in messages[0]
    assert "'Known'" in messages[0]


def test_every_problem_is_collected_with_invariants_of_nested_constructors() -> None:
    document = json_doc(
        cj.dumps_many([minimal_case(), minimal_case(), minimal_case(), rich_case()])
    )
    decision = document["cases"][3]["program_decisions"]["value"][0]
    decision["activities"][1]["period"]["end"] = "2024-02-01"  # before its start 2024-03-01
    decision["activities"][0]["extent"] = 0
    document["cases"][1]["municipality"] = "12"
    document["cases"][3]["unemployment_fund"] = {"status": "known"}
    with pytest.raises(ValidationError) as info:
        cj.loads_many(json_bytes(document))
    assert paths_of(info.value) == [
        "cases[1].municipality",
        "cases[3].program_decisions.value[0].activities[0].extent",
        "cases[3].program_decisions.value[0].activities[1].period.end",
        "cases[3].unemployment_fund.value",
    ]


def test_a_sole_traders_number_is_accepted_where_the_model_allows_one() -> None:
    case = rich_case()
    assert cj.loads(cj.dumps(case)).business_activities == case.business_activities


def test_problem_messages_never_repeat_an_identity_number() -> None:
    bad = "19900101-1238"
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["person"] = bad
    document["case"]["consents"]["status"] = bad
    document["case"][bad] = 1
    with pytest.raises(ValidationError) as info:
        cj.loads(json_bytes(document))
    assert len(info.value.problems) == 3
    assert "19900101" not in str(info.value)
    assert "9001011238" not in str(info.value)


# -- hostile and malformed JSON ----------------------------------------------------------


def test_repeated_keys_are_refused_wherever_they_are() -> None:
    plain = cj.dumps(minimal_case())
    nested = plain.replace(b'"municipality":"1287"', b'"municipality":"1287","municipality":"0180"')
    with pytest.raises(ValidationError) as info:
        cj.loads(nested)
    assert paths_of(info.value) == ["case.municipality"]
    assert "more than once" in info.value.problems[0].message
    top = plain.replace(
        _WRITTEN.join((b'{"schema_version":', b"")),
        _WRITTEN.join((b'{"schema_version":', b',"schema_version":', b"")),
    )
    with pytest.raises(ValidationError):
        cj.loads(top)


def test_repeated_keys_are_refused_in_documents_with_escapes_too() -> None:
    escaped = cj.dumps(Case(person=PERSON, municipality="1287", reference='a "quoted"\nline'))
    assert b"\\" in escaped
    doubled = escaped.replace(
        b'"municipality":"1287"', b'"municipality":"1287","municipality":"1287"'
    )
    with pytest.raises(ValidationError) as info:
        cj.loads(doubled)
    assert paths_of(info.value) == ["case.municipality"]


@pytest.mark.parametrize(
    "data",
    [
        b'{"schema_version":"1.0.0","case":' + b"9" * 5000 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"schema_version":"1.0.0",',
        b"",
        b"\xff\xfe{}",
        b'\xef\xbb\xbf{"schema_version":"1.0.0","case":{}}',
    ],
)
def test_what_is_not_strict_json_is_one_problem_for_the_document(data: bytes) -> None:
    with pytest.raises(ValidationError) as info:
        cj.loads(data)
    assert paths_of(info.value) == [""]


@pytest.mark.parametrize(
    ("data", "path", "named"),
    [
        (b'{"schema_version":"1.0.0","case":NaN}', "case", "NaN"),
        (b'{"schema_version":"1.0.0","case":Infinity}', "case", "Infinity"),
        (
            (
                b'{"schema_version":"1.0.0","case":{"person":"19900101-1239",'
                b'"municipality":-Infinity}}'
            ),
            "case.municipality",
            "-Infinity",
        ),
    ],
)
def test_nan_and_infinity_are_refused_at_their_paths(data: bytes, path: str, named: str) -> None:
    with pytest.raises(ValidationError) as info:
        cj.loads(data)
    assert paths_of(info.value) == [path]
    assert f"{named}, which is not a JSON number" in info.value.problems[0].message


def test_a_decimal_beyond_a_double_is_refused_at_its_path() -> None:
    document = json_doc(cj.dumps(rich_case()))
    amount = document["case"]["income"]["value"][0]["amount_sek"]
    good = cj.dumps(rich_case())
    bad = good.replace(b'"amount_sek":%d' % amount, b'"amount_sek":1e999', 1)
    assert bad != good
    with pytest.raises(ValidationError) as info:
        cj.loads(bad)
    assert paths_of(info.value) == ["case.income.value[0].amount_sek"]
    assert "beyond the range of a double" in info.value.problems[0].message


def test_a_syntax_error_names_line_and_column() -> None:
    with pytest.raises(ValidationError) as info:
        cj.loads(b'{\n  "schema_version": "1.0.0",\n  "case": {,}\n}')
    problem = info.value.problems[0]
    assert problem.line == 3
    assert "line 3, column 12" in problem.message


@pytest.mark.parametrize("escape", ["\\u0000", "\\u001b", "\\b", "\\f", "\\ud800", "\\uffff"])
def test_a_text_xml_cannot_carry_is_refused(escape: str) -> None:
    data = cj.dumps(minimal_case()).replace(b'"1287"', f'"1287","reference":"a{escape}b"'.encode())
    paths, messages = _problem(data)
    assert paths == ["case.reference"]
    assert "XML cannot carry" in messages[0]


def test_a_lone_surrogate_in_str_input_is_refused() -> None:
    text = cj.dumps(minimal_case()).decode().replace('"1287"', '"1287","reference":"a\ud800"')
    with pytest.raises(ValidationError) as info:
        cj.loads(text)
    assert paths_of(info.value) == ["case.reference"]


def test_documents_beyond_the_size_limit_are_refused_unread() -> None:
    data = cj.dumps(rich_case())
    with pytest.raises(ValidationError, match="larger than the limit"):
        cj.loads(data, limits=Limits(max_bytes=len(data) - 1))
    assert cj.loads(data, limits=Limits(max_bytes=len(data))) == rich_case()


def test_the_document_object_must_be_a_case_document() -> None:
    for document, path in [
        ({"case": {}}, "schema_version"),
        ({"schema_version": "1.0.0"}, ""),
        ({"schema_version": "1.0.0", "case": {}, "cases": []}, ""),
        ({"schema_version": "1.0.0", "case": {}, "extra": 1}, "extra"),
    ]:
        with pytest.raises(ValidationError) as info:
            cj.loads(json_bytes(document))
        assert path in paths_of(info.value)
    with pytest.raises(ValidationError):
        cj.loads(b"[]")


def test_loads_and_loads_many_read_their_kind_of_document() -> None:
    many = cj.dumps_many([minimal_case(), rich_case()])
    with pytest.raises(ValidationError, match="loads_many"):
        cj.loads(many)
    assert cj.loads_many(many) == [minimal_case(), rich_case()]
    assert cj.loads_many(cj.dumps(rich_case())) == [rich_case()]
    assert cj.loads_many(cj.dumps_many([])) == []


# -- writing -----------------------------------------------------------------------------


def test_values_the_wire_cannot_carry_are_refused_when_writing() -> None:
    case = unwritable_case()
    with pytest.raises(ValidationError) as info:
        cj.dumps(case)
    assert paths_of(info.value) == ["case.reference", "case.income.value[0].amount_sek"]
    with pytest.raises(ValidationError) as many:
        cj.dumps_many([minimal_case(), case])
    assert paths_of(many.value)[0] == "cases[1].reference"


def test_dump_and_load_work_on_paths_and_binary_files(tmp_path: Any) -> None:
    target = tmp_path / "one.json"
    cj.dump(rich_case(), target)
    assert cj.load(target) == rich_case()
    buffer = io.BytesIO()
    assert cj.dump_many([minimal_case(), rich_case()], buffer) == 2
    assert cj.load_many(io.BytesIO(buffer.getvalue())) == [minimal_case(), rich_case()]
    assert cj.loads_many(cj.dumps_many([rich_case()], pretty=True)) == [rich_case()]
    assert stdjson.loads(buffer.getvalue())["schema_version"] == SCHEMA_VERSION


# -- JSON Lines ----------------------------------------------------------------------------


def test_json_lines_stream_case_by_case(tmp_path: Any) -> None:
    cases = [minimal_case(), rich_case(), deregistered_case()]
    target = tmp_path / "cases.jsonl"
    assert cj.dump_lines(cases, target) == 3
    assert list(cj.iter_cases(target)) == cases
    assert list(cj.iter_cases(DATA / "cases-1.0.0.jsonl")) == cases


def test_a_bad_line_raises_with_its_line_number_after_the_good_ones() -> None:
    lines = cj.dumps(minimal_case()) + b"\n" + _case_with("municipality", "x") + b"\r\n"
    stream = cj.iter_cases(io.BytesIO(lines))
    assert next(stream) == minimal_case()
    with pytest.raises(ValidationError) as info:
        next(stream)
    assert [(p.path, p.line) for p in info.value.problems] == [("case.municipality", 2)]


def test_json_lines_refuse_empty_and_overlong_lines() -> None:
    line = cj.dumps(minimal_case())
    results = list(
        cj.iter_results(
            io.BytesIO(line + b"\n\n" + line + b"x" * 200 + b"\n" + line + b"\n"),
            limits=Limits(max_case_bytes=len(line) + 50),
        )
    )
    assert results[0] == minimal_case()
    assert isinstance(results[1], ValidationError)
    assert results[1].problems[0].line == 2
    assert isinstance(results[2], ValidationError)
    assert "longer than the limit" in str(results[2])
    assert results[3] == minimal_case()


# -- versions ------------------------------------------------------------------------------


def test_an_unknown_version_is_a_schema_version_error() -> None:
    for version, expected in [
        ("2.0.0", "cannot read"),
        ("1.3.0", "newer"),
        ("1.0", "MAJOR.MINOR.PATCH"),
    ]:
        data = cj.dumps(minimal_case()).replace(_WRITTEN, f'"{version}"'.encode())
        with pytest.raises(SchemaVersionError, match=expected):
            cj.loads(data)
    with pytest.raises(SchemaVersionError):
        cj.loads(b'{"schema_version":1,"case":{}}')


def test_a_later_patch_version_is_read_as_it_is() -> None:
    data = cj.dumps(minimal_case()).replace(_WRITTEN, b'"1.0.7"')
    assert cj.loads(data) == minimal_case()


def test_the_older_fixture_needs_an_upgrade() -> None:
    with pytest.raises(SchemaVersionError, match=r"0\.9\.0"):
        cj.load(DATA / "case-0.9.0.json")


def test_personal_data_is_not_kept_in_the_readers_caches() -> None:
    from ssbx_model.codec import _xml_read
    from ssbx_model.codec import xml as cx

    cj.loads(cj.dumps(rich_case()))
    cx.loads(cx.dumps(rich_case()))
    sole_trader = rich_case().business_activities.items()[0].organisation_number
    assert sole_trader is not None
    assert sole_trader.is_sole_trader
    assert sole_trader.reveal() not in _json_read._orgnrs
    assert sole_trader.reveal() not in _xml_read._orgnrs
    assert "556036-0793" in _json_read._orgnrs  # a legal person's number is public
    shared = {
        name.removeprefix("LC_") for name in vars(_json_read)["_NS"] if name.startswith("LC_")
    }
    assert shared == {"Period", "Provenance"}  # no contact details, names or free text
