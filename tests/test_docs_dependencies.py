"""The documentation names the core's dependencies as pyproject.toml declares them.

The home page (docs/index.md, "The core depends on N widely used packages (a, b, ...)")
and the architecture page ("the core depends on a, b, ... only") must list exactly the
distributions of ``[project] dependencies``, and the home page's count must be right.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def declared() -> set[str]:
    """The core's dependencies by distribution name (lower case, no version)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}


def _names(text: str) -> set[str]:
    parts = re.split(r",\s*|\s+and\s+", " ".join(text.split()))
    return {p.strip().rstrip(".").lower() for p in parts if p.strip()}


def test_the_home_page_lists_the_core_dependencies_and_counts_them() -> None:
    text = " ".join((ROOT / "docs" / "index.md").read_text(encoding="utf-8").split())
    match = re.search(r"The core depends on (\w+) widely used packages \(([^)]*)\)", text)
    assert match is not None, "docs/index.md no longer says what the core depends on"
    assert _names(match.group(2)) == declared()
    assert match.group(1) == _NUMBERS[len(declared())]


def test_the_architecture_page_lists_the_core_dependencies() -> None:
    page = ROOT / "docs" / "explanation" / "architecture.md"
    text = " ".join(page.read_text(encoding="utf-8").split())
    match = re.search(r"the core depends on (.*?) only", text)
    assert match is not None, "architecture.md no longer says what the core depends on"
    assert _names(match.group(1)) == declared()


def test_the_name_parser_reads_a_list_with_and() -> None:
    assert _names("attrs, cattrs,\n  lxml and tzdata") == {"attrs", "cattrs", "lxml", "tzdata"}
