"""One error lists every problem (issue 17): a problem of the case itself (its
municipality) is reported in the same pass as problems deep inside its answers and
lists, in both formats, with paths (and source lines in XML)."""

from __future__ import annotations

import pytest
from codec_support import json_bytes, json_doc, rich_case

from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import ValidationError

_EXPECTED = [
    "case.municipality",
    "case.enrolment.value.registered_on",
    "case.interventions[0].extent",
]


def test_json_reports_the_case_and_its_nested_problems_in_one_error() -> None:
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["municipality"] = "12"  # the Case's own check
    document["case"]["enrolment"]["value"]["registered_on"] = "2023-02-30"
    document["case"]["interventions"][0]["extent"] = 0
    with pytest.raises(ValidationError) as info:
        cj.loads(json_bytes(document))
    assert sorted(info.value.paths) == sorted(_EXPECTED)


def test_xml_reports_the_case_and_its_nested_problems_in_one_error_with_lines() -> None:
    text = cx.dumps(rich_case(), pretty=True).decode()
    text = text.replace("<municipality>1287</municipality>", "<municipality>12</municipality>")
    text = text.replace("<registered_on>2023-01-10<", "<registered_on>2023-02-30<", 1)
    text = text.replace(
        "<extent>50</extent>\n      <provider>", "<extent>0</extent>\n      <provider>", 1
    )
    lines = text.splitlines()
    with pytest.raises(ValidationError) as info:
        cx.loads(text.encode())
    found = {p.path: p.line for p in info.value.problems}
    assert sorted(found) == sorted(_EXPECTED)
    assert "<municipality>12<" in lines[found["case.municipality"] - 1]
    assert "<registered_on>2023-02-30<" in lines[found["case.enrolment.value.registered_on"] - 1]


def test_a_bad_required_field_does_not_invent_problems_of_its_neighbours() -> None:
    # An activity report with a bad submission date is not built with "no date" in its
    # place (which its own check would call a problem of 'approved'): only the date is
    # reported.
    document = json_doc(cj.dumps(rich_case()))
    document["case"]["activity_reports"]["value"][0]["submitted_on"] = "2024-02-30"
    with pytest.raises(ValidationError) as info:
        cj.loads(json_bytes(document))
    assert list(info.value.paths) == ["case.activity_reports.value[0].submitted_on"]
