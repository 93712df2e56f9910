"""The Case: everything known about one person, each information set as an answer.

A Case holds one person's identity number and home municipality, every information set
as an :class:`~ssbx_model.information.Answer` (known, absent, not found, unavailable,
withheld or not requested) with its provenance, and the municipality's own
interventions. A set nobody asked for defaults to ``not requested``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, Final

import attrs

from ssbx_model.errors import Problem
from ssbx_model.identity import (
    Organisationsnummer,
    Personnummer,
    Samordningsnummer,
    mask_identity_numbers,
)
from ssbx_model.information._base import (
    Answer,
    AnswerStatus,
    check_types,
    raise_problems,
)
from ssbx_model.information.activity_report import ActivityReport
from ssbx_model.information.activity_support import ActivitySupport, ActivitySupportLevel
from ssbx_model.information.assignment import AssignmentDecision
from ssbx_model.information.business import BusinessActivity
from ssbx_model.information.callback import CallbackRequest
from ssbx_model.information.consent import Consent, consent_history_problems
from ssbx_model.information.consultation import Consultation
from ssbx_model.information.decision_reason import AgencyDecision
from ssbx_model.information.disability import DisabilityCode
from ssbx_model.information.employer import EmployerCheck
from ssbx_model.information.enrolment import Enrolment
from ssbx_model.information.entitlement import Entitlement
from ssbx_model.information.evidence import EmploymentEvidence, StudyEvidence
from ssbx_model.information.housing import HousingAllowanceApplication
from ssbx_model.information.income_support import IncomeSupportDecision
from ssbx_model.information.intervention import MunicipalIntervention
from ssbx_model.information.intervention_consultation import (
    InterventionConsultation,
    consultation_answer_problems,
)
from ssbx_model.information.job_guarantee import JobGuaranteeDays
from ssbx_model.information.kaa import KaaRegisterEntry
from ssbx_model.information.permits import Permit
from ssbx_model.information.planning import PlanningMeeting
from ssbx_model.information.program import ProgramDecision
from ssbx_model.information.schooling import Schooling
from ssbx_model.information.sets import SETS, InformationSet
from ssbx_model.information.sius import SiusSupport
from ssbx_model.information.unemployment_fund import UnemploymentFundMembership
from ssbx_model.information.yearly import AnnualIncome, SfiHours, StudentFinance

__all__ = ["Case", "Gender"]

#: A municipality code (kommunkod): four ASCII digits (``\d`` would also take other
#: scripts' digits). The shipped schemas use the same pattern.
MUNICIPALITY_PATTERN: Final = "[0-9]{4}"
_MUNICIPALITY = re.compile(MUNICIPALITY_PATTERN + r"\Z")

# (field name, is a collection, item type) of every information set, in catalogue order:
# computed once, since every Case checks its answers against it.
_SET_FIELDS: tuple[tuple[str, bool, type], ...] = tuple(
    (which.value, SETS[which].collection, SETS[which].item_type) for which in InformationSet
)


class Gender(StrEnum):
    """Legal gender as encoded in the identity number (Kolada's K and M)."""

    FEMALE = "K"
    MALE = "M"


def _contains_number(text: str, person: Personnummer | Samordningsnummer) -> bool:
    """True when ``text`` holds the person's number, in its 12- or 10-digit form."""
    digits = "".join(filter(str.isdigit, text))
    full = person.reveal().replace("-", "")
    return full[2:] in digits


def _repeated_ids(
    problems: list[Problem], field: str, items: object, item_type: type, id_field: str
) -> None:
    """Name every item of a known collection answer whose id repeats an earlier one's."""
    if not isinstance(items, tuple):
        return  # already named by the type check
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, item_type):
            continue  # already named by the type check
        ident = getattr(item, id_field)
        if ident in first:
            problems.append(
                Problem(f"{field}.value[{i}].{id_field}", f"repeats {field}.value[{first[ident]}]")
            )
        first.setdefault(ident, i)


# Answers are immutable, so one shared "not requested" default serves every field.
_NR: Answer[Any] = Answer(AnswerStatus.NOT_REQUESTED)


@attrs.frozen(slots=True)
class Case:
    """Everything known about one person (one ärende), set by set.

    ``municipality`` is the four-digit municipality code (kommunkod) of the home
    municipality (where the person is folkbokförd). ``reference`` is the vendor's own case
    reference, if any: it must not contain the identity number (checked: its digits must
    not hold the 10 digits of the person's number). ``municipality_organisation_number``
    is the organisation number of the municipality (kommun) that plans the interventions,
    a public fact (a kommun's number is in legal-form group 2, state, regions and
    municipalities: ``212000-NNNN``). A provider with this number is the municipality
    itself, whose own units the ``employer-check`` rule leaves out ("placering hos annan
    arbetsgivare än kommun"); None: not given, and every provider is checked as another
    employer.

    Besides each item's own validation, the Case checks that every known answer holds
    items of the set's type (a non-empty tuple for collections), that program decisions
    and municipal interventions have distinct ids, that the consent history does not
    contradict itself (:func:`~ssbx_model.information.consent.consent_history_problems`),
    that AF's answers about one intervention on one day agree
    (:func:`~ssbx_model.information.intervention_consultation.consultation_answer_problems`),
    and that the reference hides the person's number.

    Raises:
        ValidationError: listing every problem with its path, e.g.
            ``program_decisions.value[1].decision_id`` or ``interventions[0].intervention_id``.
    """

    person: Personnummer | Samordningsnummer
    municipality: str
    reference: str | None = None
    enrolment: Answer[Enrolment] = _NR
    consents: Answer[tuple[Consent, ...]] = _NR
    program_decisions: Answer[tuple[ProgramDecision, ...]] = _NR
    assignments: Answer[tuple[AssignmentDecision, ...]] = _NR
    entitlements: Answer[tuple[Entitlement, ...]] = _NR
    activity_supports: Answer[tuple[ActivitySupport, ...]] = _NR
    activity_support_levels: Answer[tuple[ActivitySupportLevel, ...]] = _NR
    activity_reports: Answer[tuple[ActivityReport, ...]] = _NR
    planning_meetings: Answer[tuple[PlanningMeeting, ...]] = _NR
    disability_codes: Answer[tuple[DisabilityCode, ...]] = _NR
    sius: Answer[tuple[SiusSupport, ...]] = _NR
    employer_checks: Answer[tuple[EmployerCheck, ...]] = _NR
    business_activities: Answer[tuple[BusinessActivity, ...]] = _NR
    housing_allowance: Answer[tuple[HousingAllowanceApplication, ...]] = _NR
    unemployment_fund: Answer[UnemploymentFundMembership] = _NR
    permits: Answer[tuple[Permit, ...]] = _NR
    job_guarantee_days: Answer[JobGuaranteeDays] = _NR
    schooling: Answer[Schooling] = _NR
    studies: Answer[tuple[StudyEvidence, ...]] = _NR
    employment: Answer[tuple[EmploymentEvidence, ...]] = _NR
    income: Answer[tuple[AnnualIncome, ...]] = _NR
    student_finance: Answer[tuple[StudentFinance, ...]] = _NR
    sfi_hours: Answer[tuple[SfiHours, ...]] = _NR
    consultations: Answer[tuple[Consultation, ...]] = _NR
    kaa_register: Answer[KaaRegisterEntry] = _NR
    income_support: Answer[tuple[IncomeSupportDecision, ...]] = _NR
    intervention_consultations: Answer[tuple[InterventionConsultation, ...]] = _NR
    decision_reasons: Answer[tuple[AgencyDecision, ...]] = _NR
    af_callbacks: Answer[tuple[CallbackRequest, ...]] = _NR
    interventions: tuple[MunicipalIntervention, ...] = ()
    municipality_organisation_number: Organisationsnummer | None = None

    def __attrs_post_init__(self) -> None:
        # Every field has its declared type from here on (check_types raises otherwise):
        # the person is a Personnummer or Samordningsnummer, each set an Answer, ...
        check_types(self)
        problems: list[Problem] = []
        if not _MUNICIPALITY.match(self.municipality):
            problems.append(Problem("municipality", "must be a four-digit municipality code"))
        if self.reference is not None:
            if not self.reference.strip():
                problems.append(Problem("reference", "must not be empty"))
            elif _contains_number(self.reference, self.person):
                problems.append(
                    Problem("reference", "must not contain the person's identity number")
                )
        org = self.municipality_organisation_number
        if org is not None and org.legal_form_group != 2:
            problems.append(
                Problem(
                    "municipality_organisation_number",
                    "must be a municipality's organisation number (legal-form group 2, "
                    "the first digit)",
                )
            )
        for field, collection, item_type in _SET_FIELDS:
            answer: Answer[Any] = getattr(self, field)
            if answer is _NR or answer.status is not AnswerStatus.KNOWN:
                continue  # no value to check (_NR: the shared default, most sets)
            values = answer.value if collection else (answer.value,)
            if collection and not isinstance(values, tuple):
                problems.append(Problem(f"{field}.value", "must be a tuple"))
                continue
            for i, item in enumerate(values):  # type: ignore[arg-type]
                if not isinstance(item, item_type):
                    where = f"{field}.value[{i}]" if collection else f"{field}.value"
                    problems.append(Problem(where, f"must be a {item_type.__name__}"))
        if self.program_decisions.status is AnswerStatus.KNOWN:
            _repeated_ids(
                problems,
                "program_decisions",
                self.program_decisions.value,
                ProgramDecision,
                "decision_id",
            )
        if self.consents.status is AnswerStatus.KNOWN:
            history: object = self.consents.value
            if isinstance(history, tuple) and all(isinstance(c, Consent) for c in history):
                problems.extend(consent_history_problems(history, "consents.value"))
        if self.intervention_consultations.status is AnswerStatus.KNOWN:
            held: object = self.intervention_consultations.value
            if isinstance(held, tuple) and all(
                isinstance(c, InterventionConsultation) for c in held
            ):
                problems.extend(
                    consultation_answer_problems(held, "intervention_consultations.value")
                )
        if self.af_callbacks.status is AnswerStatus.KNOWN:
            _repeated_ids(
                problems, "af_callbacks", self.af_callbacks.value, CallbackRequest, "request_id"
            )
        seen: dict[str, int] = {}
        for i, intervention in enumerate(self.interventions):
            if intervention.intervention_id in seen:
                problems.append(
                    Problem(
                        f"interventions[{i}].intervention_id",
                        f"repeats interventions[{seen[intervention.intervention_id]}]",
                    )
                )
            seen.setdefault(intervention.intervention_id, i)
        raise_problems(problems)

    def answer(self, which: InformationSet | str) -> Answer[object]:
        """The answer for one information set, by enum or name."""
        answer: Answer[object] = getattr(self, InformationSet(which).value)
        return answer

    def answers(self) -> Iterator[tuple[InformationSet, Answer[object]]]:
        """Every information set with its answer, in catalogue order."""
        for name in InformationSet:
            yield name, getattr(self, name.value)

    @property
    def gender(self) -> Gender:
        """Legal gender from the identity number's serial (odd: male, even: female)."""
        return Gender.MALE if int(self.person.reveal()[-2]) % 2 else Gender.FEMALE

    def __repr__(self) -> str:
        known = [n.value for n, a in self.answers() if a.status is AnswerStatus.KNOWN]
        # The reference is the caller's text: masked like every other outside text.
        ref = f", reference={mask_identity_numbers(repr(self.reference))}" if self.reference else ""
        return (
            f"Case(person={self.person!r}, municipality={self.municipality!r}{ref}, "
            f"known={known}, interventions={len(self.interventions)})"
        )
