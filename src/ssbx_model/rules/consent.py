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
from ssbx_model.information.consent import (
    ConsentKind,
    ConsentStanding,
    ConsentState,
    consent_standing,
    parse_kinds,
)
from ssbx_model.information.sets import InformationSet
from ssbx_model.purpose import Purpose
from ssbx_model.rules.authoring import (
    ConditionRule,
    Fact,
    Finding,
    RuleParameters,
    Says,
    fails,
    parameter,
    register_rule,
    settled,
    warns,
)
from ssbx_model.rules.engine import Decision, evaluate
from ssbx_model.rules.parameters import Scalar

__all__ = ["RULE", "consent_status", "kinds_parameter"]

REPORT = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    f"{REPORT}, 'Delprocess Samtyckeshantering - nuläge', 'Delprocess Inhämta samtycke' "
    "and 'Kontroll av samtycke'"
)
VALIDITY = (
    f"{REPORT}, 'Delprocess Samtyckeshantering - nuläge' ('Ett samtycke gäller ofta i sex månader')"
)


class Params(RuleParameters):
    """The parameters the rule reads."""

    kinds: tuple[ConsentKind, ...] = parameter("consent.kinds", convert=parse_kinds)
    purpose: Purpose = parameter("consent.purpose", convert=Purpose)
    af_months: int = parameter("consent.validity_months")
    dua_months: int = parameter("consent.dua_validity_months")
    e_service_months: int = parameter("consent.e_service_validity_months")
    warning_days: int = parameter("consent.expiry_warning_days")

    def months(self, kind: ConsentKind | str) -> int | None:
        """The usual validity of ``kind`` in months; None: it does not lapse (0)."""
        kind = ConsentKind(kind)
        if kind is ConsentKind.AF_DISCLOSURE:
            return self.af_months or None
        if kind is ConsentKind.DUA_INFORMATION_EXCHANGE:
            return self.dua_months or None
        return self.e_service_months or None


RULE = ConditionRule(
    id="consent",
    version="2",
    title_en="Consent to disclosure by AF",
    title_sv="Samtycke till utlämnande från Arbetsförmedlingen",
    source_text=(
        "För att handläggaren ska kunna få ta del av klientens information hos "
        "Arbetsförmedlingen behövs ett samtycke från klienten. [...] Ett samtycke gäller "
        "ofta i sex månader. [...] Detta samtycke gäller endast mellan individ och "
        "Arbetsförmedlingen. Individen samtycker till att Arbetsförmedlingen får lämna ut "
        "information till kommunen. [...] Väljer klienten att inte medge samtycke tar denna "
        "process slut."
    ),
    citation=CITATION,
    params=Params,
    needs=(InformationSet.CONSENTS,),
)


def kinds_parameter(kinds: Sequence[ConsentKind]) -> str:
    """The value of the ``consent.kinds`` parameter for ``kinds``."""
    return ",".join(ConsentKind(k).value for k in kinds)


def _consents_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("purpose", p.purpose.value),
        ("kinds", kinds_parameter(p.kinds)),
        ("consents_status", case.consents.status.value),
    ]
    for i, c in enumerate(case.consents.value or ()):
        end = c.validity.end.isoformat() if c.validity.end else "open"
        scope = "+".join(p.value for p in c.scope)
        period = f"{c.validity.start.isoformat()}..{end}"
        facts.append((f"consents[{i}]", f"{c.kind.value} given={c.given} scope={scope} {period}"))
    return tuple(facts)


def _standing(kind: ConsentKind, standing: ConsentStanding) -> dict[str, object]:
    facts: dict[str, object] = {"kind": kind.value, "state": standing.state.value}
    if standing.consent is not None:
        facts["from"] = standing.consent.validity.start
    if standing.end is not None:
        facts["to"] = standing.end
    return facts


# The one condition: a consent of a kind that counts, covering the purpose, valid on the
# date; a refusal or withdrawal stands until a later consent of that kind.
@RULE.condition(
    "valid-consent",
    "A given consent of an authorising kind covers the purpose and is valid on the date; "
    "a later refusal or withdrawal stands until a new consent.",
    cites=CITATION,
    needs=(InformationSet.CONSENTS,),
    unsettled=("om ett giltigt samtycke finns", "whether a valid consent exists"),
    shows=_consents_shown,
    holds=Says(
        "consent.valid",
        "Det finns ett giltigt samtycke till att Arbetsförmedlingen lämnar ut uppgifter till "
        "kommunen för detta ändamål.",
        "A valid consent lets AF disclose information to the municipality for this purpose.",
    ),
    warns=Says(
        "consent.expires-soon",
        lambda f, p: (
            (
                f"Samtycket ({f.kind}) är giltigt men upphör om {f.days_left} dagar (varning "
                f"från {f.warning_days} dagar): begär ett nytt i tid (posthantering tar tid)."
            ),
            (
                f"The consent ({f.kind}) is valid but ends in {f.days_left} days (warning "
                f"from {f.warning_days} days): request a new one in time (postal handling "
                "takes time)."
            ),
        ),
        cites=VALIDITY,
    ),
    fails=(
        # "ofta så att det saknas ett samtycke": AF answered absent or not found.
        Says(
            "consent.none-registered",
            "Inget samtycke till utlämnande är registrerat hos Arbetsförmedlingen. Ett "
            "samtycke som skickats per post kan saknas i arkivet: kontrollera med klienten.",
            "No consent to disclosure is registered at AF. A consent sent by post may be "
            "missing from AF's archive: check with the client.",
            cites=f"{REPORT}, 'Kontroll av samtycke' and 'Delprocess Samtyckeshantering - nuläge'",
        ),
        # "Detta samtycke gäller endast mellan individ och Arbetsförmedlingen".
        Says(
            "consent.other-kind-only",
            lambda f, p: (
                (
                    f"Det finns bara samtycken av annat slag ({', '.join(f.kinds_found)}); "
                    f"här krävs {', '.join(f.kinds_needed)}."
                ),
                (
                    "Only consents of another kind are registered "
                    f"({', '.join(f.kinds_found)}); this needs {', '.join(f.kinds_needed)}."
                ),
            ),
            cites=(
                f"{REPORT}, 'Delprocess Samtyckeshantering - nuläge' ('Detta samtycke gäller "
                "endast mellan individ och Arbetsförmedlingen'); the access policy's "
                "[consent] tables"
            ),
        ),
        # "Väljer klienten att inte medge samtycke tar denna process slut".
        Says(
            "consent.withdrawn",
            lambda f, p: (
                (
                    f"Klienten har vägrat eller återkallat samtycket ({f.kind}) den "
                    f"{getattr(f, 'from')}; det gäller tills klienten lämnar ett nytt samtycke."
                ),
                (
                    f"The client refused or withdrew consent ({f.kind}) on "
                    f"{getattr(f, 'from')}; this stands until the client gives a new consent."
                ),
            ),
            cites=(
                f"{REPORT}, 'Delprocess Inhämta samtycke' ('Väljer klienten att inte medge "
                "samtycke tar denna process slut')"
            ),
        ),
        # "samtyckets giltighetstid har passerat"; "Ett samtycke gäller ofta i sex månader".
        Says(
            "consent.expired",
            lambda f, p: (
                f"Samtyckets ({f.kind}) giltighetstid passerade {f.to}"
                + (
                    f" (utan slutdatum gäller det {p.months(f.kind)} månader)."
                    if p.months(f.kind)
                    else "."
                ),
                f"The consent's ({f.kind}) validity ended on {f.to}"
                + (
                    f" (without an end date it is valid {p.months(f.kind)} months)."
                    if p.months(f.kind)
                    else "."
                ),
            ),
            cites=VALIDITY,
        ),
        Says(
            "consent.not-yet-valid",
            lambda f, p: (
                f"Samtycket ({f.kind}) gäller först från {getattr(f, 'from')}.",
                f"The consent ({f.kind}) is valid only from {getattr(f, 'from')}.",
            ),
        ),
        Says(
            "consent.purpose-not-covered",
            lambda f, p: (
                (
                    f"Samtycket ({f.kind}) omfattar inte ändamålet {f.purpose} (det omfattar "
                    f"{', '.join(f.scopes)})."
                ),
                (
                    f"The consent ({f.kind}) does not cover the purpose {f.purpose} (it "
                    f"covers {', '.join(f.scopes)})."
                ),
            ),
            cites=f"{REPORT}, 'Tillgång till en delmängd av SSBTEK' (purpose-bound access)",
        ),
    ),
)
def valid_consent(case: Case, on: dt.date, p: Params) -> Finding | None:
    """A consent of one of the authorising kinds covers the purpose and is valid on ``on``."""
    consents = settled(case.consents, InformationSet.CONSENTS) or ()
    if not consents:
        return fails("consent.none-registered")
    purpose, kinds = p.purpose, p.kinds
    present = [k for k in kinds if any(c.kind is k for c in consents)]
    if not present:
        return fails(
            "consent.other-kind-only",
            kinds_found=tuple(sorted({c.kind.value for c in consents})),
            kinds_needed=tuple(k.value for k in kinds),
        )
    failures: list[Finding] = []
    for kind in present:
        standing = consent_standing(
            consents, kind, on, purpose=purpose, validity_months=p.months(kind)
        )
        state = standing.state
        if state is ConsentState.VALID:
            if standing.end is not None and (standing.end - on).days <= p.warning_days:
                days = (standing.end - on).days
                return warns(
                    **_standing(kind, standing), days_left=days, warning_days=p.warning_days
                )
            return None
        if state is ConsentState.WITHDRAWN:
            failures.append(fails("consent.withdrawn", **_standing(kind, standing)))
        elif state is ConsentState.EXPIRED:
            failures.append(fails("consent.expired", **_standing(kind, standing)))
        elif state is ConsentState.NOT_YET:
            failures.append(fails("consent.not-yet-valid", **_standing(kind, standing)))
        else:
            scopes = sorted({s.value for c in consents if c.kind is kind for s in c.scope})
            failures.append(
                fails(
                    "consent.purpose-not-covered",
                    kind=kind.value,
                    purpose=purpose.value,
                    scopes=tuple(scopes),
                )
            )
    return failures[0]


register_rule(RULE)


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
    return evaluate(case, RULE.id, on, overrides, trace=trace)
