"""Rule ``employer-check``: do the employers of the planned placements pass the check?

Source: SKR, Processkartläggning del 2 (2022-03-11), "Samverkansprocess
praktik/arbetsträning", Tabell 6, "Arbetsgivarkontroll" (the scanned text with its Swedish
letters restored):

    Vid placering hos annan arbetsgivare än kommun önskar man kunna utföra en
    arbetsgivarkontroll likt den Arbetsförmedlingen gör med syfte att säkerställa att
    ingen arbetsgivare eller anordnare har:
      • Näringsförbud — ingen person med väsentligt inflytande i företaget får ha
        näringsförbud.
      • Skatteskuld som gått till indrivning hos Kronofogden — inga skatteskulder får
        finnas hos Kronofogden för indrivning.
      • Betalningsanmärkningar som inte är obetydliga — betalningsanmärkningar som
        Arbetsförmedlingen inte kan bedöma som obetydliga.
    För mer information kring Arbetsgivarkontroll hos Arbetsförmedlingen se länk i
    Referenser och källor.

    Annan information av intresse relaterad till arbetsgivarkontroll: Fackligt
    godkännande. Exempel: Fackligt godkännande finns, facklig organisation.
      • Kommunen stämmer av placering med aktuellt fack (ex. Kommunal). Kommunen
        tillhandahåller en blankett som fackförbund skriver på som sedan skickas till
        Arbetsförmedlingen.

The check the report refers to (its "Referenser och källor"): Arbetsförmedlingen,
"Faktablad om kontroll inför beslut om anvisning"; the grounds on which AF may refuse an
employer support: förordning (2017:462).

The placements of a case are its municipal interventions with status ``planned``; every
one must pass:

1. **Only another employer is checked.** A placement whose provider has the
   municipality's organisation number (``Case.municipality_organisation_number``) is
   within the municipality's own units: it is not checked and passes, and the reason
   ``employer-check.municipal-placement`` says so. When the case does not give the
   municipality's number, every provider is checked as another employer. A provider
   without an organisation number cannot be told apart, nor checked: unknown.
2. **The employer's latest check**, made on or before the date, is matched by
   organisation number in ``employer_checks``; no such check: unknown.
3. **Three grounds** (the ``employer-check-ground`` code list), each one reason
   ``employer-check.<ground>.<state>``; a ``None`` field of the check is ``not-checked``
   (unknown):

   - ``trading-ban``: fails when the check says a person with significant influence has
     a trading ban, or lists an owner with significant influence who has one; holds
     only when the check says no one has (the owners listed may not be everyone).
   - ``tax-debt``: fails when the debt sent to Kronofogden for collection is above
     ``employer_check.max_tax_debt_sek`` (0: any debt fails, as the report words it).
   - ``payment-remarks``: the remarks registered on or before the date, by AF's
     assessment (``PaymentRemark.af_assessment``). One AF could not assess as
     insignificant fails the ground (``.fails``); those AF assessed as insignificant
     never fail it; those AF has not assessed leave it unknown (``.not-assessed``),
     unless the deployment sets an amount threshold
     (``employer_check.remark_threshold_enabled``, default false): then their total
     fails above ``employer_check.remark_threshold_sek`` (``.above-threshold``) and
     passes at or below it.

4. **Union approval**, the latest check's ``union_approval`` signed on or before the
   date: ``employer-check.union-approval.approved`` holds; a refusal (``.refused``) or
   no approval (``.missing``) is a warning, since the report lists it as other
   information of interest; with ``employer_check.union_approval_required`` a refusal
   fails and a missing approval is unknown.

Kleene's AND over the placements and their conditions (the engine's item rule, EVERY
placement): any failure gives ``not_eligible``, else anything unknown gives ``unknown``
(missing ``employer_checks``), else ``eligible``; warnings come with every outcome, after
the failures or the open reasons. A reason the same for several placements (the checks not
decided) is given once. No planned intervention: not eligible, with a reason saying there
is nothing to check.

:func:`check_employer` assesses the three grounds of one check, outside any person's case
(e.g. a vendor vetting an employer before offering placements there).

Organisation numbers of legal persons are public and shown; a sole trader's is a
personnummer and is shown masked (``YYMMDD-****``). Owners' names never appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from ssbx_model.case import Case
from ssbx_model.codes import EMPLOYER_CHECK_GROUND, load
from ssbx_model.information.employer import (
    EmployerCheck,
    PaymentRemarkAssessment,
)
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import parameters as _parameters
from ssbx_model.rules.authoring import (
    Fact,
    Finding,
    ItemRule,
    Mode,
    Quantifier,
    Reason,
    RuleParameters,
    Says,
    TraceStep,
    Unknown,
    combine,
    fails,
    holds,
    opens,
    parameter,
    passes,
    register_rule,
    warns,
)
from ssbx_model.rules.engine import Decision
from ssbx_model.rules.parameters import Scalar

__all__ = [
    "CITATION",
    "GROUNDS",
    "RULE",
    "RULE_ID",
    "GroundParams",
    "Params",
    "Placement",
    "assess_grounds",
    "check_employer",
]

RULE_ID = "employer-check"
VERSION = "3"

# -- The sources ------------------------------------------------------------------------

REPORT = (
    "SKR, Processkartläggning del 2 (2022-03-11), 'Samverkansprocess praktik/arbetsträning', "
    "Tabell 6, 'Arbetsgivarkontroll'"
)
AF_CHECK = (
    "Arbetsförmedlingen, 'Faktablad om kontroll inför beslut om anvisning' (2020-07-15), "
    "https://arbetsformedlingen.se/download/18.75a5a30116b93f40a3fe98d/1594810810785/"
    "Faktablad%20om%20kontroll%20inf%C3%B6r%20beslut%20om%20anvisning.pdf"
)
STATUTE = (
    "förordning (2017:462) om särskilda insatser för personer med funktionsnedsättning som "
    "medför nedsatt arbetsförmåga"
)
CITATION = f"{REPORT}; {AF_CHECK}; {STATUTE}"
SOURCE_TEXT = (
    "Vid placering hos annan arbetsgivare än kommun önskar man kunna utföra en "
    "arbetsgivarkontroll likt den Arbetsförmedlingen gör med syfte att säkerställa att "
    "ingen arbetsgivare eller anordnare har: Näringsförbud — ingen person med väsentligt "
    "inflytande i företaget får ha näringsförbud. Skatteskuld som gått till indrivning hos "
    "Kronofogden — inga skatteskulder får finnas hos Kronofogden för indrivning. "
    "Betalningsanmärkningar som inte är obetydliga — betalningsanmärkningar som "
    "Arbetsförmedlingen inte kan bedöma som obetydliga. [...] Annan information av intresse "
    "relaterad till arbetsgivarkontroll: Fackligt godkännande. [...] Kommunen stämmer av "
    "placering med aktuellt fack (ex. Kommunal). Kommunen tillhandahåller en blankett som "
    "fackförbund skriver på som sedan skickas till Arbetsförmedlingen."
)
CHECKS = InformationSet.EMPLOYER_CHECKS

# -- The grounds (the employer-check-ground code list) ----------------------------------

TRADING_BAN = "trading-ban"
TAX_DEBT = "tax-debt"
PAYMENT_REMARKS = "payment-remarks"
#: The grounds, as codes of the ``employer-check-ground`` list, in the order assessed.
GROUNDS = (TRADING_BAN, TAX_DEBT, PAYMENT_REMARKS)
UNION_APPROVAL = "union-approval"
_GROUND = {g: load(EMPLOYER_CHECK_GROUND).get(g) for g in GROUNDS}

# -- The parameters ---------------------------------------------------------------------


class GroundParams(RuleParameters):
    """The parameters of the three grounds (all :func:`check_employer` reads)."""

    max_tax_debt_sek: int = parameter("employer_check.max_tax_debt_sek")
    remark_threshold_enabled: bool = parameter("employer_check.remark_threshold_enabled")
    remark_threshold_sek: int = parameter("employer_check.remark_threshold_sek")


class Params(GroundParams):
    """The parameters the rule reads: the grounds', and whether union approval is required."""

    union_approval_required: bool = parameter("employer_check.union_approval_required")


#: The parameters of the three grounds.
GROUND_PARAMETERS = GroundParams.parameter_names()
PARAMETERS = Params.parameter_names()


# -- The placements -----------------------------------------------------------------------


class Placement(NamedTuple):
    """A planned placement, and the latest check of its employer made on or before the
    date (None: there is none, or the checks are not decided). ``intervention`` is None
    for an employer assessed outside a case (:func:`check_employer`)."""

    intervention: MunicipalIntervention | None
    check: EmployerCheck | None


def planned_placements(case: Case, on: dt.date, p: Params) -> tuple[Placement, ...]:
    """The case's planned interventions (placements), each with its employer's latest
    check."""
    planned = [i for i in case.interventions if i.status is InterventionStatus.PLANNED]
    if not planned:
        return ()
    answer = case.employer_checks
    checks = answer.items() if answer.is_decided else ()
    return tuple([Placement(i, latest_check(checks, i, on)) for i in planned])


def latest_check(
    checks: tuple[EmployerCheck, ...], intervention: MunicipalIntervention, on: dt.date
) -> EmployerCheck | None:
    """The latest check made on or before ``on`` of the intervention's provider, matched
    by organisation number."""
    org = intervention.provider.organisation_number
    found: EmployerCheck | None = None
    for check in checks:
        if (
            check.organisation_number == org
            and check.checked_on <= on
            and (found is None or check.checked_on > found.checked_on)
        ):
            found = check
    return found


def _placement_facts(placement: Placement) -> tuple[Fact, ...]:
    # What names a placement in its reasons: the intervention, and the employer's
    # organisation number (masked for a sole trader), when there is one.
    intervention, check = placement
    facts: tuple[Fact, ...] = ()
    if intervention is not None:
        facts = (("intervention", intervention.intervention_id),)
        org = intervention.provider.organisation_number
    else:
        org = None if check is None else check.organisation_number
    return facts if org is None else (*facts, ("organisation_number", org.masked))


RULE = ItemRule(
    id=RULE_ID,
    version=VERSION,
    title_en="Employer check of the planned placements",
    title_sv="Arbetsgivarkontroll av de planerade placeringarna",
    source_text=SOURCE_TEXT,
    citation=CITATION,
    params=Params,
    needs=(CHECKS,),
    items=planned_placements,
    quantifier=Quantifier.EVERY,
    mode=Mode.EVERY_FAILURE,
    about=_placement_facts,
    none=Says(
        f"{RULE_ID}.no-planned-intervention",
        "Ärendet har ingen planerad insats (status planerad) vars arbetsgivare kan kontrolleras.",
        "The case has no planned intervention (status planned) whose employer can be checked.",
        cites=f"{REPORT} ('Vid placering hos annan arbetsgivare än kommun')",
    ),
)


# 1. "Vid placering hos annan arbetsgivare än kommun": a placement within the
#    municipality's own units (its organisation number) is not checked and passes.
@RULE.condition(
    "municipal-placement",
    "The placement's employer is another employer than the municipality.",
    cites=f"{REPORT} ('Vid placering hos annan arbetsgivare än kommun')",
    gate=True,
    passes=Says(
        f"{RULE_ID}.municipal-placement",
        lambda f, p: (
            (
                "Placeringen är inom kommunens egna verksamheter (anordnarens "
                f"organisationsnummer {f.organisation_number} är kommunens): ingen "
                "arbetsgivarkontroll görs, den gäller placering hos annan arbetsgivare än kommunen."
            ),
            (
                "The placement is within the municipality's own units (the provider's "
                f"organisation number {f.organisation_number} is the municipality's): no employer "
                "check is made, it applies to placements with an employer other than the "
                "municipality."
            ),
        ),
    ),
    opens=Says(
        f"{RULE_ID}.no-organisation-number",
        "Anordnaren av den planerade insatsen saknar organisationsnummer: det går inte att se "
        "om arbetsgivaren är kommunen själv eller en annan arbetsgivare, och en annan "
        "arbetsgivare kan inte kontrolleras.",
        "The provider of the planned intervention has no organisation number: it cannot be "
        "told whether the employer is the municipality itself or another employer, and "
        "another employer cannot be checked.",
        missing=(CHECKS,),
    ),
)
def municipal_placement(case: Case, placement: Placement, on: dt.date, p: Params) -> Finding | None:
    # A municipal company or another municipality has a number of its own: another
    # employer. When the case does not give the municipality's number, every provider is.
    assert placement.intervention is not None
    org = placement.intervention.provider.organisation_number
    if org is None:
        return opens()
    if org == case.municipality_organisation_number:
        return passes(employer="municipality")
    return None


# 2. "en arbetsgivarkontroll likt den Arbetsförmedlingen gör": the employer's latest check
#    made on or before the date.
def _no_check_text(f: Any, p: Params) -> tuple[str, str]:
    sv = (
        "Det finns ingen arbetsgivarkontroll för anordnaren av den planerade insatsen (gjord "
        "senast den dagen): gör kontrollen."
    )
    en = (
        "There is no employer check of the planned intervention's provider (made on or before "
        "the date): run the check."
    )
    if f.municipality_organisation_number is None:
        sv += (
            " Kommunens organisationsnummer är inte angivet i ärendet, så anordnaren kan inte "
            "kännas igen som kommunen själv."
        )
        en += (
            " The case does not give the municipality's organisation number, so the provider "
            "cannot be recognised as the municipality itself."
        )
    return sv, en


@RULE.condition(
    "employer-checked",
    "The employer was checked on or before the date.",
    cites=(
        f"{REPORT} ('utföra en arbetsgivarkontroll likt den Arbetsförmedlingen gör'); "
        f"{AF_CHECK}; {STATUTE}"
    ),
    gate=True,
    needs=(CHECKS,),
    unsettled=("om arbetsgivaren klarar kontrollen", "whether the employer passes the check"),
    opens=Says(
        f"{RULE_ID}.no-check-for-employer",
        _no_check_text,
        cites=f"{REPORT} ('Vid placering hos annan arbetsgivare än kommun')",
        missing=(CHECKS,),
    ),
)
def employer_checked(case: Case, placement: Placement, on: dt.date, p: Params) -> Finding | None:
    if placement.check is not None:
        return None
    municipality = case.municipality_organisation_number
    return opens(
        municipality_organisation_number=None if municipality is None else municipality.masked
    )


# 3. The three grounds: "säkerställa att ingen arbetsgivare eller anordnare har: ...".
def _not_checked(ground: str) -> Says:
    label = _GROUND[ground]
    return Says(
        f"{RULE_ID}.{ground}.not-checked",
        f"{label.label_sv}: uppgiften är inte kontrollerad.",
        f"{label.label_en}: not checked.",
        missing=(CHECKS,),
    )


# 3a. "Näringsförbud — ingen person med väsentligt inflytande i företaget får ha
#     näringsförbud": the check says so, or lists an owner with influence who has one.
@RULE.condition(
    TRADING_BAN,
    "No person with significant influence over the employer has a trading ban.",
    cites=_GROUND[TRADING_BAN].citation,
    holds=Says(
        f"{RULE_ID}.{TRADING_BAN}.holds",
        "Ingen person med väsentligt inflytande i företaget har näringsförbud.",
        "No person with significant influence over the employer has a trading ban.",
    ),
    fails=Says(
        f"{RULE_ID}.{TRADING_BAN}.fails",
        "Näringsförbud: en person med väsentligt inflytande i företaget har näringsförbud.",
        "Trading ban: a person with significant influence over the employer has a trading ban.",
    ),
    opens=_not_checked(TRADING_BAN),
)
def trading_ban(case: Case, placement: Placement, on: dt.date, p: GroundParams) -> Finding:
    check = placement.check
    assert check is not None
    banned = sum(1 for o in check.owners if o.significant_influence and o.trading_ban)
    checked_on = check.checked_on
    if check.trading_ban or banned:
        return fails(
            checked_on=checked_on, ground=TRADING_BAN, influential_owners_with_trading_ban=banned
        )
    if check.trading_ban is False:  # the owners listed may not be everyone
        return holds(checked_on=checked_on, ground=TRADING_BAN)
    return opens(checked_on=checked_on, ground=TRADING_BAN)


# 3b. "Skatteskuld som gått till indrivning hos Kronofogden — inga skatteskulder får
#     finnas hos Kronofogden för indrivning": above employer_check.max_tax_debt_sek (0).
@RULE.condition(
    TAX_DEBT,
    "No tax debt at Kronofogden above employer_check.max_tax_debt_sek.",
    cites=_GROUND[TAX_DEBT].citation,
    holds=Says(
        f"{RULE_ID}.{TAX_DEBT}.holds",
        "Arbetsgivaren har ingen skatteskuld hos Kronofogden över gränsen.",
        "The employer has no tax debt at Kronofogden above the limit.",
    ),
    fails=Says(
        f"{RULE_ID}.{TAX_DEBT}.fails",
        lambda f, p: (
            (
                f"Skatteskuld hos Kronofogden för indrivning: {f.tax_debt_sek} kr (gränsen är "
                f"{f.max_tax_debt_sek} kr)."
            ),
            (
                f"Tax debt at Kronofogden for collection: SEK {f.tax_debt_sek} (the limit is SEK "
                f"{f.max_tax_debt_sek})."
            ),
        ),
    ),
    opens=_not_checked(TAX_DEBT),
)
def tax_debt(case: Case, placement: Placement, on: dt.date, p: GroundParams) -> Finding:
    check = placement.check
    assert check is not None
    debt = check.tax_debt_at_kronofogden_sek
    if debt is None:
        return opens(checked_on=check.checked_on, ground=TAX_DEBT)
    found = fails if debt > p.max_tax_debt_sek else holds
    return found(
        checked_on=check.checked_on,
        ground=TAX_DEBT,
        tax_debt_sek=debt,
        max_tax_debt_sek=p.max_tax_debt_sek,
    )


# 3c. "Betalningsanmärkningar som inte är obetydliga — betalningsanmärkningar som
#     Arbetsförmedlingen inte kan bedöma som obetydliga": by AF's assessment; those AF has
#     not assessed leave the ground open unless the deployment sets an amount threshold.
def _remarks_holding(f: Any, p: GroundParams) -> tuple[str, str]:
    fine, open_ = f.insignificant, f.not_assessed
    sv = "Arbetsgivaren har inga betalningsanmärkningar som inte är obetydliga"
    en = "The employer has no payment remarks that are not insignificant"
    parts_sv: list[str] = []
    parts_en: list[str] = []
    if fine:
        parts_sv.append(f"bedömda som obetydliga av Arbetsförmedlingen: {fine} st.")
        parts_en.append(f"assessed as insignificant by Arbetsförmedlingen: {fine}")
    if open_:
        open_sek, threshold = f.not_assessed_sek, f.remark_threshold_sek
        parts_sv.append(
            f"inte bedömda: {open_} st., sammanlagt {open_sek} kr, inom beloppsgränsen "
            f"{threshold} kr"
        )
        parts_en.append(
            f"not assessed: {open_}, SEK {open_sek} in all, within the amount threshold of "
            f"SEK {threshold}"
        )
    if parts_sv:
        return f"{sv} ({'; '.join(parts_sv)}).", f"{en} ({'; '.join(parts_en)})."
    return f"{sv}.", f"{en}."


@RULE.condition(
    PAYMENT_REMARKS,
    "No payment remark Arbetsförmedlingen did not assess as insignificant; remarks not "
    "assessed are judged by employer_check.remark_threshold_sek only when "
    "employer_check.remark_threshold_enabled.",
    cites=_GROUND[PAYMENT_REMARKS].citation,
    holds=Says(f"{RULE_ID}.{PAYMENT_REMARKS}.holds", _remarks_holding),
    fails=(
        Says(
            f"{RULE_ID}.{PAYMENT_REMARKS}.fails",
            lambda f, p: (
                (
                    "Betalningsanmärkningar som Arbetsförmedlingen inte har bedömt som obetydliga: "
                    f"{f.not_insignificant} st., sammanlagt {f.not_insignificant_sek} kr."
                ),
                (
                    "Payment remarks Arbetsförmedlingen did not assess as insignificant: "
                    f"{f.not_insignificant}, SEK {f.not_insignificant_sek} in all."
                ),
            ),
        ),
        Says(
            f"{RULE_ID}.{PAYMENT_REMARKS}.above-threshold",
            lambda f, p: (
                (
                    f"Betalningsanmärkningar som Arbetsförmedlingen inte har bedömt: "
                    f"{f.not_assessed} st., sammanlagt {f.not_assessed_sek} kr, över "
                    f"beloppsgränsen {f.remark_threshold_sek} kr."
                ),
                (
                    f"Payment remarks Arbetsförmedlingen has not assessed: {f.not_assessed}, SEK "
                    f"{f.not_assessed_sek} in all, above the amount threshold of SEK "
                    f"{f.remark_threshold_sek}."
                ),
            ),
        ),
    ),
    opens=(
        _not_checked(PAYMENT_REMARKS),
        Says(
            f"{RULE_ID}.{PAYMENT_REMARKS}.not-assessed",
            lambda f, p: (
                (
                    "Arbetsförmedlingen har inte bedömt om betalningsanmärkningarna är obetydliga "
                    f"({f.not_assessed} st., sammanlagt {f.not_assessed_sek} kr), och ingen "
                    "beloppsgräns är satt: arbetsgivaren kan godkännas först när de är bedömda."
                ),
                (
                    "Arbetsförmedlingen has not assessed whether the payment remarks are "
                    f"insignificant ({f.not_assessed}, SEK {f.not_assessed_sek} in all), and no "
                    "amount threshold is set: the employer can pass only once they are assessed."
                ),
            ),
            missing=(CHECKS,),
        ),
    ),
)
def payment_remarks(case: Case, placement: Placement, on: dt.date, p: GroundParams) -> Finding:
    check = placement.check
    assert check is not None
    if check.payment_remarks is None:
        return opens(
            f"{RULE_ID}.{PAYMENT_REMARKS}.not-checked",
            checked_on=check.checked_on,
            ground=PAYMENT_REMARKS,
        )
    remarks = [r for r in check.payment_remarks if r.registered_on <= on]  # by the date
    bad = [r for r in remarks if r.af_assessment is PaymentRemarkAssessment.NOT_INSIGNIFICANT]
    open_ = [r for r in remarks if r.af_assessment is PaymentRemarkAssessment.NOT_ASSESSED]
    threshold = p.remark_threshold_sek if p.remark_threshold_enabled else None
    open_sek = sum(r.amount_sek for r in open_)
    facts = {
        "checked_on": check.checked_on,
        "ground": PAYMENT_REMARKS,
        "payment_remarks": len(remarks),
        "not_insignificant": len(bad),
        "not_insignificant_sek": sum(r.amount_sek for r in bad),
        "insignificant": len(remarks) - len(bad) - len(open_),
        "not_assessed": len(open_),
        "not_assessed_sek": open_sek,
        "remark_threshold_sek": threshold,
    }
    if bad:  # AF could not assess them as insignificant
        return fails(f"{RULE_ID}.{PAYMENT_REMARKS}.fails", **facts)
    if open_ and threshold is None:
        return opens(f"{RULE_ID}.{PAYMENT_REMARKS}.not-assessed", **facts)
    if open_ and open_sek > threshold:  # type: ignore[operator]
        return fails(f"{RULE_ID}.{PAYMENT_REMARKS}.above-threshold", **facts)
    return holds(**facts)  # none, all assessed as insignificant, or within the threshold


# 4. "Annan information av intresse relaterad till arbetsgivarkontroll: Fackligt
#    godkännande": a refusal or no approval is a warning, unless the deployment requires
#    approval (employer_check.union_approval_required): then it fails or is open.
C_UNION = (
    f"{REPORT} ('Annan information av intresse relaterad till arbetsgivarkontroll: Fackligt "
    "godkännande'; 'Kommunen stämmer av placering med aktuellt fack (ex. Kommunal). "
    "Kommunen tillhandahåller en blankett som fackförbund skriver på som sedan skickas till "
    "Arbetsförmedlingen')"
)
_NOT_REQUIRED = (
    "; kommunen stämmer av placeringen med aktuellt fack, men godkännandet krävs inte.",
    "; the municipality consults the union concerned, but its approval is not required.",
)
_REQUIRED = ("; fackligt godkännande krävs.", "; union approval is required.")


def _approval(state: str, ending: tuple[str, str]) -> Says:
    """The reason for the approval's ``state`` (approved, refused, missing), its text
    ending with ``ending``."""

    def text(f: Any, p: object) -> tuple[str, str]:
        union, signed = getattr(f, "union", None), getattr(f, "signed_on", None)
        if union is None:
            sv, en = (
                "Fackligt godkännande av placeringen finns inte",
                "There is no union approval of the placement",
            )
        elif state == "missing":
            sv = (
                f"Fackligt godkännande av placeringen finns inte på dagen: {union} "
                f"undertecknade blanketten först {signed}"
            )
            en = (
                f"There is no union approval of the placement on the date: {union} signed "
                f"the form only on {signed}"
            )
        elif state == "approved":
            sv, en = (
                f"{union} har godkänt placeringen ({signed})",
                f"{union} approved the placement ({signed})",
            )
        else:
            sv, en = (
                f"{union} har inte godkänt placeringen ({signed})",
                f"{union} did not approve the placement ({signed})",
            )
        return sv + ending[0], en + ending[1]

    missing = (CHECKS,) if state == "missing" else ()
    return Says(f"{RULE_ID}.{UNION_APPROVAL}.{state}", text, missing=missing)


@RULE.condition(
    UNION_APPROVAL,
    "The union approved the placement (required only when employer_check.union_approval_required).",
    cites=C_UNION,
    holds=_approval("approved", (".", ".")),
    warns=(_approval("refused", _NOT_REQUIRED), _approval("missing", _NOT_REQUIRED)),
    fails=_approval("refused", _REQUIRED),
    opens=_approval("missing", _REQUIRED),
)
def union_approval(case: Case, placement: Placement, on: dt.date, p: Params) -> Finding:
    check = placement.check
    assert check is not None
    approval = check.union_approval
    facts: dict[str, object] = {"union_approval_required": p.union_approval_required}
    if approval is not None:
        facts |= {"union": approval.union, "signed_on": approval.signed_on}
    if approval is None or approval.signed_on > on:
        state = "missing"
    else:
        state = "approved" if approval.approved else "refused"
    code = f"{RULE_ID}.{UNION_APPROVAL}.{state}"
    if state == "approved":
        return holds(code, **facts)
    if not p.union_approval_required:
        return warns(code, **facts)  # other information of interest: the outcome stands
    return (fails if state == "refused" else opens)(code, **facts)


register_rule(RULE)


# -- One employer, outside a case ---------------------------------------------------------


def assess_grounds(
    check: EmployerCheck,
    on: dt.date,
    params: Mapping[str, Scalar],
    facts: tuple[Fact, ...] = (),
) -> tuple[Reason, Reason, Reason]:
    """One reason per ground (trading ban, tax debt, payment remarks), in that order.

    Each reason's kind is ``holds``, ``fails`` or ``unknown``; its facts start with
    ``facts`` and name the ground. ``params`` must hold the parameters of the grounds
    (:data:`GROUND_PARAMETERS`): ``employer_check.max_tax_debt_sek``,
    ``employer_check.remark_threshold_enabled`` and ``employer_check.remark_threshold_sek``.
    """
    found = _grounds(check, on, GroundParams.from_values(params), None)
    reasons = [r.reason if isinstance(r, Unknown) else r for r in found]
    trading, tax, remarks = (r.with_facts(*facts, *r.facts) for r in reasons)
    return trading, tax, remarks


def _grounds(
    check: EmployerCheck, on: dt.date, p: GroundParams, trace: list[TraceStep] | None
) -> list[Reason | Unknown]:
    return RULE.assess(Placement(None, check), on, p, GROUNDS, trace)


def check_employer(
    check: EmployerCheck, on: dt.date, parameters: Mapping[str, Scalar] | None = None
) -> Decision:
    """The three grounds of one employer's check on ``on``, outside any person's case.

    ``parameters`` overrides the parameters of the grounds (what-if), e.g.
    ``{"employer_check.remark_threshold_enabled": True,
    "employer_check.remark_threshold_sek": 5000}``. The decision's ``subject`` is the
    organisation number (masked for a sole trader), its outcome eligible (passes),
    not_eligible (fails; the reasons name the failing grounds) or unknown (the reasons name
    the grounds not checked or not assessed; missing ``employer_checks``). The trace is
    built at once (one step per ground). The check is taken as given whatever its date
    (the case rule only uses checks made on or before ``on``); payment remarks registered
    after ``on`` do not count. Union approval concerns a placement, not the employer: the
    case rule assesses it.

    Raises:
        RuleError: if an override names an unknown parameter or has the wrong type.
    """
    view = _parameters.default().view(GROUND_PARAMETERS, on, parameters)
    steps: list[TraceStep] = []
    results = _grounds(check, on, GroundParams.from_values(view), steps)
    outcome, chosen, missing_sets = combine(results, Mode.EVERY_FAILURE)
    return Decision(
        RULE_ID,
        VERSION,
        on,
        outcome,
        chosen,
        missing_sets,
        check.organisation_number.masked,
        view.as_dict(),
        steps,
    )
