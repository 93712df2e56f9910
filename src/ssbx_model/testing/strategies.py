"""Hypothesis strategies for every model class: valid, realistic, and consistent.

Use them in your own tests (``pip install hypothesis``)::

    from hypothesis import given
    from ssbx_model.information import InformationSet
    from ssbx_model.testing import strategies as ss

    @given(ss.cases(on=date(2024, 3, 1), known=frozenset({InformationSet.ENROLMENT}),
                    age_between=(16, 24)))
    def test_my_import(case): ...

What "realistic" means here:

- dates fall in a sane window (:data:`DATE_MIN` to :data:`DATE_MAX`; births
  :data:`BIRTH_MIN` to :data:`BIRTH_MAX`);
- the information strategies take ``on``, the date the facts are known on (the day the
  case was fetched): events such as a registration, a decision or a withdrawal happen on
  or before ``on``, while periods (activities, interventions, permits) may run past it;
- codes come from the shipped code lists (:func:`ssbx_model.codes.load`), sorted for
  reproducibility, and are valid on the date they are used;
- extents are mostly 25, 50, 75 or 100 %; activities lie inside their decision's period;
  spells and reports are ordered and do not overlap; an intervention's status agrees with
  ``on``; a SIUS support's ``active`` flag agrees with its period;
- identity numbers are fictitious (random birth date, a birth number from 980 to 999,
  the test range, and a correct check digit).

Every strategy produces values that construct without raising; the tests of this module
check that for each of them. They shrink towards simple values: known answers, one item,
the earliest dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Collection, Sequence
from typing import Any, Final, TypeVar

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st
from stdnum import luhn

from ssbx_model import codes
from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information._base import (
    Answer,
    AnswerStatus,
    ContactDetails,
    Provenance,
    Provider,
    WithheldField,
)
from ssbx_model.information.activity_report import ActivityReport
from ssbx_model.information.activity_support import (
    ActivitySupport,
    ActivitySupportLevel,
    ActivitySupportWithdrawal,
    Sanction,
    SanctionKind,
)
from ssbx_model.information.assignment import AssignmentDecision
from ssbx_model.information.business import BusinessActivity
from ssbx_model.information.callback import CallbackAttempt, CallbackRequest, CallbackResult
from ssbx_model.information.consent import (
    Consent,
    ConsentChannel,
    ConsentKind,
    consent_history_problems,
)
from ssbx_model.information.consultation import Consultation
from ssbx_model.information.decision_reason import (
    AgencyDecision,
    DecidingAgency,
    DecisionEffect,
)
from ssbx_model.information.disability import DisabilityCode
from ssbx_model.information.employer import (
    EmployerCheck,
    OtherPlacement,
    Owner,
    PaymentRemark,
    PaymentRemarkAssessment,
    UnionApproval,
)
from ssbx_model.information.enrolment import (
    ApplicantCategorySpell,
    Deregistration,
    Enrolment,
    PastEnrolment,
)
from ssbx_model.information.entitlement import Entitlement
from ssbx_model.information.evidence import EmploymentEvidence, StudyEvidence
from ssbx_model.information.housing import (
    HousingAllowanceApplication,
    HousingAllowanceDecision,
)
from ssbx_model.information.income_support import IncomeSupportDecision
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.intervention_consultation import (
    InterventionConsultation,
    MeasureAnswer,
)
from ssbx_model.information.job_guarantee import JobGuaranteeDays, ProgramSpell
from ssbx_model.information.kaa import (
    KaaContact,
    KaaContactChannel,
    KaaEntryReason,
    KaaRegisterEntry,
)
from ssbx_model.information.permits import Permit
from ssbx_model.information.planning import PlanningMeeting
from ssbx_model.information.program import Activity, ProgramDecision
from ssbx_model.information.schooling import (
    ProgrammeKind,
    Schooling,
    UpperSecondaryEnrolment,
)
from ssbx_model.information.sets import SETS, InformationSet
from ssbx_model.information.sius import SiusSupport
from ssbx_model.information.unemployment_fund import UnemploymentFundMembership
from ssbx_model.information.yearly import AnnualIncome, SfiHours, StudentFinance
from ssbx_model.purpose import Purpose

__all__ = [
    "BIRTH_MAX",
    "BIRTH_MIN",
    "DATE_MAX",
    "DATE_MIN",
    "activities",
    "activity_reports",
    "activity_support_levels",
    "activity_support_withdrawals",
    "activity_supports",
    "agency_decisions",
    "annual_incomes",
    "answer_statuses",
    "answers",
    "applicant_category_spells",
    "assignment_decisions",
    "business_activities",
    "callback_requests",
    "cases",
    "code_of",
    "consent_histories",
    "consents",
    "consultations",
    "contact_details",
    "deregistrations",
    "disability_codes",
    "employer_checks",
    "employment_evidence",
    "enrolments",
    "entitlements",
    "extents",
    "handover_packages",
    "housing_allowance_applications",
    "income_support_decisions",
    "intervention_consultations",
    "job_guarantee_days",
    "kaa_contacts",
    "kaa_register_entries",
    "municipal_interventions",
    "organisationsnummer",
    "other_placements",
    "owners",
    "past_enrolments",
    "payment_remarks",
    "periods",
    "permits",
    "person_ids",
    "personnummer",
    "planning_meetings",
    "program_decisions",
    "program_spells",
    "provenances",
    "providers",
    "samordningsnummer",
    "sanctions",
    "schoolings",
    "set_values",
    "sfi_hours",
    "sius_supports",
    "student_finances",
    "study_evidence",
    "unemployment_fund_memberships",
    "union_approvals",
    "upper_secondary_enrolments",
]

T = TypeVar("T")

DATE_MIN: Final = dt.date(2015, 1, 1)
"""The earliest date of a generated fact (not of a birth or of schooling)."""
DATE_MAX: Final = dt.date(2030, 12, 31)
"""The latest date of a generated fact."""
BIRTH_MIN: Final = dt.date(1930, 1, 1)
"""The earliest generated birth date."""
BIRTH_MAX: Final = dt.date(2014, 12, 31)
"""The latest generated birth date."""

_DEFAULT_ON: Final = dt.date(2029, 12, 31)
# How far back facts go from `on`, and how far ahead periods may run.
_HISTORY: Final = relativedelta(years=6)
_HORIZON: Final = dt.timedelta(days=365)
_ONE_DAY: Final = dt.timedelta(days=1)

# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def _window(on: dt.date | None) -> tuple[dt.date, dt.date, dt.date]:
    """(earliest, on, latest): facts happen in earliest..on, periods may run to latest."""
    ref = _DEFAULT_ON if on is None else on
    lo = max(DATE_MIN, ref - _HISTORY) if ref >= DATE_MIN else ref - _HISTORY
    return lo, ref, ref + _HORIZON


def _dates(lo: dt.date, hi: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=lo, max_value=max(lo, hi))


def _tuple(items: Sequence[T]) -> tuple[T, ...]:
    return tuple(items)


_CODES: dict[str, tuple[tuple[str, dt.date, dt.date | None], ...]] = {}


def _entries(list_id: str) -> tuple[tuple[str, dt.date, dt.date | None], ...]:
    cached = _CODES.get(list_id)
    if cached is None:
        code_list = codes.load(list_id)
        cached = tuple(sorted({(e.code, e.valid_from, e.valid_to) for e in code_list}))
        _CODES[list_id] = cached
    return cached


def code_of(
    list_id: str, on: dt.date | None = None, *, among: Collection[str] | None = None
) -> st.SearchStrategy[str]:
    """A code of the shipped code list ``list_id`` (sorted, so draws are reproducible).

    With ``on``, only codes valid on that date (when the list has none, any code of the
    list). With ``among``, only those codes.
    """
    entries = _entries(list_id)
    all_codes = sorted({code for code, _, _ in entries})
    if among is not None:
        all_codes = [c for c in all_codes if c in among]
    if on is not None:
        valid = sorted(
            {
                code
                for code, start, end in entries
                if start <= on and (end is None or on <= end) and code in all_codes
            }
        )
        if valid:
            return st.sampled_from(valid)
    return st.sampled_from(all_codes)


#: Birth numbers 980-999, the fictitious range every person of the kit uses.
_TEST_SERIALS: st.SearchStrategy[int] = st.integers(980, 999)


def _text(choices: Sequence[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(list(choices))


# ---------------------------------------------------------------------------------------
# Identity numbers, periods, extents
# ---------------------------------------------------------------------------------------


def personnummer(
    born_between: tuple[dt.date, dt.date] = (BIRTH_MIN, BIRTH_MAX),
) -> st.SearchStrategy[Personnummer]:
    """A fictitious :class:`Personnummer` born in ``born_between`` (inclusive), with a
    birth number from 980 to 999."""
    lo, hi = born_between
    return st.builds(Personnummer.from_birth_date, _dates(lo, hi), _TEST_SERIALS)


def samordningsnummer(
    born_between: tuple[dt.date, dt.date] = (BIRTH_MIN, BIRTH_MAX),
) -> st.SearchStrategy[Samordningsnummer]:
    """A fictitious :class:`Samordningsnummer` born in ``born_between`` (inclusive), with a
    birth number from 980 to 999."""
    lo, hi = born_between
    return st.builds(Samordningsnummer.from_birth_date, _dates(lo, hi), _TEST_SERIALS)


@st.composite
def person_ids(
    draw: st.DrawFn,
    born_between: tuple[dt.date, dt.date] = (BIRTH_MIN, BIRTH_MAX),
) -> Personnummer | Samordningsnummer:
    """A person's identity number: a personnummer, one time in ten a samordningsnummer."""
    if draw(st.integers(0, 9)) == 9:
        return draw(samordningsnummer(born_between))
    return draw(personnummer(born_between))


# First digit: legal-form group (2 public bodies, 5 aktiebolag, 7 föreningar, ...).
_LEGAL_FORM_GROUPS: Final = (2, 5, 5, 5, 7, 8, 9)


@st.composite
def organisationsnummer(draw: st.DrawFn) -> Organisationsnummer:
    """A legal person's :class:`Organisationsnummer` (third digit at least 2, Luhn)."""
    first = draw(st.sampled_from(_LEGAL_FORM_GROUPS))
    second = draw(st.integers(0, 9))
    third = draw(st.integers(2, 9))
    rest = draw(st.integers(0, 999_999))
    body = f"{first}{second}{third}{rest:06d}"
    return Organisationsnummer.parse(body + luhn.calc_check_digit(body))


@st.composite
def periods(
    draw: st.DrawFn,
    min_start: dt.date = DATE_MIN,
    max_start: dt.date = DATE_MAX,
    *,
    max_end: dt.date | None = None,
    open_ended: bool | None = False,
    min_days: int = 1,
    max_days: int = 730,
) -> Period:
    """A :class:`Period` starting in ``min_start..max_start`` lasting ``min_days`` to
    ``max_days`` days (both ends counted), ending by ``max_end`` if given.

    ``open_ended``: ``False`` (default) always closed, ``True`` always open, ``None``
    either (open one time in four).
    """
    if max_end is not None:
        max_start = min(max_start, max_end)
    start = draw(_dates(min_start, max_start))
    if open_ended is True or (open_ended is None and draw(st.integers(0, 3)) == 0):
        return Period(start, None)
    longest = max_days - 1
    if max_end is not None:
        longest = min(longest, (max_end - start).days)
    shortest = min(max(min_days - 1, 0), max(longest, 0))
    length = draw(st.integers(shortest, max(shortest, longest)))
    return Period(start, start + dt.timedelta(days=length))


_COMMON_EXTENTS: Final = (100, 50, 25, 75)


@st.composite
def extents(draw: st.DrawFn, max_percent: int = 100) -> Extent:
    """An :class:`Extent`: mostly 25, 50, 75 or 100 %, sometimes any whole percent."""
    common = [p for p in _COMMON_EXTENTS if p <= max_percent]
    if common and draw(st.integers(0, 9)) < 9:
        return Extent(draw(st.sampled_from(common)))
    return Extent(draw(st.integers(1, max_percent)))


# ---------------------------------------------------------------------------------------
# Answers, provenance, contacts, providers
# ---------------------------------------------------------------------------------------

_ZONES: Final = (dt.UTC, dt.timezone(dt.timedelta(hours=1)), dt.timezone(dt.timedelta(hours=2)))


@st.composite
def provenances(
    draw: st.DrawFn, on: dt.date | None = None, provider: str | None = None
) -> Provenance:
    """A :class:`Provenance` fetched on ``on`` (or in the date window), with a time zone."""
    day = on if on is not None else draw(_dates(DATE_MIN, DATE_MAX))
    seconds = draw(st.integers(6 * 3600, 18 * 3600))
    zone = draw(st.sampled_from(_ZONES))
    fetched = dt.datetime.combine(day, dt.time(), zone) + dt.timedelta(seconds=seconds)
    name = provider if provider is not None else draw(_text(_PROVIDERS))
    version = draw(_text(("1.0", "1.1", "2.0", "2.1")))
    return Provenance(name, version, fetched)


_PROVIDERS: Final = (
    "Arbetsförmedlingen",
    "Försäkringskassan",
    "Skatteverket",
    "CSN",
    "Migrationsverket",
    "Bolagsverket",
)

# Weights of the statuses: mostly known, every other kind present.
_STATUS_WEIGHTS: Final = (
    (AnswerStatus.KNOWN, 12),
    (AnswerStatus.ABSENT, 2),
    (AnswerStatus.NOT_FOUND, 2),
    (AnswerStatus.UNAVAILABLE, 2),
    (AnswerStatus.WITHHELD, 1),
    (AnswerStatus.NOT_REQUESTED, 1),
)
_STATUS_TABLE: Final = tuple(s for s, weight in _STATUS_WEIGHTS for _ in range(weight))


def answer_statuses(
    allowed: Collection[AnswerStatus] | None = None,
) -> st.SearchStrategy[AnswerStatus]:
    """An :class:`AnswerStatus`, weighted toward ``known`` (shrinks to ``known``)."""
    table = [s for s in _STATUS_TABLE if allowed is None or s in allowed]
    if not table:
        raise ValueError("answer_statuses needs at least one allowed status")
    return st.sampled_from(table)


_UNAVAILABLE_REASONS: Final = (
    "timeout after 30 s",
    "HTTP 503 from the provider",
    "the provider's schema version is closed",
    "malformed answer from the provider",
)
_WITHHELD_REASONS: Final = (
    "no legal basis to disclose to the municipality",
    "not needed for the purpose labour-market",
    "no valid consent on the date",
)


def answers(
    inner: st.SearchStrategy[Any],
    *,
    collection: bool = False,
    max_size: int = 3,
    statuses: Collection[AnswerStatus] | None = None,
    on: dt.date | None = None,
    provider: str | None = None,
) -> st.SearchStrategy[Answer[Any]]:
    """An :class:`Answer` of any status (weighted toward ``known``).

    ``inner`` draws the value of a known answer; with ``collection=True`` it draws one
    item and the value is a tuple of 1 to ``max_size`` items (use ``collection=False``
    with an ``inner`` that draws whole non-empty tuples when the items must be consistent
    with each other). ``statuses`` limits the statuses drawn. Provenance is fetched on
    ``on`` from ``provider``.
    """
    values = st.lists(inner, min_size=1, max_size=max_size).map(tuple) if collection else inner
    return _answers(answer_statuses(statuses), provenances(on=on, provider=provider), values)


@st.composite
def _answers(
    draw: st.DrawFn,
    statuses: st.SearchStrategy[AnswerStatus],
    provenance_strategy: st.SearchStrategy[Provenance],
    values: st.SearchStrategy[Any],
) -> Answer[Any]:
    status = draw(statuses)
    if status is AnswerStatus.NOT_REQUESTED:
        return Answer.not_requested()
    if status is AnswerStatus.WITHHELD:
        return Answer.withheld(draw(_text(_WITHHELD_REASONS)))
    provenance = draw(provenance_strategy)
    if status is AnswerStatus.KNOWN:
        return Answer.known(draw(values), provenance)
    if status is AnswerStatus.ABSENT:
        return Answer.absent(provenance)
    if status is AnswerStatus.NOT_FOUND:
        return Answer.not_found(provenance)
    return Answer.unavailable(draw(_text(_UNAVAILABLE_REASONS)), provenance)


_NAMES: Final = ("Anna Lind", "Erik Berg", "Sara Nilsson", "Johan Ek", "Maria Holm")
_ORGANISATIONS: Final = (
    "Arbetsförmedlingen",
    "Jobbcentrum Syd AB",
    "Stiftelsen Steget",
    "Kommunens arbetsmarknadsenhet",
    "Matchning & Coachning i Norden AB",
)


@st.composite
def contact_details(draw: st.DrawFn) -> ContactDetails:
    """:class:`ContactDetails` with a name and a phone number, an e-mail and an address
    some of the time."""
    name = draw(_text(_NAMES))
    phone = f"0{draw(st.integers(10, 99))}-{draw(st.integers(100000, 999999))}"
    user = name.split()[0].lower()
    email = draw(st.none() | st.just(f"{user}@example.se"))
    address = draw(
        st.none() | _text(("Storgatan 1, 231 42 Trelleborg", "Box 100, 113 99 Stockholm"))
    )
    return ContactDetails(name=name, phone=phone, email=email, address=address)


@st.composite
def providers(draw: st.DrawFn) -> Provider:
    """A :class:`Provider` (anordnare) with an organisation number most of the time."""
    name = draw(_text(_ORGANISATIONS))
    number = draw(st.none() | organisationsnummer())
    contact = draw(st.none() | contact_details())
    return Provider(name=name, organisation_number=number, contact=contact)


# ---------------------------------------------------------------------------------------
# Enrolment
# ---------------------------------------------------------------------------------------

_ENROLMENT_TYPES: Final = (
    "öppet arbetslös",
    "deltidsarbetslös",
    "i program med aktivitetsstöd",
    "tillfälligt timanställd",
    "arbetssökande med förhinder",
)


@st.composite
def deregistrations(
    draw: st.DrawFn, on: dt.date | None = None, *, after: dt.date | None = None
) -> Deregistration:
    """A :class:`Deregistration` on or before ``on`` (and not before ``after``)."""
    lo, ref, _ = _window(on)
    day = draw(_dates(after or lo, ref))
    reason = draw(code_of(codes.DEREGISTRATION_REASON, day))
    note = draw(st.none() | _text(("Har fått arbete via egen kontakt", "Flyttat utomlands")))
    return Deregistration(day, reason, note)


@st.composite
def applicant_category_spells(
    draw: st.DrawFn, period: Period | None = None, on: dt.date | None = None
) -> ApplicantCategorySpell:
    """An :class:`ApplicantCategorySpell` over ``period`` (drawn when not given)."""
    if period is None:
        lo, ref, _ = _window(on)
        period = draw(periods(lo, ref, max_end=ref, open_ended=None))
    category = draw(code_of(codes.APPLICANT_CATEGORY, period.start))
    return ApplicantCategorySpell(
        applicant_category=category,
        enrolment_type=draw(_text(_ENROLMENT_TYPES)),
        extent=draw(extents()),
        period=period,
    )


@st.composite
def past_enrolments(
    draw: st.DrawFn, on: dt.date | None = None, *, before: dt.date | None = None
) -> PastEnrolment:
    """A closed, earlier :class:`PastEnrolment` ending before ``before`` (or ``on``)."""
    _lo, ref, _ = _window(on)
    last = (before or ref) - _ONE_DAY
    period = draw(periods(last - relativedelta(years=3), last, max_end=last, max_days=900))
    reason = draw(code_of(codes.DEREGISTRATION_REASON, period.end))
    return PastEnrolment(period, reason)


def _split(draw: st.DrawFn, start: dt.date, end: dt.date, pieces: int) -> list[Period]:
    """Cut ``start..end`` into up to ``pieces`` consecutive closed periods."""
    total = (end - start).days + 1
    pieces = max(1, min(pieces, total))
    cuts = (
        sorted(draw(st.sets(st.integers(1, total - 1), max_size=pieces - 1))) if total > 1 else []
    )
    bounds = [0, *cuts, total]
    return [
        Period(start + dt.timedelta(days=a), start + dt.timedelta(days=b - 1))
        for a, b in itertools.pairwise(bounds)
    ]


@st.composite
def enrolments(
    draw: st.DrawFn,
    on: dt.date | None = None,
    *,
    registered: bool | None = None,
    applicant_category: str | None = None,
) -> Enrolment:
    """An :class:`Enrolment` known on ``on``: registered on or before ``on``, one to three
    consecutive spells, maybe a deregistration by ``on``, maybe earlier enrolments.

    ``registered=True`` keeps the person registered on ``on`` (no deregistration),
    ``False`` deregisters them by ``on``. ``applicant_category`` fixes the category of the
    last spell (e.g. ``"15"``).
    """
    lo, ref, _ = _window(on)
    registered_on = draw(_dates(lo, ref))
    if registered is None:
        registered = draw(st.integers(0, 3)) > 0
    deregistration = None if registered else draw(deregistrations(ref, after=registered_on))
    end = deregistration.on if deregistration is not None else ref
    pieces = _split(draw, registered_on, end, draw(st.integers(1, 3)))
    if deregistration is None:  # still registered: the last spell is open
        pieces[-1] = Period(pieces[-1].start, None)
    spells = [draw(applicant_category_spells(p)) for p in pieces]
    if applicant_category is not None:
        last = spells[-1]
        spells[-1] = ApplicantCategorySpell(
            applicant_category, last.enrolment_type, last.extent, last.period
        )
    history: list[PastEnrolment] = []
    before = registered_on
    for _ in range(draw(st.integers(0, 2))):
        past = draw(past_enrolments(ref, before=before))
        history.insert(0, past)
        before = past.period.start
    return Enrolment(registered_on, tuple(spells), deregistration, tuple(history))


# ---------------------------------------------------------------------------------------
# Consent
# ---------------------------------------------------------------------------------------

_CHANNELS: Final = {
    ConsentKind.AF_DISCLOSURE: (ConsentChannel.POST_TO_AF_ARCHIVE, ConsentChannel.E_SERVICE),
    ConsentKind.MUNICIPAL_E_SERVICE: (ConsentChannel.E_SERVICE,),
    ConsentKind.DUA_INFORMATION_EXCHANGE: (ConsentChannel.IN_PERSON,),
}


@st.composite
def consents(
    draw: st.DrawFn,
    on: dt.date | None = None,
    *,
    kind: ConsentKind | None = None,
    given: bool | None = None,
) -> Consent:
    """A :class:`Consent` registered by ``on``; usually valid six months, sometimes open.

    Consents posted to AF's archive are never confirmed (no confirmation comes back). A
    refusal or withdrawal (``given`` False) has no end date.
    """
    lo, ref, _ = _window(on)
    kind = kind if kind is not None else draw(st.sampled_from(list(ConsentKind)))
    channel = draw(st.sampled_from(_CHANNELS[kind]))
    start = draw(_dates(lo, ref))
    is_given = draw(st.booleans()) if given is None else given
    end: dt.date | None = start + relativedelta(months=6) - _ONE_DAY
    if draw(st.integers(0, 4)) == 0:
        end = draw(st.none() | _dates(start, start + relativedelta(years=1)))
    if not is_given:
        end = None  # a refusal or withdrawal stands until a later consent
    registered_on = draw(st.none() | _dates(start, min(end or ref, ref, start + dt.timedelta(14))))
    scope = draw(st.lists(st.sampled_from(list(Purpose)), min_size=1, max_size=3, unique=True))
    confirmed = channel is not ConsentChannel.POST_TO_AF_ARCHIVE and draw(st.booleans())
    return Consent(
        kind=kind,
        given=is_given,
        scope=tuple(scope),
        validity=Period(start, end),
        channel=channel,
        registered_on=registered_on,
        confirmed=confirmed,
        reference=draw(st.none() | st.integers(1000, 99999).map(lambda n: f"SAM-{n}")),
    )


def _consistent(items: list[Consent]) -> tuple[Consent, ...]:
    """``items`` sorted by start, without those that contradict an earlier one."""
    kept: list[Consent] = []
    for item in sorted(items, key=lambda c: c.validity.start):
        if not consent_history_problems((*kept, item), "consents"):
            kept.append(item)
    return tuple(kept)


def consent_histories(
    on: dt.date | None = None, *, kind: ConsentKind | None = None, max_size: int = 3
) -> st.SearchStrategy[tuple[Consent, ...]]:
    """A consent history as AF or the municipality could record it: consents, refusals and
    withdrawals sorted by start, never two of one kind on one day with different answers."""
    return st.lists(consents(on, kind=kind), min_size=1, max_size=max_size).map(_consistent)


# ---------------------------------------------------------------------------------------
# Program decisions and activities
# ---------------------------------------------------------------------------------------

_ACTIVITY_NAMES: Final = (
    "Jobbsökaraktivitet",
    "Kartläggning",
    "Arbetspraktik",
    "Yrkesutbildning",
    "Stöd och matchning",
    "Vägledning",
    "Studiemotiverande kurs",
)
_REQUIREMENTS: Final = (
    "Delta i alla schemalagda aktiviteter",
    "Lämna aktivitetsrapport senast den 14:e varje månad",
    "Söka de arbeten som anvisas",
    "Vara anträffbar per telefon enligt överenskommelse",
)


@st.composite
def activities(
    draw: st.DrawFn,
    within: Period | None = None,
    *,
    max_extent: int = 100,
) -> Activity:
    """An :class:`Activity` inside ``within`` (a closed period of at most a year when
    ``within`` is open or not given), with an extent of at most ``max_extent``."""
    if within is None:
        within = draw(periods(DATE_MIN, DATE_MAX - dt.timedelta(400)))
    last = within.end if within.end is not None else within.start + dt.timedelta(365)
    period = draw(periods(within.start, last, max_end=last, max_days=365))
    requirements = draw(st.lists(_text(_REQUIREMENTS), max_size=2, unique=True))
    return Activity(
        name=draw(_text(_ACTIVITY_NAMES)),
        period=period,
        extent=draw(extents(max_extent)),
        participation_requirements=tuple(requirements),
        provider=draw(st.none() | providers()),
    )


@st.composite
def program_decisions(
    draw: st.DrawFn, on: dt.date | None = None, *, program: str | None = None
) -> ProgramDecision:
    """A :class:`ProgramDecision` made by ``on`` with 0-3 activities inside its period.

    ``program`` fixes the ``af-program`` code (e.g. ``"UGA"``).
    """
    lo, ref, _hi = _window(on)
    decided_on = draw(_dates(lo, ref))
    start = draw(_dates(decided_on, decided_on + dt.timedelta(30)))
    open_ended = draw(st.integers(0, 5)) == 0
    end = None if open_ended else start + dt.timedelta(draw(st.integers(29, 364)))
    period = Period(start, end)
    extent = draw(extents())
    items = draw(st.lists(activities(period, max_extent=extent.percent), max_size=3))
    items.sort(key=lambda a: (a.period.start, a.name))
    code = program if program is not None else draw(code_of(codes.AF_PROGRAM, start))
    number = draw(st.integers(100000, 999999))
    return ProgramDecision(
        decision_id=f"PB-{number}",
        program=code,
        decided_on=decided_on,
        period=period,
        extent=extent,
        activities=tuple(items),
    )


# ---------------------------------------------------------------------------------------
# Activity support, level, reports, planning meetings, assignments, entitlements
# ---------------------------------------------------------------------------------------


@st.composite
def activity_support_withdrawals(
    draw: st.DrawFn, on: dt.date | None = None, *, after: dt.date | None = None
) -> ActivitySupportWithdrawal:
    """An :class:`ActivitySupportWithdrawal` on or before ``on`` (not before ``after``)."""
    lo, ref, _ = _window(on)
    day = draw(_dates(after or lo, ref))
    reason = draw(code_of(codes.ACTIVITY_SUPPORT_WITHDRAWAL_REASON, day))
    note = draw(st.none() | _text(("Aktivitetsrapport inkom 2024-03-20",)))
    wording = _text(_AF_WORDINGS)
    reason_text = draw(wording) if reason == "other" else draw(st.none() | wording)
    return ActivitySupportWithdrawal(day, reason, note, reason_text, draw(st.none() | sanctions()))


_AF_WORDINGS: Final = (
    "Har lämnat programmet utan giltig anledning",
    "Uppträder så att insatsen inte kan genomföras",
    "Aktivitetsrapport saknas för mars",
)


@st.composite
def sanctions(draw: st.DrawFn) -> Sanction:
    """A :class:`Sanction` as AF describes them: a warning, a suspension of 1, 5, 10 or 45
    days (sometimes another number), or the right to compensation ended."""
    kind = draw(st.sampled_from(list(SanctionKind)))
    if kind is not SanctionKind.SUSPENSION:
        return Sanction(kind)
    return Sanction(kind, draw(st.sampled_from((1, 5, 10, 45)) | st.integers(1, 90)))


@st.composite
def activity_supports(
    draw: st.DrawFn, on: dt.date | None = None, *, withdrawn: bool | None = None
) -> ActivitySupport:
    """An :class:`ActivitySupport` starting by ``on``; withdrawn by ``on`` some of the time
    (``withdrawn`` forces it either way)."""
    lo, ref, _ = _window(on)
    start = draw(_dates(lo, ref))
    if withdrawn is None:
        withdrawn = draw(st.integers(0, 2)) == 0
    withdrawal = draw(activity_support_withdrawals(ref, after=start)) if withdrawn else None
    return ActivitySupport(draw(code_of(codes.ACTIVITY_SUPPORT_TYPE, start)), start, withdrawal)


_REDUCTION_REASONS: Final = (
    "deltidsdeltagande i program",
    "avstängning efter varning (sanktion)",
    "inkomst av arbete under perioden",
    "ingen rätt till ersättning från a-kassa: grundnivå",
)


@st.composite
def activity_support_levels(draw: st.DrawFn, on: dt.date | None = None) -> ActivitySupportLevel:
    """An :class:`ActivitySupportLevel` for a period starting by ``on``; a reduced level
    names its reason."""
    lo, ref, hi = _window(on)
    period = draw(periods(lo, ref, max_end=hi, max_days=180, open_ended=None))
    reduced = draw(st.booleans())
    amount = draw(st.none() | st.integers(223, 1200))
    reason = draw(_text(_REDUCTION_REASONS)) if reduced else None
    return ActivitySupportLevel(period, reduced, amount, reason)


def _month(day: dt.date) -> Period:
    first = day.replace(day=1)
    return Period(first, first + relativedelta(months=1) - _ONE_DAY)


@st.composite
def activity_reports(
    draw: st.DrawFn, on: dt.date | None = None, *, month: dt.date | None = None
) -> ActivityReport:
    """An :class:`ActivityReport` for one calendar month (``month``, or one ended by
    ``on``), usually submitted between the 1st and 14th of the next month and assessed."""
    lo, ref, _ = _window(on)
    if month is None:
        last_month = ref.replace(day=1) - _ONE_DAY
        month = draw(_dates(lo, max(lo, last_month)))
    period = _month(month)
    assert period.end is not None
    submitted = draw(st.integers(0, 5)) > 0
    submitted_on = None
    approved = None
    if submitted:
        due = period.end + dt.timedelta(days=14)
        latest = max(period.end - dt.timedelta(5), min(ref, due + dt.timedelta(10)))
        submitted_on = draw(_dates(period.end - dt.timedelta(5), latest))
        approved = draw(st.none() | st.booleans())
    return ActivityReport(period, draw(st.integers(0, 15)), submitted_on, approved)


_PARTIES: Final = (
    "den sökande",
    "Arbetsförmedlingen",
    "kommunens arbetsmarknadsenhet",
    "socialtjänsten",
    "leverantör",
)


@st.composite
def planning_meetings(draw: st.DrawFn, on: dt.date | None = None) -> PlanningMeeting:
    """A :class:`PlanningMeeting` in the years up to ``on`` or in the months after it (the
    next meeting), with the person and AF among its parties."""
    lo, ref, _ = _window(on)
    day = draw(_dates(lo, ref + dt.timedelta(90)))
    others = draw(st.lists(st.sampled_from(_PARTIES[2:]), max_size=2, unique=True))
    return PlanningMeeting(
        on=day,
        meeting_type=draw(code_of(codes.PLANNING_MEETING_TYPE, day)),
        parties=("den sökande", "Arbetsförmedlingen", *others),
    )


_ASSIGNMENTS: Final = (
    ("anvisning till leverantör", "Rusta och matcha"),
    ("anvisning till leverantör", "Kundval Rusta och matcha"),
    ("anvisning till program", "Arbetsmarknadsutbildning"),
    ("anvisning till program", "Arbetspraktik"),
    ("anvisning till insats", "Introduktion till arbete"),
)


@st.composite
def assignment_decisions(draw: st.DrawFn, on: dt.date | None = None) -> AssignmentDecision:
    """An :class:`AssignmentDecision` made by ``on``, with its provider and contact."""
    lo, ref, _hi = _window(on)
    decided_on = draw(_dates(lo, ref))
    assignment_type, service_type = draw(st.sampled_from(_ASSIGNMENTS))
    period = draw(st.none() | periods(decided_on, decided_on + dt.timedelta(30), max_days=365))
    return AssignmentDecision(decided_on, assignment_type, service_type, draw(providers()), period)


_ENTITLEMENTS: Final = (
    ("jobb- och utvecklingsgarantin", "inskriven som arbetssökande", "aktivitetsstöd"),
    ("jobbgarantin för ungdomar", "arbetslös 90 dagar under 4 månader", "aktivitetsstöd"),
    (
        "nystartsjobb",
        "arbetslös minst 12 av de senaste 15 månaderna",
        "anställning hos arbetsgivare",
    ),
    ("arbetspraktik", "inskriven och bedömd behöva praktik", "högst 6 månader"),
    ("lönebidrag", "registrerad funktionsnedsättning", "nedsatt arbetsförmåga"),
)


@st.composite
def entitlements(draw: st.DrawFn, on: dt.date | None = None) -> Entitlement:
    """An :class:`Entitlement` with its requirement and condition."""
    lo, ref, hi = _window(on)
    kind, requirement, condition = draw(st.sampled_from(_ENTITLEMENTS))
    period = draw(st.none() | periods(lo, ref, max_end=hi, open_ended=None))
    return Entitlement(kind, (requirement,), (condition,), period)


# ---------------------------------------------------------------------------------------
# Disability, SIUS, employer check, business activity
# ---------------------------------------------------------------------------------------


@st.composite
def disability_codes(draw: st.DrawFn, on: dt.date | None = None) -> DisabilityCode:
    """A :class:`DisabilityCode` registered by ``on``."""
    lo, ref, _ = _window(on)
    day = draw(_dates(lo, ref))
    organisation = draw(_text(("Arbetsförmedlingen", "Region Skåne, psykiatrin", "Habiliteringen")))
    return DisabilityCode(draw(code_of(codes.DISABILITY_CODE, day)), day, organisation)


@st.composite
def sius_supports(draw: st.DrawFn, on: dt.date | None = None) -> SiusSupport:
    """A :class:`SiusSupport` as of ``on``; ``active`` agrees with its period."""
    lo, ref, hi = _window(on)
    period = draw(periods(lo, hi, max_end=hi, max_days=540, open_ended=None))
    return SiusSupport(
        active=period.contains(ref),
        period=period,
        as_of=ref,
        name=draw(st.none() | _text(_NAMES)),
        organisation=draw(st.none() | _text(("Arbetsförmedlingen", "Samhall AB"))),
        contact=draw(st.none() | contact_details()),
    )


@st.composite
def owners(draw: st.DrawFn, *, trading_ban: bool | None = False) -> Owner:
    """An :class:`Owner` whose ``trading_ban`` flag is ``trading_ban`` (None: not checked)."""
    return Owner(
        name=draw(_text(("Karin Ström", "Ali Hassan", "Nordic Holding AB", "Per Lund"))),
        share_percent=draw(st.none() | st.integers(1, 100)),
        significant_influence=draw(st.booleans()),
        trading_ban=trading_ban,
    )


@st.composite
def payment_remarks(draw: st.DrawFn, by: dt.date | None = None) -> PaymentRemark:
    """A :class:`PaymentRemark` registered by ``by``, with any assessment by AF."""
    lo, ref, _ = _window(by)
    return PaymentRemark(
        registered_on=draw(_dates(lo, ref)),
        amount_sek=draw(st.integers(500, 500_000)),
        kind=draw(_text(("skatteskuld", "obetald faktura", "betalningsföreläggande"))),
        af_assessment=draw(st.sampled_from(PaymentRemarkAssessment)),
    )


@st.composite
def union_approvals(draw: st.DrawFn, by: dt.date | None = None) -> UnionApproval:
    """A :class:`UnionApproval` signed by ``by``."""
    lo, ref, _ = _window(by)
    return UnionApproval(
        approved=draw(st.booleans()),
        union=draw(_text(("Kommunal", "Handels", "IF Metall", "Unionen", "Byggnads"))),
        signed_on=draw(_dates(lo, ref)),
    )


@st.composite
def other_placements(draw: st.DrawFn, by: dt.date | None = None) -> OtherPlacement:
    """An :class:`OtherPlacement` that started by ``by``."""
    lo, ref, hi = _window(by)
    return OtherPlacement(
        authority=draw(_text(("Arbetsförmedlingen", "Kriminalvården", "Försäkringskassan"))),
        period=draw(periods(lo, ref, max_end=hi, max_days=365)),
        placements=draw(st.integers(1, 5)),
    )


@st.composite
def employer_checks(draw: st.DrawFn, on: dt.date | None = None) -> EmployerCheck:
    """An :class:`EmployerCheck` made by ``on`` on a legal person; the trading-ban flag
    agrees with the owners' flags."""
    lo, ref, _ = _window(on)
    checked_on = draw(_dates(lo, ref))
    checked = draw(st.integers(0, 4)) > 0
    banned = checked and draw(st.integers(0, 9)) == 0
    owner_list = draw(st.lists(owners(trading_ban=False if checked else None), max_size=3))
    if banned:
        owner_list.append(draw(owners(trading_ban=True)))
    left = 100  # the owners' shares add up to at most the whole company
    for i, owner in enumerate(owner_list):
        if owner.share_percent is not None:
            share = min(owner.share_percent, left) or None
            owner_list[i] = attrs.evolve(owner, share_percent=share)
            left -= share or 0
    remarks = draw(st.none() | st.lists(payment_remarks(checked_on), max_size=2))
    return EmployerCheck(
        organisation_number=draw(organisationsnummer()),
        checked_on=checked_on,
        registered_on=draw(st.none() | _dates(dt.date(1990, 1, 1), checked_on)),
        owners=tuple(owner_list),
        turnover_sek=draw(st.none() | st.integers(0, 50_000_000)),
        financial_situation=draw(st.none() | _text(("god", "ansträngd", "okänd"))),
        employees=draw(st.none() | st.integers(0, 500)),
        employer_contributions_paid=draw(st.none() | st.booleans()),
        tax_account_in_order=draw(st.none() | st.booleans()),
        payment_remarks=None if remarks is None else tuple(remarks),
        trading_ban=banned if checked else None,
        tax_debt_at_kronofogden_sek=draw(st.none() | st.sampled_from([0, 0, 0, 12_500])),
        union_approval=draw(st.none() | union_approvals(checked_on)),
        other_placements=tuple(draw(st.lists(other_placements(checked_on), max_size=2))),
    )


_POSITIONS: Final = ("ägare", "delägare", "styrelseledamot", "verkställande direktör")


@st.composite
def business_activities(
    draw: st.DrawFn,
    on: dt.date | None = None,
    *,
    person: Personnummer | Samordningsnummer | None = None,
) -> BusinessActivity:
    """A :class:`BusinessActivity`. With ``person``, a sole trader's business is sometimes
    drawn, whose organisation number is that person's number."""
    lo, ref, _ = _window(on)
    number: Organisationsnummer | None
    share: int | None
    if person is not None and draw(st.booleans()):
        number = Organisationsnummer.parse(person.reveal(), allow_sole_trader=True)
        position, share = "enskild näringsidkare", 100
    else:
        number = draw(st.none() | organisationsnummer())
        position = draw(_text(_POSITIONS))
        share = draw(st.none() | st.integers(0, 100))
    return BusinessActivity(
        f_tax=draw(st.booleans()),
        position=position,
        organisation_number=number,
        registered_on=draw(st.none() | _dates(lo - relativedelta(years=10), ref)),
        ownership_percent=share,
    )


# ---------------------------------------------------------------------------------------
# Housing allowance, a-kassa, permits, job guarantee
# ---------------------------------------------------------------------------------------


@st.composite
def housing_allowance_applications(
    draw: st.DrawFn, on: dt.date | None = None
) -> HousingAllowanceApplication:
    """A :class:`HousingAllowanceApplication` received by ``on``; decided ones name their
    date (by ``on``), granted ones usually their amount."""
    lo, ref, _ = _window(on)
    received = draw(_dates(lo, ref))
    decision = draw(st.sampled_from(list(HousingAllowanceDecision)))
    if decision is HousingAllowanceDecision.PENDING:
        return HousingAllowanceApplication(received, decision)
    decided_on = draw(_dates(received, min(ref, received + dt.timedelta(90))))
    amount = None
    if decision is HousingAllowanceDecision.GRANTED:
        amount = draw(st.none() | st.integers(200, 6000))
    return HousingAllowanceApplication(received, decision, decided_on, amount)


_FUNDS: Final = (
    "Akademikernas a-kassa",
    "Handelsanställdas a-kassa",
    "Kommunals a-kassa",
    "IF Metalls a-kassa",
    "Unionens a-kassa",
    "Alfa-kassan",
)


@st.composite
def unemployment_fund_memberships(draw: st.DrawFn) -> UnemploymentFundMembership:
    """An :class:`UnemploymentFundMembership`, usually self-reported to AF."""
    member = draw(st.booleans())
    fund = draw(st.none() | _text(_FUNDS)) if member else None
    return UnemploymentFundMembership(member, draw(st.integers(0, 4)) > 0, fund)


_PERMITS: Final = (
    ("permanent uppehållstillstånd", True, True),
    ("tidsbegränsat uppehållstillstånd", True, False),
    ("arbetstillstånd", True, False),
    ("uppehållstillstånd för studier", False, False),
    ("uppehållsrätt", True, True),
)


@st.composite
def permits(draw: st.DrawFn, on: dt.date | None = None) -> Permit:
    """A :class:`Permit` granted by ``on``; permanent permits are open-ended."""
    lo, ref, _hi = _window(on)
    kind, allows_work, permanent = draw(st.sampled_from(_PERMITS))
    start = draw(_dates(lo, ref))
    end = None if permanent else start + relativedelta(years=draw(st.integers(1, 3)))
    return Permit(kind, Period(start, end), allows_work)


@st.composite
def program_spells(
    draw: st.DrawFn, on: dt.date | None = None, *, program: str | None = None
) -> ProgramSpell:
    """A :class:`ProgramSpell` starting by ``on``."""
    lo, ref, hi = _window(on)
    period = draw(periods(lo, ref, max_end=hi, max_days=450, open_ended=None))
    code = program if program is not None else draw(code_of(codes.AF_PROGRAM, period.start))
    return ProgramSpell(code, period)


@st.composite
def job_guarantee_days(draw: st.DrawFn, on: dt.date | None = None) -> JobGuaranteeDays:
    """:class:`JobGuaranteeDays` as of ``on``: consecutive program spells, oldest first;
    the days used are the calendar days spent in JOB up to ``on``."""
    lo, ref, _ = _window(on)
    start = draw(_dates(lo, ref))
    history: list[ProgramSpell] = []
    for piece in _split(draw, start, ref, draw(st.integers(1, 3))):
        code = draw(code_of(codes.AF_PROGRAM, piece.start, among=("JOB", "UGA", "AUB", "PRAKTIK")))
        history.append(ProgramSpell(code, piece))
    if draw(st.booleans()):  # the last spell still runs
        history[-1] = ProgramSpell(history[-1].program, Period(history[-1].period.start, None))
    used = sum(
        ((s.period.end or ref) - s.period.start).days + 1 for s in history if s.program == "JOB"
    )
    return JobGuaranteeDays(used, ref, tuple(history))


# ---------------------------------------------------------------------------------------
# Facts the target-group rules need: schooling, evidence, yearly facts, samråd, KAA
# ---------------------------------------------------------------------------------------

_PROGRAMMES: Final = {
    ProgrammeKind.NATIONAL: (
        "Ekonomiprogrammet",
        "Bygg- och anläggningsprogrammet",
        "Vård- och omsorgsprogrammet",
    ),
    ProgrammeKind.INTRODUCTION: (
        "Språkintroduktion",
        "Individuellt alternativ",
        "Yrkesintroduktion",
    ),
    ProgrammeKind.ADAPTED: ("Programmet för hantverk och produktion",),
    ProgrammeKind.EQUIVALENT: ("Folkhögskolans allmänna kurs",),
}


def _school_start(born: dt.date) -> dt.date:
    """Upper-secondary school starts in August of the year the person turns 16."""
    return dt.date(born.year + 16, 8, 20)


@st.composite
def upper_secondary_enrolments(
    draw: st.DrawFn, start: dt.date | None = None, *, kind: ProgrammeKind | None = None
) -> UpperSecondaryEnrolment:
    """An :class:`UpperSecondaryEnrolment` starting on ``start`` (drawn when not given),
    one to three school years long, sometimes still running."""
    begin = start if start is not None else draw(_dates(DATE_MIN, DATE_MAX - dt.timedelta(1100)))
    kind = kind if kind is not None else draw(st.sampled_from(list(ProgrammeKind)))
    years = draw(st.integers(1, 3))
    end: dt.date | None = dt.date(begin.year + years, 6, 15)
    if draw(st.integers(0, 3)) == 0:
        end = None
    return UpperSecondaryEnrolment(
        kind, Period(begin, end), draw(st.none() | _text(_PROGRAMMES[kind]))
    )


@st.composite
def schoolings(
    draw: st.DrawFn, born: dt.date | None = None, *, on: dt.date | None = None
) -> Schooling:
    """A :class:`Schooling` consistent with a birth date ``born``: compulsory school left
    in June of the year the person turns 16, upper-secondary school from that August,
    a diploma only after a completed national programme. Nothing after ``on``."""
    _, ref, _ = _window(on)
    if born is None:
        born = draw(_dates(ref - relativedelta(years=25), ref - relativedelta(years=14)))
    source = draw(_text(("kommunens elevregister", "skolhuvudmannen", "Skolverket")))
    left = dt.date(born.year + 16, 6, 12)
    if left > ref or draw(st.integers(0, 9)) == 0:
        return Schooling(compulsory_school_completed=False, source=source)
    enrolments_: list[UpperSecondaryEnrolment] = []
    diploma: dt.date | None = None
    if _school_start(born) <= ref and draw(st.integers(0, 4)) > 0:
        first = draw(upper_secondary_enrolments(_school_start(born)))
        if first.period.end is not None and first.period.end > ref:
            first = UpperSecondaryEnrolment(
                first.kind, Period(first.period.start, None), first.programme
            )
        enrolments_.append(first)
        end = first.period.end
        if (
            first.kind is ProgrammeKind.NATIONAL
            and end is not None
            and end.year - first.period.start.year == 3
            and draw(st.booleans())
        ):
            diploma = end
    return Schooling(
        compulsory_school_completed=True,
        source=source,
        upper_secondary=tuple(enrolments_),
        compulsory_school_left_on=left,
        diploma_on=diploma,
    )


@st.composite
def study_evidence(draw: st.DrawFn, on: dt.date | None = None) -> StudyEvidence:
    """A :class:`StudyEvidence` for a period starting by ``on``."""
    lo, ref, hi = _window(on)
    return StudyEvidence(
        period=draw(periods(lo, ref, max_end=hi, max_days=365, open_ended=None)),
        source=draw(_text(("CSN", "Komvux", "folkhögskolan", "den enskilde"))),
        institution=draw(st.none() | _text(("Komvux Trelleborg", "Lunds universitet"))),
        extent=draw(st.none() | extents()),
    )


@st.composite
def employment_evidence(draw: st.DrawFn, on: dt.date | None = None) -> EmploymentEvidence:
    """An :class:`EmploymentEvidence` for a period starting by ``on``."""
    lo, ref, hi = _window(on)
    return EmploymentEvidence(
        period=draw(periods(lo, ref, max_end=hi, max_days=365, open_ended=None)),
        source=draw(_text(("Skatteverket (AGI)", "arbetsgivarintyg", "den enskilde"))),
        employer=draw(st.none() | organisationsnummer()),
        extent=draw(st.none() | extents()),
    )


def _years(on: dt.date | None) -> list[int]:
    lo, ref, _ = _window(on)
    return list(range(lo.year, ref.year))  # whole calendar years before `on`'s year


@st.composite
def annual_incomes(draw: st.DrawFn, on: dt.date | None = None) -> AnnualIncome:
    """An :class:`AnnualIncome` for a whole calendar year before ``on``'s year."""
    years = _years(on) or [(on or _DEFAULT_ON).year - 1]
    amount = draw(st.one_of(st.just(0), st.integers(1, 60_000), st.integers(60_000, 600_000)))
    return AnnualIncome(draw(st.sampled_from(years)), amount, "Skatteverket")


@st.composite
def student_finances(draw: st.DrawFn, on: dt.date | None = None) -> StudentFinance:
    """A :class:`StudentFinance` for a calendar year before ``on``'s year."""
    years = _years(on) or [(on or _DEFAULT_ON).year - 1]
    received = draw(st.booleans())
    amount = draw(st.none() | st.integers(1000, 130_000)) if received else None
    return StudentFinance(draw(st.sampled_from(years)), received, amount)


@st.composite
def sfi_hours(draw: st.DrawFn, on: dt.date | None = None) -> SfiHours:
    """An :class:`SfiHours` for a calendar year before ``on``'s year."""
    years = _years(on) or [(on or _DEFAULT_ON).year - 1]
    return SfiHours(draw(st.sampled_from(years)), draw(st.integers(0, 600)))


@st.composite
def consultations(draw: st.DrawFn, on: dt.date | None = None) -> Consultation:
    """A :class:`Consultation` (samråd) between AF and the municipality held by ``on``, on
    a ``consultation-topic`` valid that day."""
    lo, ref, _ = _window(on)
    three_party = draw(st.booleans())
    parties = ["Arbetsförmedlingen", "kommunen"] + (["den unga"] if three_party else [])
    held_on = draw(_dates(lo, ref))
    return Consultation(
        held_on=held_on,
        topic=draw(code_of(codes.CONSULTATION_TOPIC, held_on)),
        parties=tuple(parties),
        three_party=three_party,
        note=draw(st.none() | _text(("Samtycke lämnat på blankett",))),
    )


@st.composite
def income_support_decisions(draw: st.DrawFn, on: dt.date | None = None) -> IncomeSupportDecision:
    """An :class:`IncomeSupportDecision` granting försörjningsstöd for one calendar month
    of the window (up to the month after ``on``'s), decided by ``on``: usually in the days
    around the month's start, sometimes well into it (support decided mid-month)."""
    lo, ref, _ = _window(on)
    month = _month(draw(_dates(lo, ref + dt.timedelta(days=31))))
    decided = min(ref, month.start + dt.timedelta(days=draw(st.integers(-10, 20))))
    return IncomeSupportDecision(f"FS-{month.start:%Y-%m}", decided, month)


#: The intervention ids :func:`cases` gives the municipal interventions it draws.
_CASE_INTERVENTION_IDS: Final = ("INS-00001", "INS-00002", "INS-00003")


@st.composite
def intervention_consultations(
    draw: st.DrawFn,
    on: dt.date | None = None,
    *,
    intervention_ids: Sequence[str] = _CASE_INTERVENTION_IDS,
    answers: Sequence[MeasureAnswer] = tuple(MeasureAnswer),
) -> InterventionConsultation:
    """An :class:`InterventionConsultation` with AF about one of ``intervention_ids`` (by
    default the ids :func:`cases` gives its interventions) held in the 120 days up to
    ``on``; AF's answer one of ``answers`` (repeat one to draw it more often), given
    within two weeks and by ``on``, or not given (``not-answered``)."""
    lo, ref, _ = _window(on)
    held = draw(_dates(max(lo, ref - dt.timedelta(days=120)), ref))
    answer = draw(st.sampled_from(list(answers)))
    answered = None
    if answer is not MeasureAnswer.NOT_ANSWERED:
        answered = draw(_dates(held, min(ref, held + dt.timedelta(days=14))))
    return InterventionConsultation(
        draw(st.sampled_from(list(intervention_ids))), held, answer, answered
    )


_CLOSE_REASONS: Final = ("började studera", "fick arbete", "fyllde 20 år", "flyttade")


@st.composite
def kaa_register_entries(
    draw: st.DrawFn, on: dt.date | None = None, *, born: dt.date | None = None
) -> KaaRegisterEntry:
    """A :class:`KaaRegisterEntry` made by ``on``: with ``born``, after the person turned
    16 and before 20; contacted usually within days; sometimes closed by ``on``."""
    lo, ref, _ = _window(on)
    if born is not None:
        lo = max(lo, dt.date(born.year + 16, 6, 12))
        ref = min(ref, born + relativedelta(years=20) - _ONE_DAY)
        if ref < lo:  # no room: the entry is then only consistent with itself
            lo, ref = _window(on)[0], _window(on)[1]
    entered = draw(_dates(lo, ref))
    contacted = draw(st.none() | _dates(entered, min(ref, entered + dt.timedelta(10))))
    closed = draw(st.none() | _dates(entered, ref))
    later: tuple[KaaContact, ...] = ()
    if contacted is not None:
        later = draw(
            st.lists(kaa_contacts(ref, after=contacted), max_size=2).map(
                lambda xs: tuple(sorted(xs, key=lambda c: c.on))
            )
        )
    occupation_on = draw(st.none() | _dates(entered, ref))
    occupation = None
    if occupation_on is not None:
        occupation = draw(code_of(codes.KAA_OCCUPATION, occupation_on))
    return KaaRegisterEntry(
        entered_on=entered,
        reason=draw(st.sampled_from(list(KaaEntryReason))),
        contacted_on=contacted,
        closed_on=closed,
        close_reason=None if closed is None else draw(_text(_CLOSE_REASONS)),
        contacts=later,
        occupation=occupation,
        occupation_on=occupation_on,
    )


@st.composite
def kaa_contacts(
    draw: st.DrawFn, on: dt.date | None = None, *, after: dt.date | None = None
) -> KaaContact:
    """A later :class:`KaaContact` on or before ``on`` (not before ``after``)."""
    lo, ref, _ = _window(on)
    return KaaContact(
        draw(_dates(after or lo, ref)),
        draw(st.sampled_from(list(KaaContactChannel))),
        draw(st.booleans()),
    )


_AGENCY_WORDINGS: Final = (
    "Ogiltig frånvaro vecka 12",
    "Avstängd 10 dagar enligt 43 §",
    "Återkrav av för mycket utbetalt belopp",
)


@st.composite
def agency_decisions(draw: st.DrawFn, on: dt.date | None = None) -> AgencyDecision:
    """An :class:`AgencyDecision` of CSN, FK, PM or an a-kassa made by ``on``, with a
    reason of that agency's list (``other`` with the agency's wording)."""
    lo, ref, _ = _window(on)
    agency = draw(st.sampled_from(list(DecidingAgency)))
    decided = draw(_dates(lo, ref))
    reason = draw(code_of(agency.code_list, decided))
    wording = _text(_AGENCY_WORDINGS)
    text = draw(wording) if reason == "other" else draw(st.none() | wording)
    fund = None
    if agency is DecidingAgency.UNEMPLOYMENT_FUND:
        fund = draw(st.none() | _text(("Akademikernas a-kassa", "Byggnads a-kassa")))
    return AgencyDecision(
        agency=agency,
        decided_on=decided,
        effect=draw(st.sampled_from(list(DecisionEffect))),
        reason=reason,
        reason_text=text,
        period=draw(st.none() | st.just(_month(decided))),
        fund=fund,
        reference=draw(st.none() | _text(("B-2024-0117", "CSN-55102"))),
    )


_CALLBACK_TEXTS: Final = ("Fråga om planerad insats", "Vem är handläggare på AF?")


@st.composite
def callback_requests(
    draw: st.DrawFn, on: dt.date | None = None, *, request_id: str | None = None
) -> CallbackRequest:
    """A :class:`CallbackRequest` to AF's myndighetsingång made by ``on``: up to three
    attempts in order (none after an answered one), then, when none was answered,
    sometimes a letter; every date by ``on``."""
    lo, ref, _ = _window(on)
    requested = draw(_dates(lo, ref))
    topic = draw(code_of(codes.AF_CALLBACK_TOPIC, requested))
    text = draw(_text(_CALLBACK_TEXTS)) if topic == "other" else None
    attempts: list[CallbackAttempt] = []
    day = requested
    for _ in range(draw(st.integers(0, 3))):
        day = draw(_dates(day, min(ref, day + dt.timedelta(days=7))))
        result = draw(st.sampled_from(list(CallbackResult)))
        attempts.append(CallbackAttempt(day, result))
        if result is CallbackResult.ANSWERED:
            break
    letter = None
    if attempts and not attempts[-1].answered and draw(st.booleans()):
        letter = draw(_dates(day, min(ref, day + dt.timedelta(days=7))))
    rid = request_id or draw(_text(("MI-0001", "MI-0002", "MI-0003")))
    return CallbackRequest(rid, requested, topic, text, tuple(attempts), letter)


# ---------------------------------------------------------------------------------------
# Municipal interventions
# ---------------------------------------------------------------------------------------

_INUK_OF_TYPE: Final = {
    "praktik": "praktik",
    "arbetstraning": "arbetstraning",
    "coachning": "coachning",
    "vagledning": "vagledning",
    "utbildning": "studier",
    "kommunal-anstallning": "anstallning-med-stod",
    "forberedande": "kartlaggning",
}
_LOCAL_NAMES: Final = {
    "praktik": "Praktik i kommunal verksamhet",
    "arbetstraning": "Arbetsträning på Returbutiken",
    "coachning": "Jobbcoachning",
    "vagledning": "Studie- och yrkesvägledning",
    "utbildning": "Yrkesutbildning Komvux",
    "kommunal-anstallning": "Kommunal visstidsanställning",
    "forberedande": "Kartläggning och förberedande insats",
    "motiverande": "Motiverande samtal",
    "feriejobb": "Feriepraktik",
    "extratjanst": "Extratjänst i kommunen",
    "lonebidrag": "Anställning med lönebidrag",
    "nystartsjobb": "Nystartsjobb i kommunen",
    "af-praktik": "Praktik anvisad av AF",
    "traineejobb": "Traineejobb i vården",
    "utbildningskontrakt": "Utbildningskontrakt",
    "ovrigt": "Övrig insats",
}


@st.composite
def municipal_interventions(
    draw: st.DrawFn,
    on: dt.date | None = None,
    *,
    intervention_type: str | None = None,
    intervention_id: str | None = None,
) -> MunicipalIntervention:
    """A :class:`MunicipalIntervention` whose status agrees with ``on`` (planned: starts
    after it, ended: ended before it, ongoing otherwise). Periods are closed (INUK needs
    the end date) except sometimes for an ongoing one. Mostly municipal types, sometimes
    an AF-decided one; the INUK category follows the type. An ended one sometimes has its
    result (an ``intervention-result`` code)."""
    lo, ref, hi = _window(on)
    period = draw(periods(lo, hi, max_end=hi, max_days=365))
    if draw(st.integers(0, 5)) == 0 and period.start <= ref and period.end is not None:
        # An ongoing intervention whose end is not yet decided (INUK needs it later).
        period = Period(period.start, None)
    if period.start > ref:
        status = InterventionStatus.PLANNED
    elif period.end is not None and period.end < ref:
        status = InterventionStatus.ENDED
    else:
        status = InterventionStatus.ONGOING
    kind = intervention_type or draw(code_of(codes.INTERVENTION_TYPE, period.start))
    changed = dt.datetime.combine(draw(_dates(min(period.start, ref), ref)), dt.time(12), dt.UTC)
    number = draw(st.integers(1, 99999))
    result = None
    if status is InterventionStatus.ENDED:
        result = draw(st.none() | code_of(codes.INTERVENTION_RESULT))
    return MunicipalIntervention(
        intervention_id=intervention_id or f"INS-{number:05d}",
        local_name=_LOCAL_NAMES.get(kind, kind.capitalize()),
        intervention_type=kind,
        period=period,
        extent=draw(extents()),
        provider=draw(providers()),
        status=status,
        inuk_category=_INUK_OF_TYPE.get(kind, "ovrigt") if draw(st.integers(0, 4)) else None,
        changed_at=draw(st.none() | st.just(changed)),
        result=result,
    )


# ---------------------------------------------------------------------------------------
# Whole values per information set, and whole Cases
# ---------------------------------------------------------------------------------------


def _several(
    item: st.SearchStrategy[T], key: Callable[[T], Any], max_size: int = 2
) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(item, min_size=1, max_size=max_size).map(lambda xs: tuple(sorted(xs, key=key)))


def _by_period(item: Any) -> tuple[dt.date, dt.date]:
    """Sort key: an item's period start, then its end (open periods last)."""
    return item.period.start, item.period.end or dt.date.max


def _unique_years(
    item: st.SearchStrategy[T], year: Callable[[T], int]
) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(item, min_size=1, max_size=3, unique_by=year).map(
        lambda xs: tuple(sorted(xs, key=year))
    )


@st.composite
def _report_series(draw: st.DrawFn, on: dt.date | None) -> tuple[ActivityReport, ...]:
    """Consecutive monthly reports ending with the last whole month before ``on``."""
    _, ref, _ = _window(on)
    count = draw(st.integers(1, 4))
    last = ref.replace(day=1) - _ONE_DAY
    months = [last - relativedelta(months=k) for k in range(count)][::-1]
    return tuple(draw(activity_reports(ref, month=m)) for m in months)


@st.composite
def _program_series(draw: st.DrawFn, on: dt.date | None) -> tuple[ProgramDecision, ...]:
    items = draw(
        st.lists(program_decisions(on), min_size=1, max_size=3, unique_by=lambda d: d.decision_id)
    )
    return tuple(sorted(items, key=lambda d: (d.decided_on, d.decision_id)))


def set_values(
    which: InformationSet,
    on: dt.date | None = None,
    *,
    person: Personnummer | Samordningsnummer | None = None,
) -> st.SearchStrategy[Any]:
    """The value of a known answer for ``which``: one item for single-valued sets, a
    non-empty, ordered tuple of consistent items for collections. ``person`` lets
    person-dependent sets (schooling, KAA, business activity) agree with the person."""
    which = InformationSet(which)
    if which in _PERSONAL:
        return _personal_values(which, on, person)
    return _set_values(which, on)


_PERSONAL: Final = frozenset(
    {InformationSet.SCHOOLING, InformationSet.KAA_REGISTER, InformationSet.BUSINESS_ACTIVITIES}
)


def _personal_values(
    which: InformationSet, on: dt.date | None, person: Personnummer | Samordningsnummer | None
) -> st.SearchStrategy[Any]:
    born = person.birth_date if person is not None else None
    if which is InformationSet.SCHOOLING:
        return schoolings(born, on=on)
    if which is InformationSet.KAA_REGISTER:
        return kaa_register_entries(on, born=born)
    return _several(business_activities(on, person=person), lambda b: b.position, 2)


@functools.lru_cache(maxsize=4096)
def _set_values(which: InformationSet, on: dt.date | None) -> st.SearchStrategy[Any]:
    factories: dict[InformationSet, Callable[[], st.SearchStrategy[Any]]] = {
        InformationSet.ENROLMENT: lambda: enrolments(on),
        InformationSet.CONSENTS: lambda: consent_histories(on, max_size=2),
        InformationSet.PROGRAM_DECISIONS: lambda: _program_series(on),
        InformationSet.ASSIGNMENTS: lambda: _several(
            assignment_decisions(on), lambda a: a.decided_on
        ),
        InformationSet.ENTITLEMENTS: lambda: _several(
            entitlements(on), lambda e: e.entitlement_type
        ),
        InformationSet.ACTIVITY_SUPPORTS: lambda: _several(
            activity_supports(on), lambda s: s.start
        ),
        InformationSet.ACTIVITY_SUPPORT_LEVELS: lambda: _several(
            activity_support_levels(on), _by_period
        ),
        InformationSet.ACTIVITY_REPORTS: lambda: _report_series(on),
        InformationSet.PLANNING_MEETINGS: lambda: _several(planning_meetings(on), lambda m: m.on),
        InformationSet.DISABILITY_CODES: lambda: _several(
            disability_codes(on), lambda c: c.registered_on
        ),
        InformationSet.SIUS: lambda: _several(sius_supports(on), _by_period, max_size=2),
        InformationSet.EMPLOYER_CHECKS: lambda: _several(
            employer_checks(on), lambda c: c.checked_on, 2
        ),
        InformationSet.HOUSING_ALLOWANCE: lambda: _several(
            housing_allowance_applications(on), lambda h: h.received_on
        ),
        InformationSet.UNEMPLOYMENT_FUND: unemployment_fund_memberships,
        InformationSet.PERMITS: lambda: _several(permits(on), _by_period, max_size=2),
        InformationSet.JOB_GUARANTEE_DAYS: lambda: job_guarantee_days(on),
        InformationSet.STUDIES: lambda: _several(study_evidence(on), _by_period),
        InformationSet.EMPLOYMENT: lambda: _several(employment_evidence(on), _by_period),
        InformationSet.INCOME: lambda: _unique_years(annual_incomes(on), lambda i: i.year),
        InformationSet.STUDENT_FINANCE: lambda: _unique_years(
            student_finances(on), lambda f: f.year
        ),
        InformationSet.SFI_HOURS: lambda: _unique_years(sfi_hours(on), lambda h: h.year),
        InformationSet.CONSULTATIONS: lambda: _several(consultations(on), lambda c: c.held_on),
        InformationSet.INCOME_SUPPORT: lambda: st.lists(
            income_support_decisions(on), min_size=1, max_size=3, unique_by=lambda d: d.period
        ).map(lambda xs: tuple(sorted(xs, key=_by_period))),
        # One answer per intervention and day: AF's answers on one day must agree.
        InformationSet.INTERVENTION_CONSULTATIONS: lambda: st.lists(
            intervention_consultations(on),
            min_size=1,
            max_size=3,
            unique_by=lambda c: (c.intervention_id, c.answered_on),
        ).map(lambda xs: tuple(sorted(xs, key=lambda c: c.held_on))),
        InformationSet.DECISION_REASONS: lambda: _several(
            agency_decisions(on), lambda d: d.decided_on
        ),
        # Request ids are unique within a case.
        InformationSet.AF_CALLBACKS: lambda: st.lists(
            callback_requests(on), min_size=1, max_size=3, unique_by=lambda r: r.request_id
        ).map(lambda xs: tuple(sorted(xs, key=lambda r: r.requested_on))),
    }
    return factories[which]()


@functools.lru_cache(maxsize=4096)
def _set_answers(
    which: InformationSet, on: dt.date, statuses: frozenset[AnswerStatus] | None
) -> st.SearchStrategy[Answer[Any]]:
    return answers(_set_values(which, on), statuses=statuses, on=on, provider=SETS[which].provider)


_MUNICIPALITIES: Final = (
    "0180",  # Stockholm
    "0380",  # Uppsala
    "0580",  # Linköping
    "1280",  # Malmö
    "1287",  # Trelleborg
    "1480",  # Göteborg
    "1880",  # Örebro
    "2480",  # Umeå
)


def cases(
    on: dt.date | None = None,
    *,
    known: Collection[InformationSet] = frozenset(),
    statuses: Collection[AnswerStatus] | None = None,
    age_between: tuple[int, int] | None = None,
    max_interventions: int = 3,
) -> st.SearchStrategy[Case]:
    """A whole :class:`Case` whose facts are known on ``on`` (drawn in 2016-2029 when not
    given).

    ``known`` forces those sets to be ``known``; the others draw any status of
    ``statuses`` (all, weighted toward ``known``, by default). ``age_between=(lo, hi)``
    makes the person ``lo`` to ``hi`` years old (inclusive) on ``on``. The municipal
    interventions (0 to ``max_interventions``) have distinct ids and statuses that agree
    with ``on``.

    Raises:
        ValueError: at once, if ``age_between`` is not ``0 <= lo <= hi`` or ``known``
            names something that is not an information set.
    """
    if age_between is not None and not 0 <= age_between[0] <= age_between[1]:
        raise ValueError(f"age_between needs 0 <= lo <= hi, got {age_between}")
    forced = frozenset(InformationSet(k) for k in known)
    return _cases(
        on,
        known=forced,
        statuses=None if statuses is None else frozenset(statuses),
        age_between=age_between,
        max_interventions=max_interventions,
    )


_ONLY_KNOWN: Final = frozenset({AnswerStatus.KNOWN})


@st.composite
def _cases(
    draw: st.DrawFn,
    on: dt.date | None = None,
    *,
    known: frozenset[InformationSet] = frozenset(),
    statuses: frozenset[AnswerStatus] | None = None,
    age_between: tuple[int, int] | None = None,
    max_interventions: int = 3,
) -> Case:
    ref = on if on is not None else draw(_dates(dt.date(2016, 1, 1), dt.date(2029, 12, 31)))
    if age_between is None:
        born_between = (BIRTH_MIN, min(BIRTH_MAX, ref - relativedelta(years=15)))
    else:
        youngest, oldest = age_between
        born_between = (
            ref - relativedelta(years=oldest + 1) + _ONE_DAY,
            ref - relativedelta(years=youngest),
        )
    person = draw(person_ids(born_between))
    fields: dict[str, Any] = {}
    for which in InformationSet:
        allowed = _ONLY_KNOWN if which in known else statuses
        if which in _PERSONAL:
            strategy = answers(
                _personal_values(which, ref, person),
                statuses=allowed,
                on=ref,
                provider=SETS[which].provider,
            )
        else:
            strategy = _set_answers(which, ref, allowed)
        fields[which.value] = draw(strategy)
    count = draw(st.integers(0, max_interventions))
    interventions = tuple(
        draw(municipal_interventions(ref, intervention_id=f"INS-{i + 1:05d}")) for i in range(count)
    )
    return Case(
        person=person,
        municipality=draw(st.sampled_from(_MUNICIPALITIES)),
        reference=draw(st.none() | st.integers(1, 99999).map(lambda n: f"ÄR-{ref.year}-{n:05d}")),
        interventions=interventions,
        municipality_organisation_number=draw(st.none() | _municipality_organisationsnummer()),
        **fields,
    )


@st.composite
def _municipality_organisationsnummer(draw: st.DrawFn) -> Organisationsnummer:
    # A kommun's number: legal-form group 2, 212000-NNNC (Luhn).
    body = f"212000{draw(st.integers(0, 999)):03d}"
    return Organisationsnummer.parse(body + luhn.calc_check_digit(body))


@st.composite
def handover_packages(draw: st.DrawFn, on: dt.date | None = None) -> Any:
    """A :class:`~ssbx_model.handover.HandoverPackage` prepared on ``on``: from
    municipality 1287 to another, with up to four interventions (active or planned as
    their status says), consents as the receiver sees them (none travels), perhaps an open
    KAA entry, perhaps the interventions named as withheld."""
    from ssbx_model.information.handover import (
        HANDOVER_VERSION,
        HandoverConsent,
        HandoverPackage,
        consent_travels,
    )

    ref = draw(_dates(DATE_MIN + _HORIZON, DATE_MAX - _HORIZON)) if on is None else on
    items = draw(
        st.lists(municipal_interventions(ref), max_size=4, unique_by=lambda i: i.intervention_id)
    )
    planned = tuple(i for i in items if i.status is InterventionStatus.PLANNED)
    active = tuple(i for i in items if i.status is not InterventionStatus.PLANNED)
    shown = tuple(
        HandoverConsent(c.kind, c.given, c.validity, *consent_travels(c.kind))
        for c in draw(st.lists(consents(ref), max_size=3))
    )
    withheld = draw(
        st.sampled_from(((), (WithheldField("interventions", "left out by the policy"),)))
    )
    return HandoverPackage(
        HANDOVER_VERSION,
        draw(person_ids()),
        "1287",
        draw(st.sampled_from(("0180", "1280", "2584"))),
        ref,
        active,
        planned,
        shown,
        draw(st.none() | kaa_register_entries(ref)),
        withheld,
    )
