"""Consent (samtycke) to disclose or gather information.

Provider: Arbetsförmedlingen (the individual's consent that AF may disclose to the
municipality) or the municipality's own e-service. Source: SSBTX report part 2, Bilaga 1,
row "Samtycke" ("Samtycke ja/nej, Giltighetsperiod"), and the report's account of
consents sent by post to AF's archive (arkivdepå) with no confirmation back. The Dua
category-15 agreement uses its own form (seeds/dua-skat15-faq.sv.txt).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.calendar import Period
from ssbx_model.errors import Problem
from ssbx_model.information._base import check_nonblank, check_order, check_types, raise_problems
from ssbx_model.purpose import Purpose

__all__ = ["Consent", "ConsentChannel", "ConsentKind"]


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

    ``given`` is False for a recorded refusal or withdrawal. ``scope`` lists the purposes
    the consent covers (at least one). ``validity`` may be open when the form names no end:
    the rules then apply the usual validity (6 months, a parameter). ``confirmed`` says
    whether the registering authority confirmed receipt (post to AF's archive is not).
    """

    kind: ConsentKind
    given: bool
    scope: tuple[Purpose, ...]
    validity: Period
    channel: ConsentChannel
    registered_on: dt.date | None = None
    confirmed: bool = False
    reference: str | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
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
