"""Rule ``inuk``: which of a person's municipal interventions are reportable to INUK.

Source (INUK, Frågor och svar (2019-04-01), "Frågor och svar om statistikuppföljningsverktyget"):

    Deltagare som kommer att ingå i denna statistik måste vara inskrivna i
    Arbetsförmedlingens eller kommunens administrationssystem. [...]
    Vi har inget slutdatum på våra aktiviteter, kan vi skicka in dem ändå?
    Nej, slutdatum är obligatoriskt för att vi skall veta hur länge vi skall visa upp en
    aktivitet. [...]
    När är det aktuellt att utöka målgruppen för INUK till att gälla även nyanlända?
    Avsikten är att utöka målgruppen.

and (Dua, Frågor och svar om kommuninsatser 16-24 år, what the municipality does not report):

    Kommunen ska däremot inte informera Arbetsförmedlingen enligt dessa rutiner när det
    gäller insatser som Arbetsförmedlingen ansvarar för och beslutar om, exempelvis de
    arbetsmarknadspolitiska programmen, subventionerade anställningar och jobbgarantin
    för ungdomar. Det gäller också insatser som Arbetsförmedlingen och kommunen genomför
    i samverkan, exempelvis traineejobb och utbildningskontrakt. [...] Inte heller
    feriejobb som kommunen anordnar behöver rapporteras.

Citation: INUK, Frågor och svar (2019-04-01); Dua, Frågor och svar om kommuninsatser 16-24 år;
förordning (2015:502).

An intervention is reportable when all hold (:func:`inuk_reportable` decides for one;
the checks run in this order and the first that fails is the intervention's reason):

1. ``not-joint-effort``: the intervention type is not a joint effort of AF and the
   municipality (traineejobb, utbildningskontrakt: af-program kind ``joint-effort``).
2. ``not-af-decided``: the intervention type is not an AF-decided measure (programs,
   subsidised employment: intervention-type attribute ``af_decided``).
3. ``not-summer-job``: the intervention type is not a summer job (feriejobb).
4. ``end-date``: the intervention has an end date.
5. ``started``: it has started by the reference date (not planned, first day on or before
   it): INUK follows up participants, not plans.
6. ``target-group``: the person is in one of the rule's target groups. The built-in group
   is youth: aged ``inuk.age.min``..``inuk.age.max`` (16-24) on the intervention's first
   day. Target groups are pluggable (:class:`TargetGroup`): a vendor widens INUK to newly
   arrived immigrants by registering an :class:`InukRule` with another group, e.g.
   ``register_rule(InukRule(id="inuk-newly-arrived", target_groups=(NEWLY_ARRIVED,)))``,
   without editing this module (see the how-to "Add a target group").

The rule over a case is ``eligible`` when at least one intervention is reportable, with
one reason per intervention (its id, type and period in the facts). The rule reads only
the case's own interventions and the identity number, which a case always has: it is
never ``unknown``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from ssbx_model.case import Case
from ssbx_model.codes import AF_PROGRAM, INTERVENTION_TYPE, load
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.engine import (
    ConditionResult,
    Decision,
    Fact,
    Outcome,
    QuickVerdict,
    Reason,
    ReasonKind,
    TraceStep,
    Verdict,
    age_on,
    get_rule,
    make_decision,
    parameter_view,
    register_rule,
)
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = ["RULE", "YOUTH", "InukRule", "TargetGroup", "inuk_reportable"]

RULE_ID = "inuk"
INUK = "INUK, Frågor och svar (2019-04-01)"
DUA = "Dua, Frågor och svar om kommuninsatser 16-24 år"
CITATION = f"{INUK}; {DUA}; förordning (2015:502)"
SOURCE_TEXT = (
    "Deltagare som kommer att ingå i denna statistik måste vara inskrivna i "
    "Arbetsförmedlingens eller kommunens administrationssystem. [...] Nej, slutdatum är "
    "obligatoriskt för att vi skall veta hur länge vi skall visa upp en aktivitet. [...] "
    "Kommunen ska däremot inte informera Arbetsförmedlingen enligt dessa rutiner när det "
    "gäller insatser som Arbetsförmedlingen ansvarar för och beslutar om [...] Det gäller "
    "också insatser som Arbetsförmedlingen och kommunen genomför i samverkan, exempelvis "
    "traineejobb och utbildningskontrakt. [...] Inte heller feriejobb som kommunen anordnar "
    "behöver rapporteras."
)

_C_YOUTH = f"{DUA} ('kommuninsatser för ungdomar 16-24 år'); {INUK} ('insatser för unga')"
_C_JOINT = (
    f"{DUA} ('insatser som Arbetsförmedlingen och kommunen genomför i samverkan, exempelvis "
    "traineejobb och utbildningskontrakt')"
)
_C_AF = (
    f"{DUA} ('insatser som Arbetsförmedlingen ansvarar för och beslutar om, exempelvis de "
    "arbetsmarknadspolitiska programmen, subventionerade anställningar')"
)
_C_SUMMER = f"{DUA} ('Inte heller feriejobb som kommunen anordnar behöver rapporteras')"
_C_END = f"{INUK} ('slutdatum är obligatoriskt')"
_C_STARTED = f"{INUK} ('hur många unga som får arbetsmarknadsinsatser i kommuner')"

#: (case, intervention, reference date, parameters) -> None when it holds, or a Reason.
InterventionPredicate = Callable[
    [Case, MunicipalIntervention, dt.date, ParameterView], ConditionResult
]


class TargetGroup(NamedTuple):
    """A target group of INUK: who counts, as a predicate over (case, intervention).

    ``predicate`` returns None when the person is in the group for that intervention and
    a fails :class:`Reason` otherwise (an :class:`~ssbx_model.rules.engine.Unknown` when
    it cannot tell). ``parameters`` names the parameters it reads (they must exist).
    """

    name: str
    description: str
    citation: str
    parameters: tuple[str, ...]
    predicate: InterventionPredicate
    holds: Reason


H, F = ReasonKind.HOLDS, ReasonKind.FAILS
IN_YOUTH = Reason(
    "inuk.target-group.youth",
    H,
    "Är 16-24 år när insatsen börjar (målgruppen unga).",
    "Is aged 16-24 when the intervention starts (the youth target group).",
    _C_YOUTH,
)
OUTSIDE_GROUPS = Reason(
    "inuk.target-group.outside",
    F,
    "Tillhör ingen av INUK:s målgrupper när insatsen börjar.",
    "Is in none of INUK's target groups when the intervention starts.",
    _C_YOUTH,
)


def _youth(
    case: Case, intervention: MunicipalIntervention, on: dt.date, p: ParameterView
) -> ConditionResult:
    age = age_on(case.person, intervention.period.start)
    if int(p["inuk.age.min"]) <= age <= int(p["inuk.age.max"]):
        return None
    return OUTSIDE_GROUPS.with_facts(
        ("age_at_start", age),
        ("age_min", p["inuk.age.min"]),
        ("age_max", p["inuk.age.max"]),
    )


#: The built-in target group: young people aged 16-24 when the intervention starts.
YOUTH = TargetGroup(
    "youth",
    "Aged inuk.age.min..inuk.age.max (16-24) on the intervention's first day.",
    _C_YOUTH,
    ("inuk.age.min", "inuk.age.max"),
    _youth,
    IN_YOUTH,
)

JOINT = Reason(
    "inuk.joint-effort",
    F,
    "Insatsen är en gemensam insats med Arbetsförmedlingen (t.ex. traineejobb, "
    "utbildningskontrakt) och rapporteras inte.",
    "The intervention is a joint effort with AF (e.g. trainee job, education contract) and "
    "is not reported.",
    _C_JOINT,
)
AF_DECIDED = Reason(
    "inuk.af-decided",
    F,
    "Insatsen beslutas av Arbetsförmedlingen (program eller subventionerad anställning) och "
    "rapporteras inte.",
    "The intervention is decided by AF (a program or subsidised employment) and is not reported.",
    _C_AF,
)
SUMMER = Reason(
    "inuk.summer-job",
    F,
    "Insatsen är ett feriejobb och rapporteras inte.",
    "The intervention is a summer job and is not reported.",
    _C_SUMMER,
)
NO_END = Reason(
    "inuk.end-date.missing",
    F,
    "Insatsen saknar slutdatum, som är obligatoriskt.",
    "The intervention has no end date, which is mandatory.",
    _C_END,
)
NOT_STARTED = Reason(
    "inuk.not-started",
    F,
    "Insatsen har inte börjat (planerad).",
    "The intervention has not started (planned).",
    _C_STARTED,
)
REPORTABLE = Reason(
    "inuk.reportable",
    H,
    "Insatsen ska rapporteras till INUK.",
    "The intervention is reportable to INUK.",
    CITATION,
)
NONE = Reason(
    "inuk.no-interventions",
    F,
    "Personen har inga kommunala insatser.",
    "The person has no municipal interventions.",
    CITATION,
)

_TYPES = load(INTERVENTION_TYPE)
_AF_DECIDED_TYPES = frozenset(_TYPES.with_attribute("af_decided", "yes"))
_SUMMER_TYPES = frozenset(_TYPES.with_attribute("summer_job", "yes"))
_JOINT_PROGRAMS = frozenset(load(AF_PROGRAM).with_attribute("kind", "joint-effort"))
_JOINT_TYPES = frozenset(
    entry.code for entry in _TYPES if entry.attributes.get("af_program") in _JOINT_PROGRAMS
)


_DESCRIPTIONS = {
    "not-joint-effort": "Not a joint effort of AF and the municipality (traineejobb, "
    "utbildningskontrakt).",
    "not-af-decided": "Not a measure AF decides (program, subsidised employment).",
    "not-summer-job": "Not a summer job (feriejobb).",
    "end-date": "Has an end date.",
    "started": "Has started by the date (not planned).",
}


def _with_id(reason: Reason, intervention: MunicipalIntervention) -> Reason:
    return reason.with_facts(
        ("intervention", intervention.intervention_id),
        ("intervention_type", intervention.intervention_type),
        ("period", intervention.period),
        *reason.facts,
    )


class InukRule:
    """The INUK reporting rule, over one or more :class:`TargetGroup`\\ s.

    The built-in ``inuk`` rule uses :data:`YOUTH`. Construct another with your own groups
    (and ``id``) and register it to widen or change the target group without editing the
    library; every group's parameters must exist.
    """

    __slots__ = (
        "citation",
        "id",
        "needs",
        "parameters",
        "source_text",
        "target_groups",
        "title_en",
        "title_sv",
        "version",
    )

    def __init__(
        self,
        *,
        id: str = RULE_ID,
        version: str = "1",
        target_groups: Sequence[TargetGroup] = (YOUTH,),
        title_en: str = "INUK: municipal interventions reportable to the national follow-up",
        title_sv: str = "INUK: kommunala insatser som ska rapporteras till uppföljningen",
        source_text: str = SOURCE_TEXT,
        citation: str = CITATION,
        extra_parameters: Sequence[str] = (),
    ) -> None:
        self.id = id
        self.version = version
        self.target_groups = tuple(target_groups)
        self.title_en = title_en
        self.title_sv = title_sv
        self.source_text = source_text
        self.citation = citation
        names: dict[str, None] = {}
        for group in self.target_groups:
            names.update(dict.fromkeys(group.parameters))
        names.update(dict.fromkeys(extra_parameters))
        self.parameters = tuple(names)
        self.needs: tuple[InformationSet, ...] = ()

    def check_one(
        self,
        case: Case,
        intervention: MunicipalIntervention,
        on: dt.date,
        params: ParameterView,
        trace: list[TraceStep] | None,
    ) -> tuple[Outcome, tuple[Reason, ...]]:
        """Decide for one intervention: reportable (eligible) or not, with one reason.

        The checks run in order (joint effort, AF-decided, summer job, end date,
        started, target group) and the first that fails is the reason; the trace shows
        every check.
        """
        if trace is not None:
            self._trace_one(case, intervention, on, params, trace)
        failed = self._failure(case, intervention, on, params)
        if failed is None:
            return Outcome.ELIGIBLE, (_with_id(REPORTABLE, intervention),)
        return Outcome.NOT_ELIGIBLE, (_with_id(failed, intervention),)

    def _failure(
        self, case: Case, intervention: MunicipalIntervention, on: dt.date, params: ParameterView
    ) -> Reason | None:
        # The first check that fails (without the intervention's facts), or None.
        kind = intervention.intervention_type
        period = intervention.period
        if kind in _JOINT_TYPES:
            return JOINT
        if kind in _AF_DECIDED_TYPES:
            return AF_DECIDED
        if kind in _SUMMER_TYPES:
            return SUMMER
        if period.end is None:
            return NO_END
        if intervention.status is InterventionStatus.PLANNED or period.start > on:
            return NOT_STARTED
        return self._target(case, intervention, on, params)

    def _trace_one(
        self,
        case: Case,
        intervention: MunicipalIntervention,
        on: dt.date,
        params: ParameterView,
        trace: list[TraceStep],
    ) -> None:
        kind = intervention.intervention_type
        period = intervention.period
        checks = (
            ("not-joint-effort", _C_JOINT, JOINT if kind in _JOINT_TYPES else None),
            ("not-af-decided", _C_AF, AF_DECIDED if kind in _AF_DECIDED_TYPES else None),
            ("not-summer-job", _C_SUMMER, SUMMER if kind in _SUMMER_TYPES else None),
            ("end-date", _C_END, NO_END if period.end is None else None),
            (
                "started",
                _C_STARTED,
                NOT_STARTED
                if intervention.status is InterventionStatus.PLANNED or period.start > on
                else None,
            ),
        )
        facts: tuple[Fact, ...] = (
            ("intervention", intervention.intervention_id),
            ("intervention_type", kind),
            ("period", period),
            ("status", intervention.status.value),
        )
        for name, citation, failed in checks:
            trace.append(
                TraceStep(
                    name,
                    ReasonKind.HOLDS if failed is None else ReasonKind.FAILS,
                    _DESCRIPTIONS[name],
                    citation,
                    facts,
                    None if failed is None else failed.code,
                )
            )
        group_result = self._target(case, intervention, on, params)
        trace.append(
            TraceStep(
                "target-group",
                ReasonKind.HOLDS if group_result is None else ReasonKind.FAILS,
                " or ".join(g.description for g in self.target_groups),
                "; ".join(g.citation for g in self.target_groups),
                (
                    ("intervention", intervention.intervention_id),
                    ("age_at_start", age_on(case.person, period.start)),
                ),
                None if group_result is None else group_result.code,
            )
        )

    def _target(
        self, case: Case, intervention: MunicipalIntervention, on: dt.date, p: ParameterView
    ) -> Reason | None:
        first: Reason | None = None
        for group in self.target_groups:
            result = group.predicate(case, intervention, on, p)
            if result is None:
                return None
            if first is None and isinstance(result, Reason):
                first = result
        return first if first is not None else OUTSIDE_GROUPS

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """Eligible when at least one intervention is reportable; one reason each."""
        interventions = case.interventions
        if not interventions:
            if trace is not None:
                trace.append(
                    TraceStep(
                        "interventions",
                        ReasonKind.FAILS,
                        "Has interventions.",
                        CITATION,
                        (("interventions", 0),),
                        NONE.code,
                    )
                )
            return Outcome.NOT_ELIGIBLE, (NONE,), ()
        reasons: list[Reason] = []
        any_reportable = False
        for intervention in interventions:
            outcome, found = self.check_one(case, intervention, on, params, trace)
            any_reportable = any_reportable or outcome is Outcome.ELIGIBLE
            reasons.extend(found)
        if any_reportable:
            return Outcome.ELIGIBLE, tuple(reasons), ()
        return Outcome.NOT_ELIGIBLE, tuple(reasons), ()

    def decide(self, case: Case, on: dt.date, params: ParameterView) -> QuickVerdict:
        """The outcome :meth:`check` gives, without building one reason per intervention
        (:meth:`check` builds them when asked for)."""
        interventions = case.interventions
        if not interventions:
            return _NO_INTERVENTIONS
        for intervention in interventions:
            if self._failure(case, intervention, on, params) is None:
                return _LAZY_ELIGIBLE
        return _LAZY_NOT_ELIGIBLE

    def __repr__(self) -> str:
        return f"InukRule(id={self.id!r}, groups={[g.name for g in self.target_groups]})"


_NO_INTERVENTIONS: Verdict = (Outcome.NOT_ELIGIBLE, (NONE,), ())
_LAZY_ELIGIBLE: QuickVerdict = (Outcome.ELIGIBLE, None, ())
_LAZY_NOT_ELIGIBLE: QuickVerdict = (Outcome.NOT_ELIGIBLE, None, ())

RULE = register_rule(InukRule())


def inuk_reportable(
    case: Case,
    intervention: MunicipalIntervention,
    on: dt.date,
    parameters: Mapping[str, Scalar] | None = None,
    *,
    rule_id: str = RULE_ID,
) -> Decision:
    """Is this one intervention of ``case`` reportable to INUK as of ``on``?

    Returns a decision of the rule ``rule_id`` (an :class:`InukRule`; default ``inuk``)
    about that intervention only, with its trace. The INUK report builder calls this per
    intervention.

    Raises:
        RuleError: if ``rule_id`` is not an INUK rule, or an override is bad.
    """
    from ssbx_model.errors import RuleError

    rule = get_rule(rule_id)
    if not isinstance(rule, InukRule):
        raise RuleError(f"rule {rule_id!r} is not an INUK rule")
    params = parameter_view(rule, on, parameters)
    steps: list[TraceStep] = []
    outcome, reasons = rule.check_one(case, intervention, on, params, steps)
    return make_decision(rule, case, on, params, (outcome, reasons, ()), steps)
