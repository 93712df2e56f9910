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

As encoded: the rule applies to an entry open on the date (its scope, ``open-entry``);
an entry that is not open on the date (or no entry at all) has nothing to review
(``kaa-reconcile.not-open``), and a register not decided leaves the rule unknown. Whether
the closing day is in the register is ``kaa.closing_day_in_register`` (default: it is
not), read alike by the SCB report. For an open entry (age and schooling read as the rule
``kaa`` reads them: its conditions are called here, not copied):

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
from types import SimpleNamespace

from ssbx_model.case import Case
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import kaa
from ssbx_model.rules.authoring import (
    Fact,
    Finding,
    Says,
    ScopedRule,
    fails,
    holds,
    parameter,
    register_rule,
    settled,
)

__all__ = ["RULE"]

RULE_ID = "kaa-reconcile"
STATUTE = "skollagen (2010:800) 29 kap. 9 §"
IKE = (
    "Trelleborgs kommun, arbetsmarknadsnämnden, 'Systemfel avseende datahantering inom det "
    "kommunala aktivitetsansvaret' (undated)"
)
REGISTER = InformationSet.KAA_REGISTER
EMPLOYMENT = InformationSet.EMPLOYMENT
STUDIES = InformationSet.STUDIES
SCHOOLING = InformationSet.SCHOOLING


class Params(kaa.Params):
    """The parameters the rule reads: kaa's (the age limit, the introduction programme's
    coverage), and these."""

    closing_day_in_register: bool = parameter("kaa.closing_day_in_register")
    flag_work: bool = parameter("kaa_reconcile.flag_work")
    flag_studies: bool = parameter("kaa_reconcile.flag_studies")
    flag_introduction_programme: bool = parameter("kaa_reconcile.flag_introduction_programme")


RULE = ScopedRule(
    id=RULE_ID,
    version="2",
    title_en="KAA register reconciliation (entries to review)",
    title_sv="Avstämning av KAA-registret (poster att granska)",
    source_text=(
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
    ),
    citation=f"{STATUTE}; {IKE}",
    params=Params,
    needs=(REGISTER, EMPLOYMENT, STUDIES, SCHOOLING),
)


# The scope, "skrivs de in i IKE": an entry open on the date. Otherwise nothing to review.
def _not_open(f: SimpleNamespace, p: Params) -> tuple[str, str]:
    if hasattr(f, "entry"):  # no entry at all: the register answered absent or not found
        return (
            f"Personen finns inte i KAA-registret ({f.entry}): inget att granska.",
            f"The person is not in the KAA register ({f.entry}): nothing to review.",
        )
    if not hasattr(f, "closing_day_in_register"):  # entered after the date
        return (
            f"Skrivs in i KAA-registret först {f.entered_on}: inget att granska {p.on}.",
            f"Enters the KAA register only on {f.entered_on}: nothing to review on {p.on}.",
        )
    counted_sv = "räknas" if f.closing_day_in_register else "räknas inte"
    counted_en = "is" if f.closing_day_in_register else "is not"
    return (
        (
            f"Posten avslutades {f.closed_on} (avslutsdagen {counted_sv} som en dag i registret): "
            f"inte öppen {p.on}, inget att granska."
        ),
        (
            f"The entry closed on {f.closed_on} (the closing day {counted_en} a day in the "
            f"register): not open on {p.on}, nothing to review."
        ),
    )


def _entry_shown(case: Case, on: dt.date, p: Params) -> tuple[Fact, ...]:
    entry = case.kaa_register.value
    if entry is None:
        return ()
    return (
        ("entered_on", entry.entered_on),
        ("closed_on", entry.closed_on),
        ("reason", entry.reason.value),
    )


@RULE.applies_when(
    "open-entry",
    "An entry of the register is open on the date (otherwise nothing to review).",
    cites=f"{STATUTE} (the register); {IKE} ('skrivs de in i IKE')",
    needs=(REGISTER,),
    unsettled=("registerposten", "the register entry"),
    shows=_entry_shown,
    applies=Says(
        f"{RULE_ID}.open-entry",
        "Posten är öppen i registret den dagen.",
        "The entry is open in the register on the date.",
    ),
    holds=Says(f"{RULE_ID}.not-open", _not_open),
)
def open_entry(case: Case, on: dt.date, p: Params) -> Finding | None:
    entry = settled(case.kaa_register, REGISTER)
    if entry is None:
        return holds(entry=case.kaa_register.status.value)
    if entry.is_open_on(on, closing_day_in_register=p.closing_day_in_register):
        return None
    if on < entry.entered_on:
        return holds(entered_on=entry.entered_on, closed_on=entry.closed_on)
    return holds(
        entered_on=entry.entered_on,
        closed_on=entry.closed_on,
        closing_day_in_register=p.closing_day_in_register,
    )


# 1. "inte har fyllt 20 år"; Trelleborg: "fram till den dag de fyller 20 år". Read as kaa
#    reads it; past the limit the youth is outside KAA but still open in the register.
@RULE.condition(
    "under-age-limit",
    "Has not turned 20 while open.",
    cites=f"{STATUTE} ('inte har fyllt 20 år'); {IKE} ('fram till den dag de fyller 20 år')",
    holds=Says(
        f"{RULE_ID}.under-age-limit",
        lambda f, p: (
            f"Har inte fyllt {f.age_limit} år (är {f.age} år).",
            f"Has not turned {f.age_limit} (is {f.age}).",
        ),
    ),
    fails=Says(
        f"{RULE_ID}.past-age-limit",
        lambda f, p: (
            (
                f"Fyllde {f.age_limit} år {f.ended_on} och omfattas inte längre av "
                f"aktivitetsansvaret, men är fortfarande öppen i registret den {p.on}."
            ),
            (
                f"Turned {f.age_limit} on {f.ended_on} and is no longer covered by the activity "
                f"responsibility, but is still open in the register on {p.on}."
            ),
        ),
    ),
)
def under_age_limit(case: Case, on: dt.date, p: Params) -> Finding:
    found: Finding = kaa.age(case, on, p)
    if found.kind == "holds":
        return found
    return fails(**dict(found.facts), covered_by_kaa=False)


# 2. "hålla sig informerad om hur de ungdomar i kommunen är sysselsatta"; Trelleborg:
#    working youths "ej avslutas i systemet utan fortsatt räknas som att vara i behov av
#    kommunens service". Covered by KAA, but counted as needing support: flagged while
#    kaa_reconcile.flag_work.
REVIEW = (
    (
        "Omfattas ändå av aktivitetsansvaret (kommunen ska hålla sig informerad om hur "
        "ungdomen är sysselsatt), så posten ska inte avslutas för detta, men registret räknar "
        "ungdomen som i behov av stöd: granska hur sysselsättningen är registrerad."
    ),
    (
        "Still covered by the activity responsibility (the municipality keeps informed about "
        "how the youth is occupied), so the entry is not to be closed for this, but the "
        "register counts the youth as needing support: review how the occupation is recorded."
    ),
)


def _extent(f: SimpleNamespace) -> tuple[str, str]:
    # The extent of the evidence (a fact), as Swedish and English text.
    if f.extent == "unknown":
        return "okänd omfattning", "extent unknown"
    return f"omfattning {f.extent}", f"extent {f.extent}"


@RULE.condition(
    "not-working",
    "No employment covers the date (flagged while kaa_reconcile.flag_work).",
    cites=(
        f"{STATUTE} ('hålla sig informerad om hur de ungdomar i kommunen är sysselsatta'); "
        f"{IKE} ('ungdomar som är självförsörjande genom arbete ej avslutas i systemet utan "
        "fortsatt räknas som att vara i behov av kommunens service')"
    ),
    reads=(EMPLOYMENT,),  # only while work is flagged
    holds=(
        Says(
            f"{RULE_ID}.no-employment", "Ingen anställning registrerad.", "No employment on record."
        ),
        Says(
            f"{RULE_ID}.work-not-flagged",
            "Arbete flaggas inte (kaa_reconcile.flag_work = nej).",
            "Work is not flagged (kaa_reconcile.flag_work = false).",
        ),
    ),
    fails=Says(
        f"{RULE_ID}.works",
        lambda f, p: (
            f"Arbetar enligt {f.source} ({f.employment}, {_extent(f)[0]}). {REVIEW[0]}",
            f"Works according to {f.source} ({f.employment}, {_extent(f)[1]}). {REVIEW[1]}",
        ),
    ),
)
def not_working(case: Case, on: dt.date, p: Params) -> Finding | None:
    if not p.flag_work:
        return holds(f"{RULE_ID}.work-not-flagged", flag_work=False)
    jobs = settled(case.employment, EMPLOYMENT) or ()
    job = next((job for job in jobs if job.period.contains(on)), None)
    if job is None:
        return None
    return fails(
        employment=job.period,
        source=job.source,
        extent=str(job.extent) if job.extent is not None else "unknown",
        covered_by_kaa=True,
    )


# 3. "eller motsvarande utbildning"; Trelleborg: "flertalet av dessa trelleborgare studerar
#    på heltid ... utan att det syns i systemet". Covered unless the studies are equivalent
#    to upper-secondary school, which the evidence does not say: flagged while
#    kaa_reconcile.flag_studies.
@RULE.condition(
    "not-studying",
    "No studies cover the date (flagged while kaa_reconcile.flag_studies).",
    cites=(
        f"{STATUTE} ('eller motsvarande utbildning'); {IKE} ('flertalet av dessa trelleborgare "
        "studerar på heltid ... utan att det syns i systemet')"
    ),
    reads=(STUDIES,),  # only while studies are flagged
    holds=(
        Says(f"{RULE_ID}.no-studies", "Inga studier registrerade.", "No studies on record."),
        Says(
            f"{RULE_ID}.studies-not-flagged",
            "Studier flaggas inte (kaa_reconcile.flag_studies = nej).",
            "Studies are not flagged (kaa_reconcile.flag_studies = false).",
        ),
    ),
    fails=Says(
        f"{RULE_ID}.studies",
        lambda f, p: (
            (
                f"Studerar enligt {f.source} ({f.studies}, {_extent(f)[0]}). Omfattas inte av "
                "aktivitetsansvaret om utbildningen motsvarar gymnasieskolan, annars ändå; "
                "registret räknar ungdomen som i behov av stöd: granska utbildningen och hur den "
                "är registrerad."
            ),
            (
                f"Studies according to {f.source} ({f.studies}, {_extent(f)[1]}). Not covered by "
                "the activity responsibility if the education is equivalent to upper-secondary "
                "school, covered otherwise; the register counts the youth as needing support: "
                "review the education and how it is recorded."
            ),
        ),
    ),
)
def not_studying(case: Case, on: dt.date, p: Params) -> Finding | None:
    if not p.flag_studies:
        return holds(f"{RULE_ID}.studies-not-flagged", flag_studies=False)
    studies = settled(case.studies, STUDIES) or ()
    study = next((study for study in studies if study.period.contains(on)), None)
    if study is None:
        return None
    return fails(
        studies=study.period,
        source=study.source,
        extent=str(study.extent) if study.extent is not None else "unknown",
    )


# 4. "som inte genomför eller har fullföljt utbildning på nationella program i
#    gymnasieskolan eller gymnasiesärskolan eller motsvarande utbildning": kaa's conditions
#    no-diploma and not-in-upper-secondary. No schooling record: nothing to flag from it.
@RULE.condition(
    "not-in-upper-secondary",
    "No national programme, adapted school or equivalent on the date; no diploma.",
    cites=(
        f"{STATUTE} ('som inte genomför eller har fullföljt utbildning på nationella program i "
        "gymnasieskolan eller gymnasiesärskolan eller motsvarande utbildning')"
    ),
    needs=(SCHOOLING,),
    holds=Says(
        f"{RULE_ID}.no-upper-secondary",
        "Går inte på nationellt program eller motsvarande och har ingen examen.",
        "Not on a national programme or equivalent, and no diploma.",
    ),
    fails=(
        Says(
            f"{RULE_ID}.diploma",
            lambda f, p: (
                (
                    f"Har gymnasieexamen ({f.diploma_on}): omfattas inte av aktivitetsansvaret men "
                    "är öppen i registret."
                ),
                (
                    f"Has an upper-secondary diploma ({f.diploma_on}): not covered by the activity "
                    "responsibility, but open in the register."
                ),
            ),
        ),
        Says(
            f"{RULE_ID}.upper-secondary",
            lambda f, p: (
                (
                    f"Går på gymnasieutbildning ({f.kind}, {f.period}): omfattas inte av "
                    "aktivitetsansvaret men är öppen i registret."
                ),
                (
                    f"On upper-secondary education ({f.kind}, {f.period}): not covered by the "
                    "activity responsibility, but open in the register."
                ),
            ),
        ),
    ),
)
def not_in_upper_secondary(case: Case, on: dt.date, p: Params) -> Finding | None:
    if settled(case.schooling, SCHOOLING) is None:
        return None
    diploma: Finding | None = kaa.no_diploma(case, on, p)
    if diploma is not None:
        return fails(f"{RULE_ID}.diploma", **dict(diploma.facts), covered_by_kaa=False)
    enrolled: Finding | None = kaa.not_in_upper_secondary(case, on, p)
    if enrolled is None or enrolled.code != "kaa.upper-secondary.enrolled":
        return None  # not enrolled, or on an introduction programme (condition 5)
    facts = dict(enrolled.facts)
    return fails(
        f"{RULE_ID}.upper-secondary",
        kind=facts["kind"],
        period=facts["period"],
        covered_by_kaa=False,
    )


# 5. The introduction (formerly individual) programme; Trelleborg: "eller är inskrivna på
#    det individuella programmet utan att det syns i systemet". Read as kaa reads it:
#    outside KAA from 1 July 2018 (always flagged); covered before, and flagged while
#    kaa_reconcile.flag_introduction_programme.
@RULE.condition(
    "not-on-introduction-programme",
    "Not on an introduction programme on the date (outside KAA from 1 July 2018; before, "
    "flagged while kaa_reconcile.flag_introduction_programme).",
    cites=(
        f"{STATUTE} (introduction-programme pupils covered until 30 June 2018, not from "
        f"1 July 2018); {IKE} ('eller är inskrivna på det individuella programmet utan att det "
        "syns i systemet')"
    ),
    needs=(SCHOOLING,),
    holds=Says(
        f"{RULE_ID}.no-introduction-programme",
        "Går inte på introduktionsprogram.",
        "Not on an introduction programme.",
    ),
    fails=(
        Says(
            f"{RULE_ID}.introduction-programme-not-covered",
            lambda f, p: (
                (
                    f"Går på introduktionsprogram ({f.period}), som inte omfattas av "
                    f"aktivitetsansvaret den {p.on}, men är öppen i registret."
                ),
                (
                    f"On an introduction programme ({f.period}), which the activity "
                    f"responsibility does not cover on {p.on}, but open in the register."
                ),
            ),
        ),
        Says(
            f"{RULE_ID}.introduction-programme",
            lambda f, p: (
                (
                    f"Går på introduktionsprogram ({f.period}), som omfattas av aktivitetsansvaret "
                    f"den {p.on}, men räknas i registret som att varken arbeta eller studera: "
                    "granska hur sysselsättningen är registrerad."
                ),
                (
                    f"On an introduction programme ({f.period}), which the activity responsibility "
                    f"covers on {p.on}, but counted in the register as neither working nor "
                    "studying: review how the occupation is recorded."
                ),
            ),
        ),
    ),
)
def not_on_introduction_programme(case: Case, on: dt.date, p: Params) -> Finding | None:
    if settled(case.schooling, SCHOOLING) is None:
        return None
    enrolled: Finding | None = kaa.not_in_upper_secondary(case, on, p)
    if enrolled is None or enrolled.code == "kaa.upper-secondary.enrolled":
        return None  # not enrolled, or on another programme (condition 4)
    period = dict(enrolled.facts)["period"]
    if enrolled.kind == "fails":  # kaa: not covered on the date (from 1 July 2018)
        return fails(
            f"{RULE_ID}.introduction-programme-not-covered", period=period, covered_by_kaa=False
        )
    if not p.flag_introduction_programme:
        return None
    return fails(f"{RULE_ID}.introduction-programme", period=period, covered_by_kaa=True)


register_rule(RULE)
