"""Rule ``kaa``: is the person covered by the municipal activity responsibility (KAA)?

Source (skollagen (2010:800) 29 kap. 9 § första stycket, as in force since 1 January 2015):

    En hemkommun ska löpande under året hålla sig informerad om hur de ungdomar i
    kommunen är sysselsatta som har fullgjort sin skolplikt men inte har fyllt 20 år och
    som inte genomför eller har fullföljt utbildning på nationella program i
    gymnasieskolan eller gymnasiesärskolan eller motsvarande utbildning.

Seed (Sambruk, UKA-projektet, "Lagen om kommunalt informationsansvar"):

    Kommunerna är skyldiga att ta reda på vad ungdomar under 20 år som inte går i
    gymnasiet gör. De ska också erbjuda dem någon form av sysselsättning.

Skolverket on the activity responsibility: a certificate of studies (studiebevis) does
not end it, and pupils on an introduction programme are covered by it.

Citation: skollagen (2010:800) 29 kap. 9 §; Skolverket; Sambruk, UKA-projektet.

The conditions, as encoded (all must hold):

1. ``age``: under ``kaa.age_limit`` (20) on the date: on the 20th birthday the
   responsibility has ended ("inte har fyllt 20 år").
2. ``compulsory-school``: has completed compulsory school (schooling record).
3. ``not-in-upper-secondary``: not enrolled on the date in a national programme, the
   adapted upper-secondary school or equivalent education. An introduction programme
   does not end the responsibility (Skolverket).
4. ``no-diploma``: has no upper-secondary diploma by the date (a studiebevis is not one).

The schooling record must be known: "not requested", "unavailable", "withheld", and also
"absent" or "not found" (no record, so completion of compulsory school cannot be
established) give ``unknown`` with ``schooling`` missing.
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.schooling import ProgrammeKind, Schooling
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.engine import (
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Reason,
    ReasonKind,
    Unknown,
    age_band,
    age_on,
    answer_facts,
    register_rule,
    unknowns,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["RULE"]

RULE_ID = "kaa"
STATUTE = "skollagen (2010:800) 29 kap. 9 §"
CITATION = f"{STATUTE}; Skolverket on the activity responsibility; Sambruk, UKA-projektet"
SOURCE_TEXT = (
    "En hemkommun ska löpande under året hålla sig informerad om hur de ungdomar i kommunen "
    "är sysselsatta som har fullgjort sin skolplikt men inte har fyllt 20 år och som inte "
    "genomför eller har fullföljt utbildning på nationella program i gymnasieskolan eller "
    "gymnasiesärskolan eller motsvarande utbildning."
)

_C_AGE = f"{STATUTE} ('inte har fyllt 20 år')"
_C_COMPULSORY = f"{STATUTE} ('har fullgjort sin skolplikt')"
_C_UPPER = (
    f"{STATUTE} ('inte genomför ... utbildning på nationella program i gymnasieskolan eller "
    "gymnasiesärskolan eller motsvarande utbildning'); Skolverket (pupils on an introduction "
    "programme are covered)"
)
_C_DIPLOMA = (
    f"{STATUTE} ('eller har fullföljt'); Skolverket (a studiebevis does not end the responsibility)"
)

H, F = ReasonKind.HOLDS, ReasonKind.FAILS
UNDER = Reason("kaa.age.under-limit", H, "Har inte fyllt 20 år.", "Has not turned 20.", _C_AGE)
REACHED = Reason(
    "kaa.age.reached-limit",
    F,
    "Har fyllt 20 år: aktivitetsansvaret har upphört.",
    "Has turned 20: the activity responsibility has ended.",
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
INTRODUCTION = Reason(
    "kaa.upper-secondary.introduction-programme",
    H,
    "Går på introduktionsprogram, som omfattas av aktivitetsansvaret.",
    "Is on an introduction programme, which the activity responsibility covers.",
    _C_UPPER,
)
ENROLLED = Reason(
    "kaa.upper-secondary.enrolled",
    F,
    "Går på ett nationellt program i gymnasieskolan, gymnasiesärskolan eller motsvarande.",
    "Is on a national upper-secondary programme, the adapted school or equivalent.",
    _C_UPPER,
)
NO_DIPLOMA = Reason(
    "kaa.diploma.none",
    H,
    "Har ingen gymnasieexamen.",
    "Has no upper-secondary diploma.",
    _C_DIPLOMA,
)
DIPLOMA = Reason(
    "kaa.diploma.completed",
    F,
    "Har fullföljt gymnasieutbildning (examen).",
    "Has completed upper-secondary education (diploma).",
    _C_DIPLOMA,
)


_U_SCHOOLING = {
    citation: unknowns(
        RULE_ID, InformationSet.SCHOOLING, citation, what_sv="skolgången", what_en="the schooling"
    )
    for citation in (_C_COMPULSORY, _C_UPPER, _C_DIPLOMA)
}


# Under the age limit: aged at most the limit minus one.
def _under_limit(p: ParameterView) -> Reason:
    limit = p["kaa.age_limit"]
    return UNDER._replace(
        message_sv=f"Har inte fyllt {limit} år.",
        message_en=f"Has not turned {limit}.",
        facts=(("age_limit", limit),),
    )


def _reached_limit(age: int, on: dt.date, p: ParameterView) -> Reason:
    limit = p["kaa.age_limit"]
    return REACHED._replace(
        message_sv=f"Har fyllt {limit} år (är {age}): aktivitetsansvaret har upphört.",
        message_en=f"Has turned {limit} (is {age}): the activity responsibility has ended.",
        facts=(("age", age), ("age_limit", limit)),
    )


_age = age_band(
    lambda p: None, lambda p: int(p["kaa.age_limit"]) - 1, _reached_limit, holds=_under_limit
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
    if enrolled.kind is ProgrammeKind.INTRODUCTION:
        return INTRODUCTION.with_facts(("period", enrolled.period))
    return ENROLLED.with_facts(("kind", enrolled.kind.value), ("period", enrolled.period))


def _diploma(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    schooling = _schooling(case, _C_DIPLOMA)
    if isinstance(schooling, Unknown):
        return schooling
    if schooling.has_diploma_on(on):
        return DIPLOMA.with_facts(("diploma_on", schooling.diploma_on))
    return None


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="1",
        title_en="Municipal activity responsibility (KAA)",
        title_sv="Det kommunala aktivitetsansvaret (KAA)",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=("kaa.age_limit",),
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
                "Not on a national programme, the adapted school or equivalent on the date "
                "(an introduction programme does not count).",
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
