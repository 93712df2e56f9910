"""Rule ``consent``: may AF disclose information to the municipality on this date, for
this purpose, on the consent kinds that authorise it?

Source: SKR, Processkartläggning del 2 (2022-03-11), "Delprocess Samtyckeshantering -
nuläge":

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

and "Delprocess Inhämta samtycke": "Väljer klienten att inte medge samtycke tar denna
process slut." Dua, Frågor och svar om kommuninsatser 16-24 år: "I samband med detta ska
också ett samtycke för informationsutbyte mellan Arbetsförmedlingen och kommun tas. En
särskild blankett finns för detta."

Citation: SKR, Processkartläggning del 2 (2022-03-11), "Delprocess Samtyckeshantering -
nuläge", "Delprocess Inhämta samtycke" and "Kontroll av samtycke"; Dua, Frågor och svar om
kommuninsatser 16-24 år.

The rule, as encoded:

- The consent kinds that count are a parameter (``consent.kinds``, comma-separated; by
  default AF's own consent ``af-disclosure``). The access filter passes the kinds its
  policy says authorise a set for a purpose (see the access policy's ``[consent]``
  tables); the line "Detta samtycke gäller endast mellan individ och
  Arbetsförmedlingen" contrasts AF's consent with the municipality's e-service consent,
  so the e-service consent opens nothing of AF's by default.
- Each kind's consents covering the purpose (``consent.purpose``) form a **history**
  (:func:`~ssbx_model.information.consent.consent_standing`): a refusal or withdrawal
  stays in force until a consent of that kind is given *after* it; the passing of time
  never lifts it.
- A given consent without an end date is valid for the usual validity of its kind:
  ``consent.validity_months`` for AF's consent ("Ett samtycke gäller ofta i sex
  månader"), ``consent.dua_validity_months`` for the Dua form and
  ``consent.e_service_validity_months`` for the e-service consent (no source states a
  validity for these two: 0, the default, means such a consent does not lapse and is
  valid until its own end date or a withdrawal). Months are counted as lag (1930:173) om
  beräkning av lagstadgad tid counts them; a consent is valid on its last day.
- Eligible when one of the kinds is valid on the date; a warning ``consent.expires-soon``
  when it ends within ``consent.expiry_warning_days`` days (the last day included).
- AF answering "absent" or "not found" means no consent is registered: not eligible (the
  reason says a consent sent by post may be lost on the way). Not requested, unavailable
  or withheld: unknown, missing ``consents``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from ssbx_model.case import Case
from ssbx_model.errors import RuleError
from ssbx_model.information.consent import (
    Consent,
    ConsentKind,
    ConsentStanding,
    ConsentState,
    consent_standing,
    parse_kinds,
)
from ssbx_model.information.sets import InformationSet
from ssbx_model.purpose import Purpose
from ssbx_model.rules.authoring import (
    DECIDED,
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Reason,
    ReasonKind,
    register_rule,
    unknowns,
)
from ssbx_model.rules.engine import Decision, evaluate
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = [
    "RULE",
    "VALIDITY_PARAMETER",
    "consent_status",
    "kinds_parameter",
    "validity_months",
]

RULE_ID = "consent"
_REPORT = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    f"{_REPORT}, 'Delprocess Samtyckeshantering - nuläge', 'Delprocess Inhämta samtycke' "
    "and 'Kontroll av samtycke'"
)
SOURCE_TEXT = (
    "För att handläggaren ska kunna få ta del av klientens information hos "
    "Arbetsförmedlingen behövs ett samtycke från klienten. [...] Ett samtycke gäller ofta "
    "i sex månader. [...] Detta samtycke gäller endast mellan individ och "
    "Arbetsförmedlingen. Individen samtycker till att Arbetsförmedlingen får lämna ut "
    "information till kommunen. [...] Väljer klienten att inte medge samtycke tar denna "
    "process slut."
)
_VALIDITY_CITATION = (
    f"{_REPORT}, 'Delprocess Samtyckeshantering - nuläge' ('Ett samtycke gäller ofta i sex "
    "månader')"
)
_REFUSAL_CITATION = (
    f"{_REPORT}, 'Delprocess Inhämta samtycke' ('Väljer klienten att inte medge samtycke tar "
    "denna process slut')"
)

#: The parameter holding the usual validity, in months, of each consent kind.
VALIDITY_PARAMETER: Mapping[ConsentKind, str] = {
    ConsentKind.AF_DISCLOSURE: "consent.validity_months",
    ConsentKind.DUA_INFORMATION_EXCHANGE: "consent.dua_validity_months",
    ConsentKind.MUNICIPAL_E_SERVICE: "consent.e_service_validity_months",
}

_U_CONSENTS = unknowns(
    RULE_ID,
    InformationSet.CONSENTS,
    CITATION,
    what_sv="om ett giltigt samtycke finns",
    what_en="whether a valid consent exists",
)


def validity_months(params: ParameterView, kind: ConsentKind) -> int | None:
    """The usual validity of ``kind`` in months, or None when such a consent does not lapse
    (the parameter is 0)."""
    months = int(params[VALIDITY_PARAMETER[kind]])
    return months or None


def kinds_parameter(kinds: Sequence[ConsentKind]) -> str:
    """The value of the ``consent.kinds`` parameter for ``kinds``."""
    return ",".join(ConsentKind(k).value for k in kinds)


def _kinds(params: ParameterView) -> tuple[ConsentKind, ...]:
    try:
        return parse_kinds(str(params["consent.kinds"]))
    except ValueError as exc:
        raise RuleError(f"parameter 'consent.kinds' names {exc}") from None


def _purpose(params: ParameterView) -> Purpose:
    raw = params["consent.purpose"]
    try:
        return Purpose(str(raw))
    except ValueError:
        known = ", ".join(p.value for p in Purpose)
        raise RuleError(
            f"parameter 'consent.purpose' must be one of {known}, not {raw!r}"
        ) from None


def _names(kinds: Sequence[ConsentKind]) -> str:
    return ", ".join(k.value for k in kinds)


# -- the reasons, built from the facts and parameters used --------------------------------


def _expires_soon(kind: ConsentKind, standing: ConsentStanding, days: int, warn: int) -> Reason:
    return Reason(
        "consent.expires-soon",
        ReasonKind.WARNING,
        f"Samtycket ({kind.value}) är giltigt men upphör om {days} dagar (varning från "
        f"{warn} dagar): begär ett nytt i tid (posthantering tar tid).",
        f"The consent ({kind.value}) is valid but ends in {days} days (warning from {warn} "
        "days): request a new one in time (postal handling takes time).",
        _VALIDITY_CITATION,
        (*_standing_facts(kind, standing), ("days_left", days), ("warning_days", warn)),
    )


_NONE = Reason(
    "consent.none-registered",
    ReasonKind.FAILS,
    "Inget samtycke till utlämnande är registrerat hos Arbetsförmedlingen. Ett samtycke som "
    "skickats per post kan saknas i arkivet: kontrollera med klienten.",
    "No consent to disclosure is registered at AF. A consent sent by post may be missing "
    "from AF's archive: check with the client.",
    f"{_REPORT}, 'Kontroll av samtycke' and 'Delprocess Samtyckeshantering - nuläge'",
)


def _other_kind(found: Sequence[str], needed: Sequence[ConsentKind]) -> Reason:
    return Reason(
        "consent.other-kind-only",
        ReasonKind.FAILS,
        f"Det finns bara samtycken av annat slag ({', '.join(found)}); här krävs {_names(needed)}.",
        f"Only consents of another kind are registered ({', '.join(found)}); this needs "
        f"{_names(needed)}.",
        f"{_REPORT}, 'Delprocess Samtyckeshantering - nuläge' ('Detta samtycke gäller endast "
        "mellan individ och Arbetsförmedlingen'); the access policy's [consent] tables",
        (("kinds_found", tuple(found)), ("kinds_needed", tuple(k.value for k in needed))),
    )


def _withdrawn(kind: ConsentKind, standing: ConsentStanding) -> Reason:
    assert standing.consent is not None
    since = standing.consent.validity.start
    return Reason(
        "consent.withdrawn",
        ReasonKind.FAILS,
        f"Klienten har vägrat eller återkallat samtycket ({kind.value}) den {since}; det "
        "gäller tills klienten lämnar ett nytt samtycke.",
        f"The client refused or withdrew consent ({kind.value}) on {since}; this stands "
        "until the client gives a new consent.",
        _REFUSAL_CITATION,
        _standing_facts(kind, standing),
    )


def _expired(kind: ConsentKind, standing: ConsentStanding, months: int | None) -> Reason:
    usual_sv = f" (utan slutdatum gäller det {months} månader)" if months else ""
    usual_en = f" (without an end date it is valid {months} months)" if months else ""
    return Reason(
        "consent.expired",
        ReasonKind.FAILS,
        f"Samtyckets ({kind.value}) giltighetstid passerade {standing.end}{usual_sv}.",
        f"The consent's ({kind.value}) validity ended on {standing.end}{usual_en}.",
        _VALIDITY_CITATION,
        _standing_facts(kind, standing),
    )


def _not_yet(kind: ConsentKind, standing: ConsentStanding) -> Reason:
    assert standing.consent is not None
    return Reason(
        "consent.not-yet-valid",
        ReasonKind.FAILS,
        f"Samtycket ({kind.value}) gäller först från {standing.consent.validity.start}.",
        f"The consent ({kind.value}) is valid only from {standing.consent.validity.start}.",
        CITATION,
        _standing_facts(kind, standing),
    )


def _other_purpose(kind: ConsentKind, purpose: Purpose, scopes: Sequence[str]) -> Reason:
    return Reason(
        "consent.purpose-not-covered",
        ReasonKind.FAILS,
        f"Samtycket ({kind.value}) omfattar inte ändamålet {purpose.value} (det omfattar "
        f"{', '.join(scopes)}).",
        f"The consent ({kind.value}) does not cover the purpose {purpose.value} (it covers "
        f"{', '.join(scopes)}).",
        f"{_REPORT}, 'Tillgång till en delmängd av SSBTEK' (purpose-bound access)",
        (("kind", kind.value), ("purpose", purpose.value), ("scopes", tuple(scopes))),
    )


def _standing_facts(kind: ConsentKind, standing: ConsentStanding) -> tuple[Fact, ...]:
    facts: list[Fact] = [("kind", kind.value), ("state", standing.state.value)]
    if standing.consent is not None:
        facts.append(("from", standing.consent.validity.start))
    if standing.end is not None:
        facts.append(("to", standing.end))
    return tuple(facts)


# -- the condition -------------------------------------------------------------------------


def _why_not(
    consents: Sequence[Consent],
    kind: ConsentKind,
    standing: ConsentStanding,
    purpose: Purpose,
    months: int | None,
) -> Reason:
    if standing.state is ConsentState.WITHDRAWN:
        return _withdrawn(kind, standing)
    if standing.state is ConsentState.EXPIRED:
        return _expired(kind, standing, months)
    if standing.state is ConsentState.NOT_YET:
        return _not_yet(kind, standing)
    scopes = sorted({p.value for c in consents if c.kind is kind for p in c.scope})
    return _other_purpose(kind, purpose, scopes)


def valid_consent(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    """A consent of one of the authorising kinds covers the purpose and is valid on ``on``."""
    answer = case.consents
    if answer.status not in DECIDED:
        return _U_CONSENTS[answer.status]
    consents = answer.value or ()
    if not consents:
        return _NONE
    purpose = _purpose(params)
    kinds = _kinds(params)
    present = [k for k in kinds if any(c.kind is k for c in consents)]
    if not present:
        found = sorted({c.kind.value for c in consents})
        return _other_kind(found, kinds)
    failures: list[Reason] = []
    for kind in present:
        months = validity_months(params, kind)
        standing = consent_standing(consents, kind, on, purpose=purpose, validity_months=months)
        if standing.state is ConsentState.VALID:
            warn = int(params["consent.expiry_warning_days"])
            if standing.end is not None and (standing.end - on).days <= warn:
                return _expires_soon(kind, standing, (standing.end - on).days, warn)
            return None
        failures.append(_why_not(consents, kind, standing, purpose, months))
    return failures[0]


def _facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("purpose", str(params["consent.purpose"])),
        ("kinds", str(params["consent.kinds"])),
        ("consents_status", case.consents.status.value),
    ]
    if case.consents.is_known:
        for i, c in enumerate(case.consents.value or ()):
            end = c.validity.end.isoformat() if c.validity.end else "open"
            scope = "+".join(p.value for p in c.scope)
            period = f"{c.validity.start.isoformat()}..{end}"
            facts.append(
                (f"consents[{i}]", f"{c.kind.value} given={c.given} scope={scope} {period}")
            )
    return tuple(facts)


HOLDS = Reason(
    "consent.valid",
    ReasonKind.HOLDS,
    "Det finns ett giltigt samtycke till att Arbetsförmedlingen lämnar ut uppgifter till "
    "kommunen för detta ändamål.",
    "A valid consent lets AF disclose information to the municipality for this purpose.",
    CITATION,
)

RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="2",
        title_en="Consent to disclosure by AF",
        title_sv="Samtycke till utlämnande från Arbetsförmedlingen",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=(
            "consent.kinds",
            "consent.purpose",
            "consent.validity_months",
            "consent.dua_validity_months",
            "consent.e_service_validity_months",
            "consent.expiry_warning_days",
        ),
        needs=(InformationSet.CONSENTS,),
        conditions=(
            Condition(
                "valid-consent",
                "A given consent of an authorising kind covers the purpose and is valid on "
                "the date; a later refusal or withdrawal stands until a new consent.",
                CITATION,
                valid_consent,
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
    kinds: Sequence[ConsentKind] | None = None,
    trace: bool = False,
) -> Decision:
    """May AF disclose information about ``case``'s person to the municipality on ``on``
    for ``purpose``, on a consent of one of ``kinds`` (default: the ``consent.kinds``
    parameter, AF's own consent)? The ``consent`` rule's decision.

    This is the function the access filter calls before releasing an AF set, with the
    kinds its policy says authorise that set. ``parameters`` overrides other consent
    parameters (what-if).
    """
    overrides: dict[str, Scalar] = dict(parameters or {})
    overrides["consent.purpose"] = Purpose(purpose).value
    if kinds is not None:
        overrides["consent.kinds"] = kinds_parameter(kinds)
    return evaluate(case, RULE_ID, on, overrides, trace=trace)
