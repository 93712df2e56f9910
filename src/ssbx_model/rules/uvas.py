"""Rule ``uvas``: young people who neither work nor study (UVAS), per calendar year.

Source (Sambruk, UKA-projektet, "Analysmodellen UVAS"):

    UVAS utgår från ett helt kalenderår och fångar upp unga som vare sig haft
    studiemedel, studerat eller haft en inkomst över ett prisbasbelopp under
    kalenderåret.

and ("Bakgrund"): "Omkring 8–10 procent av ungdomsgruppen 16–25 år har varken arbete
eller studier."

MUCF's current definition (public source, domain brief): ages 16-29, registered in
Sweden, and for the whole calendar year: income not above one prisbasbelopp, no student
finance, in no education register, and at most 60 hours of Swedish for immigrants (SFI).

Citation: Sambruk, UKA-projektet ("Analysmodellen UVAS"); MUCF's definition of UVAS.

The conditions, as encoded, for the calendar year Y of the reference date (all must hold):

1. ``age``: the age reached during Y (Y minus the birth year) is within
   ``uvas.age.min``..``uvas.age.max``. The default band is MUCF's 16-29; the seed speaks
   of 16-25 (override ``uvas.age.max`` = 25 for that reading).
2. ``registered-in-sweden``: the person has a personnummer (a samordningsnummer means
   not registered in the population register).
3. ``no-student-finance``: no student finance (studiemedel) received in Y.
4. ``no-studies``: no study evidence whose period overlaps Y (the education registers
   are represented by study evidence; SFI is not study evidence).
5. ``income``: the income items of Y added up (one item per source) are not above the
   prisbasbelopp of Y. A decided income answer without an item for Y means no income.
6. ``sfi-hours``: the SFI hours of Y added up are at most ``uvas.sfi_hours_max``.

Before 31 December the year is not over: the decision is made on the facts so far and
carries the warning ``uvas.year-not-over``.
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.case import Case
from ssbx_model.identity import Samordningsnummer
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
    parameter,
    register_rule,
    settled,
    warns,
)

__all__ = ["RULE"]

SEED = "Sambruk, UKA-projektet, 'Analysmodellen UVAS'"
MUCF = "MUCF, definition of UVAS (unga som varken arbetar eller studerar)"


class Params(RuleParameters):
    """The parameters the rule reads."""

    age_min: int = parameter("uvas.age.min")
    age_max: int = parameter("uvas.age.max")
    sfi_hours_max: int = parameter("uvas.sfi_hours_max")
    prisbasbelopp: int = parameter("prisbasbelopp")


RULE = ConditionRule(
    id="uvas",
    version="1",
    title_en="Young people who neither work nor study (UVAS), per calendar year",
    title_sv="Unga som varken arbetar eller studerar (UVAS), per kalenderår",
    source_text=(
        "UVAS utgår från ett helt kalenderår och fångar upp unga som vare sig haft "
        "studiemedel, studerat eller haft en inkomst över ett prisbasbelopp under "
        "kalenderåret."
    ),
    citation=f"{SEED}; {MUCF}",
    params=Params,
    needs=(
        InformationSet.STUDENT_FINANCE,
        InformationSet.STUDIES,
        InformationSet.INCOME,
        InformationSet.SFI_HOURS,
    ),
    mode=Mode.FIRST_FAILURE,
)


# 1. The age reached during the calendar year.
def _age_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    return (("age_in_year", on.year - case.person.birth_date.year), ("year", on.year))


@RULE.condition(
    "age",
    "Age reached during the year within the band.",
    cites=f"{MUCF} (16-29 år); Sambruk, UKA-projektet ('ungdomsgruppen 16–25 år')",
    holds=Says(
        "uvas.age.in-band",
        lambda f, p: (
            f"Fyller {p.age_min}-{p.age_max} år under kalenderåret.",
            f"Is aged {p.age_min}-{p.age_max} during the calendar year.",
        ),
    ),
    fails=Says(
        "uvas.age.outside-band",
        lambda f, p: (
            f"Fyller {f.age_in_year} år under {f.year}, inte {p.age_min}-{p.age_max} år.",
            f"Turns {f.age_in_year} in {f.year}, not {p.age_min}-{p.age_max}.",
        ),
    ),
    shows=_age_shown,
)
def age(case: Case, on: dt.date, p: Params) -> Finding:
    age_in_year = on.year - case.person.birth_date.year
    if p.age_min <= age_in_year <= p.age_max:
        return holds(age_min=p.age_min, age_max=p.age_max)
    return fails(age_in_year=age_in_year, year=on.year, age_min=p.age_min, age_max=p.age_max)


# 2. Registered in the population register.
@RULE.condition(
    "registered-in-sweden",
    "Registered in the population register (has a personnummer).",
    cites=f"{MUCF} ('folkbokförda i Sverige')",
    holds=Says(
        "uvas.registered-in-sweden",
        "Är folkbokförd i Sverige (har personnummer).",
        "Is registered in Sweden (has a personnummer).",
    ),
    fails=Says(
        "uvas.not-registered-in-sweden",
        "Har samordningsnummer och är alltså inte folkbokförd i Sverige.",
        "Has a samordningsnummer, so is not registered in the population register.",
    ),
)
def registered_in_sweden(case: Case, on: dt.date, p: Params) -> Finding | None:
    # A samordningsnummer is given to people not in the population register.
    if isinstance(case.person, Samordningsnummer):
        return fails()
    return None


# 3. No student finance in the year.
@RULE.condition(
    "no-student-finance",
    "No student finance received in the year.",
    cites=f"{SEED} ('vare sig haft studiemedel')",
    needs=(InformationSet.STUDENT_FINANCE,),
    holds=Says(
        "uvas.no-student-finance",
        "Har inte haft studiemedel under kalenderåret.",
        "Received no student finance during the calendar year.",
    ),
    fails=Says(
        "uvas.student-finance",
        "Har haft studiemedel under kalenderåret.",
        "Received student finance during the calendar year.",
    ),
)
def no_student_finance(case: Case, on: dt.date, p: Params) -> Finding | None:
    for item in settled(case.student_finance, InformationSet.STUDENT_FINANCE) or ():
        if item.year == on.year and item.received:
            return fails(year=on.year, amount_sek=item.amount_sek)
    return None


# 4. No studies in the year (the education registers; SFI is not study evidence).
@RULE.condition(
    "no-studies",
    "No studies in the year.",
    cites=f"{SEED} ('studerat'); {MUCF} ('inte finns i något utbildningsregister')",
    needs=(InformationSet.STUDIES,),
    holds=Says(
        "uvas.no-studies",
        "Har inte studerat under kalenderåret.",
        "Did not study during the calendar year.",
    ),
    fails=Says(
        "uvas.studies", "Har studerat under kalenderåret.", "Studied during the calendar year."
    ),
)
def no_studies(case: Case, on: dt.date, p: Params) -> Finding | None:
    for item in settled(case.studies, InformationSet.STUDIES) or ():
        if item.period.overlaps_year(on.year):
            return fails(studies=item.period, source=item.source)
    return None


# 5. Income in the year not above that year's prisbasbelopp.
def _income_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    facts: list[Fact] = [("year", on.year), ("prisbasbelopp", p.prisbasbelopp)]
    answer = case.income
    if answer.is_decided:
        facts.append(
            ("income_sek", sum(i.amount_sek for i in answer.value or () if i.year == on.year))
        )
    return tuple(facts)


@RULE.condition(
    "income",
    "Income in the year not above that year's prisbasbelopp.",
    cites=f"{SEED} ('inkomst över ett prisbasbelopp under kalenderåret')",
    needs=(InformationSet.INCOME,),
    holds=Says(
        "uvas.income.not-above-prisbasbelopp",
        "Inkomsten under kalenderåret är inte över ett prisbasbelopp.",
        "Income in the calendar year is not above one prisbasbelopp.",
    ),
    fails=Says(
        "uvas.income.above-prisbasbelopp",
        lambda f, p: (
            (
                f"Inkomsten {f.year} är {f.income_sek} kr, över ett prisbasbelopp "
                f"({f.prisbasbelopp} kr)."
            ),
            (
                f"Income in {f.year} is SEK {f.income_sek}, above one prisbasbelopp "
                f"(SEK {f.prisbasbelopp})."
            ),
        ),
    ),
    shows=_income_shown,
)
def income(case: Case, on: dt.date, p: Params) -> Finding | None:
    # One income item per source: the year's items are added up.
    items = settled(case.income, InformationSet.INCOME) or ()
    total = sum(item.amount_sek for item in items if item.year == on.year)
    if total <= p.prisbasbelopp:
        return None
    return fails(year=on.year, income_sek=total, prisbasbelopp=p.prisbasbelopp)


# 6. At most the limit of SFI hours in the year.
@RULE.condition(
    "sfi-hours",
    "At most the limit of SFI hours in the year.",
    cites=f"{MUCF} ('högst 60 timmar SFI')",
    needs=(InformationSet.SFI_HOURS,),
    holds=Says(
        "uvas.sfi-hours.within-limit",
        "Har inte fler timmar SFI under kalenderåret än gränsen (uvas.sfi_hours_max).",
        "Has no more hours of SFI in the calendar year than the limit (uvas.sfi_hours_max).",
    ),
    fails=Says(
        "uvas.sfi-hours.above-limit",
        lambda f, p: (
            (
                f"Har {f.sfi_hours} timmar SFI under {f.year}, fler än gränsen "
                f"{f.sfi_hours_max} timmar."
            ),
            (
                f"Has {f.sfi_hours} hours of SFI in {f.year}, more than the limit of "
                f"{f.sfi_hours_max}."
            ),
        ),
    ),
)
def sfi_hours(case: Case, on: dt.date, p: Params) -> Finding | None:
    items = settled(case.sfi_hours, InformationSet.SFI_HOURS) or ()
    hours = sum(item.hours for item in items if item.year == on.year)
    if hours <= p.sfi_hours_max:
        return None
    return fails(year=on.year, sfi_hours=hours, sfi_hours_max=p.sfi_hours_max)


# 7. The whole calendar year: before 31 December, the facts so far (a warning).
@RULE.condition(
    "year-over",
    "The calendar year is over (otherwise a warning: the facts so far).",
    cites=f"{SEED} ('utgår från ett helt kalenderår')",
    holds=Says(
        "uvas.year-over",
        "Kalenderåret är slut (bedömningen gäller hela året).",
        "The calendar year is over (the assessment covers the whole year).",
    ),
    warns=Says(
        "uvas.year-not-over",
        "Kalenderåret är inte slut: bedömningen bygger på uppgifterna hittills.",
        "The calendar year is not over: the assessment rests on the facts so far.",
    ),
)
def year_over(case: Case, on: dt.date, p: Params) -> Finding | None:
    if on.month == 12 and on.day == 31:
        return None
    return warns(year=on.year, on=on)


register_rule(RULE)
