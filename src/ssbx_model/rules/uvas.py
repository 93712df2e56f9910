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
import functools

from ssbx_model.case import Case
from ssbx_model.identity import Samordningsnummer
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._legacy import (
    age_band,
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
from ssbx_model.rules.parameters import ParameterView

__all__ = ["RULE"]

RULE_ID = "uvas"
SEED = "Sambruk, UKA-projektet, 'Analysmodellen UVAS'"
MUCF = "MUCF, definition of UVAS (unga som varken arbetar eller studerar)"
CITATION = f"{SEED}; {MUCF}"
SOURCE_TEXT = (
    "UVAS utgår från ett helt kalenderår och fångar upp unga som vare sig haft studiemedel, "
    "studerat eller haft en inkomst över ett prisbasbelopp under kalenderåret."
)

_C_AGE = f"{MUCF} (16-29 år); Sambruk, UKA-projektet ('ungdomsgruppen 16–25 år')"
_C_REG = f"{MUCF} ('folkbokförda i Sverige')"
_C_CSN = f"{SEED} ('vare sig haft studiemedel')"
_C_STUDIES = f"{SEED} ('studerat'); {MUCF} ('inte finns i något utbildningsregister')"
_C_INCOME = f"{SEED} ('inkomst över ett prisbasbelopp under kalenderåret')"
_C_SFI = f"{MUCF} ('högst 60 timmar SFI')"

H, F = ReasonKind.HOLDS, ReasonKind.FAILS
AGE_OK = Reason(
    "uvas.age.in-band",
    H,
    "Är i åldersgruppen under kalenderåret.",
    "Is in the age band during the calendar year.",
    _C_AGE,
)
AGE_OUT = Reason(
    "uvas.age.outside-band",
    F,
    "Är inte i åldersgruppen under kalenderåret.",
    "Is not in the age band during the calendar year.",
    _C_AGE,
)
REGISTERED = Reason(
    "uvas.registered-in-sweden",
    H,
    "Är folkbokförd i Sverige (har personnummer).",
    "Is registered in Sweden (has a personnummer).",
    _C_REG,
)
NOT_REGISTERED = Reason(
    "uvas.not-registered-in-sweden",
    F,
    "Har samordningsnummer och är alltså inte folkbokförd i Sverige.",
    "Has a samordningsnummer, so is not registered in the population register.",
    _C_REG,
)
NO_CSN = Reason(
    "uvas.no-student-finance",
    H,
    "Har inte haft studiemedel under kalenderåret.",
    "Received no student finance during the calendar year.",
    _C_CSN,
)
CSN = Reason(
    "uvas.student-finance",
    F,
    "Har haft studiemedel under kalenderåret.",
    "Received student finance during the calendar year.",
    _C_CSN,
)
NO_STUDIES = Reason(
    "uvas.no-studies",
    H,
    "Har inte studerat under kalenderåret.",
    "Did not study during the calendar year.",
    _C_STUDIES,
)
STUDIES = Reason(
    "uvas.studies",
    F,
    "Har studerat under kalenderåret.",
    "Studied during the calendar year.",
    _C_STUDIES,
)
LOW_INCOME = Reason(
    "uvas.income.not-above-prisbasbelopp",
    H,
    "Inkomsten under kalenderåret är inte över ett prisbasbelopp.",
    "Income in the calendar year is not above one prisbasbelopp.",
    _C_INCOME,
)
HIGH_INCOME = Reason(
    "uvas.income.above-prisbasbelopp",
    F,
    "Inkomsten under kalenderåret är över ett prisbasbelopp.",
    "Income in the calendar year is above one prisbasbelopp.",
    _C_INCOME,
)
SFI_OK = Reason(
    "uvas.sfi-hours.within-limit",
    H,
    "Har inte fler timmar SFI under kalenderåret än gränsen (uvas.sfi_hours_max).",
    "Has no more hours of SFI in the calendar year than the limit (uvas.sfi_hours_max).",
    _C_SFI,
)
SFI_OVER = Reason(
    "uvas.sfi-hours.above-limit",
    F,
    "Har fler timmar SFI under kalenderåret än gränsen.",
    "Has more hours of SFI in the calendar year than the limit.",
    _C_SFI,
)
YEAR_NOT_OVER = Reason(
    "uvas.year-not-over",
    ReasonKind.WARNING,
    "Kalenderåret är inte slut: bedömningen bygger på uppgifterna hittills.",
    "The calendar year is not over: the assessment rests on the facts so far.",
    f"{SEED} ('utgår från ett helt kalenderår')",
)


_U_STUDENT_FINANCE = unknowns(RULE_ID, InformationSet.STUDENT_FINANCE, _C_CSN)
_U_STUDIES = unknowns(RULE_ID, InformationSet.STUDIES, _C_STUDIES)
_U_INCOME = unknowns(RULE_ID, InformationSet.INCOME, _C_INCOME)
_U_SFI_HOURS = unknowns(RULE_ID, InformationSet.SFI_HOURS, _C_SFI)


@functools.cache
def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _age_in_band(p: ParameterView) -> Reason:
    low, high = p["uvas.age.min"], p["uvas.age.max"]
    return AGE_OK._replace(
        message_sv=f"Fyller {low}-{high} år under kalenderåret.",
        message_en=f"Is aged {low}-{high} during the calendar year.",
        facts=(("age_min", low), ("age_max", high)),
    )


def _age_outside_band(age: int, on: dt.date, p: ParameterView) -> Reason:
    low, high = p["uvas.age.min"], p["uvas.age.max"]
    return AGE_OUT._replace(
        message_sv=f"Fyller {age} år under {on.year}, inte {low}-{high} år.",
        message_en=f"Turns {age} in {on.year}, not {low}-{high}.",
        facts=(("age_in_year", age), ("year", on.year), ("age_min", low), ("age_max", high)),
    )


_age = age_band(
    lambda p: int(p["uvas.age.min"]),
    lambda p: int(p["uvas.age.max"]),
    _age_outside_band,
    holds=_age_in_band,
    in_year=True,
)


def _age_facts(case: Case, on: dt.date, p: ParameterView) -> tuple[Fact, ...]:
    return (("age_in_year", on.year - case.person.birth_date.year), ("year", on.year))


def _registered(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    if isinstance(case.person, Samordningsnummer):
        return NOT_REGISTERED
    return None


def _student_finance(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.student_finance
    if answer.status not in DECIDED:
        return _U_STUDENT_FINANCE[answer.status]
    year = on.year
    for item in answer.value or ():
        if item.year == year and item.received:
            return CSN.with_facts(("year", year), ("amount_sek", item.amount_sek))
    return None


def _studies(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.studies
    if answer.status not in DECIDED:
        return _U_STUDIES[answer.status]
    items = answer.value
    if not items:
        return None
    first, last = _year_bounds(on.year)
    for item in items:
        period = item.period
        if period.start <= last and (period.end is None or period.end >= first):
            return STUDIES.with_facts(("studies", period), ("source", item.source))
    return None


def _income(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.income
    if answer.status not in DECIDED:
        return _U_INCOME[answer.status]
    year = on.year
    total = sum(item.amount_sek for item in (answer.value or ()) if item.year == year)
    limit = int(p["prisbasbelopp"])
    if total <= limit:
        return None
    return HIGH_INCOME._replace(
        message_sv=f"Inkomsten {year} är {total} kr, över ett prisbasbelopp ({limit} kr).",
        message_en=f"Income in {year} is SEK {total}, above one prisbasbelopp (SEK {limit}).",
        facts=(("year", year), ("income_sek", total), ("prisbasbelopp", limit)),
    )


def _income_facts(case: Case, on: dt.date, p: ParameterView) -> tuple[Fact, ...]:
    facts: list[Fact] = [("year", on.year), ("prisbasbelopp", p["prisbasbelopp"])]
    if case.income.status in DECIDED:
        total = sum(i.amount_sek for i in (case.income.value or ()) if i.year == on.year)
        facts.append(("income_sek", total))
    return tuple(facts)


def _sfi(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.sfi_hours
    if answer.status not in DECIDED:
        return _U_SFI_HOURS[answer.status]
    year = on.year
    hours = sum(item.hours for item in (answer.value or ()) if item.year == year)
    limit = int(p["uvas.sfi_hours_max"])
    if hours <= limit:
        return None
    return SFI_OVER._replace(
        message_sv=f"Har {hours} timmar SFI under {year}, fler än gränsen {limit} timmar.",
        message_en=f"Has {hours} hours of SFI in {year}, more than the limit of {limit}.",
        facts=(("year", year), ("sfi_hours", hours), ("sfi_hours_max", limit)),
    )


_NOT_OVER: dict[dt.date, Reason] = {}


def _year_over(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    if on.month == 12 and on.day == 31:
        return None
    # The warning depends on the date only: built once per date.
    warning = _NOT_OVER.get(on)
    if warning is None:
        if len(_NOT_OVER) > 4096:
            _NOT_OVER.clear()
        warning = _NOT_OVER[on] = YEAR_NOT_OVER.with_facts(("year", on.year), ("on", on))
    return warning


_YEAR_OVER = Reason(
    "uvas.year-over",
    H,
    "Kalenderåret är slut (bedömningen gäller hela året).",
    "The calendar year is over (the assessment covers the whole year).",
    YEAR_NOT_OVER.citation,
)

RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="1",
        title_en="Young people who neither work nor study (UVAS), per calendar year",
        title_sv="Unga som varken arbetar eller studerar (UVAS), per kalenderår",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=("uvas.age.min", "uvas.age.max", "uvas.sfi_hours_max", "prisbasbelopp"),
        needs=(
            InformationSet.STUDENT_FINANCE,
            InformationSet.STUDIES,
            InformationSet.INCOME,
            InformationSet.SFI_HOURS,
        ),
        first_failure_decides=True,
        conditions=(
            Condition(
                "age",
                "Age reached during the year within the band.",
                _C_AGE,
                _age,
                AGE_OK,
                _age_facts,
            ),
            Condition(
                "registered-in-sweden",
                "Registered in the population register (has a personnummer).",
                _C_REG,
                _registered,
                REGISTERED,
            ),
            Condition(
                "no-student-finance",
                "No student finance received in the year.",
                _C_CSN,
                _student_finance,
                NO_CSN,
                answer_facts(InformationSet.STUDENT_FINANCE),
            ),
            Condition(
                "no-studies",
                "No studies in the year.",
                _C_STUDIES,
                _studies,
                NO_STUDIES,
                answer_facts(InformationSet.STUDIES),
            ),
            Condition(
                "income",
                "Income in the year not above that year's prisbasbelopp.",
                _C_INCOME,
                _income,
                LOW_INCOME,
                _income_facts,
            ),
            Condition(
                "sfi-hours",
                "At most the limit of SFI hours in the year.",
                _C_SFI,
                _sfi,
                SFI_OK,
                answer_facts(InformationSet.SFI_HOURS),
            ),
            Condition(
                "year-over",
                "The calendar year is over (otherwise a warning: the facts so far).",
                YEAR_NOT_OVER.citation,
                _year_over,
                _YEAR_OVER,
            ),
        ),
    )
)
