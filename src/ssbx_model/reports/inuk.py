"""INUK monthly: the municipal interventions of young people, pseudonymous, per month.

Source: SKL, "Frågor och svar om statistikuppföljningsverktyget" (the questions and
answers on INUK, published 2019-04-01) — the national follow-up of municipal
interventions for young people (run by Arbetsförmedlingen). What the library takes from
it:

* "ni kommer att behöva mappa benämningarna av era insatser så att de matchar de
  benämningar som används i statistikverktyget": the municipality's own activity names
  are mapped to INUK categories by a **mapping file** (:func:`load_inuk_mapping`). INUK's
  official category list is not public: the library ships **its own** versioned list
  (``codes.load(codes.INUK_CATEGORY)``); pass the list INUK gives you as ``categories``
  (``codes.load_file(path, expect_id="inuk-category")``).
* "slutdatum är obligatoriskt": an intervention without an end date is **rejected**: the
  builder raises one :class:`~ssbx_model.reports.ReportInputError` listing every such
  intervention (and every unmapped activity name), never leaving one out silently.
* When a month closes. The FAQ says it twice, differently: "Data visas först efter
  nästkommande månads 4 arbetsdag. Skickar ni in data i början retroaktivt kommer denna
  data inte med" and "Data uppdateras en gång i månaden, 4 dagar in i ”nya” månaden. All
  data som skickats in under föregående månad kommer då att visas". The parameter
  ``inuk.month_close`` chooses the reading (:func:`month_closes_at`): ``working-day``
  (default: the end of the ``inuk.month_closes_after_working_day``-th, 4th, Swedish
  working day of the next month) or ``month-end`` (the month's own end). "Systemet visar
  inte retroaktiva ändringar": an intervention whose ``changed_at`` is at or after the
  close is not sent for that month: it is listed in ``excluded`` with code
  ``inuk.late-change``.
* "hur många som går till resultat, samt vilken typ av resultat de går vidare till":
  the record of the month in which an intervention ends carries its ``result`` (a code of
  the ``intervention-result`` list), when the municipality recorded one.
* "Uppgifter om själva individen redovisas inte": people appear only under a
  pseudonymous key (:class:`~ssbx_model.pseudonym.Pseudonymizer` with the domain
  ``<domain>/inuk``), with their legal gender; no identity number, name or birth date.

Who is reported is decided by the ``inuk`` rule, per intervention
(:func:`ssbx_model.rules.inuk.inuk_reportable`): the builder evaluates it itself for every
intervention whose period overlaps the month, as of the month's last day (in the target
group when the intervention starts, a current municipal intervention in the month: begun,
not merely planned; AF-decided measures, joint efforts and summer jobs only when the
parameters ``inuk.exclude.*`` leave them out, which by default they do not). A vendor that
registered a widened INUK rule (e.g. newly arrived immigrants) passes its id as
``rule_id``. A decision ``unknown`` (facts missing) is listed in ``excluded`` with code
``inuk.target-group-unknown`` and the missing sets.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import tomllib
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from ssbx_model import codes
from ssbx_model.calendar import SWEDEN, Period
from ssbx_model.case import Case, Gender
from ssbx_model.codes import CodeList
from ssbx_model.errors import Problem, ReportError, RuleError, UnknownCodeError, ValidationError
from ssbx_model.information.intervention import MunicipalIntervention
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports._common import (
    Column,
    Month,
    Notice,
    ReportInputError,
    ReportKind,
    SerialisableReport,
    check_municipality,
    header,
    parameter_value,
    sorted_notices,
)

if TYPE_CHECKING:
    from ssbx_model.rules import Decision

__all__ = [
    "INUK_COLUMNS",
    "InukMapping",
    "InukRecord",
    "InukReport",
    "build_inuk",
    "example_mapping",
    "load_inuk_mapping",
    "month_closes_at",
]

FORMAT: Final = "ssbx-inuk/1"
CLOSING_PARAMETER: Final = "inuk.month_closes_after_working_day"
#: The parameter that chooses the reading of the month close, and its values.
READING_PARAMETER: Final = "inuk.month_close"
WORKING_DAY: Final = "working-day"
MONTH_END: Final = "month-end"
#: INUK's months close in Swedish time (this time zone).
SWEDISH_TIME_ZONE: Final = "Europe/Stockholm"


@functools.cache
def _swedish_time() -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(SWEDISH_TIME_ZONE)
    except zoneinfo.ZoneInfoNotFoundError:
        raise ReportError(
            f"the time zone {SWEDISH_TIME_ZONE} is not available: install the tzdata "
            "package (pip install tzdata) on systems without a time-zone database"
        ) from None


Scalar = int | float | bool | str


# --------------------------------------------------------------------------------------
# When a month closes
# --------------------------------------------------------------------------------------


def month_closes_at(month: Month, *, parameters: Mapping[str, Scalar] | None = None) -> dt.datetime:
    """When ``month`` closes for INUK, in Swedish time, by the reading
    ``inuk.month_close`` chooses:

    * ``working-day`` (the default): midnight after the n-th Swedish working day of the
      next month, n being ``inuk.month_closes_after_working_day`` (4): "Data visas först
      efter nästkommande månads 4 arbetsdag. Skickar ni in data i början retroaktivt
      kommer denna data inte med";
    * ``month-end``: midnight after the month's last day: "Data uppdateras en gång i
      månaden, 4 dagar in i ”nya” månaden. All data som skickats in under föregående månad
      kommer då att visas" (what was sent during the month is shown four days later).

    Data for the month that reach INUK later are not shown; changes made later are not
    sent for it (the INUK questions and answers, "Vi har skickat in data som inte syns").

    Raises:
        RuleError: if a parameter has a value outside those described.
    """
    following = month.next()
    reading = parameter_value(READING_PARAMETER, following.start, parameters)
    if reading == MONTH_END:
        last_open_day = month.end
    elif reading == WORKING_DAY:
        n = parameter_value(CLOSING_PARAMETER, following.start, parameters)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise RuleError(
                f"parameter {CLOSING_PARAMETER!r} must be a whole number from 1, not {n!r}"
            )
        last_open_day = SWEDEN.nth_working_day_of_month(following.year, following.month, n)
    else:
        raise RuleError(
            f"parameter {READING_PARAMETER!r} must be {WORKING_DAY!r} or {MONTH_END!r}, "
            f"not {reading!r}"
        )
    return dt.datetime.combine(
        last_open_day + dt.timedelta(days=1), dt.time(0), tzinfo=_swedish_time()
    )


# --------------------------------------------------------------------------------------
# The mapping file: the municipality's own activity names -> INUK categories
# --------------------------------------------------------------------------------------


def _normal(name: str) -> str:
    """Names match ignoring case and runs of spaces: ' Jobb  Spåret' is 'jobb spåret'."""
    return " ".join(name.split()).casefold()


def _frozen(table: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(table))


_MAPPING_KEYS = frozenset({"municipality", "category_list", "category_version", "note"})


@attrs.frozen
class InukMapping:
    """The municipality's activity names mapped to INUK categories (from a mapping file).

    Names match ignoring case and repeated spaces. ``category_version``, when given, is
    the version of the category list the mapping was made for: building a report with
    another version is an error (map again when INUK's list changes).
    """

    activities: Mapping[str, str] = attrs.field(converter=_frozen)
    source: str = "<mapping>"
    municipality: str | None = None
    category_version: str | None = None

    @classmethod
    def from_dict(
        cls,
        activities: Mapping[str, str],
        *,
        source: str = "<mapping>",
        municipality: str | None = None,
        category_version: str | None = None,
    ) -> InukMapping:
        """A mapping from ``{local activity name: INUK category code}``.

        Raises:
            ValidationError: listing every empty name or code and every name given twice
                (after ignoring case and spaces).
        """
        problems: list[Problem] = []
        table: dict[str, str] = {}
        first: dict[str, str] = {}
        for name, code in activities.items():
            path = f"activities.{name!r}"
            if not isinstance(name, str) or not name.strip():
                problems.append(Problem(path, "an activity name must not be empty"))
                continue
            if not isinstance(code, str) or not code.strip():
                problems.append(Problem(path, "must be an INUK category code (a string)"))
                continue
            key = _normal(name)
            if key in first:
                problems.append(
                    Problem(path, f"is the same name as {first[key]!r} (case and spaces ignored)")
                )
                continue
            first[key] = name
            table[key] = code.strip()
        if problems:
            raise ValidationError(p.prefixed(source) for p in problems)
        return cls(table, source, municipality, category_version)

    def category_of(self, local_name: str) -> str | None:
        """The INUK category of ``local_name``, or None when it is not mapped."""
        return self.activities.get(_normal(local_name))

    def __len__(self) -> int:
        return len(self.activities)


def load_inuk_mapping(path: str | os.PathLike[str]) -> InukMapping:
    """Read a mapping file (TOML; the format is in ``data/inuk-mapping.example.toml``)::

        [mapping]
        municipality = "1287"          # optional: the mapping's municipality
        category_version = "2024.1"    # optional: the INUK category list it was made for

        [activities]
        "Jobbspåret" = "praktik"
        "Studiecoachning" = "coachning"

    Raises:
        ValidationError: listing every problem in the file, with the file's name.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot read the INUK mapping file {p}: {exc.strerror}") from None
    return _parse_mapping(text, str(p))


def example_mapping() -> InukMapping:
    """The example mapping shipped with the library (``data/inuk-mapping.example.toml``)."""
    resource = resources.files("ssbx_model.reports").joinpath("data/inuk-mapping.example.toml")
    return _parse_mapping(resource.read_text(encoding="utf-8"), "data/inuk-mapping.example.toml")


def _parse_mapping(text: str, source: str) -> InukMapping:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(Problem(source, f"is not valid TOML: {exc}")) from None
    problems: list[Problem] = []
    for key in sorted(set(document) - {"mapping", "activities"}):
        problems.append(Problem(key, "unknown table (expected [mapping] and [activities])"))
    meta = document.get("mapping", {})
    if not isinstance(meta, dict):
        problems.append(Problem("mapping", "must be a table"))
        meta = {}
    for key in sorted(set(meta) - _MAPPING_KEYS):
        problems.append(
            Problem(f"mapping.{key}", f"unknown key (allowed: {', '.join(sorted(_MAPPING_KEYS))})")
        )
    texts: dict[str, str | None] = {}
    for key in ("municipality", "category_version", "category_list"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(Problem(f"mapping.{key}", "must be a string"))
            value = None
        texts[key] = value
    listed = texts["category_list"]
    if listed is not None and listed != codes.INUK_CATEGORY:
        problems.append(
            Problem("mapping.category_list", f"must be {codes.INUK_CATEGORY!r}, not {listed!r}")
        )
    activities: dict[str, Any] = {}
    raw = document.get("activities")
    if isinstance(raw, dict) and raw:
        activities = raw
    else:
        problems.append(Problem("activities", "must be a table of 'name' = 'category' lines"))
    for name, code in activities.items():
        if not isinstance(code, str):
            problems.append(Problem(f"activities.{name!r}", "must be a category code string"))
    if problems:
        raise ValidationError(p.prefixed(source) for p in problems)
    return InukMapping.from_dict(
        activities,
        source=source,
        municipality=texts["municipality"],
        category_version=texts["category_version"],
    )


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


@attrs.frozen
class InukRecord:
    """One intervention of one young person in the month, pseudonymous.

    ``record_id`` is stable for (municipality, month, intervention): the endpoint
    deduplicates records by it. ``person`` is the person's pseudonymous key in the INUK
    domain; ``activity`` a key of the intervention (derived from ``person`` and the
    intervention id, so it follows the activity from month to month). ``start`` and
    ``end`` are the intervention's whole period; ``extent`` its extent in percent.
    ``result`` is what the intervention led to (an ``intervention-result`` code), in the
    record of the month it ended in, when the municipality recorded one; otherwise None,
    and the JSON record leaves the key out.
    """

    record_id: str
    person: str
    gender: Gender
    activity: str
    category: str
    start: dt.date
    end: dt.date
    extent: int
    result: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON-ready dict (``result`` only when there is one)."""
        record: dict[str, Any] = {
            "record_id": self.record_id,
            "person": self.person,
            "gender": self.gender.value,
            "activity": self.activity,
            "category": self.category,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "extent": self.extent,
        }
        if self.result is not None:
            # Left out otherwise, so that the records of a month sent before results were
            # carried keep their bytes (and the content hash the ledger holds).
            record["result"] = self.result
        return record


#: The CSV layout of the INUK report (one line per record).
INUK_COLUMNS: tuple[Column[InukRecord], ...] = (
    Column(
        "record_id",
        "stable id of the record (municipality, month, intervention)",
        lambda r: r.record_id,
    ),
    Column("person", "pseudonymous key of the young person (INUK domain)", lambda r: r.person),
    Column("gender", "K or M, from the identity number", lambda r: r.gender.value),
    Column("activity", "key of the intervention, stable across months", lambda r: r.activity),
    Column("category", "INUK category code", lambda r: r.category),
    Column("start", "first day of the intervention", lambda r: r.start),
    Column("end", "last day of the intervention (mandatory)", lambda r: r.end),
    Column("extent", "extent in percent of full time", lambda r: r.extent),
    Column(
        "result",
        "intervention-result code, in the month the intervention ended (empty otherwise)",
        lambda r: r.result,
    ),
)


@attrs.frozen
class InukReport(SerialisableReport):
    """The INUK report of one municipality for one month.

    ``records`` are sorted by (person, activity); ``excluded`` lists what was left out and
    why (late changes, unknown target-group membership). ``closes_at`` is when the month
    closes. The JSON document (the payload INUK receives) holds the records only, not the
    notices, so that a re-run that leaves the same records out gives the same content hash.
    """

    kind: ClassVar[ReportKind] = ReportKind.INUK

    period: Month
    municipality: str
    category_list: str
    category_version: str
    closes_at: dt.datetime
    records: tuple[InukRecord, ...]
    excluded: tuple[Notice, ...] = ()

    @property
    def record_count(self) -> int:
        """The number of records."""
        return len(self.records)

    def document(self) -> dict[str, Any]:
        """The INUK payload: header, category list, closing time and the records."""
        doc = header(self.kind, self.period, self.municipality, FORMAT)
        doc["category_list"] = {"id": self.category_list, "version": self.category_version}
        doc["closes_at"] = self.closes_at.isoformat()
        doc["records"] = [r.to_json() for r in self.records]
        return doc

    def table(self) -> tuple[Sequence[Column[Any]], Sequence[Any], Sequence[str]]:
        """One CSV line per record."""
        return INUK_COLUMNS, self.records, ()


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]


def _reportable(
    case: Case,
    intervention: MunicipalIntervention,
    on: dt.date,
    parameters: Mapping[str, Scalar] | None,
    rule_id: str,
) -> Decision:
    from ssbx_model.rules.inuk import inuk_reportable

    return inuk_reportable(case, intervention, on, parameters, rule_id=rule_id)


def _with_end(intervention: MunicipalIntervention, month: Month) -> MunicipalIntervention:
    """The intervention as if it ended at the end of the month (to ask the rule whether the
    missing end date is the only thing between it and the report)."""
    end = max(month.end, intervention.period.start)
    return attrs.evolve(intervention, period=Period(intervention.period.start, end))


def _describe(case: Case, intervention: MunicipalIntervention) -> str:
    ref = f"case {case.reference!r}, " if case.reference else ""
    return f"{ref}intervention {intervention.intervention_id!r} ({intervention.local_name!r})"


def build_inuk(
    cases: Iterable[Case],
    month: Month,
    *,
    municipality: str,
    pseudonymizer: Pseudonymizer,
    mapping: InukMapping | None = None,
    categories: CodeList | None = None,
    parameters: Mapping[str, Scalar] | None = None,
    rule_id: str = "inuk",
) -> InukReport:
    """Build the INUK report of ``municipality`` for ``month``.

    Cases of other municipalities are not part of it. For every intervention whose period
    overlaps the month the ``inuk`` rule decides (see the module documentation); an
    intervention in the target group is reported under the INUK category it carries
    (``inuk_category``, set by the caseworker) or, failing that, the one ``mapping`` gives
    its ``local_name``. The record of the month an intervention ends in carries its
    ``result``. ``categories`` is the INUK category list (ours by default).
    ``parameters`` overrides rule parameters (e.g. ``inuk.month_close``,
    ``inuk.month_closes_after_working_day``, ``inuk.exclude.summer_jobs``); ``rule_id``
    names the INUK rule to use (a vendor's widened one, for instance).

    Raises:
        ReportInputError: listing every unmapped activity name, every category that is not
            in the list, and every reportable intervention without an end date.
        ReportError: for a bad municipality code or a category list of another id.
    """
    check_municipality(municipality)
    category_list = categories if categories is not None else codes.load(codes.INUK_CATEGORY)
    if category_list.id != codes.INUK_CATEGORY:
        raise ReportError(
            f"the INUK category list must have the id {codes.INUK_CATEGORY!r}, "
            f"not {category_list.id!r}"
        )
    problems: list[Problem] = []
    if (
        mapping is not None
        and mapping.category_version is not None
        and mapping.category_version != category_list.version
    ):
        problems.append(
            Problem(
                mapping.source,
                f"the mapping was made for INUK category list version "
                f"{mapping.category_version}, but the list in use is version "
                f"{category_list.version}: map the activity names again",
            )
        )
    if (
        mapping is not None
        and mapping.municipality is not None
        and mapping.municipality != municipality
    ):
        problems.append(
            Problem(
                mapping.source,
                f"the mapping is for municipality {mapping.municipality}, not {municipality}",
            )
        )
    closes_at = month_closes_at(month, parameters=parameters)
    keyer = attrs.evolve(pseudonymizer, domain=f"{pseudonymizer.domain}/inuk")
    window = month.period
    records: list[InukRecord] = []
    excluded: list[Notice] = []
    unmapped: dict[str, list[tuple[str, str]]] = {}
    for ci, case in enumerate(cases):
        if case.municipality != municipality:
            continue
        person: str | None = None
        for ii, intervention in enumerate(case.interventions):
            overlap = intervention.period.intersection(window)
            if overlap is None:
                continue
            path = f"cases[{ci}].interventions[{ii}]"
            open_ended = intervention.period.end is None
            probe = _with_end(intervention, month) if open_ended else intervention
            decision = _reportable(case, probe, month.end, parameters, rule_id)
            if decision.outcome.value == "not_eligible":
                continue
            if decision.outcome.value == "unknown":
                missing = ", ".join(m.value for m in decision.missing) or "facts"
                excluded.append(
                    Notice(
                        "inuk.target-group-unknown",
                        path,
                        f"{_describe(case, intervention)}: whether the person is in INUK's "
                        f"target group cannot be settled (missing: {missing}); not reported",
                        case.reference,
                        intervention.intervention_id,
                    )
                )
                continue
            changed = intervention.changed_at
            if changed is not None and changed >= closes_at:
                excluded.append(
                    Notice(
                        "inuk.late-change",
                        path,
                        f"{_describe(case, intervention)} changed at {changed.isoformat()}, "
                        f"after {month} closed at {closes_at.isoformat()}: INUK takes no "
                        "retroactive changes, so it is not sent for this month",
                        case.reference,
                        intervention.intervention_id,
                    )
                )
                continue
            if open_ended:
                problems.append(
                    Problem(
                        f"{path}.period.end",
                        f"{_describe(case, intervention)} has no end date; INUK requires "
                        "one (set the planned end date)",
                    )
                )
                continue
            category = intervention.inuk_category
            if category is None and mapping is not None:
                category = mapping.category_of(intervention.local_name)
            if category is None:
                unmapped.setdefault(intervention.local_name, []).append(
                    (path, intervention.intervention_id)
                )
                continue
            try:
                category_list.get(category, on=overlap.start)
            except UnknownCodeError as exc:
                problems.append(
                    Problem(f"{path}.inuk_category", f"{_describe(case, intervention)}: {exc}")
                )
                continue
            end = intervention.period.end
            assert end is not None
            if person is None:
                person = keyer.key_for(case.person)
            activity = "ak_" + _short_hash(person, intervention.intervention_id)[:26]
            records.append(
                InukRecord(
                    record_id=_short_hash(FORMAT, municipality, str(month), activity),
                    person=person,
                    gender=case.gender,
                    activity=activity,
                    category=category,
                    start=intervention.period.start,
                    end=end,
                    extent=intervention.extent.percent,
                    # The result belongs to the month the intervention ended in.
                    result=intervention.result if end in window else None,
                )
            )
    for name in sorted(unmapped, key=_normal):
        places = unmapped[name]
        shown = ", ".join(f"{ident!r} in {path.split('.')[0]}" for path, ident in places[:5])
        more = f" and {len(places) - 5} more" if len(places) > 5 else ""
        where = mapping.source if mapping is not None else "no mapping file was given"
        problems.append(
            Problem(
                places[0][0] + ".local_name",
                f"activity name {name!r} is not mapped to an INUK category ({where}); "
                f"{len(places)} intervention(s): {shown}{more}",
            )
        )
    if problems:
        raise ReportInputError(f"the INUK report for {month} cannot be built", problems)
    records.sort(key=lambda r: (r.person, r.activity, r.record_id))
    return InukReport(
        period=month,
        municipality=municipality,
        category_list=category_list.id,
        category_version=category_list.version,
        closes_at=closes_at,
        records=tuple(records),
        excluded=sorted_notices(excluded),
    )
