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

from ssbx_model.calendar import age_on, birthday
from ssbx_model.case import Case
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import (
    ConditionRule,
    Fact,
    Finding,
    Mode,
    RuleParameters,
    Says,
    fails,
    holds,
    known,
    parameter,
    register_rule,
)

__all__ = ["RULE"]

STATUTE = "skollagen (2010:800) 29 kap. 9 §"
SKOLVERKET = (
    "Skolverket, 'Att styra och leda arbetet med kommunernas aktivitetsansvar för ungdomar', "
    "https://www.skolverket.se/skolutveckling/leda-och-organisera-skolan/"
    "forbereda-elever-for-studier-och-arbetsliv/kommunernas-aktivitetsansvar--for-ungdomar"
)
SCHOOLING = InformationSet.SCHOOLING
# No schooling record (absent, not found) leaves the conditions on it open, as an
# undecided answer does: completion of compulsory school cannot be established.
UNSETTLED = ("skolgången", "the schooling")


class Params(RuleParameters):
    """The parameters the rule reads."""

    age_limit: int = parameter("kaa.age_limit")
    introduction_programme_covered: bool = parameter("kaa.introduction_programme_covered")


RULE = ConditionRule(
    id="kaa",
    version="2",
    title_en="Municipal activity responsibility (KAA)",
    title_sv="Det kommunala aktivitetsansvaret (KAA)",
    source_text=(
        "En hemkommun ska löpande under året hålla sig informerad om hur de ungdomar i "
        "kommunen är sysselsatta som har fullgjort sin skolplikt men inte har fyllt 20 år "
        "och som inte genomför eller har fullföljt utbildning på nationella program i "
        "gymnasieskolan eller gymnasiesärskolan eller motsvarande utbildning. [Skolverket:] "
        "Från och med den 1 juli 2018 ska kommunernas aktivitetsansvar inte omfatta "
        "ungdomar som går ett introduktionsprogram."
    ),
    citation=f"{STATUTE}; {SKOLVERKET}",
    params=Params,
    needs=(SCHOOLING,),
    mode=Mode.FIRST_FAILURE,
)


# 1. "inte har fyllt 20 år": on the 20th birthday the responsibility has ended.
def _age_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    return (("age", age_on(case.person.birth_date, on)), ("age_limit", p.age_limit))


@RULE.condition(
    "age",
    "Has not turned 20 on the date.",
    cites=f"{STATUTE} ('inte har fyllt 20 år')",
    holds=Says(
        "kaa.age.under-limit",
        lambda f, p: (
            f"Har inte fyllt {f.age_limit} år (är {f.age} år).",
            f"Has not turned {f.age_limit} (is {f.age}).",
        ),
    ),
    fails=Says(
        "kaa.age.reached-limit",
        lambda f, p: (
            (
                f"Har fyllt {f.age_limit} år: aktivitetsansvaret upphörde på "
                f"{f.age_limit}-årsdagen {f.ended_on.isoformat()}."
            ),
            (
                f"Has turned {f.age_limit}: the activity responsibility ended on "
                f"{f.ended_on.isoformat()}, the day they turned {f.age_limit}."
            ),
        ),
    ),
    shows=_age_shown,
)
def age(case: Case, on: dt.date, p: Params) -> Finding:
    born = case.person.birth_date
    age = age_on(born, on)
    if age < p.age_limit:
        return holds(age=age, age_limit=p.age_limit)
    return fails(age=age, age_limit=p.age_limit, ended_on=birthday(born, p.age_limit))


# 2. "har fullgjort sin skolplikt".
@RULE.condition(
    "compulsory-school",
    "Has completed compulsory school.",
    cites=f"{STATUTE} ('har fullgjort sin skolplikt')",
    needs=(SCHOOLING,),
    unsettled=UNSETTLED,
    holds=Says(
        "kaa.compulsory-school.completed",
        "Har fullgjort skolplikten.",
        "Has completed compulsory school.",
    ),
    fails=Says(
        "kaa.compulsory-school.not-completed",
        "Har inte fullgjort skolplikten.",
        "Has not completed compulsory school.",
    ),
)
def compulsory_school(case: Case, on: dt.date, p: Params) -> Finding | None:
    if known(case.schooling, SCHOOLING).compulsory_school_completed:
        return None
    return fails()


# 3. "inte genomför ... utbildning på nationella program ...": an introduction programme
#    is covered until 30 June 2018 (kaa.introduction_programme_covered) and not after.
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


@RULE.condition(
    "not-in-upper-secondary",
    "Not on a national programme, the adapted school or equivalent on the date; an "
    "introduction programme only while kaa.introduction_programme_covered (until 30 June "
    "2018).",
    cites=(
        f"{STATUTE} ('inte genomför ... utbildning på nationella program i gymnasieskolan "
        "eller gymnasiesärskolan eller motsvarande utbildning'); from 2018-07-01 also not "
        f"on an introduction programme ({SKOLVERKET})"
    ),
    needs=(SCHOOLING,),
    unsettled=UNSETTLED,
    holds=(
        Says(
            "kaa.upper-secondary.not-enrolled",
            "Går inte på ett nationellt program i gymnasieskolan, gymnasiesärskolan eller "
            "motsvarande.",
            "Is not on a national upper-secondary programme, the adapted school or equivalent.",
        ),
        Says(
            "kaa.upper-secondary.introduction-programme",
            lambda f, p: (
                (
                    f"Går på introduktionsprogram ({f.period}), som omfattas av "
                    f"aktivitetsansvaret den {f.on.isoformat()}."
                ),
                (
                    f"Is on an introduction programme ({f.period}), which the activity "
                    f"responsibility covers on {f.on.isoformat()}."
                ),
            ),
        ),
    ),
    fails=(
        Says(
            "kaa.upper-secondary.introduction-programme-not-covered",
            lambda f, p: (
                (
                    f"Går på introduktionsprogram ({f.period}), som inte omfattas av "
                    f"aktivitetsansvaret den {f.on.isoformat()}."
                ),
                (
                    f"Is on an introduction programme ({f.period}), which the activity "
                    f"responsibility does not cover on {f.on.isoformat()}."
                ),
            ),
        ),
        Says(
            "kaa.upper-secondary.enrolled",
            lambda f, p: (
                f"Går på {_KIND_SV[ProgrammeKind(f.kind)]} ({f.period}).",
                f"Is on {_KIND_EN[ProgrammeKind(f.kind)]} ({f.period}).",
            ),
        ),
    ),
)
def not_in_upper_secondary(case: Case, on: dt.date, p: Params) -> Finding | None:
    enrolled = known(case.schooling, SCHOOLING).enrolment_on(on)
    if enrolled is None:
        return None
    kind, period = enrolled.kind, enrolled.period
    if kind is not ProgrammeKind.INTRODUCTION:
        return fails("kaa.upper-secondary.enrolled", kind=kind.value, period=period)
    covered = p.introduction_programme_covered
    found = holds if covered else fails
    code = "introduction-programme" if covered else "introduction-programme-not-covered"
    return found(
        f"kaa.upper-secondary.{code}",
        kind=kind.value,
        period=period,
        introduction_programme_covered=covered,
        on=on,
    )


# 4. "eller har fullföljt": a diploma ends it; a studiebevis does not (Skolverket).
@RULE.condition(
    "no-diploma",
    "Has no upper-secondary diploma by the date.",
    cites=(
        f"{STATUTE} ('eller har fullföljt'); {SKOLVERKET} ('ungdomar med studiebevis ska omfattas')"
    ),
    needs=(SCHOOLING,),
    unsettled=UNSETTLED,
    holds=Says("kaa.diploma.none", "Har ingen gymnasieexamen.", "Has no upper-secondary diploma."),
    fails=Says(
        "kaa.diploma.completed",
        lambda f, p: (
            f"Har fullföljt gymnasieutbildning med examen ({f.diploma_on.isoformat()}).",
            f"Has completed upper-secondary education with a diploma ({f.diploma_on.isoformat()}).",
        ),
    ),
)
def no_diploma(case: Case, on: dt.date, p: Params) -> Finding | None:
    schooling = known(case.schooling, SCHOOLING)
    if not schooling.has_diploma_on(on):
        return None
    return fails(diploma_on=schooling.diploma_on)


register_rule(RULE)
