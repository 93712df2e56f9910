"""Purpose-bound access: what a role may see for a purpose, and the filter that applies it.

SSBTEK may only be used for social-assistance cases (socialtjänstlagen (2001:453) 4 kap.)
by the unit that decides them; the labour-market unit (SSBTX) needs its own basis and,
the report says, must not see what it does not need (SKR, Processkartläggning del 2 (2022-03-11),
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
* a set from Arbetsförmedlingen is released only with a consent valid on the date for
  the purpose, of a kind the policy's ``[consent.<purpose>]`` table says authorises that
  set (the ``consent`` rule, :func:`ssbx_model.rules.consent.consent_status`, reading
  the consent history: a refusal or withdrawal stands until a later consent); otherwise
  it is withheld with "no valid consent (...)", naming the kinds found and needed;
* fields a grant hides (``hide``: e.g. the a-kassa's name, which can reveal union
  membership) and *sensitive fields* the grant does not release with a legal basis
  (e.g. the reason for withdrawing activity support: Bilaga 4 finds no legal basis) are
  replaced by None and named in the item's ``withheld`` entries with the reason
  (:class:`~ssbx_model.information.WithheldField`), listed in
  :attr:`FilteredCase.hidden` and in the answer's ``reason``;
* with an audit sink, every call, allowed or denied, records exactly one
  :class:`~ssbx_model.ports.AuditEvent` naming the person only by a keyed hash.

The municipality's own interventions (``Case.interventions``) are not an information set
from a provider and pass unfiltered for every granted pair.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import types
import typing
import uuid
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ssbx_model.case import Case
from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import AccessDenied, Problem, RuleError, ValidationError
from ssbx_model.identity import mask_identity_numbers
from ssbx_model.information._base import Answer, AnswerStatus, WithheldField
from ssbx_model.information.consent import ConsentKind
from ssbx_model.information.sets import SETS, InformationSet
from ssbx_model.ports import BACKDATING_TOLERANCE, AuditEvent, AuditSink, Requester, is_backdated
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role

__all__ = [
    "NO_VALID_CONSENT",
    "ConsentRequirement",
    "FilteredCase",
    "Grant",
    "HiddenField",
    "ImpliedBy",
    "Policy",
    "SensitiveField",
    "SensitiveSet",
    "SetGrant",
    "WriteGrant",
    "default_policy",
    "filter_case",
    "load_policy",
    "parse_policy",
]


#: How every "no consent" reason starts.
NO_VALID_CONSENT = "no valid consent"

_DEFAULT_FILE = "default-policy.toml"


# -- the policy ------------------------------------------------------------------------------


@attrs.frozen
class SetGrant:
    """Permission to see one information set, with its citation.

    ``hide`` names fields of the set's items (dotted for nested objects, e.g.
    ``"withdrawal.reason_text"``) that are withheld before release (``hide_reason`` says
    why); ``legal_basis`` is required to release a sensitive set; ``release`` maps a
    sensitive field of the set to the legal basis for releasing it.
    """

    set: InformationSet
    citation: str
    hide: tuple[str, ...] = ()
    hide_reason: str | None = None
    legal_basis: str | None = None
    release: Mapping[str, str] = attrs.field(factory=dict)


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
class SensitiveField:
    """A field withheld from every grant unless the grant releases it with a legal basis."""

    set: InformationSet
    field: str
    reason: str
    citation: str


@attrs.frozen
class ConsentRequirement:
    """Which consent kinds authorise which of AF's sets for one purpose.

    ``required`` False means AF's sets need no consent for the purpose (a deployment with
    another legal basis says so explicitly); ``kinds`` maps each authorising kind to the
    sets it opens, each with its citation.
    """

    purpose: Purpose
    required: bool
    citation: str
    kinds: Mapping[ConsentKind, frozenset[InformationSet]]
    kind_citations: Mapping[ConsentKind, str] = attrs.field(factory=dict)

    def kinds_for(self, which: InformationSet) -> tuple[ConsentKind, ...]:
        """The consent kinds that authorise ``which`` for this purpose, in a stable order."""
        return tuple(k for k in ConsentKind if which in self.kinds.get(k, frozenset()))


@attrs.frozen
class ImpliedBy:
    """Items that imply a withheld set, left out wherever that set is withheld.

    A program decision whose program (code list ``af-program``) or a municipal
    intervention whose type (``intervention-type``) has ``attribute`` = ``"yes"`` reveals
    what the set ``implies`` holds (a lönebidrag decision reveals a disability). For every
    role and purpose the policy does not grant ``implies`` to, such items are left out of
    the released program decisions (when ``program_decisions``) and interventions (when
    ``interventions``, except for a role whose write grant records interventions: they are
    its own records). The note says so on every such release, whether or not anything was
    left out, so that the note itself reveals nothing.
    """

    implies: InformationSet
    reason: str
    citation: str
    attribute: str
    program_decisions: bool
    interventions: bool

    @property
    def note(self) -> str:
        """The constant note on every release the rule applies to."""
        return (
            f"items that imply {self.implies.value} are left out for this role and purpose: "
            f"{self.reason} ({self.citation})"
        )


@attrs.frozen
class WriteGrant:
    """What one role may write for one purpose through the audited ports.

    ``sets`` are the information sets it may save (never more than it may read: no one
    writes what they may not see); ``interventions`` whether it may save the
    municipality's own interventions; ``delete`` whether it may delete a stored case
    (which removes every set of it, including those it may not see).
    """

    role: Role
    purpose: Purpose
    citation: str
    sets: frozenset[InformationSet]
    interventions: bool = False
    delete: bool = False


@attrs.frozen
class Policy:
    """An access policy: grants per (role, purpose) to read and to write, the sensitive
    sets and fields, and which consent kinds authorise AF's sets per purpose.

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
    consent: Mapping[Purpose, ConsentRequirement] = attrs.field(factory=dict)
    sensitive_fields: Mapping[InformationSet, Mapping[str, SensitiveField]] = attrs.field(
        factory=dict
    )
    writes: Mapping[tuple[Role, Purpose], WriteGrant] = attrs.field(factory=dict)
    implied: Mapping[InformationSet, ImpliedBy] = attrs.field(factory=dict)

    def write_grant_for(self, role: Role, purpose: Purpose) -> WriteGrant:
        """What ``role`` may write for ``purpose``.

        Raises:
            AccessDenied: when the policy gives the pair no right to write.
        """
        grant = self.writes.get((Role(role), Purpose(purpose)))
        if grant is None:
            raise AccessDenied(
                f"role {Role(role).value!r} may not write information for purpose "
                f"{Purpose(purpose).value!r}: access policy {self.id!r} version "
                f"{self.version} has no write grant for this pair"
            )
        return grant

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
_SET_KEYS = frozenset({"citation", "hide", "hide_reason", "legal_basis", "release"})
_CONSENT_KEYS = frozenset({"required", "citation", "kinds"})
_WRITE_KEYS = frozenset({"citation", "sets", "interventions", "delete"})
_IMPLIED_KEYS = frozenset({"reason", "citation", "attribute", "program_decisions", "interventions"})
_KIND_KEYS = frozenset({"sets", "citation"})


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


def _attrs_class(tp: Any) -> type | None:
    """The attrs class a field's type names (``X`` or ``X | None``), else None."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = args[0] if len(args) == 1 else None
    return tp if isinstance(tp, type) and attrs.has(tp) else None


def withholdable(which: InformationSet, path: str) -> str | None:
    """None when ``path`` (dotted) names a field of ``which``'s items that the model can
    mark as withheld; otherwise why not."""
    cls: type = SETS[which].item_type
    parts = path.split(".")
    for i, name in enumerate(parts):
        fields = attrs.fields_dict(cls)
        spec = fields.get(name)
        if spec is None:
            return f"{cls.__name__} has no field {name!r}"
        if i < len(parts) - 1:
            inner = _attrs_class(typing.get_type_hints(cls)[name])
            if inner is None:
                return f"{cls.__name__}.{name} is not an object with fields"
            cls = inner
            continue
        if "withheld" not in fields or name == "withheld":
            return f"{cls.__name__} cannot mark {name!r} as withheld (it has no withheld list)"
        if spec.default is not None:
            return f"{cls.__name__}.{name} cannot be None, so it cannot be withheld"
    return None


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
            why = withholdable(which, name)
            if why is not None:
                problems.append(Problem(f"{path}.hide[{i}]", f"cannot be hidden: {why}"))
            hide.append(name)
    hide_reason = _text(raw, "hide_reason", path, problems, required=bool(hide))
    release: dict[str, str] = {}
    release_raw = raw.get("release", {})
    if not isinstance(release_raw, Mapping):
        problems.append(Problem(f"{path}.release", "must be a table of field = legal basis"))
    else:
        for name, basis in release_raw.items():
            if not isinstance(basis, str) or not basis.strip():
                problems.append(
                    Problem(f"{path}.release.{name}", "must name the legal basis (a text)")
                )
                continue
            release[name] = basis
    if citation is None:
        return None
    return SetGrant(which, citation, tuple(hide), hide_reason, legal_basis, release)


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
            which = _set_named(name, where, problems)
            if which is None:
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
    _unknown_keys(
        document,
        frozenset(
            {"policy", "sensitive", "sensitive_fields", "consent", "grant", "write", "implied"}
        ),
        "",
        problems,
    )
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
        which = _set_named(name, where, problems)
        if which is None:
            continue
        if not isinstance(value, Mapping):
            problems.append(Problem(where, "must be a table with reason and citation"))
            continue
        _unknown_keys(value, _SENSITIVE_KEYS, where, problems)
        reason = _text(value, "reason", where, problems, required=True)
        cite = _text(value, "citation", where, problems, required=True)
        if reason is not None and cite is not None:
            sensitive[which] = SensitiveSet(which, reason, cite)

    sensitive_fields = _parse_sensitive_fields(document.get("sensitive_fields", {}), problems)
    consent = _parse_consent(document.get("consent", {}), problems)

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
            _check_grant_fields(grant, sensitive_fields, path, problems)
            _check_grant_consent(grant, consent, path, problems)
            grants[(role, purpose)] = grant
    writes = _parse_writes(document.get("write", {}), grants, problems)
    implied = _parse_implied(document.get("implied", {}), problems)
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
        consent=consent,
        sensitive_fields=sensitive_fields,
        writes=writes,
        implied=implied,
    )


def _parse_implied(raw: object, problems: list[Problem]) -> dict[InformationSet, ImpliedBy]:
    from ssbx_model import codes

    found: dict[InformationSet, ImpliedBy] = {}
    if not isinstance(raw, Mapping):
        problems.append(Problem("implied", "must be a table of information sets"))
        return found
    for name, table in raw.items():
        where = f"implied.{name}"
        which = _set_named(name, where, problems)
        if which is None:
            continue
        if not isinstance(table, Mapping):
            problems.append(Problem(where, "must be a table"))
            continue
        _unknown_keys(table, _IMPLIED_KEYS, where, problems)
        reason = _text(table, "reason", where, problems, required=True)
        cite = _text(table, "citation", where, problems, required=True)
        attribute = _text(table, "attribute", where, problems, required=True)
        flags = {
            key: _flag(table, key, where, problems, default=False)
            for key in ("program_decisions", "interventions")
        }
        if attribute is not None:
            for list_id, key in (
                (codes.AF_PROGRAM, "program_decisions"),
                (codes.INTERVENTION_TYPE, "interventions"),
            ):
                if flags[key] and attribute not in codes.load(list_id).attributes:
                    problems.append(
                        Problem(
                            f"{where}.attribute",
                            f"code list {list_id!r} has no attribute {attribute!r}",
                        )
                    )
        if reason is not None and cite is not None and attribute is not None:
            found[which] = ImpliedBy(
                which, reason, cite, attribute, flags["program_decisions"], flags["interventions"]
            )
    return found


def _parse_writes(
    raw: object, grants: Mapping[tuple[Role, Purpose], Grant], problems: list[Problem]
) -> dict[tuple[Role, Purpose], WriteGrant]:
    found: dict[tuple[Role, Purpose], WriteGrant] = {}
    if not isinstance(raw, Mapping):
        problems.append(Problem("write", "must be a table of roles"))
        return found
    for role_name, per_purpose in raw.items():
        role = _member(Role, role_name, f"write.{role_name}", "a role", problems)
        if role is None:
            continue
        if not isinstance(per_purpose, Mapping):
            problems.append(Problem(f"write.{role_name}", "must be a table of purposes"))
            continue
        for purpose_name, table in per_purpose.items():
            path = f"write.{role_name}.{purpose_name}"
            purpose = _member(Purpose, purpose_name, path, "a purpose", problems)
            if purpose is None:
                continue
            if not isinstance(table, Mapping):
                problems.append(Problem(path, "must be a table with citation and sets"))
                continue
            _unknown_keys(table, _WRITE_KEYS, path, problems)
            citation = _text(table, "citation", path, problems, required=True)
            read = grants.get((role, purpose))
            if read is None:
                problems.append(
                    Problem(path, "a role writes only where it may read: add the grant first")
                )
                continue
            sets: set[InformationSet] = set()
            for at, which in _set_list(table.get("sets", []), f"{path}.sets", problems):
                if not read.permits(which):
                    problems.append(
                        Problem(
                            at,
                            f"{which.value} is not in the read grant: no one writes what they "
                            "may not see",
                        )
                    )
                    continue
                sets.add(which)
            interventions = _flag(table, "interventions", path, problems, default=False)
            delete = _flag(table, "delete", path, problems, default=False)
            if citation is not None:
                found[(role, purpose)] = WriteGrant(
                    role, purpose, citation, frozenset(sets), interventions, delete
                )
    return found


def _parse_sensitive_fields(
    raw: object, problems: list[Problem]
) -> dict[InformationSet, dict[str, SensitiveField]]:
    found: dict[InformationSet, dict[str, SensitiveField]] = {}
    if not isinstance(raw, Mapping):
        problems.append(Problem("sensitive_fields", "must be a table of information sets"))
        return found
    for set_name, per_field in raw.items():
        where = f"sensitive_fields.{set_name}"
        which = _set_named(set_name, where, problems)
        if which is None:
            continue
        if not isinstance(per_field, Mapping):
            problems.append(Problem(where, "must be a table of fields"))
            continue
        for name, value in per_field.items():
            at = f"{where}.{name}"
            why = withholdable(which, name)
            if why is not None:
                problems.append(Problem(at, f"cannot be withheld: {why}"))
                continue
            if not isinstance(value, Mapping):
                problems.append(Problem(at, "must be a table with reason and citation"))
                continue
            _unknown_keys(value, _SENSITIVE_KEYS, at, problems)
            reason = _text(value, "reason", at, problems, required=True)
            cite = _text(value, "citation", at, problems, required=True)
            if reason is not None and cite is not None:
                found.setdefault(which, {})[name] = SensitiveField(which, name, reason, cite)
    return found


def _set_named(name: str, where: str, problems: list[Problem]) -> InformationSet | None:
    """The information set a table key names, or None with a problem at ``where``."""
    try:
        return InformationSet(name)
    except ValueError:
        problems.append(Problem(where, "is not an information set"))
        return None


def _set_list(raw: object, path: str, problems: list[Problem]) -> list[tuple[str, InformationSet]]:
    """The information sets of a list of set names, each with its path (``path[i]``); a
    value that is not a list of texts, or a name that is not a set, is a problem."""
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        problems.append(Problem(path, "must be a list of information sets"))
        return []
    found: list[tuple[str, InformationSet]] = []
    for i, name in enumerate(raw):
        try:
            found.append((f"{path}[{i}]", InformationSet(name)))
        except ValueError:
            problems.append(Problem(f"{path}[{i}]", f"{name!r} is not an information set"))
    return found


def _flag(
    table: Mapping[str, Any], key: str, path: str, problems: list[Problem], *, default: bool
) -> bool:
    """A true/false setting of ``table``; anything else is a problem (and the default)."""
    value = table.get(key, default)
    if not isinstance(value, bool):
        problems.append(Problem(f"{path}.{key}", "must be true or false"))
        return default
    return value


_E = TypeVar("_E", Purpose, ConsentKind, Role)


def _member(enum: type[_E], name: str, where: str, what: str, problems: list[Problem]) -> _E | None:
    """``enum(name)``, or None with a problem naming the members at ``where``."""
    try:
        return enum(name)
    except ValueError:
        known = ", ".join(m.value for m in enum)
        problems.append(Problem(where, f"is not {what} (one of {known})"))
        return None


def _needs_consent(which: InformationSet) -> bool:
    """True for Arbetsförmedlingen's sets, which AF discloses only with consent (the
    consents themselves excepted: the caseworker must see whether there is one)."""
    return SETS[which].from_af and which is not InformationSet.CONSENTS


def _parse_consent(raw: object, problems: list[Problem]) -> dict[Purpose, ConsentRequirement]:
    found: dict[Purpose, ConsentRequirement] = {}
    if not isinstance(raw, Mapping):
        problems.append(Problem("consent", "must be a table of purposes"))
        return found
    for purpose_name, table in raw.items():
        where = f"consent.{purpose_name}"
        purpose = _member(Purpose, purpose_name, where, "a purpose", problems)
        if purpose is None:
            continue
        if not isinstance(table, Mapping):
            problems.append(Problem(where, "must be a table with required, citation, kinds"))
            continue
        _unknown_keys(table, _CONSENT_KEYS, where, problems)
        citation = _text(table, "citation", where, problems, required=True)
        if "required" not in table:
            problems.append(Problem(f"{where}.required", "must be true or false"))
        required = _flag(table, "required", where, problems, default=True)
        kinds: dict[ConsentKind, frozenset[InformationSet]] = {}
        kind_citations: dict[ConsentKind, str] = {}
        raw_kinds = table.get("kinds", {})
        if not isinstance(raw_kinds, Mapping):
            problems.append(Problem(f"{where}.kinds", "must be a table of consent kinds"))
            raw_kinds = {}
        for kind_name, kind_table in raw_kinds.items():
            at = f"{where}.kinds.{kind_name}"
            kind = _member(ConsentKind, kind_name, at, "a consent kind", problems)
            if kind is None:
                continue
            if not isinstance(kind_table, Mapping):
                problems.append(Problem(at, "must be a table with sets and citation"))
                continue
            _unknown_keys(kind_table, _KIND_KEYS, at, problems)
            kind_cite = _text(kind_table, "citation", at, problems, required=True)
            sets: set[InformationSet] = set()
            for item, which in _set_list(kind_table.get("sets"), f"{at}.sets", problems):
                if not _needs_consent(which):
                    problems.append(
                        Problem(
                            item,
                            f"{which.value} is not one of Arbetsförmedlingen's sets that need "
                            "consent",
                        )
                    )
                    continue
                sets.add(which)
            kinds[kind] = frozenset(sets)
            if kind_cite is not None:
                kind_citations[kind] = kind_cite
        if citation is not None:
            found[purpose] = ConsentRequirement(purpose, required, citation, kinds, kind_citations)
    return found


def _check_grant_fields(
    grant: Grant,
    sensitive_fields: Mapping[InformationSet, Mapping[str, SensitiveField]],
    path: str,
    problems: list[Problem],
) -> None:
    for which, set_grant in grant.sets.items():
        known = sensitive_fields.get(which, {})
        for name in set_grant.release:
            if name not in known:
                problems.append(
                    Problem(
                        f"{path}.sets.{which.value}.release.{name}",
                        f"is not a sensitive field of {which.value} (see [sensitive_fields])",
                    )
                )


def _check_grant_consent(
    grant: Grant,
    consent: Mapping[Purpose, ConsentRequirement],
    path: str,
    problems: list[Problem],
) -> None:
    requirement = consent.get(grant.purpose)
    for which in grant.sets:
        if not _needs_consent(which):
            continue
        if requirement is None:
            problems.append(
                Problem(
                    f"{path}.sets.{which.value}",
                    f"is one of Arbetsförmedlingen's sets: a [consent.{grant.purpose.value}] "
                    "table must say which consent kinds authorise it (or required = false)",
                )
            )
        elif requirement.required and not requirement.kinds_for(which):
            problems.append(
                Problem(
                    f"{path}.sets.{which.value}",
                    f"no consent kind authorises {which.value} for purpose "
                    f"{grant.purpose.value}: add it to a "
                    f"[consent.{grant.purpose.value}.kinds.<kind>] table or drop it from the grant",
                )
            )


_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = re.compile(rf"\s*({_KEY}(?:\s*\.\s*{_KEY})*)")
_PART = re.compile(_KEY)


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part[1:-1] if part[:1] in "\"'" else part for part in _PART.findall(dotted))


def _toml_lines(text: str) -> dict[str, int]:
    """The first line defining each table or key of a TOML text, by its dotted path.

    tomllib gives no positions; this reads header lines (``[a.b]``, ``[[a.b]]``) and key
    lines (``key = ...``, dotted keys included) well enough to point at a problem.
    """
    lines: dict[str, int] = {}
    table: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            inner = line.lstrip("[")
            match = _DOTTED.match(inner)
            if match is not None:
                table = _key_parts(match.group(1))
                lines.setdefault(".".join(table), number)
            continue
        match = _DOTTED.match(line)
        if match is not None and line[match.end() :].lstrip().startswith("="):
            lines.setdefault(".".join((*table, *_key_parts(match.group(1)))), number)
    return lines


def _line_of(lines: Mapping[str, int], path: str) -> int | None:
    """The line of the longest defined prefix of ``path``."""
    best: tuple[int, int] | None = None
    for key, number in lines.items():
        matches = path == key or path.startswith((f"{key}.", f"{key}["))
        if matches and (best is None or len(key) > best[0]):
            best = (len(key), number)
    return None if best is None else best[1]


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
        lines = _toml_lines(text)
        raise ValidationError(
            Problem(p.path, f"{p.message} (in {source})", p.line or _line_of(lines, p.path))
            for p in exc.problems
        ) from None


@cache
def default_policy() -> Policy:
    """The access policy shipped with the library (``ssbx_model/policy/default-policy.toml``)."""
    resource = resources.files("ssbx_model").joinpath("policy", _DEFAULT_FILE)
    return _load_text(resource.read_text(encoding="utf-8"), f"ssbx_model/policy/{_DEFAULT_FILE}")


# -- filtering -------------------------------------------------------------------------------


@attrs.frozen
class HiddenField:
    """A field of a released set that the policy withheld (None in the item and named in its
    ``withheld`` list), and why; ``field`` is dotted for nested objects
    (``"withdrawal.reason"``)."""

    set: InformationSet
    field: str
    reason: str


@attrs.frozen
class FilteredCase:
    """The result of :func:`filter_case`: the filtered case and what was done to it.

    ``released`` lists the sets released with an answer; ``withheld`` pairs every
    withheld set with its reason (the same reason is in the case's answer); ``hidden``
    lists fields replaced by None in released sets. ``event`` is the audit event recorded
    (None without an audit sink). ``excluded`` holds the notes of the policy's
    :class:`ImpliedBy` rules applied to this release (the same for every case of the
    role and purpose, whether or not an item was left out).
    """

    case: Case
    role: Role
    purpose: Purpose
    on: dt.date
    released: tuple[InformationSet, ...]
    withheld: tuple[tuple[InformationSet, str], ...]
    hidden: tuple[HiddenField, ...] = ()
    event: AuditEvent | None = None
    excluded: tuple[str, ...] = ()

    def reason(self, which: InformationSet) -> str | None:
        """Why ``which`` was withheld, or None when it was not."""
        for name, why in self.withheld:
            if name is which:
                return why
        return None


def _consent_reason(
    case: Case, on: dt.date, purpose: Purpose, kinds: tuple[ConsentKind, ...]
) -> str | None:
    """None when a consent of one of ``kinds`` is valid; otherwise the withheld reason."""
    from ssbx_model.rules.consent import consent_status
    from ssbx_model.rules.engine import Outcome, ReasonKind

    try:
        decision = consent_status(case, on, purpose, kinds=kinds)
    except RuleError as exc:
        # Fail closed: without a decision there is no valid consent to rely on.
        return f"{NO_VALID_CONSENT} (the consent rule cannot decide on {on.isoformat()}: {exc})"
    if decision.outcome is Outcome.ELIGIBLE:
        return None
    for reason in decision.reasons:
        if reason.kind in (ReasonKind.FAILS, ReasonKind.UNKNOWN):
            return f"{NO_VALID_CONSENT} ({reason.code}: {reason.message_en})"
    return f"{NO_VALID_CONSENT} (consent rule outcome {decision.outcome.value})"


def _consent_for(
    policy: Policy,
    purpose: Purpose,
    which: InformationSet,
    case: Case,
    on: dt.date,
    decided: dict[tuple[ConsentKind, ...], str | None],
) -> str | None:
    """None when the policy's consent requirement for ``which`` is met on ``on``."""
    requirement = policy.consent.get(purpose)
    if requirement is None:
        return (
            f"{NO_VALID_CONSENT} (access policy {policy.id!r} names no consent kind for purpose "
            f"{purpose.value})"
        )
    if not requirement.required:
        return None
    kinds = requirement.kinds_for(which)
    if not kinds:
        return (
            f"{NO_VALID_CONSENT} (access policy {policy.id!r}: no consent kind authorises "
            f"{which.value} for purpose {purpose.value})"
        )
    if kinds not in decided:
        decided[kinds] = _consent_reason(case, on, purpose, kinds)
    return decided[kinds]


def _withhold_path(item: Any, parts: tuple[str, ...], reason: str) -> tuple[Any, bool]:
    """``item`` with the field at ``parts`` withheld: None, and named in the ``withheld``
    list of the object that holds it. A field without a value is left as it is."""
    name = parts[0]
    value = getattr(item, name)
    if value is None:
        return item, False
    if len(parts) > 1:
        inner, changed = _withhold_path(value, parts[1:], reason)
        return (attrs.evolve(item, **{name: inner}), True) if changed else (item, False)
    entries = tuple(e for e in item.withheld if e.field != name)
    return attrs.evolve(
        item, **{name: None, "withheld": (*entries, WithheldField(name, reason))}
    ), True


def _hide(answer: Answer[Any], fields: Mapping[str, str]) -> tuple[Answer[Any], tuple[str, ...]]:
    """``answer`` with ``fields`` (path: reason) withheld in every item; the paths that
    held a value somewhere."""
    if not answer.is_known or not fields:
        return answer, ()
    value: Any = answer.value
    items = value if isinstance(value, tuple) else (value,)
    touched: set[str] = set()
    out = []
    for item in items:
        for path, reason in fields.items():
            item, changed = _withhold_path(item, tuple(path.split(".")), reason)
            if changed:
                touched.add(path)
        out.append(item)
    if not touched:
        return answer, ()
    withheld = tuple(p for p in fields if p in touched)
    note = f"fields withheld by the access policy: {', '.join(withheld)}"
    hidden = tuple(out) if isinstance(value, tuple) else out[0]
    return Answer(AnswerStatus.KNOWN, hidden, note, answer.provenance), withheld


def _withheld_fields(policy: Policy, set_grant: SetGrant) -> dict[str, str]:
    """The fields of a released set to withhold, each with its reason."""
    fields: dict[str, str] = {}
    for name, sensitive in policy.sensitive_fields.get(set_grant.set, {}).items():
        if name not in set_grant.release:
            fields[name] = f"{sensitive.reason} ({sensitive.citation})"
    reason = set_grant.hide_reason or "hidden by the access policy"
    for name in set_grant.hide:
        fields.setdefault(name, reason)
    return fields


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
    excluded: tuple[str, ...] = ()
    #: Released sets an ImpliedBy rule applied to (items may have been left out).
    partial: frozenset[InformationSet] = frozenset()


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
    decided: dict[tuple[ConsentKind, ...], str | None] = {}
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
        elif _needs_consent(which):
            why = _consent_for(policy, purpose, which, case, on, decided)
        else:
            why = None
        if why is not None:
            withheld.append((which, why))
            if status is not AnswerStatus.WITHHELD or answer.reason != why:
                changes[which.value] = Answer.withheld(why)
            continue
        assert set_grant is not None
        released.append(which)
        fields = _withheld_fields(policy, set_grant)
        if fields and answer.is_known:
            changed, withheld_paths = _hide(answer, fields)
            if withheld_paths:
                changes[which.value] = changed
                hidden.extend(HiddenField(which, name, fields[name]) for name in withheld_paths)
    excluded, partial = _leave_out_implied(case, role, purpose, policy, grant, released, changes)
    filtered = attrs.evolve(case, **changes) if changes else case
    return _Outcome(filtered, tuple(released), tuple(withheld), tuple(hidden), excluded, partial)


@cache
def _implying(list_id: str, attribute: str) -> frozenset[str]:
    """The codes of a shipped list that have ``attribute`` = ``"yes"`` (read once)."""
    from ssbx_model import codes

    return codes.load(list_id).with_attribute(attribute, "yes")


def _leave_out_implied(
    case: Case,
    role: Role,
    purpose: Purpose,
    policy: Policy,
    grant: Grant,
    released: list[InformationSet],
    changes: dict[str, Any],
) -> tuple[tuple[str, ...], frozenset[InformationSet]]:
    """Apply the policy's ImpliedBy rules: leave out items that imply a set this pair may
    not see. Returns the notes and the released sets the rules applied to."""
    from ssbx_model import codes

    notes: list[str] = []
    partial: set[InformationSet] = set()
    writes = policy.writes.get((role, purpose))
    for implies, rule in policy.implied.items():
        if implies in grant.sets:
            continue
        note = rule.note
        applied = False
        which = InformationSet.PROGRAM_DECISIONS
        if rule.program_decisions and which in released:
            applied = True
            partial.add(which)
            answer: Answer[Any] = changes.get(which.value, case.program_decisions)
            hidden = _implying(codes.AF_PROGRAM, rule.attribute)
            items = (
                tuple(d for d in answer.items() if d.program not in hidden)
                if (answer.is_decided)
                else ()
            )
            if answer.is_known and items:
                changes[which.value] = Answer(AnswerStatus.KNOWN, items, note, answer.provenance)
            elif answer.is_known:
                changes[which.value] = Answer(AnswerStatus.ABSENT, None, note, answer.provenance)
            else:
                changes[which.value] = Answer(answer.status, None, note, answer.provenance)
        if rule.interventions and not (writes is not None and writes.interventions):
            applied = True
            hidden = _implying(codes.INTERVENTION_TYPE, rule.attribute)
            kept = tuple(i for i in case.interventions if i.intervention_type not in hidden)
            if kept != case.interventions:
                changes["interventions"] = kept
        if applied:
            notes.append(note)
    return tuple(notes), frozenset(partial)


def _event_withheld(outcome: _Outcome) -> tuple[tuple[InformationSet, str], ...]:
    """Withheld sets plus, for partly released sets, which fields were hidden and why and
    which rules left items out."""
    partial = [(h.set, f"field {h.field!r} hidden: {h.reason}") for h in outcome.hidden]
    implied = [
        (which, "items left out by the policy's implied rule") for which in sorted(outcome.partial)
    ]
    return (*outcome.withheld, *partial, *implied)


def _make_event(
    *,
    action: str,
    requester: Requester,
    purpose: Purpose,
    person_key: str,
    clock: Clock,
    on: dt.date | None,
    released: tuple[InformationSet, ...] = (),
    withheld: tuple[tuple[InformationSet, str], ...] = (),
    port: str | None = None,
    outcome: str = "ok",
    backdating_tolerance: dt.timedelta = BACKDATING_TOLERANCE,
) -> AuditEvent:
    at = clock()
    return AuditEvent(
        event_id=uuid.uuid4().hex,
        at=at,
        action=action,
        user=requester.user,
        role=requester.role,
        purpose=Purpose(purpose),
        person_key=person_key,
        released=released,
        withheld=withheld,
        port=port,
        outcome=outcome,
        on=on,
        backdated=is_backdated(at, on, tolerance=backdating_tolerance),
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
            outcome.case,
            role,
            purpose,
            on,
            outcome.released,
            outcome.withheld,
            outcome.hidden,
            excluded=outcome.excluded,
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
                on=on,
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
        on=on,
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
        outcome.excluded,
    )
