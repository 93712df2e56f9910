"""Small, readable factories for the report tests (fictitious people, one municipality)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from ssbx_model import codes
from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Personnummer
from ssbx_model.information._base import Answer, Provider
from ssbx_model.information.enrolment import ApplicantCategorySpell, Enrolment
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.kaa import KaaEntryReason, KaaRegisterEntry
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.testing import strategies as ss

HERE = "1287"
KEY = b"a test key of 32 bytes, not used"
PSEUDONYMIZER = Pseudonymizer(KEY)

_serials = iter(range(10, 990))


def person(born: dt.date, *, female: bool = True) -> Personnummer:
    """A fictitious personnummer; the serial's last digit decides the legal gender."""
    serial = next(_serials) * 10 % 1000 + (2 if female else 1)
    return Personnummer.from_birth_date(born, serial)


def intervention(
    ident: str,
    kind: str = "praktik",
    start: dt.date = dt.date(2024, 3, 1),
    end: dt.date | None = dt.date(2024, 5, 31),
    *,
    name: str | None = None,
    inuk_category: str | None = None,
    changed_at: dt.datetime | None = None,
    status: InterventionStatus = InterventionStatus.ONGOING,
    extent: int = 50,
    provider: str = "Arbetsmarknadsenheten",
    result: str | None = None,
) -> MunicipalIntervention:
    """A municipal intervention (ongoing by default; a ``result`` needs status ended)."""
    return MunicipalIntervention(
        intervention_id=ident,
        local_name=name or f"Lokal {kind}",
        intervention_type=kind,
        period=Period(start, end),
        extent=Extent(extent),
        provider=Provider(provider),
        status=status,
        inuk_category=inuk_category,
        changed_at=changed_at,
        result=result,
    )


def case(
    born: dt.date,
    *interventions: MunicipalIntervention,
    female: bool = True,
    municipality: str = HERE,
    reference: str | None = None,
    **answers: Any,
) -> Case:
    """A case of a person born on ``born`` with the given interventions and answers."""
    return Case(
        person=person(born, female=female),
        municipality=municipality,
        reference=reference,
        interventions=interventions,
        **answers,
    )


def enrolled(*spells: tuple[str, dt.date, dt.date | None]) -> Answer[Enrolment]:
    """A known enrolment at AF with (applicant category, from, to) spells."""
    return Answer.known(
        Enrolment(
            registered_on=spells[0][1],
            spells=tuple(
                ApplicantCategorySpell(category, "inskriven", Extent(100), Period(start, end))
                for category, start, end in spells
            ),
        )
    )


def kaa_entry(
    entered: dt.date, closed: dt.date | None = None, *, contacted: dt.date | None = None
) -> Answer[KaaRegisterEntry]:
    """A known KAA register entry."""
    return Answer.known(
        KaaRegisterEntry(
            entered_on=entered,
            reason=KaaEntryReason.LEFT_SCHOOL,
            contacted_on=contacted,
            closed_on=closed,
            close_reason="started studies" if closed else None,
        )
    )


# --------------------------------------------------------------------------------------
# Generated cases for the reports: the library's strategies, focused on one period
# --------------------------------------------------------------------------------------


@st.composite
def interventions_around(
    draw: st.DrawFn, window: Period, on: dt.date, ident: str
) -> MunicipalIntervention:
    """A municipal intervention near ``window`` (so most overlap it), status as of ``on``.

    Any intervention type, open-ended one time in eight, sometimes changed after ``on``
    (a late change), with or without its own INUK category; an ended one with or without
    its result.
    """
    assert window.end is not None
    period = draw(
        ss.periods(
            window.start - dt.timedelta(days=120), window.end + dt.timedelta(days=20), max_days=200
        )
    )
    if draw(st.integers(0, 7)) == 0:
        period = Period(period.start, None)
    if period.start > on:
        status = InterventionStatus.PLANNED
    elif period.end is not None and period.end < on:
        status = InterventionStatus.ENDED
    else:
        status = InterventionStatus.ONGOING
    kind = draw(ss.code_of(codes.INTERVENTION_TYPE, period.start))
    changed = dt.datetime.combine(on, dt.time(12), dt.UTC) + dt.timedelta(
        days=draw(st.integers(-60, 60))
    )
    return MunicipalIntervention(
        intervention_id=ident,
        local_name=draw(st.sampled_from(LOCAL_NAMES)),
        intervention_type=kind,
        period=period,
        extent=draw(ss.extents()),
        provider=draw(ss.providers()),
        status=status,
        inuk_category=draw(st.none() | ss.code_of(codes.INUK_CATEGORY)),
        changed_at=draw(st.none() | st.just(changed)),
        result=draw(st.none() | ss.code_of(codes.INTERVENTION_RESULT))
        if status is InterventionStatus.ENDED
        else None,
    )


LOCAL_NAMES = ("Jobbspåret", "Lokal praktik", "Studiecoachning", "Ungdomslyftet", "Feriepraktik")


@st.composite
def report_cases(
    draw: st.DrawFn,
    window: Period,
    on: dt.date,
    *,
    age_between: tuple[int, int] = (14, 27),
    enrolment: bool = False,
    kaa: bool = False,
    max_interventions: int = 3,
) -> Case:
    """A case in :data:`HERE` with interventions near ``window``; with ``enrolment`` an
    enrolment answer (category 15 half the time), with ``kaa`` a KAA register answer."""
    youngest, oldest = age_between
    born = (
        on - relativedelta(years=oldest + 1) + dt.timedelta(days=1),
        on - relativedelta(years=youngest),
    )
    someone = draw(ss.person_ids(born))
    count = draw(st.integers(0, max_interventions))
    interventions = tuple(
        draw(interventions_around(window, on, f"INS-{i + 1:03d}")) for i in range(count)
    )
    fields: dict[str, Any] = {}
    if enrolment:
        category = draw(st.sampled_from([None, "15", "15"]))
        fields["enrolment"] = draw(
            ss.answers(ss.enrolments(on, applicant_category=category), on=on)
        )
    if kaa:
        fields["kaa_register"] = draw(
            ss.answers(ss.kaa_register_entries(on, born=someone.birth_date), on=on)
        )
    return Case(
        person=someone,
        municipality=HERE,
        reference=draw(st.none() | st.integers(1, 999).map(lambda n: f"ÄR-{n:03d}")),
        interventions=interventions,
        **fields,
    )


def many(
    case_strategy: st.SearchStrategy[Case], max_size: int = 12
) -> st.SearchStrategy[list[Case]]:
    """Lists of cases of distinct people."""
    return st.lists(case_strategy, max_size=max_size, unique_by=lambda c: c.person)
