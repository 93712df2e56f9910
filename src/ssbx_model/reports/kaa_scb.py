"""KAA to SCB, per half-year: everyone in the KAA register and their interventions.

Sources: skollagen (2010:800) 29 kap. 9 § (the municipal activity responsibility and its
register); Föreningen Sambruk, "UKA – Uppföljningssystem för det Kommunala
Aktivitetsansvaret" (project page: "Alla ungdomar som omfattas av det kommunala
aktivitetsansvaret och eventuella åtgärder som ungdomarna deltar i [...] ska rapporteras
till SCB. Detta sker två gånger per år, till 1 februari och 1 september"); Statistiska
centralbyrån, "Kommunernas aktivitetsansvar" (uppgiftslämnarsida,
https://www.scb.se/lamna-uppgifter/undersokningar/Kommunernas-aktivitetsansvar/):
reported per half-year by file upload, and a new file for a half-year **replaces** the
earlier one ("Om du kontrollerar en ny fil raderar du tidigare insända uppgifter").

Who is in it: every person whose KAA register entry
(:class:`~ssbx_model.information.kaa.KaaRegisterEntry`) is in the register on at least
one day of the half-year, with the municipal interventions whose period overlaps both the
half-year and the person's days in the register. The days in the register run from
``entered_on``; whether ``closed_on`` itself is one of them is the parameter
``kaa.closing_day_in_register`` (by default it is not: the closing day is the first day
out), the same reading the rule ``kaa-reconcile`` uses. So an entry closed on 1 July is
in the first half-year only, and one entered and closed on the same day is in no file.
A case whose register answer could not be fetched or was withheld is listed in
``excluded`` (``kaa-scb.register-unknown``); the ``kaa`` rule is evaluated on the
person's last day in the register within the half-year as a cross-check, and a person it
finds outside the responsibility (e.g. turned 20) is listed in ``warnings``, still
reported (the register is what SCB asks for; correct the register).

Deadlines (our reading of the UKA project page): the first half-year (January-June) by
1 September, the second (July-December) by 1 February of the next year.

Occupation and contacts: each person's occupation (sysselsättning) is taken from the
register entry (``occupation``, a code of the ``kaa-occupation`` list, as known on
``occupation_on``), with the first and the latest contact. SCB's own occupation
categories are not verified here (see the code list's note): map them before sending. An
older entry that records no occupation is still reported, with the occupation columns
empty; :attr:`KaaScbReport.without_occupation` counts such persons and the JSON document
says how many, so that the register can be completed rather than the gap go unnoticed.

How people are identified: the parameter ``kaa_scb.person_key``. By default
(``personnummer``) the file carries each young person's personnummer (or
samordningsnummer) in clear text, because SCB's KAA collection is register-based and
individual (which identifier SCB's instructions ask for is not verified; see the readings
register). ``pseudonym`` writes a keyed pseudonym instead (the pseudonymizer's domain with
``/kaa-scb``), stable per person and key, and the CSV column is then named ``pseudonym``.
The persons are sorted by what the file carries, so a pseudonymous file does not keep the
order of birth dates. The Python values keep the number masked in every repr.

SCB's exact file layout is not public. The layout here is ours, versioned
``ssbx-kaa-scb/1``, and written as a table of columns (:data:`KAA_COLUMNS`): build another
tuple of :class:`~ssbx_model.reports.Column` to adapt it, and pass it to
:func:`~ssbx_model.reports.write_csv` with :meth:`KaaScbReport.lines`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final

import attrs

from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.identity import PersonId
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.kaa import KaaRegisterEntry
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.reports._common import (
    PERSONNUMMER,
    PSEUDONYM,
    Column,
    HalfYear,
    Notice,
    ReportKind,
    SerialisableReport,
    check_municipality,
    free_text_shown,
    header,
    iso,
    person_key_reading,
    person_keyer,
    sorted_notices,
)

__all__ = [
    "KAA_COLUMNS",
    "PSEUDONYM_COLUMN",
    "KaaIntervention",
    "KaaLine",
    "KaaPerson",
    "KaaScbReport",
    "build_kaa_scb",
    "due_date",
    "person_key",
]

FORMAT: Final = "ssbx-kaa-scb/1"
RULE_ID: Final = "kaa"
#: The parameter that says how the file identifies a person.
PERSON_KEY: Final = "kaa_scb.person_key"

Scalar = int | float | bool | str


def due_date(half: HalfYear) -> dt.date:
    """When the half-year's file is due at SCB: 1 September for January-June, 1 February of
    the next year for July-December (Föreningen Sambruk, "UKA – Uppföljningssystem för det
    Kommunala Aktivitetsansvaret": "två gånger per år, till 1 februari och 1 september")."""
    return dt.date(half.year, 9, 1) if half.half == 1 else dt.date(half.year + 1, 2, 1)


def replaces_notice(half: HalfYear, municipality: str) -> str:
    """The sentence every KAA file carries: it replaces earlier files for the half-year."""
    return (
        f"This file replaces every earlier file for {half} from municipality {municipality} "
        "(a new file for a half-year replaces the earlier one)."
    )


@attrs.frozen
class KaaIntervention:
    """An intervention during the half-year: id, type, own name, period, extent, provider."""

    intervention_id: str
    intervention_type: str
    local_name: str
    start: dt.date
    end: dt.date | None
    extent: int
    provider: str

    def to_json(self) -> dict[str, Any]:
        """The intervention as a JSON-ready dict."""
        return {
            "intervention_id": self.intervention_id,
            "intervention_type": self.intervention_type,
            "local_name": self.local_name,
            "start": self.start.isoformat(),
            "end": iso(self.end),
            "extent": self.extent,
            "provider": self.provider,
        }


@attrs.frozen
class KaaPerson:
    """One young person in the register during the half-year, and their interventions.

    ``person_key`` is what the file carries (``kaa_scb.person_key``): the identity number
    in clear text (the default when not given), or a pseudonym; ``person`` prints masked.
    """

    person: PersonId
    entry: KaaRegisterEntry
    interventions: tuple[KaaIntervention, ...]
    person_key: str = attrs.field(
        repr=False,
        kw_only=True,
        default=attrs.Factory(lambda self: self.person.reveal(), takes_self=True),
    )

    def to_json(self) -> dict[str, Any]:
        """The person as a JSON-ready dict, with the person key as the file carries it."""
        entry = self.entry
        return {
            "person": self.person_key,
            "entered_on": entry.entered_on.isoformat(),
            "entry_reason": entry.reason.value,
            "contacted_on": iso(entry.contacted_on),
            "later_contacts": [
                {"on": c.on.isoformat(), "channel": c.channel.value, "reached": c.reached}
                for c in entry.contacts
            ],
            "occupation": entry.occupation,
            "occupation_on": iso(entry.occupation_on),
            "closed_on": iso(entry.closed_on),
            "close_reason": entry.close_reason,
            "interventions": [i.to_json() for i in self.interventions],
        }


@attrs.frozen
class KaaLine:
    """One CSV line: a person and one of their interventions (None: a person without)."""

    half: HalfYear
    municipality: str
    person: KaaPerson
    intervention: KaaIntervention | None


def _i(get: Any) -> Any:
    def value(line: KaaLine) -> Any:
        return None if line.intervention is None else get(line.intervention)

    return value


#: The column naming the person in a file that carries the personnummer (the default).
_PERSON_COLUMN: Final[Column[KaaLine]] = Column(
    "personnummer",
    "personnummer or samordningsnummer, YYYYMMDD-NNNC (kaa_scb.person_key 'personnummer')",
    lambda x: x.person.person_key,
)

#: Our KAA file layout (``ssbx-kaa-scb/1``): one line per person and intervention, a person
#: without interventions on one line with the intervention columns empty.
KAA_COLUMNS: tuple[Column[KaaLine], ...] = (
    Column("halvar", "half-year, YYYY-H1 or YYYY-H2", lambda x: str(x.half)),
    Column("kommun", "four-digit code of the home municipality", lambda x: x.municipality),
    _PERSON_COLUMN,
    Column(
        "inskriven_datum",
        "day the person entered the KAA register",
        lambda x: x.person.entry.entered_on,
    ),
    Column(
        "inskrivning_orsak",
        "why the person entered (KaaEntryReason)",
        lambda x: x.person.entry.reason.value,
    ),
    Column("kontakt_datum", "day of the first contact", lambda x: x.person.entry.contacted_on),
    Column(
        "senaste_kontakt_datum",
        "day of the latest contact (the first or a later one)",
        lambda x: x.person.entry.last_contact_on(),
    ),
    Column(
        "sysselsattning",
        "occupation (a kaa-occupation code; empty when the entry records none)",
        lambda x: x.person.entry.occupation,
    ),
    Column(
        "sysselsattning_datum",
        "day the occupation was known",
        lambda x: x.person.entry.occupation_on,
    ),
    Column("avslutad_datum", "day the entry was closed", lambda x: x.person.entry.closed_on),
    Column("avslut_orsak", "why the entry was closed", lambda x: x.person.entry.close_reason),
    Column(
        "insats_id", "the municipality's id of the intervention", _i(lambda i: i.intervention_id)
    ),
    Column("insats_typ", "intervention-type code", _i(lambda i: i.intervention_type)),
    Column(
        "insats_benamning",
        "the municipality's own name of the activity",
        _i(lambda i: i.local_name),
    ),
    Column("insats_start", "first day of the intervention", _i(lambda i: i.start)),
    Column("insats_slut", "last day of the intervention (empty while open)", _i(lambda i: i.end)),
    Column("insats_omfattning", "extent in percent of full time", _i(lambda i: i.extent)),
    Column("insats_utforare", "who delivers the intervention", _i(lambda i: i.provider)),
)

#: The column that names the person in a pseudonymous file (``kaa_scb.person_key``
#: ``pseudonym``), in place of ``personnummer``.
PSEUDONYM_COLUMN: Final[Column[KaaLine]] = Column(
    "pseudonym",
    "a keyed pseudonym of the person, stable per person and key (kaa_scb.person_key)",
    lambda x: x.person.person_key,
)


@attrs.frozen(repr=False)
class KaaScbReport(SerialisableReport):
    """The KAA report of one municipality for one half-year (replaces earlier files).

    ``persons`` are sorted by person key (the identity number, or the pseudonym), each
    person's interventions by start date; ``person_key`` says which the file carries.
    """

    kind: ClassVar[ReportKind] = ReportKind.KAA_SCB

    period: HalfYear
    municipality: str
    persons: tuple[KaaPerson, ...]
    excluded: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()
    person_key: str = attrs.field(
        default=PERSONNUMMER, validator=attrs.validators.in_((PERSONNUMMER, PSEUDONYM))
    )

    @property
    def record_count(self) -> int:
        """The number of people in the report."""
        return len(self.persons)

    @property
    def due(self) -> dt.date:
        """When the file is due at SCB."""
        return due_date(self.period)

    @property
    def without_occupation(self) -> int:
        """The number of persons whose register entry records no occupation."""
        return sum(1 for p in self.persons if p.entry.occupation is None)

    def lines(self) -> list[KaaLine]:
        """The CSV lines: each person with each intervention (or alone, without one)."""
        out: list[KaaLine] = []
        for person in self.persons:
            if not person.interventions:
                out.append(KaaLine(self.period, self.municipality, person, None))
            out.extend(
                KaaLine(self.period, self.municipality, person, i) for i in person.interventions
            )
        return out

    def document(self) -> dict[str, Any]:
        """The report as a JSON document, stating that it replaces earlier files."""
        doc = header(self.kind, self.period, self.municipality, FORMAT)
        doc["due"] = self.due.isoformat()
        doc["replaces_earlier"] = True
        doc["notice"] = replaces_notice(self.period, self.municipality)
        if self.person_key != PERSONNUMMER:
            # Said only when it is not the personnummer, so that a file of the default
            # reading is byte for byte what it was before the parameter existed (its
            # content hash, and so the submission ledger, unchanged).
            doc["person_key"] = self.person_key
        doc["without_occupation"] = self.without_occupation
        doc["persons"] = [p.to_json() for p in self.persons]
        return doc

    def table(self) -> tuple[Sequence[Column[Any]], Sequence[Any], Sequence[str]]:
        """Our column layout, with two comment lines stating the half-year and replacement."""
        first = (
            f"{FORMAT} KAA to SCB, municipality {self.municipality}, half-year {self.period} "
            f"({self.period.start.isoformat()}..{self.period.end.isoformat()}), "
            f"due {self.due.isoformat()}"
        )
        preamble = (first, replaces_notice(self.period, self.municipality))
        columns = KAA_COLUMNS
        if self.person_key == PSEUDONYM:
            columns = tuple(PSEUDONYM_COLUMN if c is _PERSON_COLUMN else c for c in columns)
        return columns, self.lines(), preamble

    def __repr__(self) -> str:
        return (
            f"KaaScbReport(period={self.period}, municipality={self.municipality!r}, "
            f"persons={len(self.persons)}, excluded={len(self.excluded)}, "
            f"warnings={len(self.warnings)})"
        )


def register_span(
    entry: KaaRegisterEntry, *, closing_day_in_register: bool = False
) -> Period | None:
    """The days the person is in the register (see
    :meth:`~ssbx_model.information.kaa.KaaRegisterEntry.days_in_register`)."""
    return entry.days_in_register(closing_day_in_register=closing_day_in_register)


_UNKNOWN = (AnswerStatus.UNAVAILABLE, AnswerStatus.WITHHELD)


def person_key(half: HalfYear, parameters: Mapping[str, Scalar] | None = None) -> str:
    """What identifies a person in the file for ``half``: ``kaa_scb.person_key`` on the
    half-year's last day (``personnummer`` or ``pseudonym``), or its override.

    Raises:
        RuleError: for an override of the wrong type or a value outside the two.
    """
    return person_key_reading(PERSON_KEY, half.end, parameters)


def build_kaa_scb(
    cases: Iterable[Case],
    half: HalfYear,
    *,
    municipality: str,
    parameters: Mapping[str, Scalar] | None = None,
    cross_check: bool = True,
    pseudonymizer: Pseudonymizer | None = None,
) -> KaaScbReport:
    """Build the KAA file of ``municipality`` for the half-year ``half``.

    See the module documentation for who and what is in it. Cases of other
    municipalities are not part of it; a case whose register was not requested is taken as
    not in the register. ``parameters`` are what-if overrides: of
    ``kaa.closing_day_in_register`` (its value on the half-year's last day decides) and
    of the ``kaa`` rule of the cross-check (``cross_check=False`` skips it), and of
    ``kaa_scb.person_key`` (what identifies a person in the file; its value on the
    half-year's last day decides). ``pseudonymizer`` keys the persons when that is
    ``pseudonym`` (the domain ``<domain>/kaa-scb``); it is not used otherwise.

    Raises:
        ReportError: for a bad municipality code, or ``kaa_scb.person_key`` ``pseudonym``
            without a pseudonymizer.
        RuleError: if an override names an unknown parameter or has the wrong type, or
            ``kaa_scb.person_key`` is neither ``personnummer`` nor ``pseudonym``.
    """
    from ssbx_model.rules import evaluate
    from ssbx_model.rules.parameters import default

    check_municipality(municipality)
    window = half.period
    # The day an entry closes is read as the rule kaa-reconcile reads it.
    read = default().view(("kaa.closing_day_in_register",), half.end, parameters)
    closing_day = bool(read["kaa.closing_day_in_register"])
    key_kind = person_key(half, parameters)
    key_for = person_keyer(PERSON_KEY, key_kind, pseudonymizer, ReportKind.KAA_SCB)
    # The municipality's ids and names, the providers and a closing reason.
    shown = free_text_shown(key_kind)
    persons: list[KaaPerson] = []
    excluded: list[Notice] = []
    warnings: list[Notice] = []
    for ci, case in enumerate(cases):
        if case.municipality != municipality:
            continue
        path = f"cases[{ci}]"
        answer = case.kaa_register
        if answer.status in _UNKNOWN:
            excluded.append(
                Notice(
                    "kaa-scb.register-unknown",
                    f"{path}.kaa_register",
                    f"the KAA register entry is {answer.status.value} ({answer.reason}): "
                    f"whether the person belongs in the {half} file is unknown",
                    case.reference,
                )
            )
            continue
        if answer.status is not AnswerStatus.KNOWN or answer.value is None:
            continue
        entry = answer.value
        days = register_span(entry, closing_day_in_register=closing_day)
        span = None if days is None else days.intersection(window)
        if span is None:
            continue
        interventions = sorted(
            (i for i in case.interventions if i.period.overlaps(span)),
            key=lambda i: (i.period.start, i.intervention_id),
        )
        if entry.close_reason is not None:
            entry = attrs.evolve(entry, close_reason=shown(entry.close_reason))
        persons.append(
            KaaPerson(
                person=case.person,
                entry=entry,
                interventions=tuple(
                    KaaIntervention(
                        intervention_id=shown(i.intervention_id),
                        intervention_type=i.intervention_type,
                        local_name=shown(i.local_name),
                        start=i.period.start,
                        end=i.period.end,
                        extent=i.extent.percent,
                        provider=shown(i.provider.name),
                    )
                    for i in interventions
                ),
                person_key=key_for(case.person),
            )
        )
        if cross_check:
            assert span.end is not None
            decision = evaluate(case, RULE_ID, span.end, parameters)
            if decision.outcome.value == "not_eligible":
                warnings.append(
                    Notice(
                        "kaa-scb.rule-not-eligible",
                        path,
                        f"in the KAA register on {span.end.isoformat()}, but the kaa rule "
                        f"finds the person outside the activity responsibility "
                        f"({', '.join(decision.reason_codes())}): still reported; correct "
                        "the register",
                        case.reference,
                    )
                )
    persons.sort(key=lambda p: p.person_key)
    return KaaScbReport(
        period=half,
        municipality=municipality,
        persons=tuple(persons),
        excluded=sorted_notices(excluded),
        warnings=sorted_notices(warnings),
        person_key=str(key_kind),
    )
