"""Every snippet and command of the documentation runs (issue 18, point 11).

Each page with code runs in its own process and temporary folder
(``tests/docs_snippets.py``, which says what runs and how): its ``python`` and ``pycon``
blocks in order, its ``$ ssbx ...`` command lines, with its titled example files written
first. A block that needs what only the reader has (their database, certificates, a real
service) is titled ``Sketch: ... (not run here ...)`` on the page, so a reader sees it
too; it is compiled, not run. The tutorial's Python runs in ``test_docs_tutorial.py``.
The counts below keep the pages from drifting into sketches.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).resolve().parent / "docs_snippets.py"
PAGES = sorted(
    p
    for p in (ROOT / "docs").rglob("*.md")
    if re.search(r"^\s*```(python|py|pycon|console)", p.read_text(encoding="utf-8"), re.M)
)
#: At least this many blocks and command lines run (the sketches are not counted).
MIN_RUN = 45
#: At most this many sketches.
MAX_SKETCHES = 12


def _run(page: Path, tmp_path: Path) -> dict[str, object]:
    args = [sys.executable, str(RUNNER), str(page)]
    if page.name == "tutorial.md":
        args.append("--commands-only")
    done = subprocess.run(
        args, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, dict[str, object]]:
    """Every page run once (each in its own process and folder)."""
    return {page: _run(page, tmp_path_factory.mktemp("page")) for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_snippet_of_the_page_runs(page: Path, results: dict[Path, dict[str, object]]) -> None:
    result = results[page]
    assert result["failure"] is None, f"{result['failure']}\n{result['error']}"


def test_the_pages_keep_running_code_and_say_what_is_a_sketch(
    results: dict[Path, dict[str, object]],
) -> None:
    ran = sketches = 0
    for result in results.values():
        counts = result["counts"]
        assert isinstance(counts, dict)
        ran += counts["python"] + counts["pycon"] + counts["commands"]
        sketches += counts["sketch"]
    assert ran >= MIN_RUN, f"only {ran} blocks and commands run"
    assert sketches <= MAX_SKETCHES, f"{sketches} sketches: make them run instead"
    titles = re.findall(
        r'```python title="(Sketch[^"]*)"',
        "".join(p.read_text(encoding="utf-8") for p in PAGES),
    )
    assert len(titles) == sketches
    assert all("not run here" in t for t in titles), titles


def test_the_runner_expects_the_errors_a_page_names(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nfrom ssbx_model import Personnummer\n"
        "Personnummer('1')  # InvalidIdentityNumber: stored as 12 digits\n```\n",
        encoding="utf-8",
    )
    assert _run(page, tmp_path)["failure"] is None
    page.write_text("```python\nx = 1  # ValueError: never raised\n```\n", encoding="utf-8")
    assert _run(page, tmp_path)["failure"] is not None
    page.write_text("```console\n$ ssbx evaluate --no-such-option\n```\n", encoding="utf-8")
    assert _run(page, tmp_path)["failure"] is not None
