"""Every field the SSBTX report proposes has a home in the model.

The checklist ``tests/data/bilaga1-checklist.toml`` maps each row and proposed field of
the report's Bilaga 1 (and tables 3-7, the labour-market unit's needs, the domain brief
and the issue's rule facts) to a model path. Each path is resolved here against the
attrs classes, starting at :class:`ssbx_model.Case`.
"""

from __future__ import annotations

import tomllib
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

from ssbx_model import codes
from ssbx_model.case import Case
from ssbx_model.information import Answer, InformationSet

CHECKLIST = Path(__file__).parent / "data" / "bilaga1-checklist.toml"
DATA: dict[str, Any] = tomllib.loads(CHECKLIST.read_text(encoding="utf-8"))

# The rows of the Bilaga 1 table, in the report's order (seed lines 2351-2608).
BILAGA1_ROWS = (
    "Inskrivningsdatum",
    "Samtycke",
    "Aktiviteter per programbeslut",
    "Aktivitetsstöd",
    "Aktivitetsrapport",
    "Planeringssamtal",
    "Utskrivning AF",
    "Funktionshinder",
    "SIUS",
    "Anvisningsbeslut",
    "Berättigad",
    "Näringsverksamhet",
    "Ansökan om bostadsbidrag",
    "Arbetsgivarkontroll",
)


class MissingField(AssertionError):
    """A checklist path names a field the model does not have."""


def _unwrap(tp: Any) -> Any:
    """Look through ``X | None`` and ``tuple[X, ...]`` to X."""
    while True:
        origin = typing.get_origin(tp)
        if origin in (types.UnionType, typing.Union):
            rest = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(rest) != 1:
                return tp  # e.g. Personnummer | Samordningsnummer: a leaf
            tp = rest[0]
        elif origin is tuple:
            tp = typing.get_args(tp)[0]
        else:
            return tp


def resolve(path: str) -> Any:
    """The type the path leads to, starting at Case; raises MissingField if it leads
    nowhere."""
    tp: Any = Case
    walked: list[str] = []
    for name in path.split("."):
        tp = _unwrap(tp)
        if typing.get_origin(tp) is Answer:
            # An answer's own fields (status, provenance, ...) or its value's.
            if name not in attrs.fields_dict(Answer):
                tp = _unwrap(typing.get_args(tp)[0])
            else:
                tp = Answer
        cls = typing.get_origin(tp) or tp
        if not (isinstance(cls, type) and attrs.has(cls)):
            raise MissingField(f"{path}: {'.'.join(walked)} is a {tp!r}, it has no fields")
        if name not in attrs.fields_dict(cls):
            raise MissingField(f"{path}: {cls.__name__} has no field {name!r}")
        tp = typing.get_type_hints(cls)[name]
        walked.append(name)
    return tp


def _entries() -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for section, table in DATA.items():
        for key, value in table.items():
            if key == "codes":
                continue
            for path in [value] if isinstance(value, str) else value:
                found.append((section, key, path))
    return found


ENTRIES = _entries()


@pytest.mark.parametrize(("section", "field", "path"), ENTRIES)
def test_every_proposed_field_has_a_home_in_the_model(section: str, field: str, path: str) -> None:
    resolve(path)


def test_the_checklist_covers_every_row_of_bilaga_1() -> None:
    rows = {key.split(" / ")[0] for key in DATA["bilaga1"]}
    assert set(BILAGA1_ROWS) <= rows


def test_every_information_set_is_asked_for_somewhere() -> None:
    roots = {path.split(".")[0] for _, _, path in ENTRIES}
    assert {s.value for s in InformationSet} <= roots
    assert "interventions" in roots


@pytest.mark.parametrize("section", [s for s, t in DATA.items() if "codes" in t])
def test_named_values_of_the_report_are_codes_of_their_list(section: str) -> None:
    table = dict(DATA[section]["codes"])
    code_list = codes.load(table.pop("list"))
    assert table
    for named, code in table.items():
        assert code in code_list.codes, f"{named!r}: {code!r} not in {code_list.id}"


@pytest.mark.parametrize(
    "path",
    [
        "enrolment.no_such_field",
        "activity_supports.withdrawal.why",
        "person.digits",  # an identity number is a leaf
        "consents.validity.start.year",  # a date is a leaf
        "nothing",
    ],
)
def test_a_path_the_model_lacks_fails(path: str) -> None:
    with pytest.raises(MissingField):
        resolve(path)


def test_paths_lead_to_the_declared_types() -> None:
    # A withdrawal's reason is a code, None only when the access policy withheld it.
    assert resolve("activity_supports.withdrawal.reason") == str | None
    assert _unwrap(resolve("activity_supports.withdrawal.reason")) is str
    assert resolve("enrolment.status").__name__ == "AnswerStatus"
    assert _unwrap(resolve("program_decisions.activities")).__name__ == "Activity"
