"""The fast readers build model objects without attrs' ``__init__`` (object.__new__, slot
descriptors, then the class's own validators and post-init): the objects are the ones the
class builds, and every invariant still raises with its path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from codec_support import PERSON, rich_case
from hypothesis import given, settings

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.codec import _construct, _plan
from ssbx_model.errors import ValidationError
from ssbx_model.information import (
    Activity,
    ActivityReport,
    Answer,
    AnswerStatus,
    MunicipalIntervention,
    Provenance,
)
from ssbx_model.information._base import READER_SWITCH
from ssbx_model.testing import strategies as ss

_PLAN_CLASSES = {obj.cls for obj in _plan.objects()}


def _builder(cls: type) -> Callable[..., Any]:
    """A function building ``cls`` from its field values as the fast readers do."""
    names = [f"a{i}" for i in range(len(attrs.fields(cls)))]
    ns: dict[str, Any] = {"NEW": object.__new__}
    lines = [f"def build({', '.join(names)}):"]
    lines += _construct.build_lines(cls, names, "o", "    ", ns, "T")
    lines.append("    return o")
    exec("\n".join(lines), ns)
    build: Callable[..., Any] = ns["build"]
    return build


def _values(cls: type, obj: object) -> list[Any]:
    return [getattr(obj, a.name) for a in attrs.fields(cls)]


def _objects(value: object) -> Iterator[object]:
    """Every object of a plan class inside ``value`` (itself included)."""
    if isinstance(value, tuple):
        for item in value:
            yield from _objects(item)
    elif type(value) in _PLAN_CLASSES:
        yield value
        for a in attrs.fields(type(value)):
            yield from _objects(getattr(value, a.name))


def test_every_class_of_the_plan_is_built_without_attrs_init() -> None:
    missing = [obj.name for obj in _plan.objects() if _construct.recipe_of(obj.cls) is None]
    assert missing == []
    ns: dict[str, Any] = {}
    lines = _construct.build_lines(Period, ["s", "e"], "o", "", ns, "Period")
    assert lines[0] == "o = NEW(C_Period)"
    assert "V_Period_0(o, A_Period_0, s)" in lines  # the validator of Period.start


@settings(max_examples=30, deadline=None)
@given(ss.cases())
def test_the_built_objects_are_the_objects_the_classes_build(case: Case) -> None:
    for obj in _objects(case):
        cls = type(obj)
        built = _builder(cls)(*_values(cls, obj))
        assert type(built) is cls
        assert built == obj
        assert _values(cls, built) == _values(cls, obj)


_BAD: list[tuple[type, tuple[Any, ...]]] = [
    (Period, (dt.date(2024, 2, 1), dt.date(2024, 1, 1))),  # attrs validator
    (Period, (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), None)),
    (Extent, (0,)),
    (Answer, (AnswerStatus.KNOWN, None, None, None)),  # post-init
    (Answer, (AnswerStatus.UNAVAILABLE, None, " ", None)),
    (Provenance, ("", "2.1", dt.datetime(2024, 1, 1))),
    (ActivityReport, (Period(dt.date(2024, 1, 1)), -1, None, True)),
    (Activity, (" ", Period(dt.date(2024, 1, 1)), Extent(50), ("",), None)),
    (
        Case,
        (
            PERSON,
            "12",
            PERSON.reveal(),
            *_values(Case, rich_case())[3:-1],
            rich_case().interventions * 2,
        ),
    ),
]


@pytest.mark.parametrize(
    ("cls", "args"), _BAD, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(_BAD)]
)
def test_every_invariant_still_raises_with_the_classes_own_problems(
    cls: type, args: tuple[Any, ...]
) -> None:
    with pytest.raises(ValidationError) as by_class:
        cls(*args)
    with pytest.raises(ValidationError) as built:
        _builder(cls)(*args)
    assert built.value.problems == by_class.value.problems


def test_the_type_checks_run_unless_a_fast_reader_checked_the_types() -> None:
    args = ("not a date", None)
    with pytest.raises(ValidationError, match="start"):
        _builder(Period)(*args)
    bad_answer = ("known", 1, None, None)  # a str is not an AnswerStatus
    with pytest.raises(ValidationError) as info:
        _builder(Answer)(*bad_answer)
    assert [p.path for p in info.value.problems] == ["status"]
    assert not READER_SWITCH.types_checked


@attrs.frozen(slots=True)
class _Converted:
    value: int = attrs.field(converter=int)


@attrs.frozen(slots=True)
class _PreInit:
    value: int

    def __attrs_pre_init__(self) -> None:
        pass


@attrs.frozen(slots=False)
class _Dict:
    value: int


@attrs.frozen(slots=True, cache_hash=True)
class _CachedHash:
    value: int


@attrs.frozen(slots=True)
class _NotInInit:
    value: int
    derived: int = attrs.field(init=False, default=0)


class _Plain:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Plain) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]


@pytest.mark.parametrize("cls", [_Converted, _PreInit, _Dict, _CachedHash, _NotInInit, _Plain])
def test_a_class_the_shortcut_cannot_mirror_is_built_by_calling_it(cls: type) -> None:
    assert _construct.recipe_of(cls) is None
    ns: dict[str, Any] = {}
    assert _construct.build_lines(cls, ["x"], "o", "", ns, "T") == ["o = C_T(x)"]
    assert ns["C_T"] is cls
    names = ["x"]
    code = "\n".join(["def build(x):", *_construct.build_lines(cls, names, "o", "    ", ns, "T")])
    exec(code + "\n    return o", ns)
    assert ns["build"](3) == cls(3)


def test_a_municipal_intervention_keeps_its_checks() -> None:
    intervention = rich_case().interventions[0]
    values = _values(MunicipalIntervention, intervention)
    values[4] = Extent(50)
    assert _builder(MunicipalIntervention)(*values) == MunicipalIntervention(*values)
    values[1] = "   "  # a blank local name
    with pytest.raises(ValidationError) as by_class:
        MunicipalIntervention(*values)
    with pytest.raises(ValidationError) as built:
        _builder(MunicipalIntervention)(*values)
    assert built.value.problems == by_class.value.problems
