"""Rule ``kaa``: is the person covered by the municipal activity responsibility (KAA)?

Source (skollagen (2010:800) 29 kap. 9 § första stycket, in the wording in force from
1 January 2015):

    En hemkommun ska löpande under året hålla sig informerad om hur de ungdomar i
    kommunen är sysselsatta som har fullgjort sin skolplikt men inte har fyllt 20 år och
    som inte genomför eller har fullföljt utbildning på nationella program i
    gymnasieskolan eller gymnasiesärskolan eller motsvarande utbildning.

and Skolverket on the wording in force from 1 July 2018 ("Att styra och leda arbetet med
kommunernas aktivitetsansvar för ungdomar",
https://www.skolverket.se/skolutveckling/leda-och-organisera-skolan/forbereda-elever-for-studier-och-arbetsliv/kommunernas-aktivitetsansvar--for-ungdomar):

    Från och med den 1 juli 2018 ska kommunernas aktivitetsansvar inte omfatta ungdomar
    som går ett introduktionsprogram. [...] inte ska omfatta ungdomar som har en
    gymnasieexamen, vilket innebär att ungdomar med studiebevis ska omfattas.

Citation: skollagen (2010:800) 29 kap. 9 §; Skolverket, "Att styra och leda arbetet med
kommunernas aktivitetsansvar för ungdomar".

The responsibility covers the youth **whatever they do**: the municipality shall keep
informed about how they are occupied ("hur de ... är sysselsatta"). Work or studies
outside upper-secondary school do not end it, so the rule reads neither; whether a
register counts such youths as needing support is the rule ``kaa-reconcile``'s question.

The conditions, as encoded (all must hold):

1. ``age``: under ``kaa.age_limit`` (20) on the date: on the 20th birthday the
   responsibility has ended ("inte har fyllt 20 år").
2. ``compulsory-school``: has completed compulsory school (schooling record).
3. ``not-in-upper-secondary``: not enrolled on the date in a national programme, the
   adapted upper-secondary school or equivalent education. An introduction programme
   is covered while ``kaa.introduction_programme_covered`` is true on the date (until
   30 June 2018) and ends the responsibility from 1 July 2018.
4. ``no-diploma``: has no upper-secondary diploma by the date (a studiebevis is not one).

The schooling record must be known: "not requested", "unavailable", "withheld", and also
"absent" or "not found" (no record, so completion of compulsory school cannot be
established) give ``unknown`` with ``schooling`` missing.

Not encoded: since 1 July 2018 the section also covers youths who were registered in
Sweden (folkbokförda) at an age without compulsory schooling; the schooling record has
no such fact yet, so such a youth without completed compulsory school is not covered here.
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.calendar import birthday
from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.schooling import ProgrammeKind, Schooling
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._legacy import (
    age_on,
)
from ssbx_model.rules.authoring import (
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Reason,
    ReasonKind,
    Unknown,
    answer_facts,
    register_rule,
    unknowns,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["RULE"]

RULE_ID = "kaa"
STATUTE = "skollagen (2010:800) 29 kap. 9 §"
SKOLVERKET = (
    "Skolverket, 'Att styra och leda arbetet med kommunernas aktivitetsansvar för ungdomar', "
    "https://www.skolverket.se/skolutveckling/leda-och-organisera-skolan/"
    "forbereda-elever-for-studier-och-arbetsliv/kommunernas-aktivitetsansvar--for-ungdomar"
)
CITATION = f"{STATUTE}; {SKOLVERKET}"
SOURCE_TEXT = (
    "En hemkommun ska löpande under året hålla sig informerad om hur de ungdomar i kommunen "
    "är sysselsatta som har fullgjort sin skolplikt men inte har fyllt 20 år och som inte "
    "genomför eller har fullföljt utbildning på nationella program i gymnasieskolan eller "
    "gymnasiesärskolan eller motsvarande utbildning. [Skolverket:] Från och med den 1 juli "
    "2018 ska kommunernas aktivitetsansvar inte omfatta ungdomar som går ett "
    "introduktionsprogram."
)

_C_AGE = f"{STATUTE} ('inte har fyllt 20 år')"
_C_COMPULSORY = f"{STATUTE} ('har fullgjort sin skolplikt')"
_C_UPPER = (
    f"{STATUTE} ('inte genomför ... utbildning på nationella program i gymnasieskolan eller "
    "gymnasiesärskolan eller motsvarande utbildning'); from 2018-07-01 also not on an "
    f"introduction programme ({SKOLVERKET})"
)
_C_DIPLOMA = (
    f"{STATUTE} ('eller har fullföljt'); {SKOLVERKET} ('ungdomar med studiebevis ska omfattas')"
)

H, F = ReasonKind.HOLDS, ReasonKind.FAILS

# The constant reasons of conditions whose text uses no value. The age and the
# upper-secondary reasons are built from the values used (see the predicates).
UNDER = Reason(
    "kaa.age.under-limit",
    H,
    "Har inte nått åldersgränsen för aktivitetsansvaret.",
    "Has not reached the age limit of the activity responsibility.",
    _C_AGE,
)
COMPLETED = Reason(
    "kaa.compulsory-school.completed",
    H,
    "Har fullgjort skolplikten.",
    "Has completed compulsory school.",
    _C_COMPULSORY,
)
NOT_COMPLETED = Reason(
    "kaa.compulsory-school.not-completed",
    F,
    "Har inte fullgjort skolplikten.",
    "Has not completed compulsory school.",
    _C_COMPULSORY,
)
NOT_ENROLLED = Reason(
    "kaa.upper-secondary.not-enrolled",
    H,
    "Går inte på ett nationellt program i gymnasieskolan, gymnasiesärskolan eller motsvarande.",
    "Is not on a national upper-secondary programme, the adapted school or equivalent.",
    _C_UPPER,
)
NO_DIPLOMA = Reason(
    "kaa.diploma.none",
    H,
    "Har ingen gymnasieexamen.",
    "Has no upper-secondary diploma.",
    _C_DIPLOMA,
)

_KIND_SV = {
    ProgrammeKind.NATIONAL: "ett nationellt program i gymnasieskolan",
    ProgrammeKind.ADAPTED: "den anpassade gymnasieskolan (gymnasiesärskolan)",
    ProgrammeKind.EQUIVALENT: "en utbildning som motsvarar gymnasieskolan",
    ProgrammeKind.INTRODUCTION: "ett introduktionsprogram",
}
_KIND_EN = {
    ProgrammeKind.NATIONAL: "a national upper-secondary programme",
    ProgrammeKind.ADAPTED: "the adapted upper-secondary school",
    ProgrammeKind.EQUIVALENT: "education equivalent to upper-secondary school",
    ProgrammeKind.INTRODUCTION: "an introduction programme",
}

_U_SCHOOLING = {
    citation: unknowns(
        RULE_ID, InformationSet.SCHOOLING, citation, what_sv="skolgången", what_en="the schooling"
    )
    for citation in (_C_COMPULSORY, _C_UPPER, _C_DIPLOMA)
}


def _age(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    limit = p.int("kaa.age_limit")
    age = age_on(case.person, on)
    facts: tuple[Fact, ...] = (("age", age), ("age_limit", limit))
    if age < limit:
        return UNDER._replace(
            message_sv=f"Har inte fyllt {limit} år (är {age} år).",
            message_en=f"Has not turned {limit} (is {age}).",
            facts=facts,
        )
    ended = birthday(case.person.birth_date, limit)
    return Reason(
        "kaa.age.reached-limit",
        F,
        f"Har fyllt {limit} år: aktivitetsansvaret upphörde på {limit}-årsdagen "
        f"{ended.isoformat()}.",
        f"Has turned {limit}: the activity responsibility ended on {ended.isoformat()}, "
        f"the day they turned {limit}.",
        _C_AGE,
        (*facts, ("ended_on", ended)),
    )


def _age_facts(case: Case, on: dt.date, p: ParameterView) -> tuple[Fact, ...]:
    return (("age", age_on(case.person, on)), ("age_limit", p["kaa.age_limit"]))


def _schooling(case: Case, citation: str) -> Schooling | Unknown:
    answer = case.schooling
    if answer.status is AnswerStatus.KNOWN:
        assert answer.value is not None
        return answer.value
    return _U_SCHOOLING[citation][answer.status]


def _compulsory(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    schooling = _schooling(case, _C_COMPULSORY)
    if isinstance(schooling, Unknown):
        return schooling
    if schooling.compulsory_school_completed:
        return None
    return NOT_COMPLETED


def _upper_secondary(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    schooling = _schooling(case, _C_UPPER)
    if isinstance(schooling, Unknown):
        return schooling
    enrolled = schooling.enrolment_on(on)
    if enrolled is None:
        return None
    kind, period = enrolled.kind, enrolled.period
    facts: tuple[Fact, ...] = (("kind", kind.value), ("period", period))
    if kind is ProgrammeKind.INTRODUCTION:
        covered = bool(p["kaa.introduction_programme_covered"])
        facts = (*facts, ("introduction_programme_covered", covered))
        if covered:
            return Reason(
                "kaa.upper-secondary.introduction-programme",
                H,
                f"Går på introduktionsprogram ({period}), som omfattas av aktivitetsansvaret "
                f"den {on.isoformat()}.",
                f"Is on an introduction programme ({period}), which the activity "
                f"responsibility covers on {on.isoformat()}.",
                _C_UPPER,
                facts,
            )
        return Reason(
            "kaa.upper-secondary.introduction-programme-not-covered",
            F,
            f"Går på introduktionsprogram ({period}), som inte omfattas av aktivitetsansvaret "
            f"den {on.isoformat()}.",
            f"Is on an introduction programme ({period}), which the activity responsibility "
            f"does not cover on {on.isoformat()}.",
            _C_UPPER,
            facts,
        )
    return Reason(
        "kaa.upper-secondary.enrolled",
        F,
        f"Går på {_KIND_SV[kind]} ({period}).",
        f"Is on {_KIND_EN[kind]} ({period}).",
        _C_UPPER,
        facts,
    )


def _diploma(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    schooling = _schooling(case, _C_DIPLOMA)
    if isinstance(schooling, Unknown):
        return schooling
    if not schooling.has_diploma_on(on):
        return None
    assert schooling.diploma_on is not None
    return Reason(
        "kaa.diploma.completed",
        F,
        f"Har fullföljt gymnasieutbildning med examen ({schooling.diploma_on.isoformat()}).",
        f"Has completed upper-secondary education with a diploma "
        f"({schooling.diploma_on.isoformat()}).",
        _C_DIPLOMA,
        (("diploma_on", schooling.diploma_on),),
    )


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="2",
        title_en="Municipal activity responsibility (KAA)",
        title_sv="Det kommunala aktivitetsansvaret (KAA)",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=("kaa.age_limit", "kaa.introduction_programme_covered"),
        needs=(InformationSet.SCHOOLING,),
        first_failure_decides=True,
        conditions=(
            Condition("age", "Has not turned 20 on the date.", _C_AGE, _age, UNDER, _age_facts),
            Condition(
                "compulsory-school",
                "Has completed compulsory school.",
                _C_COMPULSORY,
                _compulsory,
                COMPLETED,
                answer_facts(InformationSet.SCHOOLING),
            ),
            Condition(
                "not-in-upper-secondary",
                "Not on a national programme, the adapted school or equivalent on the date; "
                "an introduction programme only while kaa.introduction_programme_covered "
                "(until 30 June 2018).",
                _C_UPPER,
                _upper_secondary,
                NOT_ENROLLED,
                answer_facts(InformationSet.SCHOOLING),
            ),
            Condition(
                "no-diploma",
                "Has no upper-secondary diploma by the date.",
                _C_DIPLOMA,
                _diploma,
                NO_DIPLOMA,
                answer_facts(InformationSet.SCHOOLING),
            ),
        ),
    )
)
