"""Tests of the code lists shipped as data files and of their loader."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model import codes
from ssbx_model.codes import (
    AF_PROGRAM,
    CodeEntry,
    CodeList,
    CodeNotValidError,
    UnknownAttributeError,
    UnknownCodeListError,
    available,
    load,
    load_file,
)
from ssbx_model.errors import UnknownCodeError, ValidationError

EXPECTED_LISTS = {
    codes.ACTIVITY_SUPPORT_TYPE,
    codes.ACTIVITY_SUPPORT_WITHDRAWAL_REASON,
    codes.AF_PROGRAM,
    codes.APPLICANT_CATEGORY,
    codes.DEREGISTRATION_REASON,
    codes.DISABILITY_CODE,
    codes.EMPLOYER_CHECK_GROUND,
    codes.INTERVENTION_TYPE,
    codes.INUK_CATEGORY,
    codes.PLANNING_MEETING_TYPE,
    codes.SPECIAL_INTERVENTION,
}
SHIPPED = sorted(available())

VALID_FILE = """\
[list]
id = "inuk-category"
version = "vendor-7"
title_sv = "INUK-kategori"
title_en = "INUK category"
owner = "Leverantör AB"
citation = "INUK's category list as given to the vendor"

[[entry]]
code = "P1"
label_sv = "Praktik"
label_en = "Placement"
valid_from = 2020-01-01
valid_to = 2022-12-31
citation = "INUK list, row 1"

[[entry]]
code = "P1"
label_sv = "Praktik (ny)"
label_en = "Placement (new)"
valid_from = 2023-01-01
citation = "INUK list, row 1, 2023 edition"
"""


def _write(tmp_path: Path, text: str, name: str = "list.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped lists -------------------------------------------------------------------


def test_every_expected_list_ships() -> None:
    assert set(available()) >= EXPECTED_LISTS


@pytest.mark.parametrize("list_id", SHIPPED)
def test_shipped_list_loads_with_metadata_and_cited_dated_entries(list_id: str) -> None:
    code_list = load(list_id)
    assert code_list.id == list_id
    assert code_list.version.strip()
    assert code_list.citation.strip()
    assert code_list.title_sv.strip()
    assert code_list.title_en.strip()
    assert code_list.owner.strip()
    assert code_list.entries
    for entry in code_list.entries:
        assert entry.citation.strip(), entry.code
        assert entry.label_sv.strip(), entry.code
        assert entry.label_en.strip(), entry.code
        assert isinstance(entry.valid_from, date)
        assert entry.valid_to is None or entry.valid_to >= entry.valid_from


def test_load_is_cached_and_membership_is_a_frozenset_lookup() -> None:
    assert load(AF_PROGRAM) is load(AF_PROGRAM)
    assert isinstance(load(AF_PROGRAM).codes, frozenset)
    assert "UGA" in load(AF_PROGRAM)
    assert "NOPE" not in load(AF_PROGRAM)


def test_unknown_list_id_names_the_available_lists() -> None:
    with pytest.raises(UnknownCodeListError, match="af-program"):
        load("no-such-list")


def test_activity_support_withdrawal_reasons_are_table_3_and_open_as_the_source_is() -> None:
    # Tabell 3 lists six reasons after "Exempel:": the list is open, with "other" (AF's
    # wording kept) and "not-stated" (a withdrawal reported without a reason).
    reasons = load(codes.ACTIVITY_SUPPORT_WITHDRAWAL_REASON)
    assert len(reasons) == 8
    assert all("Tabell 3" in e.citation for e in reasons)
    assert {"other", "not-stated"} <= reasons.codes
    labels = {e.label_en for e in reasons}
    assert "Activity report not submitted in time" in labels
    assert "Does not actively seek work" in labels


def test_af_program_kinds_separate_programs_subsidised_jobs_and_joint_efforts() -> None:
    programs = load(AF_PROGRAM)
    assert programs.with_attribute("kind", "joint-effort") == {"TRAINEE", "UTBKONTRAKT"}
    subsidised = programs.with_attribute("kind", "subsidised-employment")
    assert {"NYSTART", "LONEBIDRAG", "EXTRATJANST"} <= subsidised
    assert "UGA" in programs.with_attribute("kind", "program")
    kinds = {e.attributes["kind"] for e in programs}
    assert kinds == {"program", "subsidised-employment", "joint-effort"}


def test_with_attribute_rejects_a_misspelt_value_instead_of_matching_nothing() -> None:
    with pytest.raises(UnknownAttributeError, match="subsidised-employment"):
        load(AF_PROGRAM).with_attribute("kind", "subsidized-employment")
    with pytest.raises(UnknownAttributeError, match="kind"):
        load(AF_PROGRAM).with_attribute("knid", "program")


def test_intervention_types_flag_summer_jobs_and_af_decided_measures() -> None:
    types = load(codes.INTERVENTION_TYPE)
    assert types.with_attribute("summer_job", "yes") == {"feriejobb"}
    af_decided = types.with_attribute("af_decided", "yes")
    assert {"extratjanst", "traineejobb", "utbildningskontrakt"} <= af_decided
    assert "praktik" not in af_decided
    programs = load(AF_PROGRAM)
    for code in af_decided:
        assert types.get(code).attributes["af_program"] in programs


def test_special_interventions_are_the_seven_of_2017_462() -> None:
    special = load(codes.SPECIAL_INTERVENTION)
    assert len(special.valid_on(date(2024, 1, 1))) == 7
    assert all("2017:462" in e.citation for e in special)


def test_applicant_category_15_is_kommuninsats() -> None:
    entry = load(codes.APPLICANT_CATEGORY).get("15")
    assert entry.label_sv.lower() == "kommuninsats"
    assert "Dua, Frågor och svar" in entry.citation


def test_employer_check_grounds_are_the_three_of_the_report() -> None:
    assert load(codes.EMPLOYER_CHECK_GROUND).codes == {
        "trading-ban",
        "tax-debt",
        "payment-remarks",
    }


# --- get, validity and errors ------------------------------------------------------------


def test_unknown_code_error_names_list_and_version() -> None:
    programs = load(AF_PROGRAM)
    with pytest.raises(UnknownCodeError) as caught:
        programs.get("NOPE")
    assert caught.value.code_list == AF_PROGRAM
    assert caught.value.version == programs.version
    assert AF_PROGRAM in str(caught.value)
    assert programs.version in str(caught.value)


def test_get_on_a_date_picks_the_entry_valid_then(tmp_path: Path) -> None:
    vendor = load_file(_write(tmp_path, VALID_FILE))
    assert vendor.get("P1", on=date(2021, 6, 1)).label_sv == "Praktik"
    assert vendor.get("P1", on=date(2022, 12, 31)).label_sv == "Praktik"  # valid_to inclusive
    assert vendor.get("P1", on=date(2023, 1, 1)).label_sv == "Praktik (ny)"
    assert vendor.get("P1").label_sv == "Praktik (ny)"  # the latest without a date


def test_code_not_valid_on_the_date_is_an_unknown_code_error_saying_why(tmp_path: Path) -> None:
    vendor = load_file(_write(tmp_path, VALID_FILE))
    with pytest.raises(CodeNotValidError) as caught:
        vendor.get("P1", on=date(2019, 12, 31))
    assert isinstance(caught.value, UnknownCodeError)
    message = str(caught.value)
    assert "not valid on 2019-12-31" in message
    assert "inuk-category" in message
    assert "vendor-7" in message
    assert "2020-01-01 to 2022-12-31" in message


def test_valid_on_filters_by_date(tmp_path: Path) -> None:
    vendor = load_file(_write(tmp_path, VALID_FILE))
    assert vendor.valid_on(date(2019, 1, 1)) == ()
    assert [e.label_sv for e in vendor.valid_on(date(2024, 1, 1))] == ["Praktik (ny)"]


# --- a vendor's own file -----------------------------------------------------------------


def test_vendor_file_replaces_the_shipped_inuk_list(tmp_path: Path) -> None:
    vendor = load_file(_write(tmp_path, VALID_FILE), expect_id=codes.INUK_CATEGORY)
    assert vendor.id == load(codes.INUK_CATEGORY).id
    assert vendor.version == "vendor-7"
    assert vendor.codes == {"P1"}
    assert vendor != load(codes.INUK_CATEGORY)
    assert load(codes.INUK_CATEGORY).version != "vendor-7"  # the shipped list is untouched


def test_vendor_file_for_another_list_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID_FILE)
    with pytest.raises(ValidationError) as caught:
        load_file(path, expect_id=AF_PROGRAM)
    assert caught.value.paths == ["list.id"]


# --- malformed files ---------------------------------------------------------------------


def _entry_broken(old: str, new: str) -> str:
    assert old in VALID_FILE
    return VALID_FILE.replace(old, new, 1)


def test_missing_citation_is_reported_with_its_path_and_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, _entry_broken('citation = "INUK list, row 1"\n', ""), "bad.toml")
    with pytest.raises(ValidationError) as caught:
        load_file(path)
    assert caught.value.paths == ["entry[0].citation"]
    assert "bad.toml" in str(caught.value)


def test_bad_date_is_reported_with_its_path(tmp_path: Path) -> None:
    path = _write(tmp_path, _entry_broken("valid_from = 2020-01-01", 'valid_from = "2020-01-01"'))
    with pytest.raises(ValidationError) as caught:
        load_file(path)
    assert caught.value.paths == ["entry[0].valid_from"]
    assert "TOML date" in str(caught.value)


def test_datetime_is_not_a_date(tmp_path: Path) -> None:
    path = _write(
        tmp_path, _entry_broken("valid_from = 2020-01-01", "valid_from = 2020-01-01T00:00:00")
    )
    with pytest.raises(ValidationError) as caught:
        load_file(path)
    assert caught.value.paths == ["entry[0].valid_from"]


def test_duplicate_code_with_overlapping_validity_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, _entry_broken("valid_from = 2023-01-01", "valid_from = 2022-12-31"))
    with pytest.raises(ValidationError) as caught:
        load_file(path)
    assert caught.value.paths == ["entry[1].code"]
    assert "overlapping" in str(caught.value)
    assert "entry[0]" in str(caught.value)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = _entry_broken('label_en = "Placement"\n', "").replace('version = "vendor-7"\n', "")
    text = text.replace("valid_to = 2022-12-31", "valid_to = 12")
    with pytest.raises(ValidationError) as caught:
        load_file(_write(tmp_path, text))
    assert set(caught.value.paths) == {"list.version", "entry[0].label_en", "entry[0].valid_to"}


def test_valid_to_before_valid_from_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, _entry_broken("valid_to = 2022-12-31", "valid_to = 2019-12-31"))
    with pytest.raises(ValidationError) as caught:
        load_file(path)
    assert caught.value.paths == ["entry[0].valid_to"]


def test_not_toml_is_a_validation_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[list\nid = ", "broken.toml")
    with pytest.raises(ValidationError, match=r"broken\.toml"):
        load_file(path)


def test_undeclared_attribute_and_bad_value_are_errors(tmp_path: Path) -> None:
    text = VALID_FILE.replace(
        'citation = "INUK\'s category list as given to the vendor"\n',
        'citation = "x"\n[list.attributes.kind]\nvalues = ["a", "b"]\nrequired = true\n',
    )
    text = text.replace('citation = "INUK list, row 1"\n', 'citation = "r1"\nkind = "c"\n', 1)
    text = text.replace(
        'citation = "INUK list, row 1, 2023 edition"\n',
        'citation = "r1b"\ncolour = "red"\n',
    )
    with pytest.raises(ValidationError) as caught:
        load_file(_write(tmp_path, text))
    assert set(caught.value.paths) == {"entry[0].kind", "entry[1].colour", "entry[1].kind"}


def test_non_string_attribute_and_unknown_keys_are_errors(tmp_path: Path) -> None:
    text = VALID_FILE.replace('citation = "INUK list, row 1"\n', 'citation = "r"\nlevel = 3\n', 1)
    text = text.replace("[list]\n", "[list]\nvesion = 'x'\n") + "\n[extra]\na = 1\n"
    with pytest.raises(ValidationError) as caught:
        load_file(_write(tmp_path, text))
    assert set(caught.value.paths) == {"entry[0].level", "list.vesion", "extra"}


def test_code_list_built_in_python_checks_overlaps_too() -> None:
    entry = CodeEntry("A", "a", "a", date(2020, 1, 1), None, "c")
    with pytest.raises(ValidationError):
        CodeList("x", "1", "x", "x", "o", "c", None, (entry, entry))


# --- values ------------------------------------------------------------------------------


def test_entries_and_lists_are_immutable_and_hashable() -> None:
    programs = load(AF_PROGRAM)
    entry = programs.get("UGA")
    with pytest.raises(TypeError):
        entry.attributes["kind"] = "joint-effort"  # type: ignore[index]
    assert hash(entry) == hash(CodeEntry(**{f: getattr(entry, f) for f in _entry_fields()}))
    assert {entry, programs.get("UGA")} == {entry}
    assert hash(programs) == hash(programs)


def _entry_fields() -> tuple[str, ...]:
    return ("code", "label_sv", "label_en", "valid_from", "valid_to", "citation", "attributes")


def test_code_list_survives_pickle() -> None:
    programs = load(AF_PROGRAM)
    copy = pickle.loads(pickle.dumps(programs))
    assert copy == programs
    assert copy.codes == programs.codes
    assert copy.get("UGA") == programs.get("UGA")


# --- invariants --------------------------------------------------------------------------


@given(
    list_id=st.sampled_from(SHIPPED),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
)
def test_valid_on_entries_are_valid_that_day_and_known_codes(list_id: str, day: date) -> None:
    code_list = load(list_id)
    valid = code_list.valid_on(day)
    assert all(e.is_valid_on(day) for e in valid)
    assert {e.code for e in valid} <= code_list.codes
    for entry in valid:
        assert code_list.get(entry.code, on=day) == entry
    for entry in code_list.entries:
        if entry not in valid:
            assert not entry.is_valid_on(day)


@given(list_id=st.sampled_from(SHIPPED), code=st.text(max_size=12))
def test_get_either_returns_the_code_or_raises_unknown_code(list_id: str, code: str) -> None:
    code_list = load(list_id)
    if code in code_list:
        assert code_list.get(code).code == code
    else:
        with pytest.raises(UnknownCodeError, match=list_id):
            code_list.get(code)


def test_unverified_applicant_category_labels_say_so() -> None:
    categories = load(codes.APPLICANT_CATEGORY)
    unverified = categories.with_attribute("label_source", "unverified")
    assert unverified
    for code in unverified:
        assert "ej verifierad" in categories.get(code).label_sv
        assert "not verified" in categories.get(code).label_en
    assert categories.with_attribute("label_source", "seed") == {"14", "15"}


def test_category_15_is_not_counted_as_unemployed() -> None:
    categories = load(codes.APPLICANT_CATEGORY)
    assert "15" in categories.with_attribute("unemployed", "no")
    assert "15" not in categories.with_attribute("unemployed", "yes")
    with pytest.raises(CodeNotValidError):
        categories.get("15", on=date(2016, 2, 29))


def test_reference_page_lists_every_shipped_list_with_its_version() -> None:
    page = Path(__file__).parent.parent / "docs" / "reference" / "code-lists.md"
    text = page.read_text(encoding="utf-8")
    for list_id in SHIPPED:
        code_list = load(list_id)
        row = f"| `{list_id}` |"
        assert row in text, f"{list_id} is missing from {page.name}"
        line = next(ln for ln in text.splitlines() if ln.startswith(row))
        assert f"| {code_list.version} | {len(code_list)} |" in line
