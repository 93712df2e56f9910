"""The handover package between municipalities (issue 20 point 4): built from a case through
the access policy for the purpose ``handover``, written as JSON and XML, read back on the
receiving side by the same strict codec, valid under its own shipped schemas."""

from __future__ import annotations

import datetime as dt
import json as stdjson
import tomllib
from functools import cache
from pathlib import Path

import attrs
import jsonschema
import pytest
import xmlschema
from hypothesis import given, settings

from ssbx_model.access import default_policy, parse_policy
from ssbx_model.case import Case
from ssbx_model.codec import _schema_gen
from ssbx_model.codec import handover as wire
from ssbx_model.errors import AccessDenied, ValidationError
from ssbx_model.handover import (
    HANDOVER_VERSION,
    HandoverPackage,
    build_handover,
    consent_travels,
)
from ssbx_model.information import (
    Answer,
    ConsentKind,
    InformationSet,
    KaaContact,
    KaaContactChannel,
    KaaEntryReason,
    KaaRegisterEntry,
)
from ssbx_model.information.intervention import InterventionStatus
from ssbx_model.purpose import Purpose, Role
from ssbx_model.testing import factories as f
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 10, 7)
POLICY_FILE = Path(__file__).parents[1] / "src" / "ssbx_model" / "policy" / "default-policy.toml"
TO = "0180"


def _case(**answers: object) -> Case:
    person = f.person(age=18, on=ON)
    active = f.municipal_intervention(ON - dt.timedelta(days=20), on=ON, intervention_id="INS-1")
    planned = f.municipal_intervention(
        ON + dt.timedelta(days=14),
        on=ON,
        intervention_type="extratjanst",
        local_name="Extratjänst i kommunen",
        intervention_id="INS-2",
        inuk_category=None,
    )
    ended = f.municipal_intervention(ON - dt.timedelta(days=200), on=ON, intervention_id="INS-0")
    lonebidrag = f.municipal_intervention(
        ON - dt.timedelta(days=5),
        on=ON,
        intervention_type="lonebidrag",
        local_name="Anställning med lönebidrag",
        intervention_id="INS-3",
        inuk_category=None,
    )
    consents = (
        f.consent(ON - dt.timedelta(days=30)),
        f.consent(ON - dt.timedelta(days=400)),  # ended long ago: not in the package
        f.consent(ON - dt.timedelta(days=10), kind=ConsentKind.DUA_INFORMATION_EXCHANGE),
    )
    entry = KaaRegisterEntry(
        entered_on=ON - dt.timedelta(days=60),
        reason=KaaEntryReason.ENDED_WITHOUT_DIPLOMA,
        contacted_on=ON - dt.timedelta(days=59),
        contacts=(KaaContact(ON - dt.timedelta(days=20), KaaContactChannel.MEETING),),
        occupation="municipal-intervention",
        occupation_on=ON - dt.timedelta(days=20),
    )
    fields: dict[str, object] = {
        "consents": Answer.known(consents),
        "kaa_register": Answer.known(entry),
        "enrolment": Answer.known(f.enrolment(ON - dt.timedelta(days=90))),
        **answers,
    }
    return Case(
        person,
        "1287",
        reference="ÄR-2024-118",
        interventions=(ended, active, planned, lonebidrag),
        **fields,  # type: ignore[arg-type]
    )


def test_a_handover_built_from_a_case_carries_the_minimum_the_receiver_needs() -> None:
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    assert package.package_version == HANDOVER_VERSION
    assert (package.sending_municipality, package.receiving_municipality) == ("1287", TO)
    assert [i.intervention_id for i in package.active_interventions] == ["INS-1"]
    assert [i.intervention_id for i in package.planned_interventions] == ["INS-2"]
    assert package.planned_interventions[0].status is InterventionStatus.PLANNED
    # The consent given 400 days ago has ended; the other two are there, neither travels.
    assert [c.kind for c in package.consents] == [
        ConsentKind.AF_DISCLOSURE,
        ConsentKind.DUA_INFORMATION_EXCHANGE,
    ]
    assert not any(c.travels for c in package.consents)
    assert "lämna ut information till kommunen" in package.consents[0].note
    assert package.kaa_entry is not None
    assert package.kaa_entry.occupation == "municipal-intervention"


def test_what_the_policy_withholds_stays_out_and_is_named_with_the_reason() -> None:
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    # A lönebidrag reveals a disability: the default policy leaves it out, and says so.
    ids = {i.intervention_id for i in package.active_interventions}
    assert "INS-3" not in ids
    (withheld,) = package.withheld
    assert withheld.field == "interventions"
    assert "Det saknas lagstöd" in withheld.reason
    # AF's sets are not part of a handover at all (the enrolment is nowhere in it).
    assert not hasattr(package, "enrolment")


def test_a_withheld_kaa_register_is_named_not_guessed() -> None:
    case = _case(kaa_register=Answer.withheld("withheld upstream: no legal basis here"))
    package = build_handover(case, receiving_municipality=TO, on=ON)
    assert package.kaa_entry is None
    assert [w.field for w in package.withheld] == ["interventions", "kaa_entry"]
    assert "no legal basis here" in package.withheld[1].reason


def test_a_closed_kaa_entry_is_not_handed_over() -> None:
    entry = KaaRegisterEntry(
        ON - dt.timedelta(days=60),
        KaaEntryReason.LEFT_SCHOOL,
        closed_on=ON - dt.timedelta(days=1),
        close_reason="började studera",
    )
    package = build_handover(
        _case(kaa_register=Answer.known(entry)), receiving_municipality=TO, on=ON
    )
    assert package.kaa_entry is None


def test_a_role_without_a_handover_grant_is_denied() -> None:
    with pytest.raises(AccessDenied):
        build_handover(_case(), receiving_municipality=TO, on=ON, role=Role.STATISTICS)


def test_a_handover_to_the_sending_municipality_itself_is_refused_with_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        build_handover(_case(), receiving_municipality="1287", on=ON)
    assert caught.value.paths == ["receiving_municipality"]


def test_no_consent_kind_travels_and_each_says_why() -> None:
    for kind in ConsentKind:
        travels, why = consent_travels(kind)
        assert not travels
        assert "SKR" in why or "Dua" in why


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_serialised_and_read_back_on_the_receiving_side_it_is_equal(fmt: str) -> None:
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    dumps, loads = (
        (wire.dumps_json, wire.loads_json) if fmt == "json" else (wire.dumps_xml, wire.loads_xml)
    )
    for pretty in (False, True):
        data = dumps(package, pretty=pretty)
        back = loads(data)
        assert back == package
        # Withheld stays withheld after the trip.
        assert [w.field for w in back.withheld] == ["interventions"]


def test_the_identity_number_is_masked_in_repr_but_carried_on_the_wire() -> None:
    case = _case()
    package = build_handover(case, receiving_municipality=TO, on=ON)
    number = case.person.reveal()
    assert number not in repr(package)
    assert number[2:].replace("-", "") not in repr(package).replace("-", "")
    assert number in wire.dumps_json(package).decode()
    assert number in wire.dumps_xml(package).decode()


@cache
def _json_validator() -> jsonschema.Draft202012Validator:
    schema = stdjson.loads(
        (_schema_gen.SCHEMA_DIR / f"handover-{HANDOVER_VERSION}.schema.json").read_text()
    )
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _xsd() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(
        (_schema_gen.SCHEMA_DIR / f"handover-{HANDOVER_VERSION}.xsd").read_text()
    )


def test_the_shipped_handover_schemas_are_generated_and_accept_what_is_written() -> None:
    files = _schema_gen.schema_files()
    assert f"handover-{HANDOVER_VERSION}.schema.json" in files
    assert f"handover-{HANDOVER_VERSION}.xsd" in files
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    _json_validator().validate(stdjson.loads(wire.dumps_json(package)))
    _xsd().validate(wire.dumps_xml(package))


@settings(max_examples=60)
@given(ss.handover_packages())
def test_any_package_round_trips_through_json_and_xml_and_fits_the_schemas(
    package: HandoverPackage,
) -> None:
    assert wire.loads_json(wire.dumps_json(package)) == package
    assert wire.loads_xml(wire.dumps_xml(package)) == package
    _json_validator().validate(stdjson.loads(wire.dumps_json(package)))
    _xsd().validate(wire.dumps_xml(package))


def _doc() -> dict[str, object]:
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    loaded: dict[str, object] = stdjson.loads(wire.dumps_json(package))
    return loaded


def test_an_unknown_field_is_refused_with_its_path() -> None:
    doc = _doc()
    body = doc["handover"]
    assert isinstance(body, dict)
    body["salary"] = 1
    body["planned_interventions"][0]["colour"] = "red"
    with pytest.raises(ValidationError) as caught:
        wire.loads_json(stdjson.dumps(doc))
    assert sorted(caught.value.paths) == [
        "handover.planned_interventions[0].colour",
        "handover.salary",
    ]


def test_every_problem_is_reported_with_its_path_and_nothing_is_coerced() -> None:
    doc = _doc()
    body = doc["handover"]
    assert isinstance(body, dict)
    body["prepared_on"] = "7 oktober"
    body["planned_interventions"][0]["extent"] = "50"
    body["consents"][0]["travels"] = "no"
    del body["receiving_municipality"]
    with pytest.raises(ValidationError) as caught:
        wire.loads_json(stdjson.dumps(doc))
    assert sorted(caught.value.paths) == [
        "handover.consents[0].travels",
        "handover.planned_interventions[0].extent",
        "handover.prepared_on",
        "handover.receiving_municipality",
    ]


def test_a_code_not_in_its_list_is_refused_on_the_receiving_side() -> None:
    doc = _doc()
    body = doc["handover"]
    assert isinstance(body, dict)
    body["kaa_entry"]["occupation"] = "astronaut"
    with pytest.raises(ValidationError) as caught:
        wire.loads_json(stdjson.dumps(doc))
    assert caught.value.paths == ["handover.kaa_entry.occupation"]


def test_an_xml_element_outside_the_namespace_or_of_another_version_is_refused() -> None:
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    text = wire.dumps_xml(package).decode()
    foreign = text.replace("<prepared_on>", '<x:note xmlns:x="urn:other">hi</x:note><prepared_on>')
    with pytest.raises(ValidationError):
        wire.loads_xml(foreign)
    unknown = text.replace("<prepared_on>", "<salary>1</salary><prepared_on>")
    with pytest.raises(ValidationError) as caught:
        wire.loads_xml(unknown)
    assert caught.value.paths == ["handover.salary"]
    with pytest.raises(ValidationError):
        wire.loads_xml(text.replace('packageVersion="1.0.0"', 'packageVersion="1.1.0"'))
    case_doc = text.replace(wire.NAMESPACE, "urn:ssbx:case:1")
    with pytest.raises(ValidationError):
        wire.loads_xml(case_doc)


def test_a_package_of_another_major_version_is_refused() -> None:
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(package, package_version="2.0.0")
    assert caught.value.paths == ["package_version"]


def test_a_deployment_may_withhold_consents_from_a_handover() -> None:
    text = POLICY_FILE.read_text(encoding="utf-8")
    header = "[grant.arbetskonsulent.handover.sets]\n"
    start = text.index(header) + len(header)
    assert text[start:].startswith("consents = ")
    end = text.index("\n", start)
    policy = parse_policy(tomllib.loads(text[:start] + text[end + 1 :]))
    package = build_handover(_case(), receiving_municipality=TO, on=ON, policy=policy)
    assert package.consents == ()
    assert "consents" in [w.field for w in package.withheld]


def test_the_default_policy_grants_the_handover_purpose_only_what_it_needs() -> None:
    sets = default_policy().permitted_sets(Role.EMPLOYMENT_OFFICER, Purpose.HANDOVER)
    assert sets == {InformationSet.CONSENTS, InformationSet.KAA_REGISTER}


def test_a_planned_intervention_is_not_accepted_as_active() -> None:
    package = build_handover(_case(), receiving_municipality=TO, on=ON)
    planned = package.planned_interventions[0]
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(package, active_interventions=(planned,), planned_interventions=())
    assert caught.value.paths == ["active_interventions[0].status"]
