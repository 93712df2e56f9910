"""Identity-number leak probe: documents seeded with identity numbers in every free-text
position are rendered every way the library renders things (repr, str, format, %-style,
decisions and their JSON, filtered cases, audit events, report payloads and notices,
error messages, log records, the command line), and no seeded number may show in clear.

Two kinds of input: generated cases whose free text (names, reasons, descriptions, ids,
the case reference) holds the numbers, and documents where a number stands where a
reader refuses it and may echo it (a JSON key, an XML element, attribute or entity
name, a value of the wrong kind, a code, a schema version).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json as stdjson
import logging
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from codec_support import positions
from fuzz_support import (
    FORMS,
    SEEDED,
    assert_no_identity_shape,
    assert_no_seeded_number,
    error_texts,
    fuzz_settings,
    seed_free_text,
    seeded_texts,
)
from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from ssbx_model import codes
from ssbx_model.access import filter_case, parse_policy
from ssbx_model.audited import AuditedSource
from ssbx_model.case import Case
from ssbx_model.cli import main
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import SsbxError
from ssbx_model.information import AnswerStatus, InformationSet
from ssbx_model.memory import MemoryAuditLog, MemoryInformationSource
from ssbx_model.ports import FetchRequest, Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.reports import (
    HalfYear,
    InukMapping,
    Month,
    Year,
    build_inuk,
    build_kaa_scb,
    build_kolada,
    build_skat15,
    build_socialstyrelsen,
    example_mapping,
)
from ssbx_model.rules import Decision, evaluate, rule_ids
from ssbx_model.synth import generate
from ssbx_model.testing import strategies as ss

ON = dt.date(2024, 5, 15)
AT = dt.datetime(2024, 5, 15, 10, 0, tzinfo=dt.UTC)
KEYS = Pseudonymizer(b"leak-probe-key-0123456789abcdef")
PAIRS = (
    (Role.SOCIAL_WORKER, Purpose.SOCIAL_ASSISTANCE),
    (Role.EMPLOYMENT_OFFICER, Purpose.LABOUR_MARKET),
    (Role.STATISTICS, Purpose.STATISTICS),
)
_DIGITS = [f.replace("-", "").replace("+", "") for f in FORMS]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Callable[[], str]:
    """Every log record written while the test runs, formatted, with its arguments."""
    caplog.set_level(logging.DEBUG)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def text() -> str:
        return "\n".join(f"{formatter.format(r)} {r.args!r}" for r in caplog.records)

    return text


def _shown(value: object) -> str:
    return "\n".join([repr(value), str(value), f"{value}", "%s" % (value,), "%r" % (value,)])  # noqa: UP031


def _decision_texts(decision: Decision) -> str:
    parts = [_shown(decision), stdjson.dumps(decision.to_json(), ensure_ascii=False)]
    parts += [repr(r) for r in decision.reasons]
    parts += [repr(s) for s in decision.trace]
    parts.append(_shown(Decision.from_json(decision.to_json())))
    return "\n".join(parts)


def _report_texts(cases: list[Case], municipality: str, mapping: InukMapping) -> tuple[str, str]:
    """(the reports for statistics as written, the notices and errors of every report)."""
    month = Month(ON.year, ON.month - 1)
    statistics: list[str] = []
    messages: list[str] = []
    builders: list[tuple[bool, Callable[[], Any]]] = [
        (
            True,
            lambda: build_inuk(
                cases, month, municipality=municipality, pseudonymizer=KEYS, mapping=mapping
            ),
        ),
        (True, lambda: build_kolada(cases, Year(ON.year), municipality=municipality)),
        (False, lambda: build_skat15(cases, month, municipality=municipality)),
        (False, lambda: build_kaa_scb(cases, HalfYear(ON.year, 1), municipality=municipality)),
        # The two files that may carry the personnummer, in their pseudonymous reading:
        # then they are reports for statistics like INUK's.
        (
            True,
            lambda: build_kaa_scb(
                cases,
                HalfYear(ON.year, 1),
                municipality=municipality,
                parameters={"kaa_scb.person_key": "pseudonym"},
                pseudonymizer=KEYS,
            ),
        ),
        (
            True,
            lambda: build_socialstyrelsen(
                cases, month, municipality=municipality, pseudonymizer=KEYS
            ),
        ),
    ]
    for for_statistics, build in builders:
        try:
            report = build()
        except SsbxError as exc:
            event(f"a report refused: {type(exc).__name__}")
            messages.append(error_texts(exc))
            continue
        event(f"{report.kind.value}: {report.record_count > 0} records")
        messages += [_shown(n) for n in getattr(report, "excluded", ())]
        messages += [_shown(n) for n in getattr(report, "warnings", ())]
        if for_statistics:
            statistics += [report.to_json_bytes().decode(), report.to_csv().decode(), repr(report)]
    return "\n".join(statistics), "\n".join(messages)


_SEEDED_CASES = ss.cases(on=ON, max_interventions=2).map(seed_free_text)


@fuzz_settings()
@given(_SEEDED_CASES)
def test_every_rendering_of_a_case_with_numbers_in_its_free_text_masks_them(
    logs: Callable[[], str], case: Case
) -> None:
    assert seeded_texts(case)  # the probe has something to find
    where = "case"
    assert_no_seeded_number(_shown(case), where)
    for which, answer in case.answers():
        if answer.status is not AnswerStatus.KNOWN:  # a known answer's value is data
            assert_no_seeded_number(_shown(answer), f"the {which.value} answer")
    for rule in rule_ids():
        assert_no_seeded_number(_decision_texts(evaluate(case, rule, on=ON)), f"rule {rule}")
    for role, purpose in PAIRS:
        audit = MemoryAuditLog()
        filtered = filter_case(
            case,
            role=role,
            purpose=purpose,
            on=ON,
            audit=audit,
            requester=Requester(f"user-{role.value}", role, "1287"),
            pseudonymizer=KEYS,
            clock=lambda: AT,
        )
        assert_no_seeded_number(repr(filtered) + _shown(filtered.case), "a filtered case")
        assert_no_seeded_number(repr(audit.events()), "the audit trail")
    mapping = attrs.evolve(example_mapping(), municipality=case.municipality)
    _, messages = _report_texts([case], case.municipality, mapping)
    assert_no_seeded_number(messages, "a report's notices or errors")
    assert_no_seeded_number(logs(), "the log")


@fuzz_settings(0.5)
@given(_SEEDED_CASES, st.sampled_from(PAIRS))
def test_an_audited_fetch_of_a_case_with_numbers_in_its_free_text_masks_them(
    logs: Callable[[], str], case: Case, pair: tuple[Role, Purpose]
) -> None:
    role, purpose = pair
    audit = MemoryAuditLog()
    source = AuditedSource(
        MemoryInformationSource([case]), audit=audit, pseudonymizer=KEYS, clock=lambda: AT
    )
    request = FetchRequest(
        person=case.person,
        sets=frozenset(InformationSet),
        purpose=purpose,
        on=ON,
        requester=Requester(f"user-{role.value}", role, case.municipality),
    )
    filtered = source.fetch_filtered(request)
    assert_no_seeded_number(repr(filtered), "an audited fetch")
    assert_no_seeded_number(repr(audit.events()), "the audit trail of a fetch")
    assert_no_seeded_number(logs(), "the log")


def _keep_activity_names(seeded: Case, original: Case) -> Case:
    """``seeded`` with the activity names and INUK categories as generated: an unmapped
    name or an unknown category stops the INUK report, and the probe wants records."""
    interventions = tuple(
        attrs.evolve(s, local_name=o.local_name, inuk_category=o.inuk_category)
        for s, o in zip(seeded.interventions, original.interventions, strict=True)
    )
    return attrs.evolve(seeded, interventions=interventions)


@fuzz_settings(0.25)
@given(st.integers(0, 2**32))
def test_reports_of_a_municipality_with_numbers_in_its_free_text_carry_none(
    logs: Callable[[], str], seed: int
) -> None:
    town = generate(persons=30, seed=seed, on=ON)
    mapping = InukMapping(town.inuk_mapping, municipality=town.municipality)
    seeded = [seed_free_text(c) for c in town.cases]
    for cases in (
        seeded,
        [_keep_activity_names(s, o) for s, o in zip(seeded, town.cases, strict=True)],
    ):
        statistics, messages = _report_texts(cases, town.municipality, mapping)
        assert_no_seeded_number(statistics, "a report for statistics")
        assert_no_seeded_number(messages, "a report's notices or errors")
    assert_no_seeded_number(logs(), "the log")


# -- numbers where a reader refuses them --------------------------------------------------------


def _read_every_way(data: bytes, xml: bool) -> list[SsbxError]:
    """The errors of every reader of the format (a reader that accepts adds none)."""
    readers: list[Callable[[bytes], object]] = (
        [cx.loads, cx.loads_many, lambda d: list(cx.iter_results(io.BytesIO(d)))]
        if xml
        else [cj.loads, cj.loads_many, lambda d: list(cj.iter_results(io.BytesIO(d)))]
    )
    errors: list[SsbxError] = []
    for read in readers:
        try:
            result = read(data)
        except SsbxError as exc:
            errors.append(exc)
            continue
        if isinstance(result, list):
            errors += [r for r in result if isinstance(r, SsbxError)]
    return errors


def _assert_errors_clean(data: bytes, xml: bool) -> None:
    for exc in _read_every_way(data, xml):
        assert_no_identity_shape(error_texts(exc), f"{type(exc).__name__} of a refused document")


@st.composite
def _json_with_numbers_in_refused_places(draw: st.DrawFn) -> bytes:
    document = stdjson.loads(cj.dumps(draw(_SEEDED_CASES)))
    digits = draw(st.sampled_from(_DIGITS))
    form = draw(st.sampled_from(FORMS))
    for _ in range(draw(st.integers(1, 3))):
        spots = [(c, k) for c, k in positions(document, []) if isinstance(c, dict)]
        container, key = draw(st.sampled_from(spots))
        edit = draw(st.sampled_from(["key", "key", "string", "number", "prefix"]))
        if edit == "key":
            container[draw(st.sampled_from([digits, form, f"x{digits}", f"{key}{digits}"]))] = (
                container.pop(key)
            )
        elif edit == "string":
            container[key] = draw(st.sampled_from([form, f"x{form}", f"{form} x"]))
        elif edit == "number":
            container[key] = int(digits)
        else:
            container[key] = {"status": form, "value": form, digits: form}
    return stdjson.dumps(document, ensure_ascii=False).encode()


@fuzz_settings()
@given(_json_with_numbers_in_refused_places())
def test_json_refused_for_a_number_in_a_key_or_value_names_no_number(data: bytes) -> None:
    _assert_errors_clean(data, xml=False)


@st.composite
def _xml_with_numbers_in_refused_places(draw: st.DrawFn) -> bytes:
    root = etree.fromstring(cx.dumps_many([draw(_SEEDED_CASES)]))
    digits = draw(st.sampled_from(_DIGITS))
    form = draw(st.sampled_from(FORMS))
    namespace = root.tag.split("}")[0] + "}"
    for _ in range(draw(st.integers(1, 3))):
        el = draw(st.sampled_from(list(root.iter())))
        edit = draw(st.sampled_from(["tag", "tag", "foreign", "attribute", "text", "child"]))
        if edit == "tag":
            el.tag = f"{namespace}{draw(st.sampled_from(['x', 'case', 'value']))}{digits}"
        elif edit == "foreign":
            el.tag = f"{{urn:x:{digits}}}x{digits}"
        elif edit == "attribute":
            el.set(draw(st.sampled_from([f"a{digits}", "schemaVersion"])), form)
        elif edit == "text":
            el.text = form
        else:
            etree.SubElement(el, f"{namespace}n{digits}").text = form
    return etree.tostring(root)


@fuzz_settings()
@given(_xml_with_numbers_in_refused_places())
def test_xml_refused_for_a_number_in_a_name_or_value_names_no_number(data: bytes) -> None:
    _assert_errors_clean(data, xml=True)


_HEAD = 'xmlns="urn:ssbx:case:1" schemaVersion="1.0.0"'
_D = _DIGITS[0]
_F = FORMS[1]


@pytest.mark.parametrize(
    "document",
    [
        f"<case {_HEAD}><a{_D}></b{_D}></case>",
        f"<case {_HEAD}>&e{_D};</case>",
        f"<case {_HEAD}><x:y{_D} xmlns:x='urn:{_D}'/></case>",
        f"<case {_HEAD}><u:v{_D}/></case>",
        f"<case {_HEAD} a{_D}='1' a{_D}='2'/>",
        f"<case {_HEAD}><?p{_D} x?></case>",
        f"<c{_D} {_HEAD}/>",
        f'<case xmlns="urn:ssbx:case:1" schemaVersion="{_F}"/>',
        f'<case xmlns="urn:{_D}" schemaVersion="1.0.0"/>',
        f"<case {_HEAD}><person>{_F}</person><municipality>{_D}</municipality></case>",
        f"<case {_HEAD}><!DOCTYPE x{_D}></case>",
        f"<case {_HEAD}><x{_D}>",
        f"<case {_HEAD}>{_F}</case>",
        f"<{_D}/>",
    ],
)
def test_hand_written_xml_with_a_number_in_a_refused_place_names_no_number(
    document: str,
) -> None:
    data = document.encode()
    errors = _read_every_way(data, xml=True) + _read_every_way(
        data.replace(b"<case ", b"<cases ", 1), xml=True
    )
    assert errors  # every one of these is refused
    for exc in errors:
        assert_no_identity_shape(error_texts(exc), type(exc).__name__)


@pytest.mark.parametrize(
    "document",
    [
        (
            f'{{"schema_version": "1.0.0", "case": {{"person": "{_F}", "municipality": "1287", '
            f'"x{_D}": 1}}}}'
        ),
        f'{{"schema_version": "{_F}", "case": {{}}}}',
        f'{{"schema_version": "1.0.0", "{_D}": 1, "{_D}": 2, "case": {{}}}}',
        f'{{"schema_version": "1.0.0", "case": {{"person": "{_D}x", "municipality": "{_D}"}}}}',
        (
            f'{{"schema_version": "1.0.0", "case": {{"person": {_D}, "municipality": "1287", '
            f'"enrolment": {{"status": "{_F}"}}}}}}'
        ),
        (
            f'{{"schema_version": "1.0.0", "case": {{"person": "{_F}", "municipality": "1287", '
            f'"reference": "{_F}"}}}}'
        ),
        f'{{"schema_version": "1.0.0", "case": {{"person": "{_F}", {_D}}}}}',
        f'{{"schema_version": "1.0.0", "case": {{"person": "{_F}", "municipality": "1287"}}}} {_D}',
        (
            f'{{"schema_version": "1.0.0", "case": {{"person": "{_F}", "municipality": "1287", '
            f'"income": {{"status": "known", "value": [{{"year": {_D}, "amount_sek": 1e{_D}, '
            f'"source": "{_F}"}}]}}}}}}'
        ),
    ],
)
def test_hand_written_json_with_a_number_in_a_refused_place_names_no_number(
    document: str,
) -> None:
    data = document.encode()
    errors = _read_every_way(data, xml=False)
    assert errors
    for exc in errors:
        assert_no_identity_shape(error_texts(exc), type(exc).__name__)


def _errors_of(*calls: Callable[[], object]) -> list[SsbxError]:
    found = []
    for call in calls:
        with pytest.raises(SsbxError) as caught:
            call()
        found.append(caught.value)
    return found


def test_looking_up_a_number_as_a_code_a_list_a_rule_or_a_policy_names_no_number() -> None:
    case = Case(person=SEEDED[0], municipality="1287")
    calls: list[Callable[[], object]] = [partial(codes.load, form) for form in FORMS[:2]]
    for list_id in codes.available():
        calls += [partial(codes.load(list_id).get, form, on=ON) for form in FORMS[:3]]
    calls += [
        lambda: evaluate(case, FORMS[0], on=ON),
        lambda: evaluate(case, "skat15", on=ON, parameters={f"x{_D}": 1}),
        lambda: parse_policy({"grant": {_D: {FORMS[0]: {"citation": _F}}}}),
        lambda: parse_policy({f"k{_D}": 1}),
    ]
    for exc in _errors_of(*calls):
        assert_no_identity_shape(error_texts(exc), type(exc).__name__)


# -- the command line -------------------------------------------------------------------------

_MAPPING = resources.files("ssbx_model.reports").joinpath("data/inuk-mapping.example.toml")


@fuzz_settings(0.25)
@given(st.lists(_SEEDED_CASES, min_size=1, max_size=3))
def test_the_command_line_prints_no_number_from_free_text(
    tmp_path_factory: pytest.TempPathFactory, cases: list[Case]
) -> None:
    folder: Path = tmp_path_factory.mktemp("cli")
    lines, document, broken = folder / "cases.jsonl", folder / "cases.xml", folder / "bad.xml"
    cj.dump_lines(cases, lines)
    cx.dump_many(cases, document)
    broken.write_bytes(cx.dumps_many(cases).replace(b"<person>", f"<p{_D}>".encode(), 1))
    (folder / "key").write_bytes(bytes(KEYS.key))
    mapping = _MAPPING.read_text(encoding="utf-8").replace('municipality = "1287"', "")
    (folder / "mapping.toml").write_text(mapping, encoding="utf-8")
    on = ["--on", ON.isoformat()]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        main(["validate", str(lines), str(document), str(broken)])
        main(["validate", "--format", "json", str(broken)])
        main(["evaluate", *on, "--format", "table", str(document)])
        main(["evaluate", *on, str(lines)])
        main(["explain", *on, "--rule", "skat15", str(document)])
        main(["explain", *on, "--rule", "uvas", "--format", "json", str(lines)])
        main(["report", "kolada", *on, "--out", str(folder / "kolada"), str(lines)])
        inuk = ["--key-file", str(folder / "key"), "--mapping", str(folder / "mapping.toml")]
        main(["report", "inuk", *on, *inuk, "--out", str(folder / "inuk"), str(lines)])
        for report in ("skat15", "kaa-scb"):  # their files carry data by design: not read
            main(["report", report, *on, "--out", str(folder / report), str(lines)])
    assert_no_seeded_number(out.getvalue(), "the command line's output")
    for report in ("kolada", "inuk"):  # reports for statistics
        if (folder / report).exists():
            text = (folder / report).read_text(encoding="utf-8")
            assert_no_seeded_number(text, f"the {report} report file")
