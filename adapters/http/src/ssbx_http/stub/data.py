"""The cases the stub serves: synthetic (seeded) or read from a directory of case files.

* :meth:`CaseBook.synthetic` uses :func:`ssbx_model.synth.generate`, the library's
  deterministic synthetic municipality: the same ``(seed, persons, on)`` always gives the
  same people and the same cases, and every identity number is a fictitious test number
  (birth numbers 980-999). Hypothesis strategies are not used here: they are built for
  exploring, not for a stable roster a CI pipeline can rely on across runs.
* :meth:`CaseBook.from_directory` reads every ``*.xml`` and ``*.json`` file of a
  directory through the library's codecs (one or many cases per file).

A stored case is what the provider knows. When a set is asked for, its stored answer
is served exactly as stored (provenance included); a set the stored case leaves
``not-requested`` is served as ``not-found`` (the stub holds no answer for it), as
every source answers (:func:`ssbx_model.ports.answer_request`). It is never ``absent``:
*absent* says the provider looked and found nothing, which can settle a rule.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

import attrs

from ssbx_model.case import Case
from ssbx_model.errors import Problem, SsbxError, ValidationError
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information._base import Answer, Provenance
from ssbx_model.information.sets import SETS, InformationSet
from ssbx_model.ports import FetchRequest, answer_request

__all__ = ["DEFAULT_AS_OF", "STUB_SCHEMA_VERSION", "CaseBook", "answer"]

PersonId = Personnummer | Samordningsnummer

#: The date synthetic data describes, unless another is given (a fixed date: the stub
#: never derives its data from the wall clock).
DEFAULT_AS_OF: Final = dt.date(2024, 6, 3)
#: The provider schema version put on answers whose stored case names none.
STUB_SCHEMA_VERSION: Final = "ssbx-stub-1"


class CaseBook:
    """The stub's register: one Case per person, in a fixed order."""

    def __init__(self, cases: Iterable[Case], *, description: str = "cases") -> None:
        self._cases: dict[PersonId, Case] = {}
        problems: list[Problem] = []
        for i, case in enumerate(cases):
            if case.person in self._cases:
                problems.append(Problem(f"[{i}].person", "repeats an earlier case's person"))
            self._cases[case.person] = case
        if problems:
            raise ValidationError(problems)
        self.description = description

    @classmethod
    def synthetic(
        cls, *, seed: int, persons: int, on: dt.date = DEFAULT_AS_OF, municipality: str = "1287"
    ) -> CaseBook:
        """``persons`` fictitious people from :func:`ssbx_model.synth.generate`."""
        from ssbx_model import synth

        town = synth.generate(persons=persons, seed=seed, on=on, municipality=municipality)
        return cls(town.cases, description=f"synthetic: seed {seed}, {persons} persons, {on}")

    @classmethod
    def from_directory(cls, directory: str | Path) -> CaseBook:
        """Every case in the ``*.xml`` and ``*.json`` files of ``directory`` (sorted by
        file name).

        Raises:
            ValidationError: naming each file that cannot be read, and repeated persons.
        """
        root = Path(directory)
        if not root.is_dir():
            raise ValidationError(Problem(str(root), "is not a directory"))
        files = sorted(p for p in root.iterdir() if p.suffix in (".xml", ".json"))
        cases: list[Case] = []
        problems: list[Problem] = []
        for path in files:
            try:
                cases.extend(_read_file(path))
            except SsbxError as exc:
                problems.append(Problem(path.name, f"{type(exc).__name__}: {exc}"))
        if problems:
            raise ValidationError(problems)
        return cls(cases, description=f"{len(cases)} cases from {root}")

    def get(self, person: PersonId) -> Case | None:
        """The stored case of ``person``, or None when the provider does not know them."""
        return self._cases.get(person)

    def persons(self) -> list[PersonId]:
        """Every person known, in the book's order."""
        return list(self._cases)

    def __iter__(self) -> Iterator[Case]:
        return iter(self._cases.values())

    def __len__(self) -> int:
        return len(self._cases)


def _read_file(path: Path) -> list[Case]:
    """The cases of one case document (one case or many), by the codec of its suffix."""
    module: Any = importlib.import_module(
        "ssbx_model.codec.xml" if path.suffix == ".xml" else "ssbx_model.codec.json"
    )
    cases, _many = module.read_document(path)
    return list(cases)


def answer(
    stored: Case,
    request: FetchRequest,
    *,
    at: dt.datetime,
    unavailable: frozenset[InformationSet] = frozenset(),
    unavailable_reason: str = "unavailable",
) -> Case:
    """The case the stub answers to ``request``: exactly the requested sets.

    The answer is :func:`ssbx_model.ports.answer_request`'s: a stored answer is served
    exactly as stored, provenance included (so file-based data comes back as written,
    answers are reproducible, and the conformance suite's "the source returns what it
    holds" holds); a set the stored case leaves ``not-requested`` is answered
    ``not-found`` with the stub's provenance (the catalogue's provider,
    :data:`STUB_SCHEMA_VERSION`, ``at``); sets not asked for are ``not-requested``; the
    municipality's own interventions and the vendor's reference are never served. Sets
    in ``unavailable`` are answered ``unavailable`` with ``unavailable_reason`` as of
    ``at`` (the provider-set fault).
    """

    def fresh(which: InformationSet) -> Provenance:
        known = stored.answer(which).provenance
        return Provenance(
            known.provider if known else SETS[which].provider,
            known.schema_version if known else STUB_SCHEMA_VERSION,
            at,
        )

    case = answer_request(request, stored, provenance=fresh)
    failing = unavailable & request.sets
    if not failing:
        return case
    failed: dict[str, Any] = {
        which.value: Answer.unavailable(unavailable_reason, fresh(which)) for which in failing
    }
    return attrs.evolve(case, **failed)
