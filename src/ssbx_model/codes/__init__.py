"""Code lists as dated, cited data files, and their typed loader.

Every code list the model uses (applicant categories, AF programs, withdrawal reasons of
activity support, ...) is a TOML file shipped in this package, not a hard-coded enum.
A file names its list (``[list]``: id, version, titles, owner, citation, optional note
and attribute declarations) and its entries (``[[entry]]``: code, Swedish and English
label, ``valid_from``, optional ``valid_to``, citation, and the list's typed attributes).
``valid_to`` is the **last day** an entry is valid (inclusive); without it the entry is
open-ended.

Shipped lists are read with `load` (cached: membership tests such as
``code in load(AF_PROGRAM)`` are a frozenset lookup). A vendor replaces a list, e.g. the
INUK activity categories whose official version is not public, with its own file through
`load_file` and passes the resulting `CodeList` wherever a list is taken.

A malformed file raises one `ValidationError` that lists every
problem with its path (``entry[3].valid_from``) and names the file.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from ssbx_model.errors import Problem, SsbxError, UnknownCodeError, ValidationError

__all__ = [
    "ACTIVITY_SUPPORT_TYPE",
    "ACTIVITY_SUPPORT_WITHDRAWAL_REASON",
    "AF_CALLBACK_TOPIC",
    "AF_PROGRAM",
    "APPLICANT_CATEGORY",
    "CONSULTATION_TOPIC",
    "CSN_DECISION_REASON",
    "DEREGISTRATION_REASON",
    "DISABILITY_CODE",
    "EMPLOYER_CHECK_GROUND",
    "FK_DECISION_REASON",
    "INTERVENTION_RESULT",
    "INTERVENTION_TYPE",
    "INUK_CATEGORY",
    "KAA_OCCUPATION",
    "PLANNING_MEETING_TYPE",
    "PM_DECISION_REASON",
    "SPECIAL_INTERVENTION",
    "UNEMPLOYMENT_FUND_DECISION_REASON",
    "AttributeSpec",
    "CodeEntry",
    "CodeList",
    "CodeNotValidError",
    "UnknownAttributeError",
    "UnknownCodeListError",
    "available",
    "load",
    "load_file",
    "parse",
]

APPLICANT_CATEGORY = "applicant-category"
"""Sökandekategori: AF's applicant categories (category 15 = kommuninsats)."""
AF_PROGRAM = "af-program"
"""AF labour-market programs, subsidised employment and joint efforts (attribute ``kind``)."""
DEREGISTRATION_REASON = "deregistration-reason"
"""Utskrivningsorsak: why a person was deregistered at AF (an open list)."""
ACTIVITY_SUPPORT_WITHDRAWAL_REASON = "activity-support-withdrawal-reason"
"""Anledning till indraget aktivitetsstöd: the six reasons of the report's table 3."""
ACTIVITY_SUPPORT_TYPE = "activity-support-type"
"""Aktivitetsstöd, utvecklingsersättning, etableringsersättning."""
SPECIAL_INTERVENTION = "special-intervention"
"""Särskilda insatser för personer med funktionsnedsättning, förordning (2017:462) 1 §."""
PLANNING_MEETING_TYPE = "planning-meeting-type"
"""Types of planeringssamtal (planning meeting) at AF."""
EMPLOYER_CHECK_GROUND = "employer-check-ground"
"""Grounds on which an employer check (arbetsgivarkontroll) fails."""
DISABILITY_CODE = "disability-code"
"""Funktionshinderkod: our codes for AF's disability codes (map a vendor's to these)."""
INTERVENTION_TYPE = "intervention-type"
"""The municipality's own intervention types (attributes ``summer_job``, ``af_decided``)."""
INTERVENTION_RESULT = "intervention-result"
"""What a municipal intervention led to when it ended (work, studies, ...), sent to INUK."""
INUK_CATEGORY = "inuk-category"
"""INUK activity categories: ours, replaceable by the vendor's file."""
CONSULTATION_TOPIC = "consultation-topic"
"""What a consultation (samråd) between AF and the municipality was about."""
CSN_DECISION_REASON = "csn-decision-reason"
"""Anledning till beslut: why CSN decided as it did (an open list)."""
FK_DECISION_REASON = "fk-decision-reason"
"""Anledning till beslut: why Försäkringskassan decided as it did (an open list)."""
PM_DECISION_REASON = "pm-decision-reason"
"""Anledning till beslut: why Pensionsmyndigheten decided as it did (an open list)."""
UNEMPLOYMENT_FUND_DECISION_REASON = "unemployment-fund-decision-reason"
"""Anledning till beslut: why an unemployment fund (a-kassa) decided as it did (open)."""
KAA_OCCUPATION = "kaa-occupation"
"""Sysselsättning: a KAA youth's occupation (attribute ``reconcile_flag``; not verified)."""
AF_CALLBACK_TOPIC = "af-callback-topic"
"""What the municipality asked AF's myndighetsingång about (callback requests)."""

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LIST_REQUIRED = ("id", "version", "title_sv", "title_en", "owner", "citation")
_LIST_OPTIONAL = ("note", "attributes")
_ENTRY_FIELDS = frozenset(
    {"code", "label_sv", "label_en", "valid_from", "valid_to", "citation"},
)
_SPEC_KEYS = frozenset({"values", "required", "description"})


class UnknownCodeListError(SsbxError, LookupError):
    """No code list with the given id ships with the library."""


class UnknownAttributeError(SsbxError, LookupError):
    """An attribute or attribute value that the code list does not declare."""


class CodeNotValidError(UnknownCodeError):
    """The code is in the list but no entry of it is valid on the date asked about."""

    def __init__(
        self,
        code_list: str,
        version: str,
        code: str,
        on: date,
        entries: Iterable[CodeEntry],
    ) -> None:
        super().__init__(code_list, version, code)
        self.on = on
        spans = ", ".join(_span(e) for e in entries)
        message = (
            f"code {code!r} in code list {code_list!r} version {version} is not valid on "
            f"{on.isoformat()} (valid {spans})"
        )
        self.args = (message,)

    def __str__(self) -> str:
        return str(self.args[0])


def _span(entry: CodeEntry) -> str:
    end = entry.valid_to.isoformat() if entry.valid_to is not None else "open-ended"
    return f"{entry.valid_from.isoformat()} to {end}"


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    # Sorted so that two entries with the same attributes compare and print alike.
    return MappingProxyType(dict(sorted(value.items())))


def _attributes_hash(value: Mapping[str, str]) -> int:
    return hash(tuple(value.items()))


@attrs.frozen
class CodeEntry:
    """One code of a code list with its labels, validity and citation.

    ``valid_to`` is the last day the entry is valid (inclusive); ``None`` means it is
    still valid. ``attributes`` holds the list's typed extra keys (e.g. ``kind`` of an
    AF program) as an immutable mapping of strings.
    """

    code: str
    label_sv: str
    label_en: str
    valid_from: date
    valid_to: date | None
    citation: str
    attributes: Mapping[str, str] = attrs.field(
        factory=dict,
        converter=_frozen_mapping,
        eq=attrs.cmp_using(eq=lambda a, b: dict(a) == dict(b)),
        hash=False,
    )

    def __hash__(self) -> int:
        return hash(
            (
                self.code,
                self.label_sv,
                self.label_en,
                self.valid_from,
                self.valid_to,
                self.citation,
                _attributes_hash(self.attributes),
            ),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # MappingProxyType does not pickle: rebuild from plain values.
        return (
            CodeEntry,
            (
                self.code,
                self.label_sv,
                self.label_en,
                self.valid_from,
                self.valid_to,
                self.citation,
                dict(self.attributes),
            ),
        )

    def is_valid_on(self, d: date) -> bool:
        """Whether the entry is valid on ``d`` (``valid_from <= d <= valid_to``)."""
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)


@attrs.frozen
class AttributeSpec:
    """The declaration of one typed attribute of a code list's entries.

    ``values`` is the closed set of allowed values, or ``None`` when any string is
    allowed; ``required`` says whether every entry must carry the attribute.
    """

    name: str
    values: frozenset[str] | None = None
    required: bool = False
    description: str = ""


def _overlaps(a: CodeEntry, b: CodeEntry) -> bool:
    a_end = a.valid_to or date.max
    b_end = b.valid_to or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def _consistency_problems(
    entries: tuple[CodeEntry, ...],
    specs: Mapping[str, AttributeSpec],
) -> list[Problem]:
    """Problems across entries: overlapping duplicates and undeclared attributes."""
    problems: list[Problem] = []
    seen: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        for j in seen.get(entry.code, []):
            if _overlaps(entries[j], entry):
                problems.append(
                    Problem(
                        f"entry[{i}].code",
                        f"code {entry.code!r} is also in entry[{j}] with an overlapping "
                        f"validity ({_span(entries[j])} and {_span(entry)})",
                    ),
                )
        seen.setdefault(entry.code, []).append(i)
        if entry.valid_to is not None and entry.valid_to < entry.valid_from:
            problems.append(
                Problem(
                    f"entry[{i}].valid_to",
                    f"valid_to {entry.valid_to.isoformat()} is before valid_from "
                    f"{entry.valid_from.isoformat()}",
                ),
            )
        if not specs:
            continue
        for key, value in entry.attributes.items():
            spec = specs.get(key)
            if spec is None:
                problems.append(
                    Problem(
                        f"entry[{i}].{key}",
                        f"attribute {key!r} is not declared in [list.attributes] "
                        f"(declared: {', '.join(sorted(specs))})",
                    ),
                )
            elif spec.values is not None and value not in spec.values:
                problems.append(
                    Problem(
                        f"entry[{i}].{key}",
                        f"{value!r} is not an allowed value of {key!r} "
                        f"(allowed: {', '.join(sorted(spec.values))})",
                    ),
                )
        for spec in specs.values():
            if spec.required and spec.name not in entry.attributes:
                problems.append(
                    Problem(f"entry[{i}].{spec.name}", f"attribute {spec.name!r} is required"),
                )
    return problems


def _freeze_specs(value: Mapping[str, AttributeSpec]) -> Mapping[str, AttributeSpec]:
    return MappingProxyType(dict(value))


@attrs.frozen
class CodeList:
    """A versioned code list: its metadata, citation and dated entries.

    Construction checks that no code appears twice with overlapping validity and that
    every attribute is declared (when the list declares any); a failure raises
    `ValidationError`.

    ``codes`` is the frozenset of every code in the list, whatever its validity: use it
    (or ``code in code_list``) for fast membership tests, and `get` with ``on=`` when
    the date matters.
    """

    id: str
    version: str
    title_sv: str
    title_en: str
    owner: str
    citation: str
    note: str | None
    entries: tuple[CodeEntry, ...]
    attributes: Mapping[str, AttributeSpec] = attrs.field(
        factory=dict,
        converter=_freeze_specs,
        eq=attrs.cmp_using(eq=lambda a, b: dict(a) == dict(b)),
        hash=False,
        repr=False,
    )
    codes: frozenset[str] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _by_code: Mapping[str, tuple[CodeEntry, ...]] = attrs.field(
        init=False,
        eq=False,
        hash=False,
        repr=False,
    )
    _by_attribute: Mapping[tuple[str, str], frozenset[str]] = attrs.field(
        init=False,
        eq=False,
        hash=False,
        repr=False,
    )

    def __attrs_post_init__(self) -> None:
        problems = _consistency_problems(self.entries, self.attributes)
        if problems:
            raise ValidationError(problems)
        by_code: dict[str, list[CodeEntry]] = {}
        by_attribute: dict[tuple[str, str], set[str]] = {}
        for entry in self.entries:
            by_code.setdefault(entry.code, []).append(entry)
            for item in entry.attributes.items():
                by_attribute.setdefault(item, set()).add(entry.code)
        object.__setattr__(self, "codes", frozenset(by_code))
        object.__setattr__(
            self,
            "_by_code",
            MappingProxyType(
                {
                    code: tuple(sorted(group, key=lambda e: e.valid_from))
                    for code, group in by_code.items()
                },
            ),
        )
        object.__setattr__(
            self,
            "_by_attribute",
            MappingProxyType({k: frozenset(v) for k, v in by_attribute.items()}),
        )

    def __hash__(self) -> int:
        return hash((self.id, self.version, self.entries))

    def __reduce__(self) -> tuple[Any, ...]:
        # The derived indexes are rebuilt on unpickling; MappingProxyType does not pickle.
        return (
            CodeList,
            (
                self.id,
                self.version,
                self.title_sv,
                self.title_en,
                self.owner,
                self.citation,
                self.note,
                self.entries,
                dict(self.attributes),
            ),
        )

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` is in the list (on any date)."""
        return code in self.codes

    def __iter__(self) -> Iterator[CodeEntry]:
        """Iterate over the entries in file order."""
        return iter(self.entries)

    def __len__(self) -> int:
        """The number of entries (a code valid in two periods counts twice)."""
        return len(self.entries)

    def get(self, code: str, *, on: date | None = None) -> CodeEntry:
        """Return the entry of ``code``; with ``on``, the one valid on that date.

        Without ``on``, a code with several dated entries returns the latest one.
        Raises `UnknownCodeError` when the code is not in the
        list, and `CodeNotValidError` (a subclass) when it is but no entry of it
        is valid on ``on``. Both messages name the list id and version.
        """
        group = self._by_code.get(code)
        if group is None:
            raise UnknownCodeError(self.id, self.version, code)
        if on is None:
            return group[-1]
        for entry in group:
            if entry.is_valid_on(on):
                return entry
        raise CodeNotValidError(self.id, self.version, code, on, group)

    def valid_on(self, d: date) -> tuple[CodeEntry, ...]:
        """The entries valid on ``d``, in file order."""
        return tuple(e for e in self.entries if e.is_valid_on(d))

    def with_attribute(self, key: str, value: str) -> frozenset[str]:
        """The codes whose entries have attribute ``key`` equal to ``value``.

        E.g. ``load(AF_PROGRAM).with_attribute("kind", "subsidised-employment")``.
        When the list declares its attributes, an undeclared key or a value outside the
        declared set raises `UnknownAttributeError` instead of silently matching
        nothing (a typo would otherwise hide every code).
        """
        if self.attributes:
            spec = self.attributes.get(key)
            if spec is None:
                raise UnknownAttributeError(
                    f"code list {self.id!r} version {self.version} has no attribute {key!r} "
                    f"(declared: {', '.join(sorted(self.attributes))})",
                )
            if spec.values is not None and value not in spec.values:
                raise UnknownAttributeError(
                    f"{value!r} is not an allowed value of attribute {key!r} in code list "
                    f"{self.id!r} version {self.version} "
                    f"(allowed: {', '.join(sorted(spec.values))})",
                )
        return self._by_attribute.get((key, value), frozenset())


# ---------------------------------------------------------------------------------------
# Parsing


def _is_date(value: object) -> bool:
    # tomllib gives datetime for "2020-01-01T00:00:00"; a datetime is also a date.
    return isinstance(value, date) and not isinstance(value, datetime)


class _Collector:
    """Collects problems while reading one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, f"{message} (in {self.source})"))

    def text(self, table: Mapping[str, Any], key: str, path: str, *, required: bool) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.add(f"{path}.{key}", f"must be a string, got {type(value).__name__} {value!r}")
            return ""
        if required and not value.strip():
            self.add(f"{path}.{key}", "must not be empty")
        return value

    def day(self, table: Mapping[str, Any], key: str, path: str, *, required: bool) -> date | None:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", "is required")
            return None
        if not _is_date(value):
            self.add(
                f"{path}.{key}",
                f"must be a TOML date such as 2024-01-01, got {type(value).__name__} {value!r}",
            )
            return None
        assert isinstance(value, date)
        return value


def _parse_specs(raw: object, c: _Collector) -> dict[str, AttributeSpec]:
    specs: dict[str, AttributeSpec] = {}
    if raw is None:
        return specs
    if not isinstance(raw, dict):
        c.add("list.attributes", "must be a table of attribute declarations")
        return specs
    for name, decl in raw.items():
        path = f"list.attributes.{name}"
        if name in _ENTRY_FIELDS:
            c.add(path, f"{name!r} is a standard entry field, not an attribute")
            continue
        if not isinstance(decl, dict):
            c.add(path, "must be a table with 'values', 'required' and 'description'")
            continue
        for key in sorted(set(decl) - _SPEC_KEYS):
            c.add(f"{path}.{key}", f"unknown key (allowed: {', '.join(sorted(_SPEC_KEYS))})")
        values = decl.get("values")
        allowed: frozenset[str] | None = None
        if values is not None:
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                c.add(f"{path}.values", "must be a list of strings")
            else:
                allowed = frozenset(values)
        required = decl.get("required", False)
        if not isinstance(required, bool):
            c.add(f"{path}.required", "must be true or false")
            required = False
        description = c.text(decl, "description", path, required=False)
        specs[name] = AttributeSpec(name, allowed, required, description)
    return specs


def _parse_entry(raw: object, index: int, c: _Collector) -> CodeEntry | None:
    path = f"entry[{index}]"
    if not isinstance(raw, dict):
        c.add(path, "must be a table")
        return None
    before = len(c.problems)
    code = c.text(raw, "code", path, required=True)
    label_sv = c.text(raw, "label_sv", path, required=True)
    label_en = c.text(raw, "label_en", path, required=True)
    citation = c.text(raw, "citation", path, required=True)
    valid_from = c.day(raw, "valid_from", path, required=True)
    valid_to = c.day(raw, "valid_to", path, required=False)
    attributes: dict[str, str] = {}
    for key, value in raw.items():
        if key in _ENTRY_FIELDS:
            continue
        if not isinstance(value, str):
            c.add(
                f"{path}.{key}",
                f"attribute values must be strings, got {type(value).__name__} {value!r}",
            )
            continue
        attributes[key] = value
    if len(c.problems) > before or valid_from is None:
        return None
    return CodeEntry(code, label_sv, label_en, valid_from, valid_to, citation, attributes)


def parse(document: Mapping[str, Any], *, source: str = "<code list>") -> CodeList:
    """Build a `CodeList` from a parsed TOML document (a mapping).

    ``source`` names the document in error messages. Raises
    `ValidationError` listing every problem with its path.
    """
    c = _Collector(source)
    for key in sorted(set(document) - {"list", "entry"}):
        c.add(key, "unknown top-level key (expected [list] and [[entry]])")
    meta = document.get("list")
    if not isinstance(meta, dict):
        c.add("list", "the [list] table is required")
        meta = {}
    for key in sorted(set(meta) - set(_LIST_REQUIRED) - set(_LIST_OPTIONAL)):
        c.add(f"list.{key}", "unknown key")
    fields = {k: c.text(meta, k, "list", required=True) for k in _LIST_REQUIRED}
    if fields["id"] and not _ID_RE.match(fields["id"]):
        c.add("list.id", f"must be kebab-case (a-z, 0-9 and '-'), got {fields['id']!r}")
    note = c.text(meta, "note", "list", required=False) or None
    specs = _parse_specs(meta.get("attributes"), c)
    raw_entries = document.get("entry")
    entries: list[CodeEntry] = []
    if not isinstance(raw_entries, list) or not raw_entries:
        c.add("entry", "at least one [[entry]] is required")
    else:
        for i, raw in enumerate(raw_entries):
            entry = _parse_entry(raw, i, c)
            if entry is not None:
                entries.append(entry)
    if c.problems:
        raise ValidationError(c.problems)
    try:
        return CodeList(
            id=fields["id"],
            version=fields["version"],
            title_sv=fields["title_sv"],
            title_en=fields["title_en"],
            owner=fields["owner"],
            citation=fields["citation"],
            note=note,
            entries=tuple(entries),
            attributes=specs,
        )
    except ValidationError as error:
        raise ValidationError(
            Problem(p.path, f"{p.message} (in {source})", p.line) for p in error.problems
        ) from None


def _parse_text(text: str, source: str) -> CodeList:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError(Problem("", f"not valid TOML: {error} (in {source})")) from None
    return parse(document, source=source)


def load_file(path: str | os.PathLike[str], *, expect_id: str | None = None) -> CodeList:
    """Read a code list from a TOML file, e.g. a vendor's own INUK category list.

    With ``expect_id``, the file must declare that list id (so a vendor file meant to
    replace ``inuk-category`` cannot silently be another list). Raises
    `ValidationError` naming the file for a malformed file;
    an unreadable file raises the usual `OSError`.
    """
    file = Path(path)
    code_list = _parse_text(file.read_text(encoding="utf-8"), str(file))
    if expect_id is not None and code_list.id != expect_id:
        raise ValidationError(
            Problem("list.id", f"expected list {expect_id!r}, got {code_list.id!r} (in {file})"),
        )
    return code_list


def _shipped() -> dict[str, resources.abc.Traversable]:
    package = resources.files(__name__)
    return {
        item.name.removesuffix(".toml"): item
        for item in package.iterdir()
        if item.is_file() and item.name.endswith(".toml")
    }


@functools.cache
def available() -> tuple[str, ...]:
    """The ids of the code lists that ship with the library, sorted."""
    return tuple(sorted(_shipped()))


@functools.cache
def load(list_id: str) -> CodeList:
    """Return the shipped code list ``list_id`` (cached after the first call).

    Raises `UnknownCodeListError` for an id that does not ship; see
    `available`. To use a vendor's own list instead, see `load_file`.
    """
    item = _shipped().get(list_id)
    if item is None:
        raise UnknownCodeListError(
            f"no code list {list_id!r} ships with ssbx_model "
            f"(available: {', '.join(available())}); a vendor's own list is read with "
            f"load_file()",
        )
    code_list = _parse_text(item.read_text(encoding="utf-8"), f"ssbx_model/codes/{item.name}")
    if code_list.id != list_id:
        raise ValidationError(
            Problem(
                "list.id",
                f"file {item.name} declares list {code_list.id!r}, expected {list_id!r}",
            ),
        )
    return code_list
