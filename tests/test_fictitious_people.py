"""Only fictitious people ship: every identity number in the docs and the shipped code
and data uses a birth number (serial) from 980 to 999.

Birth numbers 980-999 are the range this library uses for test people
(``ssbx_model.synth.TEST_SERIALS``). The scan reads every documentation page and every
shipped file of the core and the adapters (not the tests, which are not shipped), finds
each text shaped like a personnummer or samordningsnummer (10 or 12 digits, with or
without ``-``/``+``) that is a valid one (date and check digit), and each
``from_birth_date(..., serial)`` call with a literal serial, and fails on any outside
the range, listing every place at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ssbx_model.errors import InvalidIdentityNumber
from ssbx_model.identity import parse_person_id
from ssbx_model.synth import TEST_SERIALS

ROOT = Path(__file__).resolve().parent.parent
_SUFFIXES = {".md", ".py", ".toml", ".json", ".jsonl", ".xml", ".txt", ".yaml", ".yml", ".csv"}
_NUMBER = re.compile(r"(?<![0-9])([0-9]{8}[-+]?[0-9]{4}|[0-9]{6}[-+]?[0-9]{4})(?![0-9])")
_SERIAL = re.compile(r"from_birth_date\((?:[^()]|\([^()]*\))*?,\s*([0-9]+)\s*\)")
# A 10-digit form needs a date to resolve its century; any date does for the check.
_ON = dt.date(2024, 1, 1)


def shipped_files() -> Iterator[Path]:
    """The documentation, the README and every file of the distributions' sources."""
    yield ROOT / "README.md"
    roots = [ROOT / "docs", ROOT / "src", *sorted((ROOT / "adapters").glob("*/src"))]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in _SUFFIXES:
                yield path


def real_looking_numbers(text: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each valid identity number outside the fictitious range."""
    for match in _NUMBER.finditer(text):
        try:
            person = parse_person_id(match.group(1), on=_ON)
        except InvalidIdentityNumber:
            continue  # not an identity number (an organisation number, a bad check digit)
        serial = int(person.reveal().replace("-", "")[8:11])
        if serial not in TEST_SERIALS:
            yield text.count("\n", 0, match.start()) + 1, match.group(1)
    for match in _SERIAL.finditer(text):
        if int(match.group(1)) not in TEST_SERIALS:
            yield text.count("\n", 0, match.start()) + 1, match.group(0)


def test_the_fictitious_range_is_980_to_999() -> None:
    assert list(TEST_SERIALS) == list(range(980, 1000))


def test_the_scan_finds_a_real_looking_number_and_passes_a_fictitious_one() -> None:
    text = "a: 19900101-1239\nb: 19900101-9800\nc: from_birth_date(born, 123)\n"
    # 19900101-9800 has a wrong check digit: not an identity number at all.
    assert [line for line, _ in real_looking_numbers(text)] == [1, 3]
    assert not list(real_looking_numbers("20040310-9820 and from_birth_date(d, 982)"))


def test_every_person_in_the_docs_and_the_shipped_code_is_fictitious() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {number}"
        for path in shipped_files()
        for line, number in real_looking_numbers(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "identity numbers outside birth numbers 980-999 (use "
        "Personnummer.from_birth_date(birth, 98x) or `ssbx make-person`):\n  " + "\n  ".join(found)
    )
