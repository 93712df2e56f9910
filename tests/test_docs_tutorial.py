"""The tutorial's code runs as written, so the documentation cannot rot.

Every fenced ``python`` block of ``docs/tutorial.md`` is executed in order, in one
namespace (later blocks use what earlier ones built), in a fresh temporary working
directory. Any exception fails the test and names the block and its line in the file.
Snippets that are not meant to run are fenced as ``console`` or ``text``.

A ``text`` block that directly follows a ``python`` block shows that block's output: each
of its lines must appear in what the block printed, in order. A line ``...`` stands for
any number of lines, and ``[...]`` inside a line for any text, so the page can shorten
long output without lying about it.

The tutorial must keep at least :data:`MIN_BLOCKS` blocks, so that deleting code cannot
make this test pass.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from docs_snippets import fences

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"

#: The tutorial has this many executed blocks, or more.
MIN_BLOCKS = 12

#: Of which this many show their output (checked against what they print).
MIN_SHOWN_OUTPUTS = 8


@dataclass(frozen=True)
class Block:
    """A python block: the line of its opening fence, its code, and its shown output."""

    line: int
    code: str
    shown_output: str | None = None


def python_blocks(text: str) -> list[Block]:
    """The ``python`` blocks of a Markdown text, each with the ``text`` block that
    directly follows it (nothing but blank lines between), if any."""
    lines = text.splitlines()
    found = fences(text)
    blocks: list[Block] = []
    for n, fence in enumerate(found):
        if fence.language not in ("python", "py"):
            continue
        shown = None
        if n + 1 < len(found):
            following = found[n + 1]
            between = lines[fence.end : following.start - 1]
            if following.language == "text" and not any(s.strip() for s in between):
                shown = following.body
        blocks.append(Block(fence.start, fence.body, shown))
    return blocks


def output_mismatch(shown: str, printed: str) -> str | None:
    """None when every line of ``shown`` appears in ``printed`` in order (see the module
    documentation for ``...`` and ``[...]``); otherwise the first line not found."""
    printed_lines = [line.rstrip() for line in printed.splitlines()]
    position = 0
    for expected in shown.splitlines():
        expected = expected.rstrip()
        if not expected or expected == "...":
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in expected.split("[...]")))
        while position < len(printed_lines) and not pattern.fullmatch(printed_lines[position]):
            position += 1
        if position == len(printed_lines):
            return expected
        position += 1
    return None


def test_the_tutorial_keeps_its_examples() -> None:
    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert len(blocks) >= MIN_BLOCKS, (
        f"{TUTORIAL.name} has {len(blocks)} python blocks, expected at least {MIN_BLOCKS}"
    )
    shown = sum(b.shown_output is not None for b in blocks)
    assert shown >= MIN_SHOWN_OUTPUTS, (
        f"{TUTORIAL.name} shows the output of {shown} blocks, expected at least {MIN_SHOWN_OUTPUTS}"
    )


def test_every_python_block_of_the_tutorial_runs_and_prints_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert blocks, "the tutorial has no python blocks"
    monkeypatch.chdir(tmp_path)
    # A vendor's environment may hold a key; the tutorial must not depend on it.
    monkeypatch.delenv("SSBX_PSEUDONYM_KEY", raising=False)
    namespace: dict[str, object] = {"__name__": "tutorial"}
    for number, block in enumerate(blocks, start=1):
        where = (
            f"python block {number} of {len(blocks)} "
            f"(opening fence at {TUTORIAL.name}:{block.line})"
        )
        # Padded so that tracebacks name the line of the Markdown file itself.
        compiled = compile("\n" * block.line + block.code, str(TUTORIAL), "exec")
        output = io.StringIO()
        failure = None
        try:
            with contextlib.redirect_stdout(output):
                exec(compiled, namespace)
        except Exception:  # any failure of a block is the finding
            failure = traceback.format_exc()
        if failure is not None:
            pytest.fail(
                f"{where} raised:\n{failure}\n--- it printed ---\n{output.getvalue()}",
                pytrace=False,
            )
        if block.shown_output is not None:
            missing = output_mismatch(block.shown_output, output.getvalue())
            if missing is not None:
                pytest.fail(
                    f"{where}: the output shown after it has the line\n  {missing}\n"
                    f"which the block did not print (in that order):\n{output.getvalue()}",
                    pytrace=False,
                )


def test_blocks_are_found_inside_admonitions_and_other_fences_are_skipped() -> None:
    text = (
        "intro\n"
        "```python\nx = 1\n```\n"
        "```console\n$ make demo\n```\n"
        "!!! note\n    ```python\n    y = x + 1\n    ```\n"
        "\n"
        "```text\n2\n```\n"
    )
    assert python_blocks(text) == [Block(2, "x = 1\n"), Block(9, "y = x + 1\n", "2\n")]


def test_shown_output_may_elide_lines_and_text_but_not_invent_them() -> None:
    printed = "first\nsecond: a long line\nthird\n"
    assert output_mismatch("first\n...\nthird\n", printed) is None
    assert output_mismatch("second: [...] line\n", printed) is None
    assert output_mismatch("third\nfirst\n", printed) == "first"
    assert output_mismatch("fourth\n", printed) == "fourth"


def _tutorial_source_module() -> str:
    """The tutorial's ``DictSource`` as a module of its own: every import the tutorial
    makes, the class exactly as printed, and a factory for the conformance plugin."""
    imports: list[str] = []
    source_class = None
    for block in python_blocks(TUTORIAL.read_text(encoding="utf-8")):
        tree = ast.parse(block.code)
        imports += [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == "DictSource":
                source_class = ast.get_source_segment(block.code, node)
    assert source_class is not None, "the tutorial no longer defines DictSource"
    factory = (
        "def factory(cases: Iterable[Case]) -> DictSource:\n    return DictSource(list(cases))\n"
    )
    header = "from collections.abc import Iterable\n"
    return header + "\n".join(imports) + "\n\n\n" + source_class + "\n\n\n" + factory


def test_the_tutorials_source_passes_the_conformance_suite(tmp_path: Path) -> None:
    """As the tutorial says: the module in the current folder, ``python -m pytest``."""
    (tmp_path / "my_source.py").write_text(_tutorial_source_module(), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--ssbx-adapter=my_source:factory",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rA",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TestInformationSource" in result.stdout
    assert " passed" in result.stdout
    assert " failed" not in result.stdout


def test_the_tutorials_python_passes_mypy_strict(tmp_path: Path) -> None:
    """Every block, in order, as one module: what a vendor pastes must type-check."""
    from mypy import api

    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    module = tmp_path / "tutorial.py"
    module.write_text("\n".join(b.code for b in blocks), encoding="utf-8")
    stdout, stderr, status = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(module),
        ]
    )
    assert status == 0, stdout + stderr
