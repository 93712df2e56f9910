"""Small, deterministic builders of valid model values for example-based tests.

Where :mod:`ssbx_model.testing.strategies` explores, these write one readable case::

    from datetime import date
    from ssbx_model.testing import factories as f

    case = f.young_person_case(on=date(2024, 3, 15), age=19, applicant_category="15")
    case.enrolment.value.applicant_category_on(date(2024, 3, 15))   # '15'

Every builder takes the reference date ``on`` (never the wall clock) and keyword options
with sensible defaults; anything not given is the plainest valid choice. Identity numbers
use the serials 980-999, which the synthetic data of this library also uses for
fictitious people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Personnummer
from ssbx_model.information import (
    Activity,
    Answer,
    ApplicantCategorySpell,
    Consent,
    ConsentChannel,
    ConsentKind,
    Deregistration,
    Enrolment,
    InterventionStatus,
    MunicipalIntervention,
    ProgramDecision,
    Provenance,
    Provider,
)
from ssbx_model.purpose import Purpose

__all__ = [
    "consent",
    "enrolment",
    "municipal_intervention",
    "person",
    "program_decision",
    "provenance",
    "young_person_case",
]

_AF = "Arbetsförmedlingen"


def person(*, age: int, on: dt.date, serial: int = 982) -> Personnummer:
    """A fictitious personnummer of someone ``age`` years old on ``on`` (born on the same
    day and month as ``on``, ``age`` years earlier; 1 March for 29 February)."""
    born = on - relativedelta(years=age)
    return Personnummer.from_birth_date(born, serial)


def provenance(on: dt.date, provider: str = _AF, schema_version: str = "1.0") -> Provenance:
    """A provenance fetched at 09:00 UTC on ``on``."""
    fetched = dt.datetime.combine(on, dt.time(9, 0), dt.UTC)
    return Provenance(provider, schema_version, fetched)


def enrolment(
    registered_on: dt.date,
    *,
    applicant_category: str = "11",
    enrolment_type: str = "öppet arbetslös",
    extent: int = 100,
    deregistered_on: dt.date | None = None,
    deregistration_reason: str = "own-request",
) -> Enrolment:
    """An enrolment with one spell from ``registered_on``, open unless deregistered."""
    end = deregistered_on
    spell = ApplicantCategorySpell(
        applicant_category, enrolment_type, Extent(extent), Period(registered_on, end)
    )
    deregistration = (
        Deregistration(deregistered_on, deregistration_reason)
        if deregistered_on is not None
        else None
    )
    return Enrolment(registered_on, (spell,), deregistration)


def program_decision(
    start: dt.date,
    *,
    program: str = "PRAKTIK",
    days: int = 90,
    extent: int = 100,
    activity_extent: int | None = None,
    decision_id: str = "PB-1",
) -> ProgramDecision:
    """A decision made on ``start`` for ``days`` days with one activity filling it."""
    period = Period(start, start + dt.timedelta(days=days - 1))
    activity = Activity(
        "Arbetspraktik" if program == "PRAKTIK" else "Jobbsökaraktivitet",
        period,
        Extent(activity_extent if activity_extent is not None else extent),
        ("Delta i alla schemalagda aktiviteter",),
    )
    return ProgramDecision(decision_id, program, start, period, Extent(extent), (activity,))


def consent(
    given_on: dt.date,
    *,
    kind: ConsentKind = ConsentKind.AF_DISCLOSURE,
    months: int = 6,
    scope: tuple[Purpose, ...] = (Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET),
    given: bool = True,
) -> Consent:
    """A consent valid ``months`` months from ``given_on`` (usually 6), registered that day;
    with ``given=False`` a refusal made that day, which has no end."""
    channel = {
        ConsentKind.AF_DISCLOSURE: ConsentChannel.POST_TO_AF_ARCHIVE,
        ConsentKind.MUNICIPAL_E_SERVICE: ConsentChannel.E_SERVICE,
        ConsentKind.DUA_INFORMATION_EXCHANGE: ConsentChannel.IN_PERSON,
    }[kind]
    end = given_on + relativedelta(months=months) - dt.timedelta(days=1) if given else None
    return Consent(kind, given, scope, Period(given_on, end), channel, registered_on=given_on)


def municipal_intervention(
    start: dt.date,
    *,
    on: dt.date,
    days: int = 90,
    intervention_type: str = "arbetstraning",
    local_name: str = "Arbetsträning Verkstan",
    extent: int = 50,
    intervention_id: str = "INS-1",
    inuk_category: str | None = "arbetstraning",
    result: str | None = None,
) -> MunicipalIntervention:
    """An intervention of ``days`` days from ``start``; its status agrees with ``on``.

    ``result`` (an ``intervention-result`` code) is for an intervention that ended
    before ``on``."""
    end = start + dt.timedelta(days=days - 1)
    period = Period(start, end)
    if start > on:
        status = InterventionStatus.PLANNED
    elif end < on:
        status = InterventionStatus.ENDED
    else:
        status = InterventionStatus.ONGOING
    return MunicipalIntervention(
        intervention_id=intervention_id,
        local_name=local_name,
        intervention_type=intervention_type,
        period=period,
        extent=Extent(extent),
        provider=Provider("Kommunens arbetsmarknadsenhet"),
        status=status,
        inuk_category=inuk_category,
        result=result,
    )


def young_person_case(
    *,
    on: dt.date,
    age: int = 19,
    municipality: str = "1287",
    registered_at_af: bool = True,
    applicant_category: str = "15",
    consent_given: bool = True,
    program_decisions: tuple[ProgramDecision, ...] = (),
    interventions: int = 1,
    **answers: Answer[Any],
) -> Case:
    """A young person's case as known on ``on``: registered at AF for 90 days (or not
    found there), a Dua consent given 30 days ago, the given program decisions (absent
    when none) and ``interventions`` ongoing municipal interventions.

    Further answers are passed by Case field name, e.g. ``schooling=Answer.known(...)``.
    """
    af = provenance(on)
    registered = on - dt.timedelta(days=90)
    fields: dict[str, Any] = {
        "enrolment": (
            Answer.known(enrolment(registered, applicant_category=applicant_category), af)
            if registered_at_af
            else Answer.not_found(af)
        ),
        "consents": Answer.known(
            (
                consent(
                    on - dt.timedelta(days=30),
                    kind=ConsentKind.DUA_INFORMATION_EXCHANGE,
                    given=consent_given,
                ),
            ),
            af,
        ),
        "program_decisions": (
            Answer.known(program_decisions, af) if program_decisions else Answer.absent(af)
        ),
    }
    fields.update(answers)
    started = on - dt.timedelta(days=30)
    items = tuple(
        municipal_intervention(started, on=on, intervention_id=f"INS-{i + 1}")
        for i in range(interventions)
    )
    return Case(person(age=age, on=on), municipality, interventions=items, **fields)
