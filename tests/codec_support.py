"""Hand-built cases and helpers for the codec tests."""

from __future__ import annotations

import datetime as dt
import json as stdjson
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information import (
    Activity,
    ActivityReport,
    ActivitySupport,
    ActivitySupportWithdrawal,
    AnnualIncome,
    Answer,
    ApplicantCategorySpell,
    BusinessActivity,
    Consent,
    ConsentChannel,
    ConsentKind,
    ContactDetails,
    Deregistration,
    EmployerCheck,
    Enrolment,
    InterventionStatus,
    MunicipalIntervention,
    Owner,
    PastEnrolment,
    ProgramDecision,
    Provenance,
    Provider,
    UnemploymentFundMembership,
)
from ssbx_model.purpose import Purpose

DATA = Path(__file__).resolve().parent / "data" / "codec"

PERSON = Personnummer.from_birth_date(dt.date(1990, 1, 1), 123)
"""A fictitious personnummer (19900101-1234 with its check digit)."""
COORDINATION = Samordningsnummer.from_birth_date(dt.date(2001, 5, 17), 42)
EMPLOYER = Organisationsnummer.parse("556036-0793")
SOLE_TRADER = Organisationsnummer.parse(
    PERSON.reveal()[2:], allow_sole_trader=True
)  # the person's own number as an organisation number
FETCHED = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
AF = Provenance("Arbetsförmedlingen", "2.1", FETCHED)


def minimal_case() -> Case:
    """A case that knows nothing: every set not requested."""
    return Case(person=PERSON, municipality="1287")


def rich_case() -> Case:
    """A case with many sets known, nested lists, optional fields and every answer kind."""
    spells = (
        ApplicantCategorySpell(
            "11", "öppet arbetslös", Extent(100), Period(dt.date(2023, 1, 10), dt.date(2023, 6, 30))
        ),
        ApplicantCategorySpell("15", "kommuninsats", Extent(50), Period(dt.date(2023, 7, 1))),
    )
    enrolment = Enrolment(
        dt.date(2023, 1, 10),
        spells,
        history=(PastEnrolment(Period(dt.date(2020, 2, 1), dt.date(2021, 3, 31)), "got-job"),),
    )
    consent = Consent(
        ConsentKind.AF_DISCLOSURE,
        True,
        (Purpose.SOCIAL_ASSISTANCE, Purpose.LABOUR_MARKET),
        Period(dt.date(2024, 1, 15), dt.date(2024, 7, 14)),
        ConsentChannel.POST_TO_AF_ARCHIVE,
        registered_on=dt.date(2024, 1, 15),
        reference="SAM-1001",
    )
    provider = Provider(
        "Jobbcentrum Syd AB",
        EMPLOYER,
        ContactDetails(name="Anna Lind", phone="040-123456", email="anna@example.se"),
    )
    decision = ProgramDecision(
        "PB-1",
        "JOB",
        dt.date(2024, 1, 20),
        Period(dt.date(2024, 2, 1), dt.date(2024, 12, 31)),
        Extent(100),
        (
            Activity(
                "Praktik på lager",
                Period(dt.date(2024, 2, 1), dt.date(2024, 4, 30)),
                Extent(50),
                ("Delta i alla schemalagda moment", "Rapportera frånvaro"),
                provider,
            ),
            Activity("Coachning", Period(dt.date(2024, 3, 1), dt.date(2024, 5, 31)), Extent(25)),
        ),
    )
    support = ActivitySupport(
        "activity-support",
        dt.date(2024, 2, 1),
        ActivitySupportWithdrawal(dt.date(2024, 3, 20), "activity-report-late", note="Sen"),
    )
    report = ActivityReport(
        Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31)), 6, dt.date(2024, 2, 5), True
    )
    check = EmployerCheck(
        EMPLOYER,
        dt.date(2024, 2, 15),
        registered_on=dt.date(1999, 5, 1),
        owners=(Owner("Erik Berg", 60, True, False),),
        turnover_sek=12_000_000,
        employees=14,
        payment_remarks=(),
        trading_ban=False,
        tax_debt_at_kronofogden_sek=0,
    )
    business = BusinessActivity(True, "ägare", SOLE_TRADER, dt.date(2019, 3, 1), 100)
    intervention = MunicipalIntervention(
        "INS-1",
        "Jobbspår Lager",
        "praktik",
        Period(dt.date(2024, 2, 1), dt.date(2024, 6, 30)),
        Extent(50),
        Provider("Kommunens arbetsmarknadsenhet"),
        InterventionStatus.ONGOING,
        inuk_category="praktik",
        changed_at=FETCHED,
    )
    return Case(
        person=PERSON,
        municipality="1287",
        reference="ÄR-2024-00017 <&> \"quoted\" 'x'",
        enrolment=Answer.known(enrolment, AF),
        consents=Answer.known((consent,), AF),
        program_decisions=Answer.known((decision,), AF),
        activity_supports=Answer.known((support,), AF),
        activity_reports=Answer.known((report,), AF),
        disability_codes=Answer.withheld("no legal basis to disclose to the municipality"),
        employer_checks=Answer.known((check,), None),
        business_activities=Answer.known((business,), None),
        housing_allowance=Answer.absent(Provenance("Försäkringskassan", "1.0", FETCHED)),
        unemployment_fund=Answer.known(UnemploymentFundMembership(False, True)),
        permits=Answer.unavailable("timeout after 30 s", AF),
        income=Answer.known((AnnualIncome(2023, 104_000, "Skatteverket"),)),
        activity_support_levels=Answer.not_found(AF),
        interventions=(intervention,),
    )


def deregistered_case() -> Case:
    """A coordination-number case with a deregistration (another set of fields)."""
    enrolment = Enrolment(
        dt.date(2022, 5, 2),
        (
            ApplicantCategorySpell(
                "11",
                "öppet arbetslös",
                Extent(100),
                Period(dt.date(2022, 5, 2), dt.date(2023, 1, 31)),
            ),
        ),
        deregistration=Deregistration(dt.date(2023, 1, 31), "got-job"),
    )
    return Case(person=COORDINATION, municipality="0180", enrolment=Answer.known(enrolment, AF))


def xml_safe_text() -> st.SearchStrategy[str]:
    """Non-blank texts of characters XML 1.0 can carry (tab, line feed and carriage return
    included), never holding the test person's birth date."""
    chars = st.characters(codec="utf-8", exclude_characters="\ufffe\uffff").filter(
        lambda c: c in "\t\n\r" or ord(c) >= 0x20
    )
    return st.text(chars, min_size=1).filter(
        lambda t: bool(t.strip()) and PERSON.reveal()[:8] not in t
    )


def json_doc(data: bytes) -> Any:
    """A JSON document parsed with the standard library, for editing in tests."""
    return stdjson.loads(data)


def json_bytes(document: Any) -> bytes:
    """A JSON document as compact UTF-8."""
    return stdjson.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def paths_of(exc: Any) -> list[str]:
    """The paths of a ValidationError's problems."""
    return [p.path for p in exc.problems]


def positions(value: Any, into: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of a JSON-like value, depth first, into ``into``."""
    if isinstance(value, dict):
        for key, item in value.items():
            into.append((value, key))
            positions(item, into)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            into.append((value, i))
            positions(item, into)
    return into


def unwritable_case() -> Case:
    """A valid Case whose reference (a control character) and income (beyond 64 bits)
    the wire formats cannot carry."""
    return Case(
        person=PERSON,
        municipality="1287",
        reference="bell\x07",
        income=Answer.known((AnnualIncome(2023, 2**64, "Skatteverket"),)),
    )


_EDITS = ["text", "child", "remove", "copy", "attribute", "tail", "rename"]


def edit_element(
    draw: Callable[[st.SearchStrategy[Any]], Any],
    root: Any,
    texts: st.SearchStrategy[str],
    tails: st.SearchStrategy[str],
) -> None:
    """One random edit of an element below ``root`` (an lxml tree): new text (from
    ``texts``), an extra child, removed, copied, an attribute, text after it (from
    ``tails``) or another tag."""
    import copy

    from lxml import etree

    elements = list(root.iter())
    tags = sorted({e.tag for e in elements})
    el = draw(st.sampled_from(elements[1:]))
    edit = draw(st.sampled_from(_EDITS))
    if edit == "text":
        el.text = draw(texts)
    elif edit == "child":
        etree.SubElement(el, draw(st.sampled_from(tags))).text = "1"
    elif edit == "remove" and (parent := el.getparent()) is not None:
        parent.remove(el)
    elif edit == "copy" and el.getparent() is not None:
        el.addnext(copy.deepcopy(el))
    elif edit == "attribute":
        el.set("x", "1")
    elif edit == "rename":
        el.tag = draw(st.sampled_from([*tags, "junk", "{urn:other}case"]))
    elif edit == "tail":
        el.tail = draw(tails)
