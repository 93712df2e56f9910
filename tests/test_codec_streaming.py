"""Streaming reads hold one case at a time, whatever the file holds, and the problems
collected from one read are capped with a count of the rest.

Issue 19: a file of ``<case>`` elements in a foreign namespace kept every one of them in
the tree (642 MB for a 300 MB file, against 41 MB for a valid one), and reported every
one of them in one error.
"""

from __future__ import annotations

import io
import json as stdjson
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from codec_support import PERSON, minimal_case

from ssbx_model.codec import NAMESPACE, SCHEMA_VERSION, Limits, check_path
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import UnsafeXmlError, ValidationError

_OPEN = f'<cases xmlns="{NAMESPACE}" schemaVersion="{SCHEMA_VERSION}">'
_FOREIGN = b'<case xmlns="urn:other"><note>not a case of ours</note></case>'
_MINIMAL = (
    f"<case><person>{PERSON.reveal()}</person><municipality>1287</municipality></case>".encode()
)


def _cases(*parts: bytes) -> bytes:
    return _OPEN.encode() + b"".join(parts) + b"</cases>"


def _messages(error: ValidationError) -> list[str]:
    return [p.message for p in error.problems]


# -- memory bounded by the case ------------------------------------------------------------


class _Watched(io.BytesIO):
    """Reads in small pieces and records how many children the stream's root holds."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.stream: Any = None
        self.sizes: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        if self.stream is not None and self.stream.root is not None:
            self.sizes.append(len(self.stream.root))
        return super().read(256)


@pytest.mark.parametrize(
    "stray",
    [_FOREIGN, b'<o:cases xmlns:o="urn:other"><o:case/></o:cases>', _OPEN.encode() + b"</cases>"],
    ids=["case-in-another-namespace", "cases-in-another-namespace", "cases"],
)
def test_stray_elements_leave_the_tree_as_the_stream_moves_on(stray: bytes) -> None:
    source = _Watched(_cases(stray * 300, _MINIMAL, stray * 300))
    source.stream = cx._Stream(source, Limits())
    results = list(source.stream.results())
    assert [type(r) for r in results] == [ValidationError, type(minimal_case()), ValidationError]
    assert len(source.sizes) > 50
    assert max(source.sizes) <= 8  # the parser's read-ahead, never the 600 strays


_STREAM_CHILD = textwrap.dedent(
    """
    import sys
    from ssbx_model.codec import xml
    def rss(key):
        with open("/proc/self/status") as status:
            return int(next(line.split()[1] for line in status if line.startswith(key)))
    before = rss("VmRSS:")
    results = list(xml.iter_results(sys.argv[1]))
    first = results[0].problems
    print(rss("VmHWM:") - before, len(results), len(first), first[-1].message)
    """
)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_large_stream_of_foreign_cases_is_read_in_bounded_memory(tmp_path: Path) -> None:
    count = 50_000
    path = tmp_path / "foreign.xml"
    body = b"".join(b"<note>%d: text the stream must not keep</note>" % k for k in range(10))
    with path.open("wb") as f:  # written a piece at a time: about 27 MB
        f.write(_OPEN.encode())
        for _ in range(count):
            f.write(b'<case xmlns="urn:other">' + body + b"</case>\n")
        f.write(b"</cases>")
    out = subprocess.run(
        [sys.executable, "-c", _STREAM_CHILD, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split(maxsplit=3)
    grown_mb, results, problems, last = int(out[0]) / 1024, int(out[1]), int(out[2]), out[3]
    # Keeping every element grew this process by about 180 MB.
    assert grown_mb < 40, f"peak memory grew by {grown_mb:.0f} MB"
    assert (results, problems) == (1, 1001)
    assert last.startswith(f"and {count - 1000} more problems, not listed")


def test_a_one_case_document_is_one_case_however_many_case_elements_it_holds() -> None:
    nested = b"".join(b"<case><note>%d</note></case>" % k for k in range(2000))
    data = f'<case xmlns="{NAMESPACE}" schemaVersion="{SCHEMA_VERSION}">'.encode()
    data += nested + b"</case>"
    source = _Watched(data)  # read 256 bytes at a time, as a slow network would give them
    with pytest.raises(UnsafeXmlError, match="max_case_bytes"):
        list(cx.iter_results(source, limits=Limits(max_case_bytes=10_000)))


# -- the problem cap -----------------------------------------------------------------------


def test_the_problems_of_stray_elements_are_capped_with_a_count_of_the_rest() -> None:
    data = _cases(_FOREIGN * 12, _MINIMAL, _FOREIGN * 3)
    results = list(cx.iter_results(io.BytesIO(data), limits=Limits(max_problems=5)))
    assert len(results) == 3
    first, case, last = results
    assert isinstance(first, ValidationError)
    assert [p.path for p in first.problems] == [f"cases[{i}]" for i in range(5)] + [""]
    assert first.problems[-1].message == (
        "and 7 more problems, not listed (Limits.max_problems is 5)"
    )
    assert case == minimal_case()
    assert isinstance(last, ValidationError)
    assert [p.path for p in last.problems] == ["cases[13]", "cases[14]", "cases[15]"]
    with pytest.raises(ValidationError) as info:
        list(cx.iter_cases(io.BytesIO(data), limits=Limits(max_problems=5)))
    assert len(info.value.problems) == 6


def _bad_municipalities(n: int) -> list[Any]:
    bad = cj.converter.unstructure(minimal_case())
    return [{**bad, "municipality": "x"} for _ in range(n)]


def test_a_whole_document_reports_at_most_max_problems() -> None:
    raw = {"schema_version": SCHEMA_VERSION, "cases": _bad_municipalities(12)}
    json_data = stdjson.dumps(raw).encode()
    xml_data = cx.dumps_many([minimal_case()] * 12).replace(b">1287<", b">x<")
    for read, data in ((cj.loads_many, json_data), (cx.loads_many, xml_data)):
        with pytest.raises(ValidationError) as info:
            read(data, limits=Limits(max_problems=4))
        assert [p.path for p in info.value.problems] == [
            *(f"cases[{i}].municipality" for i in range(4)),
            "",
        ]
        assert _messages(info.value)[-1] == (
            "and 8 more problems, not listed (Limits.max_problems is 4)"
        )
        with pytest.raises(ValidationError) as info:
            read(data)
        assert len(info.value.problems) == 12


def test_check_path_keeps_at_most_max_problems_and_lists_what_stopped_the_read(
    tmp_path: Path,
) -> None:
    lines = tmp_path / "cases.jsonl"
    lines.write_bytes(b"{}\n" * 8 + cj.dumps(minimal_case()) + b"\n")
    problems = check_path(lines, limits=Limits(max_problems=3))
    assert [p.line for p in problems[:3]] == [1, 1, 2]
    assert problems[-1].message.startswith("and ")
    assert problems[-1].message.endswith("more problems, not listed (Limits.max_problems is 3)")
    assert len(problems) == 4

    broken = tmp_path / "cases.xml"
    broken.write_bytes(_cases(_FOREIGN * 10)[: -len("</cases>")] + b"<unclosed>")
    problems = check_path(broken, limits=Limits(max_problems=3))
    # lxml stops at the syntax error before it hands over every element parsed before
    # it: the strays it did hand over are listed, then the error that ended the read.
    assert problems[0].path == "cases[0]"
    assert "Premature end of data" in problems[-1].message
    assert problems[-1].line == 1


def test_max_problems_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_problems must be a positive int"):
        Limits(max_problems=0)
