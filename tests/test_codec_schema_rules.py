"""The shipped schemas are as strict as the model on texts: hostile strings put into a
case are accepted or refused alike by the readers (the model and the codecs) and by
independent validators of the JSON Schema (jsonschema) and the XSD (xmlschema, lxml).

The strings are written here, by the characters' meaning, not taken from the patterns.
"""

from __future__ import annotations

import json as stdjson
import xml.etree.ElementTree as ElementTree
from functools import cache
from typing import Any

import attrs
import jsonschema
import pytest
import xmlschema
from codec_support import AF, json_bytes, rich_case
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ssbx_model.case import Case
from ssbx_model.codec import NAMESPACE, schema_text
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import ValidationError
from ssbx_model.information import Answer

_NS = "{" + NAMESPACE + "}"

# Texts every text field takes.
GOOD = [
    "x",
    " padded ",
    "tab\tand\nline\r\nends",
    "Praktik på lager",
    "\x7f",  # DEL: XML 1.0 carries it
    "\u200b",  # zero width space: not whitespace to str.strip()
    "\ufeff",  # zero width no-break space: the same
    "\ufffd",
    "\U0001f600",  # beyond the BMP
    "\U0010fffd",
]
# Texts that say nothing: refused where the model requires a text to say something.
BLANK = [
    "",
    " ",
    "\t\n\r ",
    "\xa0",  # no-break space
    "\x85",  # next line
    "\u1680\u2000\u200a",
    "\u2028\u2029",
    "\u202f\u205f\u3000",
]
# Texts no field takes: characters XML 1.0 cannot carry.
BAD = [
    "\x00",
    "a\x01b",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1c",  # a separator str.strip() takes for whitespace
    "\x1f",
    "\ufffe",
    "x\uffff",
]
MUNICIPALITIES = {
    "1287": True,
    "0180": True,
    "128": False,
    "12870": False,
    "12a7": False,
    " 1287": False,
    "1287\n": False,
    "": False,
    "\u0661\u0662\u0668\u0667": False,  # Arabic-Indic digits
    "\uff11\uff12\uff18\uff17": False,  # full-width digits
}

# Where a string goes: a path in the case's JSON object, and whether the model requires
# the text there to say something.
Path = tuple[str | int, ...]
SITES: dict[str, tuple[Path, bool]] = {
    "Case.reference": (("reference",), True),
    "Activity.participation_requirements[1]": (
        ("program_decisions", "value", 0, "activities", 0, "participation_requirements", 1),
        True,
    ),
    "ContactDetails.name": (
        ("program_decisions", "value", 0, "activities", 0, "provider", "contact", "name"),
        True,
    ),
    "Answer.reason (not found)": (("activity_support_levels", "reason"), False),
}


def _base() -> Case:
    return attrs.evolve(rich_case(), activity_support_levels=Answer.not_found(AF, "no record"))


@cache
def _json_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(stdjson.loads(schema_text("json")))


@cache
def _xmlschema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(schema_text("xsd"))


@cache
def _lxml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(schema_text("xsd").encode()))


def _set_json(document: Any, path: Path, value: str) -> None:
    target = document["case"]
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _find(root: Any, path: Path) -> Any:
    el = root
    for step in path:
        el = el[step] if isinstance(step, int) else el.find(_NS + step)
    return el


def _verdicts(path: Path, value: str) -> dict[str, bool]:
    """Whether each reader and validator accepts the case with ``value`` at ``path``."""
    document = stdjson.loads(cj.dumps(_base()))
    _set_json(document, path, value)
    data = json_bytes(document)
    verdicts: dict[str, bool] = {}
    try:
        cj.loads(data)
        verdicts["model (JSON reader)"] = True
    except ValidationError:
        verdicts["model (JSON reader)"] = False
    verdicts["JSON Schema (jsonschema)"] = _json_validator().is_valid(document)

    xml_data = cx.dumps(_base())
    tree = ElementTree.fromstring(xml_data)  # ElementTree lets a text hold any character
    _find(tree, path).text = value
    verdicts["XSD (xmlschema)"] = _xmlschema().is_valid(tree)
    try:
        lxml_tree = etree.fromstring(xml_data)
        _find(lxml_tree, path).text = value
    except ValueError:
        return verdicts  # lxml refuses to hold a character XML cannot carry
    verdicts["XSD (lxml)"] = _lxml_schema().validate(lxml_tree)
    try:
        cx.loads(etree.tostring(lxml_tree, encoding="UTF-8", xml_declaration=True))
        verdicts["model (XML reader)"] = True
    except ValidationError:
        verdicts["model (XML reader)"] = False
    return verdicts


def _cases() -> list[Any]:
    out = []
    for site, (path, nonblank) in SITES.items():
        for kind, texts, accepted in (
            ("good", GOOD, True),
            ("blank", BLANK, not nonblank),
            ("bad", BAD, False),
        ):
            out.extend(
                pytest.param(path, text, accepted, id=f"{site}-{kind}-{text!a}") for text in texts
            )
    return out


@pytest.mark.parametrize(("path", "text", "accepted"), _cases())
def test_the_readers_and_both_schemas_agree_on_a_text(
    path: Path, text: str, accepted: bool
) -> None:
    verdicts = _verdicts(path, text)
    assert verdicts == dict.fromkeys(verdicts, accepted)


@pytest.mark.parametrize(("code", "accepted"), list(MUNICIPALITIES.items()), ids=ascii)
def test_the_readers_and_both_schemas_agree_on_a_municipality_code(
    code: str, accepted: bool
) -> None:
    verdicts = _verdicts(("municipality",), code)
    assert verdicts == dict.fromkeys(verdicts, accepted)


@settings(max_examples=60)
@given(st.text(max_size=6), st.sampled_from(sorted(SITES)))
def test_any_text_is_judged_alike_by_the_model_and_both_schemas(text: str, site: str) -> None:
    verdicts = _verdicts(SITES[site][0], text)
    assert len(set(verdicts.values())) == 1, verdicts


def test_a_lone_surrogate_is_refused_by_the_readers_though_the_json_schema_cannot_say_so() -> None:
    """Documented in the formats reference: regex dialects disagree on surrogates."""
    document = stdjson.loads(cj.dumps(_base()))
    document["case"]["reference"] = "\ud800"
    with pytest.raises(ValidationError, match="cannot carry"):
        cj.loads(stdjson.dumps(document).encode())
    assert _json_validator().is_valid(document)


@pytest.mark.parametrize(
    ("type_name", "field", "expected"),
    [
        ("Provider", "name", "NonBlankText"),
        ("Provenance", "provider", "NonBlankText"),
        ("Consultation", "parties", "NonBlankTextList"),
        ("Case", "municipality", "MunicipalityCode"),
        ("ContactDetails", "email", "NonBlankText"),
        ("Activity", "participation_requirements", "NonBlankTextList"),
        ("EnrolmentAnswer", "reason", "Text"),  # blank allowed unless unavailable/withheld
    ],
)
def test_both_schemas_give_a_field_the_text_type_of_its_rule(
    type_name: str, field: str, expected: str
) -> None:
    defs = stdjson.loads(schema_text("json"))["$defs"]
    assert defs[type_name]["properties"][field]["$ref"] == f"#/$defs/{expected}"
    elements = {e.local_name: e for e in _xmlschema().types[type_name].content.iter_elements()}
    assert elements[field].type.local_name == expected
