"""Employer checks on their own: vet an employer without a person's case.

The ``employer-check`` rule decides whether the employers of a person's *planned
placements* pass the check AF makes before assigning a placement (trading ban, tax debt at
Kronofogden, payment remarks not insignificant). A municipality also wants to vet an
employer before it offers placements there at all, with no person and no placement yet.
:func:`check_employers` does that for any number of checks, each through the rule's own
assessment of the three grounds (:func:`ssbx_model.rules.employer_check.check_employer`),
so the answer is the rule's, with its reasons and citations; :func:`read_employer_checks`
reads them from a JSON file (``ssbx check-employer FILE``).

A file of employer checks is a JSON object ``{"employer_checks": [...]}`` whose items are
written exactly as the items of ``employer_checks.value`` in a case document (see
:class:`~ssbx_model.information.EmployerCheck`)::

    {"employer_checks": [
      {"organisation_number": "556036-0793", "checked_on": "2024-05-02",
       "trading_ban": false, "tax_debt_at_kronofogden_sek": 0, "payment_remarks": []}
    ]}
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping

from ssbx_model.errors import Problem, ValidationError
from ssbx_model.information import EmployerCheck
from ssbx_model.rules import Decision
from ssbx_model.rules.employer_check import check_employer
from ssbx_model.rules.parameters import Scalar

__all__ = ["check_employers", "read_employer_checks"]

_KEY = "employer_checks"


def read_employer_checks(path: str | os.PathLike[str]) -> tuple[EmployerCheck, ...]:
    """The employer checks of a JSON file ``{"employer_checks": [...]}`` (see the module
    documentation), strictly: an unknown field, a wrong type or a bad organisation number
    is an error, nothing is coerced.

    Raises:
        ValidationError: every problem, with its path (``employer_checks[1].checked_on``).
        OSError: the file cannot be read.
    """
    from ssbx_model.codec.json import converter

    with open(path, "rb") as handle:
        data = handle.read()
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(Problem("", f"not a JSON document ({type(exc).__name__})")) from None
    if not isinstance(document, dict) or set(document) != {_KEY}:
        raise ValidationError(
            Problem("", f'must be a JSON object with exactly one field, "{_KEY}" (a list)')
        )
    items = document[_KEY]
    if not isinstance(items, list) or not items:
        raise ValidationError(Problem(_KEY, "must be a list of at least one employer check"))
    try:
        checks: tuple[EmployerCheck, ...] = converter.structure(items, tuple[EmployerCheck, ...])
    except ValidationError as exc:
        raise ValidationError(
            [Problem(f"{_KEY}{p.path}", p.message, p.line) for p in exc.problems]
        ) from None
    return checks


def check_employers(
    checks: Iterable[EmployerCheck],
    on: dt.date,
    parameters: Mapping[str, Scalar] | None = None,
) -> list[Decision]:
    """One decision per check: does the employer pass the check on ``on``?

    Each decision is the ``employer-check`` rule's assessment of the three grounds
    (eligible: passes; not_eligible: a ground fails; unknown: a ground was not checked or
    not assessed), its subject the organisation number (masked for a sole trader).
    ``parameters`` overrides the grounds' parameters (what-if). Union approval concerns a
    placement, not the employer: the rule over a case assesses it.

    Raises:
        RuleError: if an override names an unknown parameter or has the wrong type.
    """
    return [check_employer(check, on, parameters) for check in checks]
