"""What the fuzz and leak suite shares: the budget, seeded identity numbers, the seeding
of free text, byte-level mutation, and the checks for a clear identity number.

The budget is ``SSBX_FUZZ_EXAMPLES``, the number of examples of each fuzz test: small by
default (``make test`` runs the suite in seconds), as large as you like with
``make fuzz`` (``make fuzz FUZZ_EXAMPLES=20000``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from collections.abc import Iterable
from typing import Any, Final

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ssbx_model.case import Case
from ssbx_model.errors import ValidationError
from ssbx_model.identity import (
    IdentityNumber,
    Organisationsnummer,
    Personnummer,
    Samordningsnummer,
)
from ssbx_model.information import Answer, AnswerStatus
from ssbx_model.testing.conformance import identity_forms

#: Examples per fuzz test (``SSBX_FUZZ_EXAMPLES``; ``make fuzz`` raises it).
BUDGET: Final = int(os.environ.get("SSBX_FUZZ_EXAMPLES", "20"))


def fuzz_settings(share: float = 1.0) -> settings:
    """Settings of a fuzz test: ``share`` of the budget, never timed."""
    return settings(
        max_examples=max(1, round(BUDGET * share)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
            # The log capture is one per test, not per example: it checks them all.
            HealthCheck.function_scoped_fixture,
        ],
    )


# -- seeded identity numbers ----------------------------------------------------------------

#: The numbers the probes put into free text: a personnummer, one whose separator is "+"
#: (born more than 100 years ago), and a samordningsnummer.
SEEDED: Final[tuple[Personnummer | Samordningsnummer, ...]] = (
    Personnummer.from_birth_date(dt.date(1986, 11, 23), 985),
    Personnummer.from_birth_date(dt.date(1921, 2, 3), 987),
    Samordningsnummer.from_birth_date(dt.date(1999, 4, 30), 993),
)
#: Every written form of every seeded number (12 and 10 digits; "-", "+" or nothing).
FORMS: Final = tuple(form for person in SEEDED for form in identity_forms(person))
_FORM_PATTERN: Final = re.compile(
    "(?<![0-9])(?:" + "|".join(re.escape(f) for f in sorted(FORMS, key=len, reverse=True)) + ")"
    "(?![0-9])"
)
#: Independent of the library's masking: 6 or 8 digits, an optional "-" or "+", and 4
#: digits, standing alone among digits. Used on texts that hold no hexadecimal ids.
IDENTITY_SHAPED: Final = re.compile(r"(?<![0-9])(?:[0-9]{8}|[0-9]{6})[-+]?[0-9]{4}(?![0-9])")


def clear_forms_in(text: str) -> list[str]:
    """The seeded numbers' clear forms in ``text`` (not as part of a longer digit run)."""
    return _FORM_PATTERN.findall(text)


def assert_no_seeded_number(text: str, where: str) -> None:
    """Fail when ``text`` shows a seeded number in clear (the message names none)."""
    found = clear_forms_in(text)
    assert not found, f"{where}: {len(found)} clear identity number(s) in {len(text)} characters"


def assert_no_identity_shape(text: str, where: str) -> None:
    """Fail when ``text`` holds any identity-number-shaped sequence in clear."""
    found = IDENTITY_SHAPED.findall(text)
    assert not found, f"{where}: {len(found)} identity-number-shaped sequence(s) in clear"


def error_texts(exc: BaseException) -> str:
    """Every way an error is shown: str, repr, args and problems of it and of every
    exception reachable as its cause or context, and the formatted traceback."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        parts += [str(seen), repr(seen), repr(seen.args)]
        parts += [repr(p) for p in getattr(seen, "problems", ())]
        parts += [repr(v) for v in vars(seen).values()] if hasattr(seen, "__dict__") else []
        seen = seen.__cause__ or seen.__context__
    parts.append("".join(traceback.format_exception(exc)))
    return "\n".join(parts)


# -- seeding free text ----------------------------------------------------------------------

_IDENTITY_TYPES: Final = (IdentityNumber, Organisationsnummer)


def _seeded_text(text: str, index: int) -> str:
    return f"{text} {FORMS[index % len(FORMS)]}"


def seed_free_text(value: Any, counter: list[int] | None = None) -> Any:
    """``value`` with a seeded identity number added to every text field that accepts
    it (free text: names, reasons, descriptions, ids; a code or an e-mail address the
    model refuses so changed keeps its value), through every nested value."""
    counter = counter if counter is not None else [0]
    if isinstance(value, tuple):
        return tuple(seed_free_text(item, counter) for item in value)
    if isinstance(value, _IDENTITY_TYPES) or not attrs.has(type(value)):
        return value
    if isinstance(value, Answer):
        return _seed_answer(value, counter)
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        if not field.init or field.name.startswith("_"):
            continue
        current = getattr(value, field.name)
        if isinstance(current, str):
            counter[0] += 1
            candidate = _seeded_text(current, counter[0])
            if isinstance(value, Case) and field.name == "reference":
                continue  # below: the case's own number is refused there
            try:
                attrs.evolve(value, **{field.name: candidate})
            except (ValidationError, ValueError, TypeError):
                continue
            changes[field.name] = candidate
        elif isinstance(current, tuple | Answer) or attrs.has(type(current)):
            seeded = seed_free_text(current, counter)
            if seeded is not current:
                changes[field.name] = seeded
    if isinstance(value, Case):
        others = [p for p in SEEDED if p != value.person]
        changes["reference"] = f"ÄR-1 {others[0].reveal()} / {others[-1].reveal_short(_ON)}"
    return attrs.evolve(value, **changes) if changes else value


_ON: Final = dt.date(2024, 1, 1)


def _seed_answer(answer: Answer[Any], counter: list[int]) -> Answer[Any]:
    counter[0] += 1
    said = f"provider said {FORMS[counter[0] % len(FORMS)]}"
    status = answer.status
    if status is AnswerStatus.KNOWN:
        return Answer(
            status, seed_free_text(answer.value, counter), answer.reason, answer.provenance
        )
    if status in (AnswerStatus.WITHHELD, AnswerStatus.UNAVAILABLE, AnswerStatus.NOT_FOUND):
        return Answer(status, None, said, answer.provenance)
    return answer


def seeded_texts(case: Case) -> list[str]:
    """The free texts of ``case`` that hold a seeded number (to check the seeding)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if clear_forms_in(value):
                found.append(value)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)
        elif attrs.has(type(value)) and not isinstance(value, _IDENTITY_TYPES):
            for field in attrs.fields(type(value)):
                walk(getattr(value, field.name))

    walk(case)
    return found


# -- byte-level mutation ----------------------------------------------------------------------

_DIGITS: Final = tuple(f.replace("-", "").replace("+", "") for f in FORMS)

#: Fragments inserted by the mutator: syntax of both formats, hostile constructs, and
#: identity numbers in places where a reader might echo them (names, keys, entities).
TOKENS: Final[tuple[bytes, ...]] = (
    b"<",
    b">",
    b"</",
    b"/>",
    b"&",
    b"&amp;",
    b"&#0;",
    b"\x00",
    b"\xff",
    b"\xc3",
    b'"',
    b"'",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"true",
    b"1e999",
    b"-0",
    b"\\u0000",
    b"\\ud800",
    b"<!DOCTYPE x>",
    b"<![CDATA[x]]>",
    b"<?pi x?>",
    b"<!-- c -->",
    b' xmlns="urn:other"',
    b' schemaVersion="9.9.9"',
    b"\n",
    b"\r\n",
    *(form.encode() for form in FORMS[:6]),
    *(f"<x{d}>".encode() for d in _DIGITS[:2]),
    *(f"</y{d}>".encode() for d in _DIGITS[:2]),
    *(f"&e{d};".encode() for d in _DIGITS[:2]),
    *(f' a{d}="1"'.encode() for d in _DIGITS[:2]),
    *(f'"k{d}":'.encode() for d in _DIGITS[:2]),
    *(f'"{d}"'.encode() for d in _DIGITS[:2]),
)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after 1 to 6 byte-level mutations: a byte changed, bytes deleted, a token
    inserted, a piece copied elsewhere, the document cut short."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["set", "delete", "insert", "insert", "splice", "cut"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "set" and out:
            out[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            out[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "splice":
            piece = bytes(out[at : at + draw(st.integers(1, 80))])
            where = draw(st.integers(0, len(out)))
            out[where:where] = piece
        elif kind == "cut" and draw(st.integers(0, 3)) == 0:
            del out[at:]
    return bytes(out)


def round_trips(cases: Iterable[Case]) -> None:
    """Every case reads back equal from both formats."""
    from ssbx_model.codec import json as cj
    from ssbx_model.codec import xml as cx

    for case in cases:
        assert cj.loads(cj.dumps(case)) == case
        assert cx.loads(cx.dumps(case)) == case
