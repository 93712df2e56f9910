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

The rule is an item rule over the person's interventions (ANY of them): an intervention
is reportable for the month of the reference date when all hold (:func:`inuk_reportable`
decides for one; the checks run in this order and the first that fails is the
intervention's reason):

1. ``not-left-out``: Dua's three exclusions, each only when its parameter is true
   (default false), in this order: a joint effort of AF and the municipality
   (traineejobb, utbildningskontrakt: af-program kind ``joint-effort``;
   ``inuk.exclude.joint_efforts``), another measure AF decides (programs, subsidised
   employment: intervention-type attribute ``af_decided``, joint efforts aside;
   ``inuk.exclude.af_decided``), a summer job (feriejobb; ``inuk.exclude.summer_jobs``).
2. ``end-date``: the intervention has an end date.
3. ``current``: it is a current municipal intervention on some day of the reference
   date's month up to that date (:meth:`MunicipalIntervention.is_current
   <ssbx_model.information.intervention.MunicipalIntervention.is_current>`, the
   definition the ``skat15`` rule also uses: begun, not merely planned, and running on
   that day). INUK follows up participants month by month, not plans.
4. ``target-group``: the person is in one of the rule's target groups. The built-in group
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
from typing import Any, NamedTuple

from ssbx_model.calendar import age_on
from ssbx_model.case import Case
from ssbx_model.codes import AF_PROGRAM, INTERVENTION_TYPE, load
from ssbx_model.errors import RuleError
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.rules.authoring import (
    ConditionResult,
    Fact,
    Finding,
    ItemCondition,
    ItemRule,
    Mode,
    Quantifier,
    Reason,
    ReasonKind,
    RuleParameters,
    Says,
    TraceStep,
    fails,
    make_decision,
    parameter,
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
TITLE_EN = "INUK: municipal interventions reportable to the national follow-up"
TITLE_SV = "INUK: kommunala insatser som ska rapporteras till uppföljningen"
H, F = ReasonKind.HOLDS, ReasonKind.FAILS


class Params(RuleParameters):
    """The parameters every INUK rule reads (its target groups read their own by name)."""

    exclude_joint_efforts: bool = parameter("inuk.exclude.joint_efforts")
    exclude_af_decided: bool = parameter("inuk.exclude.af_decided")
    exclude_summer_jobs: bool = parameter("inuk.exclude.summer_jobs")


#: The parameters every INUK rule reads, whatever its target groups.
BASE_PARAMETERS = Params.parameter_names()


def interventions(case: Case, on: dt.date, p: Params) -> tuple[MunicipalIntervention, ...]:
    """The person's municipal interventions."""
    return case.interventions


def _month_of(on: dt.date) -> str:
    return f"{on.year:04d}-{on.month:02d}"


def _intervention_facts(intervention: MunicipalIntervention) -> tuple[Fact, ...]:
    return (
        ("intervention", intervention.intervention_id),
        ("intervention_type", intervention.intervention_type),
        ("period", intervention.period),
    )


def reportable(case: Case, intervention: MunicipalIntervention, on: dt.date, p: Params) -> Reason:
    """The reason of an intervention that passes every check."""
    month = _month_of(on)
    return Reason(
        "inuk.reportable",
        H,
        f"Insatsen har pågått under {month} (till och med {on.isoformat()}) och ska "
        "rapporteras till INUK för den månaden.",
        f"The intervention ran in {month} (up to {on.isoformat()}) and is reportable to "
        "INUK for that month.",
        CITATION,
        (("month", month),),
    )


#: The checks every INUK rule makes of an intervention, declared once below in order;
#: each :class:`InukRule` adds its target groups as the last check.
CHECKS = ItemRule(
    id=RULE_ID,
    version="2",
    title_en=TITLE_EN,
    title_sv=TITLE_SV,
    source_text=SOURCE_TEXT,
    citation=CITATION,
    params=Params,
    items=interventions,
    quantifier=Quantifier.ANY,
    mode=Mode.FIRST_FAILURE,
    about=_intervention_facts,
    summary=reportable,
    none=Says(
        "inuk.no-interventions",
        "Personen har inga kommunala insatser.",
        "The person has no municipal interventions.",
    ),
)

# 1. Dua's exclusions, each applied only when its parameter is set.
_TYPES = load(INTERVENTION_TYPE)
_JOINT_PROGRAMS = frozenset(load(AF_PROGRAM).with_attribute("kind", "joint-effort"))
JOINT_TYPES = frozenset(
    entry.code for entry in _TYPES if entry.attributes.get("af_program") in _JOINT_PROGRAMS
)
# AF-decided measures other than joint efforts: each exclusion is a parameter of its own.
AF_DECIDED_TYPES = frozenset(_TYPES.with_attribute("af_decided", "yes")) - JOINT_TYPES
SUMMER_TYPES = frozenset(_TYPES.with_attribute("summer_job", "yes"))


def _left_out(sv: str, en: str, parameter: str) -> Callable[[Any, object], tuple[str, str]]:
    # The exclusion applies only because the parameter is set: the reason says so.
    def text(f: Any, p: object) -> tuple[str, str]:
        entry = _TYPES.get(f.intervention_type)
        return (
            f"{sv} ({entry.label_sv}; {parameter} är satt).",
            f"{en} ({entry.label_en}; {parameter} is set).",
        )

    return text


@CHECKS.condition(
    "not-left-out",
    "Not of a kind Dua's routine leaves out, for each exclusion whose parameter is true: a "
    "joint effort of AF and the municipality (traineejobb, utbildningskontrakt; "
    "inuk.exclude.joint_efforts), another measure AF decides (program, subsidised "
    "employment; inuk.exclude.af_decided), a summer job (feriejobb; inuk.exclude.summer_jobs).",
    cites=(
        f"{DUA} ('Kommunen ska däremot inte informera Arbetsförmedlingen enligt dessa rutiner "
        "när det gäller insatser som Arbetsförmedlingen ansvarar för och beslutar om [...] Det "
        "gäller också insatser som Arbetsförmedlingen och kommunen genomför i samverkan [...] "
        "Inte heller feriejobb som kommunen anordnar behöver rapporteras'), each only when "
        "its inuk.exclude.* parameter is set"
    ),
    holds=Says(
        "inuk.not-left-out",
        "Insatsen är inte av ett slag som lämnas utanför.",
        "The intervention is not of a kind that is left out.",
    ),
    fails=(
        Says(
            "inuk.joint-effort",
            _left_out(
                "Insatsen är en gemensam insats med Arbetsförmedlingen och lämnas utanför",
                "The intervention is a joint effort with AF and is left out",
                "inuk.exclude.joint_efforts",
            ),
            cites=(
                f"{DUA} ('insatser som Arbetsförmedlingen och kommunen genomför i samverkan, "
                "exempelvis traineejobb och utbildningskontrakt'), when "
                "inuk.exclude.joint_efforts is set"
            ),
        ),
        Says(
            "inuk.af-decided",
            _left_out(
                "Insatsen beslutas av Arbetsförmedlingen (program eller subventionerad "
                "anställning) och lämnas utanför",
                "The intervention is decided by AF (a program or subsidised employment) and is "
                "left out",
                "inuk.exclude.af_decided",
            ),
            cites=(
                f"{DUA} ('insatser som Arbetsförmedlingen ansvarar för och beslutar om, "
                "exempelvis de arbetsmarknadspolitiska programmen, subventionerade "
                "anställningar'), when inuk.exclude.af_decided is set"
            ),
        ),
        Says(
            "inuk.summer-job",
            _left_out(
                "Insatsen är ett feriejobb och lämnas utanför",
                "The intervention is a summer job and is left out",
                "inuk.exclude.summer_jobs",
            ),
            cites=(
                f"{DUA} ('Inte heller feriejobb som kommunen anordnar behöver rapporteras'), "
                "when inuk.exclude.summer_jobs is set"
            ),
        ),
    ),
)
def not_left_out(
    case: Case, intervention: MunicipalIntervention, on: dt.date, p: Params
) -> Finding | None:
    kind = intervention.intervention_type
    if p.exclude_joint_efforts and kind in JOINT_TYPES:
        return fails("inuk.joint-effort", **{"inuk.exclude.joint_efforts": True})
    if p.exclude_af_decided and kind in AF_DECIDED_TYPES:
        return fails("inuk.af-decided", **{"inuk.exclude.af_decided": True})
    if p.exclude_summer_jobs and kind in SUMMER_TYPES:
        return fails("inuk.summer-job", **{"inuk.exclude.summer_jobs": True})
    return None


# 2. "Nej, slutdatum är obligatoriskt för att vi skall veta hur länge vi skall visa upp en
#    aktivitet."
@CHECKS.condition(
    "end-date",
    "Has an end date.",
    cites=f"{INUK} ('slutdatum är obligatoriskt')",
    holds=Says(
        "inuk.end-date.present", "Insatsen har ett slutdatum.", "The intervention has an end date."
    ),
    fails=Says(
        "inuk.end-date.missing",
        lambda f, p: (
            (
                f"Insatsen (från {f.period.start.isoformat()}) saknar slutdatum, som är "
                "obligatoriskt."
            ),
            (
                f"The intervention (from {f.period.start.isoformat()}) has no end date, which is "
                "mandatory."
            ),
        ),
    ),
)
def end_date(
    case: Case, intervention: MunicipalIntervention, on: dt.date, p: Params
) -> Finding | None:
    return None if intervention.period.end is not None else fails()


# 3. "hur många unga som får arbetsmarknadsinsatser i kommuner"; "Statistikuppföljningen
#    sker månadsvis": a current municipal intervention (begun, not merely planned) on some
#    day of the reference date's month up to that date.
def _not_started(f: Any, p: object) -> tuple[str, str]:
    period = f.period
    if hasattr(f, "status"):  # planned: it counts once it has begun
        return (
            (
                f"Insatsen är planerad ({period}) och har inte börjat; en planerad insats räknas "
                "först när den har börjat."
            ),
            (
                f"The intervention is planned ({period}) and has not begun; a planned "
                "intervention counts once it has begun."
            ),
        )
    on = f.on
    return (
        f"Insatsen börjar {period.start.isoformat()}, efter {on.isoformat()}.",
        f"The intervention starts on {period.start.isoformat()}, after {on.isoformat()}.",
    )


@CHECKS.condition(
    "current",
    "A current municipal intervention (begun, not merely planned) on some day of the "
    "month up to the date.",
    cites=(
        f"{INUK} ('hur många unga som får arbetsmarknadsinsatser i kommuner'; "
        "'Statistikuppföljningen sker månadsvis')"
    ),
    holds=Says(
        "inuk.current",
        "Insatsen pågick under månaden.",
        "The intervention ran in the month.",
    ),
    fails=(
        Says("inuk.not-started", _not_started),
        Says(
            "inuk.not-current",
            lambda f, p: (
                (
                    f"Insatsen slutade {f.period.end.isoformat()}, innan {f.month} började; den "
                    "rapporteras för de månader den pågick."
                ),
                (
                    f"The intervention ended on {f.period.end.isoformat()}, before {f.month} "
                    "began; it is reported for the months it ran in."
                ),
            ),
        ),
    ),
)
def current(
    case: Case, intervention: MunicipalIntervention, on: dt.date, p: Params
) -> Finding | None:
    if intervention.is_current(dt.date(on.year, on.month, 1), on):
        return None
    if intervention.status is InterventionStatus.PLANNED:
        return fails("inuk.not-started", status=intervention.status.value)
    if intervention.period.start > on:
        return fails("inuk.not-started", on=on)
    return fails("inuk.not-current", month=_month_of(on))  # it ended before the month


# 4. The target groups: "hur många unga som får arbetsmarknadsinsatser"; "Avsikten är att
#    utöka målgruppen" (the groups are pluggable).

#: (case, intervention, reference date, parameters) -> None when it holds, or a Reason.
InterventionPredicate = Callable[
    [Case, MunicipalIntervention, dt.date, ParameterView], ConditionResult
]


class TargetGroup(NamedTuple):
    """A target group of INUK: who counts, as a predicate over (case, intervention).

    ``predicate`` returns None when the person is in the group for that intervention and
    a fails :class:`Reason` otherwise (an :class:`~ssbx_model.rules.engine.Unknown` when
    it cannot tell). ``parameters`` names the parameters it reads (they must exist); it
    reads them by name from the :class:`ParameterView` it is given.
    """

    name: str
    description: str
    citation: str
    parameters: tuple[str, ...]
    predicate: InterventionPredicate
    holds: Reason


C_YOUTH = f"{DUA} ('kommuninsatser för ungdomar 16-24 år'); {INUK} ('insatser för unga')"
OUTSIDE_GROUPS = Reason(
    "inuk.target-group.outside",
    F,
    "Tillhör ingen av INUK:s målgrupper när insatsen börjar.",
    "Is in none of INUK's target groups when the intervention starts.",
    C_YOUTH,
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
    C_YOUTH,
    ("inuk.age.min", "inuk.age.max"),
    _youth,
    Reason(
        "inuk.target-group.youth",
        H,
        "Är 16-24 år när insatsen börjar (målgruppen unga).",
        "Is aged 16-24 when the intervention starts (the youth target group).",
        C_YOUTH,
    ),
)


def in_a_target_group(groups: Sequence[TargetGroup]) -> ItemCondition:
    """The last check: the person is in one of ``groups`` for the intervention (the first
    group that holds; otherwise the first group's failing reason)."""

    def predicate(
        case: Case, intervention: MunicipalIntervention, on: dt.date, p: ParameterView
    ) -> ConditionResult:
        first: Reason | None = None
        for group in groups:
            result = group.predicate(case, intervention, on, p)
            if result is None:
                return group.holds
            if first is None and isinstance(result, Reason):
                first = result
        return first if first is not None else OUTSIDE_GROUPS

    return ItemCondition(
        "target-group",
        " or ".join(g.description for g in groups),
        "; ".join(g.citation for g in groups),
        predicate,
        groups[0].holds if groups else OUTSIDE_GROUPS,
    )


class InukRule(ItemRule):
    """The INUK reporting rule, over one or more :class:`TargetGroup`\\ s.

    Every INUK rule makes the :data:`CHECKS` of each intervention, then checks its target
    groups. The built-in ``inuk`` rule uses :data:`YOUTH`. Construct another with your
    own groups (and ``id``) and register it to widen or change the target group without
    editing the library; every group's parameters must exist. Every INUK rule reads the
    three exclusion parameters ``inuk.exclude.*`` as well.
    """

    def __init__(
        self,
        *,
        id: str = RULE_ID,
        version: str = "2",
        target_groups: Sequence[TargetGroup] = (YOUTH,),
        title_en: str = TITLE_EN,
        title_sv: str = TITLE_SV,
        source_text: str = SOURCE_TEXT,
        citation: str = CITATION,
        extra_parameters: Sequence[str] = (),
    ) -> None:
        groups = tuple(target_groups)
        names: dict[str, None] = dict.fromkeys(BASE_PARAMETERS)
        for group in groups:
            names.update(dict.fromkeys(group.parameters))
        names.update(dict.fromkeys(extra_parameters))
        super().__init__(
            id=id,
            version=version,
            title_en=title_en,
            title_sv=title_sv,
            source_text=source_text,
            citation=citation,
            params=Params,
            parameters=tuple(names),
            items=CHECKS.items,
            quantifier=CHECKS.quantifier,
            mode=CHECKS.mode,
            about=CHECKS.about,
            summary=CHECKS.summary,
            none=Says(CHECKS.none.code, CHECKS.none.message_sv, CHECKS.none.message_en),
            conditions=(*CHECKS.conditions, in_a_target_group(groups)),  # type: ignore[arg-type]
        )
        self.target_groups = groups

    def __repr__(self) -> str:
        return f"InukRule(id={self.id!r}, groups={[g.name for g in self.target_groups]})"


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
    rule = get_rule(rule_id)
    if not isinstance(rule, InukRule):
        raise RuleError(f"rule {rule_id!r} is not an INUK rule")
    params = parameter_view(rule, on, parameters)
    steps: list[TraceStep] = []
    verdict = rule.check_item(case, intervention, on, params, steps)
    return make_decision(rule, case, on, params, verdict, steps)
