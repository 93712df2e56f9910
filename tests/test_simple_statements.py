"""Less invented data to say simple things (issue 18, point 9): an enrolment stated with
its registration date alone, and an intervention whose status cannot contradict its
dates."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model import Answer, Case, Extent, Period, Personnummer, ValidationError
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.information import (
    ApplicantCategorySpell,
    Enrolment,
    InterventionStatus,
    MunicipalIntervention,
    Provider,
)
from ssbx_model.testing import strategies

ON = dt.date(2024, 5, 15)
PERSON = Personnummer.from_birth_date(dt.date(2004, 3, 10), 982)


def test_a_known_enrolment_can_be_stated_with_its_registration_date_alone() -> None:
    enrolment = Enrolment(dt.date(2024, 2, 1))
    assert enrolment.spells == ()
    assert not enrolment.spells_stated
    assert enrolment.is_registered_on(ON)
    assert enrolment.registered_days_on(ON) == 105
    # The category is not known, not "none": the caller checks spells_stated.
    assert enrolment.applicant_category_on(ON) is None


def test_stated_spells_still_say_no_category_where_none_is_in_force() -> None:
    spell = ApplicantCategorySpell(
        "15", "öppet arbetslös", Extent(100), Period(dt.date(2024, 2, 1), dt.date(2024, 3, 31))
    )
    enrolment = Enrolment(dt.date(2024, 2, 1), (spell,))
    assert enrolment.spells_stated
    assert enrolment.applicant_category_on(dt.date(2024, 3, 31)) == "15"  # last day
    assert enrolment.applicant_category_on(dt.date(2024, 4, 1)) is None  # the day after


@pytest.mark.parametrize("codec", [cj, cx], ids=["json", "xml"])
def test_an_enrolment_without_spells_round_trips(codec: object) -> None:
    case = Case(PERSON, "1287", enrolment=Answer.known(Enrolment(dt.date(2024, 2, 1))))
    assert codec.loads(codec.dumps(case)) == case  # type: ignore[attr-defined]


def _intervention(status: InterventionStatus, start: dt.date, end: dt.date | None, **kw: object):  # type: ignore[no-untyped-def]
    return MunicipalIntervention(
        intervention_id="INS-1",
        local_name="Kompassen coachning",
        intervention_type="coachning",
        period=Period(start, end),
        extent=Extent(50),
        provider=Provider("Arbetsmarknadsenheten"),
        status=status,
        **kw,  # type: ignore[arg-type]
    )


PLAN, ON_, END = InterventionStatus.PLANNED, InterventionStatus.ONGOING, InterventionStatus.ENDED
APR1, SEP30 = dt.date(2024, 4, 1), dt.date(2024, 9, 30)
MAR31, SEP29, OCT1 = dt.date(2024, 3, 31), dt.date(2024, 9, 29), dt.date(2024, 10, 1)


@pytest.mark.parametrize(
    ("status", "start", "end", "as_of", "problem"),
    [
        # planned: may be stated on or after its planned first day (not begun yet) ...
        (PLAN, APR1, SEP30, MAR31, None),
        (PLAN, APR1, SEP30, APR1, None),
        (PLAN, APR1, SEP30, SEP30, None),  # its planned last day
        # ... but not after its planned end has passed
        (PLAN, APR1, SEP30, OCT1, "'planned' on 2024-10-01, but its period ended 2024-09-30"),
        # ongoing: from its first day to its last, open-ended too
        (ON_, APR1, SEP30, APR1, None),
        (ON_, APR1, SEP30, SEP30, None),
        (ON_, APR1, None, dt.date(2030, 1, 1), None),
        (ON_, APR1, SEP30, MAR31, "'ongoing' on 2024-03-31, but its period starts 2024-04-01"),
        (ON_, APR1, SEP30, OCT1, "'ongoing' on 2024-10-01, but its period ended 2024-09-30"),
        # ended: on its last day or after
        (END, APR1, SEP30, SEP30, None),
        (END, APR1, SEP30, OCT1, None),
        (END, APR1, SEP30, SEP29, "'ended' on 2024-09-29, but its period runs to 2024-09-30"),
        (END, APR1, APR1, MAR31, "'ended' on 2024-03-31, but its period starts 2024-04-01"),
        # month ends and a leap day
        (ON_, dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 2, 29), None),
        (END, dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 1), None),
        (ON_, dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 1),
         "'ongoing' on 2024-03-01, but its period ended 2024-02-29"),
    ],
)  # fmt: skip
def test_a_status_stated_for_a_day_must_agree_with_the_period_on_that_day(
    status: InterventionStatus,
    start: dt.date,
    end: dt.date | None,
    as_of: dt.date,
    problem: str | None,
) -> None:
    undated = _intervention(status, start, end)  # without a day, nothing to contradict
    assert undated.status_problem(as_of) == (problem and f"is {problem}")
    if problem is None:
        assert _intervention(status, start, end, status_as_of=as_of).status_as_of == as_of
        return
    with pytest.raises(ValidationError) as caught:
        _intervention(status, start, end, status_as_of=as_of)
    assert [(p.path, p.message) for p in caught.value.problems] == [("status", f"is {problem}")]


@given(st.data())
def test_the_kits_interventions_agree_with_their_day(data: st.DataObject) -> None:
    """Every generated intervention's status agrees with the day it was made for, so
    stating that day keeps it valid; moving the status to a day that contradicts it
    is refused."""
    on = data.draw(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
    intervention = data.draw(strategies.municipal_interventions(on))
    assert intervention.status_problem(on) is None
    dated = attrs.evolve(intervention, status_as_of=on)
    assert cj.loads(cj.dumps(Case(PERSON, "1287", interventions=(dated,)))).interventions == (
        dated,
    )
