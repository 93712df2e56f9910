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

Eligible means "has a SIUS, or by the report's reading should get one": ask AF; it is
never AF's decision. Reasons carry how many codes there are, never which.
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.case import Case
from ssbx_model.information._base import AnswerStatus
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import (
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Reason,
    ReasonKind,
    Unknown,
    missing,
    register_rule,
)
from ssbx_model.rules.lonebidrag import codes_registered_by, withheld_disability_codes
from ssbx_model.rules.parameters import ParameterView

__all__ = ["CITATION", "RULE", "RULE_ID"]

RULE_ID = "sius"
SEED = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    f"{SEED}, Tabell 6 'Informationsmängd för Anvisa insats', row 'Särskild stödperson för "
    "introduktions- och uppföljningsstöd — SIUS'; förordning (2017:462) om särskilda "
    "insatser för personer med funktionsnedsättning som medför nedsatt arbetsförmåga, 1 §"
)
SOURCE_TEXT = (
    "Om klienten har 3 funktionshinderkoder får denne en Särskild stödperson för "
    "introduktions- och uppföljningsstöd — SIUS. En dokumenterad funktionsnedsättning kan "
    "ge möjlighet till stöd och hjälp när man söker jobb eller när man är ny på en "
    "arbetsplats."
)
_C_COUNT = (
    f"{SEED}, Tabell 6 ('Om klienten har 3 funktionshinderkoder får denne en Särskild "
    "stödperson för introduktions- och uppföljningsstöd — SIUS'); doubtful: förordning "
    "(2017:462) has no such count"
)
_C_ACTIVE = (
    f"{SEED}, Bilaga 1 and Tabell 6, SIUS ('Aktiv ja/nej', 'Period'); förordning (2017:462), 1 §"
)
_MIN = "sius.min_disability_codes"

INDICATED = Reason(
    f"{RULE_ID}.indicated",
    ReasonKind.HOLDS,
    "Klienten har en SIUS, eller bör enligt rapportens läsning få en: stäm av med "
    "Arbetsförmedlingen.",
    "The client has a SIUS, or by the report's reading should get one: check with AF.",
    CITATION,
)
_ACTIVE = Reason(
    f"{RULE_ID}.active",
    ReasonKind.HOLDS,
    "Klienten har redan en aktiv SIUS hos Arbetsförmedlingen.",
    "The client already has an active SIUS at AF.",
    _C_ACTIVE,
)
_BY_COUNT = Reason(
    f"{RULE_ID}.disability-code-count",
    ReasonKind.WARNING,
    "Klienten har så många funktionshinderkoder som rapporten säger ger en SIUS. Den "
    "läsningen är osäker: förordningen (2017:462) har ingen sådan gräns och "
    "Arbetsförmedlingen beslutar utifrån klientens behov. Stäm av med Arbetsförmedlingen.",
    "The client has as many disability codes as the report says give a SIUS. That reading "
    "is doubtful: förordning (2017:462) has no such count and AF decides from the client's "
    "needs. Check with AF.",
    _C_COUNT,
)
_NOT_INDICATED = Reason(
    f"{RULE_ID}.not-indicated",
    ReasonKind.FAILS,
    "Klienten har ingen aktiv SIUS och färre funktionshinderkoder än rapportens gräns. "
    "Gränsen är osäker (förordningen (2017:462) har ingen): Arbetsförmedlingen kan ändå "
    "bevilja SIUS efter en bedömning av behoven.",
    "The client has no active SIUS and fewer disability codes than the report's count. "
    "The count is doubtful (förordning (2017:462) has none): AF may still grant SIUS after "
    "assessing the needs.",
    _C_COUNT,
)


_NONE_ACTIVE: tuple[bool | None, tuple[Fact, ...]] = (
    False,
    (("sius", "none active on the date"),),
)
# The answer for each status that settles "no SIUS" without items, and for the others.
_BY_STATUS: dict[AnswerStatus, tuple[bool | None, tuple[Fact, ...]]] = {
    status: (False, (("sius", status.value),))
    for status in (AnswerStatus.ABSENT, AnswerStatus.NOT_FOUND)
}
_OPEN_ACTIVE: tuple[bool | None, tuple[Fact, ...]] = (None, ())


def _active(case: Case, on: dt.date) -> tuple[bool | None, tuple[Fact, ...]]:
    """Is a SIUS active on ``on``? (True, False, or None when not known.)"""
    answer = case.sius
    if answer.status is AnswerStatus.KNOWN:
        for support in answer.items():
            if support.period.contains(on):
                return True, (("sius_period", str(support.period)),)
        return _NONE_ACTIVE
    return _BY_STATUS.get(answer.status, _OPEN_ACTIVE)


_KNOWN = AnswerStatus.KNOWN
_ABSENT = AnswerStatus.ABSENT
_NOT_FOUND = AnswerStatus.NOT_FOUND
_WITHHELD = AnswerStatus.WITHHELD
# The open result depends on the two answers' statuses and, for withheld codes, the
# policy's reason only (see _sius), so it is computed once per key.
_OPEN: dict[tuple[AnswerStatus, AnswerStatus, str | None], Unknown] = {}


def _sius(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    active, active_facts = _active(case, on)
    if active:
        return _ACTIVE.with_facts(*active_facts)
    need = int(params[_MIN])
    answer = case.disability_codes
    status = answer.status
    count: int | None = None
    if status is _KNOWN:
        count = codes_registered_by(answer.items(), on)
    elif status is _ABSENT or status is _NOT_FOUND:
        count = 0
    if count is not None and count >= need:
        return _BY_COUNT.with_facts(("codes_registered_by_date", count), ("min_codes", need))
    if active is False and count is not None:
        return _NOT_INDICATED.with_facts(
            *active_facts, ("codes_registered_by_date", count), ("min_codes", need)
        )
    # Here the SIUS answer's status settles ``active`` (None only when undecided) and
    # the codes' status settles ``count`` (None only when undecided or withheld); a
    # withheld answer's reason is quoted.
    key = (case.sius.status, status, answer.reason if status is _WITHHELD else None)
    found = _OPEN.get(key)
    if found is None:
        if len(_OPEN) >= 1024:
            _OPEN.clear()
        found = _OPEN[key] = _open(case, active, count)
    return found


def _open(case: Case, active: bool | None, count: int | None) -> Unknown:
    # At least one route is open and none holds: unknown, naming what would settle it.
    answer = case.disability_codes
    opened: list[Unknown] = []
    if active is None:
        opened.append(
            missing(
                RULE_ID,
                InformationSet.SIUS,
                case.sius.status,
                _C_ACTIVE,
                what_sv="om klienten har en aktiv SIUS",
                what_en="whether the client has an active SIUS",
            )
        )
    if count is None:
        if answer.status is AnswerStatus.WITHHELD:
            opened.append(withheld_disability_codes(RULE_ID, answer))
        else:
            opened.append(
                missing(
                    RULE_ID,
                    InformationSet.DISABILITY_CODES,
                    answer.status,
                    _C_COUNT,
                    what_sv="hur många funktionshinderkoder klienten har",
                    what_en="how many disability codes the client has",
                )
            )
    if len(opened) == 1:
        return opened[0]
    first, second = opened[0].reason, opened[1].reason
    return Unknown(
        Reason(
            f"{RULE_ID}.unknown",
            ReasonKind.UNKNOWN,
            f"{first.message_sv} {second.message_sv}",
            f"{first.message_en} {second.message_en}",
            CITATION,
            first.facts + second.facts,
        ),
        (InformationSet.SIUS, InformationSet.DISABILITY_CODES),
    )


def _facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    facts: list[Fact] = [
        ("sius", case.sius.status.value),
        ("disability_codes", case.disability_codes.status.value),
        ("min_codes", params.int(_MIN)),
    ]
    if case.disability_codes.status is AnswerStatus.KNOWN:
        facts.append(
            ("codes_registered_by_date", codes_registered_by(case.disability_codes.items(), on))
        )
    return tuple(facts)


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="1",
        title_en="SIUS: an active SIUS, or the report's disability-code count (doubtful)",
        title_sv="SIUS: aktiv SIUS, eller rapportens antal funktionshinderkoder (osäkert)",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=(_MIN,),
        needs=(InformationSet.SIUS, InformationSet.DISABILITY_CODES),
        conditions=(
            Condition(
                "sius",
                "A SIUS is active on the date, or at least sius.min_disability_codes "
                "disability codes are registered on or before it (the report's doubtful "
                "reading).",
                CITATION,
                _sius,
                INDICATED,
                _facts,
            ),
        ),
    )
)
