"""Socialstyrelsen monthly: ekonomiskt bistånd and municipal labour-market interventions.

Source: Socialstyrelsens föreskrifter (HSLF-FS 2015:30) om socialnämndernas skyldighet att
lämna statistiska uppgifter om ekonomiskt bistånd (decided 2015-12-01, issued under
förordningen (1981:1370) om skyldighet för socialnämnderna att lämna statistiska
uppgifter):

    2 § Varje socialnämnd ska lämna uppgifter om personer och hushåll som under ett
    kalenderår har beviljats ekonomiskt bistånd enligt socialtjänstlagen (2001:453).

    3 § Uppgifter om ekonomiskt bistånd, försörjningshinder och kommunala
    arbetsmarknadsinsatser ska lämnas i enlighet med vad som framgår av bilaga 1.
    Uppgifterna ska avse den kalendermånad som biståndet gäller för och ska lämnas senast
    den 15:e nästkommande månad.

What is verified and what is not. The two sections above are quoted from the regulation
as published (lagen.nu, HSLF-FS 2015:30). **Bilaga 1**, which lists the variables and
their code values, could not be read here: the variables below are ssbx_model's, taken
from the words of 2 § and 3 § and from what the model holds, and each says so in
:data:`SOCIALSTYRELSEN_COLUMNS`. In particular the model holds no amount paid, no
household and no försörjningshinder: the document lists them under ``not_in_model`` so a
vendor adds them from its own records rather than sending a report that silently lacks
them.

Who is in it: every person of the municipality granted försörjningsstöd for at least one
day of the month by a decision made on or before the day the report is built for
(``as_of``, by default the month's last day): the municipality's
:class:`~ssbx_model.information.IncomeSupportDecision` records. For each, the decisions
and the days of the month they cover, and the municipal labour-market interventions
current in the month (:meth:`~ssbx_model.information.MunicipalIntervention.is_current`:
begun, not merely planned) with their types. A case whose ``income_support`` answer is
unavailable or withheld is listed in ``excluded`` (``socialstyrelsen.income-support-
unknown``); one whose answer was not requested is taken as not receiving support.

How people are identified: the parameter ``socialstyrelsen.person_key`` (default
``pseudonym``: a keyed pseudonym, stable per person and key, as INUK's, since identity
numbers stay out of statistics reports unless a deployment decides otherwise);
``personnummer`` writes the number in clear text, for a deployment that has verified that
Bilaga 1 asks for it (Socialstyrelsen's statistics rest on individual data in its register
of ekonomiskt bistånd). The Python values keep the number masked in every repr.

Deadline (:func:`due_date`): the 15th of the next month (``socialstyrelsen.due_day``),
moved to the next Swedish working day when it is a Saturday, Sunday, public holiday,
midsommarafton, julafton or nyårsafton, by the reading of
``socialstyrelsen.due_on_non_working_day`` (lag (1930:173) om beräkning av lagstadgad
tid; ``same-day`` keeps the 15th).

No retroactive change without a correction record: :func:`submit_socialstyrelsen` sends a
report through :func:`~ssbx_model.reports.submit_report` with the month closing at the
end of its due day, so after that a report with other content for the month is refused
(:class:`~ssbx_model.reports.ClosedPeriodError`). A change after the deadline is sent as a
correction (:meth:`SocialstyrelsenReport.correction`), which names the submission it
corrects (its content hash, which the ledger must hold as submitted) and why, and is
recorded in the ledger under the report name ``socialstyrelsen-correction``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final

import attrs

from ssbx_model.calendar import SWEDEN
from ssbx_model.case import Case, Gender
from ssbx_model.clock import Clock
from ssbx_model.errors import ReportError, RuleError
from ssbx_model.identity import PersonId
from ssbx_model.information._base import AnswerStatus
from ssbx_model.ports import LedgerState, ReportPayload, ReportSink, SubmissionLedger
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports._common import (
    CSV_MEDIA_TYPE,
    JSON_MEDIA_TYPE,
    Column,
    Month,
    Notice,
    ReportKind,
    SerialisableReport,
    canonical_json,
    check_municipality,
    free_text_shown,
    header,
    parameter_value,
    person_key_reading,
    person_keyer,
    sorted_notices,
    write_csv,
)

__all__ = [
    "NOT_IN_MODEL",
    "SOCIALSTYRELSEN_COLUMNS",
    "SocialstyrelsenCorrection",
    "SocialstyrelsenRecord",
    "SocialstyrelsenReport",
    "build_socialstyrelsen",
    "due_date",
    "person_key",
    "submit_socialstyrelsen",
]

FORMAT: Final = "ssbx-socialstyrelsen/1"
#: The ledger's report name of a correction (the month's own report is ``socialstyrelsen``).
CORRECTION_REPORT: Final = "socialstyrelsen-correction"
CITATION: Final = (
    "Socialstyrelsens föreskrifter (HSLF-FS 2015:30) om socialnämndernas skyldighet att "
    "lämna statistiska uppgifter om ekonomiskt bistånd, 2 § and 3 §"
)
#: The parameter that says how the file identifies a person.
PERSON_KEY: Final = "socialstyrelsen.person_key"
NEXT_WORKING_DAY, SAME_DAY = "next-working-day", "same-day"

#: What HSLF-FS 2015:30 asks for that the model does not hold (a vendor adds it from its
#: own records): the variable and why it is not in the report.
NOT_IN_MODEL: Final[tuple[tuple[str, str], ...]] = (
    (
        "utbetalt_belopp",
        (
            "the amount of ekonomiskt bistånd paid for the month: the model records "
            "decisions granting försörjningsstöd, not amounts"
        ),
    ),
    (
        "hushall",
        (
            "the household (HSLF-FS 2015:30 2 § 'personer och hushåll'): the model holds "
            "one person per case, no household"
        ),
    ),
    (
        "forsorjningshinder",
        "the obstacle to self-support (HSLF-FS 2015:30 3 § 'försörjningshinder'): not in the model",
    ),
)

Scalar = int | float | bool | str


def due_date(month: Month, *, parameters: Mapping[str, Scalar] | None = None) -> dt.date:
    """The day a month's data are due at Socialstyrelsen: the ``socialstyrelsen.due_day``
    (15th) of the next month, or the next Swedish working day when that day is not a
    working day and ``socialstyrelsen.due_on_non_working_day`` is ``next-working-day``.

    Raises:
        RuleError: if a parameter has a value outside those described.
    """
    following = month.next()
    day = parameter_value("socialstyrelsen.due_day", following.start, parameters)
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
        raise RuleError(f"parameter 'socialstyrelsen.due_day' must be a day 1-28, not {day!r}")
    due = following.start.replace(day=day)
    reading = parameter_value("socialstyrelsen.due_on_non_working_day", following.start, parameters)
    if reading == NEXT_WORKING_DAY:
        return SWEDEN.next_working_day(due)
    if reading == SAME_DAY:
        return due
    raise RuleError(
        "parameter 'socialstyrelsen.due_on_non_working_day' must be "
        f"{NEXT_WORKING_DAY!r} or {SAME_DAY!r}, not {reading!r}"
    )


def closes_at(month: Month, *, parameters: Mapping[str, Scalar] | None = None) -> dt.datetime:
    """When the month closes: midnight (Swedish time) after its due day."""
    day = due_date(month, parameters=parameters) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(0), tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))


@attrs.frozen
class SocialstyrelsenRecord:
    """One person of the month: who (masked in repr), the support and the interventions.

    ``person_key`` is what the file carries: the identity number in clear text
    (``personnummer``) or a pseudonym; ``person`` prints masked. ``support_days`` is the
    number of days of the month that granted decisions cover; ``decisions`` their ids;
    ``intervention_types`` the types (``intervention-type`` codes) of the municipal
    labour-market interventions current in the month, sorted and distinct.
    """

    person: PersonId = attrs.field(repr=True)
    person_key: str = attrs.field(repr=False)
    gender: Gender
    support_days: int
    decisions: tuple[str, ...]
    intervention_types: tuple[str, ...]

    @property
    def in_labour_market_intervention(self) -> bool:
        """True when the person took part in a municipal labour-market intervention."""
        return bool(self.intervention_types)

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON-ready dict (the person key in clear text)."""
        return {
            "person": self.person_key,
            "gender": self.gender.value,
            "support_days": self.support_days,
            "decisions": list(self.decisions),
            "labour_market_intervention": self.in_labour_market_intervention,
            "intervention_types": list(self.intervention_types),
        }


#: Our column layout (``ssbx-socialstyrelsen/1``): the variables of HSLF-FS 2015:30 that
#: the model holds. Bilaga 1's own variable names and code values are NOT verified here.
SOCIALSTYRELSEN_COLUMNS: tuple[Column[tuple[Month, str, SocialstyrelsenRecord]], ...] = (
    Column("manad", "the calendar month the support is for, YYYY-MM (3 §)", lambda x: str(x[0])),
    Column("kommun", "four-digit municipality code", lambda x: x[1]),
    Column(
        "person",
        "personnummer/samordningsnummer or pseudonym (socialstyrelsen.person_key; "
        "Bilaga 1's identifier not verified)",
        lambda x: x[2].person_key,
    ),
    Column("kon", "legal gender K/M from the identity number", lambda x: x[2].gender.value),
    Column(
        "dagar_med_forsorjningsstod",
        "days of the month covered by decisions granting försörjningsstöd (ours)",
        lambda x: x[2].support_days,
    ),
    Column(
        "kommunal_arbetsmarknadsinsats",
        "1 when the person took part in a municipal labour-market intervention in the "
        "month, else 0 (3 § 'kommunala arbetsmarknadsinsatser'; code values not verified)",
        lambda x: 1 if x[2].in_labour_market_intervention else 0,
    ),
    Column(
        "insatstyper",
        "the intervention-type codes, separated by '|' (ours, not Socialstyrelsen's codes)",
        lambda x: "|".join(x[2].intervention_types),
    ),
)


@attrs.frozen(repr=False)
class SocialstyrelsenReport(SerialisableReport):
    """The month's report of one municipality to Socialstyrelsen (HSLF-FS 2015:30).

    ``records`` are sorted by person key; ``as_of`` is the day the decisions were read as
    known; ``due`` the deadline (:func:`due_date`, with the parameters used).
    """

    kind: ClassVar[ReportKind] = ReportKind.SOCIALSTYRELSEN

    period: Month
    municipality: str
    as_of: dt.date
    due: dt.date
    person_key: str
    records: tuple[SocialstyrelsenRecord, ...]
    excluded: tuple[Notice, ...] = ()

    @property
    def record_count(self) -> int:
        """The number of people in the report."""
        return len(self.records)

    def document(self) -> dict[str, Any]:
        """The report as a JSON document."""
        doc = header(self.kind, self.period, self.municipality, FORMAT)
        doc["due"] = self.due.isoformat()
        doc["as_of"] = self.as_of.isoformat()
        doc["citation"] = CITATION
        doc["person_key"] = self.person_key
        doc["not_in_model"] = [{"variable": v, "why": why} for v, why in NOT_IN_MODEL]
        doc["records"] = [r.to_json() for r in self.records]
        return doc

    def table(self) -> tuple[Sequence[Column[Any]], Sequence[Any], Sequence[str]]:
        """Our column layout, with a comment line naming the month and the deadline."""
        first = (
            f"{FORMAT} Socialstyrelsen (HSLF-FS 2015:30), municipality {self.municipality}, "
            f"month {self.period}, due {self.due.isoformat()}; not in the model: "
            + ", ".join(v for v, _ in NOT_IN_MODEL)
        )
        rows = [(self.period, self.municipality, r) for r in self.records]
        return SOCIALSTYRELSEN_COLUMNS, rows, (first,)

    def correction(self, *, corrects: str, reason: str) -> SocialstyrelsenCorrection:
        """This report as a correction of the submission whose content hash is
        ``corrects``, for ``reason`` (a change after the month closed)."""
        return SocialstyrelsenCorrection(self, corrects, reason)

    def __repr__(self) -> str:
        return (
            f"SocialstyrelsenReport(period={self.period}, municipality={self.municipality!r}, "
            f"records={len(self.records)}, excluded={len(self.excluded)}, "
            f"due={self.due.isoformat()})"
        )


@attrs.frozen
class SocialstyrelsenCorrection:
    """A correction record: the corrected month's report, the content hash of the
    submission it corrects, and why. Sent with :func:`submit_socialstyrelsen`."""

    report: SocialstyrelsenReport
    corrects: str
    reason: str

    def __attrs_post_init__(self) -> None:
        if len(self.corrects) != 64 or any(c not in "0123456789abcdef" for c in self.corrects):
            raise ReportError("corrects is the SHA-256 content hash (64 hex digits) it corrects")
        if not self.reason.strip():
            raise ReportError("a correction says why (reason)")

    def document(self) -> dict[str, Any]:
        """The correction as a JSON document: the report's, plus what it corrects and why."""
        doc = self.report.document()
        doc["report"] = CORRECTION_REPORT
        doc["corrects"] = self.corrects
        doc["correction_reason"] = self.reason
        return doc

    def to_payload(self, format: str = "json") -> ReportPayload:
        """The correction as a payload recorded under ``socialstyrelsen-correction``."""
        if format == "json":
            body, media = canonical_json(self.document()), JSON_MEDIA_TYPE
        elif format == "csv":
            columns, rows, preamble = self.report.table()
            lines = (
                *preamble,
                f"correction of {self.corrects}: {self.reason}",
            )
            body, media = write_csv(columns, rows, preamble=lines), CSV_MEDIA_TYPE
        else:
            raise ReportError(f"a report is written as json or csv, not {format!r}")
        return ReportPayload(
            report=CORRECTION_REPORT,
            period=str(self.report.period),
            municipality=self.report.municipality,
            media_type=media,
            body=body,
            records=self.report.record_count,
        )


_UNKNOWN = (AnswerStatus.UNAVAILABLE, AnswerStatus.WITHHELD)


def person_key(month: Month, parameters: Mapping[str, Scalar] | None = None) -> str:
    """What identifies a person in the report for ``month``: ``socialstyrelsen.person_key``
    on the month's first day (``personnummer`` or ``pseudonym``), or its override.

    Raises:
        RuleError: for an override of the wrong type or a value outside the two.
    """
    return person_key_reading(PERSON_KEY, month.start, parameters)


def build_socialstyrelsen(
    cases: Iterable[Case],
    month: Month,
    *,
    municipality: str,
    as_of: dt.date | None = None,
    pseudonymizer: Pseudonymizer | None = None,
    parameters: Mapping[str, Scalar] | None = None,
) -> SocialstyrelsenReport:
    """Build the month's report of ``municipality`` (see the module documentation).

    ``as_of`` (default: the month's last day) is the day decisions are known by: a
    decision made later is not in the report (send a correction once the month has
    closed). ``pseudonymizer`` keys the persons (the domain ``<domain>/socialstyrelsen``);
    it is needed unless ``socialstyrelsen.person_key`` is ``personnummer``.
    ``parameters`` are what-if overrides.

    Raises:
        ReportError: for a bad municipality code, or a pseudonym key without a
            pseudonymizer.
        RuleError: for a parameter value outside those described.
    """
    check_municipality(municipality)
    known_on = month.end if as_of is None else as_of
    key_kind = person_key(month, parameters)
    key_for = person_keyer(PERSON_KEY, key_kind, pseudonymizer, ReportKind.SOCIALSTYRELSEN)
    shown = free_text_shown(key_kind)  # the decisions' ids
    window = month.period
    records: list[SocialstyrelsenRecord] = []
    excluded: list[Notice] = []
    for ci, case in enumerate(cases):
        if case.municipality != municipality:
            continue
        answer = case.income_support
        if answer.status in _UNKNOWN:
            excluded.append(
                Notice(
                    "socialstyrelsen.income-support-unknown",
                    f"cases[{ci}].income_support",
                    f"the decisions on försörjningsstöd are {answer.status.value} "
                    f"({answer.reason}): whether the person belongs in {month} is unknown",
                    case.reference,
                )
            )
            continue
        if answer.status is not AnswerStatus.KNOWN:
            continue
        days: set[dt.date] = set()
        decisions: list[str] = []
        for decision in answer.items():
            if decision.decided_on > known_on:
                continue
            covered = decision.period.intersection(window)
            if covered is None:
                continue
            decisions.append(shown(decision.decision_id))
            days.update(covered.iter_days())
        if not decisions:
            continue
        types = sorted(
            {
                i.intervention_type
                for i in case.interventions
                if i.is_current(month.start, month.end)
            }
        )
        records.append(
            SocialstyrelsenRecord(
                person=case.person,
                person_key=key_for(case.person),
                gender=case.gender,
                support_days=len(days),
                decisions=tuple(sorted(set(decisions))),
                intervention_types=tuple(types),
            )
        )
    records.sort(key=lambda r: r.person_key)
    return SocialstyrelsenReport(
        period=month,
        municipality=municipality,
        as_of=known_on,
        due=due_date(month, parameters=parameters),
        person_key=str(key_kind),
        records=tuple(records),
        excluded=sorted_notices(excluded),
    )


def submit_socialstyrelsen(
    report: SocialstyrelsenReport | SocialstyrelsenCorrection,
    sink: ReportSink,
    ledger: SubmissionLedger,
    clock: Clock,
    *,
    parameters: Mapping[str, Scalar] | None = None,
) -> Any:
    """Send the month's report, or a correction, through ``sink`` with the ledger.

    The month's report closes at the end of its due day (:func:`closes_at`): after that,
    other content for the month is refused with
    :class:`~ssbx_model.reports.ClosedPeriodError` (no retroactive change). A correction
    is accepted at any time, but only of a submission the ledger holds as submitted for
    the same month and municipality; it is recorded under ``socialstyrelsen-correction``.

    Returns the :class:`~ssbx_model.reports.SubmissionResult`.

    Raises:
        ClosedPeriodError: a changed report after the month closed.
        ReportError: a correction of content the ledger never recorded as submitted.
    """
    from ssbx_model.reports.submit import submit_report

    if isinstance(report, SocialstyrelsenCorrection):
        month = report.report
        sent = ledger.entries(
            report=ReportKind.SOCIALSTYRELSEN.value,
            period=str(month.period),
            municipality=month.municipality,
        )
        if not any(
            e.content_hash == report.corrects and e.state is LedgerState.SUBMITTED for e in sent
        ):
            raise ReportError(
                f"the correction names {report.corrects[:12]}..., which the ledger does not "
                f"hold as submitted for {month.period} and municipality {month.municipality}"
            )
        return submit_report(report.to_payload(), sink, ledger, clock)
    return submit_report(
        report,
        sink,
        ledger,
        clock,
        closes_at=closes_at(report.period, parameters=parameters),
    )
