"""Issue 15, points 2 and 9: parameter values follow the statutes in force, and the
readings register lists every shipped value with a reading noted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ssbx_model.rules import evaluate, parameters, readings
from ssbx_model.rules.parameters import Parameter, ParameterValue
from ssbx_model.rules.statutes import Statute, citation_problems, statutes
from ssbx_model.testing import factories

PAGE = Path(__file__).parents[1] / "docs" / "explanation" / "limits-and-legal.md"


def _shipped() -> tuple[Parameter, ...]:
    return tuple(parameters.get(name) for name in parameters.names())


def test_every_shipped_value_applies_only_while_a_statute_it_cites_is_in_force() -> None:
    assert citation_problems(_shipped()) == []


def test_the_register_is_well_formed() -> None:
    register = statutes()
    assert len({s.marker for s in register}) == len(register)
    for statute in register:
        assert statute.end is None or statute.start <= statute.end, statute.title
    sol = next(s for s in register if s.marker == "(2001:453)")
    assert sol.end == dt.date(2025, 6, 30)
    new_sol = next(s for s in register if s.marker == "prop. 2024/25:89")
    assert new_sol.start == dt.date(2025, 7, 1)
    dua = next(s for s in register if s.marker == "(2015:502)")
    assert (dua.start, dua.end) == (dt.date(2015, 8, 3), dt.date(2023, 2, 28))


def _parameter(*values: tuple[dt.date, str]) -> Parameter:
    return Parameter(
        "test.p",
        "test",
        "test",
        "days",
        tuple(ParameterValue(start, 1, reference) for start, reference in values),
        "test",
    )


_REGISTER = (
    Statute("(1111:1)", "old law (1111:1)", dt.date(2000, 1, 1), dt.date(2020, 12, 31)),
    Statute("(2222:2)", "new law (2222:2)", dt.date(2021, 1, 1)),
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # The last day of the old law is covered; the day after is not.
        ([(dt.date(2000, 1, 1), "old law (1111:1)")], ["test.p.values[0]: applies on 2021-01-01"]),
        (
            [(dt.date(2000, 1, 1), "old law (1111:1)"), (dt.date(2021, 1, 1), "new law (2222:2)")],
            [],
        ),
        # A value that starts before the law it cites.
        ([(dt.date(1999, 12, 31), "old (1111:1) and new (2222:2)")], ["applies on 1999-12-31"]),
        # Both cited: the union covers every day.
        ([(dt.date(2000, 1, 1), "old (1111:1), from 2021 new (2222:2)")], []),
        # One day of the next value is the boundary.
        (
            [(dt.date(2000, 1, 1), "old law (1111:1)"), (dt.date(2021, 1, 2), "new law (2222:2)")],
            ["test.p.values[0]: applies on 2021-01-01"],
        ),
        ([(dt.date(2000, 1, 1), "an unknown ordinance (3333:3)")], ["not in the statute register"]),
        ([(dt.date(1900, 1, 1), "no statute cited")], []),
    ],
)
def test_a_value_outliving_the_statute_it_cites_is_reported(
    values: list[tuple[dt.date, str]], expected: list[str]
) -> None:
    found = [str(p) for p in citation_problems((_parameter(*values),), _REGISTER)]
    assert len(found) == len(expected)
    for text, part in zip(found, expected, strict=True):
        assert part in text


def test_the_category_15_age_band_rests_on_the_ordinance_and_then_on_duas_routine() -> None:
    before = parameters.get("skat15.age.max").at(dt.date(2023, 2, 28))
    after = parameters.get("skat15.age.max").at(dt.date(2023, 3, 1))
    assert before is not None
    assert after is not None
    assert "(2015:502)" in before.reference
    assert "(2015:502)" not in after.reference
    assert after.note is not None
    assert "SFS 2023:23" in after.note
    case = factories.young_person_case(on=dt.date(2023, 3, 1), age=19)
    decision = evaluate(case, "skat15", dt.date(2023, 3, 1))
    assert decision.parameters["skat15.age.max"] == 24


def test_the_committed_readings_register_is_up_to_date() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert readings.BEGIN in page
    assert readings.splice(page) == page, (
        "the readings register is out of date: run "
        "`python -m ssbx_model.rules.readings --write docs/explanation/limits-and-legal.md`"
    )


def test_every_doubtful_value_carries_a_note_and_so_is_in_the_register() -> None:
    assert readings.doubtful_without_note() == []
    register = readings.render()
    for name in parameters.names():
        p = parameters.get(name)
        if p.note or any(v.note for v in p.values):
            assert f"`{name}`" in register


def _citations() -> list[tuple[str, str]]:
    """Every citation the library ships: parameter values, code lists and their entries,
    the access policy, and the rules' citations and reasons."""
    from ssbx_model import codes
    from ssbx_model.access import default_policy
    from ssbx_model.rules import rules

    found: list[tuple[str, str]] = []
    for name in parameters.names():
        for i, value in enumerate(parameters.get(name).values):
            found.append((f"{name}.values[{i}]", value.reference))
    for list_id in codes.available():
        code_list = codes.load(list_id)
        found.append((list_id, code_list.citation))
        found += [(f"{list_id}.{e.code}", e.citation) for e in code_list]
    policy = default_policy()
    found.append(("policy", policy.citation))
    for (role, purpose), grant in policy.grants.items():
        found.append((f"grant.{role.value}.{purpose.value}", grant.citation))
        found += [
            (f"grant.{role.value}.{purpose.value}.{w.value}", g.citation)
            for w, g in grant.sets.items()
        ]
    for rule in rules():
        found.append((rule.id, rule.citation))
    return found


def test_citations_name_public_documents_not_files_of_this_repository() -> None:
    bad = [where for where, text in _citations() if "seeds/" in text or ".sv.txt" in text]
    assert bad == []


def test_the_documentation_cites_public_documents_not_files_of_this_repository() -> None:
    """A reader of the docs cannot open `seeds/...`: pages name the public source."""
    root = Path(__file__).parents[1]
    pages = [*root.joinpath("docs").rglob("*.md"), root / "README.md"]
    bad = [
        f"{page.relative_to(root)}:{number}"
        for page in pages
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if "seeds/" in line or ".sv.txt" in line
    ]
    assert bad == []


def test_writing_the_register_into_a_missing_page_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-dir" / "limits-and-legal.md"
    with pytest.raises(SystemExit) as exited:
        readings.main(["--write", str(missing)])
    assert exited.value.code == 2
    assert "is not a file" in capsys.readouterr().err
    assert not missing.parent.exists()
