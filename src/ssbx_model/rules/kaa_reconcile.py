"""Rule ``kaa-reconcile``: which open KAA register entries need a review?

Source (skollagen (2010:800) 29 kap. 9 § första stycket): the municipality shall "löpande
under året hålla sig informerad om hur de ungdomar i kommunen är sysselsatta som har
fullgjort sin skolplikt men inte har fyllt 20 år och som inte genomför eller har fullföljt
utbildning på nationella program i gymnasieskolan eller gymnasiesärskolan eller
motsvarande utbildning" (from 1 July 2018 not youths on an introduction programme).

The complaint (Trelleborgs kommun, arbetsmarknadsnämnden, "Systemfel avseende
datahantering inom det kommunala aktivitetsansvaret", undated):

    I anslutning till att en elev skrivs ut från en skola, avslutar studier utan
    gymnasieexamen alternativt ej påbörjar studier vid terminsstart, skrivs de in i IKE
    [...] Det verkliga talet är lägre, då ungdomar som är självförsörjande genom arbete
    ej avslutas i systemet utan fortsatt räknas som att vara i behov av kommunens service
    att återgå till studier fram till den dag de fyller 20 år. [...]
    Det visar sig att flertalet av dessa trelleborgare studerar på heltid eller är
    inskrivna på det individuella programmet utan att det syns i systemet. Trots det syns
    de i IKE och behandlas därför som ungdomar som varken arbetar eller studerar (UVAS).

Citation: skollagen (2010:800) 29 kap. 9 §; Trelleborgs kommun, arbetsmarknadsnämnden,
"Systemfel avseende datahantering inom det kommunala aktivitetsansvaret".

The statute and the complaint differ: a youth who works is still covered (the municipality
keeps informed about how they are occupied), so their entry is lawful; what the complaint
is about is that the register *counts* them as needing support. The rule therefore never
closes an entry and never calls an entry of a covered youth wrong: it **flags entries for
review**, and each flag says whether the youth is covered by KAA on the date (the fact
``covered_by_kaa``).

Outcomes: ``eligible`` means *nothing to review*; ``not_eligible`` means *flagged for
review*, with one reason per finding; ``unknown`` means the evidence needed to tell is
missing (the sets are named).

As encoded: an entry that is not open on the date (or no entry at all) has nothing to
review. Whether the closing day is in the register is ``kaa.closing_day_in_register``
(default: it is not), read alike by the SCB report. For an open entry:

1. ``under-age-limit``: the person has turned 20 (``kaa.age_limit``) and is still open
   ("fram till den dag de fyller 20 år"): outside KAA.
2. ``not-working``: employment evidence covers the date. Covered by KAA, but counted as
   needing support: flagged while ``kaa_reconcile.flag_work`` is true (the default).
3. ``not-studying``: study evidence covers the date (e.g. full-time studies at a
   folkhögskola). Covered unless the studies are equivalent to upper-secondary school,
   which the evidence does not say: flagged while ``kaa_reconcile.flag_studies`` is true
   (the default).
4. ``not-in-upper-secondary``: the schooling record shows a national programme, the
   adapted school or equivalent education on the date, or a diploma by the date:
   outside KAA.
5. ``not-on-introduction-programme``: the schooling record shows the introduction
   (formerly individual) programme on the date. From 1 July 2018
   (``kaa.introduction_programme_covered`` false) such pupils are outside KAA and always
   flagged; before, they were covered but counted as neither working nor studying,
   flagged while ``kaa_reconcile.flag_introduction_programme`` is true.

Employment and studies must be decided for an open entry while their flag is on;
schooling always ("absent" or "not found" counts as no record: nothing to flag from it).
"""

from __future__ import annotations

import datetime as dt

from ssbx_model.calendar import age_on, birthday
from ssbx_model.case import Case
from ssbx_model.information._base import Answer
from ssbx_model.information.kaa import KaaRegisterEntry
from ssbx_model.information.schooling import ProgrammeKind
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import (
    DECIDED,
    Condition,
    ConditionResult,
    ConditionRule,
    Fact,
    Outcome,
    Reason,
    ReasonKind,
    TraceStep,
    Verdict,
    answer_facts,
    register_rule,
    unknowns,
)
from ssbx_model.rules.parameters import ParameterView

__all__ = ["RULE"]

RULE_ID = "kaa-reconcile"
STATUTE = "skollagen (2010:800) 29 kap. 9 §"
IKE = (
    "Trelleborgs kommun, arbetsmarknadsnämnden, 'Systemfel avseende datahantering inom det "
    "kommunala aktivitetsansvaret' (undated)"
)
CITATION = f"{STATUTE}; {IKE}"
SOURCE_TEXT = (
    "[Skollagen 29 kap. 9 §:] En hemkommun ska löpande under året hålla sig informerad om "
    "hur de ungdomar i kommunen är sysselsatta som har fullgjort sin skolplikt men inte har "
    "fyllt 20 år och som inte genomför eller har fullföljt utbildning på nationella program "
    "i gymnasieskolan eller gymnasiesärskolan eller motsvarande utbildning. [Trelleborg:] "
    "Det verkliga talet är lägre, då ungdomar som är självförsörjande genom arbete ej "
    "avslutas i systemet utan fortsatt räknas som att vara i behov av kommunens service att "
    "återgå till studier fram till den dag de fyller 20 år. [...] Det visar sig att "
    "flertalet av dessa trelleborgare studerar på heltid eller är inskrivna på det "
    "individuella programmet utan att det syns i systemet. Trots det syns de i IKE och "
    "behandlas därför som ungdomar som varken arbetar eller studerar (UVAS)."
)

_C_AGE = f"{STATUTE} ('inte har fyllt 20 år'); {IKE} ('fram till den dag de fyller 20 år')"
_C_WORK = (
    f"{STATUTE} ('hålla sig informerad om hur de ungdomar i kommunen är sysselsatta'); "
    f"{IKE} ('ungdomar som är självförsörjande genom arbete ej avslutas i systemet utan "
    "fortsatt räknas som att vara i behov av kommunens service')"
)
_C_STUDY = (
    f"{STATUTE} ('eller motsvarande utbildning'); {IKE} ('flertalet av dessa trelleborgare "
    "studerar på heltid ... utan att det syns i systemet')"
)
_C_UPPER = (
    f"{STATUTE} ('som inte genomför eller har fullföljt utbildning på nationella program i "
    "gymnasieskolan eller gymnasiesärskolan eller motsvarande utbildning')"
)
_C_INTRO = (
    f"{STATUTE} (introduction-programme pupils covered until 30 June 2018, not from "
    f"1 July 2018); {IKE} ('eller är inskrivna på det individuella programmet utan att det "
    "syns i systemet')"
)
_C_REGISTER = f"{STATUTE} (the register); {IKE} ('skrivs de in i IKE')"

H, F = ReasonKind.HOLDS, ReasonKind.FAILS

# The holds reasons of conditions whose text uses no value (the condition's constant).
UNDER = Reason(
    "kaa-reconcile.under-age-limit",
    H,
    "Har inte nått åldersgränsen för aktivitetsansvaret.",
    "Has not reached the age limit of the activity responsibility.",
    _C_AGE,
)
NOT_WORKING = Reason(
    "kaa-reconcile.no-employment",
    H,
    "Ingen anställning registrerad.",
    "No employment on record.",
    _C_WORK,
)
NOT_STUDYING = Reason(
    "kaa-reconcile.no-studies",
    H,
    "Inga studier registrerade.",
    "No studies on record.",
    _C_STUDY,
)
NOT_UPPER = Reason(
    "kaa-reconcile.no-upper-secondary",
    H,
    "Går inte på nationellt program eller motsvarande och har ingen examen.",
    "Not on a national programme or equivalent, and no diploma.",
    _C_UPPER,
)
NOT_INTRO = Reason(
    "kaa-reconcile.no-introduction-programme",
    H,
    "Går inte på introduktionsprogram.",
    "Not on an introduction programme.",
    _C_INTRO,
)

_REVIEW_SV = (
    "Omfattas ändå av aktivitetsansvaret (kommunen ska hålla sig informerad om hur ungdomen "
    "är sysselsatt), så posten ska inte avslutas för detta, men registret räknar ungdomen "
    "som i behov av stöd: granska hur sysselsättningen är registrerad."
)
_REVIEW_EN = (
    "Still covered by the activity responsibility (the municipality keeps informed about how "
    "the youth is occupied), so the entry is not to be closed for this, but the register "
    "counts the youth as needing support: review how the occupation is recorded."
)

_U_EMPLOYMENT = unknowns(RULE_ID, InformationSet.EMPLOYMENT, _C_WORK)
_U_STUDIES = unknowns(RULE_ID, InformationSet.STUDIES, _C_STUDY)
_U_SCHOOLING = unknowns(RULE_ID, InformationSet.SCHOOLING, _C_UPPER)
_U_SCHOOLING_INTRO = unknowns(RULE_ID, InformationSet.SCHOOLING, _C_INTRO)
_U_REGISTER = unknowns(
    RULE_ID,
    InformationSet.KAA_REGISTER,
    _C_REGISTER,
    what_sv="registerposten",
    what_en="the register entry",
)


def _extent(extent: object) -> tuple[str, str]:
    # The extent as Swedish and English text.
    if extent is None:
        return "okänd omfattning", "extent unknown"
    return f"omfattning {extent}", f"extent {extent}"


def _age(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    limit = p.int("kaa.age_limit")
    age = age_on(case.person.birth_date, on)
    facts: tuple[Fact, ...] = (("age", age), ("age_limit", limit))
    if age < limit:
        return UNDER._replace(
            message_sv=f"Har inte fyllt {limit} år (är {age} år).",
            message_en=f"Has not turned {limit} (is {age}).",
            facts=facts,
        )
    ended = birthday(case.person.birth_date, limit)
    return Reason(
        "kaa-reconcile.past-age-limit",
        F,
        f"Fyllde {limit} år {ended.isoformat()} och omfattas inte längre av "
        f"aktivitetsansvaret, men är fortfarande öppen i registret den {on.isoformat()}.",
        f"Turned {limit} on {ended.isoformat()} and is no longer covered by the activity "
        f"responsibility, but is still open in the register on {on.isoformat()}.",
        _C_AGE,
        (*facts, ("ended_on", ended), ("covered_by_kaa", False)),
    )


def _age_facts(case: Case, on: dt.date, params: ParameterView) -> tuple[Fact, ...]:
    return (("age", age_on(case.person.birth_date, on)),)


def _working(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    if not p["kaa_reconcile.flag_work"]:
        return NOT_WORKING._replace(
            code="kaa-reconcile.work-not-flagged",
            message_sv="Arbete flaggas inte (kaa_reconcile.flag_work = nej).",
            message_en="Work is not flagged (kaa_reconcile.flag_work = false).",
            facts=(("flag_work", False),),
        )
    answer = case.employment
    if answer.status not in DECIDED:
        return _U_EMPLOYMENT[answer.status]
    items = answer.value
    job = next((item for item in items or () if item.period.contains(on)), None)
    if job is None:
        return None
    extent_sv, extent_en = _extent(job.extent)
    return Reason(
        "kaa-reconcile.works",
        F,
        f"Arbetar enligt {job.source} ({job.period}, {extent_sv}). {_REVIEW_SV}",
        f"Works according to {job.source} ({job.period}, {extent_en}). {_REVIEW_EN}",
        _C_WORK,
        (
            ("employment", job.period),
            ("source", job.source),
            ("extent", str(job.extent) if job.extent is not None else "unknown"),
            ("covered_by_kaa", True),
        ),
    )


def _studying(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    if not p["kaa_reconcile.flag_studies"]:
        return NOT_STUDYING._replace(
            code="kaa-reconcile.studies-not-flagged",
            message_sv="Studier flaggas inte (kaa_reconcile.flag_studies = nej).",
            message_en="Studies are not flagged (kaa_reconcile.flag_studies = false).",
            facts=(("flag_studies", False),),
        )
    answer = case.studies
    if answer.status not in DECIDED:
        return _U_STUDIES[answer.status]
    items = answer.value
    study = next((item for item in items or () if item.period.contains(on)), None)
    if study is None:
        return None
    extent_sv, extent_en = _extent(study.extent)
    return Reason(
        "kaa-reconcile.studies",
        F,
        f"Studerar enligt {study.source} ({study.period}, {extent_sv}). Omfattas inte av "
        "aktivitetsansvaret om utbildningen motsvarar gymnasieskolan, annars ändå; registret "
        "räknar ungdomen som i behov av stöd: granska utbildningen och hur den är registrerad.",
        f"Studies according to {study.source} ({study.period}, {extent_en}). Not covered by the "
        "activity responsibility if the education is equivalent to upper-secondary school, "
        "covered otherwise; the register counts the youth as needing support: review the "
        "education and how it is recorded.",
        _C_STUDY,
        (
            ("studies", study.period),
            ("source", study.source),
            ("extent", str(study.extent) if study.extent is not None else "unknown"),
        ),
    )


def _upper(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.schooling
    if answer.status not in DECIDED:
        return _U_SCHOOLING[answer.status]
    schooling = answer.value
    if schooling is None:
        return None
    if schooling.has_diploma_on(on):
        assert schooling.diploma_on is not None
        return Reason(
            "kaa-reconcile.diploma",
            F,
            f"Har gymnasieexamen ({schooling.diploma_on.isoformat()}): omfattas inte av "
            "aktivitetsansvaret men är öppen i registret.",
            f"Has an upper-secondary diploma ({schooling.diploma_on.isoformat()}): not "
            "covered by the activity responsibility, but open in the register.",
            _C_UPPER,
            (("diploma_on", schooling.diploma_on), ("covered_by_kaa", False)),
        )
    enrolled = schooling.enrolment_on(on)
    if enrolled is None or enrolled.kind is ProgrammeKind.INTRODUCTION:
        return None
    return Reason(
        "kaa-reconcile.upper-secondary",
        F,
        f"Går på gymnasieutbildning ({enrolled.kind.value}, {enrolled.period}): omfattas "
        "inte av aktivitetsansvaret men är öppen i registret.",
        f"On upper-secondary education ({enrolled.kind.value}, {enrolled.period}): not "
        "covered by the activity responsibility, but open in the register.",
        _C_UPPER,
        (("kind", enrolled.kind.value), ("period", enrolled.period), ("covered_by_kaa", False)),
    )


def _intro(case: Case, on: dt.date, p: ParameterView) -> ConditionResult:
    answer = case.schooling
    if answer.status not in DECIDED:
        return _U_SCHOOLING_INTRO[answer.status]
    schooling = answer.value
    enrolled = schooling.enrolment_on(on) if schooling is not None else None
    if enrolled is None or enrolled.kind is not ProgrammeKind.INTRODUCTION:
        return None
    period = enrolled.period
    if not p["kaa.introduction_programme_covered"]:
        return Reason(
            "kaa-reconcile.introduction-programme-not-covered",
            F,
            f"Går på introduktionsprogram ({period}), som inte omfattas av aktivitetsansvaret "
            f"den {on.isoformat()}, men är öppen i registret.",
            f"On an introduction programme ({period}), which the activity responsibility does "
            f"not cover on {on.isoformat()}, but open in the register.",
            _C_INTRO,
            (("period", period), ("covered_by_kaa", False)),
        )
    if not p["kaa_reconcile.flag_introduction_programme"]:
        return None
    return Reason(
        "kaa-reconcile.introduction-programme",
        F,
        f"Går på introduktionsprogram ({period}), som omfattas av aktivitetsansvaret den "
        f"{on.isoformat()}, men räknas i registret som att varken arbeta eller studera: "
        "granska hur sysselsättningen är registrerad.",
        f"On an introduction programme ({period}), which the activity responsibility covers "
        f"on {on.isoformat()}, but counted in the register as neither working nor studying: "
        "review how the occupation is recorded.",
        _C_INTRO,
        (("period", period), ("covered_by_kaa", True)),
    )


class _ReconcileRule(ConditionRule):
    """The conditions apply to an entry open on the date; otherwise nothing to review."""

    __slots__ = ()

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        settled = _entry_verdict(case.kaa_register, on, params, trace)
        if settled is not None:
            return settled
        return super().check(case, on, params, trace)


def _entry_verdict(
    answer: Answer[KaaRegisterEntry],
    on: dt.date,
    params: ParameterView,
    trace: list[TraceStep] | None,
) -> Verdict | None:
    """The verdict when no entry is open on the date (or the register is not decided);
    None when one is open and the conditions apply."""
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
    closing_day = bool(params["kaa.closing_day_in_register"])
    if entry is not None and entry.is_open_on(on, closing_day_in_register=closing_day):
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
    reason = _not_open(answer, entry, on, closing_day)
    if trace is not None:
        trace.append(
            TraceStep(
                "open-entry",
                ReasonKind.HOLDS,
                "No entry open on the date.",
                _C_REGISTER,
                reason.facts,
                reason.code,
            )
        )
    return Outcome.ELIGIBLE, (reason,), ()


def _not_open(
    answer: Answer[KaaRegisterEntry], entry: KaaRegisterEntry | None, on: dt.date, closing: bool
) -> Reason:
    day = on.isoformat()
    if entry is None:
        sv = f"Personen finns inte i KAA-registret ({answer.status.value}): inget att granska."
        en = f"The person is not in the KAA register ({answer.status.value}): nothing to review."
        facts: tuple[Fact, ...] = (("entry", answer.status.value),)
    elif on < entry.entered_on:
        entered = entry.entered_on.isoformat()
        sv = f"Skrivs in i KAA-registret först {entered}: inget att granska {day}."
        en = f"Enters the KAA register only on {entered}: nothing to review on {day}."
        facts = (("entered_on", entry.entered_on), ("closed_on", entry.closed_on))
    else:
        assert entry.closed_on is not None
        closed = entry.closed_on.isoformat()
        counted_sv = "räknas" if closing else "räknas inte"
        counted_en = "is" if closing else "is not"
        sv = (
            f"Posten avslutades {closed} (avslutsdagen {counted_sv} som en dag i registret): "
            f"inte öppen {day}, inget att granska."
        )
        en = (
            f"The entry closed on {closed} (the closing day {counted_en} a day in the "
            f"register): not open on {day}, nothing to review."
        )
        facts = (
            ("entered_on", entry.entered_on),
            ("closed_on", entry.closed_on),
            ("closing_day_in_register", closing),
        )
    return Reason("kaa-reconcile.not-open", H, sv, en, _C_REGISTER, facts)


RULE = register_rule(
    _ReconcileRule(
        id=RULE_ID,
        version="2",
        title_en="KAA register reconciliation (entries to review)",
        title_sv="Avstämning av KAA-registret (poster att granska)",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=(
            "kaa.age_limit",
            "kaa.closing_day_in_register",
            "kaa.introduction_programme_covered",
            "kaa_reconcile.flag_work",
            "kaa_reconcile.flag_studies",
            "kaa_reconcile.flag_introduction_programme",
        ),
        needs=(
            InformationSet.KAA_REGISTER,
            InformationSet.EMPLOYMENT,
            InformationSet.STUDIES,
            InformationSet.SCHOOLING,
        ),
        conditions=(
            Condition(
                "under-age-limit", "Has not turned 20 while open.", _C_AGE, _age, UNDER, _age_facts
            ),
            Condition(
                "not-working",
                "No employment covers the date (flagged while kaa_reconcile.flag_work).",
                _C_WORK,
                _working,
                NOT_WORKING,
                answer_facts(InformationSet.EMPLOYMENT),
            ),
            Condition(
                "not-studying",
                "No studies cover the date (flagged while kaa_reconcile.flag_studies).",
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
                "Not on an introduction programme on the date (outside KAA from 1 July 2018; "
                "before, flagged while kaa_reconcile.flag_introduction_programme).",
                _C_INTRO,
                _intro,
                NOT_INTRO,
                answer_facts(InformationSet.SCHOOLING),
            ),
        ),
    )
)
