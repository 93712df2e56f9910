"""Generate the shipped XSD and JSON Schema of the case document from the model.

Both schemas are written from the same plan the codecs read and write by, so a field,
a type or a default cannot differ between the model, the codecs and the schemas. The
generated files are checked in under ``ssbx_model/codec/schemas/`` (named after the
schema version) and a test regenerates them and fails if they differ; after a model
change run::

    python -m ssbx_model.codec._schema_gen

The schemas describe structure and lexical forms (field names, types, required fields,
enumerations, patterns, ranges), including the model's rules on texts (characters XML
can carry, texts that must not be blank, the municipality code: see ``_text_rules``).
The model's cross-field invariants (an end after its start, codes from the code lists,
check digits) are checked by the readers, not by the schemas.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import quoteattr

from ssbx_model.codec import _scalars, _text_rules
from ssbx_model.codec._plan import (
    CASE,
    NO_DEFAULT,
    Field,
    ListOf,
    Node,
    Obj,
    Scalar,
    enums,
    lists,
    objects,
)
from ssbx_model.codec._unstructure import wire_value
from ssbx_model.codec._versions import NAMESPACE, SCHEMA_VERSION

__all__ = ["SCHEMA_DIR", "json_schema_text", "main", "schema_files", "write", "xsd_text"]

SCHEMA_DIR: Final = Path(__file__).resolve().parent / "schemas"

_MAJOR, _MINOR, _ = SCHEMA_VERSION.split(".")
# Every version this one reads as it is: the same major, a minor up to this one's.
_MINORS: Final = "|".join(str(m) for m in range(int(_MINOR) + 1))
_VERSION_PATTERN: Final = rf"{_MAJOR}\.({_MINORS})\.(0|[1-9][0-9]*)"
_DOC: Final = (
    f"The SSBX case document, schema version {SCHEMA_VERSION} (semantic versioning: "
    "readers of 1.y read every 1.x with x <= y). Generated from the ssbx_model classes by "
    "ssbx_model.codec._schema_gen; do not edit. Lexical forms: dates YYYY-MM-DD, "
    "datetimes YYYY-MM-DDTHH:MM:SS(.ffffff)?(Z|+HH:MM), identity numbers YYYYMMDD-NNNC, "
    "organisation numbers NNNNNN-NNNN, extents a whole percent 1-100, integers signed "
    "64-bit. Texts hold only characters XML 1.0 allows (no lone surrogates, which this "
    "schema's patterns cannot say); NonBlankText fields must hold more than whitespace. "
    "A field equal to its default is left out; null is never written. The model's "
    "cross-field rules and code lists are checked by the readers, not by this schema."
)

_SCALAR_DESCRIPTIONS: Final = {
    "str": (
        "Text: any characters XML 1.0 can carry (no control character but tab, line feed "
        "and carriage return; no U+FFFE or U+FFFF)."
    ),
    "int": "A whole number within the signed 64-bit range, digits only.",
    "bool": "true or false.",
    "date": "A calendar date YYYY-MM-DD.",
    "datetime": "A date and time with its UTC offset, YYYY-MM-DDTHH:MM:SS(.ffffff)?(Z|+HH:MM).",
    "person": "A personnummer or samordningsnummer, 12 digits YYYYMMDD-NNNC (Luhn check digit).",
    "orgnr": (
        "An organisationsnummer NNNNNN-NNNN (Luhn check digit); a sole trader's is their "
        "personnummer without the century."
    ),
    "extent": "A share of full time, a whole percent from 1 to 100.",
}


_TEXT_DESCRIPTIONS: Final = {
    _text_rules.NONBLANK_TYPE: (
        "Text that says something: characters XML 1.0 can carry, not only whitespace."
    ),
    _text_rules.MUNICIPALITY_TYPE: "A municipality code (kommunkod): four digits 0-9.",
}


def _default_wire(f: Field) -> Any:
    """The wire form of a field's default (None when the default is None)."""
    if f.default is None or f.default is NO_DEFAULT:
        return None
    problems: list[Any] = []
    value = wire_value(f.node, f.default, f.name, problems)
    assert not problems, problems
    return value


# -- JSON Schema ---------------------------------------------------------------------------


def _ref(node: Node) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{node.name}"}


def _json_pattern(body: str) -> str:
    r"""``body`` anchored at both ends of the string. The end is ``(?![\s\S])``, not
    ``$``: Python's ``$`` (which Python validators use) also matches before a final line
    feed, so ``"1287\n"`` would pass a municipality code; ECMA-262 reads both alike."""
    return f"^(?:{body})(?![\\s\\S])"


def _json_scalar(kind: str) -> dict[str, Any]:
    string: dict[str, Any] = {"type": "string"}
    schemas: dict[str, dict[str, Any]] = {
        "str": {**string, "pattern": _json_pattern(_text_rules.json_patterns()["Text"])},
        "int": {"type": "integer", "minimum": _scalars.INT_MIN, "maximum": _scalars.INT_MAX},
        "bool": {"type": "boolean"},
        "date": {**string, "format": "date", "pattern": _json_pattern(_scalars.DATE_PATTERN)},
        "datetime": {
            **string,
            "format": "date-time",
            "pattern": _json_pattern(_scalars.DATETIME_PATTERN),
        },
        "person": {**string, "pattern": _json_pattern(_scalars.PERSON_PATTERN)},
        "orgnr": {**string, "pattern": _json_pattern(_scalars.ORGNR_PATTERN)},
        "extent": {"type": "integer", "minimum": 1, "maximum": 100},
    }
    return {"description": _SCALAR_DESCRIPTIONS[kind], **schemas[kind]}


def _text_ref() -> dict[str, Any]:
    return {"$ref": f"#/$defs/{_text_rules.NONBLANK_TYPE}"}


def _json_object(obj: Obj) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for f in obj.fields:
        prop = {"$ref": f"#/$defs/{_text_rules.type_name(obj, f)}"}
        default = _default_wire(f)
        if default is not None:
            prop = {**prop, "default": default}
        properties[f.name] = prop
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    required = [f.name for f in obj.fields if f.required]
    if required:
        schema["required"] = required
    schema["properties"] = properties
    return schema


def _json_type_defs(
    defs: dict[str, Any],
    plan_enums: tuple[type[StrEnum], ...],
    plan_lists: tuple[ListOf, ...],
    plan_objects: tuple[Obj, ...],
) -> None:
    """Add the scalar, text, enum, list and object types of a plan to ``defs``."""
    for kind in _scalars.SCALAR_KINDS:
        defs[Scalar(kind).name] = _json_scalar(kind)
    patterns = _text_rules.json_patterns()
    for name, description in _TEXT_DESCRIPTIONS.items():
        defs[name] = {
            "description": description,
            "type": "string",
            "pattern": _json_pattern(patterns[name]),
        }
    defs[_text_rules.NONBLANK_LIST_TYPE] = {"type": "array", "items": _text_ref()}
    for enum in plan_enums:
        defs[enum.__name__] = {"type": "string", "enum": [m.value for m in enum]}
    for lst in plan_lists:
        defs[lst.name] = {"type": "array", "items": _ref(lst.item)}
    for obj in plan_objects:
        defs[obj.name] = _json_object(obj)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of case documents, as a dict."""
    defs: dict[str, Any] = {}
    version = {"type": "string", "pattern": _json_pattern(_VERSION_PATTERN)}
    defs["CaseDocument"] = {
        "description": "One case.",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "case"],
        "properties": {"schema_version": version, "case": _ref(CASE)},
    }
    defs["ManyCaseDocument"] = {
        "description": "Many cases.",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "cases"],
        "properties": {"schema_version": version, "cases": {"type": "array", "items": _ref(CASE)}},
    }
    _json_type_defs(defs, enums(), lists(), objects())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:ssbx:case:{SCHEMA_VERSION}",
        "title": f"SSBX case document {SCHEMA_VERSION}",
        "description": _DOC,
        "oneOf": [{"$ref": "#/$defs/CaseDocument"}, {"$ref": "#/$defs/ManyCaseDocument"}],
        "$defs": defs,
    }


def json_schema_text() -> str:
    """The JSON Schema as the text of the shipped file."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# -- XSD -----------------------------------------------------------------------------------

_XSD_BASES: Final = {
    "str": ("xs:string", _text_rules.xsd_patterns()["Text"]),
    "int": ("xs:long", _scalars.INT_PATTERN),
    "bool": ("xs:boolean", "true|false"),
    "date": ("xs:date", _scalars.DATE_PATTERN),
    "datetime": ("xs:dateTime", _scalars.DATETIME_PATTERN),
    "person": ("xs:string", _scalars.PERSON_PATTERN),
    "orgnr": ("xs:string", _scalars.ORGNR_PATTERN),
    "extent": ("xs:int", _scalars.EXTENT_PATTERN),
}


def _doc(text: str, pad: str) -> list[str]:
    return [
        f"{pad}<xs:annotation>",
        f"{pad}  <xs:documentation>{_escape(text)}</xs:documentation>",
        f"{pad}</xs:annotation>",
    ]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_NOT_PRINTABLE_ASCII: Final = re.compile("[^\x20-\x7e]")


def _attribute(value: str) -> str:
    """``value`` as a quoted XML attribute value, every character that is not printable
    ASCII written as a character reference (so that no line end is normalised away and
    the file shows which character a pattern names)."""
    return _NOT_PRINTABLE_ASCII.sub(lambda m: f"&#x{ord(m[0]):X};", quoteattr(value))


def _xsd_pattern_type(name: str, description: str, pattern: str, out: list[str]) -> None:
    out.append(f'  <xs:simpleType name="{name}">')
    out.extend(_doc(description, "    "))
    out.append('    <xs:restriction base="xs:string">')
    out.append(f"      <xs:pattern value={_attribute(pattern)}/>")
    out.append("    </xs:restriction>")
    out.append("  </xs:simpleType>")


def _xsd_scalar(kind: str, out: list[str]) -> None:
    base, pattern = _XSD_BASES[kind]
    out.append(f'  <xs:simpleType name="{Scalar(kind).name}">')
    out.extend(_doc(_SCALAR_DESCRIPTIONS[kind], "    "))
    out.append(f'    <xs:restriction base="{base}">')
    out.append(f"      <xs:pattern value={_attribute(pattern)}/>")
    if kind == "extent":
        out.append('      <xs:minInclusive value="1"/>')
        out.append('      <xs:maxInclusive value="100"/>')
    out.append("    </xs:restriction>")
    out.append("  </xs:simpleType>")


def _xsd_object(obj: Obj, out: list[str], pad: str = "  ", root: bool = False) -> None:
    # The root <case> repeats the fields rather than extending Case with the attribute:
    # extending an xs:all content model is poorly supported by validators.
    out.append(f"{pad}<xs:complexType>" if root else f'{pad}<xs:complexType name="{obj.name}">')
    out.append(f"{pad}  <xs:all>")
    for f in obj.fields:
        occurs = "" if f.required else ' minOccurs="0"'
        kind = _text_rules.type_name(obj, f)
        out.append(f'{pad}    <xs:element name="{f.name}" type="{kind}"{occurs}/>')
    out.append(f"{pad}  </xs:all>")
    if root:
        out.append(
            f'{pad}  <xs:attribute name="schemaVersion" type="SchemaVersion" use="required"/>'
        )
    out.append(f"{pad}</xs:complexType>")


def _xsd_list(name: str, item_tag: str, item_type: str, out: list[str]) -> None:
    out.append(f'  <xs:complexType name="{name}">')
    out.append("    <xs:sequence>")
    out.append(
        f'      <xs:element name="{item_tag}" type="{item_type}" '
        'minOccurs="0" maxOccurs="unbounded"/>'
    )
    out.append("    </xs:sequence>")
    out.append("  </xs:complexType>")


def _xsd_types(
    out: list[str],
    plan_enums: tuple[type[StrEnum], ...],
    plan_lists: tuple[ListOf, ...],
    plan_objects: tuple[Obj, ...],
) -> None:
    """Append the scalar, text, enum, list and object types of a plan to ``out``."""
    for kind in _scalars.SCALAR_KINDS:
        _xsd_scalar(kind, out)
    patterns = _text_rules.xsd_patterns()
    for name, description in _TEXT_DESCRIPTIONS.items():
        _xsd_pattern_type(name, description, patterns[name], out)
    for enum in plan_enums:
        out.append(f'  <xs:simpleType name="{enum.__name__}">')
        out.append('    <xs:restriction base="xs:string">')
        out.extend(f"      <xs:enumeration value={quoteattr(m.value)}/>" for m in enum)
        out.append("    </xs:restriction>")
        out.append("  </xs:simpleType>")
    for lst in plan_lists:
        _xsd_list(lst.name, lst.item_tag, lst.item.name, out)
    _xsd_list(_text_rules.NONBLANK_LIST_TYPE, "item", _text_rules.NONBLANK_TYPE, out)
    for obj in plan_objects:
        _xsd_object(obj, out)


def xsd_text() -> str:
    """The XSD (XML Schema 1.0) of case documents, as the text of the shipped file."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"',
        f'           xmlns="{NAMESPACE}"',
        f'           targetNamespace="{NAMESPACE}"',
        '           elementFormDefault="qualified"',
        f'           version="{SCHEMA_VERSION}">',
        *_doc(_DOC, "  "),
        '  <xs:element name="case">',
        *_doc("One case: the root of a case document.", "    "),
    ]
    _xsd_object(CASE, out, "    ", root=True)
    out += [
        "  </xs:element>",
        '  <xs:element name="cases">',
        *_doc("Many cases: the root of a many-case document.", "    "),
        "    <xs:complexType>",
        "      <xs:sequence>",
        '        <xs:element name="case" type="Case" minOccurs="0" maxOccurs="unbounded"/>',
        "      </xs:sequence>",
        '      <xs:attribute name="schemaVersion" type="SchemaVersion" use="required"/>',
        "    </xs:complexType>",
        "  </xs:element>",
        '  <xs:simpleType name="SchemaVersion">',
        '    <xs:restriction base="xs:string">',
        f"      <xs:pattern value={quoteattr(_VERSION_PATTERN)}/>",
        "    </xs:restriction>",
        "  </xs:simpleType>",
    ]
    _xsd_types(out, enums(), lists(), objects())
    out.append("</xs:schema>")
    return "\n".join(out) + "\n"


# -- files ---------------------------------------------------------------------------------


def schema_files() -> dict[str, str]:
    """The shipped schema files' names and their generated text."""
    from ssbx_model.codec import handover

    return {
        f"case-{SCHEMA_VERSION}.schema.json": json_schema_text(),
        f"case-{SCHEMA_VERSION}.xsd": xsd_text(),
        **handover.schema_files(),
    }


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write the generated schemas into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# -- the handover package (issue 20): its own root document, schemas next to the case's ------


_HANDOVER_MINOR_PATCH: Final = r"\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"


def _handover_doc() -> str:
    from ssbx_model.information.handover import HANDOVER_VERSION

    return (
        f"The SSBX handover package, version {HANDOVER_VERSION} (semantic versioning, "
        "independent of the case document's): what a municipality hands over when a person "
        "moves to another. Generated from the ssbx_model classes by "
        "ssbx_model.codec._schema_gen; do not edit. Lexical forms as in the case document. "
        "The model's cross-field rules and code lists are checked by the readers, not by "
        "this schema."
    )


def handover_json_schema_text() -> str:
    """The JSON Schema (draft 2020-12) of the handover package, as the shipped text."""
    from ssbx_model.codec import handover
    from ssbx_model.information.handover import HANDOVER_VERSION

    defs: dict[str, Any] = {}
    _json_type_defs(defs, handover.enums(), handover.lists(), handover.objects())
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:ssbx:handover:{HANDOVER_VERSION}",
        "title": f"SSBX handover package {HANDOVER_VERSION}",
        "description": _handover_doc(),
        "type": "object",
        "additionalProperties": False,
        "required": [handover.ROOT],
        "properties": {handover.ROOT: _ref(handover.PLAN)},
        "$defs": defs,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def handover_xsd_text() -> str:
    """The XSD (XML Schema 1.0) of the handover package, as the shipped text."""
    from ssbx_model.codec import handover
    from ssbx_model.information.handover import HANDOVER_VERSION

    major, _minor, _ = HANDOVER_VERSION.split(".")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"',
        f'           xmlns="{handover.NAMESPACE}"',
        f'           targetNamespace="{handover.NAMESPACE}"',
        '           elementFormDefault="qualified"',
        f'           version="{HANDOVER_VERSION}">',
        *_doc(_handover_doc(), "  "),
        f'  <xs:element name="{handover.ROOT}">',
        *_doc("One handover package: the root of a handover document.", "    "),
    ]
    obj = handover.PLAN
    out.append("    <xs:complexType>")
    out.append("      <xs:all>")
    for f in obj.fields:
        occurs = "" if f.required else ' minOccurs="0"'
        out.append(
            f'        <xs:element name="{f.name}" type="{_text_rules.type_name(obj, f)}"{occurs}/>'
        )
    out.append("      </xs:all>")
    out.append('      <xs:attribute name="packageVersion" type="PackageVersion" use="required"/>')
    out.append("    </xs:complexType>")
    out += [
        "  </xs:element>",
        '  <xs:simpleType name="PackageVersion">',
        '    <xs:restriction base="xs:string">',
        f"      <xs:pattern value={quoteattr(major + _HANDOVER_MINOR_PATCH)}/>",
        "    </xs:restriction>",
        "  </xs:simpleType>",
    ]
    _xsd_types(out, handover.enums(), handover.lists(), handover.objects())
    out.append("</xs:schema>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """The maintainers' regeneration command: write the schemas, list what was written."""
    parser = argparse.ArgumentParser(
        prog="python -m ssbx_model.codec._schema_gen",
        description="Regenerate the shipped JSON Schema and XSD files from the model "
        "(after a change to the model or the plan).",
    )
    parser.add_argument(
        "--directory",
        type=Path,
        default=SCHEMA_DIR,
        help="where to write them (default: the package's schemas directory)",
    )
    args = parser.parse_args(argv)
    for path in write(args.directory):
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover - the maintainers' regeneration command
    raise SystemExit(main())
