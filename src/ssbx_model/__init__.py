"""ssbx_model: typed SSBTX information sets, explainable target-group rules and ports.

The public API is what this module re-exports; modules whose names start with an
underscore are private.
"""

from ssbx_model._version import __version__
from ssbx_model.calendar import Extent, Period, WorkingDayCalendar, age_on
from ssbx_model.case import Case, Gender
from ssbx_model.errors import (
    AccessDenied,
    AdapterError,
    AdapterNotFound,
    InvalidIdentityNumber,
    Problem,
    ReportError,
    RuleError,
    SchemaVersionError,
    SsbxError,
    TransportError,
    UnknownCodeError,
    UnknownRuleError,
    UnsafeXmlError,
    ValidationError,
    XmlSyntaxError,
)
from ssbx_model.identity import (
    IdentityNumber,
    Organisationsnummer,
    PersonId,
    Personnummer,
    Samordningsnummer,
    parse_person_id,
)
from ssbx_model.information import Answer, AnswerStatus, InformationSet, Provenance
from ssbx_model.purpose import Purpose, Role

__all__ = [
    "AccessDenied",
    "AdapterError",
    "AdapterNotFound",
    "Answer",
    "AnswerStatus",
    "Case",
    "Extent",
    "Gender",
    "IdentityNumber",
    "InformationSet",
    "InvalidIdentityNumber",
    "Organisationsnummer",
    "Period",
    "PersonId",
    "Personnummer",
    "Problem",
    "Provenance",
    "Purpose",
    "ReportError",
    "Role",
    "RuleError",
    "Samordningsnummer",
    "SchemaVersionError",
    "SsbxError",
    "TransportError",
    "UnknownCodeError",
    "UnknownRuleError",
    "UnsafeXmlError",
    "ValidationError",
    "WorkingDayCalendar",
    "XmlSyntaxError",
    "__version__",
    "age_on",
    "parse_person_id",
]
