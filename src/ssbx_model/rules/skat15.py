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

from ssbx_model.calendar import age_on
from ssbx_model.case import Case
from ssbx_model.codes import INTERVENTION_TYPE, load
from ssbx_model.information.consent import ConsentKind, ConsentState, consent_standing
from ssbx_model.information.consultation import SKAT15_ASSESSMENT
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import (
    ConditionRule,
    Fact,
    Finding,
    Mode,
    RuleParameters,
    Says,
    answer_facts,
    fails,
    holds,
    parameter,
    register_rule,
    settled,
)

__all__ = ["RULE"]

SEED = "Dua, Frågor och svar om kommuninsatser 16-24 år"
NEET = f"{SEED} ('som varken arbetar eller studerar')"
PROGRAM = (
    f"{SEED} ('inte har någon form av program eller subventionerad anställning från "
    "Arbetsförmedlingen, t.ex. jobbgarantin för ungdomar, utbildningskontrakt eller "
    "traineejobb')"
)


class Params(RuleParameters):
    """The parameters the rule reads."""

    age_min: int = parameter("skat15.age.min")
    age_max: int = parameter("skat15.age.max")
    # 0: a Dua form without an end date does not lapse (see the parameter's note).
    dua_validity_months: int = parameter("consent.dua_validity_months")


RULE = ConditionRule(
    id="skat15",
    version="1",
    title_en="Dua applicant category 15, municipal intervention (kommuninsats)",
    title_sv="Sökandekategori 15 kommuninsats (Dua, lokal överenskommelse)",
    source_text=(
        "Kommunen ska rapportera de insatser de ger för ungdomar mellan 16-24 år som varken "
        "arbetar eller studerar och: är inskrivna på Arbetsförmedlingen; bara har insatser "
        "från kommunen; inte har någon form av program eller subventionerad anställning från "
        "Arbetsförmedlingen, t.ex. jobbgarantin för ungdomar, utbildningskontrakt eller "
        "traineejobb. Samråd ska alltid ske mellan Arbetsförmedlingen och kommunen innan en "
        "ungdom bedöms tillhöra målgruppen. [...] Ungdomar som går på introduktionsprogrammet "
        "ingår inte i målgruppen. [...] I samband med detta ska också ett samtycke för "
        "informationsutbyte mellan Arbetsförmedlingen och kommun tas."
    ),
    citation=f"förordning (2015:502) om samverkan för att minska ungdomsarbetslösheten; {SEED}",
    params=Params,
    needs=(
        InformationSet.EMPLOYMENT,
        InformationSet.STUDIES,
        InformationSet.SCHOOLING,
        InformationSet.ENROLMENT,
        InformationSet.PROGRAM_DECISIONS,
        InformationSet.CONSULTATIONS,
        InformationSet.CONSENTS,
    ),
    mode=Mode.FIRST_FAILURE,
)


# 1. "ungdomar mellan 16-24 år".
def _age_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    return (("age", age_on(case.person.birth_date, on)),)


@RULE.condition(
    "age",
    "Aged 16-24 on the date.",
    cites=f"{SEED} ('ungdomar mellan 16-24 år'); förordning (2015:502)",
    holds=Says(
        "skat15.age.in-band",
        lambda f, p: (f"Är {p.age_min}-{p.age_max} år.", f"Is aged {p.age_min}-{p.age_max}."),
    ),
    fails=Says(
        "skat15.age.outside-band",
        lambda f, p: (
            f"Är {f.age} år, inte {p.age_min}-{p.age_max} år.",
            f"Is aged {f.age}, not {p.age_min}-{p.age_max}.",
        ),
    ),
    shows=_age_shown,
)
def age(case: Case, on: dt.date, p: Params) -> Finding:
    age = age_on(case.person.birth_date, on)
    if p.age_min <= age <= p.age_max:
        return holds(age_min=p.age_min, age_max=p.age_max)
    return fails(age=age, age_min=p.age_min, age_max=p.age_max)


# 2. "som varken arbetar ...".
@RULE.condition(
    "not-working",
    "No employment covers the date.",
    cites=NEET,
    needs=(InformationSet.EMPLOYMENT,),
    holds=Says("skat15.not-working", "Arbetar inte.", "Does not work."),
    fails=Says("skat15.works", "Arbetar (anställning under perioden).", "Works (employed)."),
)
def not_working(case: Case, on: dt.date, p: Params) -> Finding | None:
    for job in settled(case.employment, InformationSet.EMPLOYMENT) or ():
        if job.period.contains(on):
            return fails(employment=job.period, source=job.source)
    return None


# 3. "... eller studerar": studies, or an upper-secondary enrolment other than the
#    introduction programme (condition 7), covering the date.
@RULE.condition(
    "not-studying",
    "No studies or upper-secondary enrolment (other than the introduction programme) cover "
    "the date.",
    cites=NEET,
    # Read after the schooling record, which may settle it first.
    reads=(InformationSet.STUDIES,),
    shows=answer_facts(InformationSet.STUDIES, InformationSet.SCHOOLING),
    holds=Says("skat15.not-studying", "Studerar inte.", "Does not study."),
    fails=Says("skat15.studies", "Studerar.", "Studies."),
)
def not_studying(case: Case, on: dt.date, p: Params) -> Finding | None:
    # The schooling record is read when it is known; the study evidence is needed.
    schooling = case.schooling
    if schooling.is_known and schooling.value is not None:
        enrolled = schooling.value.enrolment_on(on)
        if enrolled is not None and enrolled.kind is not ProgrammeKind.INTRODUCTION:
            return fails(upper_secondary=enrolled.kind.value, period=enrolled.period)
    for study in settled(case.studies, InformationSet.STUDIES) or ():
        if study.period.contains(on):
            return fails(studies=study.period, source=study.source)
    return None


# 4. "är inskrivna på Arbetsförmedlingen" ("not found" at AF: not enrolled).
@RULE.condition(
    "registered-at-af",
    "Registered at AF on the date.",
    cites=f"{SEED} ('är inskrivna på Arbetsförmedlingen')",
    needs=(InformationSet.ENROLMENT,),
    holds=Says(
        "skat15.registered-at-af", "Är inskriven på Arbetsförmedlingen.", "Is registered at AF."
    ),
    fails=Says(
        "skat15.not-registered-at-af",
        "Är inte inskriven på Arbetsförmedlingen.",
        "Is not registered at AF.",
    ),
)
def registered_at_af(case: Case, on: dt.date, p: Params) -> Finding | None:
    enrolment = settled(case.enrolment, InformationSet.ENROLMENT)
    if enrolment is None:
        return fails(enrolment=case.enrolment.status.value)
    if enrolment.is_registered_on(on):
        return None
    return fails(enrolment=enrolment.period)


# 5. "bara har insatser från kommunen": a current municipal intervention (the model's
#    one definition, which the INUK rule shares: begun, not merely planned, running on the
#    date) that AF does not decide and that is not a summer job; and no current municipal
#    placement of an AF-decided measure.
_TYPES = load(INTERVENTION_TYPE)
_AF_DECIDED = frozenset(_TYPES.with_attribute("af_decided", "yes"))
_SUMMER_JOB = frozenset(_TYPES.with_attribute("summer_job", "yes"))


def _interventions_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    return tuple(
        (f"interventions[{i}]", f"{x.intervention_type} {x.period} {x.status.value}")
        for i, x in enumerate(case.interventions)
    )


@RULE.condition(
    "only-municipal-interventions",
    "A current municipal intervention (begun, not merely planned; not AF-decided, not a "
    "summer job) on the date, and no current AF-decided placement.",
    cites=(
        f"{SEED} ('bara har insatser från kommunen'; 'bara har aktiviteter som kommunen "
        "helt ansvarar för och som inte är kopplat till något programbeslut')"
    ),
    shows=_interventions_shown,
    holds=Says(
        "skat15.only-municipal-interventions",
        "Har bara insatser från kommunen.",
        "Has only interventions from the municipality.",
    ),
    fails=(
        Says(
            "skat15.no-municipal-intervention",
            lambda f, p: (
                (
                    f"Har ingen pågående insats från kommunen den {f.on.isoformat()} "
                    f"(registrerade insatser: {f.interventions}; planerade räknas först när "
                    "de har börjat, feriejobb räknas inte)."
                ),
                (
                    "Has no current intervention from the municipality on "
                    f"{f.on.isoformat()} (interventions on record: {f.interventions}; "
                    "planned ones count once they have begun, summer jobs do not count)."
                ),
            ),
        ),
        Says(
            "skat15.af-decided-intervention",
            "Har en insats som Arbetsförmedlingen beslutar (t.ex. extratjänst eller traineejobb).",
            "Has an intervention AF decides (e.g. extratjänst or a trainee job).",
        ),
    ),
)
def only_municipal_interventions(case: Case, on: dt.date, p: Params) -> Finding | None:
    own = False
    for intervention in case.interventions:
        if not intervention.is_current(on):
            continue
        kind = intervention.intervention_type
        if kind in _AF_DECIDED:
            return fails(
                "skat15.af-decided-intervention",
                intervention_type=kind,
                period=intervention.period,
            )
        own = own or kind not in _SUMMER_JOB
    if own:
        return None
    return fails("skat15.no-municipal-intervention", interventions=len(case.interventions), on=on)


# 6. "inte har någon form av program eller subventionerad anställning": every AF program
#    decision counts (program, subsidised employment, joint effort).
@RULE.condition(
    "no-af-program",
    "No AF program decision (program, subsidised employment, joint effort) covers the date.",
    cites=PROGRAM,
    needs=(InformationSet.PROGRAM_DECISIONS,),
    holds=Says(
        "skat15.no-af-program",
        "Har inget program eller subventionerad anställning från Arbetsförmedlingen.",
        "Has no AF program or subsidised employment.",
    ),
    fails=Says(
        "skat15.af-program",
        "Har ett program, en subventionerad anställning eller en gemensam insats från "
        "Arbetsförmedlingen.",
        "Has an AF program, subsidised employment or joint effort.",
    ),
)
def no_af_program(case: Case, on: dt.date, p: Params) -> Finding | None:
    for decision in settled(case.program_decisions, InformationSet.PROGRAM_DECISIONS) or ():
        if decision.period.contains(on):
            return fails(program=decision.program, period=decision.period)
    return None


# 7. "Ungdomar som går på introduktionsprogrammet ingår inte i målgruppen".
@RULE.condition(
    "not-introduction-programme",
    "Not enrolled in an introduction programme on the date.",
    cites=f"{SEED} ('Ungdomar som går på introduktionsprogrammet ingår inte i målgruppen')",
    needs=(InformationSet.SCHOOLING,),
    holds=Says(
        "skat15.not-introduction-programme",
        "Går inte på introduktionsprogram.",
        "Is not on an introduction programme.",
    ),
    fails=Says(
        "skat15.introduction-programme",
        "Går på introduktionsprogram och ingår därför inte i målgruppen.",
        "Is on an introduction programme, which the group excludes.",
    ),
)
def not_introduction_programme(case: Case, on: dt.date, p: Params) -> Finding | None:
    schooling = settled(case.schooling, InformationSet.SCHOOLING)
    enrolled = None if schooling is None else schooling.enrolment_on(on)
    if enrolled is not None and enrolled.kind is ProgrammeKind.INTRODUCTION:
        return fails(period=enrolled.period)
    return None


# 8. "Samråd ska alltid ske ... innan en ungdom bedöms tillhöra målgruppen. I samband med
#    detta ska också ett samtycke för informationsutbyte ... tas": a consultation on the
#    category-15 assessment held on or before the date, with a Dua consent valid that day
#    and not withdrawn since.
_DUA = ConsentKind.DUA_INFORMATION_EXCHANGE


@RULE.condition(
    "consultation-and-consent",
    "A consultation on category 15 was held on or before the date, with a Dua "
    "information-exchange consent valid that day.",
    cites=(
        f"{SEED} ('Samråd ska alltid ske mellan Arbetsförmedlingen och kommunen innan en "
        "ungdom bedöms tillhöra målgruppen. I samband med detta ska också ett samtycke för "
        "informationsutbyte mellan Arbetsförmedlingen och kommun tas.')"
    ),
    needs=(InformationSet.CONSULTATIONS,),
    reads=(InformationSet.CONSENTS,),  # once a consultation on the assessment is found
    holds=(
        Says(
            "skat15.consultation-and-consent",
            lambda f, p: (
                (
                    "Samråd om bedömningen för sökandekategori 15 hölls "
                    f"{f.consulted_on.isoformat()}, och samtycke till informationsutbyte "
                    "var giltigt då."
                ),
                (
                    "AF and the municipality consulted on the category-15 assessment on "
                    f"{f.consulted_on.isoformat()}, and consent to information exchange "
                    "was valid then."
                ),
            ),
        ),
    ),
    fails=(
        Says(
            "skat15.no-consultation",
            lambda f, p: (
                (
                    "Inget samråd om bedömningen för sökandekategori 15 "
                    f"({f.topic_needed}) är registrerat till och med {f.on.isoformat()}"
                    + (
                        "; registrerade samråd om annat: " + ", ".join(f.other_topics)
                        if f.other_topics
                        else ""
                    )
                    + "."
                ),
                (
                    f"No consultation on the category-15 assessment ({f.topic_needed}) is "
                    f"recorded up to {f.on.isoformat()}"
                    + (
                        "; consultations on other topics: " + ", ".join(f.other_topics)
                        if f.other_topics
                        else ""
                    )
                    + "."
                ),
            ),
        ),
        Says(
            "skat15.no-consent",
            lambda f, p: (
                (
                    "Inget giltigt samtycke till informationsutbyte (Dua-blanketten) vid "
                    f"samrådet. Krävs: {f.kind_needed}; registrerade: "
                    f"{', '.join(f.kinds_found) or 'inga'}."
                ),
                (
                    "No valid consent to information exchange (the Dua form) at the "
                    f"consultation. Needed: {f.kind_needed}; on file: "
                    f"{', '.join(f.kinds_found) or 'none'}."
                ),
            ),
        ),
        Says(
            "skat15.consent-withdrawn",
            "Samtycket till informationsutbyte (Dua-blanketten) har återkallats efter "
            "samrådet; det gäller tills ungdomen lämnar ett nytt samtycke.",
            "The consent to information exchange (the Dua form) was withdrawn after the "
            "consultation; this stands until the youth gives a new consent.",
        ),
    ),
)
def consultation_and_consent(case: Case, on: dt.date, p: Params) -> Finding | None:
    consultations = settled(case.consultations, InformationSet.CONSULTATIONS) or ()
    held = [c.held_on for c in consultations if c.topic == SKAT15_ASSESSMENT and c.held_on <= on]
    if not held:
        # Name the consultations on other topics, so that one recorded under another
        # topic is seen rather than silently missed.
        others = tuple(
            f"{c.topic} {c.held_on.isoformat()}" for c in consultations if c.held_on <= on
        )
        return fails(
            "skat15.no-consultation", on=on, topic_needed=SKAT15_ASSESSMENT, other_topics=others
        )
    history = settled(case.consents, InformationSet.CONSENTS) or ()
    months = p.dua_validity_months or None
    today = consent_standing(history, _DUA, on, purpose=None, validity_months=months)
    if today.state is ConsentState.WITHDRAWN:
        assert today.consent is not None
        return fails("skat15.consent-withdrawn", withdrawn_on=today.consent.validity.start)
    for day in held:
        then = consent_standing(history, _DUA, day, purpose=None, validity_months=months)
        if then.state is ConsentState.VALID:
            return holds("skat15.consultation-and-consent", consulted_on=day)
    return fails(
        "skat15.no-consent",
        consultations=tuple(sorted(held)),
        kind_needed=_DUA.value,
        kinds_found=tuple(sorted({c.kind.value for c in history})),
    )


register_rule(RULE)
