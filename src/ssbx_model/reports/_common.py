"""What every report shares: report kinds, report periods, notices and serialisation.

* :class:`ReportKind` names the four reports (``inuk``, ``skat15``, ``kaa-scb``,
  ``kolada``); the name is also the ``report`` of a :class:`~ssbx_model.ports.ReportPayload`
  and of a ledger entry.
* :class:`Month`, :class:`HalfYear` and :class:`Year` are the periods reports cover,
  written ``2024-03``, ``2024-H1`` and ``2024``.
* :class:`Notice` is one item a builder left out of a report (or warns about), with a
  stable code and the reason, never with an identity number.
* :func:`canonical_json` and :func:`write_csv` serialise deterministically (sorted keys,
  sorted rows, fixed line endings), so the content hash of a report is the same on every
  re-run over the same facts. :class:`Column` is one column of a CSV layout: each report
  keeps its layout as a table of columns, easy to read and to adapt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeAlias, TypeVar

import attrs

from ssbx_model._masking import mask_identity_numbers, masked_field
from ssbx_model.calendar import Period
from ssbx_model.errors import Problem, ReportError, RuleError
from ssbx_model.ports import ReportPayload

if TYPE_CHECKING:
    from ssbx_model.identity import PersonId
    from ssbx_model.pseudonym import Pseudonymizer

__all__ = [
    "Column",
    "HalfYear",
    "Month",
    "Notice",
    "ReportInputError",
    "ReportKind",
    "ReportPeriod",
    "Year",
    "canonical_json",
    "parse_period",
    "write_csv",
]

R = TypeVar("R")

#: The value of one CSV cell before it is written: text, a whole number, a date or empty.
Cell: TypeAlias = str | int | dt.date | None

JSON_MEDIA_TYPE = "application/json"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


class ReportKind(StrEnum):
    """The reports a municipality owes (the ``report`` name in payloads and the ledger)."""

    #: INUK, the monthly follow-up of municipal interventions for young people (to AF).
    INUK = "inuk"
    #: The Dua category-15 monthly report (AF's Excel template).
    SKAT15 = "skat15"
    #: The KAA register and interventions, to SCB, per half-year.
    KAA_SCB = "kaa-scb"
    #: Participants in labour-market interventions, per year, to Kolada.
    KOLADA = "kolada"
    #: Ekonomiskt bistånd and municipal labour-market interventions per person and month,
    #: to Socialstyrelsen (HSLF-FS 2015:30).
    SOCIALSTYRELSEN = "socialstyrelsen"


class ReportInputError(ReportError, ValueError):
    """A report cannot be built from the input: ``problems`` lists every offending item.

    Each :class:`~ssbx_model.errors.Problem` has a path into the input
    (``cases[3].interventions[1].period.end``) and a message that names the case by its
    reference and the intervention by its id, never by an identity number.
    """

    def __init__(self, summary: str, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("a ReportInputError needs at least one problem")
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{summary} ({len(self.problems)}):\n{lines}")


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})\Z")
_HALF_RE = re.compile(r"(\d{4})-H([12])\Z")
_YEAR_RE = re.compile(r"(\d{4})\Z")


def _check_year(year: object) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9998:
        raise ReportError(f"a report year must be a whole number from 1900 to 9998, not {year!r}")


@attrs.frozen(order=True)
class Month:
    """A calendar month, written ``YYYY-MM`` (INUK and the Dua category-15 report)."""

    year: int
    month: int

    def __attrs_post_init__(self) -> None:
        _check_year(self.year)
        if isinstance(self.month, bool) or not isinstance(self.month, int):
            raise ReportError(f"a month must be a whole number, not {self.month!r}")
        if not 1 <= self.month <= 12:
            raise ReportError(f"a month is 1 to 12, not {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``.

        Raises:
            ReportError: if ``text`` is not a month in that form.
        """
        found = _MONTH_RE.match(text.strip())
        if found is None:
            raise ReportError(f"not a month in the form YYYY-MM: {text!r}")
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    @property
    def start(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the month."""
        return self.next().start - dt.timedelta(days=1)

    @property
    def period(self) -> Period:
        """The month as a :class:`~ssbx_model.calendar.Period` (both ends included)."""
        return Period(self.start, self.end)

    def next(self) -> Month:
        """The month after this one."""
        if self.month == 12:
            return Month(self.year + 1, 1)
        return Month(self.year, self.month + 1)

    def previous(self) -> Month:
        """The month before this one."""
        if self.month == 1:
            return Month(self.year - 1, 12)
        return Month(self.year, self.month - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@attrs.frozen(order=True)
class HalfYear:
    """A half-year, written ``YYYY-H1`` (January-June) or ``YYYY-H2`` (July-December)."""

    year: int
    half: int

    def __attrs_post_init__(self) -> None:
        _check_year(self.year)
        if self.half not in (1, 2) or isinstance(self.half, bool):
            raise ReportError(f"a half-year is 1 or 2, not {self.half!r}")

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """Parse ``YYYY-H1`` or ``YYYY-H2``.

        Raises:
            ReportError: if ``text`` is not a half-year in that form.
        """
        found = _HALF_RE.match(text.strip().upper())
        if found is None:
            raise ReportError(f"not a half-year in the form YYYY-H1 or YYYY-H2: {text!r}")
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: dt.date) -> HalfYear:
        """The half-year ``day`` falls in."""
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self) -> dt.date:
        """The first day of the half-year (1 January or 1 July)."""
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the half-year (30 June or 31 December)."""
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def period(self) -> Period:
        """The half-year as a :class:`~ssbx_model.calendar.Period`."""
        return Period(self.start, self.end)

    def next(self) -> HalfYear:
        """The half-year after this one."""
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def previous(self) -> HalfYear:
        """The half-year before this one."""
        return HalfYear(self.year - 1, 2) if self.half == 1 else HalfYear(self.year, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-H{self.half}"


@attrs.frozen(order=True)
class Year:
    """A calendar year, written ``YYYY`` (Kolada)."""

    year: int

    def __attrs_post_init__(self) -> None:
        _check_year(self.year)

    @classmethod
    def parse(cls, text: str) -> Year:
        """Parse ``YYYY``.

        Raises:
            ReportError: if ``text`` is not a year in that form.
        """
        found = _YEAR_RE.match(text.strip())
        if found is None:
            raise ReportError(f"not a year in the form YYYY: {text!r}")
        return cls(int(found[1]))

    @classmethod
    def of(cls, day: dt.date) -> Year:
        """The year ``day`` falls in."""
        return cls(day.year)

    @property
    def start(self) -> dt.date:
        """1 January."""
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """31 December."""
        return dt.date(self.year, 12, 31)

    @property
    def period(self) -> Period:
        """The year as a :class:`~ssbx_model.calendar.Period`."""
        return Period(self.start, self.end)

    def next(self) -> Year:
        """The year after this one."""
        return Year(self.year + 1)

    def previous(self) -> Year:
        """The year before this one."""
        return Year(self.year - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}"


#: Any period a report covers.
ReportPeriod: TypeAlias = Month | HalfYear | Year

_PERIOD_OF_KIND: Mapping[ReportKind, type[Month] | type[HalfYear] | type[Year]] = {
    ReportKind.INUK: Month,
    ReportKind.SKAT15: Month,
    ReportKind.KAA_SCB: HalfYear,
    ReportKind.KOLADA: Year,
    ReportKind.SOCIALSTYRELSEN: Month,
}


def period_type(kind: ReportKind | str) -> type[Month] | type[HalfYear] | type[Year]:
    """The period type of a report kind: Month, HalfYear or Year."""
    return _PERIOD_OF_KIND[ReportKind(kind)]


def parse_period(text: str, kind: ReportKind | str | None = None) -> ReportPeriod:
    """Parse ``YYYY-MM``, ``YYYY-H1``/``YYYY-H2`` or ``YYYY``.

    With ``kind``, only the period type of that report is accepted (a month for INUK and
    category 15, a half-year for KAA, a year for Kolada).

    Raises:
        ReportError: if the text is no such period, or not the one ``kind`` needs.
    """
    if kind is not None:
        wanted = period_type(kind)
        try:
            return wanted.parse(text)
        except ReportError:
            forms = {Month: "YYYY-MM", HalfYear: "YYYY-H1 or YYYY-H2", Year: "YYYY"}
            raise ReportError(
                f"the {ReportKind(kind).value} report covers a {wanted.__name__.lower()} "
                f"({forms[wanted]}), not {text!r}"
            ) from None
    for candidate in (Month, HalfYear, Year):
        try:
            return candidate.parse(text)
        except ReportError:
            continue
    raise ReportError(f"not a period (YYYY-MM, YYYY-H1, YYYY-H2 or YYYY): {text!r}")


def last_whole_period(kind: ReportKind | str, on: dt.date) -> ReportPeriod:
    """The last period of ``kind``'s type that ended before ``on`` (the one due next)."""
    wanted = period_type(kind)
    return wanted.of(on).previous()


# --------------------------------------------------------------------------------------
# Notices
# --------------------------------------------------------------------------------------


def _masked_optional(text: str | None) -> str | None:
    return None if text is None else masked_field(text)


@attrs.frozen
class Notice:
    """An item a builder left out of a report (or a warning about one), and why.

    ``code`` is stable (e.g. ``"inuk.late-change"``); ``path`` points into the input
    (``cases[3].interventions[1]``); ``reference`` is the case's own reference and
    ``intervention_id`` the intervention's id, so a caseworker can find it. No notice
    carries an identity number: the message, the reference and the intervention id
    (outside text) are stored with identity-number-shaped sequences masked.
    """

    code: str
    path: str
    message: str = attrs.field(converter=masked_field)
    reference: str | None = attrs.field(default=None, converter=_masked_optional)
    intervention_id: str | None = attrs.field(default=None, converter=_masked_optional)

    def to_json(self) -> dict[str, Any]:
        """The notice as a JSON-ready dict."""
        return {
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "reference": self.reference,
            "intervention_id": self.intervention_id,
        }

    def __str__(self) -> str:
        ref = f" [{self.reference}]" if self.reference else ""
        return f"{self.path}{ref}: {self.message} ({self.code})"


def sorted_notices(notices: Iterable[Notice]) -> tuple[Notice, ...]:
    """Notices in a stable order (by path, then code)."""

    def key(n: Notice) -> tuple[Any, ...]:
        return (_natural(n.path), n.code, n.intervention_id or "", n.message)

    return tuple(sorted(notices, key=key))


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[Any, ...]:
    # "cases[10]" after "cases[9]": compare the numbers as numbers.
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))


# --------------------------------------------------------------------------------------
# Serialisation
# --------------------------------------------------------------------------------------


def canonical_json(document: Mapping[str, Any]) -> bytes:
    """``document`` as UTF-8 JSON with sorted keys, two-space indent and a final newline.

    The same document always gives the same bytes (and so the same content hash).
    Values must already be JSON types (dates as ISO text).
    """
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


@attrs.frozen
class Column(Generic[R]):
    """One column of a CSV layout: its header, what it holds, and how to get the value.

    A report's layout is a tuple of columns (see e.g.
    :data:`ssbx_model.reports.kaa_scb.KAA_COLUMNS`): reorder, rename or drop columns
    by building another tuple and passing it to :func:`write_csv`.
    """

    name: str
    description: str
    value: Callable[[R], Cell] = attrs.field(repr=False)


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(
    columns: Sequence[Column[R]], rows: Iterable[R], *, preamble: Sequence[str] = ()
) -> bytes:
    """Write ``rows`` as CSV (RFC 4180: comma, every cell quoted, CRLF) in UTF-8, with a
    header line.

    ``preamble`` lines come first, each starting with ``# ``: readers skip the leading
    lines that start with ``#`` (every other line starts with ``"``, since every cell is
    quoted). Dates are ISO (``2024-03-01``), empty values are empty cells (``""``). Text is
    written as is: a spreadsheet opening the file may read a cell that starts with ``=``
    as a formula.
    """
    out = io.StringIO(newline="")
    for line in preamble:
        if "\n" in line or "\r" in line:
            raise ReportError("a CSV preamble line must not contain a line break")
        out.write(f"# {line}\r\n")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_cell(c.value(row)) for c in columns])
    return out.getvalue().encode("utf-8")


class SerialisableReport:
    """Shared serialisation of the report classes (a mixin: no state of its own).

    A report class provides :meth:`document` (the JSON document) and :meth:`table` (the
    CSV columns and rows), plus ``kind``, ``period``, ``municipality``, ``record_count``
    and ``excluded``.
    """

    __slots__ = ()

    kind: ClassVar[ReportKind]
    if TYPE_CHECKING:
        # Fields of the attrs subclasses.
        period: ReportPeriod
        municipality: str
        excluded: tuple[Notice, ...]

    @property
    def period_text(self) -> str:
        """The report's period as text (``2024-03``, ``2024-H1``, ``2024``)."""
        return str(self.period)

    @property
    def record_count(self) -> int:
        """The number of records (rows) in the report."""
        raise NotImplementedError

    def document(self) -> dict[str, Any]:
        """The report as a JSON-ready document."""
        raise NotImplementedError

    def table(self) -> tuple[Sequence[Column[Any]], Sequence[Any], Sequence[str]]:
        """The CSV layout: (columns, rows, preamble lines)."""
        raise NotImplementedError

    def to_json_bytes(self) -> bytes:
        """The report as canonical JSON bytes (see :func:`canonical_json`).

        ``to_json()`` across this library gives a JSON-ready value (a dict); for a
        report that value is :meth:`document`, and these are its bytes.
        """
        return canonical_json(self.document())

    def to_csv(self) -> bytes:
        """The report as CSV bytes (see :func:`write_csv`)."""
        columns, rows, preamble = self.table()
        return write_csv(columns, rows, preamble=preamble)

    def to_payload(self, format: str = "json") -> ReportPayload:
        """The report as a :class:`~ssbx_model.ports.ReportPayload` for a sink.

        ``format`` is ``"json"`` (the default) or ``"csv"``. The payload's content hash is
        the SHA-256 of the bytes: the same report gives the same hash on every run.

        Raises:
            ReportError: for another format.
        """
        if format == "json":
            body, media_type = self.to_json_bytes(), JSON_MEDIA_TYPE
        elif format == "csv":
            body, media_type = self.to_csv(), CSV_MEDIA_TYPE
        else:
            raise ReportError(f"a report is written as json or csv, not {format!r}")
        return ReportPayload(
            report=self.kind.value,
            period=self.period_text,
            municipality=self.municipality,
            media_type=media_type,
            body=body,
            records=self.record_count,
        )


def header(kind: ReportKind, period: ReportPeriod, municipality: str, fmt: str) -> dict[str, Any]:
    """The fields every report document starts with."""
    return {
        "format": fmt,
        "report": kind.value,
        "period": str(period),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "municipality": municipality,
    }


_MUNICIPALITY = re.compile(r"\d{4}\Z")


def check_municipality(municipality: str) -> str:
    """``municipality`` if it is a four-digit municipality code (kommunkod).

    Raises:
        ReportError: otherwise.
    """
    if not isinstance(municipality, str) or not _MUNICIPALITY.match(municipality):
        raise ReportError(f"a municipality is a four-digit code, not {municipality!r}")
    return municipality


def iso(day: dt.date | None) -> str | None:
    """``day`` as ISO text, or None."""
    return None if day is None else day.isoformat()


def parameter_value(name: str, on: dt.date, overrides: Mapping[str, Any] | None) -> Any:
    """The value of the parameter ``name`` in force on ``on``, or its override.

    Raises:
        RuleError: for an unknown parameter or an override of the wrong type.
    """
    from ssbx_model.rules import parameters as params

    known = params.default()
    if overrides and name in overrides:
        known.check_overrides({name: overrides[name]})
        return overrides[name]
    return known.value(name, on)


# -- who a report for statistics names ------------------------------------------------------

#: The two readings of a report's person-key parameter (``kaa_scb.person_key``,
#: ``socialstyrelsen.person_key``): the identity number in clear text, or a keyed pseudonym.
PERSONNUMMER, PSEUDONYM = "personnummer", "pseudonym"


def person_key_reading(parameter: str, on: dt.date, overrides: Mapping[str, Any] | None) -> str:
    """The reading of the person-key ``parameter`` in force on ``on`` (or overridden).

    Raises:
        RuleError: for an override of the wrong type, or a value that is neither
            ``personnummer`` nor ``pseudonym``.
    """
    value = parameter_value(parameter, on, overrides)
    if value not in (PERSONNUMMER, PSEUDONYM):
        raise RuleError(
            f"parameter {parameter!r} must be {PERSONNUMMER!r} or {PSEUDONYM!r}, not {value!r}"
        )
    return str(value)


def person_keyer(
    parameter: str, reading: str, pseudonymizer: Pseudonymizer | None, report: ReportKind
) -> Callable[[PersonId], str]:
    """What a report writes for a person under ``reading``: the identity number in clear
    text, or its pseudonym under ``pseudonymizer``'s key in the report's own domain
    (``<domain>/<report>``, so that reports cannot be linked by their pseudonyms).

    Raises:
        ReportError: for ``pseudonym`` without a pseudonymizer.
    """
    if reading != PSEUDONYM:
        return _reveal
    if pseudonymizer is None:
        raise ReportError(f"{parameter} is {PSEUDONYM!r}: pass a pseudonymizer")
    return attrs.evolve(pseudonymizer, domain=f"{pseudonymizer.domain}/{report.value}").key_for


def free_text_shown(reading: str) -> Callable[[str], str]:
    """How a report writes free text under ``reading``: a pseudonymous file names nobody,
    so identity-number-shaped sequences in it are masked; a file that carries the number
    writes free text as recorded."""
    return mask_identity_numbers if reading == PSEUDONYM else _as_recorded


def _reveal(person: PersonId) -> str:
    return person.reveal()


def _as_recorded(text: str) -> str:
    return text
