"""Rule parameters as dated data with citations (in the manner of OpenFisca's parameters).

Every number a rule uses (age bands, the prisbasbelopp of each year, the consent validity,
deadlines in working days, ...) is a **parameter**: a name such as ``skat15.age.min`` with
a list of dated values. Each value applies from its ``from`` date until the next value's
``from`` date and carries the ``reference`` it comes from (a seed section or a statute).

The values ship as TOML files in this package (``*.toml``, every file is read). A table
that has a ``values`` array is a parameter, and its dotted path is its name::

    [skat15.age.min]
    description_en = "Lowest age of the Dua category-15 group"
    description_sv = "Lägsta ålder i målgruppen för sökandekategori 15"
    unit = "years"

    [[skat15.age.min.values]]
    from = 2015-06-01
    value = 16
    reference = "Dua, Frågor och svar om kommuninsatser 16-24 år ('ungdomar mellan 16-24 år')"

Look a value up with :func:`value` (``value("prisbasbelopp", date(2024, 5, 1))`` is
57 300). Rules do not read the files: the engine hands each rule a
:class:`ParameterView` of the values in force on the reference date, with the caller's
what-if overrides applied (``evaluate(case, "uvas", on=d, parameters={"prisbasbelopp":
50000})``). A vendor adds parameters of its own rules with :func:`register_file`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import tomllib
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn, TypeAlias

import attrs

from ssbx_model.errors import Problem, RuleError, ValidationError

__all__ = [
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "ParameterView",
    "Scalar",
    "default",
    "get",
    "names",
    "register_file",
    "value",
]

#: The types a parameter value may have.
Scalar: TypeAlias = int | float | bool | str

_VALUE_KEYS = frozenset({"from", "value", "reference", "note"})
_PARAM_KEYS = frozenset({"values", "description_en", "description_sv", "unit", "note"})


@attrs.frozen(slots=True)
class ParameterValue:
    """One dated value of a parameter: in force from ``start`` (inclusive), with its source."""

    start: dt.date
    value: Scalar
    reference: str
    note: str | None = None


@attrs.frozen(slots=True)
class Parameter:
    """A named parameter with its dated values (oldest first) and descriptions.

    ``note`` documents a doubtful or contested reading (e.g. the UVAS age band, where the
    seed speaks of 16-25 and MUCF's current definition of 16-29).
    """

    name: str
    description_en: str
    description_sv: str
    unit: str
    values: tuple[ParameterValue, ...]
    source: str
    note: str | None = None
    _starts: tuple[dt.date, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(v.start for v in self.values))

    def at(self, on: dt.date) -> ParameterValue | None:
        """The value in force on ``on``, or None before the first value's start."""
        i = bisect.bisect_right(self._starts, on)
        return self.values[i - 1] if i else None

    def value_on(self, on: dt.date) -> Scalar:
        """The value in force on ``on``.

        Raises:
            RuleError: if ``on`` is before the parameter's first value.
        """
        found = self.at(on)
        if found is None:
            raise RuleError(
                f"parameter {self.name!r} has no value on {on.isoformat()} "
                f"(its first value applies from {self.values[0].start.isoformat()})"
            )
        return found.value


def _scalar_kind(value: object) -> str:
    # bool before int: True is an int in Python but never a valid count here.
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    return type(value).__name__


def _walk(
    table: Mapping[str, Any], prefix: str, source: str, problems: list[Problem]
) -> Iterator[Parameter]:
    for key, item in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if not isinstance(item, dict):
            problems.append(Problem(name, "is not a table of a parameter or of parameter groups"))
            continue
        if "values" not in item:
            yield from _walk(item, name, source, problems)
            continue
        parameter = _parse_parameter(name, item, source, problems)
        if parameter is not None:
            yield parameter


def _text(table: Mapping[str, Any], key: str, path: str, problems: list[Problem]) -> str:
    text = table.get(key)
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(f"{path}.{key}", "is required and must be a non-empty string"))
        return ""
    return text


def _parse_parameter(
    name: str, table: Mapping[str, Any], source: str, problems: list[Problem]
) -> Parameter | None:
    before = len(problems)
    unknown = sorted(set(table) - _PARAM_KEYS)
    for key in unknown:
        problems.append(Problem(f"{name}.{key}", "is not a parameter field"))
    raw_values = table["values"]
    if not isinstance(raw_values, list) or not raw_values:
        problems.append(Problem(f"{name}.values", "must be a non-empty array of tables"))
        return None
    values: list[ParameterValue] = []
    kinds: set[str] = set()
    for i, raw in enumerate(raw_values):
        path = f"{name}.values[{i}]"
        if not isinstance(raw, dict):
            problems.append(Problem(path, "must be a table"))
            continue
        for key in sorted(set(raw) - _VALUE_KEYS):
            problems.append(Problem(f"{path}.{key}", "is not a field of a dated value"))
        start = raw.get("from")
        if isinstance(start, dt.datetime) or not isinstance(start, dt.date):
            problems.append(Problem(f"{path}.from", "is required and must be a date"))
            continue
        if "value" not in raw:
            problems.append(Problem(f"{path}.value", "is required"))
            continue
        scalar = raw["value"]
        kind = _scalar_kind(scalar)
        if kind not in ("bool", "number", "str"):
            problems.append(
                Problem(f"{path}.value", f"must be a number, a bool or a string, not {kind}")
            )
            continue
        kinds.add(kind)
        reference = _text(raw, "reference", path, problems)
        note = raw.get("note")
        if note is not None and (not isinstance(note, str) or not note.strip()):
            problems.append(Problem(f"{path}.note", "must be a non-empty string"))
            note = None
        values.append(ParameterValue(start, scalar, reference, note))
    if len(kinds) > 1:
        problems.append(Problem(f"{name}.values", f"mixes value types: {sorted(kinds)}"))
    for i in range(1, len(values)):
        if values[i].start <= values[i - 1].start:
            problems.append(
                Problem(f"{name}.values[{i}].from", "values must be in increasing date order")
            )
    description_en = _text(table, "description_en", name, problems)
    description_sv = _text(table, "description_sv", name, problems)
    unit = _text(table, "unit", name, problems)
    note = table.get("note")
    if note is not None and not isinstance(note, str):
        problems.append(Problem(f"{name}.note", "must be a string"))
        note = None
    if len(problems) > before:
        return None
    return Parameter(name, description_en, description_sv, unit, tuple(values), source, note)


def parse(document: Mapping[str, Any], *, source: str = "<parameters>") -> tuple[Parameter, ...]:
    """Parse a TOML document (already decoded) into parameters.

    Raises:
        ValidationError: listing every problem with its path, prefixed by ``source``.
    """
    problems: list[Problem] = []
    found = tuple(_walk(document, "", source, problems))
    if problems:
        raise ValidationError(p.prefixed(source) for p in problems)
    return found


def _read(path: Path | resources.abc.Traversable, source: str) -> tuple[Parameter, ...]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(Problem(source, f"is not valid TOML: {exc}")) from None
    return parse(document, source=source)


class ParameterSet:
    """Every known parameter by name: the shipped files plus any registered ones.

    Lookups are cached per (name, date): rules evaluated over a million cases do not
    re-read or re-search anything.
    """

    def __init__(self, parameters: tuple[Parameter, ...] = ()) -> None:
        self._by_name: dict[str, Parameter] = {}
        self._cache: dict[tuple[str, dt.date], Scalar] = {}
        for parameter in parameters:
            self.add(parameter)

    def add(self, parameter: Parameter) -> None:
        """Add one parameter.

        Raises:
            RuleError: if a parameter of that name exists already.
        """
        existing = self._by_name.get(parameter.name)
        if existing is not None:
            raise RuleError(
                f"parameter {parameter.name!r} is defined twice "
                f"({existing.source} and {parameter.source})"
            )
        self._by_name[parameter.name] = parameter
        self._cache.clear()

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Parameter]:
        return iter(sorted(self._by_name.values(), key=lambda p: p.name))

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> Parameter:
        """The parameter called ``name``.

        Raises:
            RuleError: if there is no such parameter (the message lists near names).
        """
        try:
            return self._by_name[name]
        except KeyError:
            prefix = name.split(".")[0]
            near = sorted(n for n in self._by_name if n.split(".")[0] == prefix)
            hint = f"; parameters starting with {prefix!r}: {', '.join(near)}" if near else ""
            raise RuleError(f"unknown parameter {name!r}{hint}") from None

    def value(self, name: str, on: dt.date) -> Scalar:
        """The value of ``name`` in force on ``on`` (cached per name and date)."""
        key = (name, on)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            cached = self._cache[key] = self.get(name).value_on(on)
        return cached

    def view(
        self,
        names: tuple[str, ...],
        on: dt.date,
        overrides: Mapping[str, Scalar] | None = None,
    ) -> ParameterView:
        """The values of ``names`` in force on ``on``, with ``overrides`` applied.

        Raises:
            RuleError: if an override names an unknown parameter or has the wrong type.
        """
        values = {name: self.value(name, on) for name in names}
        if overrides:
            self.check_overrides(overrides)
            for name, override in overrides.items():
                if name in values:
                    values[name] = override
        return ParameterView(values, on)

    def check_overrides(self, overrides: Mapping[str, Scalar]) -> None:
        """Check that every override names a known parameter and has its value type.

        Raises:
            RuleError: naming the first bad override.
        """
        for name, override in overrides.items():
            parameter = self.get(name)
            expected = _scalar_kind(parameter.values[0].value)
            got = _scalar_kind(override)
            if got != expected:
                raise RuleError(
                    f"override of parameter {name!r} must be a {expected}, "
                    f"not {type(override).__name__}"
                )


def _read_only(self: object, *args: object, **kwargs: object) -> NoReturn:
    """Not supported: a ParameterView is read-only (raises TypeError); override parameter
    values through :func:`~ssbx_model.rules.evaluate` instead."""
    raise TypeError("a ParameterView is read-only: override parameters through evaluate()")


class ParameterView(dict[str, Scalar]):
    """The values a rule sees on one reference date (read-only), overrides applied.

    A dict underneath, so that the rules' lookups cost no more than a dict's; every
    method that would change it raises TypeError. Looking up a parameter the rule did not
    declare raises :class:`~ssbx_model.errors.RuleError`. :attr:`on` is the reference
    date the values are in force on (None for a view built from plain values).
    """

    __slots__ = ("_on",)

    def __init__(
        self, values: Mapping[str, Scalar] = MappingProxyType({}), on: dt.date | None = None
    ):
        dict.__init__(self, values)
        self._on = on

    @property
    def on(self) -> dt.date | None:
        """The reference date the values are in force on."""
        return self._on

    def __missing__(self, name: str) -> Scalar:
        raise RuleError(f"parameter {name!r} is not declared by the rule being evaluated")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def int(self, name: str) -> int:
        """The value of ``name`` as an int (for counts, ages, amounts)."""
        return int(self[name])

    def as_dict(self) -> Mapping[str, Scalar]:
        """A read-only mapping of the values."""
        return MappingProxyType(self)

    def __repr__(self) -> str:
        return f"ParameterView({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[object, ...]:
        return (ParameterView, (dict(self), self._on))


_DEFAULT: ParameterSet | None = None


def default() -> ParameterSet:
    """The library's parameters: every ``*.toml`` shipped in this package (read once)."""
    global _DEFAULT
    if _DEFAULT is None:
        found: list[Parameter] = []
        folder = resources.files(__name__)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                found.extend(_read(entry, f"ssbx_model/rules/parameters/{entry.name}"))
        _DEFAULT = ParameterSet(tuple(found))
    return _DEFAULT


def register_file(path: str | os.PathLike[str]) -> tuple[Parameter, ...]:
    """Add the parameters of a vendor's own TOML file (same format) to the defaults.

    Raises:
        ValidationError: if the file is malformed.
        RuleError: if it redefines an existing parameter.
    """
    p = Path(path)
    found = _read(p, p.name)
    target = default()
    for parameter in found:
        target.add(parameter)
    return found


def get(name: str) -> Parameter:
    """The shipped or registered parameter called ``name``."""
    return default().get(name)


def value(name: str, on: dt.date) -> Scalar:
    """The value of the parameter ``name`` in force on ``on``."""
    return default().value(name, on)


def names() -> tuple[str, ...]:
    """Every known parameter name, sorted."""
    return tuple(p.name for p in default())
