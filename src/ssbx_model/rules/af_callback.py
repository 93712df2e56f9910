"""Notice check ``af-callback-overdue``: has Arbetsförmedlingen called back in time on the
municipality's request to its myndighetsingång?

Source (SKR, Processkartläggning del 2 (2022-03-11), "Kommunens kontakt med
Arbetsförmedlingens myndighetsingång"):

    Enligt information från Arbetsförmedlingen har myndighetsutlämningen två
    servicelöften: [...] Att göra ett första motringningsförsök inom 2 arbetsdagar från
    inkommit ärende. Om de inte får kontakt vid första motringningsförsöket görs
    ytterligare två försök. Har de då fortfarande inte fått tag i frågeställaren skickas
    svaret per post till frågeställarens officiella adress.

Citation: SKR, Processkartläggning del 2 (2022-03-11), "Kommunens kontakt med
Arbetsförmedlingens myndighetsingång" (AF's service promise, not a statute).

Parameters: ``af.callback_working_days`` (2), ``af.callback_unanswered_attempt_counts``
(true: the promise is an *attempt*, as the report's words say; false: only an attempt
that reached the caseworker, or the letter, meets it) and ``af.callback_attempts`` (3:
the report's first attempt and two more; SKR's 2024 page says two).

As encoded, for each callback request made on or before the reference date, from the
recorded dates as known on it (an attempt or a letter dated after it has not happened):

- The **deadline** is the ``af.callback_working_days``-th Swedish working day after the
  day of the request, which is not counted (:data:`ssbx_model.calendar.SWEDEN`: weekends,
  public holidays, midsommarafton, julafton and nyårsafton are not working days). A
  request on a Friday is due the next Tuesday; one made on a Saturday, Sunday or holiday
  likewise counts from the next working day (day 1).
- A **qualifying** callback is an attempt (any attempt; only an answered one when
  ``af.callback_unanswered_attempt_counts`` is false, and then the letter too).
- Qualifying callback on or before the deadline: nothing to notice.
- Qualifying callback after the deadline: ``af.callback.late`` (kind ``missed``), dated
  the deadline, naming the day and the working days it took.
- None by the reference date: ``af.callback.due`` (kind ``due``) while the deadline has
  not passed, ``af.callback.missed`` (kind ``missed``) once it has.
- ``af.callback_attempts`` attempts recorded, none answered and no letter:
  ``af.callback.letter-expected`` (kind ``action``), dated the last attempt: AF sends the
  answer by post to the municipality's official address.
- No request ("absent"): nothing. A callback answer not requested, unavailable or
  withheld: the check cannot be made (``af_callbacks`` missing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ssbx_model.calendar import SWEDEN
from ssbx_model.case import Case
from ssbx_model.information.callback import CallbackRequest
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

CHECK_ID = "af-callback-overdue"
REPORT = (
    "SKR, Processkartläggning del 2 (2022-03-11), 'Kommunens kontakt med "
    "Arbetsförmedlingens myndighetsingång'"
)
CITATION = (
    f"{REPORT} ('Att göra ett första motringningsförsök inom 2 arbetsdagar från inkommit "
    "ärende'; AF's service promise)"
)
SOURCE_TEXT = (
    "Enligt information från Arbetsförmedlingen har myndighetsutlämningen två "
    "servicelöften: [...] Att göra ett första motringningsförsök inom 2 arbetsdagar från "
    "inkommit ärende. Om de inte får kontakt vid första motringningsförsöket görs "
    "ytterligare två försök. Har de då fortfarande inte fått tag i frågeställaren skickas "
    "svaret per post till frågeställarens officiella adress."
)
PARAMETERS = (
    "af.callback_working_days",
    "af.callback_unanswered_attempt_counts",
    "af.callback_attempts",
)

_U_CALLBACKS = unknowns(
    CHECK_ID,
    InformationSet.AF_CALLBACKS,
    CITATION,
    what_sv="motringningsfristen",
    what_en="the callback deadline",
)


def _first_callback(request: CallbackRequest, on: dt.date, attempt_counts: bool) -> dt.date | None:
    """The first qualifying callback known on ``on``: an attempt (an answered one only,
    or the letter, when an unanswered attempt does not count)."""
    for attempt in request.attempts:
        if attempt.on > on:
            return None
        if attempt_counts or attempt.answered:
            return attempt.on
    letter = request.letter_sent_on
    if not attempt_counts and letter is not None and letter <= on:
        return letter
    return None


def _notices(request: CallbackRequest, on: dt.date, p: ParameterView) -> list[CaseNotice]:
    days = p.int("af.callback_working_days")
    counts = bool(p["af.callback_unanswered_attempt_counts"])
    asked = request.requested_on
    deadline = SWEDEN.add_working_days(asked, days)
    rid = request.request_id
    base = (
        ("request_id", rid),
        ("requested_on", asked),
        ("deadline", deadline),
        ("working_days", days),
        ("unanswered_attempt_counts", counts),
    )
    what_sv = "ett första motringningsförsök" if counts else "svar (motringning eller brev)"
    what_en = "a first callback attempt" if counts else "an answer (a callback or the letter)"
    rule_sv = f"{what_sv} inom {working_days_sv(days)} från ärendet {asked.isoformat()}"
    rule_en = f"{what_en} within {working_days_en(days)} of the request on {asked.isoformat()}"
    found: list[CaseNotice] = []
    first = _first_callback(request, on, counts)
    if first is not None:
        if first > deadline:
            taken = SWEDEN.working_days_between(asked, first)
            found.append(
                CaseNotice(
                    "af.callback.late",
                    CHECK_ID,
                    NoticeKind.MISSED,
                    deadline,
                    f"Ärende {rid}: Arbetsförmedlingen återkom {first.isoformat()}, "
                    f"{working_days_sv(taken)} efter ärendet: löftet ({rule_sv}) gick ut "
                    f"{deadline.isoformat()}.",
                    f"Request {rid}: Arbetsförmedlingen came back on {first.isoformat()}, "
                    f"{working_days_en(taken)} after the request: the promise ({rule_en}) ran out "
                    f"on {deadline.isoformat()}.",
                    CITATION,
                    (*base, ("callback_on", first), ("working_days_taken", taken)),
                )
            )
    elif on <= deadline:
        found.append(
            CaseNotice(
                "af.callback.due",
                CHECK_ID,
                NoticeKind.DUE,
                deadline,
                f"Ärende {rid}: ingen motringning registrerad; Arbetsförmedlingen har lovat "
                f"{rule_sv}, senast {deadline.isoformat()}.",
                f"Request {rid}: no callback on record; Arbetsförmedlingen promises "
                f"{rule_en}, by {deadline.isoformat()}.",
                CITATION,
                base,
            )
        )
    else:
        late = SWEDEN.working_days_between(deadline, on)
        found.append(
            CaseNotice(
                "af.callback.missed",
                CHECK_ID,
                NoticeKind.MISSED,
                deadline,
                f"Ärende {rid}: ingen motringning registrerad den {on.isoformat()}: löftet "
                f"({rule_sv}) gick ut {deadline.isoformat()}, {working_days_sv(late)} sedan.",
                f"Request {rid}: no callback on record on {on.isoformat()}: the promise "
                f"({rule_en}) ran out on {deadline.isoformat()}, {working_days_en(late)} ago.",
                CITATION,
                (*base, ("working_days_late", late)),
            )
        )
    known = [a for a in request.attempts if a.on <= on]
    limit = p.int("af.callback_attempts")
    letter = request.letter_sent_on
    if (
        len(known) >= limit
        and not any(a.answered for a in known)
        and (letter is None or letter > on)
    ):
        last = known[-1].on
        found.append(
            CaseNotice(
                "af.callback.letter-expected",
                CHECK_ID,
                NoticeKind.ACTION,
                last,
                f"Ärende {rid}: {len(known)} motringningsförsök utan kontakt (senast "
                f"{last.isoformat()}) och inget brev registrerat: Arbetsförmedlingen skickar "
                "svaret per post till kommunens officiella adress.",
                f"Request {rid}: {len(known)} callback attempts without contact (the last on "
                f"{last.isoformat()}) and no letter on record: Arbetsförmedlingen sends the "
                "answer by post to the municipality's official address.",
                CITATION,
                (*base, ("attempts", len(known)), ("attempts_before_letter", limit)),
            )
        )
    return found


def _overdue(case: Case, on: dt.date, p: ParameterView) -> Sequence[CaseNotice] | Unknown:
    answer = case.af_callbacks
    if answer.status not in DECIDED:
        return _U_CALLBACKS[answer.status]
    found: list[CaseNotice] = []
    for request in answer.items():
        if request.requested_on <= on:
            found.extend(_notices(request, on, p))
    return found


CHECK = register_notice_check(
    NoticeCheck(
        id=CHECK_ID,
        title_en="Arbetsförmedlingen's callback within two working days",
        title_sv="Arbetsförmedlingens motringning inom två arbetsdagar",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=PARAMETERS,
        needs=(InformationSet.AF_CALLBACKS,),
        find=_overdue,
    )
)
