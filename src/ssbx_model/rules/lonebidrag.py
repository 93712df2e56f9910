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
import functools
from typing import Any

from ssbx_model.case import Case
from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.disability import DisabilityCode
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.assign_intervention import registered_at_af
from ssbx_model.rules.authoring import (
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Reason,
    ReasonKind,
    Unknown,
    register_rule,
    unknowns,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["CITATION", "RULE", "RULE_ID", "codes_registered_by", "withheld_disability_codes"]

RULE_ID = "lonebidrag"
SEED = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    "förordning (2017:462) om särskilda insatser för personer med funktionsnedsättning som "
    f"medför nedsatt arbetsförmåga, 1 §; {SEED}, 'Samverkansprocess Lönebidrag' and Tabell 5"
)
SOURCE_TEXT = (
    "Lönebidrag är ett ekonomiskt bidrag till arbetsgivaren som en kompensation för att "
    "arbetsgivaren anpassar jobbet och arbetsplatsen. För att kunna ansöka om lönebidrag "
    "behöver det finnas en funktionshinderkod registrerad hos Arbetsförmedlingen. [...] "
    "En kodning är en förutsättning för att få detta stöd."
)
_C_CODE = (
    f"{SEED}, 'Samverkansprocess Lönebidrag' ('För att kunna ansöka om lönebidrag behöver "
    "det finnas en funktionshinderkod registrerad hos Arbetsförmedlingen') and Tabell 5; "
    "förordning (2017:462), 1 §"
)
_C_AF = f"{SEED}, Tabell 4 ('Är klienten inskriven på Arbetsförmedlingen?'); förordning (2017:462)"
_C_WITHHELD = (
    f"{SEED}, the legal review (no legal basis today to disclose disability codes to the "
    "municipality); ssbx_model access policy"
)
_MIN = "lonebidrag.min_disability_codes"

HAS_CODE = Reason(
    f"{RULE_ID}.disability-code-registered",
    ReasonKind.HOLDS,
    "En funktionshinderkod är registrerad hos Arbetsförmedlingen.",
    "A disability code is registered at AF.",
    _C_CODE,
)
NO_CODE = Reason(
    f"{RULE_ID}.no-disability-code",
    ReasonKind.FAILS,
    "Ingen funktionshinderkod är registrerad hos Arbetsförmedlingen den dagen; en kodning "
    "är en förutsättning för att söka lönebidrag. Behövs en utredning, ta kontakt med "
    "Arbetsförmedlingen.",
    "No disability code is registered at AF on the date; a code is a precondition for "
    "lönebidrag. If an assessment is needed, contact AF.",
    _C_CODE,
)


def codes_registered_by(codes: tuple[DisabilityCode, ...], on: dt.date) -> int:
    """How many distinct disability codes were registered on or before ``on``."""
    return len({c.code for c in codes if c.registered_on <= on})


def withheld_disability_codes(rule_id: str, answer: Answer[Any]) -> Unknown:
    """The :class:`Unknown` for disability codes the access policy withheld.

    Its reason (code ``<rule_id>.disability-codes-withheld``) explains that the report's
    legal review found no legal basis to disclose disability codes to the municipality,
    and quotes the policy's own reason.
    """
    return _withheld(rule_id, answer.reason)


@functools.lru_cache(maxsize=1024)
def _withheld(rule_id: str, reason: str | None) -> Unknown:
    # One Unknown per (rule, policy reason as given): the default policy withholds the
    # codes for nearly every case with the same string, whose hash Python keeps.
    why = (reason or "").strip().rstrip(".")
    return Unknown(
        Reason(
            f"{rule_id}.disability-codes-withheld",
            ReasonKind.UNKNOWN,
            "Funktionshinderkoderna har hållits inne av behörighetsreglerna: enligt "
            "rapportens rättsliga genomgång finns i dag inget lagstöd för Arbetsförmedlingen "
            "att lämna ut dem till kommunen. Fråga klienten eller Arbetsförmedlingen"
            + (f" (skäl: {why})." if why else "."),
            "The disability codes were withheld by the access policy: the report's legal "
            "review found no legal basis today for AF to disclose them to the "
            "municipality. Ask the client or AF" + (f" (reason: {why})." if why else "."),
            _C_WITHHELD,
            (("information_set", InformationSet.DISABILITY_CODES.value), ("status", "withheld")),
        ),
        (InformationSet.DISABILITY_CODES,),
    )


def _disability_code(case: Case, on: dt.date, params: ParameterView) -> ConditionResult:
    answer = case.disability_codes
    status = answer.status
    if status is AnswerStatus.KNOWN:
        count = codes_registered_by(answer.items(), on)
        need = params.int(_MIN)
        if count >= need:
            return None
        later = sum(1 for c in answer.items() if c.registered_on > on)
        return NO_CODE.with_facts(
            ("codes_registered_by_date", count),
            ("codes_registered_later", later),
            ("min_codes", need),
        )
    if status is AnswerStatus.ABSENT or status is AnswerStatus.NOT_FOUND:
        return _NO_CODE_BY_STATUS[status]
    if status is AnswerStatus.WITHHELD:
        return withheld_disability_codes(RULE_ID, answer)
    return _U_CODES[status]


# "No code" when AF answers absent or not found: the same reason for every case.
_NO_CODE_BY_STATUS = {
    status: NO_CODE.with_facts(("disability_codes", status.value))
    for status in (AnswerStatus.ABSENT, AnswerStatus.NOT_FOUND)
}

# The Unknown of each undecided status, computed once (the cached :func:`missing`).
_U_CODES = unknowns(
    RULE_ID,
    InformationSet.DISABILITY_CODES,
    _C_CODE,
    what_sv="om en funktionshinderkod är registrerad",
    what_en="whether a disability code is registered",
)


def _code_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    answer = case.disability_codes
    facts: list[Fact] = [("disability_codes", answer.status.value), ("min_codes", params.int(_MIN))]
    if answer.status is AnswerStatus.KNOWN:
        facts.append(("codes_registered_by_date", codes_registered_by(answer.items(), on)))
    return tuple(facts)


RULE = register_rule(
    ConditionRule(
        id=RULE_ID,
        version="1",
        title_en="Lönebidrag: a registered disability code",
        title_sv="Lönebidrag: registrerad funktionshinderkod",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=(_MIN,),
        needs=(InformationSet.ENROLMENT, InformationSet.DISABILITY_CODES),
        conditions=(
            registered_at_af(RULE_ID, _C_AF),
            Condition(
                "disability-code",
                "A disability code is registered at AF on or before the date.",
                _C_CODE,
                _disability_code,
                HAS_CODE,
                _code_facts,
            ),
        ),
    )
)
