"""The catalogue of information sets: names, Swedish terms, providers, item types.

:class:`InformationSet` values are the field names of :class:`ssbx_model.Case`, and the
names used by rules (``Decision.missing``), the access policy and the audit trail.
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from ssbx_model.information.activity_report import ActivityReport
from ssbx_model.information.activity_support import ActivitySupport, ActivitySupportLevel
from ssbx_model.information.assignment import AssignmentDecision
from ssbx_model.information.business import BusinessActivity
from ssbx_model.information.callback import CallbackRequest
from ssbx_model.information.consent import Consent
from ssbx_model.information.consultation import Consultation
from ssbx_model.information.decision_reason import AgencyDecision
from ssbx_model.information.disability import DisabilityCode
from ssbx_model.information.employer import EmployerCheck
from ssbx_model.information.enrolment import Enrolment
from ssbx_model.information.entitlement import Entitlement
from ssbx_model.information.evidence import EmploymentEvidence, StudyEvidence
from ssbx_model.information.housing import HousingAllowanceApplication
from ssbx_model.information.income_support import IncomeSupportDecision
from ssbx_model.information.intervention_consultation import InterventionConsultation
from ssbx_model.information.job_guarantee import JobGuaranteeDays
from ssbx_model.information.kaa import KaaRegisterEntry
from ssbx_model.information.permits import Permit
from ssbx_model.information.planning import PlanningMeeting
from ssbx_model.information.program import ProgramDecision
from ssbx_model.information.schooling import Schooling
from ssbx_model.information.sius import SiusSupport
from ssbx_model.information.unemployment_fund import UnemploymentFundMembership
from ssbx_model.information.yearly import AnnualIncome, SfiHours, StudentFinance

__all__ = ["SETS", "InformationSet", "SetInfo"]


class InformationSet(StrEnum):
    """Every information set a Case holds (the value is the Case field name)."""

    ENROLMENT = "enrolment"
    CONSENTS = "consents"
    PROGRAM_DECISIONS = "program_decisions"
    ASSIGNMENTS = "assignments"
    ENTITLEMENTS = "entitlements"
    ACTIVITY_SUPPORTS = "activity_supports"
    ACTIVITY_SUPPORT_LEVELS = "activity_support_levels"
    ACTIVITY_REPORTS = "activity_reports"
    PLANNING_MEETINGS = "planning_meetings"
    DISABILITY_CODES = "disability_codes"
    SIUS = "sius"
    EMPLOYER_CHECKS = "employer_checks"
    BUSINESS_ACTIVITIES = "business_activities"
    HOUSING_ALLOWANCE = "housing_allowance"
    UNEMPLOYMENT_FUND = "unemployment_fund"
    PERMITS = "permits"
    JOB_GUARANTEE_DAYS = "job_guarantee_days"
    SCHOOLING = "schooling"
    STUDIES = "studies"
    EMPLOYMENT = "employment"
    INCOME = "income"
    STUDENT_FINANCE = "student_finance"
    SFI_HOURS = "sfi_hours"
    CONSULTATIONS = "consultations"
    KAA_REGISTER = "kaa_register"
    INCOME_SUPPORT = "income_support"
    INTERVENTION_CONSULTATIONS = "intervention_consultations"
    DECISION_REASONS = "decision_reasons"
    AF_CALLBACKS = "af_callbacks"

    @property
    def info(self) -> SetInfo:
        """Swedish term, provider and item type of this set."""
        return SETS[self]


@attrs.frozen
class SetInfo:
    """What the catalogue knows about one information set."""

    swedish: str
    provider: str
    item_type: type
    collection: bool
    from_af: bool
    source: str


_AF = "Arbetsförmedlingen"
_FK = "Försäkringskassan"
_R = "SSBTX report part 2 (SKR 2022-03-11)"
_SOL_4_4 = (
    "socialtjänstlagen (2001:453) 4 kap. 4 § (until 2025-06-30), quoted in the SSBTX report "
    "part 2 (SKR 2022-03-11), 'Situation: Anvisa insats'"
)

SETS: dict[InformationSet, SetInfo] = {
    InformationSet.ENROLMENT: SetInfo(
        "inskrivning", _AF, Enrolment, False, True, f"{_R}, Bilaga 1"
    ),
    InformationSet.CONSENTS: SetInfo("samtycke", _AF, Consent, True, True, f"{_R}, Bilaga 1"),
    InformationSet.PROGRAM_DECISIONS: SetInfo(
        "programbeslut med aktiviteter", _AF, ProgramDecision, True, True, f"{_R}, Bilaga 1"
    ),
    InformationSet.ASSIGNMENTS: SetInfo(
        "anvisningsbeslut", _AF, AssignmentDecision, True, True, f"{_R}, tabell 4-6"
    ),
    InformationSet.ENTITLEMENTS: SetInfo(
        "berättigad", _AF, Entitlement, True, True, f"{_R}, tabell 4-6"
    ),
    InformationSet.ACTIVITY_SUPPORTS: SetInfo(
        "aktivitetsstöd och indragning",
        _AF,
        ActivitySupport,
        True,
        True,
        f"{_R}, Bilaga 1, tabell 3",
    ),
    InformationSet.ACTIVITY_SUPPORT_LEVELS: SetInfo(
        "aktivitetsstödets nivå", _FK, ActivitySupportLevel, True, False, f"{_R}, tabell 3"
    ),
    InformationSet.ACTIVITY_REPORTS: SetInfo(
        "aktivitetsrapport", _AF, ActivityReport, True, True, f"{_R}, Bilaga 1"
    ),
    InformationSet.PLANNING_MEETINGS: SetInfo(
        "planeringssamtal", _AF, PlanningMeeting, True, True, f"{_R}, Bilaga 1"
    ),
    InformationSet.DISABILITY_CODES: SetInfo(
        "funktionshinderkod", _AF, DisabilityCode, True, True, f"{_R}, Bilaga 1"
    ),
    InformationSet.SIUS: SetInfo("SIUS", _AF, SiusSupport, True, True, f"{_R}, Bilaga 1"),
    InformationSet.EMPLOYER_CHECKS: SetInfo(
        "arbetsgivarkontroll",
        "Bolagsverket, Skatteverket, Kronofogden, AF",
        EmployerCheck,
        True,
        False,
        f"{_R}, Bilaga 1, tabell 6",
    ),
    InformationSet.BUSINESS_ACTIVITIES: SetInfo(
        "näringsverksamhet",
        "Skatteverket, Bolagsverket",
        BusinessActivity,
        True,
        False,
        f"{_R}, Bilaga 1",
    ),
    InformationSet.HOUSING_ALLOWANCE: SetInfo(
        "ansökan om bostadsbidrag", _FK, HousingAllowanceApplication, True, False, f"{_R}, Bilaga 1"
    ),
    InformationSet.UNEMPLOYMENT_FUND: SetInfo(
        "medlemskap i a-kassa",
        f"{_AF} (självrapporterat)",
        UnemploymentFundMembership,
        False,
        True,
        f"{_R}, arbetsmarknadsenhetens behov",
    ),
    InformationSet.PERMITS: SetInfo(
        "uppehålls- och arbetstillstånd",
        "Migrationsverket",
        Permit,
        True,
        False,
        f"{_R}, arbetsmarknadsenhetens behov",
    ),
    InformationSet.JOB_GUARANTEE_DAYS: SetInfo(
        "dagar i jobb- och utvecklingsgarantin",
        _FK,
        JobGuaranteeDays,
        False,
        False,
        f"{_R}, arbetsmarknadsenhetens behov",
    ),
    InformationSet.SCHOOLING: SetInfo(
        "skolgång",
        "skolhuvudman / kommunen",
        Schooling,
        False,
        False,
        "skollagen (2010:800) 29 kap. 9 §",
    ),
    InformationSet.STUDIES: SetInfo(
        "studier",
        "CSN, skolor, den enskilde",
        StudyEvidence,
        True,
        False,
        "Trelleborgs kommun, Systemfel inom KAA",
    ),
    InformationSet.EMPLOYMENT: SetInfo(
        "anställning",
        "Skatteverket, den enskilde",
        EmploymentEvidence,
        True,
        False,
        "Trelleborgs kommun, Systemfel inom KAA",
    ),
    InformationSet.INCOME: SetInfo(
        "årsinkomst",
        "Skatteverket",
        AnnualIncome,
        True,
        False,
        "Sambruk, UKA-projektet (UVAS)",
    ),
    InformationSet.STUDENT_FINANCE: SetInfo(
        "studiemedel", "CSN", StudentFinance, True, False, "Sambruk, UKA-projektet (UVAS)"
    ),
    InformationSet.SFI_HOURS: SetInfo(
        "SFI-timmar", "kommunens vuxenutbildning", SfiHours, True, False, "MUCF:s UVAS-definition"
    ),
    InformationSet.CONSULTATIONS: SetInfo(
        "samråd",
        "kommunen",
        Consultation,
        True,
        False,
        "Dua, Frågor och svar om kommuninsatser 16-24 år",
    ),
    InformationSet.KAA_REGISTER: SetInfo(
        "KAA-register",
        "hemkommunen",
        KaaRegisterEntry,
        False,
        False,
        "skollagen (2010:800) 29 kap. 9 §; Trelleborgs kommun, Systemfel inom KAA",
    ),
    InformationSet.INCOME_SUPPORT: SetInfo(
        "försörjningsstöd",
        "kommunen (ekonomiskt bistånd)",
        IncomeSupportDecision,
        True,
        False,
        _SOL_4_4,
    ),
    InformationSet.INTERVENTION_CONSULTATIONS: SetInfo(
        "samråd med Arbetsförmedlingen om kommunal insats",
        "kommunen",
        InterventionConsultation,
        True,
        False,
        _SOL_4_4,
    ),
    InformationSet.DECISION_REASONS: SetInfo(
        "anledning till beslut",
        "CSN, Försäkringskassan, Pensionsmyndigheten, a-kassorna",
        AgencyDecision,
        True,
        False,
        f"{_R}, Bilaga 4, sida 11 'Anledning till beslut (NY)'",
    ),
    InformationSet.AF_CALLBACKS: SetInfo(
        "ärenden till Arbetsförmedlingens myndighetsingång",
        "kommunen",
        CallbackRequest,
        True,
        False,
        f"{_R}, 'Kommunens kontakt med Arbetsförmedlingens myndighetsingång'",
    ),
}
