"""Outside text never carries a clear identity number into a message or the audit trail.

Free text from a provider or a caller (a withheld answer's reason, an XML element or
entity name in a syntax error, a code that was looked up) is stored and reported with
identity-number-shaped sequences masked by the one masking function,
``ssbx_model.identity.mask_identity_numbers``.
"""

from __future__ import annotations

import datetime as dt
import io
import json as stdjson
import pickle
import traceback

import pytest
from codec_support import AF, minimal_case
from hypothesis import given
from hypothesis import strategies as st

import ssbx_model
from ssbx_model import codes
from ssbx_model.access import filter_case
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.codes import CodeNotValidError, UnknownCodeListError
from ssbx_model.errors import (
    AdapterError,
    Problem,
    SsbxError,
    UnknownCodeError,
    UnknownRuleError,
    ValidationError,
    XmlSyntaxError,
)
from ssbx_model.identity import Personnummer, Samordningsnummer, mask_identity_numbers
from ssbx_model.information import Answer, AnswerStatus, InformationSet, WithheldField
from ssbx_model.memory import MemoryAuditLog
from ssbx_model.ports import AuditEvent, Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.reports import Notice
from ssbx_model.rules import Reason, ReasonKind, TraceStep, evaluate
from ssbx_model.testing.conformance import identity_forms

PERSON = Personnummer.from_birth_date(dt.date(1986, 11, 23), 985)
CENTENARIAN = Personnummer.from_birth_date(dt.date(1921, 2, 3), 987)
COORDINATION = Samordningsnummer.from_birth_date(dt.date(1999, 4, 30), 993)
PEOPLE = (PERSON, CENTENARIAN, COORDINATION)
#: Every written form of every number above: 12 and 10 digits, with "-", "+" or nothing.
FORMS = tuple(form for person in PEOPLE for form in identity_forms(person))
CLEAR = PERSON.reveal()  # 19861123-385C
ON = dt.date(2024, 3, 4)
AT = dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.UTC)


def assert_masked(text: str) -> None:
    """No written form of the numbers above is in ``text``."""
    shown = [form for form in FORMS if form in text]
    assert not shown, f"clear identity number forms {len(shown)} in {len(text)} characters"


def error_texts(exc: BaseException) -> str:
    """Every way an error is shown: str, repr, args, problems, the traceback, and the
    same for every exception reachable from it as cause or context."""
    parts = []
    seen: BaseException | None = exc
    while seen is not None:
        parts += [str(seen), repr(seen), repr(seen.args)]
        parts += [repr(p) for p in getattr(seen, "problems", ())]
        seen = seen.__cause__ or seen.__context__
    parts.append("".join(traceback.format_exception(exc)))
    return "\n".join(parts)


# -- the one masking function ------------------------------------------------------------


_TAIL = CLEAR[-4:]  # the serial and check digit (test serials 980-999, see synth.py)
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"pnr 19861123{_TAIL}", "pnr 19861123-****"),
        (f"19861123-{_TAIL}", "19861123-****"),
        (f"861123{_TAIL}", "861123-****"),
        (f"861123-{_TAIL} and 861123+{_TAIL}", "861123-**** and 861123+****"),
        (CENTENARIAN.reveal().replace("-", "+"), "19210203+****"),
        (f"<x19861123{_TAIL}>", "<x19861123-****>"),
        (f"&e861123{_TAIL};", "&e861123-****;"),
        (f"19861123{_TAIL}".translate(_FULLWIDTH), "１９８６１１２３-****"),
        (f"a 19861123-{_TAIL}-1 b", "a 19861123-****-1 b"),
    ],
)
def test_identity_number_shapes_keep_the_birth_date_and_hide_the_rest(
    text: str, masked: str
) -> None:
    assert mask_identity_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-01..2024-12-31",
        "line 12, column 345",
        "must be a whole number from -9223372036854775808 to 9223372036854775807",
        "12345678901234 is a longer run of digits than any identity number",
        "070-1234567",
        "request 3f2a1234567890bc9e21a0f7c5d86b41 failed",
        "key inuk-2024-03-1287-0123456789ab4f1e2d3c4b5a",
    ],
)
def test_dates_amounts_longer_runs_and_hexadecimal_ids_are_kept(text: str) -> None:
    assert mask_identity_numbers(text) == text


def test_the_function_is_part_of_the_public_api() -> None:
    assert ssbx_model.mask_identity_numbers is mask_identity_numbers
    with pytest.raises(TypeError, match="str, not int"):
        mask_identity_numbers(198611233850)  # type: ignore[arg-type]


_AROUND = st.text(st.characters(blacklist_categories=("Nd",)), max_size=6)


@given(_AROUND, st.sampled_from(FORMS), _AROUND, st.text(max_size=30))
def test_a_number_anywhere_in_text_is_masked_and_masking_twice_changes_nothing(
    before: str, form: str, after: str, rest: str
) -> None:
    masked = mask_identity_numbers(f"{rest} {before}{form}{after}")
    assert form not in masked
    assert mask_identity_numbers(masked) == masked


_DIGITS_AND_SEPARATORS = st.text(
    st.sampled_from([*"0123456789-+ ab", "\uff11", "\u0663"]), max_size=40
)


@given(st.one_of(_DIGITS_AND_SEPARATORS, st.text(max_size=40)))
def test_the_six_digit_shortcut_changes_no_result(text: str) -> None:
    # A text without six digits in a row is returned without the full scan: the scan
    # itself must give the same (every masked shape holds six digits in a row).
    from ssbx_model._masking import _SHAPED, _masked

    assert mask_identity_numbers(text) == _SHAPED.sub(_masked, text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("86112-3850", "86112-3850"),  # five digits, then four: not a shape
        ("861123-3850", "861123-****"),  # six digits, the fewest a shape has
        ("x86112y3-3850", "x86112y3-3850"),
    ],
)
def test_the_fewest_digits_a_masked_shape_has(text: str, masked: str) -> None:
    assert mask_identity_numbers(text) == masked


# -- errors: every way to make and show one ------------------------------------------------


def test_an_error_message_is_masked_however_it_is_shown() -> None:
    exc = AdapterError(f"the provider said: person {CLEAR} is locked")
    assert str(exc) == "the provider said: person 19861123-**** is locked"
    assert_masked(error_texts(exc))
    assert_masked(str(pickle.loads(pickle.dumps(exc))))


class _OwnInit(SsbxError):
    """A subclass that neither calls SsbxError.__init__ nor renders through it."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __str__(self) -> str:
        return f"bad code {self.code}"

    def __repr__(self) -> str:
        return f"_OwnInit({self.code!r})"


def test_a_subclass_cannot_bypass_the_masking() -> None:
    exc = _OwnInit(CLEAR)
    assert str(exc) == "bad code 19861123-****"
    assert_masked(error_texts(exc))
    exc.args = (f"reassigned {CLEAR}",)
    assert exc.args == ("reassigned 19861123-****",)


def test_problems_are_stored_masked_and_so_is_the_summary() -> None:
    problem = Problem(f"cases[0].x{CLEAR}", f"unknown name x{CLEAR}")
    assert problem.message == "unknown name x19861123-****"
    assert problem.path == "cases[0].x19861123-****"
    exc = ValidationError([problem, problem.prefixed("outer")])
    assert_masked(error_texts(exc))
    assert_masked(error_texts(ValidationError(f"plain text {CLEAR}")))


def test_an_unknown_code_is_reported_and_stored_masked() -> None:
    programs = codes.load("af-program")
    with pytest.raises(UnknownCodeError) as caught:
        programs.get(CLEAR)
    assert caught.value.code == "19861123-****"
    assert "19861123-****" in str(caught.value)
    assert_masked(error_texts(caught.value))
    with pytest.raises(UnknownCodeListError) as unknown_list:
        codes.load(CLEAR)
    assert_masked(error_texts(unknown_list.value))


def test_a_code_not_valid_on_the_date_is_reported_masked() -> None:
    exc = CodeNotValidError("vendor-list", "1", f"P{CLEAR}", dt.date(2024, 1, 1), ())
    assert "P19861123-****" in str(exc)
    assert_masked(error_texts(exc))


def test_an_unknown_rule_id_is_reported_masked() -> None:
    with pytest.raises(UnknownRuleError) as caught:
        evaluate(minimal_case(), CLEAR, on=ON)
    assert_masked(error_texts(caught.value))


_DIGITS = CLEAR.replace("-", "")
_SHORT = PERSON.reveal_short(ON)


@pytest.mark.parametrize(
    "body",
    [f"<a{_DIGITS}></b>", f"&e{_DIGITS};", f"<x{CLEAR}></x{CLEAR}x>", f"<c{_SHORT}>"],
)
def test_xml_syntax_errors_echo_names_masked(body: str) -> None:
    head = 'xmlns="urn:ssbx:case:1" schemaVersion="1.0.0"'
    one = f"<case {head}>{body}</case>".encode()
    many = f"<cases {head}>{body}</cases>".encode()
    with pytest.raises(XmlSyntaxError) as caught:
        cx.loads(one)
    assert "-****" in str(caught.value)  # the name is still there to act on, masked
    assert_masked(error_texts(caught.value))
    for read in (cx.loads_many, lambda d: list(cx.iter_cases(io.BytesIO(d)))):
        with pytest.raises(XmlSyntaxError) as caught:
            read(many)
        assert_masked(error_texts(caught.value))


# -- reasons: stored masked wherever they come from ---------------------------------------


def test_reasons_from_a_provider_or_a_caller_are_stored_masked() -> None:
    reason = f"person {CLEAR} is locked at the provider"
    for answer in (
        Answer.withheld(reason),
        Answer.unavailable(reason, AF),
        Answer.not_found(AF, reason),
        Answer(AnswerStatus.WITHHELD, None, reason),
    ):
        assert answer.reason == "person 19861123-**** is locked at the provider"
        assert_masked(repr(answer))


def _with_withheld_enrolment(reason: str) -> bytes:
    document = stdjson.loads(cj.dumps(minimal_case()))
    document["case"]["enrolment"] = {"status": "withheld", "reason": reason}
    return stdjson.dumps(document).encode()


def test_a_reason_read_from_json_or_xml_is_masked_and_writes_back_masked() -> None:
    data = _with_withheld_enrolment(f"withheld upstream for {PERSON.reveal_short(ON)}")
    case = cj.loads(data)
    assert case.enrolment.reason == "withheld upstream for 861123-****"
    for written in (cj.dumps(case), cx.dumps(case)):
        assert_masked(written.decode())
    assert cx.loads(cx.dumps(case)) == case


def test_a_withheld_reason_from_upstream_reaches_neither_result_nor_audit_in_clear() -> None:
    # Built without the constructor's masking, as an answer unpickled from a version
    # before masking would be (unpickling does not run __init__).
    upstream = Answer.withheld("placeholder")
    object.__setattr__(upstream, "reason", f"locked for {CLEAR}")
    case = ssbx_model.Case(person=PERSON, municipality="1287", enrolment=upstream)
    audit = MemoryAuditLog()
    filtered = filter_case(
        case,
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        on=ON,
        audit=audit,
        requester=Requester("handläggare-1", Role.SOCIAL_WORKER, "1287"),
        pseudonymizer=Pseudonymizer(b"test-key-0123456789abcdef"),
        clock=lambda: AT,
    )
    assert dict(filtered.withheld)[InformationSet.ENROLMENT] == "locked for 19861123-****"
    assert filtered.case.enrolment.reason == "locked for 19861123-****"
    (event,) = audit.events()
    assert dict(event.withheld)[InformationSet.ENROLMENT] == "locked for 19861123-****"
    assert_masked(repr(filtered) + repr(event))


def test_an_audit_event_stores_the_callers_text_masked() -> None:
    event = AuditEvent(
        event_id="e1",
        at=AT,
        action="filter",
        user=f"staff {CLEAR}",
        role=Role.SOCIAL_WORKER,
        purpose=Purpose.SOCIAL_ASSISTANCE,
        person_key="pk_aaaa",
        withheld=((InformationSet.ENROLMENT, f"provider said {CLEAR}"),),
    )
    assert event.user == "staff 19861123-****"
    assert event.withheld == ((InformationSet.ENROLMENT, "provider said 19861123-****"),)


def test_a_case_reference_is_shown_masked() -> None:
    # The person's own number is refused in a reference; anyone else's is only masked.
    other = COORDINATION.reveal()
    case = ssbx_model.Case(person=PERSON, municipality="1287", reference=f"ÄR {other}")
    assert case.reference == f"ÄR {other}"  # the data itself is kept as given
    for text in (repr(case), str(case), f"{case}"):
        assert f"reference='ÄR {COORDINATION.masked}'" in text
        assert_masked(text)


# -- what is rendered from decisions and reports --------------------------------------------


def test_a_decisions_facts_messages_and_trace_are_shown_masked() -> None:
    # Facts repeat provider ids and sources, e.g. a program decision's id.
    fact = (f"program_decision PB-1 {CLEAR}", f"source {CLEAR}")
    reason = Reason("x.y", ReasonKind.FAILS, f"sv {CLEAR}", f"en {CLEAR}", "cite", (fact,))
    step = TraceStep(f"x:{CLEAR}", ReasonKind.FAILS, f"about {CLEAR}", "cite", (fact,))
    shown = [repr(reason), repr(step), stdjson.dumps([reason.to_json(), step.to_json()])]
    assert "program_decision PB-1 19861123-****" in shown[2]
    for text in shown:
        assert_masked(text)


def test_a_report_notice_is_stored_and_shown_masked() -> None:
    notice = Notice(
        "inuk.example",
        "cases[0].interventions[1]",
        f"intervention 'INS {CLEAR}' left out",
        reference=f"ÄR {CLEAR}",
        intervention_id=f"INS {CLEAR}",
    )
    assert notice.reference == "ÄR 19861123-****"
    assert notice.intervention_id == "INS 19861123-****"
    assert_masked(str(notice) + repr(notice) + stdjson.dumps(notice.to_json()))


def test_a_withheld_fields_reason_is_stored_masked() -> None:
    entry = WithheldField("reason", f"withheld upstream for {CLEAR}")
    assert entry.reason == "withheld upstream for 19861123-****"
