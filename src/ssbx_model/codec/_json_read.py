"""Parsed JSON values to model objects: the generated reader and its explaining pass.

The **reader** is Python source generated from the plan when the module is imported (and
registered with :mod:`linecache`, so tracebacks show its lines): one function per object
type that reads each field once, checks its JSON type exactly and builds the model object
with the model's public constructor, so every invariant the model checks runs as for
any other caller. It decides what is accepted. It stops at the first thing it does not
expect and says nothing about what; the **explaining pass** then walks the same plan over
the same value, checks everything again, and collects every problem with its path.

The two must agree exactly: the explaining pass runs only on a value the reader refused,
and when it finds no problem there the readers disagree, which is a bug raised as
:class:`ReadersDisagree`, never a silent second chance. A differential property test
(``tests/test_codec_differential.py``) checks the agreement over valid and mutated
documents.

Values are what a JSON parser gives: ``dict``, ``list``, ``str``, ``int``, ``float``,
``bool``, ``None``, each exactly (a subclass is refused by both passes alike, except the
marked objects of the explaining parse below).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from typing import Any, Final

from ssbx_model._codegen import compile_generated
from ssbx_model.codec import _scalars
from ssbx_model.codec._build import (
    CACHE_LIMIT,
    INVALID,
    ReadersDisagree,
    construct_fields,
    join,
    safe_name,
    shared_leaf,
)
from ssbx_model.codec._plan import CASE, ListOf, Node, Obj, Scalar, lists, objects
from ssbx_model.codec._scalars import NotJson
from ssbx_model.errors import Problem
from ssbx_model.information._base import raise_problems

__all__ = [
    "DupDict",
    "keys_read",
    "parse_json_text",
    "read_case_detailed",
    "read_case_fast",
    "strict_pairs",
    "structurer",
]


class Fail(Exception):
    """The generated reader met something it does not expect."""


# -- the generated reader ----------------------------------------------------------------

_dates: dict[str, dt.date] = {}
_orgnrs: dict[str, Any] = {}


def _date(text: object) -> dt.date:
    if text.__class__ is not str:
        raise Fail
    value = _scalars.parse_date(text)
    if len(_dates) >= CACHE_LIMIT:
        _dates.clear()
    _dates[text] = value
    return value


def _orgnr(text: object) -> Any:
    if text.__class__ is not str:
        raise Fail
    value = _scalars.parse_orgnr(text)
    if not value.is_sole_trader:  # a sole trader's number is personal data: not kept
        if len(_orgnrs) >= CACHE_LIMIT:
            _orgnrs.clear()
        _orgnrs[text] = value
    return value


def _str_checked(text: object) -> str:
    if text.__class__ is not str or (not text.isprintable() and _scalars.bad_xml_char(text)):
        raise Fail
    return text


def _json_scalar(kind: str) -> Callable[[object], Any]:
    """The conversion of a scalar kind the generator has no shortcut for: its JSON form
    as :func:`~ssbx_model.codec._scalars.parse_json_scalar` defines it (a new scalar kind
    needs nothing here)."""
    parse = _scalars.parse_json_scalar

    def convert(value: object) -> Any:
        return parse(kind, None, value)

    return convert


def _int(value: object) -> int:
    if value.__class__ is not int or not _scalars.INT_MIN <= value <= _scalars.INT_MAX:
        raise Fail
    return value


def _bool(value: object) -> bool:
    if value.__class__ is not bool:
        raise Fail
    return value


def _extent(value: object) -> Any:
    if value.__class__ is not int:
        raise Fail
    return _scalars.EXTENTS[value]


# A JSON key of raw values cannot confuse ``1`` with ``true``, or a string with either, if
# every field of a shared leaf is a JSON string (a string never equals another type).
_STRING_KINDS: Final = frozenset({"str", "date", "datetime", "enum"})


def _cacheable(obj: Obj) -> bool:
    return shared_leaf(obj) and all(
        isinstance(f.node, Scalar) and f.node.kind in _STRING_KINDS for f in obj.fields
    )


class _Gen:
    """Generates the fast-path source, one function per object type."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "Fail": Fail,
            "M": object(),
            "BADC": _scalars.bad_xml_char,
            "DC": _dates,
            "OC": _orgnrs,
            "DATE": _date,
            "ORG": _orgnr,
            "INT": _int,
            "BOOL": _bool,
            "EXT": _scalars.EXTENTS,
            "EXTENT": _extent,
            "STR": _str_checked,
            "IMIN": _scalars.INT_MIN,
            "IMAX": _scalars.INT_MAX,
            "CACHE_LIMIT": CACHE_LIMIT,
        }
        self.lines: list[str] = []
        self.counter = 0

    def tmp(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def scalar(self, node: Scalar, v: str, pad: str) -> None:
        """Emit code that checks and converts the JSON value in variable ``v`` in place."""
        out = self.lines
        kind = node.kind
        if node.enum is not None:
            name = f"E_{node.enum.__name__}"
            self.ns[name] = {m.value: m for m in node.enum}
            out.append(f"{pad}{v} = {name}[{v}]")
        elif kind == "str":
            # ``isprintable`` is true of no text XML cannot carry: the search is rare.
            out.append(f"{pad}if {v}.__class__ is not str: raise Fail")
            out.append(f"{pad}if not {v}.isprintable() and BADC({v}): raise Fail")
        elif kind == "int":
            out.append(f"{pad}if {v}.__class__ is not int or not IMIN <= {v} <= IMAX: raise Fail")
        elif kind == "bool":
            out.append(f"{pad}if {v}.__class__ is not bool: raise Fail")
        elif kind == "extent":
            out.append(f"{pad}if {v}.__class__ is not int: raise Fail")
            out.append(f"{pad}{v} = EXT[{v}]")
        elif kind == "date":
            t = self.tmp()
            # A cached value only for a str key: a mere look-alike is no date.
            out.append(f"{pad}{t} = DC.get({v}) if {v}.__class__ is str else None")
            out.append(f"{pad}{v} = DATE({v}) if {t} is None else {t}")
        elif kind == "orgnr":
            t = self.tmp()
            out.append(f"{pad}{t} = OC.get({v}) if {v}.__class__ is str else None")
            out.append(f"{pad}{v} = ORG({v}) if {t} is None else {t}")
        else:  # datetime, person, and any kind without a shortcut here
            out.append(f"{pad}{v} = {self.parser(kind)}({v})")

    def parser(self, kind: str) -> str:
        """The name of the generic conversion of ``kind`` (see :func:`_json_scalar`)."""
        name = f"P_{kind}"
        self.ns.setdefault(name, _json_scalar(kind))
        return name

    def item_converter(self, node: Node) -> str:
        """A callable (by name) converting one list item."""
        if isinstance(node, Obj):
            return f"r_{node.name}"
        assert isinstance(node, Scalar)
        if node.enum is not None:
            name = f"E_{node.enum.__name__}"
            self.ns[name] = {m.value: m for m in node.enum}
            return f"{name}.__getitem__"
        shortcuts = {
            "str": "STR",
            "int": "INT",
            "bool": "BOOL",
            "extent": "EXTENT",
            "date": "DATE",
            "orgnr": "ORG",
        }
        return shortcuts.get(node.kind) or self.parser(node.kind)

    def value(self, node: Node, v: str, pad: str) -> None:
        if isinstance(node, Scalar):
            self.scalar(node, v, pad)
        elif isinstance(node, Obj):
            self.lines.append(f"{pad}{v} = r_{node.name}({v}, K)")
        else:
            self.lines.append(f"{pad}if {v}.__class__ is not list: raise Fail")
            item = node.item
            if isinstance(item, Scalar) and item.kind == "str" and item.enum is None:
                self.lines.append(f"{pad}for x in {v}:")
                self.lines.append(f"{pad}    if x.__class__ is not str: raise Fail")
                self.lines.append(f"{pad}    if not x.isprintable() and BADC(x): raise Fail")
                self.lines.append(f"{pad}{v} = tuple({v})")
            else:
                conv = self.item_converter(item)
                extra = ", K" if isinstance(item, Obj) else ""
                # One item is the common case; a loop costs less than a comprehension's
                # function call for the few items the others have.
                t = self.tmp()
                self.lines.append(f"{pad}if len({v}) == 1:")
                self.lines.append(f"{pad}    {v} = ({conv}({v}[0]{extra}),)")
                self.lines.append(f"{pad}else:")
                self.lines.append(f"{pad}    {t} = []")
                self.lines.append(f"{pad}    for x in {v}:")
                self.lines.append(f"{pad}        {t}.append({conv}(x{extra}))")
                self.lines.append(f"{pad}    {v} = tuple({t})")

    def function(self, obj: Obj) -> None:
        out = self.lines
        out.append(f"def r_{obj.name}(d, K):")
        out.append("    if d.__class__ is not dict: raise Fail")
        cached = _cacheable(obj)
        names = [f"v{i}" for i in range(len(obj.fields))]
        if cached:
            # A leaf of strings only (a period, a provenance, ...): an identical input was
            # checked and built before, and the value is immutable, so it is shared. A hit
            # still checks that each value is exactly a str and that no key is unknown.
            cache = f"LC_{obj.name}"
            self.ns[cache] = {}
            for v, f in zip(names, obj.fields, strict=True):
                out.append(f"    {v} = d.get({f.name!r}, M)")
            out.append(f"    key = ({', '.join(names)},)")
            out.append(f"    o = {cache}.get(key)")
            tests, count = [], [str(sum(1 for f in obj.fields if f.required))]
            for v, f in zip(names, obj.fields, strict=True):
                if f.required:
                    tests.append(f"{v}.__class__ is str")
                else:
                    tests.append(f"({v} is M or {v}.__class__ is str)")
                    count.append(f"({v} is not M)")
            out.append(f"    if o is not None and {' and '.join(tests)}:")
            out.append("        n = len(d)")
            out.append(f"        if n == {' + '.join(count)}:")
            out.append("            K[0] += n")
            out.append("            return o")
        required = sum(1 for f in obj.fields if f.required)
        out.append(f"    n = {required}")
        for i, f in enumerate(obj.fields):
            v = names[i]
            if f.required:
                if cached:
                    out.append(f"    if {v} is M: raise Fail")
                else:
                    out.append(f"    {v} = d[{f.name!r}]")
                self.value(f.node, v, "    ")
            else:
                default = f"D_{obj.name}_{i}"
                self.ns[default] = f.default
                if not cached:
                    out.append(f"    {v} = d.get({f.name!r}, M)")
                out.append(f"    if {v} is M:")
                out.append(f"        {v} = {default}")
                out.append("    else:")
                out.append("        n += 1")
                self.value(f.node, v, "        ")
        out.append("    if len(d) != n: raise Fail")
        out.append("    K[0] += n")
        # The model's public constructor: every validator and __attrs_post_init__ runs.
        self.ns[f"C_{obj.name}"] = obj.cls
        out.append(f"    o = C_{obj.name}({', '.join(names)})")
        if cached:
            out.append(f"    if len({cache}) >= CACHE_LIMIT: {cache}.clear()")
            out.append(f"    {cache}[key] = o")
        out.append("    return o")
        out.append("")

    def list_function(self, node: ListOf) -> None:
        """``l_<name>(value, K)``: a list read on its own (the converter's hooks)."""
        self.lines.append(f"def l_{node.name}(v, K):")
        self.value(node, "v", "    ")
        self.lines.append("    return v")
        self.lines.append("")

    def build(self) -> dict[str, Any]:
        for obj in objects():
            self.function(obj)
        for node in lists():
            self.list_function(node)
        return compile_generated("\n".join(self.lines) + "\n", "json reader", self.ns)


_NS: Final = _Gen().build()
_FAST_CASE: Final[Callable[[Any, list[int]], Any]] = _NS["r_Case"]


def read_case_fast(value: Any, keys: list[int]) -> Any:
    """Build a Case from a parsed JSON value, or raise (any exception) at the first doubt.

    ``keys[0]`` is increased by the number of object keys read, so that the caller can
    compare it with the number of keys in the text: a repeated key, which a parser
    silently collapses, shows as a difference.
    """
    return _FAST_CASE(value, keys)


# -- the explaining pass -------------------------------------------------------------------


class DupDict(dict[str, Any]):
    """A JSON object that repeated a key: ``duplicates`` lists the repeated keys."""

    duplicates: list[str]


def strict_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` that keeps track of repeated keys (see :class:`DupDict`)."""
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    marked = DupDict(result)
    seen: set[str] = set()
    marked.duplicates = []
    for key, _ in pairs:
        if key in seen and key not in marked.duplicates:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def _constant(name: str) -> NotJson:
    """``parse_constant`` hook: ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON."""
    return NotJson(f"{name}, which is not a JSON number")


def _float(text: str) -> float | NotJson:
    """``parse_float`` hook: a decimal beyond the range of a double is not readable."""
    value = float(text)
    if value in (float("inf"), float("-inf")):
        return NotJson("a decimal number beyond the range of a double")
    return value


def _read(node: Node, value: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(node, Scalar):
        try:
            return _scalars.parse_json_scalar(node.kind, node.enum, value)
        except _scalars.Invalid as exc:
            problems.append(Problem(path, exc.message))
            return INVALID
    if isinstance(node, ListOf):
        if value.__class__ is not list:
            problems.append(Problem(path, f"must be an array, not {_scalars.json_type(value)}"))
            return INVALID
        items = [_read(node.item, item, f"{path}[{i}]", problems) for i, item in enumerate(value)]
        if any(item is INVALID for item in items):
            return INVALID
        return tuple(items)
    return _read_obj(node, value, path, problems)


def _read_obj(obj: Obj, value: Any, path: str, problems: list[Problem]) -> Any:
    """The object, or ``INVALID`` when any problem was recorded for it or inside it."""
    before = len(problems)
    if value.__class__ is not dict and value.__class__ is not DupDict:
        problems.append(Problem(path, f"must be an object, not {_scalars.json_type(value)}"))
        return INVALID
    if isinstance(value, DupDict):
        for key in value.duplicates:
            name = safe_name(key)
            where = join(path, name) if name else path
            problems.append(Problem(where, "appears more than once in the object"))
    known = {f.name for f in obj.fields}
    for key in value:
        if key not in known:
            name = safe_name(key)
            if name is None:
                problems.append(
                    Problem(path, f"has a field that is not in {obj.name} (name not shown)")
                )
            else:
                problems.append(Problem(join(path, name), f"is not a field of {obj.name}"))
    args: list[Any] = []
    for f in obj.fields:
        where = join(path, f.name)
        if f.name in value:
            item = value[f.name]
            if item is None:
                problems.append(Problem(where, "must not be null: leave the field out instead"))
                args.append(INVALID)
                continue
            args.append(_read(f.node, item, where, problems))
        elif f.required:
            problems.append(Problem(where, "is required"))
            args.append(INVALID)
        else:
            args.append(f.default)
    built = construct_fields(obj, args, path, problems)
    return INVALID if len(problems) > before else built


def read_case_detailed(value: Any, path: str, problems: list[Problem]) -> Any:
    """Build a Case, recording every problem under ``path``; ``INVALID`` if any."""
    return _read_obj(CASE, value, path, problems)


# -- structuring one value: the converter's hooks ------------------------------------------


class _KeyCount(threading.local):
    """Per-thread count of the object keys the fast path has read (see :func:`keys_read`)."""

    def __init__(self) -> None:
        self.keys = [0]


_KEY_COUNT: Final = _KeyCount()


def keys_read() -> int:
    """How many object keys the structuring functions' generated reader has read in this
    thread so far. A document reader takes it before and after structuring its cases and
    compares the difference with the number of keys in the text: a repeated key, which a
    parser silently collapses, shows as a difference."""
    return _KEY_COUNT.keys[0]


def _fast_reader(node: Node) -> Callable[[Any, list[int]], Any] | None:
    if isinstance(node, Obj):
        name = f"r_{node.name}"
    elif isinstance(node, ListOf):
        name = f"l_{node.name}"
    else:
        return None
    reader: Callable[[Any, list[int]], Any] = _NS[name]
    return reader


def structurer(node: Node) -> Callable[[Any], Any]:
    """The function building the model value of ``node`` from a parsed JSON value.

    It runs the generated reader; when that refuses the value, the explaining pass raises
    one :class:`~ssbx_model.errors.ValidationError` listing every problem with its path
    relative to the value (``person``, ``enrolment.value.spells[0].period.end``; the empty
    path for the value itself), like the model's constructors. Nothing is coerced.
    """
    fast = _fast_reader(node)
    counts = _KEY_COUNT

    def explain(value: Any, refused: BaseException | None) -> Any:
        problems: list[Problem] = []
        built = _read(node, value, "", problems)
        raise_problems(problems)
        if refused is not None:
            raise ReadersDisagree("JSON", node.name) from refused
        return built

    if fast is None:  # a scalar: the explaining pass is its reader
        return lambda value: explain(value, None)

    def structure(value: Any) -> Any:
        try:
            return fast(value, counts.keys)
        except Exception as exc:  # the reader refused: the explaining pass says why
            refused = exc
        return explain(value, refused)

    return structure


def parse_json_text(text: str) -> Any:
    """The explaining parse: ``json.loads`` keeping what the fast parse cannot say where
    it is: a repeated key (:class:`DupDict`), ``NaN``, ``Infinity`` and a decimal out of
    range (:class:`NotJson`), a lone surrogate (kept in the string). Raises
    ``json.JSONDecodeError`` for a syntax error, with its line and column."""
    return json.loads(
        text, object_pairs_hook=strict_pairs, parse_constant=_constant, parse_float=_float
    )
