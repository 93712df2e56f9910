"""Scalar values on the wire: their one lexical form, strict parsers and formatters.

Both formats write a scalar the same way (JSON as a string, number or boolean; XML as the
element's text), so one parser per kind serves both. Nothing is coerced: a date is
``YYYY-MM-DD`` and nothing else, an integer is a JSON integer or the XML text
``-?(0|[1-9][0-9]*)``, a boolean is ``true`` or ``false``.

Messages never repeat an identity number, and repeat other input only when it cannot be
one (see :func:`shown`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

from ssbx_model.calendar import Extent
from ssbx_model.errors import InvalidIdentityNumber
from ssbx_model.identity import (
    IdentityNumber,
    Organisationsnummer,
    Personnummer,
    Samordningsnummer,
)

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "Invalid",
    "NotJson",
    "bad_xml_char",
    "format_scalar",
    "json_type",
    "parse_json_scalar",
    "parse_text",
    "shown",
]

#: Every scalar kind except enums, in the order the schemas list them.
SCALAR_KINDS: Final = ("str", "int", "bool", "date", "datetime", "person", "orgnr", "extent")

#: Integers travel as signed 64-bit values, so that every consumer can hold them.
INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1

DATE_PATTERN: Final = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATETIME_PATTERN: Final = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?(Z|[+\-][0-9]{2}:[0-9]{2})"
)
INT_PATTERN: Final = r"-?(0|[1-9][0-9]{0,18})"
PERSON_PATTERN: Final = r"[0-9]{8}-[0-9]{4}"
ORGNR_PATTERN: Final = r"[0-9]{6}-[0-9]{4}"
EXTENT_PATTERN: Final = r"[1-9][0-9]?|100"

_DATE = re.compile(DATE_PATTERN + r"\Z", re.ASCII).match
_DATETIME = re.compile(DATETIME_PATTERN + r"\Z", re.ASCII).match
_INT = re.compile(INT_PATTERN + r"\Z", re.ASCII).match
_PERSON = re.compile(PERSON_PATTERN + r"\Z", re.ASCII).match
_ORGNR = re.compile(ORGNR_PATTERN + r"\Z", re.ASCII).match
_EXTENT = re.compile(r"(?:" + EXTENT_PATTERN + r")\Z", re.ASCII).match
# Characters XML 1.0 cannot carry (its production Char); refused in both formats so that
# every document converts to the other format.
_BAD_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]").search
_SHOWABLE = re.compile(r"[A-Za-z_\-]{1,40}\Z", re.ASCII).match

#: A samordningsnummer's day of birth has 60 added (61..91).
_SAMORDNING_DAY: Final = 60

#: Every extent, built once: extents are immutable and there are only a hundred.
EXTENTS: Final = {p: Extent(p) for p in range(1, 101)}


class Invalid(Exception):
    """A scalar is not in its lexical form; ``message`` says what it must be."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(value: object) -> str:
    """``value`` quoted for a message when it is short letters only (never a number)."""
    if isinstance(value, str) and _SHOWABLE(value):
        return repr(value)
    return "the given value"


def json_type(value: object) -> str:
    """How a parsed JSON value is named in messages (``a string``, ``null``, ...).

    Only the exact classes a JSON parser gives have JSON names (a Python value of a
    subclass is named by its class, and refused like any other non-JSON value); a number
    JSON cannot carry is named as such (``NaN, which is not a JSON number``)."""
    if value is None:
        return "null"
    cls = value.__class__
    name = _JSON_NAMES.get(cls)
    if name is not None:
        return name
    if issubclass(cls, dict):  # the explaining parse's object with repeated keys
        return "an object"
    if isinstance(value, NotJson):
        return value.text
    return cls.__name__


class NotJson:
    """A number in a JSON text that JSON cannot carry (``NaN``, ``Infinity``, a decimal
    beyond the range of a double), kept by the explaining parse as this marker so that
    its problem is reported at its path; ``text`` names it in messages."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"NotJson({self.text!r})"


_JSON_NAMES: Final[dict[type, str]] = {
    bool: "a boolean",
    int: "a whole number",
    float: "a decimal number",
    str: "a string",
    list: "an array",
    dict: "an object",
}


def bad_xml_char(text: str) -> bool:
    """True if ``text`` holds a character XML 1.0 cannot carry."""
    return _BAD_XML_CHAR(text) is not None


# -- parsers from text --------------------------------------------------------------------


def parse_str(text: str) -> str:
    """Any text XML can carry."""
    if _BAD_XML_CHAR(text) is not None:
        raise Invalid(
            "contains a character XML cannot carry (a control character other than tab, "
            "line feed and carriage return, a lone surrogate, U+FFFE or U+FFFF)"
        )
    return text


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD``, a real calendar date."""
    if _DATE(text) is None:
        raise Invalid("must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid("must be a real calendar date written YYYY-MM-DD") from None


def parse_datetime(text: str) -> dt.datetime:
    """``YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM|-HH:MM)``: the offset is required."""
    if _DATETIME(text) is None:
        raise Invalid(
            "must be a date and time with its UTC offset, written "
            "YYYY-MM-DDTHH:MM:SS+HH:MM (optional fraction of a second; Z for UTC)"
        )
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise Invalid("must be a real date and time with a UTC offset below 24 hours") from None


def parse_int_text(text: str) -> int:
    """``-?(0|[1-9][0-9]*)`` within the signed 64-bit range."""
    if _INT(text) is None:
        raise Invalid(
            "must be a whole number written with digits only (no sign '+', no zeros in front)"
        )
    return check_int(int(text))


def check_int(value: int) -> int:
    """``value`` if it is within the signed 64-bit range."""
    if not INT_MIN <= value <= INT_MAX:
        raise Invalid(f"must be a whole number from {INT_MIN} to {INT_MAX}")
    return value


def parse_bool_text(text: str) -> bool:
    """``true`` or ``false``."""
    if text == "true":
        return True
    if text == "false":
        return False
    raise Invalid("must be true or false")


def parse_extent_text(text: str) -> Extent:
    """A whole percent from 1 to 100."""
    if _EXTENT(text) is None:
        raise Invalid("must be a whole percent from 1 to 100")
    return EXTENTS[int(text)]


def parse_person(text: str) -> Personnummer | Samordningsnummer:
    """A personnummer or samordningsnummer in its canonical 12-digit form."""
    if _PERSON(text) is None:
        raise Invalid("must be a personnummer or samordningsnummer written YYYYMMDD-NNNC")
    # The canonical form needs no parsing: the constructor checks the 12 digits (date,
    # kind, check digit), as it does for every other way in.
    kind = Samordningsnummer if int(text[6:8]) > _SAMORDNING_DAY else Personnummer
    try:
        return kind(_digits=text[:8] + text[9:])
    except InvalidIdentityNumber as exc:
        raise Invalid(str(exc)) from None


def parse_orgnr(text: str) -> Organisationsnummer:
    """An organisationsnummer ``NNNNNN-NNNN``; a sole trader's (a personnummer) included."""
    if _ORGNR(text) is None:
        raise Invalid("must be an organisationsnummer written NNNNNN-NNNN")
    try:  # as Organisationsnummer.parse(text, allow_sole_trader=True), without re-parsing
        return Organisationsnummer(_digits=text[:6] + text[7:])
    except InvalidIdentityNumber as exc:
        raise Invalid(str(exc)) from None


def enum_parser(enum: type[StrEnum]) -> Callable[[str], StrEnum]:
    """A parser accepting exactly the enum's values."""
    members = {m.value: m for m in enum}
    allowed = ", ".join(repr(v) for v in members)

    def parse(text: str) -> StrEnum:
        try:
            return members[text]
        except (KeyError, TypeError):
            raise Invalid(f"must be one of {allowed}, not {shown(text)}") from None

    return parse


_TEXT_PARSERS: Final[dict[str, Callable[[str], Any]]] = {
    "str": parse_str,
    "int": parse_int_text,
    "bool": parse_bool_text,
    "date": parse_date,
    "datetime": parse_datetime,
    "person": parse_person,
    "orgnr": parse_orgnr,
    "extent": parse_extent_text,
}


def text_parser(kind: str, enum: type[StrEnum] | None) -> Callable[[str], Any]:
    """The parser of a scalar kind's text (the XML form)."""
    if enum is not None:
        return enum_parser(enum)
    return _TEXT_PARSERS[kind]


def parse_text(kind: str, enum: type[StrEnum] | None, text: str) -> Any:
    """Parse the text of a scalar of ``kind``; raises :class:`Invalid`."""
    return text_parser(kind, enum)(text)


# -- parsers from JSON values ------------------------------------------------------------

_JSON_EXPECTED: Final = {
    "str": "a string",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a string YYYY-MM-DD",
    "datetime": "a string YYYY-MM-DDTHH:MM:SS+HH:MM",
    "person": "a string YYYYMMDD-NNNC",
    "orgnr": "a string NNNNNN-NNNN",
    "extent": "a whole percent from 1 to 100",
    "enum": "a string",
}


def parse_json_scalar(kind: str, enum: type[StrEnum] | None, value: object) -> Any:
    """Check and convert a parsed JSON value for a scalar of ``kind``."""
    if kind == "bool":
        if value is True or value is False:
            return value
    elif kind in ("int", "extent"):
        if value.__class__ is int:
            if kind == "int":
                return check_int(value)
            extent = EXTENTS.get(value)
            if extent is None:
                raise Invalid("must be a whole percent from 1 to 100")
            return extent
    elif value.__class__ is str:
        return text_parser(kind, enum)(value)
    if value is None:
        raise Invalid("must not be null: leave the field out instead")
    raise Invalid(f"must be {_JSON_EXPECTED[kind]}, not {json_type(value)}")


# -- formatters ----------------------------------------------------------------------------


def format_datetime(value: dt.datetime) -> str:
    """ISO 8601 with a ``+HH:MM`` offset; offsets with seconds are written in UTC."""
    offset = value.utcoffset()
    if offset is None:
        raise Invalid("must carry a time zone (an aware datetime)")
    if offset.seconds % 60 or offset.microseconds:
        value = value.astimezone(dt.UTC)
    return value.isoformat()


def format_scalar(kind: str, enum: type[StrEnum] | None, value: object) -> Any:
    """The wire value of a model value (str, int or bool); raises :class:`Invalid`.

    Checks the model value's type exactly: a datetime is not a date, a bool is not an int.
    """
    if kind == "str":
        if isinstance(value, str):
            return parse_str(str(value))
        raise Invalid(f"must be a str, not {type(value).__name__}")
    if kind == "int":
        if type(value) is int:
            return check_int(value)
        raise Invalid(f"must be an int, not {type(value).__name__}")
    if kind == "bool":
        if type(value) is bool:
            return value
        raise Invalid(f"must be a bool, not {type(value).__name__}")
    if kind == "date":
        if type(value) is dt.date:
            return value.isoformat()
        raise Invalid(f"must be a datetime.date, not {type(value).__name__}")
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return format_datetime(value)
        raise Invalid(f"must be a datetime.datetime, not {type(value).__name__}")
    if kind == "person":
        if isinstance(value, (Personnummer, Samordningsnummer)):
            return value.reveal()
        if isinstance(value, IdentityNumber):
            raise Invalid("must be a Personnummer or a Samordningsnummer")
        raise Invalid(f"must be a Personnummer or a Samordningsnummer, not {type(value).__name__}")
    if kind == "orgnr":
        if isinstance(value, Organisationsnummer):
            return value.reveal()
        raise Invalid(f"must be an Organisationsnummer, not {type(value).__name__}")
    if kind == "extent":
        if isinstance(value, Extent):
            return value.percent
        raise Invalid(f"must be an Extent, not {type(value).__name__}")
    assert enum is not None
    if isinstance(value, enum):
        return value.value
    raise Invalid(f"must be a {enum.__name__}, not {type(value).__name__}")
