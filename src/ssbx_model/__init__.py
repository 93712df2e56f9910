"""ssbx_model: typed SSBTX information sets, explainable target-group rules and ports.

The public API is what this module re-exports; modules whose names start with an
underscore are private.
"""

from ssbx_model._version import __version__
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

__all__ = [
    "AccessDenied",
    "AdapterError",
    "AdapterNotFound",
    "InvalidIdentityNumber",
    "Problem",
    "ReportError",
    "RuleError",
    "SchemaVersionError",
    "SsbxError",
    "TransportError",
    "UnknownCodeError",
    "UnknownRuleError",
    "UnsafeXmlError",
    "ValidationError",
    "XmlSyntaxError",
    "__version__",
]
