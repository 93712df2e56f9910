"""The data-case format (ssbx_model.rules.testcases): strict reading, [defaults], builders."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssbx_model.calendar import Period
from ssbx_model.errors import ValidationError
from ssbx_model.information import Answer, ConsentKind, InterventionStatus, MeasureAnswer
from ssbx_model.purpose import Purpose
from ssbx_model.rules import testcases
from ssbx_model.testing import factories as f

CASES_DIR = Path(__file__).parent / "rules" / "cases"
FILES = sorted(CASES_DIR.glob("*.toml"))
ON = dt.date(2024, 5, 15)

# One eligible skat15 person, the start of every case below (see tests/rules/cases/skat15.toml).
BASE = """
rule = "skat15"
[[case]]
name = "the case"
on = 2024-05-15
birth = 2004-03-10
registered_at_af = true
consultations = [{ on = 2024-03-20 }]
schooling = { compulsory = true }
studies = []
employment = []
programs = []
interventions = [{ type = "coachning", from = 2024-03-01, to = 2024-08-31 }]
consents = [{ kind = "dua-information-exchange", from = 2024-01-25, scope = ["labour-market"] }]
expect = { outcome = "eligible" }
"""


def problems_of(text: str) -> testcases.CaseFileError:
    with pytest.raises(testcases.CaseFileError) as info:
        testcases.load_text(text, source="t.toml")
    return info.value


def only_problem(text: str) -> testcases.CaseProblem:
    error = problems_of(text)
    assert len(error.case_problems) == 1, str(error)
    return error.case_problems[0]


def with_line(line: str, base: str = BASE) -> str:
    """The base case with ``line`` added before its expectation."""
    return base.replace(
        'expect = { outcome = "eligible" }', f'{line}\nexpect = {{ outcome = "eligible" }}'
    )


def test_the_base_case_loads_and_is_eligible() -> None:
    (rule_case,) = testcases.load_text(BASE, source="t.toml")
    assert testcases.run_case(rule_case).ok


# -- wrong types: nothing is converted ---------------------------------------------------------


def test_a_consent_given_as_the_text_false_is_an_error_not_a_consent() -> None:
    text = BASE.replace(
        'scope = ["labour-market"] }', 'scope = ["labour-market"], given = "false" }'
    )
    problem = only_problem(text)
    assert (problem.source, problem.case, problem.case_name) == ("t.toml", 0, "the case")
    assert problem.path == "consents[0].given"
    assert problem.message == 'expected true or false, got the text "false"'
    error = problems_of(text)
    assert error.paths == ["t.toml.case[0].consents[0].given"]
    assert str(error) == (
        't.toml case[0] "the case" consents[0].given: expected true or false, got the text "false"'
    )
    assert isinstance(error, ValidationError)


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "registered_at_af = true",
            "registered_at_af = 1",
            "registered_at_af",
            "expected true or false, got the number 1",
        ),
        (
            "schooling = { compulsory = true }",
            'schooling = { compulsory = "yes" }',
            "schooling.compulsory",
            'expected true or false, got the text "yes"',
        ),
        (
            "consultations = [{ on = 2024-03-20 }]",
            'consultations = [{ on = "2024-03-20" }]',
            "consultations[0].on",
            'expected a date (YYYY-MM-DD), got the text "2024-03-20"',
        ),
        (
            "consultations = [{ on = 2024-03-20 }]",
            "consultations = [{ on = 2024-03-20T09:00:00 }]",
            "consultations[0].on",
            "expected a date (YYYY-MM-DD), got the date and time 2024-03-20T09:00:00",
        ),
        (
            "to = 2024-08-31 }]",
            "to = 2024-08-31, extent = true }]",
            "interventions[0].extent",
            "expected a whole number, got true",
        ),
        (
            "to = 2024-08-31 }]",
            'to = 2024-08-31, extent = "50" }]',
            "interventions[0].extent",
            'expected a whole number, got the text "50"',
        ),
        (
            "to = 2024-08-31 }]",
            "to = 2024-08-31, id = 7 }]",
            "interventions[0].id",
            "expected a text, got the number 7",
        ),
        (
            'scope = ["labour-market"]',
            'scope = "labour-market"',
            "consents[0].scope",
            'expected an array of texts, got the text "labour-market"',
        ),
        (
            "studies = []",
            "studies = {}",
            "studies",
            "expected an array of tables, got a table",
        ),
        (
            "schooling = { compulsory = true }",
            "schooling = true",
            "schooling",
            "expected a table, got true",
        ),
        (
            "birth = 2004-03-10",
            'birth = "2004-03-10"',
            "birth",
            'expected a date (YYYY-MM-DD), got the text "2004-03-10"',
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_named_with_its_path(
    old: str, new: str, path: str, message: str
) -> None:
    assert old in BASE
    problem = only_problem(BASE.replace(old, new))
    assert (problem.case, problem.path, problem.message) == (0, path, message)


def test_a_whole_number_is_never_read_from_true_in_any_fact() -> None:
    text = with_line("job_guarantee_days = { days = true }")
    problem = only_problem(text)
    assert problem.path == "job_guarantee_days.days"
    assert problem.message == "expected a whole number, got true"


def test_an_extent_outside_1_to_100_percent_is_refused() -> None:
    problem = only_problem(BASE.replace("to = 2024-08-31 }]", "to = 2024-08-31, extent = 0 }]"))
    assert problem.path == "interventions[0].extent"
    assert problem.message == "expected a whole percent from 1 to 100, got the number 0"


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    problem = only_problem(BASE.replace("to = 2024-08-31 }]", "to = 2024-02-29 }]"))
    assert problem.path == "interventions[0].to"
    assert problem.message == "the last day 2024-02-29 is before the first day 2024-03-01"


# -- unknown keys ---------------------------------------------------------------------------------


def test_an_unknown_key_in_a_fact_is_refused_at_its_path() -> None:
    problem = only_problem(
        BASE.replace(
            "consultations = [{ on = 2024-03-20 }]",
            'consultations = [{ on = 2024-03-20, with = "AF" }]',
        )
    )
    assert problem.path == "consultations[0].with"
    assert problem.message.startswith("unknown key(s) with; known: on, three_party, topic")


def test_an_unknown_key_of_a_case_is_refused() -> None:
    problem = only_problem(with_line("shoe_size = 42"))
    assert problem.path == "shoe_size"
    assert problem.message.startswith("unknown key; known keys: ")
    assert "registered_at_af" in problem.message


def test_an_unknown_top_level_key_is_refused() -> None:
    problem = only_problem("defualts = {}\n" + BASE)
    assert (problem.case, problem.path) == (None, "defualts")
    assert problem.message == "unknown top-level key; known: case, defaults, description, rule"


# -- codes from the dated code lists -------------------------------------------------------------


def test_a_code_not_in_its_list_is_refused_with_the_valid_codes() -> None:
    problem = only_problem(BASE.replace('type = "coachning"', 'type = "coaching"'))
    assert problem.path == "interventions[0].type"
    assert problem.message.startswith(
        "expected a code of code list 'intervention-type' valid on 2024-03-01 ("
    )
    assert "coachning" in problem.message
    assert problem.message.endswith('got the text "coaching"')


def test_a_code_used_before_its_list_says_it_existed_is_refused() -> None:
    # ETABL (etableringsprogrammet) is in the af-program list from 2018-01-01.
    text = BASE.replace("programs = []", 'programs = [{ program = "ETABL", from = 2017-12-31 }]')
    problem = only_problem(text)
    assert problem.path == "programs[0].program"
    assert "valid on 2017-12-31" in problem.message
    assert problem.message.endswith(
        'got the text "ETABL" (that code is valid 2018-01-01 to open-ended)'
    )
    # Its first day is accepted.
    testcases.load_text(text.replace("2017-12-31", "2018-01-01"), source="t.toml")


def test_check_code_dates_false_checks_only_that_the_code_is_in_its_list() -> None:
    text = BASE.replace("programs = []", 'programs = [{ program = "ETABL", from = 2017-12-31 }]')
    (rule_case,) = testcases.load_text(with_line("check_code_dates = false", text))
    (decision,) = rule_case.case.program_decisions.items()
    assert decision.program == "ETABL"
    unknown = text.replace('"ETABL"', '"ETABLX"')
    problem = only_problem(with_line("check_code_dates = false", unknown))
    assert problem.message.startswith("expected a code of code list 'af-program' (")


def test_a_consent_kind_that_is_not_one_of_the_kinds_is_refused() -> None:
    problem = only_problem(BASE.replace('kind = "dua-information-exchange"', 'kind = "dua"'))
    assert problem.path == "consents[0].kind"
    assert problem.message == (
        "expected one of af-disclosure, municipal-e-service, dua-information-exchange, "
        'got the text "dua"'
    )


def test_an_unknown_information_set_in_a_status_key_is_refused() -> None:
    problem = only_problem(with_line('unavailable = ["enrolments"]'))
    assert problem.path == "unavailable[0]"
    assert problem.message.startswith("expected an information set (")
    assert problem.message.endswith('got the text "enrolments"')


# -- dates that are not dates ---------------------------------------------------------------------


def test_a_date_that_does_not_exist_is_a_toml_error_naming_the_file() -> None:
    problem = only_problem(BASE.replace("on = 2024-05-15", "on = 2023-02-29"))
    assert (problem.source, problem.case, problem.path) == ("t.toml", None, "")
    assert problem.message.startswith("is not valid TOML")


def test_the_reference_date_must_be_a_date() -> None:
    problem = only_problem(BASE.replace("on = 2024-05-15", 'on = "2024-05-15"'))
    assert problem.path == "on"
    assert problem.message == 'expected a date (YYYY-MM-DD), got the text "2024-05-15"'


def test_a_leap_day_is_a_date_like_any_other() -> None:
    (rule_case,) = testcases.load_text(BASE.replace("on = 2024-05-15", "on = 2024-02-29"))
    assert rule_case.on == dt.date(2024, 2, 29)


# -- expectations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expect", "path", "message"),
    [
        (
            '{ outcome = "maybe" }',
            "expect.outcome",
            'expected one of eligible, not_eligible, unknown, got the text "maybe"',
        ),
        (
            "{ outcome = true }",
            "expect.outcome",
            "expected one of eligible, not_eligible, unknown, got true",
        ),
        ('{ reasons = ["skat15.age.in-band"] }', "expect.outcome", "is required"),
        (
            '{ outcome = "eligible", reason = ["skat15.age.in-band"] }',
            "expect.reason",
            "unknown key; known: missing, not_reasons, notices, outcome, reasons",
        ),
        (
            '{ outcome = "eligible", reasons = ["kaa.age.under-limit"] }',
            "expect.reasons[0]",
            'expected a reason code of this rule (skat15....), got the text "kaa.age.under-limit"',
        ),
        (
            '{ outcome = "eligible", not_reasons = "skat15.no-consent" }',
            "expect.not_reasons",
            'expected an array of reason codes, got the text "skat15.no-consent"',
        ),
        (
            '{ outcome = "unknown", missing = ["enrolments"] }',
            "expect.missing[0]",
            "expected an information set",
        ),
        (
            '{ outcome = "eligible", notices = [1] }',
            "expect.notices[0]",
            "expected a text, got the number 1",
        ),
    ],
)
def test_a_bad_expectation_is_named_with_its_path(expect: str, path: str, message: str) -> None:
    problem = only_problem(BASE.replace('expect = { outcome = "eligible" }', f"expect = {expect}"))
    assert problem.path == path
    assert problem.message.startswith(message)


def test_a_case_without_an_expectation_is_refused() -> None:
    problem = only_problem(BASE.replace('expect = { outcome = "eligible" }', ""))
    assert (problem.path, problem.message) == ("expect", "is required")


def test_an_unknown_rule_is_refused_where_it_is_named() -> None:
    problem = only_problem(BASE.replace('rule = "skat15"', 'rule = "skat16"'))
    assert (problem.case, problem.path) == (None, "rule")
    assert "skat16" in problem.message


def test_an_unknown_or_mistyped_parameter_is_refused() -> None:
    unknown = only_problem(with_line('parameters = { "skat15.nope" = 1 }'))
    assert unknown.path == 'parameters."skat15.nope"'
    assert "skat15.nope" in unknown.message
    mistyped = only_problem(with_line('parameters = { "consent.dua_validity_months" = "6" }'))
    assert mistyped.path == 'parameters."consent.dua_validity_months"'
    assert "must be a number" in mistyped.message
    dotted = only_problem(with_line("parameters = { consent.dua_validity_months = 6 }"))
    assert dotted.path == 'parameters."consent"'
    assert "quote a dotted name" in dotted.message


def test_every_problem_of_every_case_is_listed_at_once() -> None:
    first = BASE.replace("registered_at_af = true", "registered_at_af = 1")
    second = BASE.split("\n", 2)[2].replace('"the case"', '"the second"')
    second = second.replace("studies = []", "studies = [{ from = 2024-01-01, extent = 101 }]")
    error = problems_of(first + second)
    assert [(p.case, p.case_name, p.path) for p in error.case_problems] == [
        (0, "the case", "registered_at_af"),
        (1, "the second", "studies[0].extent"),
    ]


def test_an_identity_number_in_a_case_name_is_masked_in_the_error() -> None:
    text = BASE.replace('"the case"', '"about 200403102383"').replace(
        "registered_at_af = true", "registered_at_af = 1"
    )
    error = problems_of(text)
    assert "200403102383" not in str(error)
    assert "200403102383" not in repr(error.case_problems)


# -- two keys for one part of the case -----------------------------------------------------------


def test_two_keys_that_build_the_same_part_of_a_case_are_an_error() -> None:
    problem = only_problem(with_line('enrolment = { from = 2024-01-01, category = "15" }'))
    assert problem.path == "enrolment"
    assert problem.message == "states enrolment as registered_at_af does: keep one of them"
    status = only_problem(with_line('not_requested = ["studies"]'))
    assert status.message == "states studies as studies does: keep one of them"


# -- [defaults] -----------------------------------------------------------------------------------

DEFAULTS_FILE = """
rule = "skat15"

[defaults]
on = 2024-05-15
birth = 2004-03-10
registered_at_af = true
consultations = [{ on = 2024-03-20 }]
schooling = { compulsory = true }
studies = []
employment = []
programs = []
interventions = [{ type = "coachning", from = 2024-03-01, to = 2024-08-31 }]
consents = [{ kind = "dua-information-exchange", from = 2024-01-25, scope = ["labour-market"] }]

[[case]]
name = "as the defaults say"
expect = { outcome = "eligible" }

[[case]]
name = "in an AF program: not in the group"
programs = [{ program = "UGA", from = 2024-04-01 }]
expect = { outcome = "not_eligible", reasons = ["skat15.af-program"] }

[[case]]
name = "a deregistered enrolment replaces registered_at_af"
enrolment = { from = 2023-01-01, to = 2024-05-14 }
expect = { outcome = "not_eligible", reasons = ["skat15.not-registered-at-af"] }

[[case]]
name = "enrolment not requested replaces registered_at_af"
not_requested = ["enrolment"]
expect = { outcome = "unknown", missing = ["enrolment"] }
"""


def test_a_case_states_only_what_differs_from_the_defaults() -> None:
    cases = testcases.load_text(DEFAULTS_FILE, source="d.toml")
    assert [testcases.run_case(c).ok for c in cases] == [True, True, True, True]
    first, program, deregistered, not_requested = cases
    assert first.on == ON
    assert first.facts["registered_at_af"] is True
    # The case's value replaces the default's whole: one program, not the default's none.
    (decision,) = program.case.program_decisions.items()
    assert decision.program == "UGA"
    # A key that builds the same part replaces the default that builds it.
    assert "registered_at_af" not in deregistered.facts
    assert "registered_at_af" not in not_requested.facts
    assert not_requested.case.enrolment == Answer.not_requested()


def test_a_case_with_defaults_equals_the_case_spelled_out() -> None:
    spelled = BASE.replace('"the case"', '"as the defaults say"')
    (from_defaults, *_) = testcases.load_text(DEFAULTS_FILE, source="d.toml")
    (written_out,) = testcases.load_text(spelled, source="d.toml")
    assert from_defaults == attrs_evolve(written_out, facts=from_defaults.facts)
    assert dict(from_defaults.facts) == tomllib.loads(spelled)["case"][0]


def attrs_evolve(rule_case: testcases.RuleCase, **changes: Any) -> testcases.RuleCase:
    import attrs

    return attrs.evolve(rule_case, **changes)


@pytest.mark.parametrize("key", ["name", "description", "expect", "rule"])
def test_a_key_of_the_case_itself_cannot_be_a_default(key: str) -> None:
    text = DEFAULTS_FILE.replace("[defaults]\n", f'[defaults]\n{key} = "x"\n')
    problem = only_problem(text)
    assert (problem.case, problem.path) == (None, f"defaults.{key}")
    assert problem.message.startswith("cannot be a default: state it in ")


def test_a_bad_default_is_reported_once_at_its_path_in_defaults() -> None:
    text = DEFAULTS_FILE.replace("registered_at_af = true", 'registered_at_af = "true"')
    error = problems_of(text)
    # The two cases that replace registered_at_af still meet the bad default once.
    assert [(p.case, p.path) for p in error.case_problems] == [(0, "defaults.registered_at_af")]
    assert error.paths == ["t.toml.defaults.registered_at_af"]
    assert error.case_problems[0].message == 'expected true or false, got the text "true"'


def test_two_defaults_that_build_the_same_part_are_an_error() -> None:
    text = DEFAULTS_FILE.replace("studies = []\n", 'studies = []\nnot_requested = ["studies"]\n')
    problem = only_problem(text)
    assert problem.path == "defaults.not_requested"
    assert problem.message == "states studies as studies does: keep one of them"


def test_build_case_takes_defaults_as_python_values() -> None:
    base = {"birth": dt.date(2004, 3, 10), "registered_at_af": True, "studies": []}
    case = testcases.build_case({"unavailable": ["enrolment"]}, ON, defaults=base)
    assert case.enrolment.status.value == "unavailable"
    assert case.studies == Answer.absent()


# One pool of keys a skat15 case can state, each with the parts of the Case it builds.
POOL: dict[str, tuple[list[Any], frozenset[str]]] = {
    "on": ([ON, dt.date(2024, 6, 3)], frozenset({"<on>"})),
    "birth": ([dt.date(2004, 3, 10), dt.date(2005, 2, 28)], frozenset({"<person>"})),
    "registered_at_af": ([True, False], frozenset({"enrolment"})),
    "enrolment": (
        [{"from": dt.date(2024, 2, 1), "category": "15", "type": "kommuninsats"}],
        frozenset({"enrolment"}),
    ),
    "studies": ([[], [{"from": dt.date(2024, 1, 8)}]], frozenset({"studies"})),
    "employment": ([[]], frozenset({"employment"})),
    "schooling": ([{"compulsory": True}, {"compulsory": False}], frozenset({"schooling"})),
    "programs": (
        [[], [{"program": "UGA", "from": dt.date(2024, 4, 1)}]],
        frozenset({"program_decisions"}),
    ),
    "consultations": ([[{"on": dt.date(2024, 3, 20)}]], frozenset({"consultations"})),
    "parameters": ([{"consent.dua_validity_months": 6}], frozenset({"<parameters>"})),
}
STATUS_POOL = {
    "not_requested": [["enrolment"], ["studies", "employment"], ["consents"]],
    "unavailable": [["program_decisions"], ["schooling", "consultations"]],
}


def _parts(key: str, value: Any) -> frozenset[str]:
    return frozenset(value) if key in STATUS_POOL else POOL[key][1]


@st.composite
def tables(draw: st.DrawFn) -> dict[str, Any]:
    """Keys of one level (a case or [defaults]) that build different parts of a case."""
    chosen: dict[str, Any] = {}
    taken: set[str] = set()
    names = draw(st.permutations([*POOL, *STATUS_POOL]))
    for key in names[: draw(st.integers(0, len(names)))]:
        values = STATUS_POOL[key] if key in STATUS_POOL else POOL[key][0]
        value = draw(st.sampled_from(values))
        parts = _parts(key, value)
        if parts & taken:
            continue
        taken |= parts
        chosen[key] = value
    return chosen


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | int):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{ " + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + " }"


def _file(defaults: Mapping[str, Any], case: Mapping[str, Any]) -> str:
    lines = ['rule = "skat15"', "[defaults]"]
    lines += [f"{k} = {_toml(v)}" for k, v in defaults.items()]
    lines += ["[[case]]", 'name = "c"', 'expect = { outcome = "unknown" }']
    lines += [f"{k} = {_toml(v)}" for k, v in case.items()]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(tables(), tables())
def test_defaults_and_the_case_spelled_out_build_equal_cases(
    defaults: dict[str, Any], own: dict[str, Any]
) -> None:
    defaults.setdefault("on", ON)
    defaults.setdefault("birth", dt.date(2004, 3, 10))
    # Spelled out by hand: the case's keys replace the defaults' key by key, and every
    # default that builds a part the case states.
    stated = {part for key, value in own.items() for part in _parts(key, value)}
    spelled = {
        k: v for k, v in {**defaults, **own}.items() if k in own or not _parts(k, v) & stated
    }
    (with_defaults,) = testcases.load_text(_file(defaults, own), source="d.toml")
    (written_out,) = testcases.load_text(_file({}, spelled), source="d.toml")
    assert with_defaults.case == written_out.case
    assert with_defaults.on == written_out.on
    assert with_defaults.parameters == written_out.parameters
    own_facts = {k: v for k, v in with_defaults.facts.items() if k not in ("name", "expect")}
    assert own_facts == spelled


# -- every built-in file, the module's own example ----------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_built_in_case_file_loads(path: Path) -> None:
    cases = testcases.load_file(path)
    assert cases
    for rule_case in cases:
        assert {"on", "birth"} <= set(rule_case.facts), rule_case.name


def test_the_module_documentation_example_loads_and_passes() -> None:
    doc = testcases.__doc__ or ""
    example = doc.split("expected::\n\n", 1)[1].split("\n\n**[defaults]**", 1)[0]
    text = "\n".join(line.removeprefix("    ") for line in example.splitlines())
    results = [testcases.run_case(c) for c in testcases.load_text(text, source="doc")]
    assert len(results) == 2
    assert all(r.ok for r in results), [r.failures for r in results]


# -- a vendor's own fact --------------------------------------------------------------------------


def _home(value: Any, ctx: testcases.FactContext) -> dict[str, Any]:
    t = ctx.table(value, ("code", "since"))
    ctx.date(t, "since", "")
    return {"municipality": ctx.text(t, "code", "")}


def test_a_vendor_fact_reads_strictly_through_the_context_helpers() -> None:
    testcases.register_fact("home", _home, replace=True)
    assert "home" in testcases.fact_names()
    text = with_line('home = { code = "0180", since = 2020-01-01 }')
    (rule_case,) = testcases.load_text(text)
    assert rule_case.case.municipality == "0180"
    problem = only_problem(with_line("home = { code = 180, since = 2020-01-01 }"))
    assert (problem.path, problem.message) == ("home.code", "expected a text, got the number 180")
    problem = only_problem(with_line('home = { code = "0180" }'))
    assert (problem.path, problem.message) == ("home.since", "is required")
    # A vendor fact can be a default like any other.
    in_defaults = DEFAULTS_FILE.replace(
        "[defaults]\n", '[defaults]\nhome = { code = "0180", since = 2020-01-01 }\n'
    )
    assert {c.case.municipality for c in testcases.load_text(in_defaults)} == {"0180"}


def test_a_vendor_cannot_take_a_key_of_the_format() -> None:
    for name in ("birth", "defaults", "not_requested", "check_code_dates"):
        with pytest.raises(ValueError, match="reserved"):
            testcases.register_fact(name, _home)


def test_describe_says_what_a_value_is() -> None:
    values: list[object] = [True, 5, 2.5, "x", dt.date(2024, 2, 29), [], {}, None]
    assert [testcases.describe(v) for v in values] == [
        "true",
        "the number 5",
        "the number 2.5",
        'the text "x"',
        "the date 2024-02-29",
        "an array",
        "a table",
        "nothing",
    ]


# -- the factories the case format builds with ---------------------------------------------------


def test_a_consent_factory_builds_refusals_withdrawals_and_open_consents() -> None:
    given_on = dt.date(2024, 1, 15)
    usual = f.consent(given_on)
    assert usual.validity == Period(given_on, dt.date(2024, 7, 14))
    assert usual.registered_on == given_on
    refusal = f.consent(given_on, given=False, registered=False)
    assert (refusal.given, refusal.validity.end, refusal.registered_on) == (False, None, None)
    withdrawal = f.consent(given_on, given=False, withdraws="S-1", reference="S-2")
    assert withdrawal.withdraws == "S-1"
    assert f.consent(given_on, months=None).validity.end is None
    assert f.consent(given_on, end=dt.date(2024, 12, 31)).validity.end == dt.date(2024, 12, 31)
    dua = f.consent(
        given_on, kind=ConsentKind.DUA_INFORMATION_EXCHANGE, scope=(Purpose.LABOUR_MARKET,)
    )
    assert dua.channel.value == "in-person"


def test_the_municipality_factories_follow_the_statute_s_records() -> None:
    support = f.income_support_decision(dt.date(2024, 1, 31))
    assert support.period == Period(dt.date(2024, 1, 31), dt.date(2024, 2, 28))
    assert support.decided_on == dt.date(2024, 1, 31)
    answered = f.intervention_consultation(ON)
    assert answered.answered_on == ON
    pending = f.intervention_consultation(ON, answer=MeasureAnswer.NOT_ANSWERED)
    assert pending.answered_on is None
    planned = f.municipal_intervention(Period(ON, None), status=InterventionStatus.PLANNED)
    assert planned.period.end is None
    with pytest.raises(TypeError, match="status= or on="):
        f.municipal_intervention(ON)


def test_the_program_factory_builds_open_decisions_without_activities() -> None:
    decision = f.program_decision(Period(ON, None), program="UGA", activities=())
    assert (decision.period.end, decision.activities, decision.decided_on) == (None, (), ON)
    filled = f.program_decision(ON, days=10)
    (activity,) = filled.activities
    assert activity.period == Period(ON, ON + dt.timedelta(days=9))


def test_the_kaa_and_employer_factories() -> None:
    entry = f.kaa_register_entry(ON, closed_on=dt.date(2024, 6, 1))
    assert entry.close_reason == "closed"
    check = f.employer_check(
        "556677-8899",
        checked_on=ON,
        payment_remarks=[f.payment_remark(ON, 500)],
        owners=[f.owner(trading_ban=True)],
        union_approval=f.union_approval(ON),
    )
    assert check.payment_remarks is not None
    assert check.payment_remarks[0].amount_sek == 500
    assert check.owners[0].significant_influence
    assert f.sius_support(ON, as_of=ON).active
    assert not f.sius_support(ON, as_of=ON - dt.timedelta(days=1)).active
    assert f.person_born(dt.date(2000, 2, 29), coordination_number=True).birth_date == dt.date(
        2000, 2, 29
    )


HOWTO = Path(__file__).parents[1] / "docs" / "howto" / "add-a-target-group.md"


def test_the_how_to_s_data_cases_load_and_pass() -> None:
    section = HOWTO.read_text(encoding="utf-8").split("## 4. Data cases", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    results = [testcases.run_case(c) for c in testcases.load_text(example, source="howto")]
    assert len(results) == 3
    assert all(r.ok for r in results), [r.failures for r in results]


def test_the_how_to_s_vendor_fact_builds_permits() -> None:
    section = HOWTO.read_text(encoding="utf-8").split("## 4. Data cases", 1)[1]
    code = section.split("```python\n")[2].split("```", 1)[0]
    exec(compile(code, str(HOWTO), "exec"), {})  # registers the fact "permits"
    facts = {
        "birth": dt.date(1990, 1, 1),
        "permits": [{"kind": "PUT", "from": dt.date(2020, 1, 1)}],
    }
    (permit,) = testcases.build_case(facts, ON).permits.items()
    assert (permit.permit_type, permit.allows_work) == ("PUT", True)
    with pytest.raises(ValidationError, match=r"permits\[0\]\.allows_work"):
        testcases.build_case(
            {**facts, "permits": [{"kind": "PUT", "from": ON, "allows_work": "yes"}]}, ON
        )


@pytest.mark.parametrize(
    ("line", "path", "code_list"),
    [
        (
            'enrolment = { from = 2024-01-01, category = "99" }',
            "enrolment.category",
            "applicant-category",
        ),
        (
            'enrolment = { from = 2024-01-01, to = 2024-03-01, reason = "bored" }',
            "enrolment.reason",
            "deregistration-reason",
        ),
        (
            'consultations = [{ on = 2024-03-20, topic = "skat15" }]',
            "consultations[0].topic",
            "consultation-topic",
        ),
        (
            'programs = [{ program = "NOPE", from = 2024-01-01 }]',
            "programs[0].program",
            "af-program",
        ),
        (
            'interventions = [{ from = 2024-03-01, to = 2024-04-30, inuk_category = "x" }]',
            "interventions[0].inuk_category",
            "inuk-category",
        ),
        (
            (
                'interventions = [{ from = 2024-03-01, to = 2024-04-30, status = "ended", '
                'result = "x" }]'
            ),
            "interventions[0].result",
            "intervention-result",
        ),
        (
            'disability_codes = [{ code = "x", registered = 2024-01-01 }]',
            "disability_codes[0].code",
            "disability-code",
        ),
        (
            'job_guarantee_days = { days = 1, history = [{ program = "X", from = 2024-01-01 }] }',
            "job_guarantee_days.history[0].program",
            "af-program",
        ),
    ],
)
def test_every_coded_fact_is_checked_against_its_code_list(
    line: str, path: str, code_list: str
) -> None:
    key = line.split(" = ", 1)[0]
    text = "\n".join(row for row in BASE.splitlines() if not row.startswith(f"{key} = ")).replace(
        "registered_at_af = true", "" if key == "enrolment" else "registered_at_af = true"
    )
    problem = only_problem(with_line(line, text + "\n"))
    assert problem.path == path
    assert problem.message.startswith(f"expected a code of code list {code_list!r} valid on ")
