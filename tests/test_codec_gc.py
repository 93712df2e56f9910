"""The bulk readers and the garbage collector: the collector is left exactly as found,
and a long-running loop over every reader keeps its memory flat.

A process-wide switch flipped by a library outlives the call in ways the caller cannot
see: the readers once paused the collector and moved every young object to the oldest
generation on the way out, and a service calling them in a loop never collected its
reference cycles again (issue 19: 9 GB against 0.2 GB).
"""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from codec_support import minimal_case, rich_case

from ssbx_model.case import Case
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import ValidationError


def _bulk_readers(tmp_path: Path) -> list[tuple[str, Callable[[], Any]]]:
    json_data = cj.dumps_many([rich_case(), minimal_case()])
    xml_data = cx.dumps_many([rich_case(), minimal_case()])
    json_file = tmp_path / "cases.json"
    xml_file = tmp_path / "cases.xml"
    json_file.write_bytes(json_data)
    xml_file.write_bytes(xml_data)
    return [
        ("json.loads_many", lambda: cj.loads_many(json_data)),
        ("json.load_many", lambda: cj.load_many(json_file)),
        ("json.read_document", lambda: cj.read_document(json_file)),
        ("xml.loads_many", lambda: cx.loads_many(xml_data)),
        ("xml.load_many", lambda: cx.load_many(xml_file)),
        ("xml.read_document", lambda: cx.read_document(xml_file)),
    ]


def _collector_state() -> tuple[bool, tuple[int, int, int], int]:
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


def test_the_bulk_readers_leave_the_collector_as_they_found_it(tmp_path: Path) -> None:
    before = _collector_state()
    for name, read in _bulk_readers(tmp_path):
        assert len(read()[0] if name.endswith("read_document") else read()) == 2, name
        assert _collector_state() == before, name


def test_a_failing_bulk_read_leaves_the_collector_as_it_found_it() -> None:
    before = _collector_state()
    with pytest.raises(ValidationError):
        cj.loads_many(cj.dumps_many([rich_case()] * 3).replace(b'"1287"', b'"12"'))
    with pytest.raises(ValidationError):
        cx.loads_many(cx.dumps_many([rich_case()] * 3).replace(b">1287<", b">12<"))
    assert _collector_state() == before


def test_the_collector_runs_while_a_bulk_read_builds_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    original = cj.converter.get_structure_hook(Case)

    def spy(value: Any, cl: Any) -> Any:
        seen.append(gc.isenabled())
        return original(value, cl)

    spying = cj.converter.copy()
    spying.register_structure_hook(Case, spy)
    monkeypatch.setattr(cj, "converter", spying)
    cj.loads_many(cj.dumps_many([minimal_case(), rich_case()]))
    assert seen == [True, True]


def test_a_disabled_collector_stays_disabled_and_frozen_objects_stay_frozen() -> None:
    data = cj.dumps_many([minimal_case()])
    gc.disable()
    try:
        cj.loads_many(data)
        cx.loads_many(cx.dumps_many([minimal_case()]))
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        cj.loads_many(data)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("read", "name"),
    [
        (lambda data, **kw: cj.loads_many(data, **kw), "ssbx_model.codec.json.loads_many"),
        (lambda data, **kw: cx.loads_many(data, **kw), "ssbx_model.codec.xml.loads_many"),
    ],
)
def test_the_pause_gc_argument_is_deprecated_and_changes_nothing(
    read: Callable[..., list[Case]], name: str
) -> None:
    data = (cj if "json" in name else cx).dumps_many([minimal_case()])
    before = _collector_state()
    for pause in (True, False):
        with pytest.warns(DeprecationWarning, match=rf"{name}\(pause_gc=\.\.\.\) is deprecated"):
            assert read(data, pause_gc=pause) == [minimal_case()]
        assert _collector_state() == before


# Runs in a fresh interpreter with the collector's default settings. Each round makes a
# little garbage in reference cycles (as a service does between requests: 10 objects,
# 4 kB each) and calls every bulk reader once; the traced memory after a warm-up must not
# grow. With the readers that froze the young generation, nothing was ever collected
# again and this loop grew by about 90 MB.
_SERVICE_LOOP = textwrap.dedent(
    """
    import sys, tracemalloc
    from pathlib import Path
    from ssbx_model.codec import json as cj, xml as cx
    from ssbx_model.testing import factories

    import datetime as dt
    case = factories.young_person_case(on=dt.date(2024, 3, 15), age=19)
    tmp = Path(sys.argv[1])
    json_data, xml_data = cj.dumps_many([case] * 2), cx.dumps_many([case] * 2)
    (tmp / "cases.json").write_bytes(json_data)
    (tmp / "cases.xml").write_bytes(xml_data)
    readers = [
        lambda: cj.loads_many(json_data),
        lambda: cj.load_many(tmp / "cases.json"),
        lambda: cj.read_document(tmp / "cases.json"),
        lambda: cx.loads_many(xml_data),
        lambda: cx.load_many(tmp / "cases.xml"),
        lambda: cx.read_document(tmp / "cases.xml"),
    ]

    class Request:
        def __init__(self):
            self.itself = self
            self.body = bytes(4096)

    tracemalloc.start()
    rounds, warm_up, after_warm_up, peak = int(sys.argv[2]), 30, 0, 0
    for i in range(rounds):
        for read in readers:
            for _ in range(10):
                Request()
            read()
        current = tracemalloc.get_traced_memory()[0]
        if i == warm_up:
            after_warm_up = current
        peak = max(peak, current)
    print(after_warm_up, peak)
    """
)


def test_a_long_running_loop_over_the_bulk_readers_keeps_its_memory_flat(tmp_path: Path) -> None:
    rounds = 400  # 2,400 reads; about 95 MB of cyclic garbage made in all
    out = subprocess.run(
        [sys.executable, "-c", _SERVICE_LOOP, str(tmp_path), str(rounds)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    after_warm_up, peak = int(out[0]), int(out[1])
    growth_mb = (peak - after_warm_up) / 2**20
    assert growth_mb < 16, f"memory grew by {growth_mb:.1f} MB over {rounds} rounds"
