"""The codec builds model objects the way every caller does: through the model's public
constructors, with every type check and invariant, and with generated code that a
traceback can show."""

from __future__ import annotations

import datetime as dt
import threading
import traceback
from pathlib import Path
from typing import Any

import attrs
import pytest
from codec_support import AF, PERSON, rich_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.codec import _json_read, _plan, _xml_read
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.codec._versions import NAMESPACE
from ssbx_model.errors import ValidationError
from ssbx_model.information import _base
from ssbx_model.information._base import Provenance

SRC = Path(__file__).resolve().parents[1] / "src" / "ssbx_model"


def test_no_private_decoder_no_generated_source_parsing_no_reader_switch() -> None:
    # What issue 17 removed stays removed: the standard library decoder's private scanner,
    # reading attrs' generated __init__ source, and a switch that turns model checks off.
    banned = ("scan_once", "getsource", "_cached_setattr", "types_checked", "ReaderSwitch")
    found = [
        f"{path.relative_to(SRC)}: {word}"
        for path in SRC.rglob("*.py")
        for word in banned
        if word in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_a_python_caller_gets_the_type_error_after_loads_in_any_thread() -> None:
    cj.loads_many(cj.dumps_many([rich_case()]))
    cx.loads_many(cx.dumps_many([rich_case()]))
    seen: list[str] = []

    def other() -> None:
        try:
            Provenance("AF", "2.1", "2024-01-01T00:00:00+00:00")  # type: ignore[arg-type]
        except ValidationError as exc:
            seen.extend(exc.paths)

    thread = threading.Thread(target=other)
    thread.start()
    other()
    thread.join()
    assert seen == ["fetched_at", "fetched_at"]
    with pytest.raises(ValidationError) as exc:
        Case(PERSON, 1287)  # type: ignore[arg-type]
    assert "municipality" in list(exc.value.paths)


def test_the_generated_readers_run_the_models_invariants() -> None:
    # Every value has its wire type; only the model's cross-field check (an end before
    # the start) refuses it, from inside the generated readers.
    with pytest.raises(ValidationError) as exc:
        _json_read._NS["r_Period"]({"start": "2024-05-01", "end": "2024-04-30"}, [0])
    assert list(exc.value.paths) == ["end"]
    element = etree.fromstring(
        f'<period xmlns="{NAMESPACE}"><start>2024-05-01</start><end>2024-04-30</end></period>'
    )
    with pytest.raises(ValidationError) as exc:
        _xml_read._GENERATED["x_Period"](element, [0])
    assert list(exc.value.paths) == ["end"]


def _frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return list(traceback.extract_tb(exc.__traceback__))


@pytest.mark.parametrize("reader", ["json", "xml"])
def test_a_traceback_through_a_generated_reader_shows_its_lines(reader: str) -> None:
    try:
        if reader == "json":
            _json_read.read_case_fast({"person": PERSON.reveal(), "municipality": 1287}, [0])
        else:
            _xml_read.read_case_fast(object(), [0])
    except Exception as exc:
        frames = [f for f in _frames(exc) if f.filename.startswith("ssbx_model generated:")]
    else:  # pragma: no cover - the value is refused
        pytest.fail("the reader accepted a bad value")
    assert frames, "no frame of generated code"
    assert all(f.line for f in frames), [(f.filename, f.lineno) for f in frames]
    assert frames[0].name == ("r_Case" if reader == "json" else "x_Case")


def test_a_traceback_through_the_generated_type_checks_shows_its_lines() -> None:
    with pytest.raises(AttributeError) as exc:
        _base.check_types(object.__new__(Provenance))  # its fields were never set
    frames = [f for f in _frames(exc.value) if f.filename.startswith("ssbx_model generated:")]
    assert frames
    assert all(f.line for f in frames)
    assert frames[-1].line == "v0 = o.provider"


# -- the generated type checks say exactly what type_problems says -------------------------

_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=3),
    st.just(dt.date(2024, 1, 1)),
    st.just(dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
    st.just(Extent(50)),
    st.just(PERSON),
    st.just(AF),
    st.just(Period(dt.date(2024, 1, 1))),
    st.lists(st.one_of(st.text(max_size=2), st.integers(0, 2), st.just(AF)), max_size=2).map(tuple),
    st.just([]),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([o.cls for o in _plan.objects()]), st.data())
def test_the_generated_type_check_accepts_exactly_what_type_problems_accepts(
    cls: type, data: st.DataObject
) -> None:
    # Any values at all in the fields (set without a constructor, as only a test may).
    obj: Any = object.__new__(cls)
    for field in attrs.fields(cls):
        object.__setattr__(obj, field.name, data.draw(_ANY, label=field.name))
    quick = _base._QUICK.get(cls) or _base._quick_check(cls)
    assert quick(obj) is (not _base.type_problems(obj))
