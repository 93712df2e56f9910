"""Notice check ``skat15-transition``: a youth in applicant category 15 who moves to AF's
interventions gets a new applicant category, set in consultation.

Source (Delegationen för unga och nyanlända till arbete (Dua), "Frågor och svar –
uppföljning av kommuninsatser för ungdomar 16-24 år inom ramen för lokal överenskommelse",
2019-04-01):

    När en ungdom i sökandekategori 15 övergår eller vill övergå till insatser hos
    Arbetsförmedlingen sätts en ny sökandekategori utifrån ungdomens aktuella situation
    och en ny planering görs. Även detta sker i samråd mellan Arbetsförmedlingen och
    kommun. Trepartssamtal rekommenderas där kommunen kan sammanfatta vad som gjorts i
    deras regi och var Arbetsförmedlingen kan ta vid för att hjälpa ungdomen vidare.
    [...] Sökandekategori 15 – kommuninsats är för ungdomar som är inskrivna hos
    Arbetsförmedlingen men för tillfället bara har aktiviteter som kommunen helt ansvarar
    för och som inte är kopplat till något programbeslut från Arbetsförmedlingen.

Citation: Dua, "Frågor och svar – uppföljning av kommuninsatser för ungdomar 16-24 år inom
ramen för lokal överenskommelse" (2019-04-01); förordning (2015:502) om samverkan för att
minska ungdomsarbetslösheten (repealed 2023-03-01 by SFS 2023:23, with transitional rules).

As encoded: on the reference date the youth's applicant category at AF is 15 (the
category spell covering the date), and AF has decided a program (a decision made on or
before the date, whose period covers the date or starts after it: the youth moves, or
will move, to AF's interventions). Then one notice ``skat15.new-category`` (kind
``action``) per such decision, dated the program's start: a new applicant category is to
be set, in consultation between AF and the municipality (a three-party meeting is
recommended). The notice says whether a consultation on the topic ``skat15-transition``
has been held since the youth entered category 15.

The enrolment must be decided, and for a youth in category 15 the program decisions too
(otherwise the check cannot be made); consultations only inform the text. A municipal
placement of an AF-decided measure without a program decision on record is not read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ssbx_model.case import Case
from ssbx_model.codes import AF_PROGRAM, load
from ssbx_model.information.consultation import SKAT15_TRANSITION
from ssbx_model.information.enrolment import ApplicantCategorySpell
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules.authoring import DECIDED, Fact, Reason, ReasonKind, Unknown, unknowns
from ssbx_model.rules.notices import CaseNotice, NoticeCheck, NoticeKind, register_notice_check
from ssbx_model.rules.parameters import ParameterView

__all__ = ["CHECK"]

CHECK_ID = "skat15-transition"
CATEGORY_15 = "15"
DUA = "Dua, Frågor och svar om kommuninsatser 16-24 år"
CITATION = (
    f"{DUA} ('När en ungdom i sökandekategori 15 övergår eller vill övergå till insatser hos "
    "Arbetsförmedlingen sätts en ny sökandekategori [...] Även detta sker i samråd mellan "
    "Arbetsförmedlingen och kommun.'); förordning (2015:502) om samverkan för att minska "
    "ungdomsarbetslösheten"
)
SOURCE_TEXT = (
    "När en ungdom i sökandekategori 15 övergår eller vill övergå till insatser hos "
    "Arbetsförmedlingen sätts en ny sökandekategori utifrån ungdomens aktuella situation och "
    "en ny planering görs. Även detta sker i samråd mellan Arbetsförmedlingen och kommun. "
    "Trepartssamtal rekommenderas där kommunen kan sammanfatta vad som gjorts i deras regi "
    "och var Arbetsförmedlingen kan ta vid för att hjälpa ungdomen vidare. [...] "
    "Sökandekategori 15 – kommuninsats är för ungdomar som är inskrivna hos "
    "Arbetsförmedlingen men för tillfället bara har aktiviteter som kommunen helt ansvarar "
    "för och som inte är kopplat till något programbeslut från Arbetsförmedlingen."
)

_U_ENROLMENT = unknowns(
    CHECK_ID,
    InformationSet.ENROLMENT,
    CITATION,
    what_sv="sökandekategorin",
    what_en="the applicant category",
)
_U_PROGRAMS = unknowns(
    CHECK_ID,
    InformationSet.PROGRAM_DECISIONS,
    CITATION,
    what_sv="övergången till Arbetsförmedlingens insatser",
    what_en="the move to AF's interventions",
)
# An enrolment stated by its registration date alone says nothing of the category.
_CATEGORY_NOT_STATED = Unknown(
    Reason(
        f"{CHECK_ID}.applicant-category-not-stated",
        ReasonKind.UNKNOWN,
        "Inskrivningen anger inte sökandekategorin: om ungdomen är i sökandekategori 15 "
        "går inte att avgöra.",
        "The enrolment does not state the applicant category: whether the youth is in "
        "applicant category 15 cannot be settled.",
        CITATION,
    ),
    (InformationSet.ENROLMENT,),
)
_PROGRAMS = load(AF_PROGRAM)


def _category_15_on(case: Case, on: dt.date) -> ApplicantCategorySpell | Unknown | None:
    # The category-15 spell covering the date, None when the youth is not in category 15.
    answer = case.enrolment
    if answer.status not in DECIDED:
        return _U_ENROLMENT[answer.status]
    enrolment = answer.value
    if enrolment is None or not enrolment.is_registered_on(on):
        return None
    if not enrolment.spells_stated:
        return _CATEGORY_NOT_STATED
    spell = enrolment.spell_on(on)
    if spell is None or spell.applicant_category != CATEGORY_15:
        return None
    return spell


def _consultation_text(case: Case, since: dt.date, on: dt.date) -> tuple[str, str, Fact]:
    # What the record says about a consultation on the transition since ``since``.
    answer = case.consultations
    if answer.status not in DECIDED:
        status = answer.status.value
        return (
            f"Om samråd om övergången har hållits är okänt (samråd: {status}).",
            f"Whether the transition has been consulted on is unknown (consultations: {status}).",
            ("transition_consultation", status),
        )
    held = sorted(
        (
            c
            for c in (answer.value or ())
            if c.topic == SKAT15_TRANSITION and since <= c.held_on <= on
        ),
        key=lambda c: c.held_on,
    )
    if not held:
        day = since.isoformat()
        return (
            f"Inget samråd om övergången ({SKAT15_TRANSITION}) är registrerat sedan {day}.",
            f"No consultation on the transition ({SKAT15_TRANSITION}) is recorded since {day}.",
            ("transition_consultation", None),
        )
    last = held[-1]
    three_sv = ", som trepartssamtal" if last.three_party else ""
    three_en = ", as a three-party meeting" if last.three_party else ""
    return (
        f"Samråd om övergången hölls {last.held_on.isoformat()}{three_sv}.",
        f"The transition was consulted on on {last.held_on.isoformat()}{three_en}.",
        ("transition_consultation", last.held_on),
    )


def _transition(case: Case, on: dt.date, p: ParameterView) -> Sequence[CaseNotice] | Unknown:
    spell = _category_15_on(case, on)
    if spell is None or isinstance(spell, Unknown):
        return () if spell is None else spell
    answer = case.program_decisions
    if answer.status not in DECIDED:
        return _U_PROGRAMS[answer.status]
    decisions = [
        d
        for d in (answer.value or ())
        if d.decided_on <= on and (d.period.end is None or on <= d.period.end)
    ]
    if not decisions:
        return ()
    since = spell.period.start
    said_sv, said_en, consulted = _consultation_text(case, since, on)
    found = []
    for decision in sorted(decisions, key=lambda d: (d.period.start, d.decision_id)):
        start = decision.period.start
        label = _PROGRAMS.get(decision.program).label_sv
        verb_sv = "börjar" if on < start else "började"
        verb_en = "starts" if on < start else "started"
        found.append(
            CaseNotice(
                "skat15.new-category",
                CHECK_ID,
                NoticeKind.ACTION,
                start,
                f"Ungdomen har sökandekategori 15 (kommuninsats) sedan {since.isoformat()} och "
                f"{verb_sv} programmet {label} ({decision.program}) {start.isoformat()}: en ny "
                "sökandekategori ska sättas i samråd mellan Arbetsförmedlingen och kommunen "
                f"(trepartssamtal rekommenderas). {said_sv}",
                f"The youth has applicant category 15 (municipal intervention) since "
                f"{since.isoformat()} and {verb_en} the program {label} ({decision.program}) "
                f"on {start.isoformat()}: a new applicant category is to be set in consultation "
                f"between AF and the municipality (a three-party meeting is recommended). "
                f"{said_en}",
                CITATION,
                (
                    ("category_15_since", since),
                    ("program", decision.program),
                    ("decision_id", decision.decision_id),
                    ("program_period", decision.period),
                    consulted,
                ),
            )
        )
    return tuple(found)


CHECK = register_notice_check(
    NoticeCheck(
        id=CHECK_ID,
        title_en="New applicant category when a category-15 youth moves to AF's interventions",
        title_sv="Ny sökandekategori när en ungdom i sökandekategori 15 övergår till "
        "Arbetsförmedlingens insatser",
        source_text=SOURCE_TEXT,
        citation=CITATION,
        parameters=(),
        needs=(
            InformationSet.ENROLMENT,
            InformationSet.PROGRAM_DECISIONS,
            InformationSet.CONSULTATIONS,
        ),
        find=_transition,
    )
)
