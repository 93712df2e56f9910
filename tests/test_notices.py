"""Notices: what a case needs attention for on a date (issue 15, points 7 and 8).

The boundaries of each built-in check are data-file cases (tests/rules/cases/
kaa-first-contact.toml and skat15-transition.toml); here: the API, and the invariants of
the KAA first-contact deadline over generated entries (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_model.calendar import SWEDEN, Extent, Period
from ssbx_model.case import Case
from ssbx_model.errors import RuleError, UnknownRuleError
from ssbx_model.information import Answer, InformationSet
from ssbx_model.information.enrolment import ApplicantCategorySpell, Enrolment
from ssbx_model.information.kaa import KaaEntryReason, KaaRegisterEntry
from ssbx_model.rules import CaseNotice, NoticeKind, find_notices
from ssbx_model.rules.notices import (
    NoticeCheck,
    notice_checks,
    register_notice_check,
    unregister_notice_check,
)
from ssbx_model.rules.testcases import build_case
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 9, 10)


def kaa_case(**entry: object) -> Case:
    return build_case(
        {"birth": dt.date(2007, 3, 15), "schooling": {"compulsory": True}, "kaa_register": entry},
        ON,
    )


def test_the_built_in_checks_are_registered_with_their_citations() -> None:
    checks = {c.id: c for c in notice_checks()}
    assert set(checks) >= {"kaa-first-contact", "skat15-transition"}
    for check in checks.values():
        assert check.citation.strip()
        assert check.source_text.strip()
        assert "seeds/" not in check.citation
    assert checks["kaa-first-contact"].parameters == ("kaa.first_contact_working_days",)


def test_a_late_contact_is_dated_by_the_deadline_and_explained_from_the_dates() -> None:
    case = kaa_case(entered=dt.date(2024, 8, 30), contacted=dt.date(2024, 9, 3))
    found = find_notices(case, ON, checks=["kaa-first-contact"])
    (notice,) = found.notices
    assert notice.code == "kaa.first-contact.late"
    assert notice.kind is NoticeKind.MISSED
    assert notice.date == dt.date(2024, 9, 2)  # Friday + 1 working day = Monday
    assert "2024-09-03" in notice.message_sv
    assert "2024-09-02" in notice.message_sv
    assert "2 arbetsdagar" in notice.message_sv
    assert "2 working days" in notice.message_en
    assert ("working_days_taken", 2) in notice.facts
    assert "Trelleborgs kommun" in notice.citation
    assert found.unchecked == ()
    assert found.missing == ()


def test_the_text_follows_a_what_if_deadline() -> None:
    case = kaa_case(entered=dt.date(2024, 8, 21))
    (notice,) = find_notices(
        case,
        dt.date(2024, 8, 22),
        {"kaa.first_contact_working_days": 3},
        checks=["kaa-first-contact"],
    ).notices
    assert notice.code == "kaa.first-contact.due"
    assert notice.date == dt.date(2024, 8, 26)
    assert "inom 3 arbetsdagar" in notice.message_sv
    assert "within 3 working days" in notice.message_en


def test_an_undecided_register_is_reported_as_unchecked_with_the_set() -> None:
    case = attrs.evolve(kaa_case(entered=dt.date(2024, 8, 21)), kaa_register=Answer.withheld("x"))
    found = find_notices(case, ON, checks=["kaa-first-contact"])
    assert found.notices == ()
    assert [r.code for r in found.unchecked] == ["kaa-first-contact.missing.kaa_register"]
    assert found.missing == (InformationSet.KAA_REGISTER,)


def test_notices_serialise_without_the_identity_number() -> None:
    case = kaa_case(entered=dt.date(2024, 8, 21))
    found = find_notices(case, ON)
    document = json.loads(json.dumps(found.to_json()))
    assert document["subject"] == str(case.person)
    assert case.person.reveal() not in json.dumps(document)
    assert document["notices"][0]["code"] == "kaa.first-contact.missed"
    assert document["notices"][0]["date"] == "2024-08-22"


def test_bad_calls_are_typed_errors() -> None:
    case = kaa_case(entered=dt.date(2024, 8, 21))
    with pytest.raises(RuleError, match=r"datetime\.date"):
        find_notices(case, dt.datetime(2024, 9, 10, 12, 0))  # type: ignore[arg-type]
    with pytest.raises(UnknownRuleError, match="kaa-first-contact"):
        find_notices(case, ON, checks=["kaa-first-kontakt"])
    with pytest.raises(RuleError, match=r"kaa\.first_contact_working_days"):
        find_notices(case, ON, {"kaa.first_contact_working_days": "one"})


def test_a_vendor_registers_its_own_check() -> None:
    def find(case: Case, on: dt.date, params: object) -> tuple[CaseNotice, ...]:
        return (
            CaseNotice("vendor.ping", "vendor-ping", NoticeKind.ACTION, on, "Ping.", "Ping.", "X"),
        )

    check = NoticeCheck("vendor-ping", "Ping", "Ping", "Text.", "Vendor", (), (), find)
    register_notice_check(check)
    try:
        with pytest.raises(RuleError, match="registered already"):
            register_notice_check(check)
        found = find_notices(kaa_case(entered=dt.date(2024, 8, 21)), ON)
        assert "vendor.ping" in found.codes()
    finally:
        unregister_notice_check("vendor-ping")
    with pytest.raises(RuleError, match=r"parameter"):
        register_notice_check(attrs.evolve(check, parameters=("no.such.parameter",)))
    with pytest.raises(RuleError, match="citation"):
        register_notice_check(attrs.evolve(check, citation=" "))


# -- the first-contact deadline over generated entries ------------------------------------


@st.composite
def entries_and_dates(draw: st.DrawFn) -> tuple[KaaRegisterEntry, dt.date, int]:
    entered = draw(st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))
    contacted = draw(st.none() | st.dates(entered, entered + dt.timedelta(days=20)))
    closed = draw(st.none() | st.dates(entered, entered + dt.timedelta(days=20)))
    on = draw(st.dates(entered - dt.timedelta(days=3), entered + dt.timedelta(days=30)))
    days = draw(st.integers(0, 5))
    entry = KaaRegisterEntry(
        entered, KaaEntryReason.LEFT_SCHOOL, contacted, closed, None if closed is None else "x"
    )
    return entry, on, days


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(data=entries_and_dates())
def test_the_first_contact_notice_follows_the_recorded_dates(
    data: tuple[KaaRegisterEntry, dt.date, int],
) -> None:
    entry, on, days = data
    case = attrs.evolve(kaa_case(entered=entry.entered_on), kaa_register=Answer.known(entry))
    found = find_notices(
        case, on, {"kaa.first_contact_working_days": days}, checks=["kaa-first-contact"]
    )
    deadline = SWEDEN.add_working_days(entry.entered_on, days)
    assert SWEDEN.is_working_day(deadline)
    if days:
        assert SWEDEN.working_days_between(entry.entered_on, deadline) == days
    contacted = entry.contacted_on if entry.contacted_on and entry.contacted_on <= on else None
    codes = found.codes()
    assert len(codes) <= 1
    if on < entry.entered_on or (contacted is not None and contacted <= deadline):
        assert codes == ()
        return
    if contacted is not None:
        assert codes == ("kaa.first-contact.late",)
    elif codes:
        assert codes == (
            ("kaa.first-contact.due",) if on <= deadline else ("kaa.first-contact.missed",)
        )
    else:  # nothing without a contact: only when the entry closed by the deadline
        assert entry.closed_on is not None
        assert entry.closed_on <= min(on, deadline)
    for notice in found.notices:
        assert notice.date == deadline
        assert deadline.isoformat() in notice.message_sv
        assert deadline.isoformat() in notice.message_en


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(data=entries_and_dates())
def test_facts_dated_after_the_reference_date_change_no_notice(
    data: tuple[KaaRegisterEntry, dt.date, int],
) -> None:
    entry, on, _ = data
    later = on + dt.timedelta(days=1)
    future = attrs.evolve(
        entry,
        contacted_on=max(later, entry.entered_on),
        closed_on=None,
        close_reason=None,
    )
    unknown_yet = attrs.evolve(entry, contacted_on=None, closed_on=None, close_reason=None)
    base = kaa_case(entered=entry.entered_on)
    one = find_notices(attrs.evolve(base, kaa_register=Answer.known(future)), on)
    other = find_notices(attrs.evolve(base, kaa_register=Answer.known(unknown_yet)), on)
    assert one.codes() == other.codes()


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_notice_of_a_generated_case_is_dated_coded_cited_and_masked(
    data: st.DataObject,
) -> None:
    on = data.draw(st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)))
    case = data.draw(ss.cases(on))
    found = find_notices(case, on)
    for notice in found.notices:
        assert notice.code.split(".")[0] in {"kaa", "skat15", "af"}
        assert notice.message_sv.strip()
        assert notice.message_en.strip()
        assert "seeds/" not in notice.citation
        assert case.person.reveal() not in json.dumps(notice.to_json())
    for reason in found.unchecked:
        assert reason.code.split(".missing.")[1] in {m.value for m in found.missing}


def test_an_enrolment_without_its_category_leaves_the_transition_unchecked() -> None:
    # Enrolment stated by its registration date alone: category 15 is neither known nor
    # ruled out, so the transition check names the enrolment instead of staying silent.
    case = attrs.evolve(
        build_case({"birth": dt.date(2005, 3, 1), "programs": []}, ON),
        enrolment=Answer.known(Enrolment(dt.date(2024, 2, 1))),
    )
    found = find_notices(case, ON, checks=["skat15-transition"])
    assert found.notices == ()
    assert [r.code for r in found.unchecked] == ["skat15-transition.applicant-category-not-stated"]
    assert found.missing == (InformationSet.ENROLMENT,)
    # The same enrolment with its category stated settles it: no longer unchecked.
    spell = ApplicantCategorySpell(
        "11", "öppet arbetslös", Extent(100), Period(dt.date(2024, 2, 1), None)
    )
    stated = attrs.evolve(case, enrolment=Answer.known(Enrolment(dt.date(2024, 2, 1), (spell,))))
    assert find_notices(stated, ON, checks=["skat15-transition"]).unchecked == ()
