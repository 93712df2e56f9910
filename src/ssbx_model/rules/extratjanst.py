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

   When both routes are open the reason ``extratjanst.guarantee-unknown`` says both
   (facts: the job route's, and ``program_decisions`` with its answer status).

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
from ssbx_model.rules import af_registration
from ssbx_model.rules.authoring import (
    ConditionRule,
    Fact,
    Finding,
    RuleParameters,
    Says,
    either,
    fails,
    holds,
    opens,
    parameter,
    register_rule,
    route_open,
    route_open_says,
    unsettled_text,
)

__all__ = ["CITATION", "RULE", "RULE_ID", "job_guarantee_days_bounds"]

RULE_ID = "extratjanst"
SEED = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    "förordning (2015:503) om särskilt anställningsstöd, 8-8 a §§; förordning (2018:42) om "
    "särskilt anställningsstöd; förordning (2007:414) om jobb- och utvecklingsgarantin; "
    f"{SEED}, 'Samverkansprocess Extratjänst inom Malmö stad'"
)
JOB = (
    "förordning (2015:503) 8-8 a §§ and förordning (2007:414) om jobb- och "
    "utvecklingsgarantin; Arbetsförmedlingen's description of extratjänst ('Har deltagit i "
    f"jobb- och utvecklingsgarantin i 450 ersättningsdagar'); {SEED}, 'Samverkansprocess "
    "Extratjänst inom Malmö stad' ('I vilken garanti?')"
)
ESTABLISHMENT = (
    "förordning (2015:503) 8 § as worded by förordning (2016:926) ('och för vissa nyanlända "
    "invandrare'); förordning (2017:820) om etableringsinsatser för vissa nyanlända "
    "invandrare; Arbetsförmedlingen's description of extratjänst ('Är nyanländ och har "
    "eller har haft en etableringsplan')"
)
DAYS = InformationSet.JOB_GUARANTEE_DAYS
DECISIONS = InformationSet.PROGRAM_DECISIONS
#: The establishment programme's code in AF's program decisions and history.
ETABL = "ETABL"


class Params(RuleParameters):
    """The parameters the rule reads."""

    open_for_new_assignments: bool = parameter("extratjanst.open_for_new_assignments")
    min_days: int = parameter("extratjanst.min_job_guarantee_days")
    establishment_route: bool = parameter("extratjanst.establishment_route")


RULE = ConditionRule(
    id=RULE_ID,
    version="1",
    title_en="Extratjänst: time in the job guarantee or the establishment programme",
    title_sv="Extratjänst: tid i jobb- och utvecklingsgarantin eller etableringsprogrammet",
    source_text=(
        "En anvisning till särskilt anställningsstöd i form av extratjänst får göras för vissa "
        "deltagare i jobb- och utvecklingsgarantin och för vissa nyanlända invandrare. "
        "[förordning (2015:503) 8 §] -- Hur länge har klienten varit inskriven på Af? I vilken "
        "garanti? [SSBTX-rapporten, Samverkansprocess Extratjänst inom Malmö stad]"
    ),
    citation=CITATION,
    params=Params,
    needs=(InformationSet.ENROLMENT, DAYS, DECISIONS),
)


# 1. "En anvisning ... får göras": AF makes new assignments (phased out from 2022-01-01).
@RULE.condition(
    "open-for-new-assignments",
    "AF makes new extratjänst assignments on the date.",
    cites=(
        "förordning (2015:503) om särskilt anställningsstöd, 8 §; Arbetsförmedlingen, press "
        "release 2021-12-23 'Extratjänster fasas ut under 2022'"
    ),
    holds=Says(
        f"{RULE_ID}.open-for-new-assignments",
        "Arbetsförmedlingen gör nya anvisningar till extratjänst.",
        "AF makes new assignments to extratjänst.",
    ),
    fails=Says(
        f"{RULE_ID}.closed-for-new-assignments",
        "Arbetsförmedlingen gör inga nya anvisningar till extratjänst den dagen (extratjänster "
        "fasas ut sedan 2022-01-01; pågående beslut gäller till sitt slut).",
        "AF makes no new assignments to extratjänst on the date (phased out since 2022-01-01; "
        "decisions already made run to their end).",
    ),
)
def open_for_new_assignments(case: Case, on: dt.date, p: Params) -> Finding | None:
    return None if p.open_for_new_assignments else fails(on=on)


# 2. "Hur länge har klienten varit inskriven på Af?"; "arbetslös, inskriven på
#    Arbetsförmedlingen".
registered_at_af = af_registration.declare(
    RULE,
    cites=(
        f"{SEED}, 'Samverkansprocess Extratjänst inom Malmö stad' ('Hur länge har klienten "
        "varit inskriven på Af?'); Arbetsförmedlingen's description of extratjänst "
        "('arbetslös, inskriven på Arbetsförmedlingen')"
    ),
)


# 3. "för vissa deltagare i jobb- och utvecklingsgarantin och för vissa nyanlända
#    invandrare": either route (Kleene's OR): 450 days with compensation in the job
#    guarantee, or an establishment plan, had or current.
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


#: What an undecided answer leaves open, for each route (Swedish, English).
WHAT_DAYS = (
    "hur många dagar klienten har i jobb- och utvecklingsgarantin",
    "how many days the client has in the job and development guarantee",
)
WHAT_PLAN = (
    "om klienten har eller har haft en etableringsplan",
    "whether the client has or has had an establishment plan",
)
STALE_TEXT = (
    (
        "Antalet dagar i jobb- och utvecklingsgarantin är räknat ett annat datum och ligger "
        "så nära gränsen att det inte avgör saken den här dagen: hämta ett aktuellt antal."
    ),
    (
        "The count of days in the job and development guarantee is from another date and so "
        "close to the limit that it does not settle the date: fetch a current count."
    ),
)


def job_route(case: Case, on: dt.date, p: Params) -> Finding:
    """At least ``min_days`` days with compensation in the job guarantee (absent or not
    found: none); a count from another date settles it only when far from the limit."""
    answer = case.job_guarantee_days
    if answer.is_known and answer.value is not None:
        days = answer.value
        low, high = job_guarantee_days_bounds(days.days_used, days.as_of, on)
        facts = {"job_guarantee_days": days.days_used, "counted_on": days.as_of}
        if low >= p.min_days:
            return holds(f"{RULE_ID}.job-guarantee-days", **facts, min_days=p.min_days)
        if high < p.min_days:
            return fails(**facts, min_days=p.min_days)
        return opens(f"{RULE_ID}.job-guarantee-days-out-of-date", **facts, min_days=p.min_days)
    if answer.status is AnswerStatus.ABSENT or answer.status is AnswerStatus.NOT_FOUND:
        found = holds if p.min_days <= 0 else fails
        code = f"{RULE_ID}.job-guarantee-days" if p.min_days <= 0 else None
        return found(code, job_guarantee_days=answer.status, min_days=p.min_days)
    return route_open(RULE_ID, DAYS, answer)


def establishment_route(case: Case, on: dt.date, p: Params) -> Finding:
    """While the route is open (from December 2016): an establishment plan started on or
    before the date, in the job guarantee's program history or AF's program decisions."""
    if not p.establishment_route:
        return fails(establishment_route=False)
    history = case.job_guarantee_days
    if history.is_known and history.value is not None:
        for spell in history.value.program_history:
            if spell.program == ETABL and spell.period.start <= on:
                return holds(
                    f"{RULE_ID}.establishment-programme", etablering_from=spell.period.start
                )
    answer = case.program_decisions
    if answer.is_known:
        for decision in answer.items():
            if decision.program == ETABL and decision.period.start <= on:
                return holds(
                    f"{RULE_ID}.establishment-programme", etablering_from=decision.period.start
                )
        return fails(etablering="no decision")
    if answer.status is AnswerStatus.ABSENT or answer.status is AnswerStatus.NOT_FOUND:
        return fails(program_decisions=answer.status)
    return route_open(RULE_ID, DECISIONS, answer)


def _both_open(f: object, p: Params) -> tuple[str, str]:
    # Both routes open: the job route's text (a count too close to the limit, or its
    # answer's status), then the establishment route's.
    job = (
        STALE_TEXT
        if hasattr(f, "counted_on")
        else unsettled_text(DAYS, getattr(f, DAYS), *WHAT_DAYS)
    )
    plan = unsettled_text(DECISIONS, getattr(f, DECISIONS), *WHAT_PLAN)
    return f"{job[0]} {plan[0]}", f"{job[1]} {plan[1]}"


def _guarantee_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("job_guarantee_days", case.job_guarantee_days.status),
        ("program_decisions", case.program_decisions.status),
        ("min_days", p.min_days),
        ("establishment_route", p.establishment_route),
    ]
    days = case.job_guarantee_days.value
    if days is not None:
        facts.append(("days_used", days.days_used))
        facts.append(("counted_on", days.as_of))
    return tuple(facts)


@RULE.condition(
    "qualifying-guarantee",
    "At least extratjanst.min_job_guarantee_days days in the job and development guarantee, "
    "or an establishment plan (etableringsprogrammet) started on or before the date.",
    cites=JOB,
    shows=_guarantee_shown,
    holds=(
        Says(
            f"{RULE_ID}.qualifying-guarantee",
            "Klienten uppfyller kravet på tid i jobb- och utvecklingsgarantin eller i "
            "etableringsprogrammet.",
            "The client meets the requirement on time in the job and development guarantee "
            "or in the establishment programme.",
        ),
        Says(
            f"{RULE_ID}.job-guarantee-days",
            "Klienten har tillräckligt många ersättningsdagar i jobb- och utvecklingsgarantin.",
            "The client has enough days with compensation in the job and development guarantee.",
        ),
        Says(
            f"{RULE_ID}.establishment-programme",
            "Klienten är nyanländ och har eller har haft en etableringsplan "
            "(etableringsprogrammet).",
            "The client is newly arrived and has or has had an establishment plan (the "
            "establishment programme).",
            cites=ESTABLISHMENT,
        ),
    ),
    fails=Says(
        f"{RULE_ID}.no-qualifying-guarantee",
        "Klienten har för få ersättningsdagar i jobb- och utvecklingsgarantin och har inte "
        "deltagit i etableringsprogrammet.",
        "The client has too few days with compensation in the job and development guarantee "
        "and has not been in the establishment programme.",
    ),
    opens=(
        Says(f"{RULE_ID}.job-guarantee-days-out-of-date", *STALE_TEXT, missing=(DAYS,)),
        route_open_says(RULE_ID, DAYS, WHAT_DAYS),
        route_open_says(RULE_ID, DECISIONS, WHAT_PLAN, cites=ESTABLISHMENT),
        Says(f"{RULE_ID}.guarantee-unknown", _both_open, cites=CITATION, missing=(DAYS, DECISIONS)),
    ),
)
def qualifying_guarantee(case: Case, on: dt.date, p: Params) -> Finding | None:
    return either(
        (job_route(case, on, p), establishment_route(case, on, p)),
        several_open=lambda: opens(
            f"{RULE_ID}.guarantee-unknown",
            **_job_open_facts(case, on, p),
            **{DECISIONS: case.program_decisions.status},
        ),
    )


def _job_open_facts(case: Case, on: dt.date, p: Params) -> dict[str, object]:
    # The job route's facts when its count is too close to the limit; its status otherwise.
    job = job_route(case, on, p)
    if job.code == f"{RULE_ID}.job-guarantee-days-out-of-date":
        return dict(job.facts)
    return {DAYS: case.job_guarantee_days.status}


register_rule(RULE)
