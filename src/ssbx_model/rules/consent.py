"""Rule ``consent``: may AF disclose information to the municipality on this date, for
this purpose?

Source (seeds/ssbtx-report-part2.sv.txt, "Delprocess Samtyckeshantering - nuläge"; the
scanned text with its Swedish letters restored):

    För att handläggaren ska kunna få ta del av klientens information hos
    Arbetsförmedlingen behövs ett samtycke från klienten. När kommunen kontaktar
    Arbetsförmedlingen för att få information om klienten är det ofta så att det saknas
    ett samtycke från klienten eller att samtyckets giltighetstid har passerat. [...]
    Ett samtycke gäller ofta i sex månader. [...]
    Detta samtycke gäller endast mellan individ och Arbetsförmedlingen. Individen
    samtycker till att Arbetsförmedlingen får lämna ut information till kommunen.
    I kommunernas e-tjänst för ansökan om ekonomiskt bistånd är det vanligt
    förekommande med en funktion för medgivande av samtycke. Samtycket i e-tjänsten
    handlar om att individen samtycker till att kommunen inhämtar information om
    individen från olika källor under utredningens gång.

Citation: seeds/ssbtx-report-part2.sv.txt, "Delprocess Samtyckeshantering - nuläge" and
"Kontroll av samtycke"; socialtjänstlagen (2001:453) 4 kap. (the purpose SSBTEK may be
used for).

The rule, as encoded:

- Only a consent of kind ``af-disclosure`` counts (the e-service consent and the Dua form
  are other legal acts); it must be **given**, must **cover the purpose** (parameter
  ``consent.purpose``, default social assistance; :func:`consent_status` takes it as an
  argument) and must be **valid on the date**. A consent without an end date is valid for
  ``consent.validity_months`` months, counted as lag (1930:173) om beräkning av
  lagstadgad tid counts months: the period ends on the day of the last month with the
  same number as the start day, or on that month's last day when it has no such day
  (from 15 January: through 15 July; from 31 August: through 28/29 February). A consent
  is valid on its last day.
- When several consents are in force, the one that started last decides (a later
  withdrawal, ``given = false``, overrides an earlier consent).
- When the consent ends within ``consent.expiry_warning_days`` days (the last day
  included) the outcome stays eligible with a warning ``consent.expires-soon``.
- AF answering "absent" or "not found" means no consent is registered: not eligible
  (the report notes that consents sent by post may be lost on the way: the reason says so).
- Not requested, unavailable or withheld: unknown, missing ``consents``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.information.consent import Consent, ConsentKind
from ssbx_model.information.sets import InformationSet
from ssbx_model.purpose import Purpose
from ssbx_model.rules.engine import (
    DECIDED,
    Condition,
    ConditionResult,
    ConditionRule,
    Decision,
    Fact,
    Reason,
    ReasonKind,
    evaluate,
    register_rule,
    unknowns,
)
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = ["RULE", "add_months", "consent_status", "effective_end"]

RULE_ID = "consent"
CITATION = (
    "seeds/ssbtx-report-part2.sv.txt, 'Delprocess Samtyckeshantering - nuläge' and "
    "'Kontroll av samtycke'; socialtjänstlagen (2001:453) 4 kap."
)
SOURCE_TEXT = (
    "För att handläggaren ska kunna få ta del av klientens information hos "
    "Arbetsförmedlingen behövs ett samtycke från klienten. [...] Ett samtycke gäller ofta "
    "i sex månader. [...] Detta samtycke gäller endast mellan individ och "
    "Arbetsförmedlingen. Individen samtycker till att Arbetsförmedlingen får lämna ut "
    "information till kommunen."
)
_VALIDITY_CITATION = (
    "seeds/ssbtx-report-part2.sv.txt, 'Delprocess Samtyckeshantering - nuläge' "
    "('Ett samtycke gäller ofta i sex månader')"
)

HOLDS = Reason(
    "consent.valid",
    ReasonKind.HOLDS,
    "Det finns ett giltigt samtycke till att Arbetsförmedlingen lämnar ut uppgifter till "
    "kommunen för detta ändamål.",
    "A valid consent lets AF disclose information to the municipality for this purpose.",
    CITATION,
)
_NONE = Reason(
    "consent.none-registered",
    ReasonKind.FAILS,
    "Inget samtycke till utlämnande är registrerat hos Arbetsförmedlingen. Ett samtycke som "
    "skickats per post kan saknas i arkivet: kontrollera med klienten.",
    "No consent to disclosure is registered at AF. A consent sent by post may be missing "
    "from AF's archive: check with the client.",
    "seeds/ssbtx-report-part2.sv.txt, 'Kontroll av samtycke' and 'Delprocess "
    "Samtyckeshantering - nuläge'",
)
_OTHER_KIND = Reason(
    "consent.other-kind-only",
    ReasonKind.FAILS,
    "Det finns bara samtycken av annat slag (t.ex. e-tjänstens eller Dua-blanketten); de "
    "ger inte Arbetsförmedlingen rätt att lämna ut uppgifter.",
    "Only consents of another kind are registered (e.g. the e-service's or the Dua form); "
    "they do not let AF disclose information.",
    "seeds/ssbtx-report-part2.sv.txt, 'Delprocess Samtyckeshantering - nuläge' ('Detta "
    "samtycke gäller endast mellan individ och Arbetsförmedlingen')",
)
_WITHDRAWN = Reason(
    "consent.withdrawn",
    ReasonKind.FAILS,
    "Klienten har återkallat eller vägrat samtycket.",
    "The client has withdrawn or refused consent.",
    CITATION,
)
_EXPIRED = Reason(
    "consent.expired",
    ReasonKind.FAILS,
    "Samtyckets giltighetstid har passerat.",
    "The consent's validity has passed.",
    _VALIDITY_CITATION,
)
_NOT_YET = Reason(
    "consent.not-yet-valid",
    ReasonKind.FAILS,
    "Samtycket gäller först från ett senare datum.",
    "The consent is valid only from a later date.",
    CITATION,
)
_OTHER_PURPOSE = Reason(
    "consent.purpose-not-covered",
    ReasonKind.FAILS,
    "Samtycket omfattar inte detta ändamål.",
    "The consent does not cover this purpose.",
    "socialtjänstlagen (2001:453) 4 kap.; seeds/ssbtx-report-part2.sv.txt (purpose-bound access)",
)
_EXPIRES_SOON = Reason(
    "consent.expires-soon",
    ReasonKind.WARNING,
    "Samtycket är giltigt men upphör snart: begär ett nytt i tid (posthantering tar tid).",
    "The consent is valid but expires soon: request a new one in time (postal handling "
    "takes time).",
    _VALIDITY_CITATION,
)


_U_CONSENTS = unknowns(
    RULE_ID,
    InformationSet.CONSENTS,
    CITATION,
    what_sv="om ett giltigt samtycke finns",
    what_en="whether a valid consent exists",
)


def effective_end(consent: Consent, validity_months: int) -> dt.date:
    """The last day a consent is valid: its own end, or ``validity_months`` from its start.

    Months are counted as lag (1930:173) om beräkning av lagstadgad tid counts them: a
    consent from 15 January valid 6 months is valid through 15 July; one from 31 August
    through the last day of February.
    """
    end = consent.validity.end
    if end is not None:
        return end
    return add_months(consent.validity.start, validity_months)


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@functools.lru_cache(maxsize=8192)
def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus ``months`` calendar months, on the same day number or, when that
    month is shorter, on its last day (lag (1930:173) om beräkning av lagstadgad tid).

    The same result as ``start + dateutil.relativedelta(months=months)``, faster.
    """
    index = start.month - 1 + months
    year = start.year + index // 12
    month = index % 12 + 1
    last = _DAYS_IN_MONTH[month - 1]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return dt.date(year, month, min(start.day, last))


_PURPOSES: dict[object, Purpose] = {p.value: p for p in Purpose}
_AF_DISCLOSURE = ConsentKind.AF_DISCLOSURE


def _purpose(params: ParameterView) -> Purpose:
    raw = params["consent.purpose"]
    try:
        return _PURPOSES[raw]
    except KeyError:
        known = ", ".join(p.value for p in Purpose)
        raise RuleError(
            f"parameter 'consent.purpose' must be one of {known}, not {raw!r}"
        ) from None


def _period_facts(consent: Consent, end: dt.date) -> tuple[Fact, ...]:
    return (("valid_from", consent.validity.start), ("valid_to", end))


def _valid_consent(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    answer = case.consents
    if answer.status not in DECIDED:
        return _U_CONSENTS[answer.status]
    items = answer.value or ()
    if not items:
        return _NONE
    purpose = _PURPOSES.get(params["consent.purpose"]) or _purpose(params)
    months = int(params["consent.validity_months"])
    # The consent in force that started last decides; on a tie a withdrawal wins.
    chosen: Consent | None = None
    chosen_end = on
    own = False
    for consent in items:
        if consent.kind is not _AF_DISCLOSURE:
            continue
        own = True
        validity = consent.validity
        start = validity.start
        if start > on or purpose not in consent.scope:
            continue
        end = validity.end or add_months(start, months)
        if on > end:
            continue
        if (
            chosen is None
            or start > chosen.validity.start
            or (start == chosen.validity.start and chosen.given and not consent.given)
        ):
            chosen, chosen_end = consent, end
    if chosen is None:
        if not own:
            kinds = tuple(sorted({c.kind.value for c in items}))
            return _OTHER_KIND.with_facts(("kinds", kinds))
        return _why_none_in_force(
            [c for c in items if c.kind is _AF_DISCLOSURE], on, purpose, months
        )
    consent, end = chosen, chosen_end
    if not consent.given:
        return _WITHDRAWN.with_facts(*_period_facts(consent, end), ("purpose", purpose.value))
    days_left = (end - on).days
    warn_days = int(params["consent.expiry_warning_days"])
    if days_left <= warn_days:
        return _EXPIRES_SOON.with_facts(
            *_period_facts(consent, end), ("days_left", days_left), ("warning_days", warn_days)
        )
    return None


def _why_none_in_force(own: list[Consent], on: dt.date, purpose: Purpose, months: int) -> Reason:
    covering = [c for c in own if c.covers(purpose)]
    if not covering:
        scopes = tuple(sorted({p.value for c in own for p in c.scope}))
        return _OTHER_PURPOSE.with_facts(("purpose", purpose.value), ("scopes", scopes))
    ends = [(effective_end(c, months), c) for c in covering]
    past = [(end, c) for end, c in ends if end < on]
    if past:
        end, consent = max(past, key=lambda ec: ec[0])
        return _EXPIRED.with_facts(*_period_facts(consent, end), ("on", on))
    first = min(covering, key=lambda c: c.validity.start)
    return _NOT_YET.with_facts(("valid_from", first.validity.start), ("on", on))


def _facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("purpose", str(params["consent.purpose"])),
        ("consents_status", case.consents.status.value),
    ]
    if case.consents.is_known:
        months = int(params["consent.validity_months"])
        for i, c in enumerate(case.consents.value or ()):
            facts.append(
                (
                    f"consents[{i}]",
                    (
                        f"{c.kind.value} given={c.given} scope="
                        f"{'+'.join(p.value for p in c.scope)} "
                        f"{c.validity.start.isoformat()}..{effective_end(c, months).isoformat()}"
                    ),
                )
            )
    return tuple(facts)


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="1",
        title_en="Consent to disclosure by AF",
        title_sv="Samtycke till utlämnande från Arbetsförmedlingen",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=("consent.validity_months", "consent.expiry_warning_days", "consent.purpose"),
        needs=(InformationSet.CONSENTS,),
        conditions=(
            Condition(
                "valid-consent",
                "A given AF-disclosure consent covers the purpose and is valid on the date.",
                CITATION,
                _valid_consent,
                HOLDS,
                _facts,
            ),
        ),
    )
)


def consent_status(
    case: Case,
    on: dt.date,
    purpose: Purpose = Purpose.SOCIAL_ASSISTANCE,
    parameters: Mapping[str, Scalar] | None = None,
    *,
    trace: bool = False,
) -> Decision:
    """May AF disclose information about ``case``'s person to the municipality on ``on``
    for ``purpose``? The ``consent`` rule's decision for that purpose.

    This is the function the access policy calls before releasing an AF set.
    ``parameters`` overrides other consent parameters (what-if).
    """
    overrides: dict[str, Scalar] = dict(parameters or {})
    overrides["consent.purpose"] = Purpose(purpose).value
    return evaluate(case, RULE_ID, on, overrides, trace=trace)
