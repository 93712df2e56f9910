"""Rule test cases as data files a domain expert can read (TOML), and their runner.

This module is public: vendors run their own case files against the library's rules (or
against rules they registered) with :func:`check_file` or :func:`assert_file`.

A file tests one rule (``rule = "..."`` at the top; a case may name another). Each
``[[case]]`` gives the reference date, the facts in a compact vocabulary, and what is
expected::

    rule = "kaa"

    [defaults]
    on = 2024-05-01
    schooling = { compulsory = true }

    [[case]]
    name = "19 years old, left compulsory school, no upper-secondary school"
    birth = 2005-05-02
    expect = { outcome = "eligible", reasons = ["kaa.age.under-limit"] }

    [[case]]
    name = "20 years old on the date: too old"
    birth = 2004-05-01
    expect = { outcome = "not_eligible", reasons = ["kaa.age.reached-limit"] }

**[defaults]** (optional, once per file) holds any key a case may state except ``name``,
``description``, ``expect`` and ``rule`` (the file's rule is the top-level ``rule``). A
case uses every default it does not replace, and replaces a default by stating the same
key: the case's value replaces the default's **whole** (tables and arrays are never
merged). A case also replaces every default that builds the same part of the case as one
of its own keys: its ``enrolment`` (or ``not_requested = ["enrolment"]``) replaces a
default ``registered_at_af``, which would otherwise state the enrolment twice; a default
``unavailable`` list that names a set the case states is replaced whole. Within a case
(or within ``[defaults]``), two keys that build the same part are an error.
:attr:`RuleCase.facts` is the case spelled out: its own keys and the defaults it uses.

``expect`` holds ``outcome`` (required: ``eligible``, ``not_eligible`` or ``unknown``),
``reasons`` (codes that must all be among the decision's reasons), ``not_reasons`` (codes
that must not be), ``missing`` (the exact list of missing information sets; when
left out it must be empty unless the outcome is ``unknown``) and ``notices`` (the exact
codes, in any order, of the notices :func:`~ssbx_model.rules.notices.find_notices` gives
for the case on its date with its parameters; when left out, notices are not checked).
A reason code must be one of the rule's: it starts with the rule's id and a dot (the
rules do not list their reason codes, so the rest of the code is checked only when the
case runs, for ``reasons``).

The facts (each builds one part of a :class:`~ssbx_model.case.Case`, through the
builders of :mod:`ssbx_model.testing.factories`):

==========================  ============================================================
``birth``                   birth date (required); ``coordination_number = true`` makes
                            the person a samordningsnummer; ``serial`` (0-999) the birth
                            number (default: the case's position in the file)
``municipality``            four-digit municipality code (default ``"1287"``)
``registered_at_af``        ``true``: registered at AF since a year before ``on``, open;
                            ``false``: not in AF's register (answer *not found*)
``enrolment``               ``{from, to, category, extent, type, reason}``: enrolment at
                            AF (``to`` = deregistration date, ``reason`` its
                            ``deregistration-reason`` code, default ``own-request``;
                            ``category`` an ``applicant-category`` code, default
                            ``"11"``; ``type`` default ``öppet arbetslös``)
``consents``                ``[{kind, given, scope, from, to, channel, registered,
                            reference, withdraws}]`` (kind default ``af-disclosure``,
                            given ``true``, scope ``["social-assistance"]``, channel
                            ``e-service``, not registered unless ``registered`` is a
                            date); a refusal or withdrawal (``given = false``) has no
                            ``to``
``consultations``           ``[{on, topic, three_party}]``: consultations (samråd);
                            topic a ``consultation-topic`` code, default
                            ``"skat15-assessment"``
``programs``                ``[{program, from, to, extent, id, decided, activities =
                            [{name, from, to, extent}]}]``: AF program decisions
                            (``program`` an ``af-program`` code, required) and their
                            activities (closed periods); ``decided`` is the decision
                            date (default ``from``); ``id`` default ``P1``, ``P2``, ...
``studies``, ``employment`` ``[{from, to, extent, source}]``: evidence of studies / work
``schooling``               ``{compulsory, left, upper_secondary = [{kind, from, to,
                            programme}], diploma, source}``
``income``                  ``[{year, amount, source}]``; ``student_finance``: ``[{year,
                            received, amount}]``; ``sfi_hours``: ``[{year, hours}]``
``kaa_register``            ``{entered, reason, contacted, contacts = [{on, channel,
                            reached}], occupation, occupation_on, closed,
                            close_reason}``: the KAA entry with its follow-up
                            (``occupation`` a ``kaa-occupation`` code, as known on
                            ``occupation_on``, default ``on``)
``interventions``           ``[{id, type, from, to, status, extent, name,
                            inuk_category, provider, organisation_number, result}]``:
                            the municipality's own interventions (``type`` an
                            ``intervention-type`` code, default ``praktik``;
                            ``inuk_category`` an ``inuk-category`` code;
                            organisation_number: the provider's, as text; result: an
                            ``intervention-result`` code, on an ended one)
``disability_codes``        ``[{code, registered, organisation}]`` (code a
                            ``disability-code`` code, default ``"mobility"``)
``sius``                    ``[{from, to, as_of, name, organisation}]``: SIUS support
                            (active when the period contains ``as_of``, default ``on``)
``job_guarantee_days``      ``{days, as_of, history = [{program, from, to}]}``: days used
                            in jobb- och utvecklingsgarantin (as_of default ``on``)
``employer_checks``         ``[{organisation_number, checked_on, trading_ban, tax_debt,
                            payment_remarks = [{registered, amount, kind, assessment}],
                            owners = [{name, significant_influence, trading_ban}],
                            union_approval = {approved, union, signed}}]``; a key left
                            out is *not checked* (``payment_remarks = []``: none);
                            ``assessment`` is AF's: ``insignificant``,
                            ``not-insignificant`` or ``not-assessed`` (default)
``municipality_organisation_number``
                            the municipality's organisation number (text): a planned
                            intervention whose provider has it is the municipality's own
``income_support``          ``[{from, to, decided, id}]``: decisions granting
                            försörjningsstöd (``decided`` default ``from``; ``id``
                            default ``FS1``, ``FS2``, ...)
``af_consultations``        ``[{intervention, held, answer, answered}]``: consultations
                            with AF about a planned intervention (set
                            ``intervention_consultations``; ``intervention``
                            default ``"I1"``; ``answer`` one of ``no-suitable-measure``
                            (default), ``measure-offered``, ``not-answered``;
                            ``answered`` default ``held``, none when not answered)
``af_callbacks``            ``[{id, requested, topic, topic_text, attempts = [{on,
                            result}], letter}]``: requests to AF's myndighetsingång
                            and AF's callbacks (``topic`` an ``af-callback-topic``
                            code, default ``consent``; ``result``: ``answered`` or
                            ``not-reached``, the default)
``decision_reasons``        ``[{agency, decided, effect, reason, reason_text, from, to,
                            fund, reference}]``: decisions of CSN, FK, PM or an a-kassa
                            (``agency`` default ``csn``, ``effect`` default
                            ``reduced``, ``reason`` a code of the agency's list)
``parameters``              ``{"name" = value}``: what-if overrides for this case (a
                            known parameter, with a value of its type)
``access``                  ``{role, purpose}``: evaluate the case as that role sees it
                            for that purpose on ``on``, through the default access policy
                            (:func:`ssbx_model.access.filter_case`)
==========================  ============================================================

An empty list (``studies = []``) means the provider answered *absent* (known: none); a
set that is not mentioned is *not requested*. ``unavailable``, ``withheld``,
``not_requested``, ``not_found`` and ``absent`` each take a list of information-set names
and force that answer, e.g. ``unavailable = ["enrolment"]``.

**Strict, not coerced.** Every key and value is checked against its declared type:
true/false must be TOML booleans, dates TOML dates (``2024-05-01``, not text), whole
numbers TOML integers (``true`` is not a number), texts TOML strings; codes must be in
their dated code list (:mod:`ssbx_model.codes`) on the date they were used (a program's
decision date, an enrolment's start, a consultation's day, ...); a key a table does not
know is refused. Nothing is converted: ``given = "false"`` is an error, not a consent.
A file with problems raises one :class:`CaseFileError` listing every problem with the
file, the case (index and name) and the dotted path of the bad value, e.g.
``t.toml case[3] "refused" consents[0].given: expected true or false, got the text
"false"``. A problem in ``[defaults]`` is reported once, at ``defaults.<key>``.

Rule authors add facts for their own information sets with :func:`register_fact`; a
builder reads its value through the strict helpers of :class:`FactContext`
(:meth:`~FactContext.table`, :meth:`~FactContext.date`, :meth:`~FactContext.text`,
:meth:`~FactContext.flag`, :meth:`~FactContext.integer`, :meth:`~FactContext.code`, ...)
and raises :meth:`FactContext.fail` for anything else.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, overload

import attrs

from ssbx_model import codes
from ssbx_model._masking import masked_field
from ssbx_model.calendar import Period
from ssbx_model.case import Case
from ssbx_model.errors import InvalidIdentityNumber, Problem, SsbxError, ValidationError
from ssbx_model.identity import Organisationsnummer
from ssbx_model.information._base import Answer, AnswerStatus, Provenance, Provider
from ssbx_model.information.callback import CallbackAttempt, CallbackRequest, CallbackResult
from ssbx_model.information.consent import ConsentChannel, ConsentKind
from ssbx_model.information.consultation import SKAT15_ASSESSMENT
from ssbx_model.information.decision_reason import AgencyDecision, DecidingAgency, DecisionEffect
from ssbx_model.information.employer import PaymentRemarkAssessment
from ssbx_model.information.intervention import InterventionStatus
from ssbx_model.information.intervention_consultation import MeasureAnswer
from ssbx_model.information.kaa import KaaContact, KaaContactChannel, KaaEntryReason
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.information.sets import InformationSet
from ssbx_model.purpose import Purpose
from ssbx_model.rules import parameters as rule_parameters
from ssbx_model.rules.engine import Decision, Outcome, evaluate, evaluate_many, get_rule
from ssbx_model.rules.notices import find_notices
from ssbx_model.rules.parameters import Scalar
from ssbx_model.testing import factories as f

__all__ = [
    "CaseFileError",
    "CaseProblem",
    "CaseResult",
    "FactContext",
    "RuleCase",
    "assert_file",
    "build_case",
    "check_file",
    "describe",
    "fact_names",
    "load_file",
    "load_text",
    "register_fact",
    "run_case",
]

#: Builds Case fields from one fact's value: returns keyword arguments of ``Case``.
FactBuilder = Callable[[Any, "FactContext"], Mapping[str, Any]]

_E = TypeVar("_E", bound=enum.Enum)

_CASE_KEYS = frozenset(
    {"name", "description", "on", "rule", "expect", "parameters", "access", "check_code_dates"}
)
_STATUS_KEYS = {
    "unavailable": AnswerStatus.UNAVAILABLE,
    "withheld": AnswerStatus.WITHHELD,
    "not_requested": AnswerStatus.NOT_REQUESTED,
    "not_found": AnswerStatus.NOT_FOUND,
    "absent": AnswerStatus.ABSENT,
}
_PERSON_KEYS = frozenset({"birth", "coordination_number", "municipality", "serial"})
_EXPECT_KEYS = frozenset({"outcome", "reasons", "not_reasons", "missing", "notices"})
_TOP_KEYS = frozenset({"rule", "description", "defaults", "case"})
#: Keys a case states for itself only (``rule`` is the file's top-level key).
_NOT_DEFAULTS = frozenset({"name", "description", "expect", "rule"})
_PROVENANCE_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_DEFAULT_MUNICIPALITY = "1287"


def describe(value: object) -> str:
    """What a value read from a case file is, for an error message: ``the text "false"``,
    ``the number 5``, ``true``, ``the date 2024-05-01``, ``a table``, ``an array``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"the time {value.isoformat()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


class _FactError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@attrs.frozen
class FactContext:
    """What a fact builder knows: the case's reference date and the path for errors.

    The helpers read one value of a fact's table strictly: the value must have the
    declared type (nothing is converted), or the helper raises the error of
    :meth:`fail`, which names the path (``path`` + ``where`` + ``.key``) and what was
    expected. A ``default`` of ``...`` (the default) makes the key required; ``None``
    makes it optional. (TOML has no null; from Python, a value of None is a key left
    out.) ``code_dates`` False (a case's ``check_code_dates = false``) makes :meth:`code`
    check only that a code is in its list, not that it is valid on the date.
    """

    on: dt.date
    path: str
    code_dates: bool = True

    def fail(self, message: str, where: str = "") -> _FactError:
        """An error about this fact (raise it)."""
        return _FactError(f"{self.path}{where}", message)

    def expected(self, what: str, value: object, where: str = "") -> _FactError:
        """The error ``expected <what>, got <the value described>`` (raise it)."""
        return self.fail(f"expected {what}, got {describe(value)}", where)

    def within(self, where: str) -> FactContext:
        """The context of a part of this fact (``where`` added to the path)."""
        return FactContext(self.on, f"{self.path}{where}", self.code_dates)

    def table(self, value: Any, keys: Iterable[str], where: str = "") -> Mapping[str, Any]:
        """Check that ``value`` is a table using only ``keys``; return it."""
        if not isinstance(value, dict):
            raise self.expected("a table", value, where)
        unknown = sorted(set(value) - set(keys))
        if unknown:
            raise self.fail(
                f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(keys))}",
                f"{where}.{unknown[0]}",
            )
        return value

    def tables(self, value: Any, keys: Iterable[str]) -> list[tuple[str, Mapping[str, Any]]]:
        """Check that ``value`` is an array of tables using only ``keys``."""
        if not isinstance(value, list):
            raise self.expected("an array of tables", value)
        return [(f"[{i}]", self.table(item, keys, f"[{i}]")) for i, item in enumerate(value)]

    def _value(self, table: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
        if table.get(key) is not None:
            return table[key]
        if default is ...:
            raise self.fail("is required", f"{where}.{key}")
        return default

    @overload
    def date(self, table: Mapping[str, Any], key: str, where: str = "") -> dt.date: ...
    @overload
    def date(self, table: Mapping[str, Any], key: str, where: str, default: dt.date) -> dt.date: ...
    @overload
    def date(
        self, table: Mapping[str, Any], key: str, where: str, default: None
    ) -> dt.date | None: ...
    def date(self, table: Mapping[str, Any], key: str, where: str = "", default: Any = ...) -> Any:
        """A date field of ``table`` (a TOML date, required unless ``default`` is given)."""
        if table.get(key) is None:
            return self._value(table, key, where, default)
        value = table[key]
        if not _is_date(value):
            raise self.expected("a date (YYYY-MM-DD)", value, f"{where}.{key}")
        return value

    def period(self, table: Mapping[str, Any], where: str, *, open_ok: bool = True) -> Period:
        """The period ``from``..``to`` of ``table`` (``to`` optional when ``open_ok``)."""
        start = self.date(table, "from", where)
        end = self.date(table, "to", where, None) if open_ok else self.date(table, "to", where)
        if end is not None and end < start:
            raise self.fail(f"the last day {end} is before the first day {start}", f"{where}.to")
        return Period(start, end)

    @overload
    def text(self, table: Mapping[str, Any], key: str, where: str = "") -> str: ...
    @overload
    def text(self, table: Mapping[str, Any], key: str, where: str, default: str) -> str: ...
    @overload
    def text(self, table: Mapping[str, Any], key: str, where: str, default: None) -> str | None: ...
    def text(self, table: Mapping[str, Any], key: str, where: str = "", default: Any = ...) -> Any:
        """A text field of ``table`` (a TOML string, not blank)."""
        if table.get(key) is None:
            return self._value(table, key, where, default)
        value = table[key]
        if not isinstance(value, str):
            raise self.expected("a text", value, f"{where}.{key}")
        if not value.strip():
            raise self.expected("a text that says something", value, f"{where}.{key}")
        return value

    @overload
    def flag(self, table: Mapping[str, Any], key: str, where: str = "") -> bool: ...
    @overload
    def flag(self, table: Mapping[str, Any], key: str, where: str, default: bool) -> bool: ...
    @overload
    def flag(
        self, table: Mapping[str, Any], key: str, where: str, default: None
    ) -> bool | None: ...
    def flag(self, table: Mapping[str, Any], key: str, where: str = "", default: Any = ...) -> Any:
        """A true/false field of ``table`` (a TOML boolean, never a text or number)."""
        if table.get(key) is None:
            return self._value(table, key, where, default)
        value = table[key]
        if not isinstance(value, bool):
            raise self.expected("true or false", value, f"{where}.{key}")
        return value

    @overload
    def integer(
        self, table: Mapping[str, Any], key: str, where: str = "", *, minimum: int | None = None
    ) -> int: ...
    @overload
    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        default: int,
        *,
        minimum: int | None = None,
    ) -> int: ...
    @overload
    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        default: None,
        *,
        minimum: int | None = None,
    ) -> int | None: ...
    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str = "",
        default: Any = ...,
        *,
        minimum: int | None = None,
    ) -> Any:
        """A whole-number field of ``table`` (a TOML integer; ``true`` is not a number),
        at least ``minimum`` when that is given."""
        if table.get(key) is None:
            return self._value(table, key, where, default)
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.expected("a whole number", value, f"{where}.{key}")
        if minimum is not None and value < minimum:
            raise self.expected(f"a whole number of at least {minimum}", value, f"{where}.{key}")
        return value

    def extent(self, table: Mapping[str, Any], where: str, default: int | None) -> int | None:
        """The ``extent`` of ``table``: whole percent of full time, 1-100."""
        value = self.integer(table, "extent", where, default)
        if value is not None and not 0 < value <= 100:
            raise self.expected("a whole percent from 1 to 100", value, f"{where}.extent")
        return value

    def choice(
        self, table: Mapping[str, Any], key: str, where: str, kind: type[_E], default: Any = ...
    ) -> Any:
        """A field of ``table`` naming a member of the enumeration ``kind`` by its value."""
        if table.get(key) is None:
            value = self._value(table, key, where, default)
            return value if value is None or isinstance(value, kind) else kind(value)
        value = table[key]
        known = [m.value for m in kind]
        if not isinstance(value, str) or value not in known:
            raise self.expected(f"one of {', '.join(known)}", value, f"{where}.{key}")
        return kind(value)

    def texts(
        self, table: Mapping[str, Any], key: str, where: str, default: Any = ...
    ) -> tuple[str, ...]:
        """An array of texts of ``table``."""
        if table.get(key) is None:
            return tuple(self._value(table, key, where, default))
        value = table[key]
        if not isinstance(value, list):
            raise self.expected("an array of texts", value, f"{where}.{key}")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.expected("a text", item, f"{where}.{key}[{i}]")
        return tuple(value)

    @overload
    def code(
        self, table: Mapping[str, Any], key: str, where: str, code_list: str, *, on: dt.date
    ) -> str: ...
    @overload
    def code(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        code_list: str,
        default: str,
        *,
        on: dt.date,
    ) -> str: ...
    @overload
    def code(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        code_list: str,
        default: None,
        *,
        on: dt.date,
    ) -> str | None: ...
    def code(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        code_list: str,
        default: Any = ...,
        *,
        on: dt.date,
    ) -> Any:
        """A code of the shipped code list ``code_list`` that is valid on ``on`` (the day
        the code was used)."""
        if table.get(key) is None:
            return self._value(table, key, where, default)
        value = table[key]
        listed = codes.load(code_list)
        valid = [e.code for e in (listed.valid_on(on) if self.code_dates else listed)]
        if not isinstance(value, str) or value not in valid:
            note = ""
            spans = [e for e in listed if e.code == value]
            if spans:
                when = ", ".join(f"{e.valid_from} to {e.valid_to or 'open-ended'}" for e in spans)
                note = f" (that code is valid {when})"
            when = f" valid on {on}" if self.code_dates else ""
            raise self.fail(
                f"expected a code of code list {code_list!r}{when} "
                f"({', '.join(valid)}), got {describe(value)}{note}",
                f"{where}.{key}",
            )
        return value

    def organisation_number(
        self, table: Mapping[str, Any], key: str, where: str, *, sole_trader: bool = True
    ) -> Organisationsnummer:
        """A required organisation number of ``table``, as text (``NNNNNN-NNNN``)."""
        value = self._value(table, key, where, ...)
        if not isinstance(value, str):
            raise self.expected(
                "an organisation number as text (NNNNNN-NNNN)", value, f"{where}.{key}"
            )
        try:
            return Organisationsnummer.parse(value, allow_sole_trader=sole_trader)
        except InvalidIdentityNumber as exc:
            raise self.fail(str(exc), f"{where}.{key}") from None

    @staticmethod
    def collection(items: Sequence[Any]) -> Answer[Any]:
        """A known answer of ``items``, or absent when there are none."""
        return Answer.known(tuple(items)) if items else Answer.absent()


_FACTS: dict[str, FactBuilder] = {}


def register_fact(name: str, builder: FactBuilder, *, replace: bool = False) -> None:
    """Add a fact to the vocabulary: ``builder(value, ctx)`` returns ``Case`` fields.

    The builder reads ``value`` (what the case file states, as TOML gives it) through the
    strict helpers of ``ctx`` (:class:`FactContext`) and raises ``ctx.fail(...)`` for a
    value it cannot use; each field it returns is a keyword argument of ``Case``.

    Raises:
        ValueError: if the fact exists already (unless ``replace``) or clashes with a
            reserved key.
    """
    reserved = _CASE_KEYS | _PERSON_KEYS | _NOT_DEFAULTS | {"defaults", "case"}
    if name in reserved or name in _STATUS_KEYS:
        raise ValueError(f"{name!r} is a reserved key of the case format")
    if name in _FACTS and not replace:
        raise ValueError(f"fact {name!r} is defined already")
    _FACTS[name] = builder


def fact_names() -> tuple[str, ...]:
    """The fact names the format knows, sorted."""
    return tuple(sorted(_FACTS))


# -- the built-in facts ----------------------------------------------------------------
# Each reads its value strictly through FactContext and builds the model values with the
# public factories (ssbx_model.testing.factories): one set of builders for tests and cases.


def _registered_at_af(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    if not isinstance(value, bool):
        raise ctx.expected("true or false", value)
    if not value:
        return {"enrolment": Answer.not_found()}
    return {"enrolment": Answer.known(f.enrolment(ctx.on - dt.timedelta(days=365)))}


def _enrolment(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    t = ctx.table(value, ("from", "to", "category", "extent", "type", "reason"))
    period = ctx.period(t, "")
    end = period.end
    enrolment = f.enrolment(
        period.start,
        applicant_category=ctx.code(
            t, "category", "", codes.APPLICANT_CATEGORY, "11", on=period.start
        ),
        enrolment_type=ctx.text(t, "type", "", "öppet arbetslös"),
        extent=ctx.extent(t, "", 100) or 100,
        deregistered_on=end,
        deregistration_reason=ctx.code(
            t, "reason", "", codes.DEREGISTRATION_REASON, "own-request", on=end or period.start
        ),
    )
    return {"enrolment": Answer.known(enrolment)}


def _consents(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "kind", "given", "scope", "from", "to", "channel", "registered", "reference",
        "withdraws",
    )  # fmt: skip
    items = []
    for where, t in ctx.tables(value, keys):
        scope = ctx.texts(t, "scope", where, ("social-assistance",))
        known = [p.value for p in Purpose]
        for i, purpose in enumerate(scope):
            if purpose not in known:
                raise ctx.expected(f"one of {', '.join(known)}", purpose, f"{where}.scope[{i}]")
        period = ctx.period(t, where)
        registered = ctx.date(t, "registered", where, None)
        items.append(
            f.consent(
                period.start,
                kind=ctx.choice(t, "kind", where, ConsentKind, ConsentKind.AF_DISCLOSURE),
                given=ctx.flag(t, "given", where, True),
                scope=tuple(Purpose(p) for p in scope),
                months=None,
                end=period.end,
                channel=ctx.choice(t, "channel", where, ConsentChannel, ConsentChannel.E_SERVICE),
                registered=registered is not None,
                registered_on=registered,
                reference=ctx.text(t, "reference", where, None),
                withdraws=ctx.text(t, "withdraws", where, None),
            )
        )
    return {"consents": ctx.collection(items)}


def _consultations(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    for where, t in ctx.tables(value, ("on", "topic", "three_party")):
        held = ctx.date(t, "on", where)
        items.append(
            f.consultation(
                held,
                topic=ctx.code(
                    t, "topic", where, codes.CONSULTATION_TOPIC, SKAT15_ASSESSMENT, on=held
                ),
                three_party=ctx.flag(t, "three_party", where, False),
            )
        )
    return {"consultations": ctx.collection(items)}


def _programs(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    keys = ("program", "from", "to", "extent", "id", "decided", "activities")
    for i, (where, t) in enumerate(ctx.tables(value, keys)):
        period = ctx.period(t, where)
        decided = ctx.date(t, "decided", where, period.start)
        items.append(
            f.program_decision(
                period,
                program=ctx.code(t, "program", where, codes.AF_PROGRAM, on=decided),
                extent=ctx.extent(t, where, 100) or 100,
                decision_id=ctx.text(t, "id", where, f"P{i + 1}"),
                decided_on=decided,
                activities=_activities(t.get("activities", []), ctx.within(f"{where}.activities")),
            )
        )
    return {"program_decisions": ctx.collection(items)}


def _activities(value: Any, ctx: FactContext) -> tuple[Any, ...]:
    return tuple(
        f.activity(
            ctx.period(t, w, open_ok=False),
            name=ctx.text(t, "name", w, "aktivitet"),
            extent=ctx.extent(t, w, 100) or 100,
        )
        for w, t in ctx.tables(value, ("name", "from", "to", "extent"))
    )


def _studies(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        f.study_evidence(
            ctx.period(t, where),
            source=ctx.text(t, "source", where, "CSN"),
            extent=ctx.extent(t, where, None),
        )
        for where, t in ctx.tables(value, ("from", "to", "extent", "source"))
    ]
    return {"studies": ctx.collection(items)}


def _employment(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        f.employment_evidence(
            ctx.period(t, where),
            source=ctx.text(t, "source", where, "Skatteverket"),
            extent=ctx.extent(t, where, None),
        )
        for where, t in ctx.tables(value, ("from", "to", "extent", "source"))
    ]
    return {"employment": ctx.collection(items)}


def _schooling(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    t = ctx.table(value, ("compulsory", "left", "upper_secondary", "diploma", "source"))
    upper = []
    sub = ctx.within(".upper_secondary")
    for where, u in sub.tables(t.get("upper_secondary", []), ("kind", "from", "to", "programme")):
        upper.append(
            f.upper_secondary(
                sub.choice(u, "kind", where, ProgrammeKind),
                sub.period(u, where),
                programme=sub.text(u, "programme", where, None),
            )
        )
    schooling = f.schooling(
        compulsory=ctx.flag(t, "compulsory", "", True),
        source=ctx.text(t, "source", "", "skolhuvudmannen"),
        upper_secondary=upper,
        left_on=ctx.date(t, "left", "", None),
        diploma_on=ctx.date(t, "diploma", "", None),
    )
    return {"schooling": Answer.known(schooling)}


def _income(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        f.annual_income(
            ctx.integer(t, "year", w),
            ctx.integer(t, "amount", w),
            source=ctx.text(t, "source", w, "Skatteverket"),
        )
        for w, t in ctx.tables(value, ("year", "amount", "source"))
    ]
    return {"income": ctx.collection(items)}


def _student_finance(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        f.student_finance(
            ctx.integer(t, "year", w),
            received=ctx.flag(t, "received", w, True),
            amount_sek=ctx.integer(t, "amount", w, None),
        )
        for w, t in ctx.tables(value, ("year", "received", "amount"))
    ]
    return {"student_finance": ctx.collection(items)}


def _sfi_hours(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        f.sfi_hours(ctx.integer(t, "year", w), ctx.integer(t, "hours", w))
        for w, t in ctx.tables(value, ("year", "hours"))
    ]
    return {"sfi_hours": ctx.collection(items)}


def _kaa_register(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "entered", "reason", "contacted", "contacts", "occupation", "occupation_on", "closed",
        "close_reason",
    )  # fmt: skip
    t = ctx.table(value, keys)
    inner = ctx.within(".contacts")
    contacts = tuple(
        KaaContact(
            inner.date(c, "on", where),
            inner.choice(c, "channel", where, KaaContactChannel, KaaContactChannel.PHONE),
            inner.flag(c, "reached", where, True),
        )
        for where, c in inner.tables(t.get("contacts", []), ("on", "channel", "reached"))
    )
    occupation_on = ctx.date(t, "occupation_on", "", ctx.on)
    occupation = ctx.code(t, "occupation", "", codes.KAA_OCCUPATION, None, on=occupation_on)
    entry = f.kaa_register_entry(
        ctx.date(t, "entered", ""),
        reason=ctx.choice(t, "reason", "", KaaEntryReason, KaaEntryReason.LEFT_SCHOOL),
        contacted_on=ctx.date(t, "contacted", "", None),
        closed_on=ctx.date(t, "closed", "", None),
        close_reason=ctx.text(t, "close_reason", "", None),
        contacts=contacts,
        occupation=occupation,
        occupation_on=occupation_on if occupation is not None else None,
    )
    return {"kaa_register": Answer.known(entry)}


def _af_callbacks(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    keys = ("id", "requested", "topic", "topic_text", "attempts", "letter")
    for i, (where, t) in enumerate(ctx.tables(value, keys)):
        requested = ctx.date(t, "requested", where)
        inner = ctx.within(f"{where}.attempts")
        attempts = tuple(
            CallbackAttempt(
                inner.date(a, "on", aw),
                inner.choice(a, "result", aw, CallbackResult, CallbackResult.NOT_REACHED),
            )
            for aw, a in inner.tables(t.get("attempts", []), ("on", "result"))
        )
        items.append(
            CallbackRequest(
                ctx.text(t, "id", where, f"MI{i + 1}"),
                requested,
                ctx.code(t, "topic", where, codes.AF_CALLBACK_TOPIC, "consent", on=requested),
                ctx.text(t, "topic_text", where, None),
                attempts,
                ctx.date(t, "letter", where, None),
            )
        )
    return {"af_callbacks": ctx.collection(items)}


def _decision_reasons(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "agency", "decided", "effect", "reason", "reason_text", "from", "to", "fund",
        "reference",
    )  # fmt: skip
    items = []
    for where, t in ctx.tables(value, keys):
        if "to" in t and "from" not in t:
            raise ctx.fail("a decision period needs its start (from)", f"{where}.to")
        items.append(
            AgencyDecision(
                ctx.choice(t, "agency", where, DecidingAgency, DecidingAgency.CSN),
                ctx.date(t, "decided", where),
                ctx.choice(t, "effect", where, DecisionEffect, DecisionEffect.REDUCED),
                ctx.text(t, "reason", where),
                ctx.text(t, "reason_text", where, None),
                ctx.period(t, where) if "from" in t else None,
                ctx.text(t, "fund", where, None),
                ctx.text(t, "reference", where, None),
            )
        )
    return {"decision_reasons": ctx.collection(items)}


def _interventions(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "id", "type", "from", "to", "status", "extent", "name", "inuk_category", "provider",
        "organisation_number", "result",
    )  # fmt: skip
    items = []
    for i, (where, t) in enumerate(ctx.tables(value, keys)):
        period = ctx.period(t, where)
        kind = ctx.code(t, "type", where, codes.INTERVENTION_TYPE, "praktik", on=period.start)
        org = (
            ctx.organisation_number(t, "organisation_number", where)
            if t.get("organisation_number") is not None
            else None
        )
        items.append(
            f.municipal_intervention(
                period,
                status=ctx.choice(
                    t, "status", where, InterventionStatus, InterventionStatus.ONGOING
                ),
                intervention_type=kind,
                local_name=ctx.text(t, "name", where, kind),
                extent=ctx.extent(t, where, 100) or 100,
                intervention_id=ctx.text(t, "id", where, f"I{i + 1}"),
                inuk_category=ctx.code(
                    t, "inuk_category", where, codes.INUK_CATEGORY, None, on=period.start
                ),
                result=ctx.code(
                    t,
                    "result",
                    where,
                    codes.INTERVENTION_RESULT,
                    None,
                    on=period.end or period.start,
                ),
                provider=Provider(
                    ctx.text(t, "provider", where, "Kommunens arbetsmarknadsenhet"), org
                ),
            )
        )
    return {"interventions": tuple(items)}


# Facts of the intervention rules (assign-intervention, extratjanst, lonebidrag, sius,
# employer-check): disability codes, SIUS, days in the job guarantee and employer checks.


def _disability_codes(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    for where, t in ctx.tables(value, ("code", "registered", "organisation")):
        registered = ctx.date(t, "registered", where)
        items.append(
            f.disability_code(
                registered,
                code=ctx.code(t, "code", where, codes.DISABILITY_CODE, "mobility", on=registered),
                organisation=ctx.text(t, "organisation", where, "Arbetsförmedlingen"),
            )
        )
    return {"disability_codes": ctx.collection(items)}


def _sius(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        f.sius_support(
            ctx.period(t, where),
            as_of=ctx.date(t, "as_of", where, ctx.on),
            name=ctx.text(t, "name", where, None),
            organisation=ctx.text(t, "organisation", where, None),
        )
        for where, t in ctx.tables(value, ("from", "to", "as_of", "name", "organisation"))
    ]
    return {"sius": ctx.collection(items)}


def _job_guarantee_days(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    t = ctx.table(value, ("days", "as_of", "history"))
    sub = ctx.within(".history")
    history = []
    for w, h in sub.tables(t.get("history", []), ("program", "from", "to")):
        period = sub.period(h, w)
        history.append(
            f.program_spell(
                period, program=sub.code(h, "program", w, codes.AF_PROGRAM, "JOB", on=period.start)
            )
        )
    days = f.job_guarantee_days(
        ctx.integer(t, "days", ""),
        as_of=ctx.date(t, "as_of", "", ctx.on),
        history=history,
    )
    return {"job_guarantee_days": Answer.known(days)}


def _employer_checks(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "organisation_number", "checked_on", "trading_ban", "tax_debt", "payment_remarks",
        "owners", "union_approval",
    )  # fmt: skip
    items = []
    for where, t in ctx.tables(value, keys):
        sub = ctx.within(where)
        owners = sub.within(".owners")
        items.append(
            f.employer_check(
                ctx.organisation_number(t, "organisation_number", where),
                checked_on=ctx.date(t, "checked_on", where, ctx.on),
                owners=[
                    f.owner(
                        owners.text(o, "name", w, "Ägare"),
                        significant_influence=owners.flag(o, "significant_influence", w, True),
                        trading_ban=owners.flag(o, "trading_ban", w, None),
                    )
                    for w, o in owners.tables(
                        t.get("owners", []), ("name", "significant_influence", "trading_ban")
                    )
                ],
                payment_remarks=(
                    _payment_remarks(t["payment_remarks"], sub.within(".payment_remarks"))
                    if t.get("payment_remarks") is not None
                    else None
                ),
                trading_ban=ctx.flag(t, "trading_ban", where, None),
                tax_debt_sek=ctx.integer(t, "tax_debt", where, None),
                union_approval=(
                    _union_approval(t["union_approval"], sub.within(".union_approval"))
                    if t.get("union_approval") is not None
                    else None
                ),
            )
        )
    return {"employer_checks": ctx.collection(items)}


def _payment_remarks(value: Any, ctx: FactContext) -> tuple[Any, ...]:
    return tuple(
        f.payment_remark(
            ctx.date(r, "registered", w),
            ctx.integer(r, "amount", w),
            kind=ctx.text(r, "kind", w, "skuld"),
            assessment=ctx.choice(
                r, "assessment", w, PaymentRemarkAssessment, PaymentRemarkAssessment.NOT_ASSESSED
            ),
        )
        for w, r in ctx.tables(value, ("registered", "amount", "kind", "assessment"))
    )


def _union_approval(value: Any, ctx: FactContext) -> Any:
    t = ctx.table(value, ("approved", "union", "signed"))
    return f.union_approval(
        ctx.date(t, "signed", ""),
        approved=ctx.flag(t, "approved", ""),
        union=ctx.text(t, "union", "", "Kommunal"),
    )


def _municipality_organisation_number(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    if not isinstance(value, str):
        raise ctx.expected("an organisation number as text (NNNNNN-NNNN)", value)
    try:
        return {"municipality_organisation_number": Organisationsnummer.parse(value)}
    except InvalidIdentityNumber as exc:
        raise ctx.fail(str(exc)) from None


# Facts of the municipality's records that assign-intervention reads (socialtjänstlagen
# (2001:453) 4 kap. 4 §): decisions on försörjningsstöd and consultations with AF about a
# planned intervention.


def _income_support(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    for i, (where, t) in enumerate(ctx.tables(value, ("from", "to", "decided", "id"))):
        period = ctx.period(t, where)
        items.append(
            f.income_support_decision(
                period,
                decision_id=ctx.text(t, "id", where, f"FS{i + 1}"),
                decided_on=ctx.date(t, "decided", where, period.start),
            )
        )
    return {"income_support": ctx.collection(items)}


def _intervention_consultations(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    for where, t in ctx.tables(value, ("intervention", "held", "answer", "answered")):
        items.append(
            f.intervention_consultation(
                ctx.date(t, "held", where),
                intervention_id=ctx.text(t, "intervention", where, "I1"),
                answer=ctx.choice(
                    t, "answer", where, MeasureAnswer, MeasureAnswer.NO_SUITABLE_MEASURE
                ),
                answered_on=ctx.date(t, "answered", where, None),
            )
        )
    return {"intervention_consultations": ctx.collection(items)}


for _name, _builder in (
    ("registered_at_af", _registered_at_af),
    ("enrolment", _enrolment),
    ("consents", _consents),
    ("consultations", _consultations),
    ("programs", _programs),
    ("studies", _studies),
    ("employment", _employment),
    ("schooling", _schooling),
    ("income", _income),
    ("student_finance", _student_finance),
    ("sfi_hours", _sfi_hours),
    ("kaa_register", _kaa_register),
    ("af_callbacks", _af_callbacks),
    ("decision_reasons", _decision_reasons),
    ("interventions", _interventions),
    ("disability_codes", _disability_codes),
    ("sius", _sius),
    ("job_guarantee_days", _job_guarantee_days),
    ("employer_checks", _employer_checks),
    ("municipality_organisation_number", _municipality_organisation_number),
    ("income_support", _income_support),
    ("af_consultations", _intervention_consultations),
):
    register_fact(_name, _builder)


# -- errors ----------------------------------------------------------------------------------


def _masked_text(value: str | None) -> str | None:
    return None if value is None else masked_field(value)


@attrs.frozen
class CaseProblem:
    """One problem of a case file: the file, the case (index and name; None for a
    problem of the file itself or of ``[defaults]`` alone), the dotted path of the bad
    value inside the case (``consents[0].given``, or ``defaults.consents[0].given``) and
    what was expected. Texts are stored with identity-number-shaped sequences masked."""

    source: str = attrs.field(converter=masked_field)
    case: int | None
    case_name: str | None = attrs.field(converter=_masked_text)
    path: str = attrs.field(converter=masked_field)
    message: str = attrs.field(converter=masked_field)

    @property
    def full_path(self) -> str:
        """The path from the file: ``t.toml.case[3].consents[0].given``."""
        inner = self.path if self.path.startswith(("[", ".")) or not self.path else f".{self.path}"
        if self.case is not None and not self.path.startswith("defaults"):
            return f"{self.source}.case[{self.case}]{inner}"
        return f"{self.source}{inner}"

    def __str__(self) -> str:
        where = self.source
        if self.case is not None:
            where += f" case[{self.case}]"
            if self.case_name is not None:
                where += f" {json.dumps(self.case_name, ensure_ascii=False)}"
        if self.path:
            where += f" {self.path}"
        return f"{where}: {self.message}"


class CaseFileError(ValidationError):
    """A case file has problems: ``case_problems`` lists every one with its file, case
    and path (``problems`` has the same as :class:`~ssbx_model.errors.Problem` with the
    full path, ``t.toml.case[3].consents[0].given``)."""

    def __init__(self, problems: Iterable[CaseProblem]) -> None:
        self.case_problems: tuple[CaseProblem, ...] = tuple(problems)
        super().__init__(Problem(p.full_path, p.message) for p in self.case_problems)

    def _summary(self) -> str:
        if len(self.case_problems) == 1:
            return str(self.case_problems[0])
        lines = "\n".join(f"  - {p}" for p in self.case_problems)
        return f"{len(self.case_problems)} problems:\n{lines}"


# -- cases -----------------------------------------------------------------------------------


@attrs.frozen
class RuleCase:
    """One data-file test case: the case built from its facts, and what is expected.

    ``facts`` is the case spelled out: its own keys and the ``[defaults]`` it uses.
    """

    name: str
    rule: str
    on: dt.date
    case: Case
    expect_outcome: Outcome
    expect_reasons: tuple[str, ...] = ()
    expect_not_reasons: tuple[str, ...] = ()
    expect_missing: tuple[InformationSet, ...] | None = None
    parameters: Mapping[str, Scalar] | None = None
    description: str | None = None
    source: str = ""
    facts: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    expect_notices: tuple[str, ...] | None = None


@attrs.frozen
class CaseResult:
    """The result of running one :class:`RuleCase`: the decision and any failures."""

    case: RuleCase
    decision: Decision
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the decision matches every expectation."""
        return not self.failures


def _answer_for(status: AnswerStatus) -> Answer[Any]:
    if status is AnswerStatus.UNAVAILABLE:
        return Answer.unavailable(
            "the provider did not answer (test case)",
            Provenance("test", "1", _PROVENANCE_TIME),
        )
    if status is AnswerStatus.WITHHELD:
        return Answer.withheld("withheld by the access policy (test case)")
    return Answer(status)


#: A problem found while building: (path inside the case, message, found in [defaults]).
_Found = tuple[str, str, bool]


def _statuses(key: str, value: Any, ctx: FactContext) -> Mapping[str, Any]:
    if not isinstance(value, list):
        raise ctx.expected("an array of information-set names", value)
    known = [s.value for s in InformationSet]
    fields: dict[str, Any] = {}
    for i, name in enumerate(value):
        if not isinstance(name, str) or name not in known:
            raise ctx.expected(f"an information set ({', '.join(known)})", name, f"[{i}]")
        fields[name] = _answer_for(_STATUS_KEYS[key])
    return fields


def _build_key(key: str, value: Any, ctx: FactContext) -> Mapping[str, Any]:
    """The Case fields one stated key builds (a fact or a forced answer status)."""
    if key in _STATUS_KEYS:
        return _statuses(key, value, ctx)
    if key == "municipality":
        if not isinstance(value, str):
            raise ctx.expected("a four-digit municipality code as text", value)
        return {"municipality": value}
    builder = _FACTS.get(key)
    if builder is None:
        known = sorted({*_FACTS, *_STATUS_KEYS, *_CASE_KEYS, *_PERSON_KEYS})
        raise ctx.fail(f"unknown key; known keys: {', '.join(known)}")
    return builder(value, ctx)


def _assemble(
    stated: Mapping[str, Any],
    from_defaults: frozenset[str],
    on: dt.date,
    serial: int,
    found: list[_Found],
) -> tuple[Case | None, dict[str, Any]]:
    """Build the Case of a case's stated keys (its own and its defaults'); return it
    (None on problems) and the case spelled out (the defaults it used, its own keys)."""
    built: dict[str, tuple[str, Mapping[str, Any]]] = {}
    code_dates = stated.get("check_code_dates", True)
    if not isinstance(code_dates, bool):
        default = "check_code_dates" in from_defaults
        where = f"{'defaults.' if default else ''}check_code_dates"
        found.append((where, f"expected true or false, got {describe(code_dates)}", default))
        code_dates = True
    owners: dict[tuple[bool, str], str] = {}  # (from defaults, field) -> key that built it
    for key, value in stated.items():
        if key in _CASE_KEYS or key in _PERSON_KEYS - {"municipality"}:
            continue
        default = key in from_defaults
        where = f"defaults.{key}" if default else key
        try:
            fields = _build_key(key, value, FactContext(on, where, code_dates))
        except _FactError as exc:
            found.append((exc.path, exc.message, default))
            continue
        except ValidationError as exc:
            found.extend((p.prefixed(where).path, p.message, default) for p in exc.problems)
            continue
        except (ValueError, TypeError) as exc:
            found.append((where, str(exc), default))
            continue
        for name in fields:
            other = owners.setdefault((default, name), key)
            if other != key:
                found.append((where, f"states {name} as {other} does: keep one of them", default))
        built[key] = (where, fields)
    own_fields = {name for (default, name) in owners if not default}
    dropped = {
        key for key in from_defaults if key in built and own_fields.intersection(built[key][1])
    }
    spelled = {k: v for k, v in stated.items() if k not in dropped}
    case_fields: dict[str, Any] = {}
    for key, (_, values) in built.items():
        if key not in dropped:
            case_fields.update(values)
    person = _person(stated, from_defaults, serial, found)
    if person is None or found:
        return None, spelled
    case_fields.setdefault("municipality", _DEFAULT_MUNICIPALITY)
    try:
        return Case(person, **case_fields), spelled
    except ValidationError as exc:
        found.extend((p.path, p.message, False) for p in exc.problems)
        return None, spelled


def _person(
    stated: Mapping[str, Any], from_defaults: frozenset[str], serial: int, found: list[_Found]
) -> Any:
    """The person of a case: ``birth``, ``coordination_number`` and ``serial``."""
    before = len(found)

    def bad(key: str, what: str, value: object) -> None:
        default = key in from_defaults
        path = f"defaults.{key}" if default else key
        found.append((path, f"expected {what}, got {describe(value)}", default))

    birth = stated.get("birth")
    if "birth" not in stated:
        found.append(("birth", "is required", False))
    elif not _is_date(birth):
        bad("birth", "a date (YYYY-MM-DD)", birth)
    coordination = stated.get("coordination_number", False)
    if not isinstance(coordination, bool):
        bad("coordination_number", "true or false", coordination)
    number = stated.get("serial", serial)
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= 999:
        bad("serial", "a whole number from 0 to 999", number)
    if len(found) > before or not isinstance(birth, dt.date):
        return None
    return f.person_born(birth, serial=number, coordination_number=coordination)


def build_case(
    facts: Mapping[str, Any],
    on: dt.date,
    *,
    path: str = "",
    serial: int = 1,
    defaults: Mapping[str, Any] | None = None,
) -> Case:
    """Build a :class:`Case` from the compact facts of one test case (strictly: see the
    module documentation); keys of the case format that are not facts (``name``,
    ``expect``, ...) are left alone. ``defaults`` plays the part of a file's
    ``[defaults]``: ``facts`` replace them key by key and part by part.

    Raises:
        ValidationError: naming every bad fact with its path (prefixed by ``path``).
    """
    base = dict(defaults or {})
    stated = {**base, **facts}
    found: list[_Found] = []
    case, _ = _assemble(stated, frozenset(k for k in base if k not in facts), on, serial, found)
    if case is None:
        raise ValidationError(Problem(p, m).prefixed(path) for p, m, _ in found)
    return case


def _codes_of(
    raw: Mapping[str, Any], key: str, what: str, prefix: str | None, found: list[_Found]
) -> tuple[str, ...] | None:
    value = raw[key]
    if not isinstance(value, list):
        found.append(
            (f"expect.{key}", f"expected an array of {what}, got {describe(value)}", False)
        )
        return None
    for i, item in enumerate(value):
        if not isinstance(item, str):
            found.append((f"expect.{key}[{i}]", f"expected a text, got {describe(item)}", False))
            return None
        if prefix is not None and not item.startswith(prefix):
            found.append(
                (
                    f"expect.{key}[{i}]",
                    f"expected a {what[:-1]} of this rule ({prefix}...), got {describe(item)}",
                    False,
                )
            )
            return None
    return tuple(value)


_Expected = tuple[
    Outcome,
    tuple[str, ...],
    tuple[str, ...],
    tuple[InformationSet, ...] | None,
    tuple[str, ...] | None,
]


def _expectations(raw: Any, rule: str | None, found: list[_Found]) -> _Expected | None:
    if not isinstance(raw, dict):
        message = "is required" if raw is None else f"expected a table, got {describe(raw)}"
        found.append(("expect", message, False))
        return None
    before = len(found)
    for key in sorted(set(raw) - _EXPECT_KEYS):
        found.append(
            (f"expect.{key}", f"unknown key; known: {', '.join(sorted(_EXPECT_KEYS))}", False)
        )
    outcomes = [o.value for o in Outcome]
    outcome = raw.get("outcome")
    if "outcome" not in raw:
        found.append(("expect.outcome", "is required", False))
    elif not isinstance(outcome, str) or outcome not in outcomes:
        found.append(
            (
                "expect.outcome",
                f"expected one of {', '.join(outcomes)}, got {describe(outcome)}",
                False,
            )
        )
    prefix = None if rule is None else f"{rule}."
    reasons = _codes_of(raw, "reasons", "reason codes", prefix, found) if "reasons" in raw else ()
    not_reasons = (
        _codes_of(raw, "not_reasons", "reason codes", prefix, found) if "not_reasons" in raw else ()
    )
    missing: tuple[InformationSet, ...] | None = None
    if "missing" in raw:
        names = _codes_of(raw, "missing", "information sets", None, found)
        known = [s.value for s in InformationSet]
        for i, name in enumerate(names or ()):
            if name not in known:
                found.append(
                    (
                        f"expect.missing[{i}]",
                        f"expected an information set ({', '.join(known)}), got {describe(name)}",
                        False,
                    )
                )
        if names is not None and all(n in known for n in names):
            missing = tuple(InformationSet(n) for n in names)
    notices = _codes_of(raw, "notices", "notice codes", None, found) if "notices" in raw else None
    if len(found) > before or reasons is None or not_reasons is None:
        return None
    return Outcome(raw["outcome"]), reasons, not_reasons, missing, notices


def _overrides(raw: Any, found: list[_Found], default: bool) -> Mapping[str, Scalar] | None:
    where = "defaults.parameters" if default else "parameters"
    if not isinstance(raw, dict):
        found.append((where, f'expected a table of "name" = value, got {describe(raw)}', default))
        return None
    known = rule_parameters.default()
    for name, value in raw.items():
        at = f"{where}.{json.dumps(name)}"
        if isinstance(value, dict):
            found.append(
                (
                    at,
                    (
                        f"expected a value, got {describe(value)} (quote a dotted name: "
                        f'"{name}.…" = value)'
                    ),
                    default,
                )
            )
            continue
        if not isinstance(value, bool | int | float | str):
            found.append(
                (at, f"expected a number, text or true/false, got {describe(value)}", default)
            )
            continue
        try:
            known.check_overrides({name: value})
        except SsbxError as exc:
            found.append((at, str(exc), default))
    return raw


def _access(raw: Any, found: list[_Found], default: bool) -> tuple[Any, Purpose] | None:
    from ssbx_model.purpose import Role

    ctx = FactContext(dt.date.min, "defaults.access" if default else "access")
    try:
        t = ctx.table(raw, ("role", "purpose"))
        return ctx.choice(t, "role", "", Role), ctx.choice(t, "purpose", "", Purpose)
    except _FactError as exc:
        found.append((exc.path, exc.message, default))
        return None


def _rule_problem(rule: object) -> str | None:
    """What is wrong with a rule id, or None when a rule of that id is registered."""
    if not isinstance(rule, str):
        return f"expected the id of a rule as text, got {describe(rule)}"
    try:
        get_rule(rule)
    except SsbxError as exc:
        return str(exc)
    return None


def load_text(text: str, *, source: str = "<cases>") -> tuple[RuleCase, ...]:
    """Parse the cases of a TOML document.

    Raises:
        CaseFileError: listing every problem of the file, its ``[defaults]`` and every
            case, with the file (``source``), the case and the path of the bad value.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(
            [CaseProblem(source, None, None, "", f"is not valid TOML: {exc}")]
        ) from None
    problems: list[CaseProblem] = []

    def file_problem(path: str, message: str) -> None:
        problems.append(CaseProblem(source, None, None, path, message))

    for key in sorted(set(document) - _TOP_KEYS):
        file_problem(key, f"unknown top-level key; known: {', '.join(sorted(_TOP_KEYS))}")
    if "description" in document and not isinstance(document["description"], str):
        file_problem("description", f"expected a text, got {describe(document['description'])}")
    file_rule = document.get("rule")
    if "rule" in document:
        wrong = _rule_problem(file_rule)
        if wrong is not None:
            file_problem("rule", wrong)
            file_rule = None
    defaults = document.get("defaults", {})
    if not isinstance(defaults, dict):
        file_problem("defaults", f"expected a table, got {describe(defaults)}")
        defaults = {}
    for key in sorted(_NOT_DEFAULTS.intersection(defaults)):
        where = "the top-level rule = ..." if key == "rule" else "each case"
        file_problem(f"defaults.{key}", f"cannot be a default: state it in {where}")
    defaults = {k: v for k, v in defaults.items() if k not in _NOT_DEFAULTS}
    raw_cases = document.get("case")
    if not isinstance(raw_cases, list) or not raw_cases:
        file_problem("case", "the file has no [[case]]")
        raw_cases = []
    reported: set[tuple[str, str]] = set()
    cases: list[RuleCase] = []
    for i, raw in enumerate(raw_cases):
        if not isinstance(raw, dict):
            problems.append(
                CaseProblem(source, i, None, "", f"expected a table, got {describe(raw)}")
            )
            continue
        name = raw.get("name")
        found: list[_Found] = []
        rule_case = _load_case(raw, i, defaults, file_rule, "rule" in document, source, found)
        label = name if isinstance(name, str) else None
        for path, message, default in found:
            if default:
                if (path, message) in reported:
                    continue
                reported.add((path, message))
            problems.append(CaseProblem(source, i, label, path, message))
        if rule_case is not None and not found:
            cases.append(rule_case)
    if problems:
        raise CaseFileError(problems)
    return tuple(cases)


def _load_case(
    raw: Mapping[str, Any],
    index: int,
    defaults: Mapping[str, Any],
    file_rule: Any,
    file_names_rule: bool,
    source: str,
    found: list[_Found],
) -> RuleCase | None:
    """One case: its own keys over the file's defaults, built and checked."""
    stated = {**defaults, **raw}
    from_defaults = frozenset(k for k in defaults if k not in raw)
    name = raw.get("name")
    if "name" not in raw:
        found.append(("name", "is required", False))
    elif not isinstance(name, str) or not name.strip():
        found.append(("name", f"expected a text that names the case, got {describe(name)}", False))
    description = raw.get("description")
    if description is not None and not isinstance(description, str):
        found.append(("description", f"expected a text, got {describe(description)}", False))
    rule = raw.get("rule", file_rule)
    if "rule" in raw:
        wrong = _rule_problem(rule)
        if wrong is not None:
            found.append(("rule", wrong, False))
            rule = None
    elif not file_names_rule:
        found.append(("rule", "no rule named (top-level rule = ... or rule in the case)", False))
    on = stated.get("on")
    on_default = "on" in from_defaults
    if "on" not in stated:
        found.append(("on", "is required", False))
        return None
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        where = "defaults.on" if on_default else "on"
        found.append((where, f"expected a date (YYYY-MM-DD), got {describe(on)}", on_default))
        return None
    expected = _expectations(raw.get("expect"), rule if isinstance(rule, str) else None, found)
    overrides = None
    if "parameters" in stated:
        overrides = _overrides(stated["parameters"], found, "parameters" in from_defaults)
    case, spelled = _assemble(stated, from_defaults, on, (index + 1) % 1000, found)
    if "access" in stated and case is not None:
        default = "access" in from_defaults
        chosen = _access(stated["access"], found, default)
        if chosen is not None:
            case = _through_access(
                case, on, chosen, "defaults.access" if default else "access", found
            )
    if case is None or expected is None or not isinstance(rule, str) or found:
        return None
    outcome, reasons, not_reasons, missing, notices = expected
    return RuleCase(
        name if isinstance(name, str) else "",
        rule,
        on,
        case,
        outcome,
        reasons,
        not_reasons,
        missing,
        overrides,
        description,
        f"{source}:case[{index}]",
        spelled,
        notices,
    )


def _through_access(
    case: Case, on: dt.date, chosen: tuple[Any, Purpose], path: str, found: list[_Found]
) -> Case | None:
    """The case as ``role`` sees it for ``purpose`` on ``on`` under the default policy."""
    from ssbx_model.access import filter_case

    role, purpose = chosen
    try:
        return filter_case(case, role=role, purpose=purpose, on=on).case
    except SsbxError as exc:
        found.append((path, str(exc), path.startswith("defaults")))
        return None


def load_file(path: str | os.PathLike[str]) -> tuple[RuleCase, ...]:
    """Read the cases of one TOML file (see the module documentation for the format).

    Raises:
        CaseFileError: listing every problem, named by the file's name.
    """
    p = Path(path)
    return load_text(p.read_text(encoding="utf-8"), source=p.name)


def run_case(rule_case: RuleCase) -> CaseResult:
    """Evaluate one case and compare the decision with what is expected."""
    failures: list[str] = []
    try:
        decision = evaluate(rule_case.case, rule_case.rule, rule_case.on, rule_case.parameters)
        # The bulk path settles outcomes with the rule's quick ``decide``: it must agree.
        (quick,) = evaluate_many(
            [rule_case.case], rule_case.rule, rule_case.on, rule_case.parameters
        )
    except SsbxError as exc:
        raise AssertionError(f"{rule_case.source} ({rule_case.name}): {exc}") from exc
    if quick != decision:
        failures.append(f"evaluate_many gives {quick!r}, evaluate gives {decision!r}")
    if decision.outcome is not rule_case.expect_outcome:
        failures.append(
            f"outcome is {decision.outcome.value}, expected {rule_case.expect_outcome.value}"
        )
    codes_given = decision.reason_codes()
    for code in rule_case.expect_reasons:
        if code not in codes_given:
            failures.append(f"reason {code} missing (reasons: {', '.join(codes_given)})")
    for code in rule_case.expect_not_reasons:
        if code in codes_given:
            failures.append(f"reason {code} present but not expected")
    expected_missing = rule_case.expect_missing
    if expected_missing is None and rule_case.expect_outcome is not Outcome.UNKNOWN:
        expected_missing = ()
    if expected_missing is not None and set(decision.missing) != set(expected_missing):
        got = ", ".join(m.value for m in decision.missing) or "(none)"
        want = ", ".join(m.value for m in expected_missing) or "(none)"
        failures.append(f"missing is {got}, expected {want}")
    if rule_case.expect_notices is not None:
        try:
            found = find_notices(rule_case.case, rule_case.on, rule_case.parameters).codes()
        except SsbxError as exc:
            raise AssertionError(f"{rule_case.source} ({rule_case.name}): {exc}") from exc
        if sorted(found) != sorted(rule_case.expect_notices):
            got = ", ".join(found) or "(none)"
            want = ", ".join(rule_case.expect_notices) or "(none)"
            failures.append(f"notices are {got}, expected {want}")
    return CaseResult(rule_case, decision, tuple(failures))


def check_file(path: str | os.PathLike[str]) -> tuple[CaseResult, ...]:
    """Run every case of a file; return the results (see :attr:`CaseResult.ok`)."""
    return tuple(run_case(c) for c in load_file(path))


def assert_file(path: str | os.PathLike[str]) -> None:
    """Run every case of a file and raise AssertionError listing every failing case."""
    failed = [r for r in check_file(path) if not r.ok]
    if failed:
        lines = [f"{r.case.source} {r.case.name!r}: {'; '.join(r.failures)}" for r in failed]
        raise AssertionError(f"{len(failed)} case(s) failed:\n" + "\n".join(lines))
