"""The Dua category-15 monthly report (AF's Excel template): who had which intervention.

Source: Dua, Frågor och svar om kommuninsatser 16-24 år — "Dokumentationen gäller individ, typ av
insats, insatsens längd och vem som utför insatsen"; "Kommunens kontaktperson ansvarar för att
fylla i mallen för de ungdomar som har sökandekategori-15 kommuninsats. Mallen fylls på
successivt och i början av varje månad skickas en kopia av den"; not reported: "de
arbetsmarknadspolitiska programmen, subventionerade anställningar och jobbgarantin för
ungdomar", "traineejobb och utbildningskontrakt", "feriejobb".

Who is in it (our reading, documented): the young people **AF has placed in applicant
category 15** on at least one day of the month (their enrolment's applicant-category
spells). The template is filled in "for the young people who have category 15", and the
category is AF's decision after the consultation: the library does not second-guess it.
The ``skat15`` rule is evaluated as a **cross-check** and its disagreements are listed in
``warnings`` (someone in category 15 the rule finds not eligible; someone the rule finds
eligible whom AF has not placed in category 15), to be raised at the next samråd.

What is in it: one row per person and intervention whose period overlaps the person's
category-15 days of the month, except the kinds that are never reported (an
``intervention-type`` with ``af_decided = "yes"``: AF programs, subsidised employment,
UGA, traineejobb, utbildningskontrakt; or ``summer_job = "yes"``: feriejobb); those are
listed in ``excluded`` with code ``skat15.not-reported-kind``.

How people are identified: this report goes to Arbetsförmedlingen, which already knows
the young person and keeps the follow-up in its own register; the template identifies
them by **personnummer** (or samordningsnummer). The serialised report (JSON, CSV, .xlsx)
therefore carries the number in clear text; the Python values keep it masked in ``repr``
and in every notice. Treat the files as personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final

import attrs

from ssbx_model import codes
from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.codes import CodeList
from ssbx_model.identity import PersonId
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.intervention import MunicipalIntervention
from ssbx_model.reports._common import (
    Column,
    Month,
    Notice,
    ReportKind,
    SerialisableReport,
    check_municipality,
    header,
    sorted_notices,
)

__all__ = [
    "CATEGORY_15",
    "SKAT15_COLUMNS",
    "Skat15Report",
    "Skat15Row",
    "build_skat15",
    "is_reported_kind",
]

FORMAT: Final = "ssbx-skat15/1"
#: Applicant category 15, kommuninsats (Dua, Frågor och svar om kommuninsatser 16-24 år).
CATEGORY_15: Final = "15"
RULE_ID: Final = "skat15"

Scalar = int | float | bool | str


@attrs.frozen
class Skat15Row:
    """One person and one intervention: the individual, type, length and who delivers it.

    ``person`` prints masked; the serialised report reveals it (AF identifies the young
    person by it). ``end`` and ``days`` are None for an intervention still without an end
    date. ``provider`` is the name of who delivers the intervention (its organisation
    number is left out: a sole trader's is a personnummer).
    """

    person: PersonId
    intervention_id: str
    intervention_type: str
    type_label: str
    local_name: str
    start: dt.date
    end: dt.date | None
    extent: int
    provider: str

    @property
    def days(self) -> int | None:
        """The length of the intervention in days (both ends included), or None if open."""
        return None if self.end is None else (self.end - self.start).days + 1

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON-ready dict, the identity number in clear text."""
        return {
            "person": self.person.reveal(),
            "intervention_id": self.intervention_id,
            "intervention_type": self.intervention_type,
            "type_label": self.type_label,
            "local_name": self.local_name,
            "start": self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "days": self.days,
            "extent": self.extent,
            "provider": self.provider,
        }


#: The CSV layout (and the column order of the Excel workbook): one line per row.
SKAT15_COLUMNS: tuple[Column[Skat15Row], ...] = (
    Column(
        "personnummer",
        "the young person's personnummer or samordningsnummer",
        lambda r: r.person.reveal(),
    ),
    Column("insats_id", "the municipality's id of the intervention", lambda r: r.intervention_id),
    Column(
        "typ_av_insats",
        "type of intervention (intervention-type code)",
        lambda r: r.intervention_type,
    ),
    Column("typ_benamning", "type of intervention, Swedish label", lambda r: r.type_label),
    Column(
        "lokal_benamning", "the municipality's own name of the activity", lambda r: r.local_name
    ),
    Column("startdatum", "first day of the intervention", lambda r: r.start),
    Column("slutdatum", "last day of the intervention (empty while open)", lambda r: r.end),
    Column("langd_dagar", "length in days, both ends included", lambda r: r.days),
    Column("omfattning_procent", "extent in percent of full time", lambda r: r.extent),
    Column("utforare", "who delivers the intervention", lambda r: r.provider),
)


@attrs.frozen(repr=False)
class Skat15Report(SerialisableReport):
    """The category-15 report of one municipality for one month.

    ``rows`` are sorted by (person, start, intervention id). ``excluded`` lists what was
    left out and why; ``warnings`` where the ``skat15`` rule disagrees with AF's category.
    """

    kind: ClassVar[ReportKind] = ReportKind.SKAT15

    period: Month
    municipality: str
    rows: tuple[Skat15Row, ...]
    excluded: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()

    @property
    def record_count(self) -> int:
        """The number of rows (person-interventions)."""
        return len(self.rows)

    @property
    def people(self) -> int:
        """The number of distinct young people in the report."""
        return len({r.person for r in self.rows})

    def document(self) -> dict[str, Any]:
        """The report as a JSON document (identity numbers in clear text, for AF)."""
        doc = header(self.kind, self.period, self.municipality, FORMAT)
        doc["title"] = (
            f"Sökandekategori 15 kommuninsats: kommunens insatser {self.period}, "
            f"kommun {self.municipality}"
        )
        doc["rows"] = [r.to_json() for r in self.rows]
        return doc

    def table(self) -> tuple[Sequence[Column[Any]], Sequence[Any], Sequence[str]]:
        """One CSV line per person and intervention."""
        return SKAT15_COLUMNS, self.rows, ()

    def __repr__(self) -> str:
        return (
            f"Skat15Report(period={self.period}, municipality={self.municipality!r}, "
            f"rows={len(self.rows)}, excluded={len(self.excluded)}, "
            f"warnings={len(self.warnings)})"
        )


def is_reported_kind(intervention_type: str, types: CodeList | None = None) -> bool:
    """False for the kinds the category-15 report never holds: AF-decided measures
    (``af_decided = "yes"``) and summer jobs (``summer_job = "yes"``)."""
    code_list = types if types is not None else codes.load(codes.INTERVENTION_TYPE)
    attributes = code_list.get(intervention_type).attributes
    return attributes.get("af_decided") != "yes" and attributes.get("summer_job") != "yes"


def _category15_periods(case: Case, month: Month) -> list[Period] | None:
    """The parts of the month in which the person has category 15; None when unknown
    (the enrolment's answer is not decided, or it is known without its spells)."""
    answer = case.enrolment
    if answer.status is AnswerStatus.KNOWN:
        assert answer.value is not None
        if not answer.value.spells_stated:
            return None
        found = []
        for spell in answer.value.spells:
            if spell.applicant_category != CATEGORY_15:
                continue
            part = spell.period.intersection(month.period)
            if part is not None:
                found.append(part)
        return found
    if answer.is_decided:
        return []
    return None


def _overlaps_any(intervention: MunicipalIntervention, periods: Sequence[Period]) -> bool:
    return any(intervention.period.overlaps(p) for p in periods)


def _last_day(periods: Iterable[Period]) -> dt.date:
    return max(p.end for p in periods if p.end is not None)


def _kind_reason(intervention: MunicipalIntervention, types: CodeList) -> str:
    attributes = types.get(intervention.intervention_type).attributes
    if attributes.get("summer_job") == "yes":
        return "a summer job (feriejobb)"
    program = attributes.get("af_program")
    extra = f", AF program {program}" if program else ""
    return f"a measure AF decides ({intervention.intervention_type}{extra})"


def build_skat15(
    cases: Iterable[Case],
    month: Month,
    *,
    municipality: str,
    parameters: Mapping[str, Scalar] | None = None,
    types: CodeList | None = None,
    cross_check: bool = True,
) -> Skat15Report:
    """Build the category-15 report of ``municipality`` for ``month``.

    See the module documentation for who and what is in it. The ``skat15`` rule is
    evaluated (with ``parameters`` as what-if overrides) only for the cross-check in
    ``warnings``; ``cross_check=False`` skips it. ``types`` is the intervention-type list
    (the shipped one by default).

    Raises:
        ReportError: for a bad municipality code.
    """
    from ssbx_model.rules import evaluate

    check_municipality(municipality)
    type_list = types if types is not None else codes.load(codes.INTERVENTION_TYPE)
    rows: list[Skat15Row] = []
    excluded: list[Notice] = []
    warnings: list[Notice] = []
    for ci, case in enumerate(cases):
        if case.municipality != municipality:
            continue
        path = f"cases[{ci}]"
        in_month = [i for i in case.interventions if i.period.overlaps(month.period)]
        own = [i for i in in_month if is_reported_kind(i.intervention_type, type_list)]
        own_ids = {i.intervention_id for i in own}
        periods = _category15_periods(case, month)
        if periods is None:
            if own:
                excluded.append(
                    Notice(
                        "skat15.enrolment-unknown",
                        path,
                        f"the enrolment at AF is {case.enrolment.status.value}: whether the "
                        f"person had applicant category 15 in {month} is unknown, so "
                        f"{len(own)} municipal intervention(s) are not reported",
                        case.reference,
                    )
                )
            continue
        if not periods:
            if cross_check and own:
                last = min(month.end, max(i.period.end or month.end for i in own))
                decision = evaluate(case, RULE_ID, last, parameters)
                if decision.is_eligible:
                    warnings.append(
                        Notice(
                            "skat15.eligible-without-category-15",
                            path,
                            f"the skat15 rule finds the person in the category-15 group on "
                            f"{last.isoformat()}, but AF has not set applicant category 15: "
                            "raise it at the next consultation (samråd)",
                            case.reference,
                        )
                    )
            continue
        for ii, intervention in enumerate(case.interventions):
            if not _overlaps_any(intervention, periods):
                continue
            if intervention.intervention_id not in own_ids:
                excluded.append(
                    Notice(
                        "skat15.not-reported-kind",
                        f"{path}.interventions[{ii}]",
                        f"intervention {intervention.intervention_id!r} is "
                        f"{_kind_reason(intervention, type_list)}: not reported in the "
                        "category-15 report",
                        case.reference,
                        intervention.intervention_id,
                    )
                )
                continue
            rows.append(
                Skat15Row(
                    person=case.person,
                    intervention_id=intervention.intervention_id,
                    intervention_type=intervention.intervention_type,
                    type_label=type_list.get(intervention.intervention_type).label_sv,
                    local_name=intervention.local_name,
                    start=intervention.period.start,
                    end=intervention.period.end,
                    extent=intervention.extent.percent,
                    provider=intervention.provider.name,
                )
            )
        if cross_check:
            last = _last_day(periods)
            decision = evaluate(case, RULE_ID, last, parameters)
            if not decision.is_eligible:
                detail = (
                    "missing: " + ", ".join(m.value for m in decision.missing)
                    if decision.missing
                    else "reasons: " + ", ".join(decision.reason_codes())
                )
                warnings.append(
                    Notice(
                        f"skat15.rule-{decision.outcome.value.replace('_', '-')}",
                        path,
                        f"AF has set applicant category 15, but the skat15 rule on "
                        f"{last.isoformat()} says {decision.outcome.value} ({detail})",
                        case.reference,
                    )
                )
    rows.sort(key=lambda r: (r.person.reveal(), r.start, r.intervention_id))
    return Skat15Report(
        period=month,
        municipality=municipality,
        rows=tuple(rows),
        excluded=sorted_notices(excluded),
        warnings=sorted_notices(warnings),
    )
