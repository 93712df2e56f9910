"""``ssbx_model.codec.json.converter``: a cattrs converter whose hooks are the codec's own
strict readers and writer, giving exactly what ``loads`` and ``dumps`` give."""

from __future__ import annotations

import copy
import datetime as dt
from enum import StrEnum
from typing import Any

import cattrs
import pytest
from cattrs.errors import StructureHandlerNotFoundError
from codec_support import (
    COORDINATION,
    PERSON,
    deregistered_case,
    json_bytes,
    json_doc,
    minimal_case,
    paths_of,
    positions,
    rich_case,
    unwritable_case,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.codec import _plan
from ssbx_model.codec import json as cj
from ssbx_model.errors import ValidationError
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information import (
    Answer,
    AnswerStatus,
    Consent,
    Enrolment,
    ProgramDecision,
)
from ssbx_model.testing import strategies as ss

converter = cj.converter


def _body(case: Case) -> Any:
    """The case's value as ``dumps`` writes it."""
    return json_doc(cj.dumps(case))["case"]


def test_the_converter_is_a_cattrs_converter() -> None:
    assert isinstance(converter, cattrs.Converter)


@settings(max_examples=60, deadline=None)
@given(ss.cases())
def test_any_case_round_trips_through_the_converter_as_through_loads_and_dumps(
    case: Case,
) -> None:
    value = converter.unstructure(case)
    assert value == _body(case)
    back = converter.structure(value, Case)
    assert back == case
    assert back == cj.loads(cj.dumps(case))
    assert cj.dumps(back) == cj.dumps(case)


@pytest.mark.parametrize("make", [minimal_case, rich_case, deregistered_case])
def test_hand_built_cases_round_trip_through_the_converter(make: Any) -> None:
    case = make()
    assert converter.structure(converter.unstructure(case), Case) == case


def test_every_type_of_the_plan_has_the_codecs_hooks() -> None:
    case = rich_case()
    for tp, node in _plan.hints().items():
        # a wrong JSON type for each: a plain cattrs converter would coerce or build
        numeric = isinstance(node, _plan.Scalar) and node.kind in ("int", "extent")
        wrong: Any = "5" if numeric else 5
        with pytest.raises(ValidationError):
            converter.structure(wrong, tp)
    assert converter.unstructure(case.enrolment, Answer[Enrolment]) == _body(case)["enrolment"]


# -- strictness, the same as loads ----------------------------------------------------------


def _case_with(field: str, value: Any) -> dict[str, Any]:
    body = _body(minimal_case())
    body[field] = value
    return dict(body)


def _same_problems_as_loads(body: dict[str, Any]) -> list[str]:
    """The converter's problems, checked to be loads' problems without the ``case.``."""
    with pytest.raises(ValidationError) as by_converter:
        converter.structure(body, Case)
    document = {"schema_version": "1.0.0", "case": body}
    with pytest.raises(ValidationError) as by_loads:
        cj.loads(json_bytes(document))
    assert [p.prefixed("case") for p in by_converter.value.problems] == list(
        by_loads.value.problems
    )
    return paths_of(by_converter.value)


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("municipality", 1287, "municipality"),
        ("municipality", "12", "municipality"),
        ("reference", True, "reference"),
        ("reference", None, "reference"),
        ("person", "19900101-1238", "person"),
        ("unknown_field", 1, "unknown_field"),
        (
            "unemployment_fund",
            {"status": "known", "value": {"member": "no", "self_reported": False}},
            "unemployment_fund.value.member",
        ),
        (
            "unemployment_fund",
            {"status": "known", "value": {"member": "false", "self_reported": False}},
            "unemployment_fund.value.member",
        ),
        (
            "unemployment_fund",
            {"status": "known", "value": {"member": 1, "self_reported": False}},
            "unemployment_fund.value.member",
        ),
        (
            "unemployment_fund",
            {"status": "known", "value": {"member": True, "self_reported": False, "fund": 5}},
            "unemployment_fund.value.fund",
        ),
        (
            "income",
            {"status": "known", "value": [{"year": 2023, "amount_sek": 1.0, "source": "x"}]},
            "income.value[0].amount_sek",
        ),
        (
            "income",
            {
                "status": "known",
                "value": [{"year": 2023, "amount_sek": 1, "source": "x", "extra": 1}],
            },
            "income.value[0].extra",
        ),
        (
            "income",
            {"status": "known", "value": [{"year": 2023, "amount_sek": -1, "source": "x"}]},
            "income.value[0].amount_sek",
        ),
        ("income", {"status": "known", "value": []}, "income.value"),
        (
            "income",
            {"status": "known", "value": ({"year": 2023, "amount_sek": 1, "source": "x"},)},
            "income.value",
        ),
        (
            "housing_allowance",
            {
                "status": "absent",
                "provenance": {
                    "provider": "FK",
                    "schema_version": "1",
                    "fetched_at": "2024-01-01T00:00:00",
                },
            },
            "housing_allowance.provenance.fetched_at",
        ),
    ],
)
def test_a_wrong_value_is_refused_with_its_path_as_loads_refuses_it(
    field: str, value: Any, path: str
) -> None:
    body = _case_with(field, value)
    if isinstance(value, dict) and isinstance(value.get("value"), tuple):
        # a tuple is not a JSON array (loads never sees one): the converter alone
        with pytest.raises(ValidationError) as info:
            converter.structure(body, Case)
        assert paths_of(info.value) == [path]
        return
    assert _same_problems_as_loads(body) == [path]


def test_every_problem_of_a_case_is_listed() -> None:
    body = _case_with("municipality", 12)
    body["extra"] = None
    body["income"] = {"status": "known", "value": [{"year": "2023", "amount_sek": 1}]}
    assert _same_problems_as_loads(body) == [
        "extra",
        "municipality",
        "income.value[0].year",
        "income.value[0].source",
    ]


@pytest.mark.parametrize(
    ("value", "tp", "message"),
    [
        ("no", bool, "true or false"),
        ("false", bool, "true or false"),
        (0, bool, "true or false"),
        (5, str, "must be a string"),
        (True, int, "whole number"),
        (1.0, int, "whole number"),
        ("1", int, "whole number"),
        (2**63, int, "from -9223372036854775808"),
        ("2024-02-30", dt.date, "real calendar date"),
        ("2024-01-01T10:00:00", dt.datetime, "offset"),
        ("a\x00b", str, "XML cannot carry"),
        ("\ud800", str, "XML cannot carry"),
        ("KNOWN", AnswerStatus, "must be one of"),
        (0, Extent, "whole percent"),
        ("19900101-1238", Personnummer | Samordningsnummer, "check digit"),
        ("556036-0794", Organisationsnummer, "check digit"),
        ([1], tuple[str, ...], "must be a string"),
        ({"start": "2024-01-02", "end": "2024-01-01"}, Period, "before the start"),
        ({"status": "known"}, Answer[Enrolment], "needs a value"),
        (None, Case, "must be an object"),
    ],
)
def test_scalars_and_objects_are_strict_on_their_own(value: Any, tp: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        converter.structure(value, tp)


def test_structured_values_have_their_model_types() -> None:
    assert converter.structure("2024-01-31", dt.date) == dt.date(2024, 1, 31)
    assert converter.structure(PERSON.reveal(), Personnummer | Samordningsnummer) == PERSON
    assert converter.structure(COORDINATION.reveal(), Personnummer | Samordningsnummer) == (
        COORDINATION
    )
    assert converter.structure(50, Extent) == Extent(50)
    assert converter.structure("known", AnswerStatus) is AnswerStatus.KNOWN
    assert converter.structure(["a", "b"], tuple[str, ...]) == ("a", "b")
    period = converter.structure({"start": "2024-01-01"}, Period)
    assert period == Period(dt.date(2024, 1, 1))
    assert converter.structure(None, Period | None) is None
    consents = _body(rich_case())["consents"]
    assert converter.structure(consents, Answer[tuple[Consent, ...]]) == rich_case().consents


def test_strings_in_python_values_are_checked_like_json_text() -> None:
    """A Python caller can hand the converter text that no JSON document can hold."""
    body = _case_with("reference", "ÄR\x07-1")
    with pytest.raises(ValidationError) as info:
        converter.structure(body, Case)
    assert paths_of(info.value) == ["reference"]
    items = _case_with(
        "program_decisions",
        _body(rich_case())["program_decisions"],
    )
    items["program_decisions"]["value"][0]["activities"][0]["participation_requirements"] = [
        "ok",
        "tab\tis fine",
        "nul\x00is not",
    ]
    with pytest.raises(ValidationError) as info:
        converter.structure(items, Case)
    assert paths_of(info.value) == [
        "program_decisions.value[0].activities[0].participation_requirements[2]"
    ]


class _Impostor:
    """Equal to a string and hashing like it, but not one."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return other == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def test_a_shared_leaf_is_not_handed_out_for_a_value_that_only_equals_its_text() -> None:
    body = _body(rich_case())
    assert converter.structure(body, Case) == rich_case()  # the leaves are now shared
    for path in (("registered_on",), ("spells", 0, "period", "start")):
        edited = copy.deepcopy(body)
        where: Any = edited["enrolment"]["value"]
        for step in path[:-1]:
            where = where[step]
        where[path[-1]] = _Impostor(where[path[-1]])
        with pytest.raises(ValidationError) as one:
            converter.structure(edited, Case)
        assert paths_of(one.value) == [
            "enrolment.value." + ".".join(str(s) for s in path).replace(".0.", "[0].")
        ]
    fetched = body["enrolment"]["provenance"]["fetched_at"]
    body["enrolment"]["provenance"]["fetched_at"] = _Impostor(fetched)
    body["enrolment"]["value"]["spells"][0]["period"]["start"] = _Impostor(
        body["enrolment"]["value"]["spells"][0]["period"]["start"]
    )
    with pytest.raises(ValidationError) as info:
        converter.structure(body, Case)
    assert paths_of(info.value) == [
        "enrolment.value.spells[0].period.start",
        "enrolment.provenance.fetched_at",
    ]


# -- unstructuring --------------------------------------------------------------------------


def test_unstructuring_checks_what_it_writes_as_dumps_does() -> None:
    case = unwritable_case()
    with pytest.raises(ValidationError) as by_converter:
        converter.unstructure(case)
    with pytest.raises(ValidationError) as by_dumps:
        cj.dumps(case)
    assert paths_of(by_converter.value) == ["reference", "income.value[0].amount_sek"]
    assert [p.prefixed("case") for p in by_converter.value.problems] == list(
        by_dumps.value.problems
    )


def test_dumps_refuses_what_is_not_a_case() -> None:
    with pytest.raises(ValidationError) as info:
        cj.dumps(5)  # type: ignore[arg-type]
    assert paths_of(info.value) == ["case"]


def test_values_unstructure_to_their_wire_form() -> None:
    case = rich_case()
    body = _body(case)
    assert converter.unstructure(case.person) == PERSON.reveal()
    assert converter.unstructure(COORDINATION) == COORDINATION.reveal()
    assert converter.unstructure(dt.date(2024, 1, 2)) == "2024-01-02"
    assert converter.unstructure(Extent(50)) == 50
    assert converter.unstructure(AnswerStatus.NOT_FOUND) == "not-found"
    assert converter.unstructure(case.enrolment) == body["enrolment"]  # Answer given bare
    assert converter.unstructure(case.program_decisions) == body["program_decisions"]
    assert converter.unstructure(Answer.withheld("policy")) == {
        "status": "withheld",
        "reason": "policy",
    }
    decisions = case.program_decisions.items()
    assert (
        converter.unstructure(decisions, tuple[ProgramDecision, ...])
        == (body["program_decisions"]["value"])
    )
    with pytest.raises(ValidationError, match="has no wire form"):
        converter.unstructure(Answer.known(object()))


def test_an_answer_is_structured_with_its_value_type() -> None:
    with pytest.raises(StructureHandlerNotFoundError, match=r"Answer\[X\]"):
        converter.structure({"status": "absent"}, Answer)


def test_types_outside_the_plan_keep_cattrs_behaviour() -> None:
    class Colour(StrEnum):
        RED = "red"

    assert converter.structure("red", Colour) is Colour.RED
    assert converter.structure(["a"], list[str]) == ["a"]


def test_loads_and_dumps_go_through_the_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    structure = converter.get_structure_hook(Case)
    unstructure = converter.get_unstructure_hook(Case)

    def spy_structure(value: Any, cl: Any) -> Any:
        seen.append("structure")
        return structure(value, cl)

    def spy_unstructure(value: Any) -> Any:
        seen.append("unstructure")
        return unstructure(value)

    spying = converter.copy()
    spying.register_structure_hook(Case, spy_structure)
    spying.register_unstructure_hook(Case, spy_unstructure)
    monkeypatch.setattr(cj, "converter", spying)
    data = cj.dumps_many([minimal_case(), rich_case()])
    assert cj.loads_many(data) == [minimal_case(), rich_case()]
    assert cj.loads(cj.dumps(rich_case())) == rich_case()
    assert seen == ["unstructure"] * 2 + ["structure"] * 2 + ["unstructure", "structure"]


# -- Python values the fast path must not take more leniently than the detailed path ------

_PY_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=6)
    | st.sampled_from(["known", "2024-01-01", "2024-01-01T00:00:00Z", "\x00", "\ufffe"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.sampled_from(["status", "value", "start", "end", "x"]), inner)
    ),
    max_leaves=6,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_any_python_value_anywhere_is_a_validation_error_or_the_detailed_paths_case(
    data: st.DataObject,
) -> None:
    from ssbx_model.codec import _json_read

    body = copy.deepcopy(_body(rich_case()))
    for _ in range(data.draw(st.integers(1, 3))):
        container, key = data.draw(st.sampled_from(positions(body, [])))
        container[key] = data.draw(_PY_VALUES)
    try:
        case = converter.structure(body, Case)
    except ValidationError:
        return
    problems: list[Any] = []
    assert _json_read.read_case_detailed(body, "case", problems) == case
    assert problems == []
