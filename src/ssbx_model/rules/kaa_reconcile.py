"""Rule ``kaa-reconcile``: is a KAA register entry consistent with the other evidence?

Source (Trelleborgs kommun, Systemfel inom KAA, "Systemfel avseende datahantering inom det
kommunala aktivitetsansvaret", Trelleborg):

    I anslutning till att en elev skrivs ut från en skola, avslutar studier utan
    gymnasieexamen alternativt ej påbörjar studier vid terminsstart, skrivs de in i IKE
    [...] Det verkliga talet är lägre, då ungdomar som är självförsörjande genom arbete
    ej avslutas i systemet utan fortsatt räknas som att vara i behov av kommunens service
    att återgå till studier fram till den dag de fyller 20 år. [...]
    Det visar sig att flertalet av dessa trelleborgare studerar på heltid eller är
    inskrivna på det individuella programmet utan att det syns i systemet. Trots det syns
    de i IKE och behandlas därför som ungdomar som varken arbetar eller studerar (UVAS).

Citation: Trelleborgs kommun, Systemfel inom KAA; skollagen (2010:800) 29 kap. 9 §.

Outcomes: ``eligible`` means *the entry is consistent* (nothing to flag);
``not_eligible`` means *likely false positive*, with one reason per piece of evidence;
``unknown`` means the evidence needed to tell is missing (the sets are named).

As encoded: an entry that is not open on the date (or no entry at all) is consistent:
there is nothing to reconcile. For an open entry, each of these flags it:

1. ``under-age-limit``: the person has turned 20 (``kaa.age_limit``) and is still open in
   the register ("fram till den dag de fyller 20 år").
2. ``not-working``: employment evidence covers the date (self-supporting through work).
3. ``not-studying``: study evidence covers the date (e.g. full-time studies elsewhere).
4. ``not-in-upper-secondary``: the schooling record shows a national programme, the
   adapted school or equivalent education on the date, or a diploma by the date.
5. ``not-on-introduction-programme``: the schooling record shows the introduction
   (formerly individual) programme on the date. Such pupils are covered by KAA
   (Skolverket) but are not young people who neither work nor study, which is what the
   IKE count takes them for: flagged while ``kaa_reconcile.flag_introduction_programme``
   is true (the default).

Employment, studies and schooling must be decided for an open entry (schooling "absent"
or "not found" counts as no record: nothing to flag from it).
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.case import Case
from ssbx_model.information._base import Answer, AnswerStatus
from ssbx_model.information.kaa import KaaRegisterEntry
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.engine import (
    DECIDED,
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Outcome,
    QuickVerdict,
    Reason,
    ReasonKind,
    TraceStep,
    Verdict,
    age_band,
    age_facts,
    answer_facts,
    any_covers,
    register_rule,
    unknowns,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["RULE"]

RULE_ID = "kaa-reconcile"
SEED = "Trelleborgs kommun, Systemfel inom KAA"
CITATION = f"{SEED}; skollagen (2010:800) 29 kap. 9 §"
SOURCE_TEXT = (
    "Det verkliga talet är lägre, då ungdomar som är självförsörjande genom arbete ej "
    "avslutas i systemet utan fortsatt räknas som att vara i behov av kommunens service att "
    "återgå till studier fram till den dag de fyller 20 år. [...] Det visar sig att "
    "flertalet av dessa trelleborgare studerar på heltid eller är inskrivna på det "
    "individuella programmet utan att det syns i systemet. Trots det syns de i IKE och "
    "behandlas därför som ungdomar som varken arbetar eller studerar (UVAS)."
)

_C_AGE = f"{SEED} ('fram till den dag de fyller 20 år'); skollagen (2010:800) 29 kap. 9 §"
_C_WORK = f"{SEED} ('ungdomar som är självförsörjande genom arbete ej avslutas i systemet')"
_C_STUDY = f"{SEED} ('flertalet av dessa trelleborgare studerar på heltid')"
_C_UPPER = f"{SEED} ('avslutar studier utan gymnasieexamen'); skollagen (2010:800) 29 kap. 9 §"
_C_INTRO = f"{SEED} ('eller är inskrivna på det individuella programmet utan att det syns')"
_C_REGISTER = f"{SEED} ('skrivs de in i IKE')"

H, F = ReasonKind.HOLDS, ReasonKind.FAILS
NOT_OPEN = Reason(
    "kaa-reconcile.not-open",
    H,
    "Personen är inte öppen i KAA-registret: inget att stämma av.",
    "The person is not open in the KAA register: nothing to reconcile.",
    _C_REGISTER,
)
UNDER = Reason(
    "kaa-reconcile.under-age-limit",
    H,
    "Har inte fyllt 20 år.",
    "Has not turned 20.",
    _C_AGE,
)
PAST_AGE = Reason(
    "kaa-reconcile.past-age-limit",
    F,
    "Har fyllt 20 år men är fortfarande öppen i registret.",
    "Has turned 20 but is still open in the register.",
    _C_AGE,
)
NOT_WORKING = Reason(
    "kaa-reconcile.no-employment",
    H,
    "Ingen anställning registrerad.",
    "No employment on record.",
    _C_WORK,
)
WORKS = Reason(
    "kaa-reconcile.works",
    F,
    "Arbetar enligt annat underlag: troligen felaktigt öppen i registret.",
    "Works according to other evidence: likely open in the register by mistake.",
    _C_WORK,
)
NOT_STUDYING = Reason(
    "kaa-reconcile.no-studies",
    H,
    "Inga studier registrerade.",
    "No studies on record.",
    _C_STUDY,
)
STUDIES = Reason(
    "kaa-reconcile.studies",
    F,
    "Studerar enligt annat underlag: troligen felaktigt öppen i registret.",
    "Studies according to other evidence: likely open in the register by mistake.",
    _C_STUDY,
)
NOT_UPPER = Reason(
    "kaa-reconcile.no-upper-secondary",
    H,
    "Går inte på nationellt program eller motsvarande och har ingen examen.",
    "Not on a national programme or equivalent, and no diploma.",
    _C_UPPER,
)
UPPER = Reason(
    "kaa-reconcile.upper-secondary",
    F,
    "Går på nationellt program, gymnasiesärskola eller motsvarande: omfattas inte av KAA.",
    "On a national programme, the adapted school or equivalent: not covered by KAA.",
    _C_UPPER,
)
DIPLOMA = Reason(
    "kaa-reconcile.diploma",
    F,
    "Har gymnasieexamen: omfattas inte av KAA.",
    "Has an upper-secondary diploma: not covered by KAA.",
    _C_UPPER,
)
NOT_INTRO = Reason(
    "kaa-reconcile.no-introduction-programme",
    H,
    "Går inte på introduktionsprogram.",
    "Not on an introduction programme.",
    _C_INTRO,
)
INTRO = Reason(
    "kaa-reconcile.introduction-programme",
    F,
    "Går på introduktionsprogram (omfattas av KAA) men räknas i registret som att varken "
    "arbeta eller studera.",
    "On an introduction programme (covered by KAA) but counted in the register as neither "
    "working nor studying.",
    _C_INTRO,
)


_U_EMPLOYMENT = unknowns(RULE_ID, InformationSet.EMPLOYMENT, _C_WORK)
_U_STUDIES = unknowns(RULE_ID, InformationSet.STUDIES, _C_STUDY)
_U_SCHOOLING = unknowns(RULE_ID, InformationSet.SCHOOLING, _C_UPPER)
_U_SCHOOLING_3 = unknowns(RULE_ID, InformationSet.SCHOOLING, _C_INTRO)


# Under the age limit: aged at most the limit minus one.
def _under_limit(p: ParameterView) -> Reason:
    limit = p["kaa.age_limit"]
    return UNDER._replace(
        message_sv=f"Har inte fyllt {limit} år.",
        message_en=f"Has not turned {limit}.",
        facts=(("age_limit", limit),),
    )


def _past_limit(age: int, on: dt.date, p: ParameterView) -> Reason:
    limit = p["kaa.age_limit"]
    return PAST_AGE._replace(
        message_sv=f"Har fyllt {limit} år (är {age}) men är fortfarande öppen i registret.",
        message_en=f"Has turned {limit} (is {age}) but is still open in the register.",
        facts=(("age", age), ("age_limit", limit)),
    )


_age = age_band(
    lambda p: None, lambda p: int(p["kaa.age_limit"]) - 1, _past_limit, holds=_under_limit
)


def _working(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.employment
    if answer.status not in DECIDED:
        return _U_EMPLOYMENT[answer.status]
    items = answer.value
    job = any_covers(items, on) if items else None
    if job is None:
        return None
    extent = str(job.extent) if job.extent is not None else "unknown"
    return WORKS.with_facts(("employment", job.period), ("source", job.source), ("extent", extent))


def _studying(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.studies
    if answer.status not in DECIDED:
        return _U_STUDIES[answer.status]
    items = answer.value
    study = any_covers(items, on) if items else None
    if study is None:
        return None
    extent = str(study.extent) if study.extent is not None else "unknown"
    return STUDIES.with_facts(
        ("studies", study.period), ("source", study.source), ("extent", extent)
    )


def _upper(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.schooling
    if answer.status not in DECIDED:
        return _U_SCHOOLING[answer.status]
    schooling = answer.value
    if schooling is None:
        return None
    if schooling.has_diploma_on(on):
        return DIPLOMA.with_facts(("diploma_on", schooling.diploma_on))
    enrolled = schooling.enrolment_on(on)
    if enrolled is not None and enrolled.kind is not ProgrammeKind.INTRODUCTION:
        return UPPER.with_facts(("kind", enrolled.kind.value), ("period", enrolled.period))
    return None


def _intro(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.schooling
    if answer.status not in DECIDED:
        return _U_SCHOOLING_3[answer.status]
    schooling = answer.value
    if schooling is None or not p["kaa_reconcile.flag_introduction_programme"]:
        return None
    enrolled = schooling.enrolment_on(on)
    if enrolled is not None and enrolled.kind is ProgrammeKind.INTRODUCTION:
        return INTRO.with_facts(("period", enrolled.period))
    return None


class _ReconcileRule(ConditionRule):
    """The conditions apply to an entry open on the date; otherwise nothing to flag."""

    __slots__ = ()

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        settled = _entry_verdict(case.kaa_register, on, trace)
        if settled is not None:
            return settled
        return super().check(case, on, params, trace)

    def decide(self, case: Case, on: dt.date, params: ParameterView) -> QuickVerdict:
        settled = _entry_verdict(case.kaa_register, on, None)
        if settled is not None:
            return settled
        return super().decide(case, on, params)


_U_REGISTER = unknowns(
    RULE_ID,
    InformationSet.KAA_REGISTER,
    _C_REGISTER,
    what_sv="registerposten",
    what_en="the register entry",
)


def _entry_verdict(
    answer: Answer[KaaRegisterEntry], on: dt.date, trace: list[TraceStep] | None
) -> Verdict | None:
    # The verdict when no entry is open on the date (or the register is not decided);
    # None when one is open and the conditions apply.
    if trace is None and answer.value is None:
        settled = _SETTLED_BY_STATUS.get(answer.status)
        if settled is None:
            settled = _entry_verdict(answer, on, [])
            assert settled is not None
            _SETTLED_BY_STATUS[answer.status] = settled
        return settled
    if answer.status not in DECIDED:
        unknown = _U_REGISTER[answer.status]
        if trace is not None:
            trace.append(
                TraceStep(
                    "open-entry",
                    ReasonKind.UNKNOWN,
                    "An entry open on the date.",
                    _C_REGISTER,
                    unknown.reason.facts,
                    unknown.reason.code,
                )
            )
        return Outcome.UNKNOWN, (unknown.reason,), unknown.missing
    entry = answer.value
    if entry is None or not entry.is_open_on(on):
        facts: tuple[Fact, ...] = (("entry", answer.status.value),)
        if entry is not None:
            facts = (("entered_on", entry.entered_on), ("closed_on", entry.closed_on))
        if trace is not None:
            trace.append(
                TraceStep(
                    "open-entry",
                    ReasonKind.HOLDS,
                    "No entry open on the date.",
                    _C_REGISTER,
                    facts,
                    NOT_OPEN.code,
                )
            )
        return Outcome.ELIGIBLE, (NOT_OPEN.with_facts(*facts),), ()
    if trace is not None:
        trace.append(
            TraceStep(
                "open-entry",
                ReasonKind.HOLDS,
                "An entry is open on the date.",
                _C_REGISTER,
                (("entered_on", entry.entered_on), ("reason", entry.reason.value)),
                None,
            )
        )
    return None


# The verdict of each answer status without an entry (undecided: unknown; absent and not
# found: nothing to flag): it depends on the status only, so it is built once.
_SETTLED_BY_STATUS: dict[AnswerStatus, Verdict] = {}

RULE = register_rule(
    _ReconcileRule(
        id=RULE_ID,
        version="1",
        title_en="KAA register reconciliation (likely false positives)",
        title_sv="Avstämning av KAA-registret (troliga felaktiga poster)",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=("kaa.age_limit", "kaa_reconcile.flag_introduction_programme"),
        needs=(
            InformationSet.KAA_REGISTER,
            InformationSet.EMPLOYMENT,
            InformationSet.STUDIES,
            InformationSet.SCHOOLING,
        ),
        conditions=(
            Condition(
                "under-age-limit", "Has not turned 20 while open.", _C_AGE, _age, UNDER, age_facts
            ),
            Condition(
                "not-working",
                "No employment covers the date.",
                _C_WORK,
                _working,
                NOT_WORKING,
                answer_facts(InformationSet.EMPLOYMENT),
            ),
            Condition(
                "not-studying",
                "No studies cover the date.",
                _C_STUDY,
                _studying,
                NOT_STUDYING,
                answer_facts(InformationSet.STUDIES),
            ),
            Condition(
                "not-in-upper-secondary",
                "No national programme, adapted school or equivalent on the date; no diploma.",
                _C_UPPER,
                _upper,
                NOT_UPPER,
                answer_facts(InformationSet.SCHOOLING),
            ),
            Condition(
                "not-on-introduction-programme",
                "Not on an introduction programme on the date (flag configurable).",
                _C_INTRO,
                _intro,
                NOT_INTRO,
                answer_facts(InformationSet.SCHOOLING),
            ),
        ),
    )
)
