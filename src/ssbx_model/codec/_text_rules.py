"""The model's lexical rules on texts, found from the model and written as schema patterns.

Three rules hold in the readers and are written into both schemas:

- every text holds only characters XML 1.0 can carry (the readers of both formats refuse
  the others, :func:`ssbx_model.codec._scalars.bad_xml_char`);
- a text the model requires to say something is not blank: nothing left once
  ``str.strip()`` has taken Python's whitespace away. Which fields these are is asked of
  the model itself (:func:`nonblank_fields`), not listed here;
- a municipality code is four ASCII digits (:data:`ssbx_model.case.MUNICIPALITY_PATTERN`).

The character sets are computed from the same predicates the model and the readers use
(``bad_xml_char``, ``str.isspace``) and rendered once for each regex dialect: JSON Schema
patterns (ECMA-262, read the same by Python's ``re``) and XSD patterns (XML Schema 1.0,
implicitly anchored, no ``\\u`` escapes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Any, Final

from ssbx_model.calendar import Extent
from ssbx_model.case import MUNICIPALITY_PATTERN, Case
from ssbx_model.codec._build import construct
from ssbx_model.codec._plan import NO_DEFAULT, Field, ListOf, Node, Obj, Scalar, objects
from ssbx_model.codec._scalars import bad_xml_char
from ssbx_model.errors import Problem
from ssbx_model.identity import Organisationsnummer, Personnummer

__all__ = [
    "MUNICIPALITY_TYPE",
    "NONBLANK_LIST_TYPE",
    "NONBLANK_TYPE",
    "json_patterns",
    "nonblank_fields",
    "type_name",
    "xsd_patterns",
]

NONBLANK_TYPE: Final = "NonBlankText"
NONBLANK_LIST_TYPE: Final = "NonBlankTextList"
MUNICIPALITY_TYPE: Final = "MunicipalityCode"

#: Fields whose texts follow a pattern of their own, and the schema type of it.
_PATTERNED: Final[dict[tuple[type, str], str]] = {(Case, "municipality"): MUNICIPALITY_TYPE}

# Blank texts the probe offers each text field: the model must refuse every one.
_BLANKS: Final = ("", " ", "\t\r\n", "\u3000\xa0\u2028")

Ranges = list[tuple[int, int]]


def _ranges(code_points: Iterable[int]) -> Ranges:
    """Sorted code points as inclusive ``(first, last)`` runs."""
    runs: Ranges = []
    for cp in code_points:
        if runs and runs[-1][1] == cp - 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return runs


@cache
def _sets() -> tuple[Ranges, Ranges, Ranges]:
    """(characters XML cannot carry, whitespace it can, the rest it can), as runs."""
    bad, space, rest = [], [], []
    for cp in range(0x110000):
        char = chr(cp)
        if bad_xml_char(char):
            bad.append(cp)
        elif char.isspace():
            space.append(cp)
        else:
            rest.append(cp)
    return _ranges(bad), _ranges(space), _ranges(rest)


def _json_class(runs: Ranges) -> str:
    r"""The inside of an ECMA-262 class for runs of BMP code points (``\uXXXX`` escapes,
    which a regex without the ``u`` flag and Python's ``re`` read alike)."""
    if any(last > 0xFFFF for _, last in runs):
        raise ValueError("a JSON Schema class is written for BMP characters only")
    return "".join(
        f"\\u{first:04X}" if first == last else f"\\u{first:04X}-\\u{last:04X}"
        for first, last in runs
    )


_XSD_ESCAPED: Final = frozenset("\\|.-^?*+{}()[]")


def _xsd_char(cp: int) -> str:
    char = chr(cp)
    return "\\" + char if char in _XSD_ESCAPED else char


def _xsd_class(runs: Ranges) -> str:
    """The inside of an XSD character class, characters as they are (tab and line ends
    too: ``\\t-\\n`` as a range trips some validators), which the XSD writer turns into
    character references unless they are printable ASCII."""
    return "".join(
        _xsd_char(first) if first == last else f"{_xsd_char(first)}-{_xsd_char(last)}"
        for first, last in runs
    )


def _without(runs: Ranges, first: int, last: int) -> Ranges:
    """``runs`` less the code points ``first`` to ``last``."""
    return _ranges(cp for a, b in runs for cp in range(a, b + 1) if not first <= cp <= last)


@cache
def json_patterns() -> dict[str, str]:
    """The JSON Schema patterns of ``Text``, ``NonBlankText`` and ``MunicipalityCode``,
    not anchored yet.

    JSON strings may hold lone surrogates, which the readers refuse; the patterns do not
    say so: without ECMA-262's ``u`` flag a class that names the surrogates refuses every
    character beyond U+FFFF, which is valid text (see the formats reference)."""
    bad, space, _ = _sets()
    not_text = _json_class(_without(bad, 0xD800, 0xDFFF))
    spaces = _json_class(space)
    return {
        "Text": f"[^{not_text}]*",
        NONBLANK_TYPE: f"[{spaces}]*[^{not_text}{spaces}][^{not_text}]*",
        MUNICIPALITY_TYPE: MUNICIPALITY_PATTERN,
    }


@cache
def xsd_patterns() -> dict[str, str]:
    """The XSD patterns of ``Text``, ``NonBlankText`` and ``MunicipalityCode``."""
    _, space, rest = _sets()
    text = _xsd_class(_ranges(cp for a, b in sorted(space + rest) for cp in range(a, b + 1)))
    return {
        "Text": f"[{text}]*",
        NONBLANK_TYPE: f"[{_xsd_class(space)}]*[{_xsd_class(rest)}][{text}]*",
        MUNICIPALITY_TYPE: MUNICIPALITY_PATTERN,
    }


# -- which fields must not be blank: asked of the model ------------------------------------

_SCALAR_SAMPLES: Final[dict[str, Any]] = {
    "str": "x",
    "int": 0,
    "bool": False,
    "date": dt.date(2024, 1, 1),
    "datetime": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    "person": Personnummer.from_birth_date(dt.date(1990, 1, 1), 983),
    "orgnr": Organisationsnummer.parse("556036-0793"),
    "extent": Extent(100),
}


def _sample(node: Node) -> Any:
    """A value of the node's type, of the right shape but not necessarily valid."""
    if isinstance(node, Scalar):
        if node.enum is not None:
            return next(iter(node.enum))
        return _SCALAR_SAMPLES[node.kind]
    if isinstance(node, ListOf):
        return ()
    shaped: Any = object.__new__(node.cls)
    for f in node.fields:
        object.__setattr__(shaped, f.name, _value(f))
    return shaped


def _value(f: Field) -> Any:
    return _sample(f.node) if f.default is NO_DEFAULT else f.default


def _is_text(node: Node) -> bool:
    return isinstance(node, Scalar) and node.kind == "str" and node.enum is None


def _refuses_every_blank(obj: Obj, index: int) -> bool:
    """True when the model refuses each blank text in field ``index`` of ``obj``."""
    f = obj.fields[index]
    listed = isinstance(f.node, ListOf)
    where = f"{f.name}[0]" if listed else f.name
    args = [_value(other) for other in obj.fields]
    for blank in _BLANKS:
        args[index] = (blank,) if listed else blank
        problems: list[Problem] = []
        construct(obj, args, "", problems)
        if not any(p.path == where for p in problems):
            return False
    return True


@cache
def nonblank_fields() -> frozenset[tuple[str, str]]:
    """``(object type name, field name)`` of every text field, or list of texts, in which
    the model refuses a blank text, found by building each object with blank texts."""
    found = set()
    for obj in objects():
        for i, f in enumerate(obj.fields):
            node = f.node.item if isinstance(f.node, ListOf) else f.node
            if _is_text(node) and _refuses_every_blank(obj, i):
                found.add((obj.name, f.name))
    return frozenset(found)


def type_name(obj: Obj, f: Field) -> str:
    """The schema type of field ``f`` of ``obj``: a text type of its own when the model
    asks more of its text than the type (``Text``, ``TextList``) says."""
    patterned = _PATTERNED.get((obj.cls, f.name))
    if patterned is not None:
        return patterned
    if (obj.name, f.name) in nonblank_fields():
        return NONBLANK_LIST_TYPE if isinstance(f.node, ListOf) else NONBLANK_TYPE
    return f.node.name
