"""ssbx_excel: the Dua category-15 monthly report as an .xlsx workbook (openpyxl).

:func:`write_skat15_workbook` writes a :class:`~ssbx_model.reports.Skat15Report` with a
header naming the month and municipality and one row per person and intervention;
:func:`read_skat15_workbook` reads one back. The same report as CSV comes from the core:
``report.to_csv()``.
"""

from ssbx_excel._workbook import (
    FIRST_DATA_ROW,
    HEADING_ROW,
    HEADINGS,
    SHEET_TITLE,
    Skat15Sheet,
    Skat15WorkbookWriter,
    create_writer,
    read_skat15_workbook,
    write_skat15_workbook,
)

__all__ = [
    "FIRST_DATA_ROW",
    "HEADINGS",
    "HEADING_ROW",
    "SHEET_TITLE",
    "Skat15Sheet",
    "Skat15WorkbookWriter",
    "create_writer",
    "read_skat15_workbook",
    "write_skat15_workbook",
]
