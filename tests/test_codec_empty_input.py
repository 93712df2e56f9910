"""Empty and cut-off input (issue 17): a file with nothing in it is "the file is empty" in
every format, a 0-byte JSON Lines file is no silent success, and a JSON Lines file cut
off in its last line names that line; through the library and through ``ssbx validate``."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from codec_support import minimal_case, rich_case

from ssbx_model.cli import main
from ssbx_model.codec import check_path, is_many_document, iter_path, load_path
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import ValidationError

_EMPTY = [b"", b" ", b"\n", b"\r\n\t \n"]


def _only_problem(error: ValidationError) -> tuple[str, str, int | None]:
    assert len(error.problems) == 1, error.problems
    p = error.problems[0]
    return p.path, p.message, p.line


@pytest.mark.parametrize("content", _EMPTY)
@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".xml"])
def test_an_empty_file_is_the_file_is_empty_in_every_format(
    tmp_path: Path, suffix: str, content: bytes
) -> None:
    path = tmp_path / f"cases{suffix}"
    path.write_bytes(content)
    readers: list[Callable[[], Any]] = [
        lambda: load_path(path),
        lambda: list(iter_path(path)),
    ]
    if suffix != ".jsonl":
        module: Any = cj if suffix == ".json" else cx
        readers += [
            lambda: module.load(path),
            lambda: module.load_many(path),
            lambda: module.read_document(path),
        ]
    if suffix != ".json":
        module = cj if suffix == ".jsonl" else cx
        readers += [lambda: list(module.iter_cases(path))]
    if suffix == ".xml":
        readers += [lambda: is_many_document(path)]
    for read in readers:
        with pytest.raises(ValidationError) as info:
            read()
        path_, message, line = _only_problem(info.value)
        assert (path_, line) == ("", None)
        assert message.startswith("the file is empty")
    problems = check_path(path)
    assert [(p.path, p.message.startswith("the file is empty")) for p in problems] == [("", True)]


@pytest.mark.parametrize("content", _EMPTY)
@pytest.mark.parametrize("module", [cj, cx], ids=["json", "xml"])
def test_an_empty_document_is_the_document_is_empty(module: Any, content: bytes) -> None:
    for read in (module.loads, module.loads_many):
        with pytest.raises(ValidationError) as info:
            read(content)
        assert _only_problem(info.value)[1].startswith("the document is empty")
        with pytest.raises(ValidationError):
            read(content.decode())


def test_blank_lines_among_cases_are_each_reported_in_line_order() -> None:
    line = cj.dumps(minimal_case())
    results = list(cj.iter_results(io.BytesIO(b"\n" + line + b"\n\n \n" + line + b"\n\n")))
    shown = [r if isinstance(r, ValidationError) else "case" for r in results]
    lines = [r.problems[0].line if isinstance(r, ValidationError) else r for r in shown]
    assert lines == [1, "case", 3, 4, "case", 6]
    assert all("empty line" in str(r) for r in shown if isinstance(r, ValidationError))


@pytest.mark.parametrize("cut", [1, 10, 40, -2])
def test_a_json_lines_file_cut_off_in_its_last_line_names_that_line(cut: int) -> None:
    whole = cj.dumps(minimal_case()) + b"\n" + cj.dumps(rich_case())
    data = whole[: len(cj.dumps(minimal_case())) + 1 + cut] if cut > 0 else whole[:cut]
    stream = cj.iter_cases(io.BytesIO(data))
    assert next(stream) == minimal_case()
    with pytest.raises(ValidationError) as info:
        next(stream)
    path, message, line = _only_problem(info.value)
    assert (path, line) == ("", 2)
    assert "the file ends in the middle of this line" in message
    assert "truncated" in message


def test_a_last_line_without_a_newline_that_is_complete_is_a_case() -> None:
    data = cj.dumps(minimal_case()) + b"\n" + cj.dumps(rich_case())
    assert list(cj.iter_cases(io.BytesIO(data))) == [minimal_case(), rich_case()]


def test_a_bad_last_line_without_a_newline_keeps_its_own_problems() -> None:
    # Complete JSON with a bad value is not cut off: its problem is named as usual.
    data = cj.dumps(minimal_case()).replace(b'"1287"', b'"12"')
    with pytest.raises(ValidationError) as info:
        list(cj.iter_cases(io.BytesIO(data)))
    assert _only_problem(info.value)[:1] == ("case.municipality",)


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".xml"])
def test_validate_fails_on_an_empty_file(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: (document): the file is empty" in err


def test_validate_fails_on_a_cut_off_json_lines_file_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_bytes(cj.dumps(minimal_case()) + b"\n" + cj.dumps(rich_case())[:-3])
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: (document): the file ends in the middle of this line" in err
