"""The municipality's KAA register entry (kommunala aktivitetsansvaret).

Provider: the home municipality. Sources: skollagen (2010:800) 29 kap. 9 § (the register);
Föreningen Sambruk, "UKA – Uppföljningssystem för det Kommunala Aktivitetsansvaret"
(project page; register, contact, SCB reporting); Trelleborgs kommun,
arbetsmarknadsnämnden, "Systemfel avseende datahantering inom det kommunala
aktivitetsansvaret" (how young people enter the register, first contact "inom en
arbetsdag", and why many stay in it although they study or work).

The day an entry closes (``closed_on``) is, by default, the first day the person is no
longer in the register: the responsibility ends on that day, as it does on the 20th
birthday ("fram till den dag de fyller 20 år"). A municipality whose register records
the last day in it instead sets the parameter ``kaa.closing_day_in_register``; the rule
``kaa-reconcile`` and the SCB report both read it, so they treat the day alike.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model.calendar import Period
from ssbx_model.codes import KAA_OCCUPATION
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_code,
    check_nonblank,
    check_order,
    check_types,
    raise_problems,
)

__all__ = ["KaaContact", "KaaContactChannel", "KaaEntryReason", "KaaRegisterEntry"]


class KaaEntryReason(StrEnum):
    """Why the person entered the KAA register ("I anslutning till att en elev skrivs ut
    från en skola, avslutar studier utan gymnasieexamen alternativt ej påbörjar studier vid
    terminsstart, skrivs de in i IKE", Trelleborgs kommun, arbetsmarknadsnämnden)."""

    LEFT_SCHOOL = "left-school"
    ENDED_WITHOUT_DIPLOMA = "ended-without-diploma"
    DID_NOT_START = "did-not-start"
    MOVED_IN = "moved-in"
    OTHER = "other"


class KaaContactChannel(StrEnum):
    """How the municipality reached (or tried to reach) the young person ("en kontakt
    [...] riktad till aktuella ungdomar, eller i förekommande fall vårdnadshavare",
    Trelleborgs kommun, arbetsmarknadsnämnden)."""

    PHONE = "phone"
    LETTER = "letter"
    MEETING = "meeting"
    DIGITAL = "digital"
    GUARDIAN = "guardian"


@attrs.frozen(slots=True)
class KaaContact:
    """A later contact with the young person after the first one: day, channel, whether
    the young person (or guardian) was reached."""

    on: dt.date
    channel: KaaContactChannel
    reached: bool = True

    def __attrs_post_init__(self) -> None:
        check_types(self)


@attrs.frozen(slots=True)
class KaaRegisterEntry:
    """An entry of the KAA register: when and why the person entered, contact, closing.

    ``contacted_on`` is the day of the municipality's first contact; ``closed_on`` the
    day the entry closed (see the module documentation for whether that day is in the
    register). ``contacts`` are the later contacts, in order, each on or after the first
    contact (so there are none without one). ``occupation`` is a code of the
    ``kaa-occupation`` list, as known on ``occupation_on`` (both or neither; None: not
    recorded, as in entries made before the register kept it).
    """

    entered_on: dt.date
    reason: KaaEntryReason
    contacted_on: dt.date | None = None
    closed_on: dt.date | None = None
    close_reason: str | None = None
    contacts: tuple[KaaContact, ...] = ()
    occupation: str | None = None
    occupation_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        check_order(problems, "contacted_on", self.entered_on, self.contacted_on, "contact date")
        check_order(problems, "closed_on", self.entered_on, self.closed_on, "closing date")
        if self.contacts and self.contacted_on is None:
            problems.append(
                Problem("contacts", "later contacts need the first contact (contacted_on)")
            )
        previous = self.contacted_on
        for i, contact in enumerate(self.contacts):
            check_order(problems, f"contacts[{i}].on", previous, contact.on, "contact date")
            if previous is not None:
                previous = max(previous, contact.on)
        check_code(problems, "occupation", KAA_OCCUPATION, self.occupation)
        if (self.occupation is None) != (self.occupation_on is None):
            problems.append(
                Problem("occupation_on", "an occupation is recorded with its date, and only then")
            )
        check_order(
            problems, "occupation_on", self.entered_on, self.occupation_on, "occupation date"
        )
        check_nonblank(problems, "close_reason", self.close_reason)
        if (self.closed_on is None) != (self.close_reason is None):
            problems.append(
                Problem("close_reason", "a closed entry has a close reason, an open one none")
            )
        raise_problems(problems)

    def last_contact_on(self, on: dt.date | None = None) -> dt.date | None:
        """The day of the latest contact (first or later), as known on ``on`` (all known
        contacts when ``on`` is None); None when there is none."""
        days = [d for d in (self.contacted_on, *(c.on for c in self.contacts)) if d is not None]
        if on is not None:
            days = [d for d in days if d <= on]
        return max(days, default=None)

    def is_open_on(self, on: dt.date, *, closing_day_in_register: bool = False) -> bool:
        """True when the person is in the register on ``on``.

        The closing day itself is in the register only with ``closing_day_in_register``
        (the parameter of the same name; by default it is not).
        """
        closed = self.closed_on
        if closed is None or on < closed:
            return self.entered_on <= on
        return closing_day_in_register and on == closed

    def days_in_register(self, *, closing_day_in_register: bool = False) -> Period | None:
        """The days the person is in the register (open-ended while the entry is open).

        None for an entry closed on the day it was entered when the closing day is not in
        the register: the person was never in it.
        """
        closed = self.closed_on
        if closed is None or closing_day_in_register:
            return Period(self.entered_on, closed)
        if closed == self.entered_on:
            return None
        return Period(self.entered_on, closed - dt.timedelta(days=1))
