"""The shipped schemas: generated from the model, never drifting, and every document the
codecs write is valid under independent validators (xmlschema, jsonschema)."""

from __future__ import annotations

import json as stdjson
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import xmlschema
from codec_support import DATA, deregistered_case, json_bytes, json_doc, minimal_case, rich_case
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.case import Case
from ssbx_model.codec import SCHEMA_VERSION, _plan, _schema_gen, schema_text
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import SsbxError
from ssbx_model.testing import strategies as ss


@cache
def _xsd() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(schema_text("xsd"))


@cache
def _json_validator() -> jsonschema.Draft202012Validator:
    schema = stdjson.loads(schema_text("json"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_shipped_schemas_are_what_the_model_generates() -> None:
    """Fails after a model change: run ``python -m ssbx_model.codec._schema_gen`` and
    review the difference (a breaking change also bumps SCHEMA_VERSION)."""
    for name, text in _schema_gen.schema_files().items():
        shipped = (_schema_gen.SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert shipped == text, f"{name} is out of date: run python -m ssbx_model.codec._schema_gen"


def test_the_schemas_are_named_after_the_version_and_served_from_the_package() -> None:
    assert schema_text("xsd") == (_schema_gen.SCHEMA_DIR / f"case-{SCHEMA_VERSION}.xsd").read_text()
    assert stdjson.loads(schema_text("json"))["$id"] == f"urn:ssbx:case:{SCHEMA_VERSION}"
    with pytest.raises(ValueError, match="json' or 'xsd"):
        schema_text("yaml")  # type: ignore[arg-type]


def test_the_schemas_are_valid_schemas() -> None:
    jsonschema.Draft202012Validator.check_schema(stdjson.loads(schema_text("json")))
    assert _xsd().version == SCHEMA_VERSION


def test_every_model_class_has_a_type_in_both_schemas() -> None:
    defs = stdjson.loads(schema_text("json"))["$defs"]
    for obj in _plan.objects():
        assert obj.name in defs
        assert obj.name in _xsd().types
        assert set(defs[obj.name]["properties"]) == {f.name for f in obj.fields}


@pytest.mark.parametrize("name", ["case-1.0.0.json", "case-1.0.0.xml", "cases-1.0.0.xml"])
def test_the_fixture_documents_are_valid(name: str) -> None:
    path = DATA / name
    if name.endswith(".xml"):
        _xsd().validate(str(path))
    else:
        _json_validator().validate(stdjson.loads(path.read_bytes()))


@settings(max_examples=40)
@given(st.lists(ss.cases(), max_size=3))
def test_every_written_document_is_valid_under_both_schemas(cases: list[Case]) -> None:
    _json_validator().validate(stdjson.loads(cj.dumps_many(cases)))
    _xsd().validate(cx.dumps_many(cases).decode())
    for case in cases:
        _json_validator().validate(stdjson.loads(cj.dumps(case)))
        _xsd().validate(cx.dumps(case, pretty=True).decode())


def test_hand_built_cases_are_valid_under_both_schemas() -> None:
    for case in (minimal_case(), rich_case(), deregistered_case()):
        _json_validator().validate(stdjson.loads(cj.dumps(case)))
        _xsd().validate(cx.dumps(case).decode())


_PERSON = minimal_case().person.reveal()
_MINIMAL = f"<person>{_PERSON}</person><municipality>1287</municipality>"


@pytest.mark.parametrize(
    "body",
    [
        _MINIMAL + "<nickname>x</nickname>",
        f"<person>{_PERSON}</person>",
        _MINIMAL + "<enrolment><status>maybe</status></enrolment>",
        "<person>19900101</person><municipality>1287</municipality>",
        _MINIMAL + "<income><status>known</status><value><annual_income><year>2024.5</year>"
        "<amount_sek>1</amount_sek><source>x</source></annual_income></value></income>",
        _MINIMAL + "<reference>x</reference><reference>y</reference>",
        _MINIMAL.replace("<municipality>", '<municipality code="1">'),
        _MINIMAL + "<unemployment_fund><status>known</status><value><member>1</member>"
        "<self_reported>true</self_reported></value></unemployment_fund>",
    ],
)
def test_the_xsd_refuses_what_the_xml_reader_refuses(body: str) -> None:
    document = f'<case xmlns="urn:ssbx:case:1" schemaVersion="1.0.0">{body}</case>'
    assert not _xsd().is_valid(document)
    with pytest.raises(SsbxError):
        cx.loads(document)


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c.update(nickname="x"),
        lambda c: c.pop("municipality"),
        lambda c: c.update(enrolment={"status": "maybe"}),
        lambda c: c.update(person="19900101"),
        lambda c: c.update(reference=None),
        lambda c: c.update(
            income={"status": "known", "value": [{"year": 2024.5, "amount_sek": 1, "source": "x"}]}
        ),
    ],
)
def test_the_json_schema_refuses_what_the_json_reader_refuses(edit: Any) -> None:
    document = json_doc(cj.dumps(minimal_case()))
    edit(document["case"])
    assert not _json_validator().is_valid(document)
    with pytest.raises(SsbxError):
        cj.loads(json_bytes(document))


def test_the_plan_refuses_types_the_wire_cannot_carry() -> None:
    @attrs.frozen
    class Measured:
        weight: float

    @attrs.frozen
    class Nested:
        grid: tuple[tuple[int, ...], ...]

    builder = _plan._Builder()
    with pytest.raises(TypeError, match="cannot carry the type"):
        builder.obj(Measured, None, "Measured", "measured")
    with pytest.raises(TypeError, match="lists of lists"):
        builder.obj(Nested, None, "Nested", "nested")


def test_the_regeneration_command_prints_its_help_without_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _schema_gen.main(["--help", "--directory", str(tmp_path)])
    assert exited.value.code == 0
    assert "Regenerate the shipped JSON Schema and XSD" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_the_regeneration_command_writes_every_schema_file(tmp_path: Path) -> None:
    assert _schema_gen.main(["--directory", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(_schema_gen.schema_files())
