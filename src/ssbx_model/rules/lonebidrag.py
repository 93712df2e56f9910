"""Rule ``lonebidrag``: may the client be put forward for lönebidrag (wage subsidy)?

Source (SKR, Processkartläggning del 2 (2022-03-11), "Samverkansprocess Lönebidrag — nuläge och
nyläge" and Tabell 5; the scanned text with its Swedish letters restored):

    Vid en funktionsnedsättning finns det möjlighet att få ett arbete som är anpassat
    efter arbetsförmåga. Lönebidrag är ett ekonomiskt bidrag till arbetsgivaren som en
    kompensation för att arbetsgivaren anpassar jobbet och arbetsplatsen. För att kunna
    ansöka om lönebidrag behöver det finnas en funktionshinderkod registrerad hos
    Arbetsförmedlingen.
    [...] Om klienten har en funktionsnedsättning finns det olika typer av stöd att
    tillgå för att förbättra dennes möjligheter på arbetsmarknaden. En kodning är en
    förutsättning för att få detta stöd.

Citation: förordning (2017:462) om särskilda insatser för personer med
funktionsnedsättning som medför nedsatt arbetsförmåga, 1 § (lönebidrag is one of the
special interventions); SKR, Processkartläggning del 2 (2022-03-11), "Samverkansprocess Lönebidrag"
and Tabell 5.

The conditions, as encoded (both must hold):

1. ``registered-at-af``: enrolled at AF on the reference date.
2. ``disability-code``: at least ``lonebidrag.min_disability_codes`` (1) disability codes
   (funktionshinderkod) registered at AF **on or before** the date. AF answering "absent"
   or "not found": no code, not eligible.

   The report's legal review found **no legal basis today** for AF to disclose disability
   codes to the municipality, so the access policy withholds them by default: a withheld
   set gives ``unknown`` (missing ``disability_codes``) with a reason that says so, never
   "no code". Disability codes are sensitive personal data: reasons and traces carry only
   how many codes there are, never which.

AF decides lönebidrag; an eligible answer means the precondition the report names is met,
not that AF will grant it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ssbx_model.case import Case
from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.disability import DisabilityCode
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import af_registration
from ssbx_model.rules.authoring import (
    ConditionRule,
    Fact,
    Finding,
    RuleParameters,
    Says,
    fails,
    opens,
    parameter,
    register_rule,
    settled,
)

__all__ = [
    "CITATION",
    "RULE",
    "RULE_ID",
    "codes_registered_by",
    "withheld_codes",
    "withheld_codes_says",
]

RULE_ID = "lonebidrag"
SEED = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    "förordning (2017:462) om särskilda insatser för personer med funktionsnedsättning som "
    f"medför nedsatt arbetsförmåga, 1 §; {SEED}, 'Samverkansprocess Lönebidrag' and Tabell 5"
)
CODES = InformationSet.DISABILITY_CODES


class Params(RuleParameters):
    """The parameters the rule reads."""

    min_codes: int = parameter("lonebidrag.min_disability_codes")


RULE = ConditionRule(
    id=RULE_ID,
    version="1",
    title_en="Lönebidrag: a registered disability code",
    title_sv="Lönebidrag: registrerad funktionshinderkod",
    source_text=(
        "Lönebidrag är ett ekonomiskt bidrag till arbetsgivaren som en kompensation för att "
        "arbetsgivaren anpassar jobbet och arbetsplatsen. För att kunna ansöka om lönebidrag "
        "behöver det finnas en funktionshinderkod registrerad hos Arbetsförmedlingen. [...] "
        "En kodning är en förutsättning för att få detta stöd."
    ),
    citation=CITATION,
    params=Params,
    needs=(InformationSet.ENROLMENT, CODES),
)


# 1. "Är klienten inskriven på Arbetsförmedlingen?"
registered_at_af = af_registration.declare(
    RULE,
    cites=(
        f"{SEED}, Tabell 4 ('Är klienten inskriven på Arbetsförmedlingen?'); förordning (2017:462)"
    ),
)


# 2. "behöver det finnas en funktionshinderkod registrerad hos Arbetsförmedlingen": a
#    code registered on or before the date. The access policy withholds the codes by
#    default (the report's legal review: no legal basis today to disclose them), which
#    is its own open reason, never "no code". Reasons carry how many codes, never which.
def codes_registered_by(codes: tuple[DisabilityCode, ...], on: dt.date) -> int:
    """How many distinct disability codes were registered on or before ``on``."""
    return len({c.code for c in codes if c.registered_on <= on})


def withheld_codes(code: str, answer: Answer[Any]) -> Finding:
    """The open finding ``code`` for disability codes the access policy withheld, with
    the policy's own reason as given (the reason :func:`withheld_codes_says` builds)."""
    return opens(
        code,
        information_set=CODES,
        status=AnswerStatus.WITHHELD,
        policy_reason=(answer.reason or "").strip().rstrip("."),
    )


def withheld_codes_says(code: str) -> Says:
    """The open reason ``code`` for disability codes the access policy withheld: the
    report's legal review found no legal basis to disclose them to the municipality."""
    return Says(
        code,
        lambda f, p: (
            "Funktionshinderkoderna har hållits inne av behörighetsreglerna: enligt "
            "rapportens rättsliga genomgång finns i dag inget lagstöd för Arbetsförmedlingen "
            "att lämna ut dem till kommunen. Fråga klienten eller Arbetsförmedlingen"
            + (f" (skäl: {f.policy_reason})." if f.policy_reason else "."),
            "The disability codes were withheld by the access policy: the report's legal "
            "review found no legal basis today for AF to disclose them to the "
            "municipality. Ask the client or AF"
            + (f" (reason: {f.policy_reason})." if f.policy_reason else "."),
        ),
        cites=(
            f"{SEED}, the legal review (no legal basis today to disclose disability codes "
            "to the municipality); ssbx_model access policy"
        ),
        missing=(CODES,),
    )


def _codes_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    answer = case.disability_codes
    facts: list[Fact] = [("disability_codes", answer.status), ("min_codes", p.min_codes)]
    if answer.is_known:
        facts.append(("codes_registered_by_date", codes_registered_by(answer.items(), on)))
    return tuple(facts)


@RULE.condition(
    "disability-code",
    "A disability code is registered at AF on or before the date.",
    cites=(
        f"{SEED}, 'Samverkansprocess Lönebidrag' ('För att kunna ansöka om lönebidrag behöver "
        "det finnas en funktionshinderkod registrerad hos Arbetsförmedlingen') and Tabell 5; "
        "förordning (2017:462), 1 §"
    ),
    reads=(CODES,),  # after the withheld answer, which has a reason of its own
    unsettled=(
        "om en funktionshinderkod är registrerad",
        "whether a disability code is registered",
    ),
    shows=_codes_shown,
    holds=Says(
        f"{RULE_ID}.disability-code-registered",
        "En funktionshinderkod är registrerad hos Arbetsförmedlingen.",
        "A disability code is registered at AF.",
    ),
    fails=Says(
        f"{RULE_ID}.no-disability-code",
        "Ingen funktionshinderkod är registrerad hos Arbetsförmedlingen den dagen; en kodning "
        "är en förutsättning för att söka lönebidrag. Behövs en utredning, ta kontakt med "
        "Arbetsförmedlingen.",
        "No disability code is registered at AF on the date; a code is a precondition for "
        "lönebidrag. If an assessment is needed, contact AF.",
    ),
    opens=withheld_codes_says(f"{RULE_ID}.disability-codes-withheld"),
)
def disability_code(case: Case, on: dt.date, p: Params) -> Finding | None:
    answer = case.disability_codes
    if answer.status is AnswerStatus.WITHHELD:
        return withheld_codes(f"{RULE_ID}.disability-codes-withheld", answer)
    codes = settled(answer, CODES)
    if codes is None:  # AF answered absent or not found: no code
        return fails(disability_codes=answer.status)
    count = codes_registered_by(codes, on)
    if count >= p.min_codes:
        return None
    return fails(
        codes_registered_by_date=count,
        codes_registered_later=sum(1 for c in codes if c.registered_on > on),
        min_codes=p.min_codes,
    )


register_rule(RULE)
