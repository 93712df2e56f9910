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
cost grows with the number of periods, not with the number of days they span.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.income_support import IncomeSupportDecision
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.intervention_consultation import (
    InterventionConsultation,
    MeasureAnswer,
)
from ssbx_model.information.program import ProgramDecision
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import (
    DECIDED,
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

__all__ = [
    "CITATION",
    "RULE",
    "RULE_ID",
    "Collision",
    "find_collisions",
    "intervention_collisions",
    "planned_interventions",
    "registered_at_af",
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
SOURCE_TEXT = (
    "Inom ekonomiskt bistånd ska kommunen samråda med Arbetsförmedlingen när kommunen "
    "begär att den som får försörjningsstöd under viss tid ska delta i av nämnden anvisad "
    "praktik eller annan kompetenshöjande verksamhet om den enskilde inte har kunnat "
    "erbjudas någon lämplig arbetsmarknadspolitisk åtgärd. [...] Det är viktigt att "
    "planeringen fungerar för klienten så att det inte blir några krockar. Det finns då "
    "risk att klienten blir av med sitt aktivitetsstöd. [...] Är klienten inskriven på "
    "Arbetsförmedlingen? Det är viktigt att veta om klienten är inskriven då det är en "
    "förutsättning."
)
_C_AF = (
    f"{REPORT}, Tabell 4 ('Det är viktigt att veta om klienten är inskriven då det är en "
    "förutsättning')"
)
_C_INCOME_SUPPORT = f"{SOL} ('den som får försörjningsstöd'); {REPORT}"
_C_PLANNED = (
    f"{SOL} ('av nämnden anvisad praktik eller annan kompetenshöjande verksamhet'); {REPORT}"
)
_C_CONSULTATION = (
    f"{SOL} ('ska kommunen samråda med Arbetsförmedlingen [...] om den enskilde inte har "
    f"kunnat erbjudas någon lämplig arbetsmarknadspolitisk åtgärd'); {REPORT}"
)
_C_COLLISION = (
    f"{REPORT} ('Det är viktigt att planeringen fungerar för klienten så att det inte blir "
    "några krockar. Det finns då risk att klienten blir av med sitt aktivitetsstöd') and "
    "Tabell 4 (activities with period and extent)"
)
_C_ACTIVITIES = (
    f"{REPORT}, Tabell 4 ('Även då klienten är inskriven 100% på ett program betyder det "
    "inte alltid att aktiviteterna fyller upp 100% av tiden')"
)
_LIMIT = "assign_intervention.max_combined_extent_percent"
_ONE_DAY = dt.timedelta(days=1)
_KNOWN = AnswerStatus.KNOWN
_PLANNED = InterventionStatus.PLANNED
_ONGOING = InterventionStatus.ONGOING
#: At most this many date ranges are spelled out in a reason's text (all are in its facts).
_RANGES_IN_TEXT = 10


# --------------------------------------------------------------------------------------
# Collisions: the combined extent per day, by sweeping period boundaries
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Registration at AF (shared with extratjanst and lonebidrag)
# --------------------------------------------------------------------------------------


def registered_at_af(rule_id: str, citation: str) -> Condition:
    """The condition "registered at AF on the reference date" for the rule ``rule_id``.

    Reason codes ``<rule_id>.registered-at-af`` (holds) and
    ``<rule_id>.not-registered-at-af`` (fails; AF answering "absent" or "not found" means
    not registered); an undecided enrolment is unknown with ``enrolment`` missing. The
    trace shows the registration date and the days registered up to the date (how long
    the client has been registered, Tabell 4 and the extratjänst process).
    """
    holds = Reason(
        f"{rule_id}.registered-at-af",
        ReasonKind.HOLDS,
        "Klienten är inskriven på Arbetsförmedlingen.",
        "The client is registered at AF.",
        citation,
    )
    fails = Reason(
        f"{rule_id}.not-registered-at-af",
        ReasonKind.FAILS,
        "Klienten är inte inskriven på Arbetsförmedlingen den dagen; inskrivning är en "
        "förutsättning.",
        "The client is not registered at AF on the date; registration is a precondition.",
        citation,
    )

    # The Unknown for each undecided status, computed once (the cached :func:`missing`).
    open_by_status = unknowns(
        rule_id,
        InformationSet.ENROLMENT,
        citation,
        what_sv="om klienten är inskriven",
        what_en="whether the client is registered",
    )
    # Absent and not found: the same failure for every case.
    not_enrolled = {
        status: fails.with_facts(("enrolment", status.value))
        for status in (AnswerStatus.ABSENT, AnswerStatus.NOT_FOUND)
    }

    def predicate(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
        answer = case.enrolment
        status = answer.status
        if status is _KNOWN:
            enrolment = answer.value
            assert enrolment is not None
            out = enrolment.deregistration
            if enrolment.registered_on <= on and (out is None or on <= out.on):
                return None  # enrolment.is_registered_on(on), without building a Period
            return fails.with_facts(("enrolment", str(enrolment.period)))
        found = not_enrolled.get(status)
        if found is not None:
            return found
        return open_by_status[status]

    def facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
        answer = case.enrolment
        if answer.status is not AnswerStatus.KNOWN or answer.value is None:
            return (("enrolment", answer.status.value),)
        enrolment = answer.value
        return (
            ("enrolment", str(enrolment.period)),
            ("registered_days", enrolment.registered_days_on(on)),
        )

    return Condition(
        "registered-at-af",
        "The client is registered at AF on the date.",
        citation,
        predicate,
        holds,
        facts,
    )


# --------------------------------------------------------------------------------------
# The conditions (1. registered at AF: registered_at_af above)
# --------------------------------------------------------------------------------------


def _r(code: str, kind: ReasonKind, sv: str, en: str, citation: str) -> Reason:
    return Reason(f"{RULE_ID}.{code}", kind, sv, en, citation)


# -- 2. Receives försörjningsstöd on the date ("den som får försörjningsstöd") ------------

RECEIVES_INCOME_SUPPORT = _r(
    "receives-income-support",
    ReasonKind.HOLDS,
    "Klienten får försörjningsstöd den dagen.",
    "The client receives income support (försörjningsstöd) on the date.",
    _C_INCOME_SUPPORT,
)
_U_INCOME_SUPPORT = unknowns(
    RULE_ID,
    InformationSet.INCOME_SUPPORT,
    _C_INCOME_SUPPORT,
    what_sv="om klienten får försörjningsstöd",
    what_en="whether the client receives income support",
)


def _no_income_support(
    decisions: tuple[IncomeSupportDecision, ...], on: dt.date, status: AnswerStatus
) -> Reason:
    """Fails: no decision made by ``on`` grants support for ``on``. The text also names a
    decision for the day made only after it, and when the last support granted ended."""
    sv = [
        (
            f"Klienten får inte försörjningsstöd den {on}: inget beslut om försörjningsstöd "
            "som fattats senast den dagen gäller för den."
        )
    ]
    en = [
        (
            f"The client does not receive income support (försörjningsstöd) on {on}: no "
            "decision on income support made by that day covers it."
        )
    ]
    facts: list[Fact] = [("income_support", status.value)]
    later = tuple(d.decision_id for d in decisions if d.period.contains(on) and d.decided_on > on)
    if later:
        ids = ", ".join(later)
        sv.append(f"Beslut {ids} gäller dagen men fattades efter den.")
        en.append(f"Decision(s) {ids} cover the day but were made after it.")
        facts.append(("decided_after_the_date", later))
    ended = [d.period.end for d in decisions if d.period.end is not None and d.period.end < on]
    if ended:
        last = max(ended)
        sv.append(f"Det senast beviljade försörjningsstödet gällde till och med {last}.")
        en.append(f"The latest income support granted ran until {last}.")
        facts.append(("last_support_until", last))
    return _r(
        "no-income-support", ReasonKind.FAILS, " ".join(sv), " ".join(en), _C_INCOME_SUPPORT
    ).with_facts(*facts)


def _receives_income_support(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    answer = case.income_support
    status = answer.status
    if status is _KNOWN:
        decisions = answer.value or ()
        for decision in decisions:
            if decision.supports_on(on):
                return None
        return _no_income_support(decisions, on, status)
    if status in DECIDED:  # absent or not found: the municipality has no such decision
        return _no_income_support((), on, status)
    return _U_INCOME_SUPPORT[status]


def _income_support_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    answer = case.income_support
    facts: list[Fact] = [("income_support", answer.status.value)]
    if answer.status is _KNOWN:
        covering = tuple(
            f"{d.decision_id} {d.period} (decided {d.decided_on})"
            for d in answer.items()
            if d.period.contains(on)
        )
        facts.append(("decisions_covering_the_date", covering))
    return tuple(facts)


# -- 3. A planned intervention to assign ------------------------------------------------

PLANNED = _r(
    "planned-intervention",
    ReasonKind.HOLDS,
    "Det finns en planerad kommunal insats att anvisa.",
    "There is a planned municipal intervention to assign.",
    _C_PLANNED,
)
NO_PLANNED = _r(
    "no-planned-intervention",
    ReasonKind.FAILS,
    "Ärendet har ingen planerad kommunal insats (status planerad) att anvisa: registrera "
    "den föreslagna insatsen först.",
    "The case has no planned municipal intervention (status planned) to assign: record "
    "the proposed intervention first.",
    _C_PLANNED,
)


def _has_planned(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    for intervention in case.interventions:
        if intervention.status is _PLANNED:
            return None
    return NO_PLANNED


def _planned_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    planned = planned_interventions(case)
    return (
        ("planned", tuple(p.intervention_id for p in planned)),
        *((f"{p.intervention_id}", f"{p.period} {p.extent}") for p in planned),
    )


# -- 4. Consulted AF, which could offer no suitable labour-market measure ---------------
# "ska kommunen samråda med Arbetsförmedlingen [...] om den enskilde inte har kunnat
# erbjudas någon lämplig arbetsmarknadspolitisk åtgärd"

AF_CONSULTED = _r(
    "af-consulted",
    ReasonKind.HOLDS,
    "Arbetsförmedlingen har samråtts om varje planerad insats och har svarat att ingen "
    "lämplig arbetsmarknadspolitisk åtgärd kan erbjudas.",
    "AF was consulted about each planned intervention and answered that no suitable "
    "labour-market measure can be offered.",
    _C_CONSULTATION,
)
_U_CONSULTATIONS = unknowns(
    RULE_ID,
    InformationSet.INTERVENTION_CONSULTATIONS,
    _C_CONSULTATION,
    what_sv="om Arbetsförmedlingen har samråtts om insatsen och vad den svarade",
    what_en="whether AF was consulted about the intervention and what it answered",
)


def _held_about(
    consultations: tuple[InterventionConsultation, ...], intervention_id: str, on: dt.date
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


def _consultation_fails(
    not_consulted: list[str], offered: list[tuple[str, dt.date]], on: dt.date
) -> Reason:
    """Fails: a planned intervention without a consultation by ``on``, or for which AF
    offered a measure. Code ``no-af-consultation`` when any lacks a consultation (the
    statute's first step), otherwise ``measure-offered``; the text names every one."""
    parts_sv = []
    parts_en = []
    facts: list[Fact] = []
    if not_consulted:
        ids = ", ".join(not_consulted)
        parts_sv.append(f"inget samråd med Arbetsförmedlingen om insatsen {ids} senast {on}")
        parts_en.append(f"no consultation with AF about intervention(s) {ids} by {on}")
        facts.append(("not_consulted", tuple(not_consulted)))
    if offered:
        answers = tuple(f"{i} (answered {d})" for i, d in offered)
        parts_sv.extend(
            f"Arbetsförmedlingen svarade {d} att en lämplig arbetsmarknadspolitisk åtgärd kan "
            f"erbjudas (insatsen {i})"
            for i, d in offered
        )
        parts_en.extend(
            f"AF answered on {d} that a suitable labour-market measure can be offered "
            f"(intervention {i})"
            for i, d in offered
        )
        facts.append(("measure_offered", answers))
    return _r(
        "no-af-consultation" if not_consulted else "measure-offered",
        ReasonKind.FAILS,
        "Kommunen kan inte begära att klienten deltar i insatsen: " + "; ".join(parts_sv) + ".",
        "The municipality cannot require the client to take part: " + "; ".join(parts_en) + ".",
        _C_CONSULTATION,
    ).with_facts(*facts)


def _answer_pending(pending: list[tuple[str, dt.date]], on: dt.date) -> Unknown:
    """Unknown: consulted, but AF had not answered by ``on``."""
    held_sv = ", ".join(f"insatsen {i} den {d}" for i, d in pending)
    held_en = ", ".join(f"intervention {i} on {d}" for i, d in pending)
    reason = _r(
        "af-answer-pending",
        ReasonKind.UNKNOWN,
        f"Arbetsförmedlingen har inte svarat senast {on} om en lämplig "
        f"arbetsmarknadspolitisk åtgärd kan erbjudas (samråd om {held_sv}). Registrera "
        "svaret när det kommer.",
        f"AF had not answered by {on} whether a suitable labour-market measure can be "
        f"offered (consultation about {held_en}). Record the answer when it comes.",
        _C_CONSULTATION,
    ).with_facts(("answer_pending", tuple(f"{i} (consulted {d})" for i, d in pending)))
    return Unknown(reason, (InformationSet.INTERVENTION_CONSULTATIONS,))


def _af_consulted(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    planned = [i for i in case.interventions if i.status is _PLANNED]
    if not planned:
        return None  # nothing to consult about; the planned-intervention condition fails
    answer = case.intervention_consultations
    if answer.status not in DECIDED:
        return _U_CONSULTATIONS[answer.status]
    records = (answer.value or ()) if answer.status is _KNOWN else ()
    not_consulted: list[str] = []
    offered: list[tuple[str, dt.date]] = []
    pending: list[tuple[str, dt.date]] = []
    for intervention in planned:
        held = _held_about(records, intervention.intervention_id, on)
        if not held:
            not_consulted.append(intervention.intervention_id)
            continue
        latest = _latest_answer(held, on)
        if latest is None:
            pending.append((intervention.intervention_id, max(c.held_on for c in held)))
        elif latest.answer is MeasureAnswer.MEASURE_OFFERED:
            assert latest.answered_on is not None
            offered.append((intervention.intervention_id, latest.answered_on))
    if not_consulted or offered:
        return _consultation_fails(not_consulted, offered, on)
    if pending:
        return _answer_pending(pending, on)
    return None


def _consultation_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    answer = case.intervention_consultations
    facts: list[Fact] = [("intervention_consultations", answer.status.value)]
    if answer.status is not _KNOWN:
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


# -- 5. No collision with AF's planning ------------------------------------------------

NO_COLLISION = _r(
    "no-collision",
    ReasonKind.HOLDS,
    "Insatsen ryms i klientens planering: den sammanlagda omfattningen överstiger inte "
    "gränsen någon dag.",
    "The intervention fits the client's planning: the combined extent is never above the limit.",
    _C_COLLISION,
)
_ACTIVITIES_UNKNOWN_SV = (
    "Arbetsförmedlingens programbeslut {ids} saknar aktiviteter med period och omfattning "
    "under den planerade insatsens period; programbeslutets omfattning säger inte vad "
    "klienten gör om dagarna. Fråga Arbetsförmedlingen om planeringen."
)
_ACTIVITIES_UNKNOWN_EN = (
    "AF's program decision(s) {ids} list no activities with period and extent during the "
    "planned intervention's period; a decision's extent does not say what the client "
    "does day by day. Ask AF about the planning."
)


def _ranges_text(collisions: tuple[Collision, ...]) -> str:
    shown = ", ".join(str(c) for c in collisions[:_RANGES_IN_TEXT])
    more = len(collisions) - _RANGES_IN_TEXT
    return f"{shown} (+{more})" if more > 0 else shown


def _collision_reason(
    found: list[tuple[MunicipalIntervention, tuple[Collision, ...]]], limit: int
) -> Reason:
    parts_sv = []
    parts_en = []
    facts: list[Fact] = [("max_percent", limit)]
    for intervention, collisions in found:
        ranges = _ranges_text(collisions)
        parts_sv.append(f"insatsen {intervention.intervention_id}: {ranges}")
        parts_en.append(f"intervention {intervention.intervention_id}: {ranges}")
        facts.append(("intervention", intervention.intervention_id))
        facts.append(("collisions", tuple(str(c) for c in collisions)))
    return _r(
        "collision",
        ReasonKind.FAILS,
        f"Krock med klientens planering: den sammanlagda omfattningen av Arbetsförmedlingens "
        f"aktiviteter och kommunens insatser överstiger {limit} % ({'; '.join(parts_sv)}). "
        "En krock kan leda till att klienten blir av med sitt aktivitetsstöd.",
        f"Collision with the client's planning: the combined extent of AF's activities and "
        f"the municipality's interventions is above {limit} % ({'; '.join(parts_en)}). "
        "A collision can cost the client the activity support.",
        _C_COLLISION,
    ).with_facts(*facts)


_U_COLLISION = unknowns(
    RULE_ID,
    InformationSet.PROGRAM_DECISIONS,
    _C_COLLISION,
    what_sv="om insatsen krockar med Arbetsförmedlingens planering",
    what_en="whether the intervention collides with AF's planning",
)


def _no_collision(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    interventions = case.interventions
    planned = [i for i in interventions if i.status is _PLANNED]
    if not planned:
        return None  # nothing to check; the planned-intervention condition fails
    limit = int(params[_LIMIT])
    # Extents are positive, so when every span's percent added up stays within the limit
    # no day can exceed it: the sweep (intervention_collisions) runs only otherwise.
    answer = case.program_decisions
    others = 0
    bare = False  # a program decision without activities
    if answer.status is _KNOWN:
        for decision in answer.value or ():
            activities = decision.activities
            if not activities:
                bare = True
            for activity in activities:
                others += activity.extent.percent
    for other in interventions:
        if other.status is _ONGOING:
            others += other.extent.percent
    found = [
        (p, c)
        for p in planned
        if others + p.extent.percent > limit and (c := intervention_collisions(case, p, limit))
    ]
    if found:
        return _collision_reason(found, limit)
    if answer.status not in DECIDED:
        return _U_COLLISION[answer.status]
    if not bare:
        return None
    without = _decisions_without_activities(answer.items(), planned)
    if without:
        ids = ", ".join(without)
        reason = _r(
            "activities-unknown",
            ReasonKind.UNKNOWN,
            _ACTIVITIES_UNKNOWN_SV.format(ids=ids),
            _ACTIVITIES_UNKNOWN_EN.format(ids=ids),
            _C_ACTIVITIES,
        ).with_facts(("program_decisions_without_activities", without))
        return Unknown(reason, (InformationSet.PROGRAM_DECISIONS,))
    return None


def _collision_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("max_percent", params.int(_LIMIT)),
        ("program_decisions", case.program_decisions.status.value),
    ]
    if case.program_decisions.status is AnswerStatus.KNOWN:
        for decision in case.program_decisions.items():
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


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="2",
        title_en=(
            "Assign a municipal intervention (the statute's preconditions, no collision with "
            "AF's planning)"
        ),
        title_sv=(
            "Anvisa kommunal insats (lagens förutsättningar, utan krock med "
            "Arbetsförmedlingens planering)"
        ),
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=(_LIMIT,),
        needs=(
            InformationSet.ENROLMENT,
            InformationSet.INCOME_SUPPORT,
            InformationSet.INTERVENTION_CONSULTATIONS,
            InformationSet.PROGRAM_DECISIONS,
        ),
        conditions=(
            registered_at_af(RULE_ID, _C_AF),
            Condition(
                "receives-income-support",
                "A decision granting försörjningsstöd, made on or before the date, covers "
                "the date.",
                _C_INCOME_SUPPORT,
                _receives_income_support,
                RECEIVES_INCOME_SUPPORT,
                _income_support_facts,
            ),
            Condition(
                "planned-intervention",
                "The case has a municipal intervention with status planned.",
                _C_PLANNED,
                _has_planned,
                PLANNED,
                _planned_facts,
            ),
            Condition(
                "af-consulted",
                "For each planned intervention, AF was consulted about it on or before the "
                "date, and AF's latest answer by the date is that no suitable labour-market "
                "measure can be offered.",
                _C_CONSULTATION,
                _af_consulted,
                AF_CONSULTED,
                _consultation_facts,
            ),
            Condition(
                "no-collision",
                "On no day of a planned intervention's period is the combined extent of "
                "AF's activities, the ongoing municipal interventions and the planned "
                "intervention above the limit.",
                _C_COLLISION,
                _no_collision,
                NO_COLLISION,
                _collision_facts,
            ),
        ),
    )
)
