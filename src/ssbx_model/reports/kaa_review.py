"""KAA register entries to review: occupations that make them likely register errors.

Source (Trelleborgs kommun, arbetsmarknadsnämnden, "Systemfel avseende datahantering inom
det kommunala aktivitetsansvaret", undated, "Bakgrund" and "Nuläge"):

    Det verkliga talet är lägre, då ungdomar som är självförsörjande genom arbete ej
    avslutas i systemet utan fortsatt räknas som att vara i behov av kommunens service att
    återgå till studier fram till den dag de fyller 20 år. [...] Det visar sig att
    flertalet av dessa trelleborgare studerar på heltid eller är inskrivna på det
    individuella programmet utan att det syns i systemet. Trots det syns de i IKE och
    behandlas därför som ungdomar som varken arbetar eller studerar (UVAS).

and skollagen (2010:800) 29 kap. 9 §: the municipality shall "hålla sig informerad om hur
de ungdomar i kommunen är sysselsatta" — every youth under 20 without a completed
programme is covered whatever they do. So :func:`entries_for_review` never closes an
entry and never calls it wrong: it **lists** open entries whose recorded occupation is
one under which Trelleborg found youths counted as needing support (work, full-time
studies, the introduction/individual programme: the ``reconcile_flag`` attribute of the
``kaa-occupation`` list), for a caseworker to review how the occupation is recorded and
counted. Each finding is on only while the parameter of the ``kaa-reconcile`` rule for
the same finding is (``kaa_reconcile.flag_work``, ``kaa_reconcile.flag_studies``,
``kaa_reconcile.flag_introduction_programme``; all true by default): one configurable
reading, shared with the rule, which reads the other evidence (employment, studies,
schooling) the same way.

An entry is open on the day as the SCB report and ``kaa-reconcile`` read it
(``kaa.closing_day_in_register``); an occupation recorded after the day is not yet known.
A register answer that could not be fetched or was withheld cannot be reviewed: it is
listed in ``unknown``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from ssbx_model import codes
from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.reports._common import Notice, sorted_notices

__all__ = ["KaaReview", "KaaReviewItem", "entries_for_review"]

Scalar = int | float | bool | str

#: The kaa-reconcile parameter that switches each finding on or off.
_FLAG_PARAMETER = {
    "work": "kaa_reconcile.flag_work",
    "studies": "kaa_reconcile.flag_studies",
    "introduction-programme": "kaa_reconcile.flag_introduction_programme",
}


@attrs.frozen
class KaaReviewItem:
    """One open entry to review: where it is, what was recorded and which finding.

    ``path`` points into the input (``cases[3].kaa_register``) and ``reference`` is the
    case's own reference: no identity number.
    """

    path: str
    reference: str | None
    occupation: str
    occupation_on: dt.date
    finding: str
    message: str


@attrs.frozen
class KaaReview:
    """The entries to review on ``on`` and the cases whose register is unknown."""

    on: dt.date
    items: tuple[KaaReviewItem, ...]
    unknown: tuple[Notice, ...] = ()


def entries_for_review(
    cases: Iterable[Case],
    on: dt.date,
    *,
    parameters: Mapping[str, Scalar] | None = None,
) -> KaaReview:
    """The open KAA entries on ``on`` whose occupation makes them likely register errors.

    Never changes or closes an entry (see the module documentation). ``parameters`` are
    what-if overrides of ``kaa.closing_day_in_register`` and the ``kaa_reconcile.flag_*``
    parameters.

    Raises:
        RuleError: if an override names an unknown parameter or has the wrong type.
    """
    from ssbx_model.rules.parameters import default

    names = ("kaa.closing_day_in_register", *_FLAG_PARAMETER.values())
    read = default().view(names, on, parameters)
    closing_day = bool(read["kaa.closing_day_in_register"])
    occupations = codes.load(codes.KAA_OCCUPATION)
    items: list[KaaReviewItem] = []
    unknown: list[Notice] = []
    for ci, case in enumerate(cases):
        answer = case.kaa_register
        path = f"cases[{ci}].kaa_register"
        if answer.status in (AnswerStatus.UNAVAILABLE, AnswerStatus.WITHHELD):
            unknown.append(
                Notice(
                    "kaa-review.register-unknown",
                    path,
                    f"the KAA register entry is {answer.status.value} ({answer.reason}): "
                    "it cannot be reviewed",
                    case.reference,
                )
            )
            continue
        entry = answer.value if answer.is_known else None
        if entry is None or not entry.is_open_on(on, closing_day_in_register=closing_day):
            continue
        known_on = entry.occupation_on
        if entry.occupation is None or known_on is None or known_on > on:
            continue
        finding = occupations.get(entry.occupation).attributes.get("reconcile_flag", "none")
        parameter = _FLAG_PARAMETER.get(finding)
        if parameter is None or not bool(read[parameter]):
            continue
        label = occupations.get(entry.occupation).label_en
        items.append(
            KaaReviewItem(
                path,
                case.reference,
                entry.occupation,
                known_on,
                finding,
                f"open on {on.isoformat()} with the occupation '{label}' (recorded "
                f"{known_on.isoformat()}): covered by the activity responsibility, but "
                "likely counted as needing support; review how the occupation is "
                f"recorded (not closed; {parameter} is on)",
            )
        )
    return KaaReview(on, tuple(items), sorted_notices(unknown))
