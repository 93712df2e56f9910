"""Swedish identity numbers: personnummer, samordningsnummer and organisationsnummer.

Identity numbers are personal data. Every value here prints **masked** — ``repr``,
``str``, f-strings, ``%s`` in log records and exception messages show at most the birth
date, e.g. ``19900101-****``. The clear text comes only from :meth:`IdentityNumber.reveal`
(and :meth:`IdentityNumber.reveal_short`), so every place that discloses a number can be
found with ``grep reveal``. Free text that may hold a number someone typed (a provider's
reason, a name an XML parser echoes) is masked the same way by
:func:`mask_identity_numbers`.

A two-digit year ("YYMMDD-NNNC") needs a century. It is resolved against a reference date
the caller passes (``on=``), never against the wall clock:

- with ``-`` (or no separator) the birth year is the most recent one, up to ``on.year``,
  such that the birth date is not after ``on``;
- with ``+`` it is the most recent year at least 100 years before ``on.year``: the
  separator becomes ``+`` from 1 January of the calendar year in which the person turns
  100 (folkbokföringslagen (1991:481) 18 §), not on the birthday itself.

The check digit is the Luhn digit (``stdnum.luhn``) over the 10-digit form.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar, Final, Self, TypeAlias

import attrs
from stdnum import luhn

from ssbx_model._masking import mask_identity_numbers
from ssbx_model.calendar import age_on as _age_on
from ssbx_model.errors import InvalidIdentityNumber, Problem, ValidationError

__all__ = [
    "IdentityNumber",
    "Organisationsnummer",
    "PersonId",
    "Personnummer",
    "Samordningsnummer",
    "mask_identity_numbers",
    "parse_person_id",
]

_SAMORDNING_OFFSET: Final = 60
_MASK: Final = "****"
# No one alive when personnummer were introduced (1947) was born before this year; it also
# keeps the organisation numbers' "16" prefix from reading as a birth year.
_MIN_YEAR: Final = 1800

# Accepted layouts, after stripping surrounding whitespace. ASCII digits only.
_LONG = re.compile(r"(?P<date>[0-9]{8})-?(?P<tail>[0-9]{4})", re.ASCII)
_SHORT = re.compile(r"(?P<date>[0-9]{6})(?P<sep>[-+]?)(?P<tail>[0-9]{4})", re.ASCII)
_ALLOWED_CHARS = re.compile(r"[0-9+\-]*", re.ASCII)


def _shape_error(text: str, what: str) -> InvalidIdentityNumber:
    """The error for text that is not laid out like a number (says nothing of its digits)."""
    if not _ALLOWED_CHARS.fullmatch(text):
        return InvalidIdentityNumber(
            "format", f"a {what} may only contain digits and one '-' or '+' separator"
        )
    n = sum(c.isdigit() for c in text)
    if n not in (10, 12):
        return InvalidIdentityNumber("length", f"a {what} has 10 or 12 digits, this text has {n}")
    return InvalidIdentityNumber(
        "format",
        f"a {what} is written YYYYMMDD-NNNC, YYYYMMDDNNNC, YYMMDD-NNNC, YYMMDD+NNNC "
        "or YYMMDDNNNC; the separator is misplaced",
    )


def _require_str(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a {what} is parsed from str, not {type(text).__name__}")
    return text.strip()


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_century(yymmdd: str, sep: str, on: date | None, offset: int, what: str) -> int:
    """The four-digit birth year of a 10-digit number, as of ``on`` (see module doc)."""
    if on is None:
        raise InvalidIdentityNumber(
            "reference-date",
            f"a 10-digit {what} has no century: pass the reference date (on=...) to "
            "resolve it, or give the 12-digit form",
        )
    yy, month, day = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6]) - offset
    year = on.year - (on.year - yy) % 100  # the most recent year ending in yy
    if sep == "+":
        year -= 100  # the person turns 100 or more in on.year
    # Step back a century if the date is after `on` or does not exist in that year
    # (29 February in 1900 or 2100).
    for _ in range(3):
        born = _valid_date(year, month, day)
        if born is not None and born <= on:
            return year
        year -= 100
    raise InvalidIdentityNumber("date", f"the {what} does not start with a valid birth date")


def _split_person(text: str, on: date | None, what: str) -> str:
    """Normalise accepted text to 12 digits ``YYYYMMDDNNNC`` (century resolved)."""
    m = _LONG.fullmatch(text)
    if m is not None:
        return m["date"] + m["tail"]
    m = _SHORT.fullmatch(text)
    if m is None:
        raise _shape_error(text, what)
    yymmdd = m["date"]
    day = int(yymmdd[4:6])
    offset = _SAMORDNING_OFFSET if day > _SAMORDNING_OFFSET else 0
    if not 1 <= day - offset <= 31 or not 1 <= int(yymmdd[2:4]) <= 12:
        raise InvalidIdentityNumber("date", f"the {what} does not start with a valid birth date")
    year = _resolve_century(yymmdd, m["sep"], on, offset, what)
    return f"{year:04d}{yymmdd[2:]}{m['tail']}"


def _is_samordning_day(day: int) -> bool:
    return day > _SAMORDNING_OFFSET


@attrs.frozen(slots=True, repr=False, eq=True, order=False)
class IdentityNumber:
    """A personal identity number: the common base of :class:`Personnummer` and
    :class:`Samordningsnummer`.

    Holds the 12 canonical digits ``YYYYMMDDNNNC`` privately. Build one with
    ``parse`` or ``from_birth_date`` on the concrete class. Values compare equal and
    hash on (class, digits), sort by their digits, and survive ``pickle`` and ``copy``.
    """

    _digits: str = attrs.field(alias="_digits")
    #: The birth date (for a samordningsnummer: the day with 60 taken off), computed once:
    #: every age a rule reads starts from it. Not part of equality or the repr.
    birth_date: date = attrs.field(init=False, eq=False, repr=False)

    _KIND: ClassVar[str] = "identity number"
    _DAY_OFFSET: ClassVar[int | None] = None  # 0: personnummer, 60: samordningsnummer

    def __attrs_post_init__(self) -> None:
        cls = type(self)
        digits = self._digits
        cls._check_digits(digits)
        n = int(digits[:8]) - cls._offset()
        object.__setattr__(self, "birth_date", date(n // 10000, n // 100 % 100, n % 100))

    # -- construction ------------------------------------------------------------------

    @classmethod
    def _offset(cls) -> int:
        if cls._DAY_OFFSET is None:
            raise TypeError("IdentityNumber is abstract: use Personnummer or Samordningsnummer")
        return cls._DAY_OFFSET

    @classmethod
    def _check_kind(cls, day: int) -> None:
        if _is_samordning_day(day) == bool(cls._offset()):
            return
        if cls._offset():
            raise InvalidIdentityNumber(
                "kind",
                "the day of birth is not above 60, so this is a personnummer: use "
                "Personnummer.parse or parse_person_id",
            )
        raise InvalidIdentityNumber(
            "kind",
            "the day of birth is above 60, so this is a samordningsnummer: use "
            "Samordningsnummer.parse or parse_person_id",
        )

    @classmethod
    def _check_digits(cls, digits: object) -> None:
        """Check the canonical 12 digits (the one validation every way in goes through)."""
        if not (
            isinstance(digits, str) and len(digits) == 12 and digits.isascii() and digits.isdigit()
        ):
            # Usually ``Personnummer("YYYYMMDD-NNNC")``: the constructor takes the stored
            # form only; text is read by ``parse``. The value itself is never echoed.
            name = cls.__name__
            raise InvalidIdentityNumber(
                "format",
                f"a {cls._KIND} is stored as 12 digits: to read one written as text "
                f"(YYYYMMDD-NNNC, YYMMDD-NNNC, ...) use {name}.parse(text) or "
                "parse_person_id(text)",
            )
        day = int(digits[6:8])
        cls._check_kind(day)
        year = int(digits[0:4])
        if year < _MIN_YEAR or _valid_date(year, int(digits[4:6]), day - cls._offset()) is None:
            raise InvalidIdentityNumber(
                "date", f"the {cls._KIND} does not start with a valid birth date"
            )
        if not luhn.is_valid(digits[2:]):
            raise InvalidIdentityNumber(
                "checksum",
                f"the check digit of the {cls._KIND} is wrong (mistyped digit?)",
            )

    @classmethod
    def parse(cls, text: str, *, on: date | None = None) -> Self:
        """Parse ``YYYYMMDDNNNC``, ``YYYYMMDD-NNNC``, ``YYMMDD-NNNC``, ``YYMMDDNNNC`` or
        ``YYMMDD+NNNC``.

        Surrounding whitespace is stripped; nothing else is guessed. A 10-digit form needs
        the reference date ``on`` to resolve its century (see the module documentation:
        ``+`` means the person turns 100 or more in ``on.year``); ``on`` is not used for
        12-digit forms.

        Raises:
            InvalidIdentityNumber: with ``reason`` ``"length"``, ``"format"``, ``"date"``,
                ``"checksum"``, ``"kind"`` (a samordningsnummer given as personnummer or
                the other way round) or ``"reference-date"`` (10 digits without ``on``).
                The message never contains the number.
            TypeError: if ``text`` is not a ``str``.
        """
        digits = _split_person(_require_str(text, cls._KIND), on, cls._KIND)
        return cls(_digits=digits)

    @classmethod
    def from_birth_date(cls, birth: date, serial: int) -> Self:
        """The number for ``birth`` with the three-digit ``serial`` (0..999); the check
        digit is computed. Used by test factories and synthetic data.

        Raises:
            ValidationError: if ``serial`` is not an int in 0..999 (path ``"serial"``).
        """
        if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial <= 999:
            raise ValidationError(Problem("serial", "must be a whole number from 0 to 999"))
        day = birth.day + cls._offset()
        body = f"{birth.year:04d}{birth.month:02d}{day:02d}{serial:03d}"
        return cls(_digits=body + luhn.calc_check_digit(body[2:]))

    # -- clear text ----------------------------------------------------------------------

    def reveal(self) -> str:
        """The number in clear text, canonical ``YYYYMMDD-NNNC``.

        This is the only way to the full number. Call it only where the number must be
        disclosed (a report to an authority, a request to a provider).
        """
        return f"{self._digits[:8]}-{self._digits[8:]}"

    def reveal_short(self, on: date) -> str:
        """The number in clear text as the 10-digit ``YYMMDD-NNNC`` in use on ``on``:
        ``+`` instead of ``-`` from the calendar year in which the person turns 100.

        Raises:
            ValidationError: if ``on`` is before the birth date (path ``"on"``).
        """
        born = self.birth_date
        if on < born:
            raise ValidationError(Problem("on", "the date is before the birth date"))
        sep = "+" if on.year - born.year >= 100 else "-"
        return f"{self._digits[2:8]}{sep}{self._digits[8:]}"

    # -- masked text -----------------------------------------------------------------------

    @property
    def masked(self) -> str:
        """The number with its last four digits hidden, e.g. ``19900101-****``."""
        return f"{self._digits[:8]}-{_MASK}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, format_spec: str) -> str:
        try:
            return format(self.masked, format_spec)
        except ValueError:
            return self.masked

    # -- dates ---------------------------------------------------------------------------

    def age_on(self, on: date) -> int:
        """The age in completed years on ``on`` (see :func:`ssbx_model.calendar.age_on`)."""
        return _age_on(self.birth_date, on)

    # -- ordering ------------------------------------------------------------------------

    def _key(self, other: object) -> tuple[str, str] | None:
        if isinstance(other, IdentityNumber):
            return self._digits, other._digits
        return None

    def __lt__(self, other: object) -> bool:
        keys = self._key(other)
        if keys is None:
            return NotImplemented
        return keys[0] < keys[1]

    def __le__(self, other: object) -> bool:
        keys = self._key(other)
        if keys is None:
            return NotImplemented
        return keys[0] <= keys[1]

    def __gt__(self, other: object) -> bool:
        keys = self._key(other)
        if keys is None:
            return NotImplemented
        return keys[0] > keys[1]

    def __ge__(self, other: object) -> bool:
        keys = self._key(other)
        if keys is None:
            return NotImplemented
        return keys[0] >= keys[1]


@attrs.frozen(slots=True, repr=False, eq=True, order=False)
class Personnummer(IdentityNumber):
    """A personnummer (personal identity number) from the population register.

    The day of birth is 01..31; a day of 61..91 is a :class:`Samordningsnummer` and is
    refused here with reason ``"kind"``.
    """

    _KIND: ClassVar[str] = "personnummer"
    _DAY_OFFSET: ClassVar[int | None] = 0


@attrs.frozen(slots=True, repr=False, eq=True, order=False)
class Samordningsnummer(IdentityNumber):
    """A samordningsnummer (coordination number) for people not in the population
    register: like a personnummer, with 60 added to the day of birth (61..91).

    python-stdnum's ``se.personnummer`` rejects these numbers; this type accepts them.
    """

    _KIND: ClassVar[str] = "samordningsnummer"
    _DAY_OFFSET: ClassVar[int | None] = _SAMORDNING_OFFSET


PersonId: TypeAlias = Personnummer | Samordningsnummer
"""A person's identity number: a personnummer or a samordningsnummer."""


def parse_person_id(text: str, *, on: date | None = None) -> PersonId:
    """Parse a personnummer or a samordningsnummer, choosing the type by the day digits
    (61..91: samordningsnummer). Same forms, rules and errors as
    :meth:`IdentityNumber.parse`."""
    stripped = _require_str(text, "personnummer or samordningsnummer")
    digits = _split_person(stripped, on, "personnummer or samordningsnummer")
    if _is_samordning_day(int(digits[6:8])):
        return Samordningsnummer(_digits=digits)
    return Personnummer(_digits=digits)


# ----------------------------------------------------------------------------------------
# Organisationsnummer
# ----------------------------------------------------------------------------------------

_ORG_TEN = re.compile(r"(?P<head>[0-9]{6})-?(?P<tail>[0-9]{4})", re.ASCII)
_ORG_LONG = re.compile(r"16(?P<head>[0-9]{6})(?P<tail>[0-9]{4})", re.ASCII)
_LEGAL_FORM_GROUPS: Final = {
    1: "dödsbon",
    2: "stat, regioner, kommuner, församlingar",
    3: "utländska företag",
    5: "aktiebolag",
    6: "enkla bolag",
    7: "ekonomiska föreningar, bostadsrättsföreningar",
    8: "ideella föreningar, stiftelser",
    9: "handelsbolag, kommanditbolag",
}


def _org_is_sole_trader(digits: str) -> bool:
    # Legal persons have a "month" of 20 or more; a personnummer's month is 01..12.
    return int(digits[2]) < 2


@attrs.frozen(slots=True, repr=False, eq=True, order=False)
class Organisationsnummer:
    """An organisationsnummer (organisation number), stored as its 10 digits.

    Legal persons' numbers have a third digit of 2 or more and are public: they print in
    clear. A sole trader's (enskild näringsidkare) organisation number is their
    personnummer (or samordningsnummer): it is accepted only with
    ``allow_sole_trader=True`` and prints masked like a personnummer.
    """

    _digits: str = attrs.field(alias="_digits")

    def __attrs_post_init__(self) -> None:
        _check_org_digits(self._digits)

    @classmethod
    def parse(
        cls, text: str, *, allow_sole_trader: bool = False, on: date | None = None
    ) -> Organisationsnummer:
        """Parse ``NNNNNN-NNNN``, ``NNNNNNNNNN`` or the 12-digit ``16NNNNNNNNNN``.

        With ``allow_sole_trader=True`` a sole trader's number is accepted in those forms
        and as a 12-digit personnummer ``YYYYMMDD(-)NNNC``; if ``on`` is given, a 10-digit
        sole trader's number is checked as a full personnummer as of that date.

        Raises:
            InvalidIdentityNumber: reason ``"length"``, ``"format"``, ``"date"`` (a sole
                trader's number without a valid birth date), ``"checksum"``, or ``"kind"``
                (a sole trader's number where it is not allowed). The message never
                contains the number.
            TypeError: if ``text`` is not a ``str``.
        """
        stripped = _require_str(text, "organisationsnummer")
        person: str | None = None  # the 12-digit personnummer form, if given
        if (m := _ORG_TEN.fullmatch(stripped)) is not None:
            digits = m["head"] + m["tail"]
        elif (m := _ORG_LONG.fullmatch(stripped)) is not None:
            digits = m["head"] + m["tail"]
            if _org_is_sole_trader(digits):
                raise InvalidIdentityNumber(
                    "format",
                    "the 16 prefix is for legal persons; a sole trader's 12-digit form is "
                    "the personnummer YYYYMMDD-NNNC",
                )
        elif (m := _LONG.fullmatch(stripped)) is not None:
            person = m["date"] + m["tail"]
            digits = person[2:]
            if not _org_is_sole_trader(digits):
                raise _org_shape_error(stripped)
        else:
            raise _org_shape_error(stripped)
        if _org_is_sole_trader(digits):
            if not allow_sole_trader:
                raise InvalidIdentityNumber(
                    "kind",
                    "this is a personnummer (a sole trader's organisation number), which "
                    "is not accepted here; pass allow_sole_trader=True where it is",
                )
            # Check the person's number in full where its century is known.
            if person is not None:
                parse_person_id(person)
            elif on is not None:
                parse_person_id(stripped, on=on)
        return cls(_digits=digits)

    @property
    def is_sole_trader(self) -> bool:
        """True if the number is a sole trader's personnummer (or samordningsnummer)."""
        return _org_is_sole_trader(self._digits)

    @property
    def legal_form_group(self) -> int | None:
        """The first digit, the legal-form group for legal persons (1 dödsbon,
        2 stat/regioner/kommuner, 3 utländska företag, 5 aktiebolag, 6 enkla bolag,
        7 ekonomiska föreningar, 8 ideella föreningar/stiftelser, 9 handels- och
        kommanditbolag); None for sole traders."""
        if self.is_sole_trader:
            return None
        return int(self._digits[0])

    def reveal(self) -> str:
        """The number in clear text, canonical ``NNNNNN-NNNN``."""
        return f"{self._digits[:6]}-{self._digits[6:]}"

    @property
    def masked(self) -> str:
        """Legal persons: the number itself; sole traders: ``YYMMDD-****``."""
        if self.is_sole_trader:
            return f"{self._digits[:6]}-{_MASK}"
        return self.reveal()

    def __repr__(self) -> str:
        return f"Organisationsnummer({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, format_spec: str) -> str:
        try:
            return format(self.masked, format_spec)
        except ValueError:
            return self.masked

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Organisationsnummer):
            return NotImplemented
        return self._digits < other._digits


def _org_shape_error(text: str) -> InvalidIdentityNumber:
    what = "organisationsnummer"
    if not _ALLOWED_CHARS.fullmatch(text) or "+" in text:
        return InvalidIdentityNumber(
            "format", f"an {what} may only contain digits and one '-' separator"
        )
    n = sum(c.isdigit() for c in text)
    if n not in (10, 12):
        return InvalidIdentityNumber("length", f"an {what} has 10 or 12 digits, this text has {n}")
    return InvalidIdentityNumber(
        "format",
        f"an {what} is written NNNNNN-NNNN, NNNNNNNNNN or 16NNNNNNNNNN (a sole trader's "
        "also YYYYMMDD-NNNC); the separator or prefix is wrong",
    )


def _check_org_digits(digits: Any) -> None:
    what = "organisationsnummer"
    if not isinstance(digits, str) or not (
        len(digits) == 10 and digits.isascii() and digits.isdigit()
    ):
        raise InvalidIdentityNumber("format", f"an {what} is stored as 10 digits")
    if _org_is_sole_trader(digits):
        day = int(digits[4:6])
        day -= _SAMORDNING_OFFSET if _is_samordning_day(day) else 0
        # No century in 10 digits: the date must exist in some year (2000 is a leap year).
        if _valid_date(2000, int(digits[2:4]), day) is None:
            raise InvalidIdentityNumber(
                "date", f"a sole trader's {what} must start with a valid birth date"
            )
    if not luhn.is_valid(digits):
        raise InvalidIdentityNumber(
            "checksum", f"the check digit of the {what} is wrong (mistyped digit?)"
        )
