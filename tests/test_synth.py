"""The synthetic municipality: deterministic, fictitious, and shaped like the seeds."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information import AnswerStatus
from ssbx_model.synth import LOCAL_ACTIVITIES, TEST_SERIALS, generate

ON = dt.date(2026, 11, 25)


def test_same_arguments_give_the_same_municipality() -> None:
    first = generate(persons=300, seed=7, on=ON)
    again = generate(persons=300, seed=7, on=ON)
    other = generate(persons=300, seed=8, on=ON)
    assert first.cases == again.cases
    assert first.cases != other.cases


def test_every_identity_number_is_a_test_number_and_unique() -> None:
    municipality = generate(persons=1000, seed=3, on=ON)
    people = [case.person for case in municipality.cases]
    assert len(set(people)) == len(people)
    for person in people:
        assert isinstance(person, (Personnummer, Samordningsnummer))
        serial = int(person.reveal()[9:12])
        assert serial in TEST_SERIALS


def test_profiles_add_up_to_the_requested_number_of_people() -> None:
    municipality = generate(persons=257, seed=1, on=ON)
    assert sum(municipality.profiles.values()) == 257 == len(municipality.cases)


def test_kaa_register_holds_young_people_many_of_whom_study_or_work() -> None:
    municipality = generate(persons=1000, seed=2, on=ON)
    register = [c for c in municipality.cases if c.kaa_register.status is AnswerStatus.KNOWN]
    assert 200 <= len(register) <= 400
    busy = [
        c
        for c in register
        if c.studies.status is AnswerStatus.KNOWN or c.employment.status is AnswerStatus.KNOWN
    ]
    # The IKE problem: a large share of the register actually studies or works.
    assert 0.2 < len(busy) / len(register) < 0.6
    assert all(c.person.age_on(ON) <= 20 for c in register)


def test_activity_support_is_withdrawn_only_for_reasons_of_table_3() -> None:
    municipality = generate(persons=800, seed=5, on=ON)
    reasons = {
        support.withdrawal.reason
        for c in municipality.cases
        if c.activity_supports.status is AnswerStatus.KNOWN
        for support in c.activity_supports.items()
        if support.withdrawal is not None
    }
    assert reasons  # some withdrawals exist
    assert reasons <= {
        "activity-report-late",
        "missed-meetings",
        "unavailable-for-calls",
        "absent-from-activities",
        "not-applying-assigned",
        "not-seeking-work",
    }


def test_every_local_activity_name_is_in_the_inuk_mapping() -> None:
    municipality = generate(persons=500, seed=9, on=ON)
    names = {i.local_name for c in municipality.cases for i in c.interventions}
    assert names <= set(municipality.inuk_mapping)
    assert set(municipality.inuk_mapping) == set(LOCAL_ACTIVITIES)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    on=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    persons=st.integers(0, 40),
)
def test_any_seed_and_date_give_valid_cases(seed: int, on: dt.date, persons: int) -> None:
    municipality = generate(persons=persons, seed=seed, on=on)
    assert len(municipality.cases) == persons
    for case in municipality.cases:
        assert case.municipality == "1287"
        assert str(case.person).endswith("-****")
