"""The reference page documents every column of every report layout, in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ssbx_model.reports.inuk import INUK_COLUMNS
from ssbx_model.reports.kaa_scb import KAA_COLUMNS
from ssbx_model.reports.kolada import KOLADA_COLUMNS
from ssbx_model.reports.skat15 import SKAT15_COLUMNS

PAGE = (Path(__file__).parents[1] / "docs/reference/reports.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = PAGE.index(f"## {title}")
    end = PAGE.find("\n## ", start + 1)
    return PAGE[start : end if end != -1 else None]


def _documented(section: str) -> list[str]:
    """Column names in the first cell of the section's table rows, in order."""
    names: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([a-z_]+)`", line.split("|")[1])
    return names


@pytest.mark.parametrize(
    ("title", "columns"),
    [
        ("INUK monthly", INUK_COLUMNS),
        ("Dua category-15 monthly", SKAT15_COLUMNS),
        ("KAA to SCB per half-year", KAA_COLUMNS),
    ],
)
def test_every_column_is_documented_in_order(title: str, columns: tuple[object, ...]) -> None:
    documented = _documented(_section(title))
    names = [c.name for c in columns]  # type: ignore[attr-defined]
    assert [n for n in documented if n in names] == names


def test_the_kolada_csv_columns_are_named() -> None:
    section = _section("Kolada annual figures")
    for column in KOLADA_COLUMNS:
        assert f"`{column.name}`" in section
