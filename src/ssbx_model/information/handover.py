"""The handover package between municipalities: its model (what a package holds).

The package is built by :func:`ssbx_model.handover.build_handover` through the access
policy and written and read by :mod:`ssbx_model.codec.handover`; this module holds only
the values, so that the codec depends on the model and not on the access layer. See
:mod:`ssbx_model.handover` for the sources and what each part is for.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import attrs

from ssbx_model.calendar import Period
from ssbx_model.case import MUNICIPALITY_PATTERN
from ssbx_model.errors import Problem
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information._base import (
    WithheldField,
    check_nonblank,
    check_types,
    raise_problems,
)
from ssbx_model.information.consent import ConsentKind
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.kaa import KaaRegisterEntry

__all__ = [
    "HANDOVER_VERSION",
    "WITHHOLDABLE",
    "HandoverConsent",
    "HandoverPackage",
    "consent_travels",
]

#: The version of the handover package format (semantic versioning, like the case
#: document's, and independent of it).
HANDOVER_VERSION: Final = "1.0.0"
_VERSION = re.compile(r"1\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\Z", re.ASCII)
_MUNICIPALITY = re.compile(MUNICIPALITY_PATTERN + r"\Z")

_AF_CONSENT = (
    "AF's consent lets Arbetsförmedlingen disclose to the municipality that asked "
    "('Individen samtycker till att Arbetsförmedlingen får lämna ut information till "
    "kommunen', SKR, Processkartläggning del 2 (2022-03-11), 'Delprocess "
    "Samtyckeshantering - nuläge'): the receiving municipality is another recipient and "
    "obtains its own"
)
_E_SERVICE = (
    "the e-service consent lets the municipality that runs the e-service gather facts "
    "(SKR, Processkartläggning del 2 (2022-03-11), 'Delprocess Samtyckeshantering - "
    "nuläge'): it does not cover another municipality"
)
_DUA = (
    "the Dua form is 'ett samtycke för informationsutbyte mellan Arbetsförmedlingen och "
    "kommun' within the municipality's local Dua agreement (Dua, Frågor och svar om "
    "kommuninsatser 16-24 år): the receiving municipality has its own agreement and form"
)

#: Whether each consent kind travels to the receiving municipality, and why.
_TRAVELS: Final[dict[ConsentKind, tuple[bool, str]]] = {
    ConsentKind.AF_DISCLOSURE: (False, _AF_CONSENT),
    ConsentKind.MUNICIPAL_E_SERVICE: (False, _E_SERVICE),
    ConsentKind.DUA_INFORMATION_EXCHANGE: (False, _DUA),
}


def consent_travels(kind: ConsentKind) -> tuple[bool, str]:
    """Whether a consent of ``kind`` travels to the receiving municipality, and why."""
    return _TRAVELS[ConsentKind(kind)]


@attrs.frozen(slots=True)
class HandoverConsent:
    """A consent as the receiving municipality sees it: kind, yes or no, validity, and
    whether it travels (``travels``) with the reason (``note``, with its citation)."""

    kind: ConsentKind
    given: bool
    validity: Period
    travels: bool
    note: str

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_nonblank(problems, "note", self.note)
        raise_problems(problems)


#: The parts of a package that the access policy may withhold.
WITHHOLDABLE: Final = frozenset({"interventions", "consents", "kaa_entry"})


@attrs.frozen(slots=True, repr=False)
class HandoverPackage:
    """What the sending municipality hands over to the receiving one (see the module).

    ``package_version`` is the format's version (major 1); ``sending_municipality`` and
    ``receiving_municipality`` are different four-digit municipality codes;
    ``prepared_on`` the day the package was built. ``active_interventions`` have begun
    and are current on that day, ``planned_interventions`` are planned (not begun) and
    not over; intervention ids are unique across both. ``kaa_entry`` is the KAA entry
    open on that day, if any. ``withheld`` names each part the access policy withheld,
    with its reason (``interventions``, ``consents`` or ``kaa_entry``).

    Raises:
        ValidationError: listing every problem with its path.
    """

    package_version: str
    person: Personnummer | Samordningsnummer
    sending_municipality: str
    receiving_municipality: str
    prepared_on: dt.date
    active_interventions: tuple[MunicipalIntervention, ...] = ()
    planned_interventions: tuple[MunicipalIntervention, ...] = ()
    consents: tuple[HandoverConsent, ...] = ()
    kaa_entry: KaaRegisterEntry | None = None
    withheld: tuple[WithheldField, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        if not _VERSION.match(self.package_version):
            problems.append(
                Problem(
                    "package_version",
                    f"must be a version 1.x.y of the handover package (this library writes "
                    f"{HANDOVER_VERSION})",
                )
            )
        for field in ("sending_municipality", "receiving_municipality"):
            if not _MUNICIPALITY.match(getattr(self, field)):
                problems.append(Problem(field, "must be a four-digit municipality code"))
        if self.sending_municipality == self.receiving_municipality:
            problems.append(
                Problem("receiving_municipality", "must differ from the sending municipality")
            )
        seen: dict[str, str] = {}
        for part in ("active_interventions", "planned_interventions"):
            for i, item in enumerate(getattr(self, part)):
                where = f"{part}[{i}]"
                if item.intervention_id in seen:
                    problems.append(
                        Problem(f"{where}.intervention_id", f"repeats {seen[item.intervention_id]}")
                    )
                seen.setdefault(item.intervention_id, where)
                planned = item.status is InterventionStatus.PLANNED
                if planned != (part == "planned_interventions"):
                    want = "planned" if part == "planned_interventions" else "not planned"
                    problems.append(Problem(f"{where}.status", f"must be {want} here"))
        names: set[str] = set()
        for i, entry in enumerate(self.withheld):
            if entry.field not in WITHHOLDABLE:
                known = ", ".join(sorted(WITHHOLDABLE))
                problems.append(
                    Problem(f"withheld[{i}].field", f"is not a part that may be withheld ({known})")
                )
            elif entry.field in names:
                problems.append(Problem(f"withheld[{i}].field", f"{entry.field!r} is listed twice"))
            names.add(entry.field)
        if "kaa_entry" in names and self.kaa_entry is not None:
            problems.append(Problem("kaa_entry", "a withheld part carries no value"))
        if "consents" in names and self.consents:
            problems.append(Problem("consents", "a withheld part carries no value"))
        raise_problems(problems)

    def __repr__(self) -> str:
        return (
            f"HandoverPackage(version={self.package_version!r}, person={self.person!r}, "
            f"from={self.sending_municipality!r}, to={self.receiving_municipality!r}, "
            f"prepared_on={self.prepared_on.isoformat()}, "
            f"active={len(self.active_interventions)}, "
            f"planned={len(self.planned_interventions)}, consents={len(self.consents)}, "
            f"kaa_entry={self.kaa_entry is not None}, "
            f"withheld={[w.field for w in self.withheld]})"
        )
