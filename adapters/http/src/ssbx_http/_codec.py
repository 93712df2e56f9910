"""The body codecs: ssbx_model's case documents, XML (the default, as SSBTEK speaks) or
JSON, imported on first use."""

from __future__ import annotations

import importlib
import json
from functools import cache
from typing import Any, Final

import attrs

from ssbx_model.case import Case
from ssbx_model.errors import XmlSyntaxError

__all__ = ["FORMATS", "BodyCodec", "codec_for", "negotiate"]


@attrs.frozen
class BodyCodec:
    """One wire format of the case document."""

    name: str
    media_type: str
    module_name: str

    def _module(self) -> Any:
        return _import(self.module_name)

    def loads(self, body: bytes) -> Case:
        """Parse one case document fully (the codecs are hardened and raise
        :class:`ssbx_model.errors.SsbxError` subclasses on any defect)."""
        case: Case = self._module().loads(body)
        return case

    def dumps(self, case: Case) -> bytes:
        """Serialise one case as a case document."""
        data: bytes = self._module().dumps(case)
        return data

    def is_syntax_error(self, exc: Exception, body: bytes) -> bool:
        """True when ``exc`` means the body is not even well-formed (cut short, garbled),
        which may be transient; False when a well-formed document is invalid."""
        if isinstance(exc, XmlSyntaxError):
            return True
        if self.name == "json":
            try:
                json.loads(body)
            except (ValueError, RecursionError):
                return True
        return False

    def schema_version(self) -> str:
        """The case document's schema version, for provenance the source adds itself."""
        from ssbx_model.codec import SCHEMA_VERSION

        return f"ssbx-case-{SCHEMA_VERSION}"


@cache
def _import(name: str) -> Any:
    return importlib.import_module(name)


XML: Final = BodyCodec("xml", "application/xml", "ssbx_model.codec.xml")
JSON: Final = BodyCodec("json", "application/json", "ssbx_model.codec.json")
FORMATS: Final = {"xml": XML, "json": JSON}


def codec_for(name: str) -> BodyCodec:
    """The codec of a format name (``"xml"`` or ``"json"``)."""
    return FORMATS[name]


def negotiate(accept: str) -> BodyCodec:
    """The codec an ``Accept`` header asks for: JSON when it lists ``application/json``
    and no XML type, otherwise XML (the default)."""
    types = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if "application/json" in types and not types & {"application/xml", "text/xml"}:
        return JSON
    return XML
