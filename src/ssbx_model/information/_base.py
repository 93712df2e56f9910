"""Shared building blocks of the information sets: answers, provenance, contacts, checks."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from functools import cache
from typing import Any, Generic, TypeVar

import attrs

from ssbx_model._codegen import compile_generated
from ssbx_model._masking import mask_identity_numbers
from ssbx_model.calendar import Period
from ssbx_model.errors import Problem, ValidationError
from ssbx_model.identity import Organisationsnummer

__all__ = [
    "Answer",
    "AnswerStatus",
    "ContactDetails",
    "Provenance",
    "Provider",
    "WithheldField",
]

T = TypeVar("T")
U = TypeVar("U")


# ---------------------------------------------------------------------------------------
# Run-time type checks: nothing is coerced, a wrong type is a problem at its path
# ---------------------------------------------------------------------------------------

# Labels of the scalar types, as a vendor developer reads them in a message.
_LABELS: dict[type, str] = {
    bool: "true or false (a bool)",
    int: "a whole number (an int)",
    str: "a text (a str)",
    dt.date: "a date (datetime.date, not datetime)",
    dt.datetime: "a date and time (datetime.datetime)",
}
# A value of the second type is an instance of the first but is not accepted for it.
_EXCLUDED: dict[type, type] = {int: bool, dt.date: dt.datetime}


def _label(tp: type) -> str:
    label = _LABELS.get(tp)
    if label is not None:
        return label
    article = "an" if tp.__name__[0] in "AEIOU" else "a"
    return f"{article} {tp.__name__}"


@attrs.frozen
class _Accept:
    """Accepts instances of ``types`` that are not instances of ``excluded``."""

    types: tuple[type, ...]
    excluded: tuple[type, ...]
    label: str

    def accepts(self, value: object) -> bool:
        """True when ``value`` has one of the types (and none of the excluded ones)."""
        return isinstance(value, self.types) and not (
            self.excluded and isinstance(value, self.excluded)
        )


@attrs.frozen
class _FieldCheck:
    """How to check one field: the value, and for a tuple each of its items."""

    name: str
    optional: bool
    accept: _Accept
    item: _Accept | None = None


def _accept(tp: Any) -> _Accept | None:
    """The check of a non-tuple, non-optional type; None when it cannot be checked."""
    if isinstance(tp, TypeVar) or tp is Any:
        return None
    origin = typing.get_origin(tp)
    members: list[Any]
    if origin in (types.UnionType, typing.Union):
        members = [m for m in typing.get_args(tp) if m is not type(None)]
    elif origin is not None:  # a generic class such as Answer[Enrolment]
        members = [origin]
    else:
        members = [tp]
    if not all(isinstance(m, type) and typing.get_origin(m) is None for m in members):
        return None
    excluded = tuple(
        _EXCLUDED[m] for m in members if m in _EXCLUDED and _EXCLUDED[m] not in members
    )
    label = " or ".join(_label(m) for m in members)
    return _Accept(tuple(members), excluded, label)


def _field_check(name: str, tp: Any) -> _FieldCheck | None:
    optional = False
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union) and type(None) in typing.get_args(tp):
        optional = True
        rest = [m for m in typing.get_args(tp) if m is not type(None)]
        tp = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
        origin = typing.get_origin(tp)
    if origin is tuple:
        args = typing.get_args(tp)
        item = _accept(args[0]) if len(args) == 2 and args[1] is Ellipsis else None
        return _FieldCheck(name, optional, _Accept((tuple,), (), "a tuple"), item)
    accept = _accept(tp)
    if accept is None:
        return None
    return _FieldCheck(name, optional, accept)


_CHECKS: dict[type, tuple[_FieldCheck, ...]] = {}


def _checks(cls: type) -> tuple[_FieldCheck, ...]:
    cached = _CHECKS.get(cls)
    if cached is None:
        hints = typing.get_type_hints(cls)
        found = (_field_check(f.name, hints[f.name]) for f in attrs.fields(cls))
        cached = _CHECKS[cls] = tuple(c for c in found if c is not None)
    return cached


def type_problems(obj: object) -> list[Problem]:
    """The problems of ``obj``'s fields whose values do not have the declared type.

    Nothing is coerced: ``"2024-01-01"`` is not a date, ``1`` is not ``True``, a list is
    not a tuple, ``"known"`` is not an :class:`AnswerStatus`. Messages name the expected
    type and the type given, never the value (it may be an identity number).
    """
    problems: list[Problem] = []
    for check in _checks(type(obj)):
        value = getattr(obj, check.name)
        if value is None:
            if not check.optional:
                problems.append(Problem(check.name, f"is required: must be {check.accept.label}"))
            continue
        accept = check.accept
        # Inlined accept.accepts(value): this runs for every field of every value built.
        if not isinstance(value, accept.types) or (
            accept.excluded and isinstance(value, accept.excluded)
        ):
            given = type(value).__name__
            problems.append(Problem(check.name, f"must be {accept.label}, not {given}"))
            continue
        item = check.item
        if item is not None:
            elements: tuple[object, ...] = value  # type: ignore[assignment]
            for i, element in enumerate(elements):
                if not item.accepts(element):
                    given = type(element).__name__
                    problems.append(
                        Problem(f"{check.name}[{i}]", f"must be {item.label}, not {given}")
                    )
    return problems


# Every model class calls :func:`check_types` first in ``__attrs_post_init__``, whoever
# constructs it (a caller, a codec reader, a test), so it is on every construction's path.
# Its common case (every field has its declared type) is one generated boolean expression
# per class, compiled once from the class's type hints: the same tests as
# :func:`type_problems`, without the loop and the problem list. Only when that expression
# is false does :func:`type_problems` run, to name each wrong field.
_QUICK: dict[type, Callable[[object], bool]] = {}


def _quick_check(cls: type) -> Callable[[object], bool]:
    """``ok(obj)``: True exactly when :func:`type_problems` finds nothing for ``obj``."""
    ns: dict[str, Any] = {}
    tests: list[str] = []
    helpers: list[str] = []
    for i, check in enumerate(_checks(cls)):
        accept = check.accept
        ns[f"T{i}"] = accept.types
        value = f"o.{check.name}"
        test = f"isinstance(v{i}, T{i})"
        if accept.excluded:
            ns[f"X{i}"] = accept.excluded
            test += f" and not isinstance(v{i}, X{i})"
        if check.item is not None:
            item = check.item
            ns[f"IT{i}"] = item.types
            ns[f"IX{i}"] = item.excluded
            item_test = f"isinstance(x, IT{i})"
            if item.excluded:
                item_test += f" and not isinstance(x, IX{i})"
            helpers += [
                f"def items{i}(v):",
                "    for x in v:",
                f"        if not ({item_test}): return False",
                "    return True",
            ]
            test += f" and items{i}(v{i})"
        if check.optional:
            test = f"v{i} is None or ({test})"
        tests.append(f"    v{i} = {value}")
        tests.append(f"    if not ({test}): return False")
    source = "\n".join([*helpers, "def ok(o):", *tests, "    return True", ""])
    compile_generated(source, f"type checks of {cls.__module__}.{cls.__qualname__}", ns)
    quick: Callable[[object], bool] = ns["ok"]
    _QUICK[cls] = quick
    return quick


def check_types(obj: object) -> None:
    """Raise one ValidationError listing every field of ``obj`` with a wrong type.

    Called first by every model class, for every construction (there is no way to turn it
    off): the cross-field checks that follow may then rely on the declared types.
    """
    try:
        if _QUICK[obj.__class__](obj):
            return
    except KeyError:  # the first object of its class
        if _quick_check(obj.__class__)(obj):
            return
    problems = type_problems(obj)
    if problems:
        raise ValidationError(problems)


def raise_problems(problems: Sequence[Problem]) -> None:
    """Raise one ValidationError listing ``problems`` when there are any."""
    if problems:
        raise ValidationError(problems)


@cache
def _codes(list_id: str) -> frozenset[str]:
    from ssbx_model import codes

    return codes.load(list_id).codes


def check_code(problems: list[Problem], path: str, list_id: str, value: str | None) -> None:
    """Append a problem when ``value`` is not a code of the shipped list ``list_id``."""
    if value is not None and value not in _codes(list_id):
        from ssbx_model import codes

        version = codes.load(list_id).version
        # Codes are short; a long value may be something else typed into the wrong field
        # (an identity number, say), so it is described rather than repeated.
        shown = repr(value) if len(value) <= 8 else f"(a value of {len(value)} characters)"
        problems.append(
            Problem(path, f"unknown code {shown} in code list {list_id!r} version {version}")
        )


def check_nonblank(problems: list[Problem], path: str, value: str | None) -> None:
    """Append a problem when a text that must say something is empty or only spaces."""
    if value is not None and not value.strip():
        problems.append(Problem(path, "must not be empty"))


def check_nonblank_items(problems: list[Problem], path: str, values: Iterable[str]) -> None:
    """:func:`check_nonblank` of each text in ``values``, at ``path[i]``."""
    for i, value in enumerate(values):
        if not value.strip():
            problems.append(Problem(f"{path}[{i}]", "must not be empty"))


def check_closed(problems: list[Problem], path: str, period: Period | None) -> None:
    """Append a problem when a period that must have an end date is open."""
    if period is not None and period.end is None:
        problems.append(Problem(f"{path}.end", "an end date is required here"))


def check_not_negative(problems: list[Problem], path: str, value: int | None) -> None:
    """Append a problem when a count or an amount is negative."""
    if value is not None and value < 0:
        problems.append(Problem(path, f"must not be negative, got {value}"))


def check_order(
    problems: list[Problem], path: str, earlier: dt.date | None, later: dt.date | None, what: str
) -> None:
    """Append a problem at ``path`` when ``later`` is before ``earlier``."""
    if earlier is not None and later is not None and later < earlier:
        problems.append(Problem(path, f"{what} ({later}) is before {earlier}"))


def check_items(
    problems: list[Problem], path: str, items: Iterable[object], check: Callable[[object], None]
) -> None:
    """Run ``check`` on each item, turning its ValidationError into problems at ``path[i]``."""
    for i, item in enumerate(items):
        try:
            check(item)
        except ValidationError as exc:
            problems.extend(p.prefixed(f"{path}[{i}]") for p in exc.problems)


class AnswerStatus(StrEnum):
    """What a provider's answer about one information set says.

    SSBTEK distinguishes the first four: "not found", "no" and "could not ask" are
    different answers and stay different here. Two more come from this library:
    a set withheld by the access policy, and a set nobody asked for.
    """

    #: The provider answered with data.
    KNOWN = "known"
    #: The provider answered that there is nothing (e.g. no program decision).
    ABSENT = "absent"
    #: The person is not in the provider's register (e.g. not registered at AF).
    NOT_FOUND = "not-found"
    #: The provider could not answer (technical error): ``reason`` says why and
    #: ``provenance`` when.
    UNAVAILABLE = "unavailable"
    #: The access policy withheld the set from this caller: ``reason`` says why.
    WITHHELD = "withheld"
    #: The set was not requested from any provider.
    NOT_REQUESTED = "not-requested"


@attrs.frozen(slots=True)
class Provenance:
    """Where an answer came from: the provider, its schema version and when it was fetched.

    ``fetched_at`` must carry a time zone, so that "when" is never ambiguous.
    """

    provider: str
    schema_version: str
    fetched_at: dt.datetime

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "provider", self.provider)
        check_nonblank(problems, "schema_version", self.schema_version)
        if self.fetched_at.tzinfo is None or self.fetched_at.utcoffset() is None:
            problems.append(Problem("fetched_at", "must carry a time zone (e.g. +00:00)"))
        raise_problems(problems)


_DECIDED = (AnswerStatus.KNOWN, AnswerStatus.ABSENT, AnswerStatus.NOT_FOUND)
_KNOWN = AnswerStatus.KNOWN
# Statuses that ask nothing more of an answer than to carry no value.
_NO_REQUIREMENTS = frozenset(
    (AnswerStatus.ABSENT, AnswerStatus.NOT_FOUND, AnswerStatus.NOT_REQUESTED)
)


@attrs.frozen(slots=True)
class Answer(Generic[T]):
    """One provider's answer about one information set (the four kinds, plus two).

    ``value`` is present exactly when ``status`` is ``known``; a collection value is never
    empty (say ``absent`` instead, so that "none" has one spelling). ``reason`` is required
    for ``unavailable`` and ``withheld``; ``unavailable`` also needs ``provenance`` (when
    the provider failed). ``reason`` is stored with identity-number-shaped sequences
    masked (:func:`~ssbx_model.identity.mask_identity_numbers`).
    """

    status: AnswerStatus
    value: T | None = None
    reason: str | None = None
    provenance: Provenance | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        reason = self.reason
        if reason is not None:
            # A reason is outside text (a provider's, a caller's, one passed on from
            # upstream): it is stored with identity-number-shaped sequences masked.
            masked = mask_identity_numbers(reason)
            if masked != reason:
                object.__setattr__(self, "reason", masked)
        # The common, valid shapes return at once (every Case holds a couple of dozen
        # answers); anything else goes through the full check below.
        status, value = self.status, self.value
        if status is AnswerStatus.KNOWN:
            if value is not None and not (isinstance(value, tuple) and not value):
                return
        elif value is None and status in _NO_REQUIREMENTS:
            return
        problems: list[Problem] = []
        if self.status is AnswerStatus.KNOWN:
            if self.value is None:
                problems.append(Problem("value", "a known answer needs a value"))
            elif isinstance(self.value, tuple) and not self.value:
                problems.append(
                    Problem("value", "an empty collection is written as status 'absent'")
                )
        elif self.value is not None:
            problems.append(
                Problem("value", f"an answer with status {self.status.value!r} has no value")
            )
        needs_reason = self.status in (AnswerStatus.UNAVAILABLE, AnswerStatus.WITHHELD)
        if needs_reason and (self.reason is None or not self.reason.strip()):
            problems.append(Problem("reason", f"status {self.status.value!r} needs a reason"))
        if self.status is AnswerStatus.UNAVAILABLE and self.provenance is None:
            problems.append(Problem("provenance", "status 'unavailable' needs provenance (when)"))
        raise_problems(problems)

    # Constructors, so callers need not spell the status.
    @classmethod
    def known(cls, value: T, provenance: Provenance | None = None) -> Answer[T]:
        """The provider answered with ``value``."""
        return cls(AnswerStatus.KNOWN, value, None, provenance)

    @classmethod
    def absent(cls, provenance: Provenance | None = None) -> Answer[T]:
        """The provider answered that there is nothing."""
        return cls(AnswerStatus.ABSENT, None, None, provenance)

    @classmethod
    def not_found(
        cls, provenance: Provenance | None = None, reason: str | None = None
    ) -> Answer[T]:
        """The person is not in the provider's register."""
        return cls(AnswerStatus.NOT_FOUND, None, reason, provenance)

    @classmethod
    def unavailable(cls, reason: str, provenance: Provenance) -> Answer[T]:
        """The provider could not answer; ``reason`` says why, ``provenance`` when."""
        return cls(AnswerStatus.UNAVAILABLE, None, reason, provenance)

    @classmethod
    def withheld(cls, reason: str) -> Answer[T]:
        """The access policy withheld the set; ``reason`` says why."""
        return cls(AnswerStatus.WITHHELD, None, reason, None)

    @classmethod
    def not_requested(cls) -> Answer[T]:
        """Nobody asked a provider for the set."""
        return cls(AnswerStatus.NOT_REQUESTED)

    @property
    def is_known(self) -> bool:
        """True when the answer carries data."""
        return self.status is _KNOWN

    @property
    def is_decided(self) -> bool:
        """True when the answer settles the facts: known, known absent, or not in the register."""
        return self.status in _DECIDED

    def items(self: Answer[tuple[U, ...]]) -> tuple[U, ...]:
        """The items of a decided collection answer (empty when absent or not found).

        Raises ``ValueError`` for an undecided answer: callers must check
        :attr:`is_decided` first, so that "unknown" is never read as "none".
        """
        if self.status is _KNOWN:
            assert self.value is not None
            return self.value
        if self.status in _DECIDED:
            return ()
        raise ValueError(f"the answer is {self.status.value}, not decided")


@attrs.frozen(slots=True)
class ContactDetails:
    """How to reach a person or an organisation (kontaktuppgifter)."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        for field in ("name", "phone", "email", "address"):
            check_nonblank(problems, field, getattr(self, field))
        if self.email is not None and "@" not in self.email:
            problems.append(Problem("email", "is not an e-mail address"))
        raise_problems(problems)


@attrs.frozen(slots=True)
class Provider:
    """Who delivers an intervention or a service (anordnare / leverantör)."""

    name: str
    organisation_number: Organisationsnummer | None = None
    contact: ContactDetails | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "name", self.name)
        raise_problems(problems)


@attrs.frozen(slots=True)
class WithheldField:
    """A field the access policy withheld from an item it otherwise released, and why.

    A withheld field is None in the item *and* named here, which tells it apart from a
    field that is None because the provider gave no value. ``field`` is the field's name
    on the object that carries this entry (e.g. ``"reason"`` on an
    :class:`~ssbx_model.information.ActivitySupportWithdrawal`); ``reason`` says why it
    was withheld, with its citation. Like an answer's reason it may come from upstream
    (a document read back) and is stored with identity-number-shaped sequences masked.
    """

    field: str
    reason: str

    def __attrs_post_init__(self) -> None:
        check_types(self)
        masked = mask_identity_numbers(self.reason)
        if masked != self.reason:
            object.__setattr__(self, "reason", masked)
        problems: list[Problem] = []
        check_nonblank(problems, "field", self.field)
        check_nonblank(problems, "reason", self.reason)
        raise_problems(problems)


#: The open code of a decision's reason list: the deciding body's own wording follows.
OTHER_REASON = "other"


def check_coded_reason(
    problems: list[Problem],
    withheld: frozenset[str],
    reason: str | None,
    reason_text: str | None,
    list_id: str,
    *,
    when_none: str,
    whose_wording: str,
) -> None:
    """Check a decision's coded ``reason`` and its ``reason_text``: the reason is required
    unless withheld (``not-stated`` says ``when_none``), a code of ``list_id``; the reason
    ``other`` keeps ``whose_wording`` own wording in ``reason_text`` unless that is
    withheld."""
    if reason is None:
        if "reason" not in withheld:
            problems.append(Problem("reason", f"is required: use 'not-stated' when {when_none}"))
        return
    check_code(problems, "reason", list_id, reason)
    if reason == OTHER_REASON and reason_text is None and "reason_text" not in withheld:
        problems.append(
            Problem("reason_text", f"reason 'other' keeps {whose_wording} own wording here")
        )


def check_withheld(
    problems: list[Problem], obj: object, withheld: tuple[WithheldField, ...]
) -> frozenset[str]:
    """Check an item's ``withheld`` entries; return the names of the fields withheld.

    Each entry must name a field of ``obj``'s class that may be None (other than
    ``withheld`` itself), at most once, and that field must be None: a value cannot be
    both given and withheld.
    """
    if not withheld:  # the common case: nothing withheld, nothing to check
        return frozenset()
    names: set[str] = set()
    cls: Any = type(obj)
    fields = attrs.fields_dict(cls)
    for i, entry in enumerate(withheld):
        spec = fields.get(entry.field)
        where = f"withheld[{i}].field"
        if spec is None or entry.field == "withheld" or spec.default is not None:
            problems.append(
                Problem(
                    where,
                    f"{type(obj).__name__} has no field {entry.field!r} that may be withheld",
                )
            )
        elif entry.field in names:
            problems.append(Problem(where, f"{entry.field!r} is listed twice"))
        elif getattr(obj, entry.field) is not None:
            problems.append(
                Problem(entry.field, "a withheld field carries no value (it is listed in withheld)")
            )
        names.add(entry.field)
    return frozenset(names)
