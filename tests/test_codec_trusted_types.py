"""The codec's fast readers skip the model's own type checks (they checked every type
themselves); nobody else does: a Python caller, the detailed path, another thread."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from codec_support import PERSON, rich_case

from ssbx_model.calendar import Extent
from ssbx_model.case import Case
from ssbx_model.codec import _json_read, _plan, _xml_read
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import ValidationError
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information import _base
from ssbx_model.information._base import READER_SWITCH, Provenance

_KIND_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "bool": (bool,),
    "date": (dt.date,),
    "datetime": (dt.datetime,),
    "orgnr": (Organisationsnummer,),
    "person": (Personnummer, Samordningsnummer),
    "extent": (Extent,),
}


def _produced(node: _plan.Node) -> tuple[type, ...]:
    """The exact types a fast reader builds for a plan node."""
    if isinstance(node, _plan.Scalar):
        return (node.enum,) if node.enum is not None else _KIND_TYPES[node.kind]
    if isinstance(node, _plan.Obj):
        return (node.cls,)
    return (tuple,)


def _accepts(accept: Any, tp: type) -> bool:
    return issubclass(tp, accept.types) and not (
        accept.excluded and issubclass(tp, accept.excluded)
    )


def test_every_type_a_fast_reader_builds_is_the_type_the_model_checks_for() -> None:
    # The ground for skipping the model's type checks on the fast path: for every field of
    # every object in the plan, what the generated readers produce (and the default used
    # when the field is absent) passes the model's own check of that field.
    for obj in _plan.objects():
        checks = {c.name: c for c in _base._checks(obj.cls)}
        for field in obj.fields:
            check = checks.get(field.name)
            if check is None:  # not checked by the model (a type variable: Answer.value)
                continue
            for tp in _produced(field.node):
                assert _accepts(check.accept, tp), f"{obj.name}.{field.name}: {tp}"
            if isinstance(field.node, _plan.ListOf):
                assert check.item is not None, f"{obj.name}.{field.name}"
                for tp in _produced(field.node.item):
                    assert _accepts(check.item, tp), f"{obj.name}.{field.name}[]: {tp}"
            if field.default is None:
                assert check.optional, f"{obj.name}.{field.name}"
            elif field.default is not _plan.NO_DEFAULT:
                assert check.accept.accepts(field.default), f"{obj.name}.{field.name}"


def test_a_python_caller_still_gets_the_type_error_after_loads() -> None:
    cj.loads_many(cj.dumps_many([rich_case()]))
    cx.loads_many(cx.dumps_many([rich_case()]))
    assert READER_SWITCH.types_checked is False
    with pytest.raises(ValidationError) as exc:
        Provenance("AF", "2.1", "2024-01-01T00:00:00+00:00")  # type: ignore[arg-type]
    assert list(exc.value.paths) == ["fetched_at"]
    with pytest.raises(ValidationError) as exc:
        Case(PERSON, 1287)  # type: ignore[arg-type]
    assert "municipality" in list(exc.value.paths)


def test_the_switch_is_reset_when_a_fast_read_fails() -> None:
    with pytest.raises(_json_read.Fail):
        _json_read.read_case_fast({"person": 1}, [0])
    assert READER_SWITCH.types_checked is False
    with pytest.raises(ValidationError):  # a cross-field invariant still runs, and fails
        _json_read.read_case_fast({"person": PERSON.reveal(), "municipality": "12"}, [0])
    assert READER_SWITCH.types_checked is False
    with pytest.raises(AttributeError):
        _xml_read.read_case_fast({"person": 1}, [0])
    assert READER_SWITCH.types_checked is False


def test_the_codec_still_reports_a_wrong_type_with_its_path() -> None:
    good = cj.dumps(rich_case())
    assert cj.loads(good) == rich_case()
    bad = good.replace(b'"municipality":"1287"', b'"municipality":1287', 1)
    assert bad != good
    with pytest.raises(ValidationError) as exc:
        cj.loads(bad)
    assert list(exc.value.paths) == ["case.municipality"]


def test_another_thread_is_checked_while_one_thread_loads() -> None:
    # The switch is thread-local: set in this thread, the other thread still checks types.
    seen: list[object] = []
    READER_SWITCH.types_checked = True
    try:

        def other() -> None:
            try:
                Provenance("AF", "2.1", "not a datetime")  # type: ignore[arg-type]
            except ValidationError as exc:
                seen.extend(exc.paths)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    finally:
        READER_SWITCH.types_checked = False
    assert seen == ["fetched_at"]
