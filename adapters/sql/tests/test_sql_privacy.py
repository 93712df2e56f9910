"""A dump of the database alone does not reveal identity numbers.

Fills a store with synthetic cases (every information set), decisions, ledger entries and
audit events, then reads everything back as the database holds it: every row of every
table (bytes as bytes), SQLite's own dump and its files on disk (main file and WAL), and
looks for every person's number in 12- and 10-digit forms, with and without separator.
"""

from __future__ import annotations

import datetime as dt
import glob
import sqlite3
from pathlib import Path

from sql_support import KEY, coordination_number, person
from sqlalchemy import MetaData, select
from ssbx_sql import SqlStore

from ssbx_model import synth
from ssbx_model.case import Case
from ssbx_model.codec import json as case_json
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import AuditEvent
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.rules import evaluate

ON = dt.date(2024, 5, 1)


def forms(who: Personnummer | Samordningsnummer) -> list[str]:
    """The number as a dump could show it: 12 and 10 digits, with and without separator."""
    twelve = who.reveal()  # YYYYMMDD-NNNC
    ten = who.reveal_short(ON)  # YYMMDD-NNNC
    return [twelve, twelve.replace("-", ""), ten, ten.replace("-", "").replace("+", "")]


def leaks(text: str, people: list[Personnummer | Samordningsnummer]) -> list[str]:
    """The masked people whose number appears in ``text`` in any form."""
    return [who.masked for who in people if any(form in text for form in forms(who))]


def fill(store: SqlStore) -> list[Personnummer | Samordningsnummer]:
    cases = list(synth.generate(persons=30, seed=23, on=ON).cases)
    audit = Pseudonymizer(b"audit-key-of-the-deployment!", domain="audit")
    for case in cases:
        store.save_case(case)
        store.save_decisions(case.person, [evaluate(case, "consent", on=ON)])
        store.record(
            AuditEvent(
                event_id=f"ev-{audit.key_for(case.person)}",
                at=dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC),
                action="filter",
                user="handlaggare-3",
                role=Role.SOCIAL_WORKER,
                purpose=Purpose.SOCIAL_ASSISTANCE,
                person_key=audit.key_for(case.person),
                released=(InformationSet.ENROLMENT,),
            )
        )
    extra = coordination_number(990)
    store.save_case(Case(person=extra, municipality="1287"))
    store.delete_case(cases[-1].person)  # deleted rows must not linger in clear either
    return [case.person for case in cases] + [extra]


def every_row_as_text(store: SqlStore) -> str:
    """Every value of every table, bytes decoded byte for byte (no hex hiding)."""
    reflected = MetaData()
    reflected.reflect(store.engine)
    parts: list[str] = []
    with store.engine.connect() as conn:
        for table in reflected.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        parts.append(bytes(value).decode("latin-1"))
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


def test_the_leak_search_finds_a_number_where_it_is_in_clear() -> None:
    # The control: the case body before encryption holds the number, and the search sees it.
    case = synth.generate(persons=1, seed=23, on=ON).cases[0]
    assert leaks(case_json.dumps(case).decode("utf-8"), [case.person]) == [case.person.masked]
    assert leaks(f"pnr {case.person.reveal_short(ON)}", [case.person]) == [case.person.masked]


def test_no_row_of_any_table_holds_an_identity_number(store: SqlStore) -> None:
    people = fill(store)
    assert leaks(every_row_as_text(store), people) == []
    assert sorted(store.list_cases()) == sorted([*people[:-2], people[-1]])


def test_the_sqlite_dump_and_files_hold_no_identity_number(tmp_path: Path) -> None:
    path = tmp_path / "dump.sqlite3"
    store = SqlStore(f"sqlite:///{path}", key=KEY)
    try:
        people = fill(store)
        raw = sqlite3.connect(path)
        try:
            dump = "\n".join(raw.iterdump())
        finally:
            raw.close()
        files = b"".join(Path(name).read_bytes() for name in glob.glob(f"{path}*"))
    finally:
        store.close()
    assert "ssbx_cases" in dump, "the dump is a real dump"
    assert leaks(dump, people) == []
    assert leaks(files.decode("latin-1"), people) == []


def test_person_keys_are_keyed_hashes_not_numbers(store: SqlStore) -> None:
    who = person(981)
    key = store.person_key(who)
    assert key.startswith("pk_")
    assert key != Pseudonymizer(KEY).key_for(who), "derived from the secret, not the secret"
    assert leaks(key, [who]) == []
