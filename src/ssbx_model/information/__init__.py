"""The SSBTX information sets, one module each, and the facts the target-group rules need.

Every class is an immutable, slotted attrs class validated at construction: a bad value
raises :class:`ssbx_model.errors.ValidationError` listing every problem with its path.
"""

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
from ssbx_model.information.consent import Consent, ConsentChannel, ConsentKind
from ssbx_model.information.consultation import Consultation
from ssbx_model.information.decision_reason import AgencyDecision, DecidingAgency, DecisionEffect
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
from ssbx_model.information.housing import HousingAllowanceApplication, HousingAllowanceDecision
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
from ssbx_model.information.schooling import ProgrammeKind, Schooling, UpperSecondaryEnrolment
from ssbx_model.information.sets import SETS, InformationSet, SetInfo
from ssbx_model.information.sius import SiusSupport
from ssbx_model.information.unemployment_fund import UnemploymentFundMembership
from ssbx_model.information.yearly import AnnualIncome, SfiHours, StudentFinance

__all__ = [
    "SETS",
    "Activity",
    "ActivityReport",
    "ActivitySupport",
    "ActivitySupportLevel",
    "ActivitySupportWithdrawal",
    "AgencyDecision",
    "AnnualIncome",
    "Answer",
    "AnswerStatus",
    "ApplicantCategorySpell",
    "AssignmentDecision",
    "BusinessActivity",
    "CallbackAttempt",
    "CallbackRequest",
    "CallbackResult",
    "Consent",
    "ConsentChannel",
    "ConsentKind",
    "Consultation",
    "ContactDetails",
    "DecidingAgency",
    "DecisionEffect",
    "Deregistration",
    "DisabilityCode",
    "EmployerCheck",
    "EmploymentEvidence",
    "Enrolment",
    "Entitlement",
    "HousingAllowanceApplication",
    "HousingAllowanceDecision",
    "IncomeSupportDecision",
    "InformationSet",
    "InterventionConsultation",
    "InterventionStatus",
    "JobGuaranteeDays",
    "KaaContact",
    "KaaContactChannel",
    "KaaEntryReason",
    "KaaRegisterEntry",
    "MeasureAnswer",
    "MunicipalIntervention",
    "OtherPlacement",
    "Owner",
    "PastEnrolment",
    "PaymentRemark",
    "PaymentRemarkAssessment",
    "Permit",
    "PlanningMeeting",
    "ProgramDecision",
    "ProgramSpell",
    "ProgrammeKind",
    "Provenance",
    "Provider",
    "Sanction",
    "SanctionKind",
    "Schooling",
    "SetInfo",
    "SfiHours",
    "SiusSupport",
    "StudentFinance",
    "StudyEvidence",
    "UnemploymentFundMembership",
    "UnionApproval",
    "UpperSecondaryEnrolment",
    "WithheldField",
]
