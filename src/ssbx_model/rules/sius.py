"""Rule ``sius``: does the client have, or by the report's reading get, a SIUS?

SIUS is the särskild stödperson för introduktions- och uppföljningsstöd, one of the
special interventions of förordning (2017:462), 1 §.

Source (SKR, Processkartläggning del 2 (2022-03-11), Tabell 6 "Informationsmängd för Anvisa insats",
row "Särskild stödperson för introduktions- och uppföljningsstöd — SIUS"; the scanned
text with its Swedish letters restored):

    Om klienten har 3 funktionshinderkoder får denne en Särskild stödperson för
    introduktions- och uppföljningsstöd — SIUS.
    En dokumenterad funktionsnedsättning kan ge möjlighet till stöd och hjälp när man
    söker jobb eller när man är ny på en arbetsplats. En stödperson hjälper till att
    träna på arbetsuppgifter och annat som krävs för att få ett jobb.

Citation: SKR, Processkartläggning del 2 (2022-03-11), Tabell 6 (SIUS); förordning (2017:462) om
särskilda insatser för personer med funktionsnedsättning som medför nedsatt
arbetsförmåga, 1 §.

**The count is doubtful.** Förordning (2017:462) has no count of disability codes: AF
decides SIUS from an assessment of the person's needs. The report's sentence is kept
because the report states it, as the parameter ``sius.min_disability_codes`` (default 3)
that a municipality can override, and an eligible answer reached through the count is the
warning ``sius.disability-code-count`` (an active SIUS gives ``sius.active``).

The rule, as encoded (one condition, ``sius``, true when either route holds; Kleene's
three-valued OR, so an unknown route never hides a route that holds, and a route that
fails never decides while the other is unknown):

- **active**: AF reports a SIUS whose period contains the reference date
  (``sius`` set). Absent or not found: no SIUS.
- **count**: at least ``sius.min_disability_codes`` distinct disability codes registered
  at AF on or before the date (``disability_codes`` set). Withheld by the access policy
  (the report's legal review finds no legal basis to disclose the codes): unknown with a
  reason saying so.

When both routes are open the reason ``sius.unknown`` says both (facts: each set with its
answer status, and the policy's reason for withheld codes).

Eligible means "has a SIUS, or by the report's reading should get one": ask AF; it is
never AF's decision. Reasons carry how many codes there are, never which.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import (
    ConditionRule,
    Fact,
    Finding,
    RuleParameters,
    Says,
    either,
    fails,
    holds,
    opens,
    parameter,
    register_rule,
    route_open,
    route_open_says,
    unsettled_text,
    warns,
)
from ssbx_model.rules.lonebidrag import codes_registered_by, withheld_codes, withheld_codes_says

__all__ = ["CITATION", "RULE", "RULE_ID"]

RULE_ID = "sius"
SEED = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    f"{SEED}, Tabell 6 'Informationsmängd för Anvisa insats', row 'Särskild stödperson för "
    "introduktions- och uppföljningsstöd — SIUS'; förordning (2017:462) om särskilda "
    "insatser för personer med funktionsnedsättning som medför nedsatt arbetsförmåga, 1 §"
)
COUNT = (
    f"{SEED}, Tabell 6 ('Om klienten har 3 funktionshinderkoder får denne en Särskild "
    "stödperson för introduktions- och uppföljningsstöd — SIUS'); doubtful: förordning "
    "(2017:462) has no such count"
)
ACTIVE = (
    f"{SEED}, Bilaga 1 and Tabell 6, SIUS ('Aktiv ja/nej', 'Period'); förordning (2017:462), 1 §"
)
SIUS = InformationSet.SIUS
CODES = InformationSet.DISABILITY_CODES
#: What an undecided answer leaves open, for each route (Swedish, English).
WHAT_ACTIVE = ("om klienten har en aktiv SIUS", "whether the client has an active SIUS")
WHAT_COUNT = (
    "hur många funktionshinderkoder klienten har",
    "how many disability codes the client has",
)
WITHHELD = withheld_codes_says(f"{RULE_ID}.disability-codes-withheld")


class Params(RuleParameters):
    """The parameters the rule reads."""

    # The report's count; doubtful (förordning (2017:462) has none), see the note.
    min_codes: int = parameter("sius.min_disability_codes")


RULE = ConditionRule(
    id=RULE_ID,
    version="1",
    title_en="SIUS: an active SIUS, or the report's disability-code count (doubtful)",
    title_sv="SIUS: aktiv SIUS, eller rapportens antal funktionshinderkoder (osäkert)",
    source_text=(
        "Om klienten har 3 funktionshinderkoder får denne en Särskild stödperson för "
        "introduktions- och uppföljningsstöd — SIUS. En dokumenterad funktionsnedsättning kan "
        "ge möjlighet till stöd och hjälp när man söker jobb eller när man är ny på en "
        "arbetsplats."
    ),
    citation=CITATION,
    params=Params,
    needs=(SIUS, CODES),
)


# The one condition: either route (Kleene's OR), an active SIUS or the report's count.
def active_route(case: Case, on: dt.date, p: Params) -> Finding:
    """AF reports a SIUS whose period contains the date (absent or not found: none)."""
    answer = case.sius
    if answer.is_known:
        for support in answer.items():
            if support.period.contains(on):
                return holds(f"{RULE_ID}.active", sius_period=str(support.period))
        return fails(sius="none active on the date")
    if answer.status is AnswerStatus.ABSENT or answer.status is AnswerStatus.NOT_FOUND:
        return fails(sius=answer.status)
    return route_open(RULE_ID, SIUS, answer)


def count_route(case: Case, on: dt.date, p: Params) -> Finding:
    """At least ``min_codes`` distinct disability codes registered on or before the date
    (absent or not found: none); codes withheld by the access policy say so."""
    answer = case.disability_codes
    if answer.is_known:
        count = codes_registered_by(answer.items(), on)
    elif answer.status is AnswerStatus.ABSENT or answer.status is AnswerStatus.NOT_FOUND:
        count = 0
    elif answer.status is AnswerStatus.WITHHELD:
        return withheld_codes(WITHHELD.code, answer)
    else:
        return route_open(RULE_ID, CODES, answer)
    found = warns if count >= p.min_codes else fails
    return found(codes_registered_by_date=count, min_codes=p.min_codes)


def _both_open(f: SimpleNamespace, p: Params) -> tuple[str, str]:
    # Both routes open: the active route's text, then the count's (withheld or open).
    active = unsettled_text(SIUS, f.sius, *WHAT_ACTIVE)
    if f.disability_codes == AnswerStatus.WITHHELD:
        assert callable(WITHHELD.sv)
        count = WITHHELD.sv(f, p)
    else:
        count = unsettled_text(CODES, f.disability_codes, *WHAT_COUNT)
    return f"{active[0]} {count[0]}", f"{active[1]} {count[1]}"


def _shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("sius", case.sius.status),
        ("disability_codes", case.disability_codes.status),
        ("min_codes", p.min_codes),
    ]
    if case.disability_codes.is_known:
        facts.append(
            ("codes_registered_by_date", codes_registered_by(case.disability_codes.items(), on))
        )
    return tuple(facts)


@RULE.condition(
    "sius",
    "A SIUS is active on the date, or at least sius.min_disability_codes disability codes "
    "are registered on or before it (the report's doubtful reading).",
    cites=CITATION,
    shows=_shown,
    holds=(
        Says(
            f"{RULE_ID}.indicated",
            "Klienten har en SIUS, eller bör enligt rapportens läsning få en: stäm av med "
            "Arbetsförmedlingen.",
            "The client has a SIUS, or by the report's reading should get one: check with AF.",
        ),
        Says(
            f"{RULE_ID}.active",
            "Klienten har redan en aktiv SIUS hos Arbetsförmedlingen.",
            "The client already has an active SIUS at AF.",
            cites=ACTIVE,
        ),
    ),
    # "Om klienten har 3 funktionshinderkoder får denne en [...] SIUS": doubtful, so a
    # warning even when it holds.
    warns=Says(
        f"{RULE_ID}.disability-code-count",
        "Klienten har så många funktionshinderkoder som rapporten säger ger en SIUS. Den "
        "läsningen är osäker: förordningen (2017:462) har ingen sådan gräns och "
        "Arbetsförmedlingen beslutar utifrån klientens behov. Stäm av med Arbetsförmedlingen.",
        "The client has as many disability codes as the report says give a SIUS. That reading "
        "is doubtful: förordning (2017:462) has no such count and AF decides from the client's "
        "needs. Check with AF.",
        cites=COUNT,
    ),
    fails=Says(
        f"{RULE_ID}.not-indicated",
        "Klienten har ingen aktiv SIUS och färre funktionshinderkoder än rapportens gräns. "
        "Gränsen är osäker (förordningen (2017:462) har ingen): Arbetsförmedlingen kan ändå "
        "bevilja SIUS efter en bedömning av behoven.",
        "The client has no active SIUS and fewer disability codes than the report's count. "
        "The count is doubtful (förordning (2017:462) has none): AF may still grant SIUS after "
        "assessing the needs.",
        cites=COUNT,
    ),
    opens=(
        route_open_says(RULE_ID, SIUS, WHAT_ACTIVE, cites=ACTIVE),
        route_open_says(RULE_ID, CODES, WHAT_COUNT, cites=COUNT),
        WITHHELD,
        Says(f"{RULE_ID}.unknown", _both_open, missing=(SIUS, CODES)),
    ),
)
def sius(case: Case, on: dt.date, p: Params) -> Finding | None:
    count = count_route(case, on, p)
    return either(
        (active_route(case, on, p), count),
        several_open=lambda: opens(
            f"{RULE_ID}.unknown",
            sius=case.sius.status,
            disability_codes=case.disability_codes.status,
            **{k: v for k, v in count.facts.items() if k == "policy_reason"},
        ),
    )


register_rule(RULE)
