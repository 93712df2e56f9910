"""Consent (samtycke) to disclose or gather information, and a person's consent history.

Provider: Arbetsförmedlingen (the individual's consent that AF may disclose to the
municipality) or the municipality's own e-service. Source: SKR, Processkartläggning del 2
(2022-03-11), Bilaga 1, row "Samtycke" ("Samtycke ja/nej, Giltighetsperiod"), and the
report's account of consents sent by post to AF's archive (arkivdepå) with no confirmation
back. The Dua category-15 agreement uses its own form: Delegationen för unga och nyanlända
till arbete (Dua), "Frågor och svar - uppföljning av kommuninsatser för ungdomar 16-24
år": "ett samtycke för informationsutbyte mellan Arbetsförmedlingen och kommun ... En
särskild blankett finns för detta."

A person's consents of one kind form a **history**: a refusal or withdrawal
(``given = False``) stays in force until a *later* consent of the same kind is given;
the passing of time never lifts it ("Väljer klienten att inte medge samtycke tar denna
process slut", report part 2, "Delprocess Inhämta samtycke"). :func:`consent_standing`
is the one reading of that history, used by the ``consent`` rule, the access filter and
``skat15`` alike.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

import attrs
from dateutil.relativedelta import relativedelta

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_order, check_types, raise_problems
from ssbx_model.purpose import Purpose

__all__ = [
    "Consent",
    "ConsentChannel",
    "ConsentKind",
    "ConsentStanding",
    "ConsentState",
    "consent_history_problems",
    "consent_standing",
    "parse_kinds",
]


class ConsentKind(StrEnum):
    """Which consent this is: they are different legal acts and never interchangeable."""

    #: The individual lets AF disclose information to the municipality (the SSBTX case).
    AF_DISCLOSURE = "af-disclosure"
    #: The individual lets the municipality gather facts from several sources (e-service).
    MUNICIPAL_E_SERVICE = "municipal-e-service"
    #: The Dua form for information exchange between AF and the municipality (category 15).
    DUA_INFORMATION_EXCHANGE = "dua-information-exchange"


class ConsentChannel(StrEnum):
    """How the consent was registered."""

    #: Form sent by post to AF's archive (arkivdepå); no confirmation comes back.
    POST_TO_AF_ARCHIVE = "post-to-af-archive"
    #: Given digitally in an e-service (AF's or the municipality's).
    E_SERVICE = "e-service"
    #: Signed at a meeting (e.g. a three-party meeting) and registered by the official.
    IN_PERSON = "in-person"


@attrs.frozen(slots=True)
class Consent:
    """One consent: its kind, yes or no, scope, validity and how it was registered.

    ``given`` is False for a recorded refusal or withdrawal: its ``validity.start`` is the
    day it was made and it has no end (it stays in force until a later consent of the same
    kind). ``scope`` lists the purposes the consent covers (at least one). ``validity`` of
    a given consent may be open when the form names no end: the rules then apply the usual
    validity of its kind (parameters, e.g. 6 months for AF's consent). ``confirmed`` says
    whether the registering authority confirmed receipt (post to AF's archive is not).
    ``withdraws`` is, for a withdrawal, the ``reference`` of the consent it withdraws when
    the source says which.
    """

    kind: ConsentKind
    given: bool
    scope: tuple[Purpose, ...]
    validity: Period
    channel: ConsentChannel
    registered_on: dt.date | None = None
    confirmed: bool = False
    reference: str | None = None
    withdraws: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        if not self.given and self.validity.end is not None:
            problems.append(
                Problem(
                    "validity.end",
                    "a refusal or withdrawal has no end: it stays in force until a later "
                    "consent of the same kind is given",
                )
            )
        if self.given and self.withdraws is not None:
            problems.append(Problem("withdraws", "only a withdrawal (given = false) withdraws"))
        check_nonblank(problems, "withdraws", self.withdraws)
        if not self.scope:
            problems.append(Problem("scope", "a consent covers at least one purpose"))
        elif len(set(self.scope)) != len(self.scope):
            problems.append(Problem("scope", "a purpose is listed twice"))
        if self.registered_on is not None and self.validity.end is not None:
            check_order(
                problems,
                "registered_on",
                self.registered_on,
                self.validity.end,
                "the end of validity",
            )
        check_nonblank(problems, "reference", self.reference)
        raise_problems(problems)

    def covers(self, purpose: Purpose) -> bool:
        """True when the consent's scope includes ``purpose``."""
        return purpose in self.scope


class ConsentState(StrEnum):
    """Where a person's consent history of one kind stands on a date."""

    #: A given consent of the kind covers the purpose and is valid on the date.
    VALID = "valid"
    #: The latest word on the date is a refusal or withdrawal: it stays until a new consent.
    WITHDRAWN = "withdrawn"
    #: The consents given after the latest refusal have all lapsed.
    EXPIRED = "expired"
    #: Consents of the kind for the purpose exist, but none has started yet.
    NOT_YET = "not-yet"
    #: No consent of the kind covers the purpose (there may be some for other purposes).
    NONE = "none"


class ConsentStanding(NamedTuple):
    """The reading of a consent history on one date: its state, the consent that decides
    it (None for ``none``) and that consent's last valid day (None: no end; always None
    for a withdrawal, which does not lapse).

    A named tuple: the rules read one for every consent history on every date, and it is
    the cheapest immutable value to make."""

    state: ConsentState
    consent: Consent | None = None
    end: dt.date | None = None


def effective_end(consent: Consent, validity_months: int | None) -> dt.date | None:
    """The last day a given consent is valid: its own end, else ``validity_months``
    months from its start counted as lag (1930:173) om beräkning av lagstadgad tid counts
    months (from 15 January: through 15 July; from 31 August: through the last day of
    February), else None (``validity_months`` None: no usual validity, no end).

    A refusal or withdrawal has no end.
    """
    if not consent.given:
        return None
    end = consent.validity.end
    if end is not None or validity_months is None:
        return end
    return consent.validity.start + relativedelta(months=validity_months)


def consent_standing(
    consents: Sequence[Consent],
    kind: ConsentKind,
    on: dt.date,
    *,
    purpose: Purpose | None,
    validity_months: int | None,
) -> ConsentStanding:
    """Read the history of ``kind`` consents covering ``purpose`` (None: any) on ``on``.

    Of the consents that have started by ``on``: the latest refusal or withdrawal cancels
    every consent that started before it, and stays in force however long ago it was made,
    until a consent of the same kind starts after it. Of the consents given after the
    latest refusal, the state is *valid* when one is valid on ``on`` (the one valid the
    longest decides), else *expired* (the one that ended last decides).
    ``validity_months`` is the usual validity of a consent without an end date (None:
    such a consent does not lapse).
    """
    # One pass over the history (it is read for every AF set released and every rule
    # that reads consent): the first consent still to come, the latest refusal and the
    # given consents that have started.
    relevant = False
    upcoming: Consent | None = None
    refusal: Consent | None = None
    given: list[Consent] = []
    for c in consents:
        if c.kind is not kind or (purpose is not None and purpose not in c.scope):
            continue
        relevant = True
        start = c.validity.start
        if start > on:
            if upcoming is None or start < upcoming.validity.start:
                upcoming = c
        elif c.given:
            given.append(c)
        elif refusal is None or start > refusal.validity.start:
            refusal = c
    if not relevant:
        return ConsentStanding(ConsentState.NONE)
    if refusal is not None:
        cut = refusal.validity.start
        given = [c for c in given if c.validity.start > cut]
    if not given:
        if refusal is not None:
            return ConsentStanding(ConsentState.WITHDRAWN, refusal)
        return ConsentStanding(ConsentState.NOT_YET, upcoming)
    best: tuple[dt.date, dt.date, Consent, dt.date | None] | None = None
    last: tuple[dt.date, dt.date, Consent, dt.date | None] | None = None
    for c in given:
        end = effective_end(c, validity_months)
        key = (end or dt.date.max, c.validity.start, c, end)
        if end is None or on <= end:
            if best is None or key[:2] > best[:2]:
                best = key
        elif last is None or key[:2] > last[:2]:
            last = key
    if best is not None:
        return ConsentStanding(ConsentState.VALID, best[2], best[3])
    assert last is not None
    return ConsentStanding(ConsentState.EXPIRED, last[2], last[3])


@functools.lru_cache(maxsize=64)
def parse_kinds(text: str) -> tuple[ConsentKind, ...]:
    """The consent kinds of a comma-separated list (``"af-disclosure,dua-information-exchange"``).

    Raises:
        ValueError: naming the first entry that is not a consent kind.
    """
    kinds: list[ConsentKind] = []
    for name in text.split(","):
        try:
            kinds.append(ConsentKind(name.strip()))
        except ValueError:
            known = ", ".join(k.value for k in ConsentKind)
            raise ValueError(f"{name.strip()!r} is not a consent kind (one of {known})") from None
    return tuple(kinds)


def consent_history_problems(consents: Sequence[Consent], path: str) -> list[Problem]:
    """The contradictions of a consent history, each at ``path[i]...``.

    - a withdrawal names (``withdraws``) a consent that is not in the history, is of
      another kind, is itself a withdrawal, or started after the withdrawal;
    - two consents of one kind start on the same day with overlapping scopes and
      different answers (which one is the client's word cannot be told).
    """
    problems: list[Problem] = []
    by_reference: dict[str, int] = {}
    for i, c in enumerate(consents):
        if c.reference is not None:
            by_reference.setdefault(c.reference, i)
    for i, c in enumerate(consents):
        if c.withdraws is None:
            continue
        where = f"{path}[{i}].withdraws"
        j = by_reference.get(c.withdraws)
        if j is None:
            problems.append(Problem(where, "names no consent of this history (by reference)"))
            continue
        target = consents[j]
        if target.kind is not c.kind:
            problems.append(
                Problem(
                    where, f"names a consent of another kind ({target.kind.value}, {path}[{j}])"
                )
            )
        elif not target.given:
            problems.append(Problem(where, f"names a withdrawal, not a consent ({path}[{j}])"))
        elif c.validity.start < target.validity.start:
            problems.append(
                Problem(
                    f"{path}[{i}].validity.start",
                    f"the withdrawal ({c.validity.start}) is dated before the consent it "
                    f"withdraws ({path}[{j}], from {target.validity.start})",
                )
            )
    for i, a in enumerate(consents):
        for j in range(i + 1, len(consents)):
            b = consents[j]
            if (
                a.kind is b.kind
                and a.given != b.given
                and a.validity.start == b.validity.start
                and set(a.scope) & set(b.scope)
            ):
                problems.append(
                    Problem(
                        f"{path}[{j}].given",
                        f"contradicts {path}[{i}]: a consent and a refusal of kind "
                        f"{a.kind.value} on the same day ({a.validity.start}) for the same "
                        "purpose",
                    )
                )
    return problems
