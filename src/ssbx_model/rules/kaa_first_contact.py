"""Notice check ``kaa-first-contact``: was the young person contacted in time after
entering the KAA register?

Source (Trelleborgs kommun, arbetsmarknadsnämnden, "Systemfel avseende datahantering inom
det kommunala aktivitetsansvaret", undated, "Bakgrund" and "Nuläge"):

    Det kommunala aktivitetsansvaret (KAA), där kommunen enligt skollagen skyndsamt ska
    kontakta ungdomar för att erbjuda insatser som ska leda till arbete eller studier [...]
    IKE-systemet uppdateras dagligen, eller när en ny ungdom registreras som utskriven,
    via Skolverket, vilket föranleder en kontakt från projekt One Touch riktad till
    aktuella ungdomar, eller i förekommande fall vårdnadshavare. Denna kontakt ska ske
    inom en arbetsdag och sker så i princip 100 % av fallen.

Citation: Trelleborgs kommun, arbetsmarknadsnämnden, "Systemfel avseende datahantering
inom det kommunala aktivitetsansvaret", "Nuläge"; skollagen (2010:800) 29 kap. 9 §.

"Skyndsamt" names no number of days; one working day is Trelleborg's routine, kept as the
parameter ``kaa.first_contact_working_days``.

As encoded, from the recorded dates of the KAA register entry, as known on the
reference date (a contact or closing dated after it has not happened yet):

- The **deadline** is the ``kaa.first_contact_working_days``-th Swedish working day after
  the day of entry, which is not counted (:data:`ssbx_model.calendar.SWEDEN`: weekends,
  public holidays and midsommarafton, julafton and nyårsafton are not working days).
  Entered on a Friday, the deadline is the next Monday; 0 days: the day of entry if it is
  a working day, else the next one.
- Contacted on or before the deadline: nothing to notice.
- Contacted after the deadline: ``kaa.first-contact.late`` (kind ``missed``), dated the
  deadline, naming the contact day and the working days it took.
- Not contacted by the reference date: ``kaa.first-contact.due`` (kind ``due``) while the
  deadline has not passed, ``kaa.first-contact.missed`` (kind ``missed``) once it has;
  nothing when the entry closed on or before the deadline.
- No entry ("absent", "not found"), or an entry made after the reference date: nothing.
  A register answer not requested, unavailable or withheld: the check cannot be made
  (``kaa_register`` missing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ssbx_model.calendar import SWEDEN
from ssbx_model.case import Case
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import DECIDED, Unknown, unknowns
from ssbx_model.rules.notices import (
    CaseNotice,
    NoticeCheck,
    NoticeKind,
    register_notice_check,
    working_days_en,
    working_days_sv,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["CHECK"]

CHECK_ID = "kaa-first-contact"
IKE = (
    "Trelleborgs kommun, arbetsmarknadsnämnden, 'Systemfel avseende datahantering inom det "
    "kommunala aktivitetsansvaret' (undated)"
)
CITATION = (
    f"{IKE}, 'Nuläge' ('Denna kontakt ska ske inom en arbetsdag'); skollagen (2010:800) 29 kap. 9 §"
)
SOURCE_TEXT = (
    "Det kommunala aktivitetsansvaret (KAA), där kommunen enligt skollagen skyndsamt ska "
    "kontakta ungdomar för att erbjuda insatser som ska leda till arbete eller studier [...] "
    "IKE-systemet uppdateras dagligen, eller när en ny ungdom registreras som utskriven, via "
    "Skolverket, vilket föranleder en kontakt från projekt One Touch riktad till aktuella "
    "ungdomar, eller i förekommande fall vårdnadshavare. Denna kontakt ska ske inom en "
    "arbetsdag och sker så i princip 100 % av fallen."
)

_U_REGISTER = unknowns(
    CHECK_ID,
    InformationSet.KAA_REGISTER,
    CITATION,
    what_sv="kontaktfristen",
    what_en="the contact deadline",
)


def _first_contact(case: Case, on: dt.date, p: ParameterView) -> Sequence[CaseNotice] | Unknown:
    answer = case.kaa_register
    if answer.status not in DECIDED:
        return _U_REGISTER[answer.status]
    entry = answer.value
    if entry is None or on < entry.entered_on:
        return ()
    days = p.int("kaa.first_contact_working_days")
    entered = entry.entered_on
    deadline = SWEDEN.add_working_days(entered, days)
    base = (("entered_on", entered), ("deadline", deadline), ("working_days", days))
    rule_sv = f"kontakt inom {working_days_sv(days)} från inskrivningen {entered.isoformat()}"
    rule_en = f"contact within {working_days_en(days)} of entry on {entered.isoformat()}"
    contacted = entry.contacted_on
    if contacted is not None and contacted <= on:
        if contacted <= deadline:
            return ()
        taken = SWEDEN.working_days_between(entered, contacted)
        return (
            CaseNotice(
                "kaa.first-contact.late",
                CHECK_ID,
                NoticeKind.MISSED,
                deadline,
                f"Första kontakten togs {contacted.isoformat()}, {working_days_sv(taken)} efter "
                f"inskrivningen: fristen ({rule_sv}) gick ut {deadline.isoformat()}.",
                f"The first contact was made on {contacted.isoformat()}, {working_days_en(taken)} "
                f"after entry: the deadline ({rule_en}) was {deadline.isoformat()}.",
                CITATION,
                (*base, ("contacted_on", contacted), ("working_days_taken", taken)),
            ),
        )
    closed = entry.closed_on
    if closed is not None and closed <= on and closed <= deadline:
        return ()
    if on <= deadline:
        return (
            CaseNotice(
                "kaa.first-contact.due",
                CHECK_ID,
                NoticeKind.DUE,
                deadline,
                f"Ingen kontakt registrerad: kontakta ungdomen senast {deadline.isoformat()} "
                f"({rule_sv}).",
                f"No contact on record: contact the young person by {deadline.isoformat()} "
                f"({rule_en}).",
                CITATION,
                base,
            ),
        )
    late = SWEDEN.working_days_between(deadline, on)
    return (
        CaseNotice(
            "kaa.first-contact.missed",
            CHECK_ID,
            NoticeKind.MISSED,
            deadline,
            f"Ingen kontakt registrerad den {on.isoformat()}: fristen ({rule_sv}) gick ut "
            f"{deadline.isoformat()}, {working_days_sv(late)} sedan.",
            f"No contact on record on {on.isoformat()}: the deadline ({rule_en}) was "
            f"{deadline.isoformat()}, {working_days_en(late)} ago.",
            CITATION,
            (*base, ("working_days_late", late)),
        ),
    )


CHECK = register_notice_check(
    NoticeCheck(
        id=CHECK_ID,
        title_en="KAA first contact within one working day",
        title_sv="Första kontakt inom KAA inom en arbetsdag",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=("kaa.first_contact_working_days",),
        needs=(InformationSet.KAA_REGISTER,),
        find=_first_contact,
    )
)
