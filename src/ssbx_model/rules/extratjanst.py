"""Rule ``extratjanst``: can the client be assigned an extratjänst?

Extratjänst is särskilt anställningsstöd i form av extratjänst: a fully subsidised job in
the public or non-profit sector for the long-term unemployed and newly arrived immigrants.

Source (förordning (2015:503) om särskilt anställningsstöd, 8 §, as worded by förordning
(2016:926); from 2018-05-01 förordning (2018:42) om särskilt anställningsstöd):

    En anvisning till särskilt anställningsstöd i form av extratjänst får göras för vissa
    deltagare i jobb- och utvecklingsgarantin och för vissa nyanlända invandrare.

and Arbetsförmedlingen's public description of the requirements ("En arbetssökande kan få
en extratjänst om han eller hon är arbetslös, inskriven på Arbetsförmedlingen och
uppfyller något av följande: Har deltagit i jobb- och utvecklingsgarantin i 450
ersättningsdagar. Är nyanländ och har eller har haft en etableringsplan. [...]").
What the municipality needs to know (SKR, Processkartläggning del 2 (2022-03-11), "Samverkansprocess
Extratjänst inom Malmö stad"): "Hur länge har klienten varit inskriven på Af? I vilken
garanti?"

Citation: förordning (2015:503) om särskilt anställningsstöd, 8-8 a §§; förordning
(2018:42) om särskilt anställningsstöd; förordning (2007:414) om jobb- och
utvecklingsgarantin; SKR, Processkartläggning del 2 (2022-03-11), "Samverkansprocess Extratjänst
inom Malmö stad".

The conditions, as encoded (all must hold):

1. ``open-for-new-assignments``: AF makes new extratjänst assignments on the date
   (parameter ``extratjanst.open_for_new_assignments``: from 2015-11-01; **AF stopped new
   assignments from 2022-01-01**, a public fact beyond the seeds; override it for a
   what-if).
2. ``registered-at-af``: enrolled at AF on the date (the trace shows since when and for
   how many days).
3. ``qualifying-guarantee`` (either route; Kleene's three-valued OR):

   - **JOB**: at least ``extratjanst.min_job_guarantee_days`` (450) days with compensation
     in jobb- och utvecklingsgarantin, from the ``job_guarantee_days`` set (absent or not
     found: 0 days). The count is as of its own date; days only grow, by at most one a
     calendar day, so a count from another date settles the question when it is far
     enough from the limit and is unknown otherwise.
   - **establishment**: while ``extratjanst.establishment_route`` is true (from December
     2016), a program decision for etableringsprogrammet (``ETABL``) that started on or
     before the date ("har eller har haft en etableringsplan"), or such a spell in the job
     guarantee's program history. Program decisions not decided: unknown.

   The third public route (a residence permit as a family member of an EU/EEA citizen
   within 36 months) is not encoded: the permit set does not say on which ground a permit
   was given.

AF decides the assignment; eligible means the requirements above are met.
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.assign_intervention import registered_at_af
from ssbx_model.rules.authoring import (
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Reason,
    ReasonKind,
    Unknown,
    register_rule,
    unknowns,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["CITATION", "RULE", "RULE_ID", "job_guarantee_days_bounds"]

RULE_ID = "extratjanst"
SEED = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    "förordning (2015:503) om särskilt anställningsstöd, 8-8 a §§; förordning (2018:42) om "
    "särskilt anställningsstöd; förordning (2007:414) om jobb- och utvecklingsgarantin; "
    f"{SEED}, 'Samverkansprocess Extratjänst inom Malmö stad'"
)
SOURCE_TEXT = (
    "En anvisning till särskilt anställningsstöd i form av extratjänst får göras för vissa "
    "deltagare i jobb- och utvecklingsgarantin och för vissa nyanlända invandrare. "
    "[förordning (2015:503) 8 §] -- Hur länge har klienten varit inskriven på Af? I vilken "
    "garanti? [SSBTX-rapporten, Samverkansprocess Extratjänst inom Malmö stad]"
)
_C_OPEN = (
    "förordning (2015:503) om särskilt anställningsstöd, 8 §; Arbetsförmedlingen, press "
    "release 2021-12-23 'Extratjänster fasas ut under 2022'"
)
_C_AF = (
    f"{SEED}, 'Samverkansprocess Extratjänst inom Malmö stad' ('Hur länge har klienten varit "
    "inskriven på Af?'); Arbetsförmedlingen's description of extratjänst ('arbetslös, "
    "inskriven på Arbetsförmedlingen')"
)
_C_JOB = (
    "förordning (2015:503) 8-8 a §§ and förordning (2007:414) om jobb- och "
    "utvecklingsgarantin; Arbetsförmedlingen's description of extratjänst ('Har deltagit i "
    f"jobb- och utvecklingsgarantin i 450 ersättningsdagar'); {SEED}, 'Samverkansprocess "
    "Extratjänst inom Malmö stad' ('I vilken garanti?')"
)
_C_ETABL = (
    "förordning (2015:503) 8 § as worded by förordning (2016:926) ('och för vissa nyanlända "
    "invandrare'); förordning (2017:820) om etableringsinsatser för vissa nyanlända "
    "invandrare; Arbetsförmedlingen's description of extratjänst ('Är nyanländ och har "
    "eller har haft en etableringsplan')"
)
_OPEN = "extratjanst.open_for_new_assignments"
_MIN_DAYS = "extratjanst.min_job_guarantee_days"
_ETABL_ROUTE = "extratjanst.establishment_route"
_ETABL = "ETABL"


def _r(code: str, kind: ReasonKind, sv: str, en: str, citation: str) -> Reason:
    return Reason(f"{RULE_ID}.{code}", kind, sv, en, citation)


OPEN = _r(
    "open-for-new-assignments",
    ReasonKind.HOLDS,
    "Arbetsförmedlingen gör nya anvisningar till extratjänst.",
    "AF makes new assignments to extratjänst.",
    _C_OPEN,
)
CLOSED = _r(
    "closed-for-new-assignments",
    ReasonKind.FAILS,
    "Arbetsförmedlingen gör inga nya anvisningar till extratjänst den dagen (extratjänster "
    "fasas ut sedan 2022-01-01; pågående beslut gäller till sitt slut).",
    "AF makes no new assignments to extratjänst on the date (phased out since 2022-01-01; "
    "decisions already made run to their end).",
    _C_OPEN,
)
QUALIFIES = _r(
    "qualifying-guarantee",
    ReasonKind.HOLDS,
    "Klienten uppfyller kravet på tid i jobb- och utvecklingsgarantin eller i "
    "etableringsprogrammet.",
    "The client meets the requirement on time in the job and development guarantee or "
    "in the establishment programme.",
    _C_JOB,
)
_BY_JOB = _r(
    "job-guarantee-days",
    ReasonKind.HOLDS,
    "Klienten har tillräckligt många ersättningsdagar i jobb- och utvecklingsgarantin.",
    "The client has enough days with compensation in the job and development guarantee.",
    _C_JOB,
)
_BY_ETABL = _r(
    "establishment-programme",
    ReasonKind.HOLDS,
    "Klienten är nyanländ och har eller har haft en etableringsplan (etableringsprogrammet).",
    "The client is newly arrived and has or has had an establishment plan (the "
    "establishment programme).",
    _C_ETABL,
)
NOT_QUALIFIED = _r(
    "no-qualifying-guarantee",
    ReasonKind.FAILS,
    "Klienten har för få ersättningsdagar i jobb- och utvecklingsgarantin och har inte "
    "deltagit i etableringsprogrammet.",
    "The client has too few days with compensation in the job and development guarantee "
    "and has not been in the establishment programme.",
    _C_JOB,
)
_STALE = _r(
    "job-guarantee-days-out-of-date",
    ReasonKind.UNKNOWN,
    "Antalet dagar i jobb- och utvecklingsgarantin är räknat ett annat datum och ligger så "
    "nära gränsen att det inte avgör saken den här dagen: hämta ett aktuellt antal.",
    "The count of days in the job and development guarantee is from another date and so "
    "close to the limit that it does not settle the date: fetch a current count.",
    _C_JOB,
)


def job_guarantee_days_bounds(days_used: int, as_of: dt.date, on: dt.date) -> tuple[int, int]:
    """The least and the most days the person can have used on ``on``, from a count.

    ``days_used`` was counted on ``as_of``. Days used never go down and grow by at most one
    a calendar day (days with compensation are at most five a week), so a count from
    before ``on`` is a lower bound and one from after it an upper bound.
    """
    gap = (on - as_of).days
    if gap >= 0:
        return days_used, days_used + gap
    return max(0, days_used + gap), days_used


_Route = tuple[bool | None, tuple[Fact, ...], Unknown | None]

# The Unknown of each undecided status, computed once (the cached :func:`missing`).
_U_JOB_DAYS = unknowns(
    RULE_ID,
    InformationSet.JOB_GUARANTEE_DAYS,
    _C_JOB,
    what_sv="hur många dagar klienten har i jobb- och utvecklingsgarantin",
    what_en="how many days the client has in the job and development guarantee",
)
_U_ETABL = unknowns(
    RULE_ID,
    InformationSet.PROGRAM_DECISIONS,
    _C_ETABL,
    what_sv="om klienten har eller har haft en etableringsplan",
    what_en="whether the client has or has had an establishment plan",
)


def _job_route(case: Case, on: dt.date, need: int) -> _Route:
    answer = case.job_guarantee_days
    if answer.status is AnswerStatus.KNOWN:
        days = answer.value
        assert days is not None
        low, high = job_guarantee_days_bounds(days.days_used, days.as_of, on)
        facts: tuple[Fact, ...] = (
            ("job_guarantee_days", days.days_used),
            ("counted_on", days.as_of),
            ("min_days", need),
        )
        if low >= need:
            return True, facts, None
        if high < need:
            return False, facts, None
        return None, facts, Unknown(_STALE.with_facts(*facts), (InformationSet.JOB_GUARANTEE_DAYS,))
    if answer.status is AnswerStatus.ABSENT or answer.status is AnswerStatus.NOT_FOUND:
        facts = (("job_guarantee_days", answer.status.value), ("min_days", need))
        return need <= 0, facts, None
    return None, (), _U_JOB_DAYS[answer.status]


def _establishment_route(case: Case, on: dt.date, params: ParameterView) -> _Route:
    if not params[_ETABL_ROUTE]:
        return False, (("establishment_route", False),), None
    history = case.job_guarantee_days
    if history.status is AnswerStatus.KNOWN and history.value is not None:
        for spell in history.value.program_history:
            if spell.program == _ETABL and spell.period.start <= on:
                return True, (("etablering_from", spell.period.start),), None
    answer = case.program_decisions
    if answer.status is AnswerStatus.KNOWN:
        for decision in answer.items():
            if decision.program == _ETABL and decision.period.start <= on:
                return True, (("etablering_from", decision.period.start),), None
        return False, (("etablering", "no decision"),), None
    if answer.status is AnswerStatus.ABSENT or answer.status is AnswerStatus.NOT_FOUND:
        return False, (("program_decisions", answer.status.value),), None
    return None, (), _U_ETABL[answer.status]


def _qualifying_guarantee(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    need = params.int(_MIN_DAYS)
    job, job_facts, job_open = _job_route(case, on, need)
    if job:
        return _BY_JOB.with_facts(*job_facts)
    etabl, etabl_facts, etabl_open = _establishment_route(case, on, params)
    if etabl:
        return _BY_ETABL.with_facts(*etabl_facts)
    if job is False and etabl is False:
        return NOT_QUALIFIED.with_facts(*job_facts, *etabl_facts)
    if job_open is None or etabl_open is None:
        return job_open or etabl_open
    if job_facts:
        return _both_open(job_open, etabl_open)
    # Both answers undecided: the Unknown depends on their statuses only.
    key = (case.job_guarantee_days.status, case.program_decisions.status)
    found = _BOTH_OPEN.get(key)
    if found is None:
        found = _BOTH_OPEN[key] = _both_open(job_open, etabl_open)
    return found


_BOTH_OPEN: dict[tuple[AnswerStatus, AnswerStatus], Unknown] = {}


def _both_open(job_open: Unknown, etabl_open: Unknown) -> Unknown:
    first, second = job_open.reason, etabl_open.reason
    return Unknown(
        _r(
            "guarantee-unknown",
            ReasonKind.UNKNOWN,
            f"{first.message_sv} {second.message_sv}",
            f"{first.message_en} {second.message_en}",
            CITATION,
        ).with_facts(*first.facts, *second.facts),
        job_open.missing + etabl_open.missing,
    )


_CLOSED_ON: dict[dt.date, Reason] = {}


def _open(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    if params[_OPEN]:
        return None
    # The reason depends on the date only: built once per date.
    closed = _CLOSED_ON.get(on)
    if closed is None:
        if len(_CLOSED_ON) > 4096:
            _CLOSED_ON.clear()
        closed = _CLOSED_ON[on] = CLOSED.with_facts(("on", on))
    return closed


def _guarantee_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("job_guarantee_days", case.job_guarantee_days.status.value),
        ("program_decisions", case.program_decisions.status.value),
        ("min_days", params.int(_MIN_DAYS)),
        ("establishment_route", bool(params[_ETABL_ROUTE])),
    ]
    days = case.job_guarantee_days.value
    if days is not None:
        facts.append(("days_used", days.days_used))
        facts.append(("counted_on", days.as_of))
    return tuple(facts)


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="1",
        title_en="Extratjänst: time in the job guarantee or the establishment programme",
        title_sv="Extratjänst: tid i jobb- och utvecklingsgarantin eller etableringsprogrammet",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=(_OPEN, _MIN_DAYS, _ETABL_ROUTE),
        needs=(
            InformationSet.ENROLMENT,
            InformationSet.JOB_GUARANTEE_DAYS,
            InformationSet.PROGRAM_DECISIONS,
        ),
        conditions=(
            Condition(
                "open-for-new-assignments",
                "AF makes new extratjänst assignments on the date.",
                _C_OPEN,
                _open,
                OPEN,
            ),
            registered_at_af(RULE_ID, _C_AF),
            Condition(
                "qualifying-guarantee",
                "At least extratjanst.min_job_guarantee_days days in the job and "
                "development guarantee, or an establishment plan (etableringsprogrammet) "
                "started on or before the date.",
                _C_JOB,
                _qualifying_guarantee,
                QUALIFIES,
                _guarantee_facts,
            ),
        ),
    )
)
