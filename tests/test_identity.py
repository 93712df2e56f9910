"""Tests of Swedish identity numbers: parsing, check digits, centuries and masking."""

from __future__ import annotations

import copy
import logging
import pickle
import traceback
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.se import orgnr as stdnum_orgnr
from stdnum.se import personnummer as stdnum_personnummer

from ssbx_model.errors import InvalidIdentityNumber, SsbxError, ValidationError
from ssbx_model.identity import (
    IdentityNumber,
    Organisationsnummer,
    Personnummer,
    Samordningsnummer,
    parse_person_id,
)

ON = date(2024, 6, 15)

# --------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------

birth_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))
serials = st.integers(min_value=0, max_value=999)
kinds: st.SearchStrategy[type[Personnummer] | type[Samordningsnummer]] = st.sampled_from(
    [Personnummer, Samordningsnummer]
)


@st.composite
def person_ids(draw: st.DrawFn) -> Personnummer | Samordningsnummer:
    kind = draw(kinds)
    return kind.from_birth_date(draw(birth_dates), draw(serials))


@st.composite
def ids_with_reference_date(
    draw: st.DrawFn,
) -> tuple[Personnummer | Samordningsnummer, date]:
    """A number and a date on or after its birth, less than 200 years later (beyond that
    two centuries share the `+` separator and the short form is ambiguous)."""
    number = draw(person_ids())
    born = number.birth_date
    last = min(date(born.year + 199, 12, 31), date(9999, 12, 31))
    on = draw(st.dates(min_value=born, max_value=last))
    return number, on


def clear_forms_of(text: str) -> list[str]:
    """Every way the number written in ``text`` (10 or 12 digits) could appear in clear."""
    digits = "".join(c for c in text if c.isdigit())
    ten = digits[-10:]
    short, tail = ten[:6], ten[6:]
    forms = [digits, ten, f"{short}-{tail}", f"{short}+{tail}", f"-{tail}", f"+{tail}"]
    if len(digits) == 12:
        forms.append(f"{digits[:8]}-{tail}")
    return forms


def clear_forms(number: IdentityNumber) -> list[str]:
    """Every way the full number could be written in clear text."""
    return clear_forms_of(number.reveal())


def assert_masked(text: str, number: IdentityNumber) -> None:
    for form in clear_forms(number):
        assert form not in text


def wrong_check_digit(text: str) -> str:
    right = int(text[-1])
    return text[:-1] + str((right + 1) % 10)


# --------------------------------------------------------------------------------------
# Round trips and check digits
# --------------------------------------------------------------------------------------


@given(person_ids())
def test_reveal_parses_back_to_the_same_number_in_every_12_digit_form(
    number: Personnummer | Samordningsnummer,
) -> None:
    kind = type(number)
    text = number.reveal()
    assert len(text) == 13
    assert text[8] == "-"
    assert kind.parse(text) == number
    assert kind.parse(text.replace("-", "")) == number
    assert kind.parse(f"  {text}\n") == number
    assert parse_person_id(text) == number
    assert type(parse_person_id(text)) is kind


@given(ids_with_reference_date())
def test_short_form_parses_back_with_its_reference_date(
    case: tuple[Personnummer | Samordningsnummer, date],
) -> None:
    number, on = case
    kind = type(number)
    short = number.reveal_short(on)
    assert len(short) == 11
    assert short[6] == ("+" if on.year - number.birth_date.year >= 100 else "-")
    assert kind.parse(short, on=on) == number
    assert parse_person_id(short, on=on) == number
    if short[6] == "-":
        assert kind.parse(short.replace("-", ""), on=on) == number


@given(person_ids())
def test_every_number_carries_the_luhn_check_digit_of_its_10_digit_form(
    number: Personnummer | Samordningsnummer,
) -> None:
    ten = number.reveal().replace("-", "")[2:]
    assert luhn.is_valid(ten)
    assert luhn.calc_check_digit(ten[:9]) == ten[9]


@given(person_ids())
def test_any_other_check_digit_is_refused_as_checksum(
    number: Personnummer | Samordningsnummer,
) -> None:
    text = number.reveal()
    for digit in "0123456789":
        if digit == text[-1]:
            continue
        with pytest.raises(InvalidIdentityNumber) as info:
            type(number).parse(text[:-1] + digit)
        assert info.value.reason == "checksum"


@given(person_ids(), st.integers(0, 80_000), st.integers(0, 80_000))
def test_age_never_decreases_as_the_date_moves_on(
    number: Personnummer | Samordningsnummer, a: int, b: int
) -> None:
    born = number.birth_date
    early, late = (born + timedelta(days=n) for n in sorted([a, b]))
    assert 0 <= number.age_on(early) <= number.age_on(late)
    assert number.age_on(late) - number.age_on(early) <= (late - early).days // 365 + 1


def test_from_birth_date_builds_the_known_number() -> None:
    assert Personnummer.from_birth_date(date(1988, 3, 20), 1).reveal() == "19880320-0016"
    sam = Samordningsnummer.from_birth_date(date(1990, 1, 1), 23)
    assert sam.reveal().startswith("19900161-023")
    assert sam.birth_date == date(1990, 1, 1)


@pytest.mark.parametrize("serial", [-1, 1000, True, 1.0])
def test_from_birth_date_refuses_a_serial_outside_0_to_999(serial: object) -> None:
    with pytest.raises(ValidationError) as info:
        Personnummer.from_birth_date(date(1990, 1, 1), serial)  # type: ignore[arg-type]
    assert info.value.paths == ["serial"]


# --------------------------------------------------------------------------------------
# python-stdnum's vectors, where they agree with our rules
# --------------------------------------------------------------------------------------

# "These have been found online and should all be valid numbers." (python-stdnum,
# tests/test_se_personnummer.doctest) plus the module docstring of stdnum.se.personnummer.
STDNUM_VALID_PERSONNUMMER = [
    "670919-9530",
    "811228-9874",
    "880320-0016",
    "880320-0057",
    "8803200073",
    "8803200099",
    "8803200115",
    "8803200131",
    "8803200156",
    "8803200172",
    "8803200198",
    "8803200420",
    "890102-3286",
    "811228-9841",
]

# get_birth_date() cases of the same doctest file, read as of a date in 2024.
STDNUM_BIRTH_DATES = [
    ("8803200420", date(1988, 3, 20)),
    ("191705120424", date(1917, 5, 12)),
    ("121212-1212", date(2012, 12, 12)),
    ("121212+1212", date(1912, 12, 12)),
    ("400606+5827", date(1840, 6, 6)),
    ("811228-9841", date(1981, 12, 28)),
]


@pytest.mark.parametrize("text", STDNUM_VALID_PERSONNUMMER)
def test_stdnum_valid_personnummer_vectors_parse(text: str) -> None:
    assert stdnum_personnummer.is_valid(text)
    number = Personnummer.parse(text, on=ON)
    assert number.reveal_short(ON).replace("-", "") == text.replace("-", "")


@pytest.mark.parametrize(("text", "born"), STDNUM_BIRTH_DATES)
def test_stdnum_birth_date_vectors_give_the_same_birth_date(text: str, born: date) -> None:
    assert stdnum_personnummer.is_valid(text)
    assert Personnummer.parse(text, on=ON).birth_date == born


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("880320-0018", "checksum"),  # stdnum docstring: InvalidChecksum
        ("8899200425", "date"),  # stdnum doctest: InvalidComponent
        ("a" * 10, "format"),  # stdnum doctest: InvalidFormat
        ("a" * 11, "format"),
    ],
)
def test_stdnum_invalid_personnummer_vectors_are_refused(text: str, reason: str) -> None:
    assert not stdnum_personnummer.is_valid(text)
    with pytest.raises(InvalidIdentityNumber) as info:
        Personnummer.parse(text, on=ON)
    assert info.value.reason == reason


@pytest.mark.parametrize("text", ["8803-20-0016", "880320 0016", "880320:0016", "19670-19-9535"])
def test_separators_stdnum_cleans_away_are_refused_here(text: str) -> None:
    # Disagreement: stdnum's compact() drops spaces, colons and inner hyphens; we strip
    # surrounding whitespace only and guess nothing else.
    with pytest.raises(InvalidIdentityNumber) as info:
        Personnummer.parse(text, on=ON)
    assert info.value.reason in {"format", "length"}


@given(st.builds(Samordningsnummer.from_birth_date, birth_dates, serials))
def test_samordningsnummer_stdnum_rejects_are_accepted_here(number: Samordningsnummer) -> None:
    text = number.reveal()
    # Disagreement: python-stdnum reads day + 60 as an invalid date.
    assert not stdnum_personnummer.is_valid(text)
    assert Samordningsnummer.parse(text) == number
    assert isinstance(parse_person_id(text), Samordningsnummer)


@given(person_ids())
def test_stdnum_agrees_on_every_personnummer(number: Personnummer | Samordningsnummer) -> None:
    assume(isinstance(number, Personnummer))
    assert stdnum_personnummer.is_valid(number.reveal())


# --------------------------------------------------------------------------------------
# Kinds and the errors' reasons
# --------------------------------------------------------------------------------------


def test_personnummer_refuses_a_samordningsnummer_and_points_to_it() -> None:
    text = Samordningsnummer.from_birth_date(date(1990, 1, 1), 23).reveal()
    with pytest.raises(InvalidIdentityNumber) as info:
        Personnummer.parse(text)
    assert info.value.reason == "kind"
    assert "Samordningsnummer" in str(info.value)


def test_samordningsnummer_refuses_a_personnummer() -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        Samordningsnummer.parse("19880320-0016")
    assert info.value.reason == "kind"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "length"),
        ("12345", "length"),
        ("1988032000161", "length"),
        ("19880320+0016", "format"),  # a 12-digit form has its century: no "+"
        ("198803-200016", "format"),
        ("880320--0016", "format"),
        ("８８０３２００１６", "format"),  # full-width digits are not guessed
        ("19881320-0016", "date"),
        ("19880230-0016", "date"),
        ("19880345-0016", "date"),  # day 32..60 is neither kind
        ("19880392-0016", "date"),  # day above 91
        ("17880320-0016", "date"),  # before 1800
        ("19880320-0017", "checksum"),
    ],
)
def test_malformed_numbers_are_refused_with_their_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse_person_id(text, on=ON)
    assert info.value.reason == reason
    assert isinstance(info.value, SsbxError)
    assert isinstance(info.value, ValueError)


def test_parse_refuses_what_is_not_a_string() -> None:
    with pytest.raises(TypeError):
        Personnummer.parse(198803200016)  # type: ignore[arg-type]


def test_the_constructor_validates_like_parse() -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        Personnummer(_digits="198803200017")
    assert info.value.reason == "checksum"
    assert Personnummer(_digits="198803200016") == Personnummer.parse("19880320-0016")


def test_the_base_class_cannot_be_instantiated() -> None:
    with pytest.raises(TypeError):
        IdentityNumber(_digits="198803200016")


def test_digits_are_not_a_public_attribute() -> None:
    number = Personnummer.parse("19880320-0016")
    assert not hasattr(number, "digits")
    assert not [name for name in dir(number) if "digit" in name and not name.startswith("_")]


# --------------------------------------------------------------------------------------
# Centuries: the reference date and the "+" separator
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["880320-0016", "8803200016", "121212+1212"])
def test_10_digit_forms_need_a_reference_date(text: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse_person_id(text)
    assert info.value.reason == "reference-date"


def test_12_digit_forms_need_no_reference_date() -> None:
    assert Personnummer.parse("198803200016").birth_date == date(1988, 3, 20)


def test_minus_resolves_to_the_most_recent_birth_date_not_after_the_reference_date() -> None:
    number = Personnummer.from_birth_date(date(2000, 6, 15), 123)
    short = number.reveal_short(date(2024, 1, 1))
    # On the birthday itself the year-2000 reading is possible ...
    assert Personnummer.parse(short, on=date(2000, 6, 15)).birth_date.year == 2000
    # ... the day before, that person is not born yet: the only reading is 1900.
    assert Personnummer.parse(short, on=date(2000, 6, 14)).birth_date.year == 1900


def test_plus_starts_on_1_january_of_the_year_the_person_turns_100() -> None:
    number = Personnummer.from_birth_date(date(1924, 6, 15), 123)
    assert number.reveal_short(date(2023, 12, 31))[6] == "-"
    assert number.reveal_short(date(2024, 1, 1))[6] == "+"
    assert number.reveal_short(date(2024, 6, 15))[6] == "+"  # turns 100 that day
    assert number.age_on(date(2024, 6, 14)) == 99
    assert number.age_on(date(2024, 6, 15)) == 100


def test_plus_is_read_as_the_century_in_which_the_person_turns_100_or_more() -> None:
    number = Personnummer.from_birth_date(date(1924, 6, 15), 123)
    plus = number.reveal_short(date(2024, 6, 15))
    minus = plus.replace("+", "-")
    # The person turning 100 on the reference date.
    assert Personnummer.parse(plus, on=date(2024, 6, 15)) == number
    assert Personnummer.parse(minus, on=date(2024, 6, 15)).birth_date == date(2024, 6, 15)
    # Earlier that same year they have not had the birthday, but "+" already applies.
    assert Personnummer.parse(plus, on=date(2024, 1, 1)) == number
    # The year before, "+" means one more century back.
    assert Personnummer.parse(plus, on=date(2023, 12, 31)).birth_date == date(1824, 6, 15)
    # A "-" number for that date read the day before the 100th birthday is the only
    # person born by then: the 1924 one.
    assert Personnummer.parse(minus, on=date(2024, 6, 14)) == number


def test_leap_day_birth_skips_a_century_without_29_february() -> None:
    number = Personnummer.from_birth_date(date(2000, 2, 29), 1)
    short = number.reveal_short(date(2024, 1, 1))
    # In 2101 the most recent "00" year is 2100, which has no 29 February.
    assert Personnummer.parse(short, on=date(2101, 1, 1)) == number
    # "+" as of 2024 means 1900, 1800, ...: none has a 29 February.
    with pytest.raises(InvalidIdentityNumber) as info:
        Personnummer.parse(short.replace("-", "+"), on=date(2024, 1, 1))
    assert info.value.reason == "date"


def test_reveal_short_refuses_a_date_before_birth() -> None:
    number = Personnummer.from_birth_date(date(2000, 6, 15), 123)
    with pytest.raises(ValidationError):
        number.reveal_short(date(2000, 6, 14))


# --------------------------------------------------------------------------------------
# Value semantics
# --------------------------------------------------------------------------------------


@given(person_ids())
def test_numbers_survive_pickle_and_copy_and_work_as_dict_keys(
    number: Personnummer | Samordningsnummer,
) -> None:
    for clone in (pickle.loads(pickle.dumps(number)), copy.copy(number), copy.deepcopy(number)):
        assert clone == number
        assert hash(clone) == hash(number)
        assert type(clone) is type(number)
    assert {number: "x"}[type(number).parse(number.reveal())] == "x"


def test_equality_is_on_value_and_class() -> None:
    a = Personnummer.parse("19880320-0016")
    assert a == Personnummer.parse("198803200016")
    assert a != Personnummer.parse("19880320-0057")
    assert a != "19880320-0016"  # type: ignore[comparison-overlap]
    assert len({a, Personnummer.parse("198803200016")}) == 1


@given(st.lists(person_ids(), max_size=20))
def test_sorted_orders_numbers_by_their_digits(
    numbers: list[Personnummer | Samordningsnummer],
) -> None:
    ordered = sorted(numbers)
    reveals = [n.reveal() for n in ordered]
    assert reveals == sorted(reveals)


def test_numbers_are_immutable() -> None:
    number = Personnummer.parse("19880320-0016")
    with pytest.raises(AttributeError):
        number._digits = "198803200057"  # type: ignore[misc]


# --------------------------------------------------------------------------------------
# Masking: no clear text in repr, str, formatting, logs or errors
# --------------------------------------------------------------------------------------


def test_masked_forms() -> None:
    number = Personnummer.parse("19880320-0016")
    assert number.masked == "19880320-****"
    assert repr(number) == "Personnummer('19880320-****')"
    assert str(number) == f"{number}" == "%s" % number == "19880320-****"  # noqa: UP031
    assert f"{number:>15}" == "  19880320-****"
    sam = Samordningsnummer.from_birth_date(date(1990, 1, 1), 23)
    assert repr(sam) == "Samordningsnummer('19900161-****')"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person_ids(), st.sampled_from(["", "s", ">30", "<20", "^25", "d", "x", "020", "!"]))
def test_no_clear_digits_in_repr_str_format_or_log_records(
    caplog: pytest.LogCaptureFixture, number: Personnummer | Samordningsnummer, spec: str
) -> None:
    texts = [repr(number), str(number), f"{number}", f"{number!r}"]
    texts.append("%s" % number)  # noqa: UP031
    texts.append("%r" % (number,))  # noqa: UP031
    texts.append(format(number, spec))
    texts.append(repr([number, {number: number}]))
    caplog.clear()
    logger = logging.getLogger("ssbx_model.test")
    with caplog.at_level(logging.INFO, logger="ssbx_model.test"):
        logger.info("handling %s for %r", number, number)
        logger.info("structured", extra={"person": number})
        logger.info(number)
    texts.extend(r.getMessage() for r in caplog.records)
    texts.append(caplog.text)
    for text in texts:
        assert_masked(text, number)
    assert number.masked in caplog.text


def error_texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), *map(str, error.args)]
    texts.append("".join(traceback.format_exception(error)))
    return texts


@given(ids_with_reference_date())
@example((Personnummer.parse("19880320-0016"), ON))
def test_no_clear_digits_in_any_parse_error(
    case: tuple[Personnummer | Samordningsnummer, date],
) -> None:
    number, on = case
    other = Personnummer if isinstance(number, Samordningsnummer) else Samordningsnummer
    long, short = number.reveal(), number.reveal_short(on)
    kind = type(number)
    bad_long, bad_short = wrong_check_digit(long), wrong_check_digit(short)
    attempts: list[tuple[str, Callable[[], object]]] = [
        (long, lambda: other.parse(long)),  # kind
        (bad_long, lambda: kind.parse(bad_long)),  # checksum
        (bad_short, lambda: kind.parse(bad_short, on=on)),  # checksum
        (short, lambda: kind.parse(short)),  # reference-date
        (long, lambda: kind.parse(long + "0")),  # length
        (long, lambda: kind.parse(long.replace("-", "/"))),  # format
        (short, lambda: Organisationsnummer.parse(short.replace("+", "-"))),  # kind
    ]
    for given_text, attempt in attempts:
        with pytest.raises(InvalidIdentityNumber) as info:
            attempt()
        assert info.value.__cause__ is None
        for text in error_texts(info.value):
            assert_masked(text, number)
            for form in clear_forms_of(given_text):
                assert form not in text


# --------------------------------------------------------------------------------------
# Organisationsnummer
# --------------------------------------------------------------------------------------

# python-stdnum's stdnum.se.orgnr docstring ("1234567897", "123456-7897") and the
# organisation part of stdnum.se.vat's docstring ("SE 123456789701").
STDNUM_VALID_ORGNR = ["1234567897", "123456-7897"]


@pytest.mark.parametrize("text", STDNUM_VALID_ORGNR)
def test_stdnum_valid_orgnr_vectors_parse(text: str) -> None:
    assert stdnum_orgnr.is_valid(text)
    org = Organisationsnummer.parse(text)
    assert org.reveal() == "123456-7897"
    assert org.legal_form_group == 1
    assert not org.is_sole_trader


def test_stdnum_invalid_orgnr_vector_is_refused() -> None:
    assert not stdnum_orgnr.is_valid("1234567891")
    with pytest.raises(InvalidIdentityNumber) as info:
        Organisationsnummer.parse("1234567891")
    assert info.value.reason == "checksum"


def test_16_prefixed_12_digit_form_is_accepted_though_stdnum_refuses_it() -> None:
    assert not stdnum_orgnr.is_valid("165560360793")  # disagreement: stdnum wants 10 digits
    org = Organisationsnummer.parse("165560360793")
    assert org == Organisationsnummer.parse("556036-0793")
    assert org.reveal() == "556036-0793"


legal_person_bodies = st.tuples(
    st.integers(0, 9), st.integers(0, 9), st.integers(2, 9), st.integers(0, 999999)
).map(lambda t: f"{t[0]}{t[1]}{t[2]}{t[3]:06d}")


@given(legal_person_bodies, st.integers(0, 9))
def test_legal_persons_are_accepted_exactly_when_stdnum_accepts_them(body: str, check: int) -> None:
    text = f"{body}{check}"
    if not stdnum_orgnr.is_valid(text):
        with pytest.raises(InvalidIdentityNumber) as info:
            Organisationsnummer.parse(text)
        assert info.value.reason == "checksum"
    else:
        org = Organisationsnummer.parse(text)
        assert repr(org) == f"Organisationsnummer('{text[:6]}-{text[6:]}')"
        assert str(org) == org.reveal()
        assert org.legal_form_group == int(text[0])


@given(legal_person_bodies)
def test_legal_persons_round_trip_in_every_form(body: str) -> None:
    ten = body + luhn.calc_check_digit(body)
    org = Organisationsnummer.parse(ten)
    assert Organisationsnummer.parse(org.reveal()) == org
    assert Organisationsnummer.parse("16" + ten) == org
    assert pickle.loads(pickle.dumps(org)) == org
    assert {org: 1}[copy.deepcopy(org)] == 1


def test_brief_example_prints_in_clear_as_a_public_number() -> None:
    org = Organisationsnummer.parse("556036-0793")
    assert repr(org) == "Organisationsnummer('556036-0793')"
    assert org.legal_form_group == 5


@given(st.builds(Personnummer.from_birth_date, birth_dates, serials))
def test_sole_traders_are_refused_unless_allowed(number: Personnummer) -> None:
    long = number.reveal()
    ten = long.replace("-", "")[2:]
    for text in (ten, f"{ten[:6]}-{ten[6:]}", long, long.replace("-", "")):
        with pytest.raises(InvalidIdentityNumber) as info:
            Organisationsnummer.parse(text)
        assert info.value.reason == "kind"
        org = Organisationsnummer.parse(text, allow_sole_trader=True)
        assert org.is_sole_trader
        assert org.legal_form_group is None
        assert org.reveal() == f"{ten[:6]}-{ten[6:]}"
        for shown in (repr(org), str(org), f"{org}", "%s" % org):  # noqa: UP031
            assert_masked(shown, number)
        assert repr(org) == f"Organisationsnummer('{ten[:6]}-****')"


def test_sole_trader_with_samordningsnummer_is_accepted_when_allowed() -> None:
    sam = Samordningsnummer.from_birth_date(date(1990, 1, 1), 23)
    org = Organisationsnummer.parse(sam.reveal(), allow_sole_trader=True)
    assert org.is_sole_trader


def test_sole_trader_10_digit_form_is_checked_in_full_with_a_reference_date() -> None:
    # 29 February exists in 2000 but not in 1900: "000229" read as of 1999 is 1900.
    number = Personnummer.from_birth_date(date(2000, 2, 29), 1)
    ten = number.reveal().replace("-", "")[2:]
    assert Organisationsnummer.parse(ten, allow_sole_trader=True).is_sole_trader
    assert Organisationsnummer.parse(ten, allow_sole_trader=True, on=date(2024, 1, 1))
    with pytest.raises(InvalidIdentityNumber) as info:
        Organisationsnummer.parse(ten, allow_sole_trader=True, on=date(1999, 12, 31))
    assert info.value.reason == "date"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("556036-079", "length"),
        ("556036+0793", "format"),
        ("5560360793 ab", "format"),
        ("55603-60793", "format"),
        ("175560360793", "format"),  # 12 digits, neither "16" nor a personnummer
        ("168803200016", "format"),  # "16" prefix on a sole trader's number
        ("556036-0794", "checksum"),
        ("881320-0016", "date"),  # a sole trader's number needs a real birth date
    ],
)
def test_malformed_organisation_numbers_are_refused_with_their_reason(
    text: str, reason: str
) -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        Organisationsnummer.parse(text, allow_sole_trader=True)
    assert info.value.reason == reason


def test_organisation_numbers_sort_by_their_digits() -> None:
    a = Organisationsnummer.parse("556036-0793")
    b = Organisationsnummer.parse("123456-7897")
    assert sorted([a, b]) == [b, a]


@pytest.mark.parametrize("cls", [Personnummer, Samordningsnummer])
@pytest.mark.parametrize("text", ["20091210-9873", "091210-9873", "200912109873x"])
def test_the_constructor_given_text_points_to_parse_without_echoing_it(
    cls: type[Personnummer] | type[Samordningsnummer], text: str
) -> None:
    with pytest.raises(InvalidIdentityNumber) as caught:
        cls(text)
    message = str(caught.value)
    assert f"use {cls.__name__}.parse(text)" in message
    assert "9873" not in message
