"""Rule test cases as data files a domain expert can read (TOML), and their runner.

This module is public: vendors run their own case files against the library's rules (or
against rules they registered) with :func:`check_file` or :func:`assert_file`.

A file tests one rule (``rule = "..."`` at the top; a case may name another). Each
``[[case]]`` gives the reference date, the facts in a compact vocabulary, and what is
expected::

    rule = "kaa"

    [[case]]
    name = "19 years old, left compulsory school, no upper-secondary school"
    on = 2024-05-01
    birth = 2005-05-02
    schooling = { compulsory = true }
    expect = { outcome = "eligible", reasons = ["kaa.age.under-limit"] }

``expect`` holds ``outcome`` (required: ``eligible``, ``not_eligible`` or ``unknown``),
``reasons`` (codes that must all be among the decision's reasons), ``not_reasons`` (codes
that must not be), ``missing`` (the exact list of missing information sets; when
left out it must be empty unless the outcome is ``unknown``) and ``notices`` (the exact
codes, in any order, of the notices :func:`~ssbx_model.rules.notices.find_notices` gives
for the case on its date with its parameters; when left out, notices are not checked).

The facts (each builds one part of a :class:`~ssbx_model.case.Case`):

==========================  ============================================================
``birth``                   birth date (required); ``coordination_number = true`` makes
                            the person a samordningsnummer
``municipality``            four-digit municipality code (default ``"1287"``)
``registered_at_af``        ``true``: registered at AF since a year before ``on``, open;
                            ``false``: not in AF's register (answer *not found*)
``enrolment``               ``{from, to, category, extent, type}``: enrolment at AF
                            (``to`` = deregistration date; category default ``"11"``)
``consents``                ``[{kind, given, scope, from, to, channel, reference,
                            withdraws}]`` (kind default ``af-disclosure``, given
                            ``true``, scope ``["social-assistance"]``); a refusal
                            (``given = false``) has no ``to``
``consultations``           ``[{on, topic, three_party}]``: consultations (samråd);
                            topic a ``consultation-topic`` code, default
                            ``"skat15-assessment"``
``programs``                ``[{program, from, to, extent, id, decided, activities =
                            [{name, from, to, extent}]}]``: AF program decisions and
                            their activities (closed periods); ``decided`` is the
                            decision date (default ``from``)
``studies``, ``employment`` ``[{from, to, extent}]``: evidence of studies / work
``schooling``               ``{compulsory, left, upper_secondary = [{kind, from, to}],
                            diploma}``
``income``                  ``[{year, amount}]``; ``student_finance``: ``[{year,
                            received, amount}]``; ``sfi_hours``: ``[{year, hours}]``
``kaa_register``            ``{entered, reason, contacted, closed, close_reason}``
``interventions``           ``[{id, type, from, to, status, extent, name,
                            inuk_category, provider, organisation_number, result}]``:
                            the municipality's own interventions (organisation_number:
                            the provider's, as text; result: an ``intervention-result``
                            code, on an ended one)
``disability_codes``        ``[{code, registered, organisation}]`` (code default
                            ``"mobility"``)
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
                            and AF's callbacks (``result``: ``answered`` or
                            ``not-reached``, the default)
``kaa_register_entry``      ``{entered, reason, contacted, contacts = [{on, channel,
                            reached}], occupation, occupation_on, closed,
                            close_reason}``: the KAA entry with its follow-up
                            (``occupation`` a ``kaa-occupation`` code)
``decision_reasons``        ``[{agency, decided, effect, reason, reason_text, from, to,
                            fund, reference}]``: decisions of CSN, FK, PM or an a-kassa
``parameters``              ``{name = value}``: what-if overrides for this case
``access``                  ``{role, purpose}``: evaluate the case as that role sees it
                            for that purpose on ``on``, through the default access policy
                            (:func:`ssbx_model.access.filter_case`)
==========================  ============================================================

An empty list (``studies = []``) means the provider answered *absent* (known: none); a
set that is not mentioned is *not requested*. ``unavailable``, ``withheld``,
``not_requested``, ``not_found`` and ``absent`` each take a list of information-set names
and force that answer, e.g. ``unavailable = ["enrolment"]``.

Rule authors add facts for their own information sets with :func:`register_fact`.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ssbx_model.calendar import Extent, Period
from ssbx_model.case import Case
from ssbx_model.errors import InvalidIdentityNumber, Problem, SsbxError, ValidationError
from ssbx_model.identity import Organisationsnummer, Personnummer, Samordningsnummer
from ssbx_model.information._base import Answer, AnswerStatus, Provenance, Provider
from ssbx_model.information.callback import CallbackAttempt, CallbackRequest, CallbackResult
from ssbx_model.information.consent import Consent, ConsentChannel, ConsentKind
from ssbx_model.information.consultation import SKAT15_ASSESSMENT, Consultation
from ssbx_model.information.decision_reason import (
    AgencyDecision,
    DecidingAgency,
    DecisionEffect,
)
from ssbx_model.information.disability import DisabilityCode
from ssbx_model.information.employer import (
    EmployerCheck,
    Owner,
    PaymentRemark,
    PaymentRemarkAssessment,
    UnionApproval,
)
from ssbx_model.information.enrolment import ApplicantCategorySpell, Deregistration, Enrolment
from ssbx_model.information.evidence import EmploymentEvidence, StudyEvidence
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
from ssbx_model.information.program import Activity, ProgramDecision
from ssbx_model.information.schooling import ProgrammeKind, Schooling, UpperSecondaryEnrolment
from ssbx_model.information.sets import InformationSet
from ssbx_model.information.sius import SiusSupport
from ssbx_model.information.yearly import AnnualIncome, SfiHours, StudentFinance
from ssbx_model.purpose import Purpose
from ssbx_model.rules.engine import Decision, Outcome, evaluate, evaluate_many
from ssbx_model.rules.notices import find_notices
from ssbx_model.rules.parameters import Scalar

__all__ = [
    "CaseResult",
    "FactContext",
    "RuleCase",
    "assert_file",
    "build_case",
    "check_file",
    "fact_names",
    "load_file",
    "load_text",
    "register_fact",
    "run_case",
]

#: Builds Case fields from one fact's value: returns keyword arguments of ``Case``.
FactBuilder = Callable[[Any, "FactContext"], Mapping[str, Any]]

_CASE_KEYS = frozenset({"name", "description", "on", "rule", "expect", "parameters", "access"})
_STATUS_KEYS = {
    "unavailable": AnswerStatus.UNAVAILABLE,
    "withheld": AnswerStatus.WITHHELD,
    "not_requested": AnswerStatus.NOT_REQUESTED,
    "not_found": AnswerStatus.NOT_FOUND,
    "absent": AnswerStatus.ABSENT,
}
_PERSON_KEYS = frozenset({"birth", "coordination_number", "municipality", "serial"})
_EXPECT_KEYS = frozenset({"outcome", "reasons", "not_reasons", "missing", "notices"})
_PROVENANCE_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class _FactError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@attrs.frozen
class FactContext:
    """What a fact builder knows: the case's reference date and the path for errors."""

    on: dt.date
    path: str

    def fail(self, message: str, where: str = "") -> _FactError:
        """An error about this fact (raise it)."""
        return _FactError(f"{self.path}{where}", message)

    def table(self, value: Any, keys: Iterable[str], where: str = "") -> Mapping[str, Any]:
        """Check that ``value`` is a table using only ``keys``; return it."""
        if not isinstance(value, dict):
            raise self.fail("must be a table", where)
        unknown = sorted(set(value) - set(keys))
        if unknown:
            raise self.fail(
                f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(keys))}", where
            )
        return value

    def tables(self, value: Any, keys: Iterable[str]) -> list[tuple[str, Mapping[str, Any]]]:
        """Check that ``value`` is an array of tables using only ``keys``."""
        if not isinstance(value, list):
            raise self.fail("must be an array of tables")
        return [(f"[{i}]", self.table(item, keys, f"[{i}]")) for i, item in enumerate(value)]

    def date(self, table: Mapping[str, Any], key: str, where: str, default: Any = ...) -> Any:
        """A date field of ``table`` (required unless ``default`` is given)."""
        value = table.get(key, default)
        if value is ...:
            raise self.fail("is required", f"{where}.{key}")
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail("must be a date (YYYY-MM-DD)", f"{where}.{key}")
        return value

    def period(self, table: Mapping[str, Any], where: str, *, open_ok: bool = True) -> Period:
        """The period ``from``..``to`` of ``table`` (``to`` optional when ``open_ok``)."""
        start = self.date(table, "from", where)
        end = self.date(table, "to", where, None if open_ok else ...)
        return Period(start, end)

    @staticmethod
    def collection(items: Sequence[Any]) -> Answer[Any]:
        """A known answer of ``items``, or absent when there are none."""
        return Answer.known(tuple(items)) if items else Answer.absent()


_FACTS: dict[str, FactBuilder] = {}


def register_fact(name: str, builder: FactBuilder, *, replace: bool = False) -> None:
    """Add a fact to the vocabulary: ``builder(value, ctx)`` returns ``Case`` fields.

    Raises:
        ValueError: if the fact exists already (unless ``replace``) or clashes with a
            reserved key.
    """
    if name in _CASE_KEYS or name in _STATUS_KEYS or name in _PERSON_KEYS:
        raise ValueError(f"{name!r} is a reserved key of the case format")
    if name in _FACTS and not replace:
        raise ValueError(f"fact {name!r} is defined already")
    _FACTS[name] = builder


def fact_names() -> tuple[str, ...]:
    """The fact names the format knows, sorted."""
    return tuple(sorted(_FACTS))


def _extent(ctx: FactContext, table: Mapping[str, Any], where: str, default: int | None) -> Any:
    value = table.get("extent", default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.fail("must be a whole number of percent", f"{where}.extent")
    return Extent(value)


# -- the built-in facts ----------------------------------------------------------------


def _registered_at_af(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    if not isinstance(value, bool):
        raise ctx.fail("must be true or false")
    if not value:
        return {"enrolment": Answer.not_found()}
    start = ctx.on - dt.timedelta(days=365)
    spell = ApplicantCategorySpell("11", "öppet arbetslös", Extent(100), Period(start))
    return {"enrolment": Answer.known(Enrolment(start, (spell,)))}


def _enrolment(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    t = ctx.table(value, ("from", "to", "category", "extent", "type", "reason"))
    period = ctx.period(t, "")
    extent = _extent(ctx, t, "", 100)
    spell = ApplicantCategorySpell(
        str(t.get("category", "11")), str(t.get("type", "öppet arbetslös")), extent, period
    )
    deregistration = (
        Deregistration(period.end, str(t.get("reason", "own-request")))
        if period.end is not None
        else None
    )
    return {"enrolment": Answer.known(Enrolment(period.start, (spell,), deregistration))}


def _consents(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "kind",
        "given",
        "scope",
        "from",
        "to",
        "channel",
        "registered",
        "reference",
        "withdraws",
    )
    items = []
    for where, t in ctx.tables(value, keys):
        scope = t.get("scope", ["social-assistance"])
        if not isinstance(scope, list):
            raise ctx.fail("must be an array of purposes", f"{where}.scope")
        given = t.get("given", True)
        if not isinstance(given, bool):
            raise ctx.fail("must be true or false (not a text)", f"{where}.given")
        for key in ("reference", "withdraws"):
            if key in t and not isinstance(t[key], str):
                raise ctx.fail("must be a text", f"{where}.{key}")
        items.append(
            Consent(
                ConsentKind(t.get("kind", "af-disclosure")),
                given,
                tuple(Purpose(s) for s in scope),
                ctx.period(t, where),
                ConsentChannel(t.get("channel", "e-service")),
                registered_on=ctx.date(t, "registered", where, None),
                reference=t.get("reference"),
                withdraws=t.get("withdraws"),
            )
        )
    return {"consents": ctx.collection(items)}


def _consultations(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        Consultation(
            ctx.date(t, "on", where),
            str(t.get("topic", SKAT15_ASSESSMENT)),
            ("Arbetsförmedlingen", "kommunen"),
            bool(t.get("three_party", False)),
        )
        for where, t in ctx.tables(value, ("on", "topic", "three_party"))
    ]
    return {"consultations": ctx.collection(items)}


def _programs(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    keys = ("program", "from", "to", "extent", "id", "decided", "activities")
    for i, (where, t) in enumerate(ctx.tables(value, keys)):
        if "program" not in t:
            raise ctx.fail("is required", f"{where}.program")
        period = ctx.period(t, where)
        items.append(
            ProgramDecision(
                str(t.get("id", f"P{i + 1}")),
                str(t["program"]),
                ctx.date(t, "decided", where, period.start),
                period,
                _extent(ctx, t, where, 100),
                _activities(t.get("activities", []), ctx, f"{where}.activities"),
            )
        )
    return {"program_decisions": ctx.collection(items)}


def _studies(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        StudyEvidence(
            ctx.period(t, where), str(t.get("source", "CSN")), None, _extent(ctx, t, where, None)
        )
        for where, t in ctx.tables(value, ("from", "to", "extent", "source"))
    ]
    return {"studies": ctx.collection(items)}


def _employment(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        EmploymentEvidence(
            ctx.period(t, where),
            str(t.get("source", "Skatteverket")),
            None,
            _extent(ctx, t, where, None),
        )
        for where, t in ctx.tables(value, ("from", "to", "extent", "source"))
    ]
    return {"employment": ctx.collection(items)}


def _schooling(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    t = ctx.table(value, ("compulsory", "left", "upper_secondary", "diploma", "source"))
    upper = []
    for i, u in enumerate(t.get("upper_secondary", [])):
        where = f".upper_secondary[{i}]"
        u = ctx.table(u, ("kind", "from", "to", "programme"), where)
        if "kind" not in u:
            raise ctx.fail(
                "is required (national, introduction, adapted, equivalent)", f"{where}.kind"
            )
        upper.append(
            UpperSecondaryEnrolment(
                ProgrammeKind(u["kind"]), ctx.period(u, where), u.get("programme")
            )
        )
    schooling = Schooling(
        bool(t.get("compulsory", True)),
        str(t.get("source", "skolhuvudmannen")),
        tuple(upper),
        ctx.date(t, "left", "", None),
        ctx.date(t, "diploma", "", None),
    )
    return {"schooling": Answer.known(schooling)}


def _year(ctx: FactContext, t: Mapping[str, Any], where: str) -> int:
    year = t.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ctx.fail("is required and must be a year", f"{where}.year")
    return year


def _int(ctx: FactContext, t: Mapping[str, Any], key: str, where: str) -> int:
    value = t.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.fail("is required and must be a whole number", f"{where}.{key}")
    return value


def _income(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        AnnualIncome(
            _year(ctx, t, w), _int(ctx, t, "amount", w), str(t.get("source", "Skatteverket"))
        )
        for w, t in ctx.tables(value, ("year", "amount", "source"))
    ]
    return {"income": ctx.collection(items)}


def _student_finance(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        StudentFinance(_year(ctx, t, w), bool(t.get("received", True)), t.get("amount"))
        for w, t in ctx.tables(value, ("year", "received", "amount"))
    ]
    return {"student_finance": ctx.collection(items)}


def _sfi_hours(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        SfiHours(_year(ctx, t, w), _int(ctx, t, "hours", w))
        for w, t in ctx.tables(value, ("year", "hours"))
    ]
    return {"sfi_hours": ctx.collection(items)}


def _kaa_register(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    t = ctx.table(value, ("entered", "reason", "contacted", "closed", "close_reason"))
    closed = ctx.date(t, "closed", "", None)
    entry = KaaRegisterEntry(
        ctx.date(t, "entered", ""),
        KaaEntryReason(t.get("reason", "left-school")),
        ctx.date(t, "contacted", "", None),
        closed,
        t.get("close_reason", "closed" if closed is not None else None),
    )
    return {"kaa_register": Answer.known(entry)}


def _interventions(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "id", "type", "from", "to", "status", "extent", "name", "inuk_category", "provider",
        "organisation_number", "result",
    )  # fmt: skip
    items = []
    for i, (where, t) in enumerate(ctx.tables(value, keys)):
        kind = str(t.get("type", "praktik"))
        org = t.get("organisation_number")
        items.append(
            MunicipalIntervention(
                str(t.get("id", f"I{i + 1}")),
                str(t.get("name", kind)),
                kind,
                ctx.period(t, where),
                _extent(ctx, t, where, 100),
                Provider(
                    str(t.get("provider", "Kommunens arbetsmarknadsenhet")),
                    None if org is None else _org_number(org, ctx, f"{where}.organisation_number"),
                ),
                InterventionStatus(t.get("status", "ongoing")),
                t.get("inuk_category"),
                result=t.get("result"),
            )
        )
    return {"interventions": tuple(items)}


# Facts of the intervention rules (assign-intervention, extratjanst, lonebidrag, sius,
# employer-check): activities of program decisions, providers' organisation numbers,
# disability codes, SIUS, days in the job guarantee and employer checks.


def _activities(value: Any, ctx: FactContext, where: str) -> tuple[Activity, ...]:
    sub = FactContext(ctx.on, f"{ctx.path}{where}")
    return tuple(
        Activity(
            str(t.get("name", "aktivitet")),
            sub.period(t, w, open_ok=False),
            _extent(sub, t, w, 100),
        )
        for w, t in sub.tables(value, ("name", "from", "to", "extent"))
    )


def _org_number(value: Any, ctx: FactContext, where: str) -> Organisationsnummer:
    if not isinstance(value, str):
        raise ctx.fail("must be an organisation number as text (NNNNNN-NNNN)", where)
    try:
        return Organisationsnummer.parse(value, allow_sole_trader=True)
    except InvalidIdentityNumber as exc:
        raise ctx.fail(str(exc), where) from None


def _disability_codes(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = [
        DisabilityCode(
            str(t.get("code", "mobility")),
            ctx.date(t, "registered", where),
            str(t.get("organisation", "Arbetsförmedlingen")),
        )
        for where, t in ctx.tables(value, ("code", "registered", "organisation"))
    ]
    return {"disability_codes": ctx.collection(items)}


def _sius(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    for where, t in ctx.tables(value, ("from", "to", "as_of", "name", "organisation")):
        period = ctx.period(t, where)
        as_of = ctx.date(t, "as_of", where, ctx.on)
        items.append(
            SiusSupport(period.contains(as_of), period, as_of, t.get("name"), t.get("organisation"))
        )
    return {"sius": ctx.collection(items)}


def _job_guarantee_days(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    t = ctx.table(value, ("days", "as_of", "history"))
    history = tuple(
        ProgramSpell(str(h.get("program", "JOB")), ctx.period(h, w))
        for w, h in FactContext(ctx.on, f"{ctx.path}.history").tables(
            t.get("history", []), ("program", "from", "to")
        )
    )
    days = JobGuaranteeDays(_int(ctx, t, "days", ""), ctx.date(t, "as_of", "", ctx.on), history)
    return {"job_guarantee_days": Answer.known(days)}


def _employer_checks(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    keys = (
        "organisation_number", "checked_on", "trading_ban", "tax_debt", "payment_remarks",
        "owners", "union_approval",
    )  # fmt: skip
    items = []
    for where, t in ctx.tables(value, keys):
        remarks = t.get("payment_remarks")
        sub = FactContext(ctx.on, f"{ctx.path}{where}")
        owners = tuple(
            Owner(
                str(o.get("name", "Ägare")),
                None,
                bool(o.get("significant_influence", True)),
                o.get("trading_ban"),
            )
            for _, o in FactContext(ctx.on, f"{sub.path}.owners").tables(
                t.get("owners", []), ("name", "significant_influence", "trading_ban")
            )
        )
        items.append(
            EmployerCheck(
                _org_number(t.get("organisation_number"), ctx, f"{where}.organisation_number"),
                ctx.date(t, "checked_on", where, ctx.on),
                owners=owners,
                payment_remarks=None if remarks is None else _payment_remarks(remarks, sub),
                trading_ban=t.get("trading_ban"),
                tax_debt_at_kronofogden_sek=t.get("tax_debt"),
                union_approval=None
                if "union_approval" not in t
                else _union_approval(t["union_approval"], sub),
            )
        )
    return {"employer_checks": ctx.collection(items)}


def _payment_remarks(value: Any, ctx: FactContext) -> tuple[PaymentRemark, ...]:
    sub = FactContext(ctx.on, f"{ctx.path}.payment_remarks")
    remarks = []
    for w, r in sub.tables(value, ("registered", "amount", "kind", "assessment")):
        assessment = r.get("assessment", PaymentRemarkAssessment.NOT_ASSESSED.value)
        known = [a.value for a in PaymentRemarkAssessment]
        if not isinstance(assessment, str) or assessment not in known:
            raise sub.fail(f"must be one of {', '.join(known)}", f"{w}.assessment")
        remarks.append(
            PaymentRemark(
                sub.date(r, "registered", w),
                _int(sub, r, "amount", w),
                str(r.get("kind", "skuld")),
                PaymentRemarkAssessment(assessment),
            )
        )
    return tuple(remarks)


def _union_approval(value: Any, ctx: FactContext) -> UnionApproval:
    t = ctx.table(value, ("approved", "union", "signed"), ".union_approval")
    approved = t.get("approved")
    if not isinstance(approved, bool):
        raise ctx.fail("is required and must be true or false", ".union_approval.approved")
    union = t.get("union", "Kommunal")
    if not isinstance(union, str):
        raise ctx.fail("must be a text", ".union_approval.union")
    return UnionApproval(approved, union, ctx.date(t, "signed", ".union_approval"))


def _municipality_organisation_number(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    if not isinstance(value, str):
        raise ctx.fail("must be an organisation number as text (NNNNNN-NNNN)")
    try:
        number = Organisationsnummer.parse(value)
    except InvalidIdentityNumber as exc:
        raise ctx.fail(str(exc)) from None
    return {"municipality_organisation_number": number}


# Facts of the municipality's records that assign-intervention reads (socialtjänstlagen
# (2001:453) 4 kap. 4 §): decisions on försörjningsstöd and consultations with AF about a
# planned intervention. Strict: a wrong type is an error at its path, never coerced.


def _text(ctx: FactContext, t: Mapping[str, Any], key: str, where: str, default: str) -> str:
    value = t.get(key, default)
    if not isinstance(value, str):
        raise ctx.fail("must be a text", f"{where}.{key}")
    return value


def _income_support(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    for i, (where, t) in enumerate(ctx.tables(value, ("from", "to", "decided", "id"))):
        period = ctx.period(t, where)
        items.append(
            IncomeSupportDecision(
                _text(ctx, t, "id", where, f"FS{i + 1}"),
                ctx.date(t, "decided", where, period.start),
                period,
            )
        )
    return {"income_support": ctx.collection(items)}


def _intervention_consultations(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    items = []
    for where, t in ctx.tables(value, ("intervention", "held", "answer", "answered")):
        held = ctx.date(t, "held", where)
        text = _text(ctx, t, "answer", where, MeasureAnswer.NO_SUITABLE_MEASURE.value)
        try:
            answer = MeasureAnswer(text)
        except ValueError:
            known = ", ".join(a.value for a in MeasureAnswer)
            raise ctx.fail(f"must be one of {known}", f"{where}.answer") from None
        pending = answer is MeasureAnswer.NOT_ANSWERED
        items.append(
            InterventionConsultation(
                _text(ctx, t, "intervention", where, "I1"),
                held,
                answer,
                ctx.date(t, "answered", where, None if pending else held),
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


# -- cases ---------------------------------------------------------------------------------


@attrs.frozen
class RuleCase:
    """One data-file test case: the case built from its facts, and what is expected."""

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


def build_case(facts: Mapping[str, Any], on: dt.date, *, path: str = "", serial: int = 1) -> Case:
    """Build a :class:`Case` from the compact facts of one test case.

    Raises:
        ValidationError: naming every bad fact with its path.
    """
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    statuses: dict[str, AnswerStatus] = {}
    for key, value in facts.items():
        where = f"{path}.{key}" if path else key
        if key in _CASE_KEYS or key in _PERSON_KEYS:
            continue
        if key in _STATUS_KEYS:
            if not isinstance(value, list):
                problems.append(Problem(where, "must be an array of information-set names"))
                continue
            for i, name in enumerate(value):
                try:
                    statuses[InformationSet(name).value] = _STATUS_KEYS[key]
                except ValueError:
                    known = ", ".join(s.value for s in InformationSet)
                    problems.append(
                        Problem(
                            f"{where}[{i}]", f"unknown information set {name!r}; known: {known}"
                        )
                    )
            continue
        builder = _FACTS.get(key)
        if builder is None:
            problems.append(Problem(where, f"unknown fact; known facts: {', '.join(fact_names())}"))
            continue
        try:
            fields.update(builder(value, FactContext(on, where)))
        except _FactError as exc:
            problems.append(Problem(exc.path, exc.message))
        except ValidationError as exc:
            problems.extend(p.prefixed(where) for p in exc.problems)
        except (ValueError, TypeError) as exc:
            problems.append(Problem(where, str(exc)))
    for name, status in statuses.items():
        fields[name] = _answer_for(status)
    birth = facts.get("birth")
    if isinstance(birth, dt.datetime) or not isinstance(birth, dt.date):
        problems.append(
            Problem(f"{path}.birth" if path else "birth", "is required and must be a date")
        )
    if problems:
        raise ValidationError(problems)
    assert isinstance(birth, dt.date)
    kind = Samordningsnummer if facts.get("coordination_number") else Personnummer
    person = kind.from_birth_date(birth, int(facts.get("serial", serial)) % 1000)
    try:
        fields.setdefault("municipality", str(facts.get("municipality", "1287")))
        return Case(person, **fields)
    except ValidationError as exc:
        raise exc.prefixed(path) from None


_Expected = tuple[
    Outcome,
    tuple[str, ...],
    tuple[str, ...],
    tuple[InformationSet, ...] | None,
    tuple[str, ...] | None,
]


def _expectations(raw: Any, path: str, problems: list[Problem]) -> _Expected | None:
    if not isinstance(raw, dict):
        problems.append(Problem(f"{path}.expect", "is required and must be a table"))
        return None
    for key in sorted(set(raw) - _EXPECT_KEYS):
        problems.append(Problem(f"{path}.expect.{key}", "is not an expectation"))
    try:
        outcome = Outcome(str(raw.get("outcome")))
    except ValueError:
        problems.append(
            Problem(f"{path}.expect.outcome", "must be eligible, not_eligible or unknown")
        )
        return None
    lists: list[tuple[str, ...]] = []
    for key in ("reasons", "not_reasons"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(f"{path}.expect.{key}", "must be an array of reason codes"))
            value = []
        lists.append(tuple(value))
    missing: tuple[InformationSet, ...] | None = None
    if "missing" in raw:
        try:
            missing = tuple(InformationSet(m) for m in raw["missing"])
        except (ValueError, TypeError):
            problems.append(
                Problem(f"{path}.expect.missing", "must be an array of information-set names")
            )
    notices: tuple[str, ...] | None = None
    if "notices" in raw:
        value = raw["notices"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(f"{path}.expect.notices", "must be an array of notice codes"))
        else:
            notices = tuple(value)
    return outcome, lists[0], lists[1], missing, notices


def load_text(text: str, *, source: str = "<cases>") -> tuple[RuleCase, ...]:
    """Parse the cases of a TOML document.

    Raises:
        ValidationError: listing every problem of every case, prefixed by ``source``.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(Problem(source, f"is not valid TOML: {exc}")) from None
    problems: list[Problem] = []
    default_rule = document.get("rule")
    raw_cases = document.get("case")
    for key in sorted(set(document) - {"rule", "case", "description"}):
        problems.append(Problem(key, "is not a top-level key (rule, description, case)"))
    if not isinstance(raw_cases, list) or not raw_cases:
        problems.append(Problem("case", "the file has no [[case]]"))
        raw_cases = []
    found: list[RuleCase] = []
    for i, raw in enumerate(raw_cases):
        path = f"case[{i}]"
        if not isinstance(raw, dict):
            problems.append(Problem(path, "must be a table"))
            continue
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(f"{path}.name", "is required"))
        rule = raw.get("rule", default_rule)
        if not isinstance(rule, str):
            problems.append(Problem(f"{path}.rule", "no rule named (top-level rule = ...)"))
        on = raw.get("on")
        if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
            problems.append(Problem(f"{path}.on", "is required and must be a date"))
            continue
        expected = _expectations(raw.get("expect"), path, problems)
        overrides = raw.get("parameters")
        if overrides is not None and not isinstance(overrides, dict):
            problems.append(Problem(f"{path}.parameters", "must be a table of name = value"))
            overrides = None
        try:
            case = build_case(raw, on, path=path, serial=i + 1)
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        if "access" in raw:
            filtered = _through_access(raw["access"], case, on, f"{path}.access", problems)
            if filtered is None:
                continue
            case = filtered
        if expected is None or not isinstance(rule, str) or not isinstance(name, str):
            continue
        outcome, reasons, not_reasons, missing, notices = expected
        found.append(
            RuleCase(
                name,
                rule,
                on,
                case,
                outcome,
                reasons,
                not_reasons,
                missing,
                overrides,
                raw.get("description"),
                f"{source}:{path}",
                raw,
                notices,
            )
        )
    if problems:
        raise ValidationError(p.prefixed(source) for p in problems)
    return tuple(found)


def _through_access(
    raw: object, case: Case, on: dt.date, path: str, problems: list[Problem]
) -> Case | None:
    """The case as ``role`` sees it for ``purpose`` on ``on`` under the default policy."""
    from ssbx_model.access import filter_case
    from ssbx_model.purpose import Purpose, Role

    if not isinstance(raw, dict) or set(raw) != {"role", "purpose"}:
        problems.append(Problem(path, "must be a table { role = ..., purpose = ... }"))
        return None
    try:
        role, purpose = Role(raw["role"]), Purpose(raw["purpose"])
    except ValueError as exc:
        problems.append(Problem(path, str(exc)))
        return None
    try:
        return filter_case(case, role=role, purpose=purpose, on=on).case
    except SsbxError as exc:
        problems.append(Problem(path, str(exc)))
        return None


def load_file(path: str | os.PathLike[str]) -> tuple[RuleCase, ...]:
    """Read the cases of one TOML file (see the module documentation for the format)."""
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
    codes = decision.reason_codes()
    for code in rule_case.expect_reasons:
        if code not in codes:
            failures.append(f"reason {code} missing (reasons: {', '.join(codes)})")
    for code in rule_case.expect_not_reasons:
        if code in codes:
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


# ==========================================================================================
# Facts of issue 20 (what the sources ask for): callback requests to AF's myndighetsingång,
# the KAA register entry with its follow-up, and the agencies' decision reasons. Strict:
# every key's type is checked, unknown keys are refused, codes are checked against their
# code lists by the model, and nothing is coerced (no bool()/int()).
# ==========================================================================================


def _strict_text(ctx: FactContext, t: Mapping[str, Any], key: str, where: str) -> str | None:
    value = t.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ctx.fail("must be a text", f"{where}.{key}")
    return value


def _strict_required_text(ctx: FactContext, t: Mapping[str, Any], key: str, where: str) -> str:
    value = _strict_text(ctx, t, key, where)
    if value is None:
        raise ctx.fail("is required", f"{where}.{key}")
    return value


def _strict_bool(
    ctx: FactContext, t: Mapping[str, Any], key: str, where: str, default: bool
) -> bool:
    value = t.get(key, default)
    if not isinstance(value, bool):
        raise ctx.fail("must be true or false", f"{where}.{key}")
    return value


def _strict_member(
    ctx: FactContext, t: Mapping[str, Any], key: str, where: str, enum: Any, default: Any
) -> Any:
    value = t.get(key, default)
    if not isinstance(value, str):
        raise ctx.fail("must be a text", f"{where}.{key}")
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(m.value for m in enum)
        raise ctx.fail(f"must be one of {known}, not {value!r}", f"{where}.{key}") from None


def _strict_list(ctx: FactContext, t: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = t.get(key, [])
    if not isinstance(value, list):
        raise ctx.fail("must be an array", f"{where}.{key}")
    return value


def _af_callbacks(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    """``af_callbacks = [{id, requested, topic, topic_text, attempts = [{on, result}],
    letter}]``: requests to AF's myndighetsingång (``id`` default ``MI1``, ``MI2``, ...;
    ``topic`` default ``"consent"``; ``result`` ``answered`` or ``not-reached``, default
    ``not-reached``)."""
    items = []
    for i, (w, t) in enumerate(
        ctx.tables(value, ("id", "requested", "topic", "topic_text", "attempts", "letter"))
    ):
        attempts = []
        for j, raw in enumerate(_strict_list(ctx, t, "attempts", w)):
            aw = f"{w}.attempts[{j}]"
            a = ctx.table(raw, ("on", "result"), aw)
            attempts.append(
                CallbackAttempt(
                    ctx.date(a, "on", aw),
                    _strict_member(ctx, a, "result", aw, CallbackResult, "not-reached"),
                )
            )
        items.append(
            CallbackRequest(
                _strict_text(ctx, t, "id", w) or f"MI{i + 1}",
                ctx.date(t, "requested", w),
                _strict_text(ctx, t, "topic", w) or "consent",
                _strict_text(ctx, t, "topic_text", w),
                tuple(attempts),
                ctx.date(t, "letter", w, None),
            )
        )
    return {"af_callbacks": ctx.collection(items)}


def _kaa_register_entry(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    """``kaa_register_entry = {entered, reason, contacted, contacts = [{on, channel,
    reached}], occupation, occupation_on, closed, close_reason}``: the KAA register entry
    with its follow-up (``reason`` default ``left-school``; ``channel`` default ``phone``;
    ``reached`` default true; ``occupation`` a ``kaa-occupation`` code, with
    ``occupation_on``, default ``on`` when an occupation is given)."""
    keys = (
        "entered",
        "reason",
        "contacted",
        "contacts",
        "occupation",
        "occupation_on",
        "closed",
        "close_reason",
    )
    t = ctx.table(value, keys)
    contacts = []
    for j, raw in enumerate(_strict_list(ctx, t, "contacts", "")):
        cw = f".contacts[{j}]"
        c = ctx.table(raw, ("on", "channel", "reached"), cw)
        contacts.append(
            KaaContact(
                ctx.date(c, "on", cw),
                _strict_member(ctx, c, "channel", cw, KaaContactChannel, "phone"),
                _strict_bool(ctx, c, "reached", cw, True),
            )
        )
    occupation = _strict_text(ctx, t, "occupation", "")
    closed = ctx.date(t, "closed", "", None)
    close_reason = _strict_text(ctx, t, "close_reason", "")
    entry = KaaRegisterEntry(
        ctx.date(t, "entered", ""),
        _strict_member(ctx, t, "reason", "", KaaEntryReason, "left-school"),
        ctx.date(t, "contacted", "", None),
        closed,
        close_reason if close_reason is not None or closed is None else "closed",
        tuple(contacts),
        occupation,
        ctx.date(t, "occupation_on", "", ctx.on if occupation is not None else None),
    )
    return {"kaa_register": Answer.known(entry)}


def _decision_reasons(value: Any, ctx: FactContext) -> Mapping[str, Any]:
    """``decision_reasons = [{agency, decided, effect, reason, reason_text, from, to, fund,
    reference}]``: decisions of CSN, FK, PM or an a-kassa with their reasons (``agency``
    one of ``csn``, ``forsakringskassan``, ``pensionsmyndigheten``, ``a-kassa``; ``effect``
    default ``reduced``; ``reason`` a code of the agency's list, required)."""
    keys = (
        "agency",
        "decided",
        "effect",
        "reason",
        "reason_text",
        "from",
        "to",
        "fund",
        "reference",
    )
    items = []
    for w, t in ctx.tables(value, keys):
        period = ctx.period(t, w) if "from" in t else None
        if period is None and "to" in t:
            raise ctx.fail("a decision period needs its start (from)", f"{w}.to")
        items.append(
            AgencyDecision(
                _strict_member(ctx, t, "agency", w, DecidingAgency, "csn"),
                ctx.date(t, "decided", w),
                _strict_member(ctx, t, "effect", w, DecisionEffect, "reduced"),
                _strict_required_text(ctx, t, "reason", w),
                _strict_text(ctx, t, "reason_text", w),
                period,
                _strict_text(ctx, t, "fund", w),
                _strict_text(ctx, t, "reference", w),
            )
        )
    return {"decision_reasons": ctx.collection(items)}


for _name, _builder in (
    ("af_callbacks", _af_callbacks),
    ("kaa_register_entry", _kaa_register_entry),
    ("decision_reasons", _decision_reasons),
):
    register_fact(_name, _builder)
