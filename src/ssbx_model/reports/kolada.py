"""Kolada annual figures: participants in labour-market interventions, with small cells hidden.

Source: INUK, Frågor och svar (2019-04-01) ("Kommunerna redovisar även deltagare i
arbetsmarknadsinsatser en gång per år till Kolada"; "Samma system som ni plockar ut
statistik ifrån en gång per år och lägger in i Kolada"); Kolada's public API v3
(values by KPI × municipality × period, gender T/K/M, missing values flagged).

:func:`build_kolada` counts, for one municipality and one calendar year, the people who
took part in a municipal intervention of each category (the ``intervention-type`` code
list) during the year, in total (T) and by legal gender (K, M, from the identity number:
:attr:`ssbx_model.case.Case.gender`), plus one row for every category together. A person
counts once per category however many interventions of it they had, and once in the
"all" row. Summer jobs (feriejobb) are left out unless asked for.

**Suppression** (:func:`suppress_small_cells`): a cell with fewer than ``limit`` (5)
people is shown as ``suppressed`` (value ``null``), never as a number, and zero counts as
small. Because T = K + M in every row, and the "all" row is (when nobody is in two
categories) the sum of the category rows, a single hidden cell in a row or a column could be
computed back from the others. So, repeatedly until nothing changes: in every row (T, K,
M) and in every gender column (all categories and the "all" row), if exactly one cell is
suppressed, the smallest other shown cell of that row or column is suppressed too (on a
tie, a K or M cell of a category rather than a total). After that no shown cell is below
the limit and no row or column has exactly one hidden cell.

The KPI ids are ours (``ssbx.participants.<category>`` and ``ssbx.participants.all``):
Kolada's own KPI ids are assigned by RKA; pass ``kpi_ids`` to use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final

import attrs

from ssbx_model import codes
from ssbx_model.case import Case, Gender
from ssbx_model.codes import CodeList
from ssbx_model.errors import ReportError
from ssbx_model.reports._common import (
    Column,
    Notice,
    ReportKind,
    SerialisableReport,
    Year,
    check_municipality,
    header,
)

__all__ = [
    "ALL_CATEGORIES",
    "DEFAULT_LIMIT",
    "KOLADA_COLUMNS",
    "KoladaCell",
    "KoladaReport",
    "KoladaRow",
    "build_kolada",
    "suppress_small_cells",
]

FORMAT: Final = "ssbx-kolada/1"
#: The default suppression limit: cells with fewer people are not shown.
DEFAULT_LIMIT: Final = 5
#: The category of the row that counts every participant once.
ALL_CATEGORIES: Final = "all"
#: Kolada's gender codes, in the order rows show them: total, women, men.
GENDERS: Final = ("T", Gender.FEMALE.value, Gender.MALE.value)
SUPPRESSED: Final = "suppressed"

SUPPRESSION_RULE: Final = (
    "Cells with fewer than {limit} people (zero included) are suppressed. Then, until "
    "nothing changes, in every row (T, K, M) and every gender column (the categories and "
    "'all'), if exactly one cell is suppressed the smallest other shown cell is suppressed "
    "too, so that no hidden cell can be computed back from totals."
)


@attrs.frozen
class KoladaCell:
    """One value: the gender (T, K or M), the number of people or None, and its status.

    ``status`` is ``""`` for a shown value and ``"suppressed"`` for a hidden one (then
    ``value`` is None: a suppressed cell never carries its count).
    """

    gender: str
    value: int | None
    status: str = ""

    def __attrs_post_init__(self) -> None:
        if (self.value is None) != (self.status == SUPPRESSED):
            raise ReportError("a Kolada cell is either shown with a value or suppressed")

    @property
    def suppressed(self) -> bool:
        """True when the value is hidden."""
        return self.status == SUPPRESSED


@attrs.frozen
class KoladaRow:
    """The figures of one KPI (one intervention category) for the municipality and year."""

    kpi: str
    category: str
    label_sv: str
    cells: tuple[KoladaCell, KoladaCell, KoladaCell]

    def cell(self, gender: str) -> KoladaCell:
        """The cell of ``gender`` (T, K or M)."""
        for cell in self.cells:
            if cell.gender == gender:
                return cell
        raise KeyError(gender)


@attrs.frozen
class _CsvLine:
    row: KoladaRow
    cell: KoladaCell
    municipality: str
    year: int


#: The CSV layout: one line per KPI and gender.
KOLADA_COLUMNS: tuple[Column[_CsvLine], ...] = (
    Column("kpi", "KPI id (ours unless kpi_ids were given)", lambda x: x.row.kpi),
    Column("municipality", "four-digit municipality code", lambda x: x.municipality),
    Column("period", "calendar year", lambda x: x.year),
    Column("gender", "T (total), K (women) or M (men)", lambda x: x.cell.gender),
    Column("value", "number of people; empty when suppressed", lambda x: x.cell.value),
    Column("status", "empty, or 'suppressed'", lambda x: x.cell.status),
    Column("category", "intervention-type code, or 'all'", lambda x: x.row.category),
)


@attrs.frozen
class KoladaReport(SerialisableReport):
    """Participants per intervention category and gender for one municipality and year.

    ``rows`` are sorted by KPI id, the "all" row included; no shown cell is below
    ``limit``. ``excluded`` is empty (nobody is left out of the counts; cases of other
    municipalities are not part of this municipality's report).
    """

    kind: ClassVar[ReportKind] = ReportKind.KOLADA

    period: Year
    municipality: str
    limit: int
    category_list: str
    category_version: str
    rows: tuple[KoladaRow, ...]
    excluded: tuple[Notice, ...] = ()

    @property
    def record_count(self) -> int:
        """The number of KPI rows."""
        return len(self.rows)

    def document(self) -> dict[str, Any]:
        """The report in Kolada's shape: one entry per KPI with values per gender."""
        doc = header(self.kind, self.period, self.municipality, FORMAT)
        doc["category_list"] = {"id": self.category_list, "version": self.category_version}
        doc["suppression"] = {
            "limit": self.limit,
            "rule": SUPPRESSION_RULE.format(limit=self.limit),
        }
        doc["values"] = [
            {
                "kpi": row.kpi,
                "category": row.category,
                "title_sv": row.label_sv,
                "municipality": self.municipality,
                "period": self.period.year,
                "values": [
                    {"gender": c.gender, "value": c.value, "status": c.status} for c in row.cells
                ],
            }
            for row in self.rows
        ]
        return doc

    def table(self) -> tuple[Sequence[Column[Any]], Sequence[Any], Sequence[str]]:
        """One CSV line per KPI and gender."""
        lines = [
            _CsvLine(row, cell, self.municipality, self.period.year)
            for row in self.rows
            for cell in row.cells
        ]
        return KOLADA_COLUMNS, lines, ()


Cell = tuple[str, str]  # (category, gender)


def suppress_small_cells(
    counts: Mapping[str, Mapping[str, int]], limit: int = DEFAULT_LIMIT
) -> frozenset[Cell]:
    """The cells to hide in a table of ``counts[category][gender]`` (gender T, K, M).

    Rows are categories (the "all" row included); T = K + M in each row. Returns every
    (category, gender) to suppress under the rule in the module documentation: each cell
    below ``limit``, then complementary cells until no row and no gender column has
    exactly one suppressed cell.

    Raises:
        ReportError: if ``limit`` is below 1.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ReportError(f"the suppression limit must be a whole number >= 1, not {limit!r}")
    categories = sorted(counts)
    hidden: set[Cell] = {(c, g) for c in categories for g in GENDERS if counts[c].get(g, 0) < limit}
    groups: list[list[Cell]] = [[(c, g) for g in GENDERS] for c in categories]
    groups += [[(c, g) for c in categories] for g in GENDERS]
    changed = True
    while changed:
        changed = False
        for group in groups:
            inside = [cell for cell in group if cell in hidden]
            if len(inside) != 1:
                continue
            shown = [cell for cell in group if cell not in hidden]
            if not shown:
                continue
            hidden.add(min(shown, key=lambda cell: _cost(counts, group, cell)))
            changed = True
    return frozenset(hidden)


def _cost(
    counts: Mapping[str, Mapping[str, int]], group: list[Cell], cell: Cell
) -> tuple[int, bool, int]:
    """Which shown cell to hide next: the smallest gives away the least; on a tie, a
    detail cell rather than a total (T, or the "all" row), then by position."""
    category, gender = cell
    is_total = gender == "T" or category == ALL_CATEGORIES
    return counts[category].get(gender, 0), is_total, group.index(cell)


def _default_kpi(category: str) -> str:
    return f"ssbx.participants.{category}"


def build_kolada(
    cases: Iterable[Case],
    year: Year,
    *,
    municipality: str,
    limit: int = DEFAULT_LIMIT,
    include_summer_jobs: bool = False,
    types: CodeList | None = None,
    kpi_ids: Mapping[str, str] | None = None,
) -> KoladaReport:
    """Count participants per intervention category and gender for ``municipality``.

    A case counts when its municipality is ``municipality`` and it has an intervention
    whose period overlaps ``year``. ``types`` is the intervention-type code list (the
    shipped one by default); one row per type valid at some time in the year, plus the
    "all" row. ``kpi_ids`` maps categories (and ``"all"``) to KPI ids of your own.

    Raises:
        ReportError: for a bad municipality code or suppression limit.
    """
    check_municipality(municipality)
    code_list = types if types is not None else codes.load(codes.INTERVENTION_TYPE)
    kept: dict[str, str] = {}
    for entry in code_list:
        if entry.valid_from > year.end or (
            entry.valid_to is not None and entry.valid_to < year.start
        ):
            continue
        if not include_summer_jobs and entry.attributes.get("summer_job") == "yes":
            continue
        kept.setdefault(entry.code, entry.label_sv)
    counts: dict[str, dict[str, int]] = {c: dict.fromkeys(GENDERS, 0) for c in kept}
    counts[ALL_CATEGORIES] = dict.fromkeys(GENDERS, 0)
    window = year.period
    for case in cases:
        if case.municipality != municipality:
            continue
        found = {
            i.intervention_type
            for i in case.interventions
            if i.intervention_type in kept and i.period.overlaps(window)
        }
        if not found:
            continue
        gender = case.gender.value
        for category in (*found, ALL_CATEGORIES):
            counts[category]["T"] += 1
            counts[category][gender] += 1
    hidden = suppress_small_cells(counts, limit)
    names = dict(kpi_ids or {})
    labels = {**kept, ALL_CATEGORIES: "Samtliga deltagare i arbetsmarknadsinsatser"}
    rows = []
    for category in counts:
        cells = tuple(
            KoladaCell(g, None, SUPPRESSED)
            if (category, g) in hidden
            else KoladaCell(g, counts[category][g])
            for g in GENDERS
        )
        rows.append(
            KoladaRow(
                kpi=names.get(category, _default_kpi(category)),
                category=category,
                label_sv=labels[category],
                cells=(cells[0], cells[1], cells[2]),
            )
        )
    rows.sort(key=lambda r: (r.kpi, r.category))
    return KoladaReport(
        period=year,
        municipality=municipality,
        limit=limit,
        category_list=code_list.id,
        category_version=code_list.version,
        rows=tuple(rows),
    )
