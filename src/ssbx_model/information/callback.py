"""Requests to Arbetsförmedlingen's myndighetsingång and AF's callbacks, as the
municipality records them (ärende till myndighetsingången, motringning).

Provider: the municipality (its own record of what it asked AF and when AF called back).
Source: SKR, Processkartläggning del 2 (2022-03-11), "Kommunens kontakt med
Arbetsförmedlingens myndighetsingång":

    Arbetsförmedlingens myndighetsingång är en telefonservice som tar emot ärenden. [...]
    Enligt information från Arbetsförmedlingen har myndighetsutlämningen två
    servicelöften: Att besvara 70% av de inkommande samtalen inom 5 minuter. Att göra ett
    första motringningsförsök inom 2 arbetsdagar från inkommit ärende. Om de inte får
    kontakt vid första motringningsförsöket görs ytterligare två försök. Har de då
    fortfarande inte fått tag i frågeställaren skickas svaret per post till
    frågeställarens officiella adress.

(footnote 5: "Att ärendet är besvarat inom 5 minuter innebär inte att kommunen får svar
då. Svar ges vid motringningsförsök.")

The notice ``af-callback-overdue`` (:mod:`ssbx_model.rules.af_callback`) reads these
records against the promise.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from ssbx_model._masking import mask_identity_numbers
from ssbx_model.codes import AF_CALLBACK_TOPIC
from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    check_code,
    check_nonblank,
    check_order,
    check_types,
    raise_problems,
)

__all__ = ["CallbackAttempt", "CallbackRequest", "CallbackResult"]

#: The topic code whose wording is kept in ``topic_text``.
OTHER_TOPIC = "other"


class CallbackResult(StrEnum):
    """What one callback attempt (motringningsförsök) came to."""

    #: AF reached the caseworker and gave its answer.
    ANSWERED = "answered"
    #: AF called and did not reach the caseworker ("inte får kontakt").
    NOT_REACHED = "not-reached"


@attrs.frozen(slots=True)
class CallbackAttempt:
    """One callback attempt by AF: the day and what it came to."""

    on: dt.date
    result: CallbackResult

    def __attrs_post_init__(self) -> None:
        check_types(self)

    @property
    def answered(self) -> bool:
        """True when AF reached the caseworker on this attempt."""
        return self.result is CallbackResult.ANSWERED


@attrs.frozen(slots=True)
class CallbackRequest:
    """A request the municipality made to AF's myndighetsingång, and AF's callbacks.

    ``requested_on`` is the day the request reached AF ("inkommit ärende");
    ``topic`` a code of the ``af-callback-topic`` list (``other``: ``topic_text`` keeps
    the caseworker's words, which are stored with identity-number-shaped sequences
    masked). ``attempts`` are AF's callback attempts in the order made, each on or after
    the request and none after an answered one; ``letter_sent_on`` is the day AF sent the
    answer by post after the attempts failed ("skickas svaret per post"), so it follows
    the last attempt and is only recorded when no attempt was answered.
    ``request_id`` is the municipality's own id of the request.
    """

    request_id: str
    requested_on: dt.date
    topic: str
    topic_text: str | None = None
    attempts: tuple[CallbackAttempt, ...] = ()
    letter_sent_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        check_types(self)
        text = self.topic_text
        if text is not None:
            masked = mask_identity_numbers(text)
            if masked != text:
                object.__setattr__(self, "topic_text", masked)
        problems: list[Problem] = []
        check_nonblank(problems, "request_id", self.request_id)
        check_code(problems, "topic", AF_CALLBACK_TOPIC, self.topic)
        check_nonblank(problems, "topic_text", self.topic_text)
        if self.topic == OTHER_TOPIC and self.topic_text is None:
            problems.append(Problem("topic_text", "topic 'other' keeps the caseworker's words"))
        previous = self.requested_on
        for i, attempt in enumerate(self.attempts):
            what = "attempt date" if i == 0 else "attempt date (attempts are in order)"
            check_order(problems, f"attempts[{i}].on", previous, attempt.on, what)
            previous = max(previous, attempt.on)
            if attempt.answered and i < len(self.attempts) - 1:
                problems.append(Problem(f"attempts[{i + 1}]", "no attempt follows an answered one"))
        if self.letter_sent_on is not None:
            check_order(problems, "letter_sent_on", previous, self.letter_sent_on, "letter date")
            if any(a.answered for a in self.attempts):
                problems.append(
                    Problem(
                        "letter_sent_on",
                        "AF sends the answer by post only when no attempt reached the caseworker",
                    )
                )
        raise_problems(problems)

    def answered_on(self) -> dt.date | None:
        """The day AF gave its answer: the answered attempt, or the letter; None yet."""
        for attempt in self.attempts:
            if attempt.answered:
                return attempt.on
        return self.letter_sent_on
