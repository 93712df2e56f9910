"""Purpose-bound access: what a role may see for a purpose, and the filter that applies it.

SSBTEK may only be used for social-assistance cases (socialtjänstlagen (2001:453) 4 kap.)
by the unit that decides them; the labour-market unit (SSBTX) needs its own basis and,
the report says, must not see what it does not need (seeds/ssbtx-report-part2.sv.txt,
"Tillgång till en delmängd av SSBTEK"). So every read names a **purpose**
(:class:`~ssbx_model.purpose.Purpose`) and a **role** (:class:`~ssbx_model.purpose.Role`),
and an access :class:`Policy`, a TOML data file, says per (role, purpose) which
information sets, and which fields of them, may be seen, each grant with its citation.

:func:`filter_case` is the one function that applies a policy to a
:class:`~ssbx_model.case.Case` on a date:

* a (role, purpose) pair the policy does not grant raises
  :class:`~ssbx_model.errors.AccessDenied`;
* a set the grant does not list becomes ``Answer.withheld(reason)`` ("not permitted for
  role ... and purpose ... (citation)"), never silently missing;
* a *sensitive* set (disability codes, SIUS) is withheld unless the grant names its legal
  basis: the report's legal review found none for disability codes today;
* a set from Arbetsförmedlingen is released only with an AF-disclosure consent valid on
  the date for the purpose (the ``consent`` rule, :func:`ssbx_model.rules.consent.
  consent_status`); otherwise it is withheld with "no valid consent (...)";
* fields a grant hides (e.g. the a-kassa's name, which can reveal union membership) are
  replaced by None and listed in :attr:`FilteredCase.hidden` and in the answer's
  ``reason``;
* with an audit sink, every call, allowed or denied, records exactly one
  :class:`~ssbx_model.ports.AuditEvent` naming the person only by a keyed hash.

The municipality's own interventions (``Case.interventions``) are not an information set
from a provider and pass unfiltered for every granted pair.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import uuid
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ssbx_model.case import Case
from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import AccessDenied, Problem, RuleError, ValidationError
from ssbx_model.identity import Personnummer, Samordningsnummer, mask_identity_numbers
from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.sets import SETS, InformationSet
from ssbx_model.ports import AuditEvent, AuditSink, Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role

__all__ = [
    "NO_VALID_CONSENT",
    "FilteredCase",
    "Grant",
    "HiddenField",
    "Policy",
    "SensitiveSet",
    "SetGrant",
    "default_policy",
    "filter_case",
    "load_policy",
    "parse_policy",
]

PersonId = Personnummer | Samordningsnummer

#: How every "no consent" reason starts.
NO_VALID_CONSENT = "no valid consent"

_DEFAULT_FILE = "default-policy.toml"


# -- the policy ------------------------------------------------------------------------------


@attrs.frozen
class SetGrant:
    """Permission to see one information set, with its citation.

    ``hide`` names fields of the set's items that are replaced by None before release
    (``hide_reason`` says why); ``legal_basis`` is required to release a sensitive set.
    """

    set: InformationSet
    citation: str
    hide: tuple[str, ...] = ()
    hide_reason: str | None = None
    legal_basis: str | None = None


@attrs.frozen
class Grant:
    """What one role may see for one purpose: the sets, and why the pair is allowed."""

    role: Role
    purpose: Purpose
    citation: str
    sets: Mapping[InformationSet, SetGrant]

    def permits(self, which: InformationSet) -> bool:
        """True when the grant lists ``which`` (sensitive sets also need a legal basis)."""
        return which in self.sets


@attrs.frozen
class SensitiveSet:
    """A set withheld unless a grant names its legal basis, with the reason and citation."""

    set: InformationSet
    reason: str
    citation: str


@attrs.frozen
class Policy:
    """An access policy: grants per (role, purpose) and the sensitive sets.

    Build one with :func:`load_policy` or :func:`parse_policy`; :func:`default_policy` is
    the one shipped with the library.
    """

    id: str
    version: str
    title: str
    citation: str
    grants: Mapping[tuple[Role, Purpose], Grant]
    sensitive: Mapping[InformationSet, SensitiveSet]
    source: str = "<policy>"

    def grant_for(self, role: Role, purpose: Purpose) -> Grant:
        """The grant of ``role`` for ``purpose``.

        Raises:
            AccessDenied: when the policy has no grant for the pair.
        """
        grant = self.grants.get((Role(role), Purpose(purpose)))
        if grant is None:
            raise AccessDenied(
                f"role {Role(role).value!r} may not read information for purpose "
                f"{Purpose(purpose).value!r}: access policy {self.id!r} version "
                f"{self.version} has no grant for this pair"
            )
        return grant

    def allows(self, role: Role, purpose: Purpose) -> bool:
        """True when the policy grants anything to ``role`` for ``purpose``."""
        return (Role(role), Purpose(purpose)) in self.grants

    def permitted_sets(self, role: Role, purpose: Purpose) -> frozenset[InformationSet]:
        """The sets ``role`` may see for ``purpose`` before consent is checked.

        Raises:
            AccessDenied: when the policy has no grant for the pair.
        """
        return frozenset(self.grant_for(role, purpose).sets)


_POLICY_KEYS = frozenset({"id", "version", "title", "citation"})
_SENSITIVE_KEYS = frozenset({"reason", "citation"})
_GRANT_KEYS = frozenset({"citation", "sets"})
_SET_KEYS = frozenset({"citation", "hide", "hide_reason", "legal_basis"})


def _text(
    table: Mapping[str, Any], key: str, path: str, problems: list[Problem], *, required: bool
) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(Problem(f"{path}.{key}", "is required"))
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(f"{path}.{key}", "must be a non-empty string"))
        return None
    return value


def _unknown_keys(
    table: Mapping[str, Any], allowed: frozenset[str], path: str, problems: list[Problem]
) -> None:
    for key in sorted(set(table) - allowed):
        problems.append(
            Problem(
                f"{path}.{key}" if path else key,
                f"unknown key (expected one of {', '.join(sorted(allowed))})",
            )
        )


def _hideable(which: InformationSet, name: str) -> bool:
    fields = attrs.fields_dict(SETS[which].item_type)
    return name in fields and fields[name].default is None


def _parse_set(
    which: InformationSet, raw: object, path: str, problems: list[Problem]
) -> SetGrant | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(path, "must be a table with at least a citation"))
        return None
    _unknown_keys(raw, _SET_KEYS, path, problems)
    citation = _text(raw, "citation", path, problems, required=True)
    legal_basis = _text(raw, "legal_basis", path, problems, required=False)
    hide_raw = raw.get("hide", [])
    hide: list[str] = []
    if not isinstance(hide_raw, list) or not all(isinstance(h, str) for h in hide_raw):
        problems.append(Problem(f"{path}.hide", "must be a list of field names"))
    else:
        for i, name in enumerate(hide_raw):
            if not _hideable(which, name):
                item = SETS[which].item_type.__name__
                problems.append(
                    Problem(
                        f"{path}.hide[{i}]",
                        f"{item} has no field {name!r} that may be None, so it cannot be hidden",
                    )
                )
            hide.append(name)
    hide_reason = _text(raw, "hide_reason", path, problems, required=bool(hide))
    if citation is None:
        return None
    return SetGrant(which, citation, tuple(hide), hide_reason, legal_basis)


def _parse_grant(
    role: Role, purpose: Purpose, raw: object, path: str, problems: list[Problem]
) -> Grant | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(path, "must be a table"))
        return None
    _unknown_keys(raw, _GRANT_KEYS, path, problems)
    citation = _text(raw, "citation", path, problems, required=True)
    sets_raw = raw.get("sets", {})
    sets: dict[InformationSet, SetGrant] = {}
    if not isinstance(sets_raw, Mapping):
        problems.append(Problem(f"{path}.sets", "must be a table of information sets"))
    else:
        for name, value in sets_raw.items():
            where = f"{path}.sets.{name}"
            try:
                which = InformationSet(name)
            except ValueError:
                problems.append(Problem(where, "is not an information set"))
                continue
            parsed = _parse_set(which, value, where, problems)
            if parsed is not None:
                sets[which] = parsed
    if citation is None:
        return None
    return Grant(role, purpose, citation, sets)


def parse_policy(document: Mapping[str, Any], *, source: str = "<policy>") -> Policy:
    """Build a :class:`Policy` from a parsed TOML document (see the default file).

    Raises:
        ValidationError: listing every problem with its path (e.g.
            ``grant.arbetskonsulent.labour-market.sets.unemployment_fund.hide[0]``),
            including a sensitive set granted without a ``legal_basis``.
    """
    problems: list[Problem] = []
    _unknown_keys(document, frozenset({"policy", "sensitive", "grant"}), "", problems)
    head = document.get("policy")
    if not isinstance(head, Mapping):
        problems.append(Problem("policy", "a [policy] table with id, version, title is required"))
        head = {}
    _unknown_keys(head, _POLICY_KEYS, "policy", problems)
    texts = {key: _text(head, key, "policy", problems, required=True) for key in _POLICY_KEYS}

    sensitive: dict[InformationSet, SensitiveSet] = {}
    raw_sensitive = document.get("sensitive", {})
    if not isinstance(raw_sensitive, Mapping):
        problems.append(Problem("sensitive", "must be a table of information sets"))
        raw_sensitive = {}
    for name, value in raw_sensitive.items():
        where = f"sensitive.{name}"
        try:
            which = InformationSet(name)
        except ValueError:
            problems.append(Problem(where, "is not an information set"))
            continue
        if not isinstance(value, Mapping):
            problems.append(Problem(where, "must be a table with reason and citation"))
            continue
        _unknown_keys(value, _SENSITIVE_KEYS, where, problems)
        reason = _text(value, "reason", where, problems, required=True)
        cite = _text(value, "citation", where, problems, required=True)
        if reason is not None and cite is not None:
            sensitive[which] = SensitiveSet(which, reason, cite)

    grants: dict[tuple[Role, Purpose], Grant] = {}
    raw_grants = document.get("grant", {})
    if not isinstance(raw_grants, Mapping):
        problems.append(Problem("grant", "must be a table of roles"))
        raw_grants = {}
    for role_name, per_purpose in raw_grants.items():
        try:
            role = Role(role_name)
        except ValueError:
            known = ", ".join(r.value for r in Role)
            problems.append(Problem(f"grant.{role_name}", f"is not a role (one of {known})"))
            continue
        if not isinstance(per_purpose, Mapping):
            problems.append(Problem(f"grant.{role_name}", "must be a table of purposes"))
            continue
        for purpose_name, raw in per_purpose.items():
            path = f"grant.{role_name}.{purpose_name}"
            try:
                purpose = Purpose(purpose_name)
            except ValueError:
                known = ", ".join(p.value for p in Purpose)
                problems.append(Problem(path, f"is not a purpose (one of {known})"))
                continue
            grant = _parse_grant(role, purpose, raw, path, problems)
            if grant is None:
                continue
            for which, set_grant in grant.sets.items():
                if which in sensitive and set_grant.legal_basis is None:
                    problems.append(
                        Problem(
                            f"{path}.sets.{which.value}.legal_basis",
                            f"{which.value} is sensitive ({sensitive[which].reason}): "
                            "a grant must name its legal basis",
                        )
                    )
            grants[(role, purpose)] = grant
    if problems:
        raise ValidationError(problems)
    return Policy(
        id=str(texts["id"]),
        version=str(texts["version"]),
        title=str(texts["title"]),
        citation=str(texts["citation"]),
        grants=grants,
        sensitive=sensitive,
        source=source,
    )


def load_policy(path: str | Path | None = None) -> Policy:
    """Read an access policy from a TOML file (None: the policy shipped with the library).

    Raises:
        ValidationError: when the file is not valid TOML or breaks a rule of the format
            (every problem with its path).
    """
    if path is None:
        return default_policy()
    file = Path(path)
    return _load_text(file.read_text(encoding="utf-8"), str(file))


def _load_text(text: str, source: str) -> Policy:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(Problem("", f"{source} is not valid TOML: {exc}")) from None
    try:
        return parse_policy(document, source=source)
    except ValidationError as exc:
        raise ValidationError(
            Problem(p.path, f"{p.message} (in {source})", p.line) for p in exc.problems
        ) from None


@cache
def default_policy() -> Policy:
    """The access policy shipped with the library (``ssbx_model/policy/default-policy.toml``)."""
    resource = resources.files("ssbx_model").joinpath("policy", _DEFAULT_FILE)
    return _load_text(resource.read_text(encoding="utf-8"), f"ssbx_model/policy/{_DEFAULT_FILE}")


# -- filtering -------------------------------------------------------------------------------


@attrs.frozen
class HiddenField:
    """A field of a released set that the policy replaced by None, and why."""

    set: InformationSet
    field: str
    reason: str


@attrs.frozen
class FilteredCase:
    """The result of :func:`filter_case`: the filtered case and what was done to it.

    ``released`` lists the sets released with an answer; ``withheld`` pairs every
    withheld set with its reason (the same reason is in the case's answer); ``hidden``
    lists fields replaced by None in released sets. ``event`` is the audit event recorded
    (None without an audit sink).
    """

    case: Case
    role: Role
    purpose: Purpose
    on: dt.date
    released: tuple[InformationSet, ...]
    withheld: tuple[tuple[InformationSet, str], ...]
    hidden: tuple[HiddenField, ...] = ()
    event: AuditEvent | None = None

    def reason(self, which: InformationSet) -> str | None:
        """Why ``which`` was withheld, or None when it was not."""
        for name, why in self.withheld:
            if name is which:
                return why
        return None


def _consent_reason(case: Case, on: dt.date, purpose: Purpose) -> str | None:
    """None when a valid AF-disclosure consent exists; otherwise the withheld reason."""
    from ssbx_model.rules.consent import consent_status
    from ssbx_model.rules.engine import Outcome, ReasonKind

    try:
        decision = consent_status(case, on, purpose)
    except RuleError as exc:
        # Fail closed: without a decision there is no valid consent to rely on.
        return f"{NO_VALID_CONSENT} (the consent rule cannot decide on {on.isoformat()}: {exc})"
    if decision.outcome is Outcome.ELIGIBLE:
        return None
    for reason in decision.reasons:
        if reason.kind in (ReasonKind.FAILS, ReasonKind.UNKNOWN):
            return f"{NO_VALID_CONSENT} ({reason.code}: {reason.message_en})"
    return f"{NO_VALID_CONSENT} (consent rule outcome {decision.outcome.value})"


def _hide(answer: Answer[Any], names: tuple[str, ...], reason: str) -> Answer[Any]:
    if not answer.is_known or not names:
        return answer
    blank = dict.fromkeys(names)
    value: Any = answer.value
    hidden = (
        tuple(attrs.evolve(item, **blank) for item in value)
        if isinstance(value, tuple)
        else attrs.evolve(value, **blank)
    )
    note = f"fields hidden by the access policy: {', '.join(names)} ({reason})"
    return Answer(AnswerStatus.KNOWN, hidden, note, answer.provenance)


def _not_permitted(
    role: Role, purpose: Purpose, grant: Grant, policy: Policy, which: InformationSet
) -> str:
    base = f"not permitted for role {role.value} and purpose {purpose.value}"
    sensitive = policy.sensitive.get(which)
    if sensitive is not None:
        return f"{base}: {sensitive.reason} ({sensitive.citation})"
    return f"{base} ({grant.citation})"


@attrs.frozen
class _Outcome:
    case: Case
    released: tuple[InformationSet, ...]
    withheld: tuple[tuple[InformationSet, str], ...]
    hidden: tuple[HiddenField, ...]


def _apply(
    case: Case,
    role: Role,
    purpose: Purpose,
    on: dt.date,
    policy: Policy,
    *,
    asked: frozenset[InformationSet] = frozenset(),
) -> _Outcome:
    """Filter ``case``; sets in ``asked`` that the case leaves not requested are withheld
    too when the policy does not permit them (a caller asked and must hear why not)."""
    grant = policy.grant_for(role, purpose)
    changes: dict[str, Any] = {}
    released: list[InformationSet] = []
    withheld: list[tuple[InformationSet, str]] = []
    hidden: list[HiddenField] = []
    consent: str | None = None
    consent_checked = False
    for which, answer in case.answers():
        status = answer.status
        if status is AnswerStatus.NOT_REQUESTED and which not in asked:
            continue
        set_grant = grant.sets.get(which)
        why: str | None
        if set_grant is None:
            why = _not_permitted(role, purpose, grant, policy, which)
        elif status is AnswerStatus.WITHHELD:
            # Masked again: an answer that did not pass through Answer's constructor
            # (unpickled, say) must not carry a clear number into the result or the trail.
            why = mask_identity_numbers(answer.reason or "withheld upstream")
        elif status is AnswerStatus.NOT_REQUESTED:
            continue
        elif SETS[which].from_af and which is not InformationSet.CONSENTS:
            if not consent_checked:
                consent, consent_checked = _consent_reason(case, on, purpose), True
            why = consent
        else:
            why = None
        if why is not None:
            withheld.append((which, why))
            if status is not AnswerStatus.WITHHELD or answer.reason != why:
                changes[which.value] = Answer.withheld(why)
            continue
        assert set_grant is not None
        released.append(which)
        if set_grant.hide and answer.is_known:
            reason = set_grant.hide_reason or "hidden by the access policy"
            changes[which.value] = _hide(answer, set_grant.hide, reason)
            hidden.extend(HiddenField(which, name, reason) for name in set_grant.hide)
    filtered = attrs.evolve(case, **changes) if changes else case
    return _Outcome(filtered, tuple(released), tuple(withheld), tuple(hidden))


def _event_withheld(outcome: _Outcome) -> tuple[tuple[InformationSet, str], ...]:
    """Withheld sets plus, for partly released sets, which fields were hidden and why."""
    partial = [(h.set, f"field {h.field!r} hidden: {h.reason}") for h in outcome.hidden]
    return (*outcome.withheld, *partial)


def _make_event(
    *,
    action: str,
    requester: Requester,
    purpose: Purpose,
    person_key: str,
    clock: Clock,
    released: tuple[InformationSet, ...] = (),
    withheld: tuple[tuple[InformationSet, str], ...] = (),
    port: str | None = None,
    outcome: str = "ok",
) -> AuditEvent:
    return AuditEvent(
        event_id=uuid.uuid4().hex,
        at=clock(),
        action=action,
        user=requester.user,
        role=requester.role,
        purpose=Purpose(purpose),
        person_key=person_key,
        released=released,
        withheld=withheld,
        port=port,
        outcome=outcome,
    )


def _require_audit_context(
    requester: Requester | None, pseudonymizer: Pseudonymizer | None
) -> tuple[Requester, Pseudonymizer]:
    problems = []
    if requester is None:
        problems.append(Problem("requester", "auditing needs the requester (who reads)"))
    if pseudonymizer is None:
        problems.append(
            Problem("pseudonymizer", "auditing needs a Pseudonymizer for the person key")
        )
    if problems:
        raise ValidationError(problems)
    assert requester is not None
    assert pseudonymizer is not None
    return requester, pseudonymizer


def filter_case(
    case: Case,
    *,
    role: Role,
    purpose: Purpose,
    on: dt.date,
    policy: Policy | None = None,
    audit: AuditSink | None = None,
    requester: Requester | None = None,
    pseudonymizer: Pseudonymizer | None = None,
    clock: Clock = utc_now,
) -> FilteredCase:
    """Apply the access policy to ``case`` for ``role`` and ``purpose`` on ``on``.

    ``policy`` defaults to :func:`default_policy`. With ``audit``, exactly one
    :class:`~ssbx_model.ports.AuditEvent` (action ``"filter"``) is recorded per call,
    stamped by ``clock``, naming the person by ``pseudonymizer.key_for(person)``;
    ``requester`` (whose role must be ``role``) says who read. A denied call records an
    event with outcome ``"denied"`` before raising.

    Raises:
        AccessDenied: when the policy has no grant for (``role``, ``purpose``), or the
            requester's role is not ``role``.
        ValidationError: when ``audit`` is given without ``requester`` or
            ``pseudonymizer``.
    """
    role, purpose = Role(role), Purpose(purpose)
    policy = policy if policy is not None else default_policy()
    if requester is not None and requester.role is not role:
        raise AccessDenied(
            f"the requester's role {requester.role.value!r} is not the role {role.value!r} "
            "the case is filtered for"
        )
    if audit is None:
        outcome = _apply(case, role, purpose, on, policy)
        return FilteredCase(
            outcome.case, role, purpose, on, outcome.released, outcome.withheld, outcome.hidden
        )
    who, keys = _require_audit_context(requester, pseudonymizer)
    person_key = keys.key_for(case.person)
    try:
        outcome = _apply(case, role, purpose, on, policy)
    except AccessDenied:
        audit.record(
            _make_event(
                action="filter",
                requester=who,
                purpose=purpose,
                person_key=person_key,
                clock=clock,
                outcome="denied",
            )
        )
        raise
    event = _make_event(
        action="filter",
        requester=who,
        purpose=purpose,
        person_key=person_key,
        clock=clock,
        released=outcome.released,
        withheld=_event_withheld(outcome),
    )
    audit.record(event)
    return FilteredCase(
        outcome.case,
        role,
        purpose,
        on,
        outcome.released,
        outcome.withheld,
        outcome.hidden,
        event,
    )
