"""Rule ``assign-intervention``: can the municipality assign a municipal intervention now?

Source: socialtjänstlagen (2001:453) 4 kap. 4 § (in force until 2025-06-30; from
2025-07-01 the new socialtjänstlag, prop. 2024/25:89 "En förebyggande socialtjänstlag",
replaces it: its corresponding provision is not verified here), as SKR's report quotes it
(SKR, Processkartläggning del 2 (2022-03-11), "Situation: Anvisa insats"; the scanned
text with its Swedish letters restored):

    Inom ekonomiskt bistånd ska kommunen samråda med Arbetsförmedlingen när kommunen
    begär att den som får försörjningsstöd under viss tid ska delta i av nämnden anvisad
    praktik eller annan kompetenshöjande verksamhet om den enskilde inte har kunnat
    erbjudas någon lämplig arbetsmarknadspolitisk åtgärd. [...] Kommunen har behov av
    information kring Arbetsförmedlingens planering för klienten. Det är viktigt att
    planeringen fungerar för klienten så att det inte blir några krockar. Det finns då
    risk att klienten blir av med sitt aktivitetsstöd.

and the same report's Tabell 4 ("Är klienten inskriven på Arbetsförmedlingen? Det är
viktigt att veta om klienten är inskriven då det är en förutsättning."; program decisions
with their activities, "Aktivitetens fr.o.m.- t.o.m. datum", "Aktivitetens omfattning
25%, 50%, 100%"; "Även då klienten är inskriven 100% på ett program betyder det inte
alltid att aktiviteterna fyller upp 100% av tiden.").

The conditions, as encoded (all must hold; Kleene's three-valued AND). A fact that is
not known (its information set not requested, unavailable or withheld) makes its
condition *unknown*, naming the set; a fact known to be missing (the set absent or not
found, or known without the record needed) makes it fail:

1. ``registered-at-af``: enrolled at AF on the reference date ("absent" or "not found"
   at AF: not enrolled).
2. ``receives-income-support`` ("den som får försörjningsstöd"): a decision granting
   försörjningsstöd (``income_support``, the municipality's own records) covers the
   reference date and was made on or before it.
3. ``planned-intervention``: the case has at least one municipal intervention with status
   ``planned`` (the proposed intervention). None: not eligible.
4. ``af-consulted`` ("ska kommunen samråda med Arbetsförmedlingen [...] om den
   enskilde inte har kunnat erbjudas någon lämplig arbetsmarknadspolitisk åtgärd"): for
   **each** planned intervention, a consultation with AF about that intervention
   (``intervention_consultations``) held on or before the date, and AF's latest answer
   given on or before the date is that no suitable labour-market measure could be
   offered. No consultation by the date fails (``no-af-consultation``); AF offering a
   measure fails (``measure-offered``); a consultation AF has not answered by the date
   is unknown (``af-answer-pending``). When planned interventions fail for both reasons,
   the reason is ``no-af-consultation`` and its text and facts name every one.
5. ``no-collision``: for **each** planned intervention, on no day of its period does the
   combined extent of (a) the activities of AF's program decisions, (b) the municipality's
   *ongoing* interventions and (c) the planned intervention itself exceed
   ``assign_intervention.max_combined_extent_percent`` (100 %). Several planned
   interventions are each checked on their own (a caseworker assigns them one at a time);
   the rule is eligible only when every one of them fits. A collision is reported as
   compact date ranges with the combined extent, e.g. ``2026-03-02..2026-03-13 (150 %)``.

   AF's planning must be known: the program decisions must be decided (known, absent or
   not found), and every decision overlapping a planned period must list its activities
   (the extent of the decision itself says nothing about the days, Tabell 4). Otherwise
   the condition is unknown, **unless** the facts already known collide: more activities
   can only add to the extent, so a collision found is decisive.

Collisions are found by sweeping period boundaries (sorted start and end dates), so the
cost grows with the number of periods, not with the number of days they span
(:func:`find_collisions`, at the end of this module with the other helpers that the
handover and the tests use too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import SimpleNamespace

import attrs

from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.intervention_consultation import (
    InterventionConsultation,
    MeasureAnswer,
)
from ssbx_model.information.program import ProgramDecision
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import af_registration
from ssbx_model.rules.authoring import (
    ConditionRule,
    Fact,
    Finding,
    RuleParameters,
    Says,
    fails,
    opens,
    parameter,
    register_rule,
    settled,
)

__all__ = [
    "CITATION",
    "RULE",
    "RULE_ID",
    "Collision",
    "find_collisions",
    "intervention_collisions",
    "planned_interventions",
]

RULE_ID = "assign-intervention"
#: The statute, with the period it is in force and the law that replaces it.
SOL = (
    "socialtjänstlagen (2001:453) 4 kap. 4 §, in force until 2025-06-30 "
    "(https://rkrattsbaser.gov.se/sfst?bet=2001:453); from 2025-07-01 the new "
    "socialtjänstlag (prop. 2024/25:89 'En förebyggande socialtjänstlag'): corresponding "
    "provision not verified"
)
#: The report that quotes the statute and names the facts the municipality needs.
REPORT = "SKR, Processkartläggning del 2 (2022-03-11), 'Situation: Anvisa insats'"
CITATION = f"{SOL}; {REPORT}, Tabell 4 and Tabell 6"
INCOME_SUPPORT = InformationSet.INCOME_SUPPORT
CONSULTATIONS = InformationSet.INTERVENTION_CONSULTATIONS
PROGRAM_DECISIONS = InformationSet.PROGRAM_DECISIONS


class Params(RuleParameters):
    """The parameters the rule reads."""

    max_percent: int = parameter("assign_intervention.max_combined_extent_percent")


RULE = ConditionRule(
    id=RULE_ID,
    version="3",
    title_en=(
        "Assign a municipal intervention (the statute's preconditions, no collision with "
        "AF's planning)"
    ),
    title_sv=(
        "Anvisa kommunal insats (lagens förutsättningar, utan krock med "
        "Arbetsförmedlingens planering)"
    ),
    source_text=(
        "Inom ekonomiskt bistånd ska kommunen samråda med Arbetsförmedlingen när kommunen "
        "begär att den som får försörjningsstöd under viss tid ska delta i av nämnden anvisad "
        "praktik eller annan kompetenshöjande verksamhet om den enskilde inte har kunnat "
        "erbjudas någon lämplig arbetsmarknadspolitisk åtgärd. [...] Det är viktigt att "
        "planeringen fungerar för klienten så att det inte blir några krockar. Det finns då "
        "risk att klienten blir av med sitt aktivitetsstöd. [...] Är klienten inskriven på "
        "Arbetsförmedlingen? Det är viktigt att veta om klienten är inskriven då det är en "
        "förutsättning."
    ),
    citation=CITATION,
    params=Params,
    needs=(InformationSet.ENROLMENT, INCOME_SUPPORT, CONSULTATIONS, PROGRAM_DECISIONS),
)


# 1. "Är klienten inskriven på Arbetsförmedlingen? Det är viktigt att veta om klienten är
#    inskriven då det är en förutsättning."
registered_at_af = af_registration.declare(
    RULE,
    cites=(
        f"{REPORT}, Tabell 4 ('Det är viktigt att veta om klienten är inskriven då det är en "
        "förutsättning')"
    ),
)


# 2. "den som får försörjningsstöd": a decision granting försörjningsstöd, made on or
#    before the date, covers it (the municipality's own records).
def _no_income_support(f: SimpleNamespace, p: Params) -> tuple[str, str]:
    # Also names a decision for the day made only after it, and when the last support
    # granted ended.
    sv = [
        (
            f"Klienten får inte försörjningsstöd den {p.on}: inget beslut om försörjningsstöd "
            "som fattats senast den dagen gäller för den."
        )
    ]
    en = [
        (
            f"The client does not receive income support (försörjningsstöd) on {p.on}: no "
            "decision on income support made by that day covers it."
        )
    ]
    if hasattr(f, "decided_after_the_date"):
        ids = ", ".join(f.decided_after_the_date)
        sv.append(f"Beslut {ids} gäller dagen men fattades efter den.")
        en.append(f"Decision(s) {ids} cover the day but were made after it.")
    if hasattr(f, "last_support_until"):
        sv.append(
            f"Det senast beviljade försörjningsstödet gällde till och med {f.last_support_until}."
        )
        en.append(f"The latest income support granted ran until {f.last_support_until}.")
    return " ".join(sv), " ".join(en)


def _income_support_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    answer = case.income_support
    facts: list[Fact] = [("income_support", answer.status.value)]
    if answer.is_known:
        covering = tuple(
            f"{d.decision_id} {d.period} (decided {d.decided_on})"
            for d in answer.items()
            if d.period.contains(on)
        )
        facts.append(("decisions_covering_the_date", covering))
    return tuple(facts)


@RULE.condition(
    "receives-income-support",
    "A decision granting försörjningsstöd, made on or before the date, covers the date.",
    cites=f"{SOL} ('den som får försörjningsstöd'); {REPORT}",
    needs=(INCOME_SUPPORT,),
    unsettled=("om klienten får försörjningsstöd", "whether the client receives income support"),
    shows=_income_support_shown,
    holds=Says(
        f"{RULE_ID}.receives-income-support",
        "Klienten får försörjningsstöd den dagen.",
        "The client receives income support (försörjningsstöd) on the date.",
    ),
    fails=Says(f"{RULE_ID}.no-income-support", _no_income_support),
)
def receives_income_support(case: Case, on: dt.date, p: Params) -> Finding | None:
    decisions = settled(case.income_support, INCOME_SUPPORT) or ()  # absent: none
    if any(decision.supports_on(on) for decision in decisions):
        return None
    facts: dict[str, object] = {"income_support": case.income_support.status.value}
    later = tuple(d.decision_id for d in decisions if d.period.contains(on) and d.decided_on > on)
    if later:
        facts["decided_after_the_date"] = later
    ended = [d.period.end for d in decisions if d.period.end is not None and d.period.end < on]
    if ended:
        facts["last_support_until"] = max(ended)
    return fails(**facts)


# 3. "av nämnden anvisad praktik eller annan kompetenshöjande verksamhet": the case has a
#    municipal intervention with status planned (the proposed one).
def _planned_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    planned = planned_interventions(case)
    return (
        ("planned", tuple(i.intervention_id for i in planned)),
        *((i.intervention_id, f"{i.period} {i.extent}") for i in planned),
    )


@RULE.condition(
    "planned-intervention",
    "The case has a municipal intervention with status planned.",
    cites=f"{SOL} ('av nämnden anvisad praktik eller annan kompetenshöjande verksamhet'); {REPORT}",
    shows=_planned_shown,
    holds=Says(
        f"{RULE_ID}.planned-intervention",
        "Det finns en planerad kommunal insats att anvisa.",
        "There is a planned municipal intervention to assign.",
    ),
    fails=Says(
        f"{RULE_ID}.no-planned-intervention",
        "Ärendet har ingen planerad kommunal insats (status planerad) att anvisa: registrera "
        "den föreslagna insatsen först.",
        "The case has no planned municipal intervention (status planned) to assign: record "
        "the proposed intervention first.",
    ),
)
def planned_intervention(case: Case, on: dt.date, p: Params) -> Finding | None:
    return None if planned_interventions(case) else fails()


# 4. "ska kommunen samråda med Arbetsförmedlingen [...] om den enskilde inte har kunnat
#    erbjudas någon lämplig arbetsmarknadspolitisk åtgärd": for each planned intervention,
#    a consultation held by the date, and AF's latest answer by the date is that no
#    suitable measure can be offered. Without a consultation the statute's first step is
#    missing (no-af-consultation, which names every failing intervention); AF offering a
#    measure fails (measure-offered); an answer not given by the date is open.
def _day_of(item: str) -> tuple[str, str]:
    # A fact "I2 (answered 2026-02-13)" read back as ("I2", "2026-02-13") for the text.
    intervention, _, rest = item.rpartition(" (")
    return intervention, rest.removesuffix(")").split()[-1]


def _not_consulted_or_offered(f: SimpleNamespace, p: Params) -> tuple[str, str]:
    parts_sv: list[str] = []
    parts_en: list[str] = []
    if hasattr(f, "not_consulted"):
        ids = ", ".join(f.not_consulted)
        parts_sv.append(f"inget samråd med Arbetsförmedlingen om insatsen {ids} senast {p.on}")
        parts_en.append(f"no consultation with AF about intervention(s) {ids} by {p.on}")
    for intervention, day in map(_day_of, getattr(f, "measure_offered", ())):
        parts_sv.append(
            f"Arbetsförmedlingen svarade {day} att en lämplig arbetsmarknadspolitisk åtgärd "
            f"kan erbjudas (insatsen {intervention})"
        )
        parts_en.append(
            f"AF answered on {day} that a suitable labour-market measure can be offered "
            f"(intervention {intervention})"
        )
    return (
        "Kommunen kan inte begära att klienten deltar i insatsen: " + "; ".join(parts_sv) + ".",
        "The municipality cannot require the client to take part: " + "; ".join(parts_en) + ".",
    )


def _answer_pending(f: SimpleNamespace, p: Params) -> tuple[str, str]:
    held = [_day_of(item) for item in f.answer_pending]
    held_sv = ", ".join(f"insatsen {i} den {d}" for i, d in held)
    held_en = ", ".join(f"intervention {i} on {d}" for i, d in held)
    return (
        (
            f"Arbetsförmedlingen har inte svarat senast {p.on} om en lämplig "
            f"arbetsmarknadspolitisk åtgärd kan erbjudas (samråd om {held_sv}). Registrera "
            "svaret när det kommer."
        ),
        (
            f"AF had not answered by {p.on} whether a suitable labour-market measure can be "
            f"offered (consultation about {held_en}). Record the answer when it comes."
        ),
    )


def _consultations_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    answer = case.intervention_consultations
    facts: list[Fact] = [("intervention_consultations", answer.status.value)]
    if not answer.is_known:
        return tuple(facts)
    for intervention in planned_interventions(case):
        held = _held_about(answer.items(), intervention.intervention_id, on)
        latest = _latest_answer(held, on)
        if not held:
            state = "no consultation by the date"
        elif latest is None:
            state = f"consulted {max(c.held_on for c in held)}, not answered by the date"
        else:
            state = f"consulted {latest.held_on}, answered {latest.answered_on}: {latest.answer}"
        facts.append((f"consultation {intervention.intervention_id}", state))
    return tuple(facts)


@RULE.condition(
    "af-consulted",
    "For each planned intervention, AF was consulted about it on or before the date, and "
    "AF's latest answer by the date is that no suitable labour-market measure can be offered.",
    cites=(
        f"{SOL} ('ska kommunen samråda med Arbetsförmedlingen [...] om den enskilde inte har "
        f"kunnat erbjudas någon lämplig arbetsmarknadspolitisk åtgärd'); {REPORT}"
    ),
    reads=(CONSULTATIONS,),  # when there is a planned intervention to consult about
    unsettled=(
        "om Arbetsförmedlingen har samråtts om insatsen och vad den svarade",
        "whether AF was consulted about the intervention and what it answered",
    ),
    shows=_consultations_shown,
    holds=Says(
        f"{RULE_ID}.af-consulted",
        "Arbetsförmedlingen har samråtts om varje planerad insats och har svarat att ingen "
        "lämplig arbetsmarknadspolitisk åtgärd kan erbjudas.",
        "AF was consulted about each planned intervention and answered that no suitable "
        "labour-market measure can be offered.",
    ),
    fails=(
        Says(f"{RULE_ID}.no-af-consultation", _not_consulted_or_offered),
        Says(f"{RULE_ID}.measure-offered", _not_consulted_or_offered),
    ),
    opens=Says(f"{RULE_ID}.af-answer-pending", _answer_pending, missing=(CONSULTATIONS,)),
)
def af_consulted(case: Case, on: dt.date, p: Params) -> Finding | None:
    planned = planned_interventions(case)
    if not planned:
        return None  # nothing to consult about; the planned-intervention condition fails
    consultations = settled(case.intervention_consultations, CONSULTATIONS) or ()
    not_consulted: list[str] = []
    offered: list[str] = []
    pending: list[str] = []
    for intervention in planned:
        held = _held_about(consultations, intervention.intervention_id, on)
        latest = _latest_answer(held, on)
        if not held:
            not_consulted.append(intervention.intervention_id)
        elif latest is None:
            pending.append(
                f"{intervention.intervention_id} (consulted {max(c.held_on for c in held)})"
            )
        elif latest.answer is MeasureAnswer.MEASURE_OFFERED:
            offered.append(f"{intervention.intervention_id} (answered {latest.answered_on})")
    if not_consulted or offered:
        facts: dict[str, tuple[str, ...]] = {}
        if not_consulted:
            facts["not_consulted"] = tuple(not_consulted)
        if offered:
            facts["measure_offered"] = tuple(offered)
        code = "no-af-consultation" if not_consulted else "measure-offered"
        return fails(f"{RULE_ID}.{code}", **facts)
    if pending:
        return opens(f"{RULE_ID}.af-answer-pending", answer_pending=tuple(pending))
    return None


# 5. "Det är viktigt att planeringen fungerar för klienten så att det inte blir några
#    krockar. Det finns då risk att klienten blir av med sitt aktivitetsstöd": for each
#    planned intervention, on no day of its period is the combined extent of AF's
#    activities, the ongoing interventions and the planned one above the limit. A
#    collision found is decisive even when AF's planning is not all known (more
#    activities only add to the extent); otherwise the planning must be known, with the
#    activities of every decision overlapping a planned period (Tabell 4).
#: At most this many date ranges are spelled out in a reason's text (all are in its facts).
RANGES_IN_TEXT = 10


def _collisions(f: SimpleNamespace, p: Params) -> tuple[str, str]:
    # The facts name each colliding intervention and its collisions: ``intervention`` and
    # ``collisions`` for the first, ``intervention 2`` and ``collisions 2`` for the next...
    facts = vars(f)
    ids = [value for name, value in facts.items() if name.startswith("intervention")]
    found = [value for name, value in facts.items() if name.startswith("collisions")]
    parts = []
    for intervention, collisions in zip(ids, found, strict=True):
        ranges = ", ".join(collisions[:RANGES_IN_TEXT])
        more = len(collisions) - RANGES_IN_TEXT
        parts.append((intervention, f"{ranges} (+{more})" if more > 0 else ranges))
    sv = "; ".join(f"insatsen {i}: {r}" for i, r in parts)
    en = "; ".join(f"intervention {i}: {r}" for i, r in parts)
    return (
        (
            f"Krock med klientens planering: den sammanlagda omfattningen av Arbetsförmedlingens "
            f"aktiviteter och kommunens insatser överstiger {f.max_percent} % ({sv}). En krock "
            "kan leda till att klienten blir av med sitt aktivitetsstöd."
        ),
        (
            f"Collision with the client's planning: the combined extent of AF's activities and "
            f"the municipality's interventions is above {f.max_percent} % ({en}). A collision "
            "can cost the client the activity support."
        ),
    )


def _activities_unknown(f: SimpleNamespace, p: Params) -> tuple[str, str]:
    ids = ", ".join(f.program_decisions_without_activities)
    return (
        (
            f"Arbetsförmedlingens programbeslut {ids} saknar aktiviteter med period och omfattning "
            "under den planerade insatsens period; programbeslutets omfattning säger inte vad "
            "klienten gör om dagarna. Fråga Arbetsförmedlingen om planeringen."
        ),
        (
            f"AF's program decision(s) {ids} list no activities with period and extent during the "
            "planned intervention's period; a decision's extent does not say what the client does "
            "day by day. Ask AF about the planning."
        ),
    )


def _planning_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("max_percent", p.max_percent),
        ("program_decisions", case.program_decisions.status.value),
    ]
    for decision in case.program_decisions.items() if case.program_decisions.is_known else ():
        facts.append(
            (
                f"program_decision {decision.decision_id}",
                (
                    f"{decision.program} {decision.period} {decision.extent}, "
                    f"{len(decision.activities)} activities"
                ),
            )
        )
    ongoing = tuple(
        f"{i.intervention_id} {i.period} {i.extent}"
        for i in case.interventions
        if i.status is InterventionStatus.ONGOING
    )
    facts.append(("ongoing_interventions", ongoing))
    return tuple(facts)


@RULE.condition(
    "no-collision",
    "On no day of a planned intervention's period is the combined extent of AF's "
    "activities, the ongoing municipal interventions and the planned intervention above "
    "the limit.",
    cites=(
        f"{REPORT} ('Det är viktigt att planeringen fungerar för klienten så att det inte blir "
        "några krockar. Det finns då risk att klienten blir av med sitt aktivitetsstöd') and "
        "Tabell 4 (activities with period and extent)"
    ),
    reads=(PROGRAM_DECISIONS,),  # after the collisions already known
    unsettled=(
        "om insatsen krockar med Arbetsförmedlingens planering",
        "whether the intervention collides with AF's planning",
    ),
    shows=_planning_shown,
    holds=Says(
        f"{RULE_ID}.no-collision",
        "Insatsen ryms i klientens planering: den sammanlagda omfattningen överstiger inte "
        "gränsen någon dag.",
        "The intervention fits the client's planning: the combined extent is never above "
        "the limit.",
    ),
    fails=Says(f"{RULE_ID}.collision", _collisions),
    opens=Says(
        f"{RULE_ID}.activities-unknown",
        _activities_unknown,
        cites=(
            f"{REPORT}, Tabell 4 ('Även då klienten är inskriven 100% på ett program betyder det "
            "inte alltid att aktiviteterna fyller upp 100% av tiden')"
        ),
        missing=(PROGRAM_DECISIONS,),
    ),
)
def no_collision(case: Case, on: dt.date, p: Params) -> Finding | None:
    planned = planned_interventions(case)
    if not planned:
        return None  # nothing to check; the planned-intervention condition fails
    found: dict[str, object] = {}
    for intervention in planned:
        collisions = intervention_collisions(case, intervention, p.max_percent)
        if collisions:
            n = f" {len(found) // 2 + 1}" if found else ""  # "", " 2", " 3", ...
            found[f"intervention{n}"] = intervention.intervention_id
            found[f"collisions{n}"] = tuple(str(c) for c in collisions)
    if found:
        return fails(max_percent=p.max_percent, **found)
    decisions = settled(case.program_decisions, PROGRAM_DECISIONS) or ()
    without = _decisions_without_activities(decisions, planned)
    if without:
        return opens(f"{RULE_ID}.activities-unknown", program_decisions_without_activities=without)
    return None


# --------------------------------------------------------------------------------------
# The helpers: consultations, planned interventions and their collisions (the sweep)
# --------------------------------------------------------------------------------------

_ONE_DAY = dt.timedelta(days=1)


def _held_about(
    consultations: Iterable[InterventionConsultation], intervention_id: str, on: dt.date
) -> list[InterventionConsultation]:
    """The consultations about one intervention held on or before ``on``."""
    return [c for c in consultations if c.intervention_id == intervention_id and c.held_on <= on]


def _latest_answer(
    consultations: list[InterventionConsultation], on: dt.date
) -> InterventionConsultation | None:
    """The consultation whose answer AF gave last on or before ``on`` (None: none by then)."""
    answered = [c for c in consultations if c.answered_by(on)]
    if not answered:
        return None
    return max(answered, key=lambda c: (c.answered_on, c.held_on))


@attrs.frozen(slots=True)
class Collision:
    """Consecutive days on which the combined extent is the same and above the limit.

    ``str()`` gives the compact form used in reasons: ``2026-03-02..2026-03-13 (150 %)``
    (an open end is written ``2026-03-02.. (150 %)``).
    """

    period: Period
    percent: int

    def __str__(self) -> str:
        return f"{self.period} ({self.percent} %)"


def find_collisions(
    spans: Iterable[tuple[Period, int]], within: Period, limit: int = 100
) -> tuple[Collision, ...]:
    """The days of ``within`` on which the spans' percents add up to more than ``limit``.

    ``spans`` are (period, percent) pairs; only their days inside ``within`` count. The
    result is in date order; adjacent days with the same total form one
    :class:`Collision`, so a change of total starts a new one. The work is a sort of the
    period boundaries: O(n log n) in the number of spans, whatever their length.
    """
    first_day, last_day = within.start, within.end
    clipped: list[tuple[dt.date, dt.date | None, int]] = []
    most = 0  # the total if every span overlapped every other
    for period, percent in spans:
        start = period.start if period.start > first_day else first_day
        end = period.end
        if last_day is not None and (end is None or end > last_day):
            end = last_day
        if end is not None and end < start:
            continue  # no day inside ``within``
        clipped.append((start, end, percent))
        most += percent
    if most <= limit:
        return ()  # the common case: nothing to sweep
    deltas: dict[dt.date, int] = {}
    for start, end, percent in clipped:
        deltas[start] = deltas.get(start, 0) + percent
        if end is not None and end < dt.date.max:
            after = end + _ONE_DAY
            deltas[after] = deltas.get(after, 0) - percent
    points = sorted(deltas)
    found: list[Collision] = []
    total = 0
    for i, day in enumerate(points):
        total += deltas[day]
        if total <= limit:
            continue
        # After the last boundary the total holds to the end of ``within``.
        end = points[i + 1] - _ONE_DAY if i + 1 < len(points) else within.end
        last = found[-1] if found else None
        if (
            last is not None
            and last.percent == total
            and last.period.end is not None
            and last.period.end + _ONE_DAY == day
        ):
            found[-1] = Collision(Period(last.period.start, end), total)
        else:
            found.append(Collision(Period(day, end), total))
    return tuple(found)


def planned_interventions(case: Case) -> tuple[MunicipalIntervention, ...]:
    """The case's municipal interventions with status ``planned`` (the proposed ones)."""
    return tuple(i for i in case.interventions if i.status is InterventionStatus.PLANNED)


def _known_spans(case: Case, proposed: MunicipalIntervention) -> list[tuple[Period, int]]:
    """AF's activities (as far as known), the ongoing interventions, and ``proposed``."""
    spans: list[tuple[Period, int]] = [(proposed.period, proposed.extent.percent)]
    if case.program_decisions.status is AnswerStatus.KNOWN:
        for decision in case.program_decisions.items():
            for activity in decision.activities:
                spans.append((activity.period, activity.extent.percent))
    for other in case.interventions:
        if other.status is InterventionStatus.ONGOING and other is not proposed:
            spans.append((other.period, other.extent.percent))
    return spans


def intervention_collisions(
    case: Case, proposed: MunicipalIntervention, limit: int = 100
) -> tuple[Collision, ...]:
    """The collisions of ``proposed`` with the client's known planning.

    The planning is the activities of AF's program decisions (when known) and the
    municipality's ongoing interventions; only the days of ``proposed``'s period count.
    """
    return find_collisions(_known_spans(case, proposed), proposed.period, limit)


def _decisions_without_activities(
    decisions: Iterable[ProgramDecision], planned: Iterable[MunicipalIntervention]
) -> tuple[str, ...]:
    periods = [p.period for p in planned]
    return tuple(
        d.decision_id
        for d in decisions
        if not d.activities and any(d.period.overlaps(p) for p in periods)
    )


register_rule(RULE)
