"""The handover package: what a municipality hands over when a person moves to another.

Source: SKR, Processkartläggning del 2 (2022-03-11), Tabell 7 "Övriga informationsmängder",
row "Information mellan kommuner" (provider: "Eventuellt hanteras via SDK"):

    Kommunerna har ofta olika verksamhetssystem som inte kan dela information mellan
    varandra. Av intresse med förbättrad överlämning av information kring individ vid
    flytt mellan kommuner. Exempel: En arbetskonsulent berättade om en situation där
    kommunen fått ett antal extratjänstplatser. Innan extratjänsten startade flyttade en
    av de antagna klienterna till annan kommun utan att meddela detta vilket ledde till
    att kommunen blev av med en extratjänstplats som kunde gått till en annan klient.

A :class:`HandoverPackage` carries the minimum the receiving municipality needs to go on,
under its own version number (:data:`HANDOVER_VERSION`, independent of the case
document's):

- the person's identity number (the receiver must know whom the package is about: it
  prints masked in every repr, log and error; the wire form carries it, as a message about
  one person over Säker digital kommunikation (SDK) does);
- the municipal interventions that are **active** on the day of the handover and those
  **planned** (planned placements such as an extratjänst place, the report's example: the
  sending municipality loses the place, the receiver learns that it was planned);
- the person's **consents**, each marked whether it **travels**. None of the consent
  kinds the model knows travels, because each names its recipient: AF's consent lets AF
  disclose "till kommunen" that asked; the municipal e-service consent lets *this*
  municipality gather facts; the Dua form is for the exchange between AF and the
  municipality of a local Dua agreement. The receiver sees what existed (kind, yes or no,
  validity) and obtains its own;
- the **open KAA entry**: the activity responsibility lies with the home municipality
  (skollagen (2010:800) 29 kap. 9 §, "hemkommunen"), so it passes to the receiver.

:func:`build_handover` builds the package from a :class:`~ssbx_model.Case` through the
access policy for the purpose ``handover`` (:func:`ssbx_model.access.filter_case`): what
the policy withholds (a set, or interventions that reveal a disability) stays out and is
named in :attr:`HandoverPackage.withheld` with the policy's reason. The receiving side
reads the package with the same strict codec as cases (:mod:`ssbx_model.codec.handover`):
every problem with its path, unknown fields refused. How the package travels over SDK is
described in the docs page "Handover between municipalities".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import attrs

from ssbx_model.access import Policy, default_policy, filter_case
from ssbx_model.calendar import Period
from ssbx_model.case import MUNICIPALITY_PATTERN, Case
from ssbx_model.clock import Clock, utc_now
from ssbx_model.errors import Problem
from ssbx_model.identity import Personnummer, Samordningsnummer
from ssbx_model.information._base import (
    AnswerStatus,
    WithheldField,
    check_nonblank,
    check_types,
    raise_problems,
)
from ssbx_model.information.consent import Consent, ConsentKind
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.kaa import KaaRegisterEntry
from ssbx_model.ports import AuditSink, Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role

__all__ = [
    "HANDOVER_VERSION",
    "HandoverConsent",
    "HandoverPackage",
    "build_handover",
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


def _in_force(consent: Consent, on: dt.date) -> bool:
    """Given or refused, a consent whose validity has not ended before ``on`` (a refusal
    has no end and stands until a later consent)."""
    end = consent.validity.end
    return end is None or end >= on


def build_handover(
    case: Case,
    *,
    receiving_municipality: str,
    on: dt.date,
    role: Role = Role.EMPLOYMENT_OFFICER,
    policy: Policy | None = None,
    audit: AuditSink | None = None,
    requester: Requester | None = None,
    pseudonymizer: Pseudonymizer | None = None,
    clock: Clock = utc_now,
) -> HandoverPackage:
    """The handover package of ``case`` to ``receiving_municipality``, prepared on ``on``.

    The case is filtered by the access policy (``policy``, default the shipped one) for
    ``role`` and the purpose ``handover``; with ``audit`` the filtering is recorded like
    any other read (see :func:`ssbx_model.access.filter_case`). Then the package takes:
    the interventions current on ``on`` and the planned ones not over by then; the
    consents (given or refused) whose validity has not ended before ``on``, each with
    whether it travels; the KAA entry when it is open on ``on``. A part the policy
    withheld is named in ``withheld`` with the policy's reason, as are interventions the
    policy left out because they reveal a disability.

    Raises:
        AccessDenied: the policy has no grant for ``role`` and ``handover``.
        ValidationError: e.g. the receiving municipality is the sending one, or its code
            is not four digits (path ``receiving_municipality``).
    """
    filtered = filter_case(
        case,
        role=role,
        purpose=Purpose.HANDOVER,
        on=on,
        policy=policy if policy is not None else default_policy(),
        audit=audit,
        requester=requester,
        pseudonymizer=pseudonymizer,
        clock=clock,
    )
    seen = filtered.case
    withheld: list[WithheldField] = []
    kept = {i.intervention_id for i in seen.interventions}
    if any(i.intervention_id not in kept for i in case.interventions):
        note = "; ".join(filtered.excluded) or "left out by the access policy"
        withheld.append(WithheldField("interventions", note))
    active = tuple(
        i
        for i in seen.interventions
        if i.status is not InterventionStatus.PLANNED and i.is_current(on)
    )
    planned = tuple(
        i
        for i in seen.interventions
        if i.status is InterventionStatus.PLANNED and (i.period.end is None or i.period.end >= on)
    )
    consents: tuple[HandoverConsent, ...] = ()
    answer = seen.consents
    if answer.status is AnswerStatus.WITHHELD:
        withheld.append(WithheldField("consents", answer.reason or "withheld"))
    elif answer.is_known:
        consents = tuple(
            HandoverConsent(c.kind, c.given, c.validity, *consent_travels(c.kind))
            for c in answer.items()
            if _in_force(c, on)
        )
    kaa_entry = None
    register = seen.kaa_register
    if register.status is AnswerStatus.WITHHELD:
        withheld.append(WithheldField("kaa_entry", register.reason or "withheld"))
    elif register.is_known and register.value is not None:
        from ssbx_model.rules.parameters import default as default_parameters

        closing_day = bool(default_parameters().value("kaa.closing_day_in_register", on))
        if register.value.is_open_on(on, closing_day_in_register=closing_day):
            kaa_entry = register.value
    return HandoverPackage(
        package_version=HANDOVER_VERSION,
        person=case.person,
        sending_municipality=case.municipality,
        receiving_municipality=receiving_municipality,
        prepared_on=on,
        active_interventions=active,
        planned_interventions=planned,
        consents=consents,
        kaa_entry=kaa_entry,
        withheld=tuple(withheld),
    )
