"""The category-15 monthly report as an .xlsx workbook.

AF sends municipalities "en särskild Excel-mall" for the young people in applicant
category 15 (Dua, Frågor och svar om kommuninsatser 16-24 år); its exact layout is not
public, so this layout is ours, with the content the seed names ("individ, typ av insats,
insatsens längd och vem som utför insatsen"):

* rows 1-7: a header block: title, month, municipality, the month's dates, number of
  young people, number of rows, and the format;
* row 9: the column headings (:data:`HEADINGS`, in the order of the core's
  :data:`~ssbx_model.reports.skat15.SKAT15_COLUMNS`);
* from row 10: one row per person and intervention, dates as Excel dates.

Nothing in the file comes from the wall clock: the document properties' creation and
modification times and the zip entries' times are midnight at the start of the month
after the report's month, so the same report always gives the same bytes. Text is always
stored as text: a local activity name starting with ``=`` is never a formula.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ssbx_model.errors import AdapterError
from ssbx_model.reports import Month, Skat15Report
from ssbx_model.reports.skat15 import FORMAT, SKAT15_COLUMNS

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

SHEET_TITLE: Final = "Kategori 15"
HEADING_ROW: Final = 9
FIRST_DATA_ROW: Final = 10
DATE_FORMAT: Final = "yyyy-mm-dd"

#: The Swedish column headings, by the core's CSV column name (same order).
HEADINGS: Final[Mapping[str, str]] = {
    "personnummer": "Personnummer",
    "insats_id": "Insats-id",
    "typ_av_insats": "Typ av insats (kod)",
    "typ_benamning": "Typ av insats",
    "lokal_benamning": "Kommunens benämning",
    "startdatum": "Startdatum",
    "slutdatum": "Slutdatum",
    "langd_dagar": "Längd (dagar)",
    "omfattning_procent": "Omfattning (%)",
    "utforare": "Utförare",
}

_WIDTHS: Final = (16, 12, 20, 28, 34, 12, 12, 13, 14, 34)


def _stamp(month: Month) -> dt.datetime:
    """The one time written into the file: midnight starting the month after ``month``."""
    following = month.next()
    return dt.datetime(following.year, following.month, 1)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry one fixed time (not the time of writing)."""

    def __init__(self, file: Any, stamp: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: str | bytes,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self,
        filename: str | os.PathLike[str],
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # openpyxl writes each worksheet to a temporary file first: take its bytes, not
        # its modification time.
        name = arcname if arcname is not None else os.fspath(filename)
        self.writestr(name, Path(filename).read_bytes(), compress_type, compresslevel)


def _text(cell: Cell | MergedCell, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # text stays text: never a formula, whatever it starts with


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, str):
        _text(cell, value)
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value  # type: ignore[assignment]


@attrs.frozen
class Skat15WorkbookWriter:
    """Writes category-15 reports as workbooks (what the ``excel`` adapter entry point gives).

    ``sheet_title`` is the worksheet's name.
    """

    sheet_title: str = SHEET_TITLE

    def build(self, report: Skat15Report) -> Workbook:
        """The workbook of ``report`` (not yet saved)."""
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = self.sheet_title
        bold = Font(bold=True)
        month = report.period
        header: list[tuple[str, object]] = [
            ("Månad", str(month)),
            ("Kommun", report.municipality),
            ("Period", f"{month.start.isoformat()} – {month.end.isoformat()}"),
            ("Antal ungdomar", report.people),
            ("Antal rader", report.record_count),
            ("Format", f"{FORMAT} (ssbx_model)"),
        ]
        _put(sheet, 1, 1, "Sökandekategori 15 kommuninsats – kommunens insatser")
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        for i, (label, value) in enumerate(header, start=2):
            _put(sheet, i, 1, label)
            sheet.cell(row=i, column=1).font = bold
            _put(sheet, i, 2, value)
        for column, spec in enumerate(SKAT15_COLUMNS, start=1):
            _put(sheet, HEADING_ROW, column, HEADINGS[spec.name])
            sheet.cell(row=HEADING_ROW, column=column).font = bold
            sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[column - 1]
        for r, row in enumerate(report.rows, start=FIRST_DATA_ROW):
            for column, spec in enumerate(SKAT15_COLUMNS, start=1):
                _put(sheet, r, column, spec.value(row))
        sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
        stamp = _stamp(month)
        props = book.properties
        props.title = f"Sökandekategori 15 {month} kommun {report.municipality}"
        props.subject = "Dua, lokal överenskommelse: kommunens insatser för sökandekategori 15"
        props.creator = "ssbx_model"
        props.lastModifiedBy = "ssbx_model"
        props.created = stamp
        props.modified = stamp
        return book

    def write(self, report: Skat15Report, path: str | os.PathLike[str]) -> Path:
        """Write ``report`` to ``path`` (an .xlsx file, replaced if it exists).

        Raises:
            AdapterError: if the file cannot be written.
        """
        target = Path(path)
        book = self.build(report)
        try:
            with target.open("wb") as handle, _FixedTimeZip(handle, _stamp(report.period)) as zf:
                ExcelWriter(book, zf).write_data()
        except OSError as exc:
            raise AdapterError(f"cannot write the workbook {target}: {exc.strerror}") from None
        return target


def write_skat15_workbook(report: Skat15Report, path: str | os.PathLike[str]) -> Path:
    """Write the category-15 ``report`` as an .xlsx workbook at ``path``; return the path.

    The workbook has a header block naming the month and municipality and one row per
    person and intervention (see the module documentation). It carries identity numbers
    in clear text, as AF's template does: it is personal data.
    """
    return Skat15WorkbookWriter().write(report, path)


def create_writer(**options: Any) -> Skat15WorkbookWriter:
    """The ``excel`` adapter's factory (entry point group ``ssbx_model.adapters``).

    Options: ``sheet_title``.
    """
    unknown = sorted(set(options) - {"sheet_title"})
    if unknown:
        raise TypeError(f"the excel adapter takes sheet_title=, not {', '.join(unknown)}")
    return Skat15WorkbookWriter(**options)


@attrs.frozen
class Skat15Sheet:
    """A category-15 workbook read back: its month, municipality and rows.

    ``rows`` map the core's column names (``personnummer``, ``startdatum``, ...) to the
    cell values (dates as :class:`datetime.date`, empty cells as None).
    """

    month: str
    municipality: str
    rows: tuple[Mapping[str, object], ...]


def _value(cell: object) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def read_skat15_workbook(path: str | os.PathLike[str]) -> Skat15Sheet:
    """Read a workbook written by :func:`write_skat15_workbook`.

    Raises:
        AdapterError: if the file is not such a workbook.
    """
    book = load_workbook(Path(path), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        cells = [tuple(_value(c) for c in row) for row in sheet.iter_rows()]
    finally:
        book.close()
    names = [spec.name for spec in SKAT15_COLUMNS]
    headings = [HEADINGS[n] for n in names]
    if len(cells) < HEADING_ROW or list(cells[HEADING_ROW - 1][: len(names)]) != headings:
        raise AdapterError(f"{path} is not a category-15 workbook of format {FORMAT}")
    rows = tuple(
        dict(zip(names, row[: len(names)], strict=True)) for row in cells[FIRST_DATA_ROW - 1 :]
    )
    return Skat15Sheet(month=str(cells[1][1]), municipality=str(cells[2][1]), rows=rows)
