"""The tutorial's code runs as written, so the documentation cannot rot.

Every fenced ``python`` block of ``docs/tutorial.md`` is executed in order, in one
namespace (later blocks use what earlier ones built), in a fresh temporary working
directory. Any exception fails the test and names the block and its first line in the
file. Snippets that are not meant to run are fenced as ``console`` or ``text``.

The tutorial must keep at least :data:`MIN_BLOCKS` blocks, so that deleting code cannot
make this test pass.
"""

from __future__ import annotations

import contextlib
import io
import re
import traceback
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"

#: The tutorial has this many executed blocks, or more.
MIN_BLOCKS = 12

# A fence opens with three or more backticks (optionally indented, as inside an
# admonition) and the language; it closes with the same indentation and backticks.
_FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<ticks>`{3,})(?P<info>[^`\n]*)$")


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The ``python`` blocks of a Markdown text: (line of the opening fence, code)."""
    blocks: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, ticks = opening["indent"], opening["ticks"]
        language = opening["info"].strip().split(" ")[0].strip("{}.").lower()
        start = i + 1
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip() != ticks:
            line = lines[i]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            i += 1
        i += 1  # the closing fence
        if language in ("python", "py"):
            blocks.append((start, "\n".join(body) + "\n"))
    return blocks


def test_the_tutorial_keeps_its_examples() -> None:
    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert len(blocks) >= MIN_BLOCKS, (
        f"{TUTORIAL.name} has {len(blocks)} python blocks, expected at least {MIN_BLOCKS}"
    )


def test_every_python_block_of_the_tutorial_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert blocks, "the tutorial has no python blocks"
    monkeypatch.chdir(tmp_path)
    # A vendor's environment may hold a key; the tutorial must not depend on it.
    monkeypatch.delenv("SSBX_PSEUDONYM_KEY", raising=False)
    namespace: dict[str, object] = {"__name__": "tutorial"}
    output = io.StringIO()
    for number, (line, code) in enumerate(blocks, start=1):
        # Padded so that tracebacks name the line of the Markdown file itself.
        compiled = compile("\n" * line + code, str(TUTORIAL), "exec")
        failure = None
        try:
            with contextlib.redirect_stdout(output):
                exec(compiled, namespace)
        except Exception:  # any failure of a block is the finding
            failure = traceback.format_exc()
        if failure is not None:
            pytest.fail(
                f"python block {number} of {len(blocks)} (opening fence at "
                f"{TUTORIAL.name}:{line}) raised:\n{failure}\n"
                f"--- output of the blocks before it ---\n{output.getvalue()}",
                pytrace=False,
            )


def test_blocks_are_found_inside_admonitions_and_other_fences_are_skipped() -> None:
    text = (
        "intro\n"
        "```python\nx = 1\n```\n"
        "```console\n$ make demo\n```\n"
        "!!! note\n    ```python\n    y = x + 1\n    ```\n"
        "```text\nnot code\n```\n"
    )
    assert python_blocks(text) == [(2, "x = 1\n"), (9, "y = x + 1\n")]
