"""Rule ``inuk``: which of a person's municipal interventions are reportable to INUK.

Source (SKL, "Frågor och svar om statistikuppföljningsverktyget", the questions and
answers on INUK, published 2019-04-01):

    Det kommer att vara möjligt att följa upp hur många unga som får
    arbetsmarknadsinsatser i kommuner och på de lokala arbetsförmedlingarna och vilka
    hur många som går till resultat, samt vilken typ av resultat de går vidare till.
    [...] Det vi efterfrågar är det system ni använder för att följa deltagare i
    arbetsmarknadsinsatser. Samma system som ni plockar ut statistik ifrån en gång per år
    och lägger in i Kolada. [...] Deltagare som kommer att ingå i denna statistik måste
    vara inskrivna i Arbetsförmedlingens eller kommunens administrationssystem. [...]
    Vi har inget slutdatum på våra aktiviteter, kan vi skicka in dem ändå?
    Nej, slutdatum är obligatoriskt för att vi skall veta hur länge vi skall visa upp en
    aktivitet. [...] Statistikuppföljningen sker månadsvis [...]
    När är det aktuellt att utöka målgruppen för INUK till att gälla även nyanlända?
    Avsikten är att utöka målgruppen.

INUK's text leaves nothing out of the municipality's follow-up of its labour-market
interventions. The Dua category-15 routine (Dua, "Frågor och svar – uppföljning av
kommuninsatser för ungdomar 16-24 år inom ramen för lokal överenskommelse", 2019-04-01)
does, and each of its three exclusions is a parameter here, off by default:

    Kommunen ska däremot inte informera Arbetsförmedlingen enligt dessa rutiner när det
    gäller insatser som Arbetsförmedlingen ansvarar för och beslutar om, exempelvis de
    arbetsmarknadspolitiska programmen, subventionerade anställningar och jobbgarantin
    för ungdomar. Det gäller också insatser som Arbetsförmedlingen och kommunen genomför
    i samverkan, exempelvis traineejobb och utbildningskontrakt. [...] Inte heller
    feriejobb som kommunen anordnar behöver rapporteras.

Citation: the INUK questions and answers (SKL, 2019-04-01); for the youth age band and
the optional exclusions, Dua's questions and answers on category 15 (2019-04-01) and
förordning (2015:502).

An intervention is reportable for the month of the reference date when all hold
(:func:`inuk_reportable` decides for one; the checks run in this order and the first
that fails is the intervention's reason):

1. ``not-joint-effort``: when ``inuk.exclude.joint_efforts`` is true (default false),
   the intervention type is not a joint effort of AF and the municipality (traineejobb,
   utbildningskontrakt: af-program kind ``joint-effort``).
2. ``not-af-decided``: when ``inuk.exclude.af_decided`` is true (default false), the
   intervention type is not another measure AF decides (programs, subsidised employment:
   intervention-type attribute ``af_decided``, joint efforts aside).
3. ``not-summer-job``: when ``inuk.exclude.summer_jobs`` is true (default false), the
   intervention type is not a summer job (feriejobb).
4. ``end-date``: the intervention has an end date.
5. ``current``: it is a current municipal intervention on some day of the reference
   date's month up to that date (:meth:`MunicipalIntervention.is_current
   <ssbx_model.information.intervention.MunicipalIntervention.is_current>`, the
   definition the ``skat15`` rule also uses: begun, not merely planned, and running on
   that day). INUK follows up participants month by month, not plans.
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

from ssbx_model.calendar import age_on
from ssbx_model.case import Case
from ssbx_model.codes import AF_PROGRAM, INTERVENTION_TYPE, load
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import (
    ConditionResult,
    Fact,
    Outcome,
    Reason,
    ReasonKind,
    TraceStep,
    Verdict,
    make_decision,
    parameter_view,
    register_rule,
)
from ssbx_model.rules.engine import Decision, get_rule
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = ["RULE", "YOUTH", "InukRule", "TargetGroup", "inuk_reportable"]

RULE_ID = "inuk"
INUK = "INUK, Frågor och svar (2019-04-01)"
DUA = "Dua, Frågor och svar om kommuninsatser 16-24 år"
CITATION = f"{INUK}; {DUA}; förordning (2015:502)"
SOURCE_TEXT = (
    "Det kommer att vara möjligt att följa upp hur många unga som får "
    "arbetsmarknadsinsatser i kommuner [...] Det vi efterfrågar är det system ni använder "
    "för att följa deltagare i arbetsmarknadsinsatser. [...] Deltagare som kommer att ingå "
    "i denna statistik måste vara inskrivna i Arbetsförmedlingens eller kommunens "
    "administrationssystem. [...] Nej, slutdatum är obligatoriskt för att vi skall veta hur "
    "länge vi skall visa upp en aktivitet. [...] Statistikuppföljningen sker månadsvis. "
    "(Dua's routine, optional here:) Kommunen ska däremot inte informera "
    "Arbetsförmedlingen enligt dessa rutiner när det gäller insatser som "
    "Arbetsförmedlingen ansvarar för och beslutar om [...] Det gäller också insatser som "
    "Arbetsförmedlingen och kommunen genomför i samverkan, exempelvis traineejobb och "
    "utbildningskontrakt. [...] Inte heller feriejobb som kommunen anordnar behöver "
    "rapporteras."
)

_C_YOUTH = f"{DUA} ('kommuninsatser för ungdomar 16-24 år'); {INUK} ('insatser för unga')"
_C_JOINT = (
    f"{DUA} ('insatser som Arbetsförmedlingen och kommunen genomför i samverkan, exempelvis "
    "traineejobb och utbildningskontrakt'), when inuk.exclude.joint_efforts is set"
)
_C_AF = (
    f"{DUA} ('insatser som Arbetsförmedlingen ansvarar för och beslutar om, exempelvis de "
    "arbetsmarknadspolitiska programmen, subventionerade anställningar'), when "
    "inuk.exclude.af_decided is set"
)
_C_SUMMER = (
    f"{DUA} ('Inte heller feriejobb som kommunen anordnar behöver rapporteras'), when "
    "inuk.exclude.summer_jobs is set"
)
_C_END = f"{INUK} ('slutdatum är obligatoriskt')"
_C_CURRENT = (
    f"{INUK} ('hur många unga som får arbetsmarknadsinsatser i kommuner'; "
    "'Statistikuppföljningen sker månadsvis')"
)

_EXCLUDE_JOINT = "inuk.exclude.joint_efforts"
_EXCLUDE_AF = "inuk.exclude.af_decided"
_EXCLUDE_SUMMER = "inuk.exclude.summer_jobs"
#: The parameters every INUK rule reads, whatever its target groups.
BASE_PARAMETERS = (_EXCLUDE_JOINT, _EXCLUDE_AF, _EXCLUDE_SUMMER)

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
    start = intervention.period.start
    age = age_on(case.person.birth_date, start)
    low, high = int(p["inuk.age.min"]), int(p["inuk.age.max"])
    if low <= age <= high:
        return None
    return OUTSIDE_GROUPS._replace(
        message_sv=f"Är {age} år när insatsen börjar ({start.isoformat()}); målgruppen unga "
        f"är {low}-{high} år.",
        message_en=f"Is {age} when the intervention starts ({start.isoformat()}); the youth "
        f"target group is {low}-{high}.",
        facts=(("age_at_start", age), ("age_min", low), ("age_max", high)),
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
    "Insatsen är en gemensam insats med Arbetsförmedlingen och lämnas utanför",
    "The intervention is a joint effort with AF and is left out",
    _C_JOINT,
)
AF_DECIDED = Reason(
    "inuk.af-decided",
    F,
    "Insatsen beslutas av Arbetsförmedlingen (program eller subventionerad anställning) och "
    "lämnas utanför",
    "The intervention is decided by AF (a program or subsidised employment) and is left out",
    _C_AF,
)
SUMMER = Reason(
    "inuk.summer-job",
    F,
    "Insatsen är ett feriejobb och lämnas utanför",
    "The intervention is a summer job and is left out",
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
    "Insatsen har inte börjat.",
    "The intervention has not begun.",
    _C_CURRENT,
)
NOT_CURRENT = Reason(
    "inuk.not-current",
    F,
    "Insatsen pågick inte under månaden.",
    "The intervention did not run in the month.",
    _C_CURRENT,
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
_JOINT_PROGRAMS = frozenset(load(AF_PROGRAM).with_attribute("kind", "joint-effort"))
_JOINT_TYPES = frozenset(
    entry.code for entry in _TYPES if entry.attributes.get("af_program") in _JOINT_PROGRAMS
)
# AF-decided measures other than joint efforts: each exclusion is a parameter of its own.
_AF_DECIDED_TYPES = frozenset(_TYPES.with_attribute("af_decided", "yes")) - _JOINT_TYPES
_SUMMER_TYPES = frozenset(_TYPES.with_attribute("summer_job", "yes"))


def _month_of(on: dt.date) -> str:
    return f"{on.year:04d}-{on.month:02d}"


def _left_out(template: Reason, intervention: MunicipalIntervention, parameter: str) -> Reason:
    # The exclusion applies only because the parameter is set: the reason says so.
    entry = _TYPES.get(intervention.intervention_type)
    return template._replace(
        message_sv=f"{template.message_sv} ({entry.label_sv}; {parameter} är satt).",
        message_en=f"{template.message_en} ({entry.label_en}; {parameter} is set).",
        facts=((parameter, True),),
    )


# The checks, in order. Each is a test over (intervention, reference date, parameters)
# and the fails Reason it gives, built from the values it used.


def _exclusion(
    template: Reason, parameter: str, types: frozenset[str]
) -> tuple[
    Callable[[MunicipalIntervention, dt.date, ParameterView], bool],
    Callable[[MunicipalIntervention, dt.date, ParameterView], Reason],
]:
    """The test and the failing reason of one of Dua's exclusions (intervention types
    ``types``), which applies only when ``parameter`` is set."""

    def kept(intervention: MunicipalIntervention, on: dt.date, p: ParameterView) -> bool:
        return not (p[parameter] and intervention.intervention_type in types)

    def left_out(intervention: MunicipalIntervention, on: dt.date, p: ParameterView) -> Reason:
        return _left_out(template, intervention, parameter)

    return kept, left_out


_JOINT_KEPT, _JOINT_LEFT_OUT = _exclusion(JOINT, _EXCLUDE_JOINT, _JOINT_TYPES)
_AF_DECIDED_KEPT, _AF_DECIDED_LEFT_OUT = _exclusion(AF_DECIDED, _EXCLUDE_AF, _AF_DECIDED_TYPES)
_SUMMER_KEPT, _SUMMER_LEFT_OUT = _exclusion(SUMMER, _EXCLUDE_SUMMER, _SUMMER_TYPES)


def _has_end_date(intervention: MunicipalIntervention, on: dt.date, p: ParameterView) -> bool:
    return intervention.period.end is not None


def _no_end_date(intervention: MunicipalIntervention, on: dt.date, p: ParameterView) -> Reason:
    start = intervention.period.start.isoformat()
    return NO_END._replace(
        message_sv=f"Insatsen (från {start}) saknar slutdatum, som är obligatoriskt.",
        message_en=f"The intervention (from {start}) has no end date, which is mandatory.",
    )


def _current_in_month(intervention: MunicipalIntervention, on: dt.date, p: ParameterView) -> bool:
    # The month of the reference date, up to that date: INUK counts month by month.
    return intervention.is_current(on.replace(day=1), on)


def _not_current(intervention: MunicipalIntervention, on: dt.date, p: ParameterView) -> Reason:
    # Which part of the definition of "current" the intervention misses.
    period = intervention.period
    if intervention.status is InterventionStatus.PLANNED:
        return NOT_STARTED._replace(
            message_sv=f"Insatsen är planerad ({period}) och har inte börjat; en planerad "
            "insats räknas först när den har börjat.",
            message_en=f"The intervention is planned ({period}) and has not begun; a "
            "planned intervention counts once it has begun.",
            facts=(("status", intervention.status.value),),
        )
    if period.start > on:
        return NOT_STARTED._replace(
            message_sv=f"Insatsen börjar {period.start.isoformat()}, efter {on.isoformat()}.",
            message_en=f"The intervention starts on {period.start.isoformat()}, after "
            f"{on.isoformat()}.",
            facts=(("on", on),),
        )
    month = _month_of(on)
    assert period.end is not None  # neither planned nor later: it ended before the month
    return NOT_CURRENT._replace(
        message_sv=f"Insatsen slutade {period.end.isoformat()}, innan {month} började; den "
        "rapporteras för de månader den pågick.",
        message_en=f"The intervention ended on {period.end.isoformat()}, before {month} "
        "began; it is reported for the months it ran in.",
        facts=(("month", month),),
    )


class _Check(NamedTuple):
    name: str
    citation: str
    description: str
    holds: Callable[[MunicipalIntervention, dt.date, ParameterView], bool]
    fails: Callable[[MunicipalIntervention, dt.date, ParameterView], Reason]
    parameter: str | None = None


_CHECKS = (
    _Check(
        "not-joint-effort",
        _C_JOINT,
        "Not a joint effort of AF and the municipality (traineejobb, utbildningskontrakt), "
        "when inuk.exclude.joint_efforts is true.",
        _JOINT_KEPT,
        _JOINT_LEFT_OUT,
        _EXCLUDE_JOINT,
    ),
    _Check(
        "not-af-decided",
        _C_AF,
        "Not another measure AF decides (program, subsidised employment), when "
        "inuk.exclude.af_decided is true.",
        _AF_DECIDED_KEPT,
        _AF_DECIDED_LEFT_OUT,
        _EXCLUDE_AF,
    ),
    _Check(
        "not-summer-job",
        _C_SUMMER,
        "Not a summer job (feriejobb), when inuk.exclude.summer_jobs is true.",
        _SUMMER_KEPT,
        _SUMMER_LEFT_OUT,
        _EXCLUDE_SUMMER,
    ),
    _Check("end-date", _C_END, "Has an end date.", _has_end_date, _no_end_date),
    _Check(
        "current",
        _C_CURRENT,
        "A current municipal intervention (begun, not merely planned) on some day of the "
        "month up to the date.",
        _current_in_month,
        _not_current,
    ),
)


def _with_id(reason: Reason, intervention: MunicipalIntervention) -> Reason:
    return reason.with_facts(
        ("intervention", intervention.intervention_id),
        ("intervention_type", intervention.intervention_type),
        ("period", intervention.period),
        *reason.facts,
    )


def _reportable(intervention: MunicipalIntervention, on: dt.date) -> Reason:
    month = _month_of(on)
    return REPORTABLE._replace(
        message_sv=f"Insatsen har pågått under {month} (till och med {on.isoformat()}) och "
        "ska rapporteras till INUK för den månaden.",
        message_en=f"The intervention ran in {month} (up to {on.isoformat()}) and is "
        "reportable to INUK for that month.",
        facts=(("month", month),),
    )


class InukRule:
    """The INUK reporting rule, over one or more :class:`TargetGroup`\\ s.

    The built-in ``inuk`` rule uses :data:`YOUTH`. Construct another with your own groups
    (and ``id``) and register it to widen or change the target group without editing the
    library; every group's parameters must exist. Every INUK rule reads the three
    exclusion parameters ``inuk.exclude.*`` as well.
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
        version: str = "2",
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
        names: dict[str, None] = dict.fromkeys(BASE_PARAMETERS)
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

        The checks run in order (joint effort, AF-decided, summer job, end date, current
        in the month, target group) and the first that fails is the reason; the trace
        shows every check.
        """
        if trace is not None:
            self._trace_one(case, intervention, on, params, trace)
        failed = self._failure(case, intervention, on, params)
        if failed is None:
            return Outcome.ELIGIBLE, (_with_id(_reportable(intervention, on), intervention),)
        return Outcome.NOT_ELIGIBLE, (_with_id(failed, intervention),)

    def _failure(
        self, case: Case, intervention: MunicipalIntervention, on: dt.date, params: ParameterView
    ) -> Reason | None:
        # The first check that fails (without the intervention's facts), or None.
        for check in _CHECKS:
            if not check.holds(intervention, on, params):
                return check.fails(intervention, on, params)
        return self._target(case, intervention, on, params)

    def _trace_one(
        self,
        case: Case,
        intervention: MunicipalIntervention,
        on: dt.date,
        params: ParameterView,
        trace: list[TraceStep],
    ) -> None:
        facts: tuple[Fact, ...] = (
            ("intervention", intervention.intervention_id),
            ("intervention_type", intervention.intervention_type),
            ("period", intervention.period),
            ("status", intervention.status.value),
        )
        for check in _CHECKS:
            holds = check.holds(intervention, on, params)
            used = facts
            if check.parameter is not None:
                used = (*facts, (check.parameter, params[check.parameter]))
            if check.name == "current":
                used = (*facts, ("month", _month_of(on)), ("on", on))
            trace.append(
                TraceStep(
                    check.name,
                    ReasonKind.HOLDS if holds else ReasonKind.FAILS,
                    check.description,
                    check.citation,
                    used,
                    None if holds else check.fails(intervention, on, params).code,
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
                    ("age_at_start", age_on(case.person.birth_date, intervention.period.start)),
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

    def __repr__(self) -> str:
        return f"InukRule(id={self.id!r}, groups={[g.name for g in self.target_groups]})"


_NO_INTERVENTIONS: Verdict = (Outcome.NOT_ELIGIBLE, (NONE,), ())

RULE = register_rule(InukRule())


def inuk_reportable(
    case: Case,
    intervention: MunicipalIntervention,
    on: dt.date,
    parameters: Mapping[str, Scalar] | None = None,
    *,
    rule_id: str = RULE_ID,
) -> Decision:
    """Is this one intervention of ``case`` reportable to INUK for the month of ``on``
    (as of ``on``)?

    Returns a decision of the rule ``rule_id`` (an :class:`InukRule`; default ``inuk``)
    about that intervention only, with its trace. The INUK report builder calls this per
    intervention with the month's last day.

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
