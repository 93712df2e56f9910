"""Rule ``skat15``: the Dua local-agreement group, applicant category 15 "kommuninsats".

Source: Delegationen för unga och nyanlända till arbete (Dua), "Frågor och svar -
uppföljning av kommuninsatser för ungdomar 16-24 år inom ramen för lokal överenskommelse"
(cited as "Dua, Frågor och svar om kommuninsatser 16-24 år"):

    Kommunen ska rapportera de insatser de ger för ungdomar mellan 16-24 år som varken
    arbetar eller studerar och:
      • är inskrivna på Arbetsförmedlingen
      • bara har insatser från kommunen
      • inte har någon form av program eller subventionerad anställning från
        Arbetsförmedlingen, t.ex. jobbgarantin för ungdomar, utbildningskontrakt eller
        traineejobb.
    Samråd ska alltid ske mellan Arbetsförmedlingen och kommunen innan en ungdom bedöms
    tillhöra målgruppen. [...] Ungdomar som går på introduktionsprogrammet ingår inte i
    målgruppen.
    [...] I samband med detta ska också ett samtycke för informationsutbyte mellan
    Arbetsförmedlingen och kommun tas. En särskild blankett finns för detta.
    [...] Sökandekategori 15 – kommuninsats är för ungdomar som är inskrivna hos
    Arbetsförmedlingen men för tillfället bara har aktiviteter som kommunen helt ansvarar
    för och som inte är kopplat till något programbeslut från Arbetsförmedlingen.

Citation: förordning (2015:502) om samverkan för att minska ungdomsarbetslösheten;
Dua, Frågor och svar om kommuninsatser 16-24 år.

The conditions, as encoded (each one a predicate below; all must hold):

1. ``age``: 16-24 on the reference date (parameters ``skat15.age.min``/``max``).
2. ``not-working``: no evidence of employment covering the date.
3. ``not-studying``: no evidence of studies covering the date, and no upper-secondary
   enrolment (other than the introduction programme, condition 6) covering it.
4. ``registered-at-af``: enrolled at AF on the date ("not found" at AF: not enrolled).
5. ``only-municipal-interventions``: at least one current municipal intervention on the
   date that AF does not decide and that is not a summer job, and no current municipal
   placement of an AF-decided measure (intervention-type attribute ``af_decided``).
   "Current" is the model's one definition, which the INUK rule shares
   (:meth:`~ssbx_model.information.intervention.MunicipalIntervention.is_current`):
   begun, not merely planned ("för tillfället bara har aktiviteter"), and running on the
   date.
6. ``no-af-program``: no AF program decision covering the date (every af-program kind
   counts: program, subsidised employment, joint effort; e.g. UGA, utbildningskontrakt,
   traineejobb).
7. ``not-introduction-programme``: not enrolled in an introduction programme on the date.
8. ``consultation-and-consent``: a consultation (samråd) on the topic
   ``skat15-assessment`` of the ``consultation-topic`` code list held on or before the
   date (a consultation on another topic, e.g. the transition out of category 15, is not
   the assessment), and a Dua information-exchange consent valid on that consultation's
   date and not refused or withdrawn since (the consent history of
   :func:`~ssbx_model.information.consent.consent_standing`; a Dua form without an end
   date: ``consent.dua_validity_months``, by default it does not lapse).
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.case import Case
from ssbx_model.codes import INTERVENTION_TYPE, load
from ssbx_model.information.consent import ConsentKind, ConsentState, consent_standing
from ssbx_model.information.consultation import SKAT15_ASSESSMENT
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._legacy import (
    age_band,
    age_facts,
    any_covers,
)
from ssbx_model.rules.authoring import (
    DECIDED,
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Reason,
    ReasonKind,
    answer_facts,
    register_rule,
    unknowns,
)
from ssbx_model.rules.consent import validity_months
from ssbx_model.rules.parameters import ParameterView

__all__ = ["RULE"]

RULE_ID = "skat15"
SEED = "Dua, Frågor och svar om kommuninsatser 16-24 år"
CITATION = f"förordning (2015:502) om samverkan för att minska ungdomsarbetslösheten; {SEED}"
SOURCE_TEXT = (
    "Kommunen ska rapportera de insatser de ger för ungdomar mellan 16-24 år som varken "
    "arbetar eller studerar och: är inskrivna på Arbetsförmedlingen; bara har insatser "
    "från kommunen; inte har någon form av program eller subventionerad anställning från "
    "Arbetsförmedlingen, t.ex. jobbgarantin för ungdomar, utbildningskontrakt eller "
    "traineejobb. Samråd ska alltid ske mellan Arbetsförmedlingen och kommunen innan en "
    "ungdom bedöms tillhöra målgruppen. [...] Ungdomar som går på introduktionsprogrammet "
    "ingår inte i målgruppen. [...] I samband med detta ska också ett samtycke för "
    "informationsutbyte mellan Arbetsförmedlingen och kommun tas."
)

_C_AGE = f"{SEED} ('ungdomar mellan 16-24 år'); förordning (2015:502)"
_C_NEET = f"{SEED} ('som varken arbetar eller studerar')"
_C_AF = f"{SEED} ('är inskrivna på Arbetsförmedlingen')"
_C_ONLY = (
    f"{SEED} ('bara har insatser från kommunen'; 'bara har aktiviteter som kommunen helt "
    "ansvarar för och som inte är kopplat till något programbeslut')"
)
_C_PROGRAM = (
    f"{SEED} ('inte har någon form av program eller subventionerad anställning från "
    "Arbetsförmedlingen, t.ex. jobbgarantin för ungdomar, utbildningskontrakt eller "
    "traineejobb')"
)
_C_INTRO = f"{SEED} ('Ungdomar som går på introduktionsprogrammet ingår inte i målgruppen')"
_C_SAMRAD = (
    f"{SEED} ('Samråd ska alltid ske mellan Arbetsförmedlingen och kommunen innan en "
    "ungdom bedöms tillhöra målgruppen. I samband med detta ska också ett samtycke för "
    "informationsutbyte mellan Arbetsförmedlingen och kommun tas.')"
)


_U_EMPLOYMENT = unknowns(RULE_ID, InformationSet.EMPLOYMENT, _C_NEET)
_U_STUDIES = unknowns(RULE_ID, InformationSet.STUDIES, _C_NEET)
_U_ENROLMENT = unknowns(RULE_ID, InformationSet.ENROLMENT, _C_AF)
_U_PROGRAM_DECISIONS = unknowns(RULE_ID, InformationSet.PROGRAM_DECISIONS, _C_PROGRAM)
_U_SCHOOLING = unknowns(RULE_ID, InformationSet.SCHOOLING, _C_INTRO)
_U_CONSULTATIONS = unknowns(RULE_ID, InformationSet.CONSULTATIONS, _C_SAMRAD)
_U_CONSENTS = unknowns(RULE_ID, InformationSet.CONSENTS, _C_SAMRAD)


def _r(code: str, kind: ReasonKind, sv: str, en: str, citation: str) -> Reason:
    return Reason(f"{RULE_ID}.{code}", kind, sv, en, citation)


H, F = ReasonKind.HOLDS, ReasonKind.FAILS
AGE_OK = _r("age.in-band", H, "Är 16-24 år.", "Is aged 16-24.", _C_AGE)
AGE_OUT = _r("age.outside-band", F, "Är inte 16-24 år.", "Is not aged 16-24.", _C_AGE)
NOT_WORKING = _r("not-working", H, "Arbetar inte.", "Does not work.", _C_NEET)
WORKS = _r("works", F, "Arbetar (anställning under perioden).", "Works (employed).", _C_NEET)
NOT_STUDYING = _r("not-studying", H, "Studerar inte.", "Does not study.", _C_NEET)
STUDIES = _r("studies", F, "Studerar.", "Studies.", _C_NEET)
REGISTERED = _r(
    "registered-at-af", H, "Är inskriven på Arbetsförmedlingen.", "Is registered at AF.", _C_AF
)
NOT_REGISTERED = _r(
    "not-registered-at-af",
    F,
    "Är inte inskriven på Arbetsförmedlingen.",
    "Is not registered at AF.",
    _C_AF,
)
ONLY_MUNICIPAL = _r(
    "only-municipal-interventions",
    H,
    "Har bara insatser från kommunen.",
    "Has only interventions from the municipality.",
    _C_ONLY,
)
NO_MUNICIPAL = _r(
    "no-municipal-intervention",
    F,
    "Har ingen pågående insats från kommunen.",
    "Has no current intervention from the municipality.",
    _C_ONLY,
)
AF_DECIDED_PLACEMENT = _r(
    "af-decided-intervention",
    F,
    "Har en insats som Arbetsförmedlingen beslutar (t.ex. extratjänst eller traineejobb).",
    "Has an intervention AF decides (e.g. extratjänst or a trainee job).",
    _C_PROGRAM,
)
NO_PROGRAM = _r(
    "no-af-program",
    H,
    "Har inget program eller subventionerad anställning från Arbetsförmedlingen.",
    "Has no AF program or subsidised employment.",
    _C_PROGRAM,
)
PROGRAM = _r(
    "af-program",
    F,
    "Har ett program, en subventionerad anställning eller en gemensam insats från "
    "Arbetsförmedlingen.",
    "Has an AF program, subsidised employment or joint effort.",
    _C_PROGRAM,
)
NOT_INTRO = _r(
    "not-introduction-programme",
    H,
    "Går inte på introduktionsprogram.",
    "Is not on an introduction programme.",
    _C_INTRO,
)
INTRO = _r(
    "introduction-programme",
    F,
    "Går på introduktionsprogram och ingår därför inte i målgruppen.",
    "Is on an introduction programme, which the group excludes.",
    _C_INTRO,
)
CONSULTED = _r(
    "consultation-and-consent",
    H,
    "Samråd har skett och samtycke till informationsutbyte togs i samband med det.",
    "AF and the municipality consulted, and consent to information exchange was given then.",
    _C_SAMRAD,
)
NO_CONSULTATION = _r(
    "no-consultation",
    F,
    "Inget samråd mellan Arbetsförmedlingen och kommunen är registrerat före bedömningen.",
    "No consultation between AF and the municipality is recorded before the assessment.",
    _C_SAMRAD,
)
NO_CONSENT = _r(
    "no-consent",
    F,
    "Inget giltigt samtycke till informationsutbyte (Dua-blanketten) vid samrådet.",
    "No valid consent to information exchange (the Dua form) at the consultation.",
    _C_SAMRAD,
)
CONSENT_WITHDRAWN = _r(
    "consent-withdrawn",
    F,
    "Samtycket till informationsutbyte (Dua-blanketten) har återkallats efter samrådet; "
    "det gäller tills ungdomen lämnar ett nytt samtycke.",
    "The consent to information exchange (the Dua form) was withdrawn after the "
    "consultation; this stands until the youth gives a new consent.",
    _C_SAMRAD,
)

_TYPES = load(INTERVENTION_TYPE)
_AF_DECIDED = frozenset(_TYPES.with_attribute("af_decided", "yes"))
_SUMMER_JOB = frozenset(_TYPES.with_attribute("summer_job", "yes"))


def _age_in_band(p: ParameterView) -> Reason:
    low, high = p["skat15.age.min"], p["skat15.age.max"]
    return AGE_OK._replace(
        message_sv=f"Är {low}-{high} år.",
        message_en=f"Is aged {low}-{high}.",
        facts=(("age_min", low), ("age_max", high)),
    )


def _age_outside_band(age: int, on: dt.date, p: ParameterView) -> Reason:
    low, high = p["skat15.age.min"], p["skat15.age.max"]
    return AGE_OUT._replace(
        message_sv=f"Är {age} år, inte {low}-{high} år.",
        message_en=f"Is aged {age}, not {low}-{high}.",
        facts=(("age", age), ("age_min", low), ("age_max", high)),
    )


_age = age_band(
    lambda p: int(p["skat15.age.min"]),
    lambda p: int(p["skat15.age.max"]),
    _age_outside_band,
    holds=_age_in_band,
)


def _not_working(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.employment
    if answer.status not in DECIDED:
        return _U_EMPLOYMENT[answer.status]
    items = answer.value
    job = any_covers(items, on) if items else None
    if job is None:
        return None
    return WORKS.with_facts(("employment", job.period), ("source", job.source))


def _not_studying(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    schooling = case.schooling
    if schooling.is_known:
        assert schooling.value is not None
        enrolled = schooling.value.enrolment_on(on)
        if enrolled is not None and enrolled.kind is not ProgrammeKind.INTRODUCTION:
            return STUDIES.with_facts(
                ("upper_secondary", enrolled.kind.value), ("period", enrolled.period)
            )
    answer = case.studies
    if answer.status not in DECIDED:
        return _U_STUDIES[answer.status]
    items = answer.value
    study = any_covers(items, on) if items else None
    if study is None:
        return None
    return STUDIES.with_facts(("studies", study.period), ("source", study.source))


def _registered(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.enrolment
    if answer.status not in DECIDED:
        return _U_ENROLMENT[answer.status]
    enrolment = answer.value
    if enrolment is not None and enrolment.registered_on <= on:
        # Registered on the deregistration day itself (the enrolment period includes it).
        deregistration = enrolment.deregistration
        if deregistration is None or on <= deregistration.on:
            return None
    if enrolment is None:
        return NOT_REGISTERED.with_facts(("enrolment", answer.status.value))
    return NOT_REGISTERED.with_facts(("enrolment", enrolment.period))


def _only_municipal(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    # "Current" is the model's one definition (MunicipalIntervention.is_current), which
    # the INUK rule uses too: begun (not merely planned) and running on the date.
    own = None
    for intervention in case.interventions:
        if not intervention.is_current(on):
            continue
        kind = intervention.intervention_type
        period = intervention.period
        if kind in _AF_DECIDED:
            return AF_DECIDED_PLACEMENT.with_facts(("intervention_type", kind), ("period", period))
        if own is None and kind not in _SUMMER_JOB:
            own = intervention
    if own is None:
        count = len(case.interventions)
        day = on.isoformat()
        return Reason(
            NO_MUNICIPAL.code,
            F,
            f"Har ingen pågående insats från kommunen den {day} (registrerade insatser: "
            f"{count}; planerade räknas först när de har börjat, feriejobb räknas inte).",
            f"Has no current intervention from the municipality on {day} (interventions on "
            f"record: {count}; planned ones count once they have begun, summer jobs do not "
            "count).",
            _C_ONLY,
            (("interventions", count),),
        )
    return None


def _intervention_facts(case: Case, on: dt.date, p: ParameterView) -> tuple[Fact, ...]:
    return tuple(
        (f"interventions[{i}]", f"{x.intervention_type} {x.period} {x.status.value}")
        for i, x in enumerate(case.interventions)
    )


def _no_program(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.program_decisions
    if answer.status not in DECIDED:
        return _U_PROGRAM_DECISIONS[answer.status]
    items = answer.value
    decision = any_covers(items, on) if items else None
    if decision is None:
        return None
    return PROGRAM.with_facts(("program", decision.program), ("period", decision.period))


def _not_intro(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.schooling
    if answer.status not in DECIDED:
        return _U_SCHOOLING[answer.status]
    schooling = answer.value
    if schooling is None:
        return None
    enrolled = schooling.enrolment_on(on)
    if enrolled is not None and enrolled.kind is ProgrammeKind.INTRODUCTION:
        return INTRO.with_facts(("period", enrolled.period))
    return None


def _consulted(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    consultations = case.consultations
    consents = case.consents
    if consultations.status not in DECIDED:
        return _U_CONSULTATIONS[consultations.status]
    held = [
        c.held_on
        for c in (consultations.value or ())
        if c.topic == SKAT15_ASSESSMENT and c.held_on <= on
    ]
    if not held:
        # Name the consultations on other topics, so that one recorded under another
        # topic is seen rather than silently missed.
        others = tuple(
            f"{c.topic} {c.held_on.isoformat()}"
            for c in (consultations.value or ())
            if c.held_on <= on
        )
        sv_others = "; registrerade samråd om annat: " + ", ".join(others) if others else ""
        en_others = "; consultations on other topics: " + ", ".join(others) if others else ""
        return NO_CONSULTATION._replace(
            message_sv=f"Inget samråd om bedömningen för sökandekategori 15 "
            f"({SKAT15_ASSESSMENT}) är registrerat till och med {on.isoformat()}{sv_others}.",
            message_en=f"No consultation on the category-15 assessment ({SKAT15_ASSESSMENT}) "
            f"is recorded up to {on.isoformat()}{en_others}.",
            facts=(("on", on), ("topic_needed", SKAT15_ASSESSMENT), ("other_topics", others)),
        )
    if consents.status not in DECIDED:
        return _U_CONSENTS[consents.status]
    history = consents.value or ()
    kind = ConsentKind.DUA_INFORMATION_EXCHANGE
    months = validity_months(p, kind)
    today = consent_standing(history, kind, on, purpose=None, validity_months=months)
    if today.state is ConsentState.WITHDRAWN:
        assert today.consent is not None
        return CONSENT_WITHDRAWN.with_facts(("withdrawn_on", today.consent.validity.start))
    for day in held:
        then = consent_standing(history, kind, day, purpose=None, validity_months=months)
        if then.state is ConsentState.VALID:
            return CONSULTED._replace(
                message_sv=f"Samråd om bedömningen för sökandekategori 15 hölls "
                f"{day.isoformat()}, och samtycke till informationsutbyte var giltigt då.",
                message_en=f"AF and the municipality consulted on the category-15 assessment "
                f"on {day.isoformat()}, and consent to information exchange was valid then.",
                facts=(("consulted_on", day),),
            )
    found = tuple(sorted({c.kind.value for c in history}))
    on_file = ", ".join(found) or "inga"
    return NO_CONSENT._replace(
        message_sv=f"{NO_CONSENT.message_sv} Krävs: {kind.value}; registrerade: {on_file}.",
        message_en=f"{NO_CONSENT.message_en} Needed: {kind.value}; on file: "
        f"{', '.join(found) or 'none'}.",
        facts=(
            ("consultations", tuple(sorted(held))),
            ("kind_needed", kind.value),
            ("kinds_found", found),
        ),
    )


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="1",
        title_en="Dua applicant category 15, municipal intervention (kommuninsats)",
        title_sv="Sökandekategori 15 kommuninsats (Dua, lokal överenskommelse)",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=("skat15.age.min", "skat15.age.max", "consent.dua_validity_months"),
        needs=(
            InformationSet.EMPLOYMENT,
            InformationSet.STUDIES,
            InformationSet.SCHOOLING,
            InformationSet.ENROLMENT,
            InformationSet.PROGRAM_DECISIONS,
            InformationSet.CONSULTATIONS,
            InformationSet.CONSENTS,
        ),
        first_failure_decides=True,
        conditions=(
            Condition("age", "Aged 16-24 on the date.", _C_AGE, _age, AGE_OK, age_facts),
            Condition(
                "not-working",
                "No employment covers the date.",
                _C_NEET,
                _not_working,
                NOT_WORKING,
                answer_facts(InformationSet.EMPLOYMENT),
            ),
            Condition(
                "not-studying",
                "No studies or upper-secondary enrolment (other than the introduction "
                "programme) cover the date.",
                _C_NEET,
                _not_studying,
                NOT_STUDYING,
                answer_facts(InformationSet.STUDIES, InformationSet.SCHOOLING),
            ),
            Condition(
                "registered-at-af",
                "Registered at AF on the date.",
                _C_AF,
                _registered,
                REGISTERED,
                answer_facts(InformationSet.ENROLMENT),
            ),
            Condition(
                "only-municipal-interventions",
                "A current municipal intervention (begun, not merely planned; not AF-decided, "
                "not a summer job) on the date, and no current AF-decided placement.",
                _C_ONLY,
                _only_municipal,
                ONLY_MUNICIPAL,
                _intervention_facts,
            ),
            Condition(
                "no-af-program",
                "No AF program decision (program, subsidised employment, joint effort) "
                "covers the date.",
                _C_PROGRAM,
                _no_program,
                NO_PROGRAM,
                answer_facts(InformationSet.PROGRAM_DECISIONS),
            ),
            Condition(
                "not-introduction-programme",
                "Not enrolled in an introduction programme on the date.",
                _C_INTRO,
                _not_intro,
                NOT_INTRO,
                answer_facts(InformationSet.SCHOOLING),
            ),
            Condition(
                "consultation-and-consent",
                "A consultation on category 15 was held on or before the date, with a Dua "
                "information-exchange consent valid that day.",
                _C_SAMRAD,
                _consulted,
                CONSULTED,
                answer_facts(InformationSet.CONSULTATIONS, InformationSet.CONSENTS),
            ),
        ),
    )
)
