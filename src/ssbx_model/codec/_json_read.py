"""Parsed JSON values to model objects: the generated reader and its explaining pass.

The **reader** is Python source generated from the plan when the module is imported (and
registered with :mod:`linecache`, so tracebacks show its lines), together with one
``msgspec.Struct`` type per object type of the plan (field names the JSON keys, unknown
fields refused, absent optional fields ``msgspec.UNSET``). msgspec decodes a case's text
straight into these types, checking in C each value's JSON type, an integer's range, an
extent's range and an enum's value; a parsed JSON value (the converter's hooks) is
converted into them with ``msgspec.convert`` once it is known to hold exactly the classes
a JSON parser gives. One generated function per object type then reads each field once
by attribute, checks what msgspec cannot (dates, datetimes, identity numbers, the
characters XML cannot carry) and builds the model object with the model's public
constructor, so every invariant the model checks runs as for any other caller. It
decides what is accepted. It stops at the first thing it does not
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
from typing import Annotated, Any, Final

import msgspec

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
    "CASE_DECODER",
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


def _str_checked(text: str) -> str:
    if not text.isprintable() and _scalars.bad_xml_char(text):
        raise Fail
    return text


def _text_scalar(kind: str) -> Callable[[str], Any]:
    """The conversion of a scalar kind the generator has no shortcut for: its text
    parser (a new scalar kind whose JSON form is a string needs nothing here)."""
    return _scalars.text_parser(kind, None)


# The JSON type of each scalar kind, as msgspec checks it while it parses (in C): a str,
# a bool, an int within the signed 64-bit range, a whole percent; an enum is its class
# (msgspec accepts exactly its values). What msgspec cannot check the same way as the
# explaining pass (dates, datetimes, identity numbers, the characters XML cannot carry)
# travels as a str and is checked by the generated reader.
_WIRE_SCALARS: Final[dict[str, Any]] = {
    "str": str,
    "int": Annotated[int, msgspec.Meta(ge=_scalars.INT_MIN, le=_scalars.INT_MAX)],
    "bool": bool,
    "extent": Annotated[int, msgspec.Meta(ge=1, le=100)],
}

# A JSON key of raw values cannot confuse ``1`` with ``true``, or a string with either, if
# every field of a shared leaf is a JSON string (a string never equals another type).
_STRING_KINDS: Final = frozenset({"str", "date", "datetime", "enum"})


def _cacheable(obj: Obj) -> bool:
    return shared_leaf(obj) and all(
        isinstance(f.node, Scalar) and f.node.kind in _STRING_KINDS for f in obj.fields
    )


def _plain_json(value: Any) -> bool:
    """True if ``value`` holds exactly the classes a JSON parser gives (dict with str
    keys, list, str, int, float, bool, None), nothing derived from them."""
    cls = value.__class__
    if cls is dict:
        return all(k.__class__ is str and _plain_json(v) for k, v in value.items())
    if cls is list:
        return all(_plain_json(v) for v in value)
    return cls is str or cls is int or cls is bool or cls is float or value is None


class _Gen:
    """Generates the reader's source, one function per object type, and the msgspec
    Struct types it reads (one per object type of the plan)."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "Fail": Fail,
            "U": msgspec.UNSET,
            "BADC": _scalars.bad_xml_char,
            "DC": _dates,
            "OC": _orgnrs,
            "DATE": _date,
            "ORG": _orgnr,
            "EXT": _scalars.EXTENTS,
            "STR": _str_checked,
            "CACHE_LIMIT": CACHE_LIMIT,
        }
        self.lines: list[str] = []
        self.counter = 0
        self.structs: dict[str, Any] = {}

    def tmp(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    # -- the Struct types ----------------------------------------------------------------

    def wire_type(self, node: Node) -> Any:
        """The type msgspec decodes a value of ``node`` into."""
        if isinstance(node, Scalar):
            if node.enum is not None:
                return node.enum
            return _WIRE_SCALARS.get(node.kind, str)
        if isinstance(node, ListOf):
            return tuple[self.wire_type(node.item), ...]  # type: ignore[misc]
        return self.struct(node)

    def struct(self, obj: Obj) -> Any:
        found = self.structs.get(obj.name)
        if found is not None:
            return found
        fields: list[Any] = []
        for f in obj.fields:
            tp = self.wire_type(f.node)
            if f.required:
                fields.append((f.name, tp))
            else:  # absent: UNSET, which the reader replaces by the model's default
                fields.append((f.name, tp | msgspec.UnsetType, msgspec.UNSET))
        # No reference cycle can be decoded, so the garbage collector need not track
        # these short-lived values (a per-type option of msgspec).
        made = msgspec.defstruct(
            f"Wire{obj.name}", fields, kw_only=True, forbid_unknown_fields=True, gc=False
        )
        self.structs[obj.name] = made
        self.ns[f"W_{obj.name}"] = made
        return made

    # -- the reader ----------------------------------------------------------------------

    def scalar(self, node: Scalar, v: str, pad: str) -> None:
        """Emit code that checks and converts the decoded value in variable ``v`` in place
        (msgspec has checked its JSON type, an int's range, an enum's value)."""
        out = self.lines
        kind = node.kind
        if node.enum is not None or kind in ("int", "bool"):
            return
        if kind == "str":
            # ``isprintable`` is true of no text XML cannot carry: the search is rare.
            out.append(f"{pad}if not {v}.isprintable() and BADC({v}): raise Fail")
        elif kind == "extent":
            out.append(f"{pad}{v} = EXT[{v}]")
        elif kind == "date":
            t = self.tmp()
            out.append(f"{pad}{t} = DC.get({v})")
            out.append(f"{pad}{v} = DATE({v}) if {t} is None else {t}")
        elif kind == "orgnr":
            t = self.tmp()
            out.append(f"{pad}{t} = OC.get({v})")
            out.append(f"{pad}{v} = ORG({v}) if {t} is None else {t}")
        else:  # datetime, person, and any kind without a shortcut here
            out.append(f"{pad}{v} = {self.parser(kind)}({v})")

    def parser(self, kind: str) -> str:
        """The name of the generic conversion of ``kind`` (see :func:`_text_scalar`)."""
        name = f"P_{kind}"
        self.ns.setdefault(name, _text_scalar(kind))
        return name

    def item_converter(self, node: Node) -> str | None:
        """A callable (by name) converting one list item; None when it needs none."""
        if isinstance(node, Obj):
            return f"s_{node.name}"
        assert isinstance(node, Scalar)
        if node.enum is not None or node.kind in ("int", "bool"):
            return None
        shortcuts = {"str": "STR", "extent": "EXT.__getitem__", "date": "DATE", "orgnr": "ORG"}
        return shortcuts.get(node.kind) or self.parser(node.kind)

    def value(self, node: Node, v: str, pad: str) -> None:
        if isinstance(node, Scalar):
            self.scalar(node, v, pad)
        elif isinstance(node, Obj):
            self.lines.append(f"{pad}{v} = s_{node.name}({v}, K)")
        else:
            item = node.item
            if isinstance(item, Scalar) and item.kind == "str" and item.enum is None:
                self.lines.append(f"{pad}for x in {v}:")
                self.lines.append(f"{pad}    if not x.isprintable() and BADC(x): raise Fail")
                return
            conv = self.item_converter(item)
            if conv is None:  # msgspec built the tuple of checked values
                return
            extra = ", K" if isinstance(item, Obj) else ""
            # One item is the common case; a loop costs less than a comprehension's
            # function call for the few items the others have.
            t = self.tmp()
            self.lines.append(f"{pad}if len({v}) == 1:")
            self.lines.append(f"{pad}    {v} = ({conv}({v}[0]{extra}),)")
            self.lines.append(f"{pad}elif {v}:")
            self.lines.append(f"{pad}    {t} = []")
            self.lines.append(f"{pad}    for x in {v}:")
            self.lines.append(f"{pad}        {t}.append({conv}(x{extra}))")
            self.lines.append(f"{pad}    {v} = tuple({t})")

    def function(self, obj: Obj) -> None:
        out = self.lines
        self.struct(obj)
        out.append(f"def s_{obj.name}(s, K):")
        names = [f"v{i}" for i in range(len(obj.fields))]
        for v, f in zip(names, obj.fields, strict=True):
            out.append(f"    {v} = s.{f.name}")
        required = sum(1 for f in obj.fields if f.required)
        optional = [v for v, f in zip(names, obj.fields, strict=True) if not f.required]
        count = " + ".join([str(required)] + [f"({v} is not U)" for v in optional])
        cached = _cacheable(obj)
        if cached:
            # A leaf of strings only (a period, a provenance, ...): an identical input was
            # checked and built before, and the value is immutable, so it is shared.
            cache = f"LC_{obj.name}"
            self.ns[cache] = {}
            out.append(f"    key = ({', '.join(names)},)")
            out.append(f"    o = {cache}.get(key)")
            out.append("    if o is not None:")
            out.append(f"        K[0] += {count}")
            out.append("        return o")
        out.append(f"    n = {required}")
        for i, f in enumerate(obj.fields):
            v = names[i]
            if f.required:
                self.value(f.node, v, "    ")
            else:
                default = f"D_{obj.name}_{i}"
                self.ns[default] = f.default
                out.append(f"    if {v} is U:")
                out.append(f"        {v} = {default}")
                out.append("    else:")
                out.append("        n += 1")
                self.value(f.node, v, "        ")
        out.append("    K[0] += n")
        # The model's public constructor: every validator and __attrs_post_init__ runs.
        self.ns[f"C_{obj.name}"] = obj.cls
        out.append(f"    o = C_{obj.name}({', '.join(names)})")
        if cached:
            out.append(f"    if len({cache}) >= CACHE_LIMIT: {cache}.clear()")
            out.append(f"    {cache}[key] = o")
        out.append("    return o")
        out.append("")
        # The same from a parsed JSON value (a dict): msgspec converts it first.
        out.append(f"def r_{obj.name}(d, K):")
        out.append(f"    if d.__class__ is W_{obj.name}: return s_{obj.name}(d, K)")
        out.append(f"    return s_{obj.name}(CV(d, W_{obj.name}), K)")
        out.append("")

    def list_function(self, node: ListOf) -> None:
        """``l_<name>(value, K)``: a list read on its own (the converter's hooks)."""
        self.ns[f"WL_{node.name}"] = self.wire_type(node)
        self.lines.append(f"def l_{node.name}(d, K):")
        self.lines.append(f"    v = CV(d, WL_{node.name})")
        self.value(node, "v", "    ")
        self.lines.append("    return v")
        self.lines.append("")

    def build(self) -> dict[str, Any]:
        self.ns["CV"] = _convert
        for obj in objects():
            self.function(obj)
        for node in lists():
            self.list_function(node)
        return compile_generated("\n".join(self.lines) + "\n", "json reader", self.ns)


def _convert(value: Any, wire: Any) -> Any:
    """A parsed JSON value as the reader's msgspec type ``wire``: ``msgspec.convert`` does
    the type work a decoder does, on a value of exactly the JSON classes."""
    if not _plain_json(value):
        raise Fail
    return msgspec.convert(value, wire, strict=True)


_NS: Final = _Gen().build()
_FAST_CASE: Final[Callable[[Any, list[int]], Any]] = _NS["r_Case"]
_WIRE_TYPES: Final = frozenset(v for k, v in _NS.items() if k.startswith("W_"))
#: msgspec's decoder of one case, straight from JSON bytes into the reader's types.
CASE_DECODER: Final = msgspec.json.Decoder(_NS["W_Case"])


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
        if value.__class__ in _WIRE_TYPES:
            # Decoded from a document's text, whose explaining read says why.
            raise Fail from refused
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
