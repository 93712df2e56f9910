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

Kleene's AND over the placements and their conditions: any failure gives
``not_eligible``, else anything unknown gives ``unknown`` (missing ``employer_checks``),
else ``eligible``; warnings come with every outcome. No planned intervention: not
eligible, with a reason saying there is nothing to check.

:func:`check_employer` assesses the three grounds of one check, outside any person's case
(e.g. a vendor vetting an employer before offering placements there).

Organisation numbers of legal persons are public and shown; a sole trader's is a
personnummer and is shown masked (``YYMMDD-****``). Owners' names never appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ssbx_model.case import Case
from ssbx_model.codes import EMPLOYER_CHECK_GROUND, load
from ssbx_model.identity import Organisationsnummer
from ssbx_model.information._base import Answer
from ssbx_model.information.employer import (
    EmployerCheck,
    PaymentRemark,
    PaymentRemarkAssessment,
)
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import parameters as _parameters
from ssbx_model.rules.authoring import (
    Fact,
    Outcome,
    Reason,
    ReasonKind,
    TraceStep,
    Verdict,
    register_rule,
    unknowns,
)
from ssbx_model.rules.engine import Decision
from ssbx_model.rules.parameters import ParameterView, Scalar

__all__ = [
    "CITATION",
    "GROUNDS",
    "RULE",
    "RULE_ID",
    "EmployerCheckRule",
    "assess_grounds",
    "check_employer",
]

RULE_ID = "employer-check"
VERSION = "2"

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
_C_PLACEMENT = f"{REPORT} ('Vid placering hos annan arbetsgivare än kommun')"
_C_UNION = (
    f"{REPORT} ('Annan information av intresse relaterad till arbetsgivarkontroll: Fackligt "
    "godkännande'; 'Kommunen stämmer av placering med aktuellt fack (ex. Kommunal). "
    "Kommunen tillhandahåller en blankett som fackförbund skriver på som sedan skickas till "
    "Arbetsförmedlingen')"
)

# -- The parameters ---------------------------------------------------------------------

_MAX_TAX = "employer_check.max_tax_debt_sek"
_THRESHOLD_ON = "employer_check.remark_threshold_enabled"
_THRESHOLD_SEK = "employer_check.remark_threshold_sek"
_UNION_REQUIRED = "employer_check.union_approval_required"
#: The parameters of the three grounds (all :func:`check_employer` uses).
GROUND_PARAMETERS = (_MAX_TAX, _THRESHOLD_ON, _THRESHOLD_SEK)
PARAMETERS = (*GROUND_PARAMETERS, _UNION_REQUIRED)

# -- The grounds (the employer-check-ground code list) ----------------------------------

TRADING_BAN = "trading-ban"
TAX_DEBT = "tax-debt"
PAYMENT_REMARKS = "payment-remarks"
#: The grounds, as codes of the ``employer-check-ground`` list, in the order assessed.
GROUNDS = (TRADING_BAN, TAX_DEBT, PAYMENT_REMARKS)
UNION_APPROVAL = "union-approval"

_GROUND_LIST = load(EMPLOYER_CHECK_GROUND)
_CITE = {g: _GROUND_LIST.get(g).citation for g in GROUNDS}
_LABEL_SV = {g: _GROUND_LIST.get(g).label_sv for g in GROUNDS}
_LABEL_EN = {g: _GROUND_LIST.get(g).label_en for g in GROUNDS}

H, F, U, W = ReasonKind.HOLDS, ReasonKind.FAILS, ReasonKind.UNKNOWN, ReasonKind.WARNING
_INSIGNIFICANT = PaymentRemarkAssessment.INSIGNIFICANT
_NOT_INSIGNIFICANT = PaymentRemarkAssessment.NOT_INSIGNIFICANT
_NOT_ASSESSED = PaymentRemarkAssessment.NOT_ASSESSED


def _r(ground: str, state: str, kind: ReasonKind, sv: str, en: str) -> Reason:
    return Reason(f"{RULE_ID}.{ground}.{state}", kind, sv, en, _CITE[ground])


def _not_checked(ground: str) -> Reason:
    return _r(
        ground,
        "not-checked",
        U,
        f"{_LABEL_SV[ground]}: uppgiften är inte kontrollerad.",
        f"{_LABEL_EN[ground]}: not checked.",
    )


# -- 1. Only another employer than the municipality is checked -------------------------

NO_PLANNED = Reason(
    f"{RULE_ID}.no-planned-intervention",
    F,
    "Ärendet har ingen planerad insats (status planerad) vars arbetsgivare kan kontrolleras.",
    "The case has no planned intervention (status planned) whose employer can be checked.",
    _C_PLACEMENT,
)
_NO_ORG = Reason(
    f"{RULE_ID}.no-organisation-number",
    U,
    "Anordnaren av den planerade insatsen saknar organisationsnummer: det går inte att se om "
    "arbetsgivaren är kommunen själv eller en annan arbetsgivare, och en annan arbetsgivare "
    "kan inte kontrolleras.",
    "The provider of the planned intervention has no organisation number: it cannot be "
    "told whether the employer is the municipality itself or another employer, and another "
    "employer cannot be checked.",
    _C_PLACEMENT,
)


def _is_the_municipality(case: Case, org: Organisationsnummer) -> bool:
    # The municipality's own units share its organisation number; a municipal company or
    # another municipality has a number of its own and is another employer.
    return org == case.municipality_organisation_number


def _municipal_placement(facts: tuple[Fact, ...], org: Organisationsnummer) -> Reason:
    return Reason(
        f"{RULE_ID}.municipal-placement",
        H,
        f"Placeringen är inom kommunens egna verksamheter (anordnarens organisationsnummer "
        f"{org} är kommunens): ingen arbetsgivarkontroll görs, den gäller placering hos "
        "annan arbetsgivare än kommunen.",
        f"The placement is within the municipality's own units (the provider's organisation "
        f"number {org} is the municipality's): no employer check is made, it applies to "
        "placements with an employer other than the municipality.",
        _C_PLACEMENT,
        (*facts, ("organisation_number", org.masked), ("employer", "municipality")),
    )


# -- 2. The employer's latest check on or before the date ------------------------------


def _latest_check(
    answer: Answer[tuple[EmployerCheck, ...]], org: Organisationsnummer, on: dt.date
) -> EmployerCheck | None:
    found: EmployerCheck | None = None
    for check in answer.items():
        if (
            check.organisation_number == org
            and check.checked_on <= on
            and (found is None or check.checked_on > found.checked_on)
        ):
            found = check
    return found


def _no_check(
    facts: tuple[Fact, ...], org: Organisationsnummer, municipality: Organisationsnummer | None
) -> Reason:
    sv = (
        "Det finns ingen arbetsgivarkontroll för anordnaren av den planerade insatsen (gjord "
        "senast den dagen): gör kontrollen."
    )
    en = (
        "There is no employer check of the planned intervention's provider (made on or before "
        "the date): run the check."
    )
    if municipality is None:
        sv += (
            " Kommunens organisationsnummer är inte angivet i ärendet, så anordnaren kan inte "
            "kännas igen som kommunen själv."
        )
        en += (
            " The case does not give the municipality's organisation number, so the provider "
            "cannot be recognised as the municipality itself."
        )
    return Reason(
        f"{RULE_ID}.no-check-for-employer",
        U,
        sv,
        en,
        _C_PLACEMENT,
        (
            *facts,
            ("organisation_number", org.masked),
            (
                "municipality_organisation_number",
                None if municipality is None else municipality.masked,
            ),
        ),
    )


# -- 3. The three grounds ----------------------------------------------------------------

_BAN_HOLDS = _r(
    TRADING_BAN,
    "holds",
    H,
    "Ingen person med väsentligt inflytande i företaget har näringsförbud.",
    "No person with significant influence over the employer has a trading ban.",
)
_BAN_FAILS = _r(
    TRADING_BAN,
    "fails",
    F,
    "Näringsförbud: en person med väsentligt inflytande i företaget har näringsförbud.",
    "Trading ban: a person with significant influence over the employer has a trading ban.",
)
_BAN_UNKNOWN = _not_checked(TRADING_BAN)
_TAX_HOLDS = _r(
    TAX_DEBT,
    "holds",
    H,
    "Arbetsgivaren har ingen skatteskuld hos Kronofogden över gränsen.",
    "The employer has no tax debt at Kronofogden above the limit.",
)
_TAX_UNKNOWN = _not_checked(TAX_DEBT)
_REMARKS_UNKNOWN = _not_checked(PAYMENT_REMARKS)


def _banned_owners(check: EmployerCheck) -> int:
    return sum(1 for o in check.owners if o.significant_influence and o.trading_ban)


def _ban_kind(check: EmployerCheck, banned: int) -> ReasonKind:
    # ``banned``: the influential owners with a trading ban (_banned_owners).
    if check.trading_ban or banned:
        return F
    return H if check.trading_ban is False else U


def _trading_ban(check: EmployerCheck, facts: tuple[Fact, ...]) -> Reason:
    banned = _banned_owners(check)
    kind = _ban_kind(check, banned)
    if kind is F:
        return _BAN_FAILS.with_facts(
            *facts, ("ground", TRADING_BAN), ("influential_owners_with_trading_ban", banned)
        )
    if kind is H:
        return _BAN_HOLDS.with_facts(*facts, ("ground", TRADING_BAN))
    return _BAN_UNKNOWN.with_facts(*facts, ("ground", TRADING_BAN))


def _tax_kind(check: EmployerCheck, limit: int) -> ReasonKind:
    debt = check.tax_debt_at_kronofogden_sek
    if debt is None:
        return U
    return F if debt > limit else H


def _tax_debt(check: EmployerCheck, limit: int, facts: tuple[Fact, ...]) -> Reason:
    debt = check.tax_debt_at_kronofogden_sek
    if debt is None:
        return _TAX_UNKNOWN.with_facts(*facts, ("ground", TAX_DEBT))
    more = (*facts, ("ground", TAX_DEBT), ("tax_debt_sek", debt), ("max_tax_debt_sek", limit))
    if _tax_kind(check, limit) is F:
        return _r(
            TAX_DEBT,
            "fails",
            F,
            f"Skatteskuld hos Kronofogden för indrivning: {debt} kr (gränsen är {limit} kr).",
            f"Tax debt at Kronofogden for collection: SEK {debt} (the limit is SEK {limit}).",
        ).with_facts(*more)
    return _TAX_HOLDS.with_facts(*more)


def _threshold(params: Mapping[str, Scalar]) -> int | None:
    """The amount threshold for remarks AF has not assessed; None: no threshold."""
    return int(params[_THRESHOLD_SEK]) if params[_THRESHOLD_ON] else None


def _counted(
    check: EmployerCheck, on: dt.date, assessment: PaymentRemarkAssessment
) -> list[PaymentRemark]:
    # The remarks registered on or before the date with AF's ``assessment``.
    return [
        r
        for r in check.payment_remarks or ()
        if r.registered_on <= on and r.af_assessment is assessment
    ]


def _remarks_state(check: EmployerCheck, on: dt.date, threshold: int | None) -> str:
    """The state of the payment-remarks ground: the last part of its reason code."""
    if check.payment_remarks is None:
        return "not-checked"
    if _counted(check, on, _NOT_INSIGNIFICANT):
        return "fails"  # AF could not assess them as insignificant
    open_ = _counted(check, on, _NOT_ASSESSED)
    if not open_:
        return "holds"  # none, or all assessed by AF as insignificant
    if threshold is None:
        return "not-assessed"
    return "above-threshold" if sum(r.amount_sek for r in open_) > threshold else "holds"


_REMARKS_KIND = {
    "not-checked": U,
    "fails": F,
    "not-assessed": U,
    "above-threshold": F,
    "holds": H,
}


def _payment_remarks(
    check: EmployerCheck, on: dt.date, threshold: int | None, facts: tuple[Fact, ...]
) -> Reason:
    state = _remarks_state(check, on, threshold)
    if state == "not-checked":
        return _REMARKS_UNKNOWN.with_facts(*facts, ("ground", PAYMENT_REMARKS))
    bad = _counted(check, on, _NOT_INSIGNIFICANT)
    open_ = _counted(check, on, _NOT_ASSESSED)
    fine = _counted(check, on, _INSIGNIFICANT)
    bad_sek = sum(r.amount_sek for r in bad)
    open_sek = sum(r.amount_sek for r in open_)
    more = (
        *facts,
        ("ground", PAYMENT_REMARKS),
        ("payment_remarks", len(bad) + len(open_) + len(fine)),
        ("not_insignificant", len(bad)),
        ("not_insignificant_sek", bad_sek),
        ("insignificant", len(fine)),
        ("not_assessed", len(open_)),
        ("not_assessed_sek", open_sek),
        ("remark_threshold_sek", threshold),
    )
    if state == "fails":
        sv = (
            f"Betalningsanmärkningar som Arbetsförmedlingen inte har bedömt som obetydliga: "
            f"{len(bad)} st., sammanlagt {bad_sek} kr."
        )
        en = (
            f"Payment remarks Arbetsförmedlingen did not assess as insignificant: {len(bad)}, "
            f"SEK {bad_sek} in all."
        )
    elif state == "not-assessed":
        sv = (
            f"Arbetsförmedlingen har inte bedömt om betalningsanmärkningarna är obetydliga "
            f"({len(open_)} st., sammanlagt {open_sek} kr), och ingen beloppsgräns är satt: "
            "arbetsgivaren kan godkännas först när de är bedömda."
        )
        en = (
            f"Arbetsförmedlingen has not assessed whether the payment remarks are insignificant "
            f"({len(open_)}, SEK {open_sek} in all), and no amount threshold is set: the "
            "employer can pass only once they are assessed."
        )
    elif state == "above-threshold":
        sv = (
            f"Betalningsanmärkningar som Arbetsförmedlingen inte har bedömt: {len(open_)} st., "
            f"sammanlagt {open_sek} kr, över beloppsgränsen {threshold} kr."
        )
        en = (
            f"Payment remarks Arbetsförmedlingen has not assessed: {len(open_)}, SEK "
            f"{open_sek} in all, above the amount threshold of SEK {threshold}."
        )
    else:
        sv, en = _remarks_holding_texts(len(fine), len(open_), open_sek, threshold)
    return _r(PAYMENT_REMARKS, state, _REMARKS_KIND[state], sv, en).with_facts(*more)


def _remarks_holding_texts(
    insignificant: int, open_: int, open_sek: int, threshold: int | None
) -> tuple[str, str]:
    sv = "Arbetsgivaren har inga betalningsanmärkningar som inte är obetydliga"
    en = "The employer has no payment remarks that are not insignificant"
    parts_sv: list[str] = []
    parts_en: list[str] = []
    if insignificant:
        parts_sv.append(f"bedömda som obetydliga av Arbetsförmedlingen: {insignificant} st.")
        parts_en.append(f"assessed as insignificant by Arbetsförmedlingen: {insignificant}")
    if open_:
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
    base = (
        *facts,
        ("organisation_number", check.organisation_number.masked),
        ("checked_on", check.checked_on),
    )
    return (
        _trading_ban(check, base),
        _tax_debt(check, int(params[_MAX_TAX]), base),
        _payment_remarks(check, on, _threshold(params), base),
    )


# -- 4. Union approval of the placement ---------------------------------------------------


def _union_state(check: EmployerCheck, on: dt.date) -> str:
    """``approved``, ``refused`` or ``missing`` (none, or signed after the date)."""
    approval = check.union_approval
    if approval is None or approval.signed_on > on:
        return "missing"
    return "approved" if approval.approved else "refused"


def _union_kind(state: str, required: bool) -> ReasonKind:
    if state == "approved":
        return H
    if not required:
        return W  # other information of interest: warned about, the outcome stands
    return F if state == "refused" else U


def _union_approval(
    check: EmployerCheck, on: dt.date, required: bool, facts: tuple[Fact, ...]
) -> Reason:
    state = _union_state(check, on)
    kind = _union_kind(state, required)
    approval = check.union_approval
    more: tuple[Fact, ...] = (
        *facts,
        ("organisation_number", check.organisation_number.masked),
        ("union_approval_required", required),
    )
    if approval is None:
        sv = "Fackligt godkännande av placeringen finns inte"
        en = "There is no union approval of the placement"
    else:
        more = (*more, ("union", approval.union), ("signed_on", approval.signed_on))
        if state == "missing":
            sv = (
                f"Fackligt godkännande av placeringen finns inte på dagen: {approval.union} "
                f"undertecknade blanketten först {approval.signed_on}"
            )
            en = (
                f"There is no union approval of the placement on the date: {approval.union} "
                f"signed the form only on {approval.signed_on}"
            )
        elif state == "approved":
            sv = f"{approval.union} har godkänt placeringen ({approval.signed_on})"
            en = f"{approval.union} approved the placement ({approval.signed_on})"
        else:
            sv = f"{approval.union} har inte godkänt placeringen ({approval.signed_on})"
            en = f"{approval.union} did not approve the placement ({approval.signed_on})"
    if kind is W:
        sv += "; kommunen stämmer av placeringen med aktuellt fack, men godkännandet krävs inte."
        en += "; the municipality consults the union concerned, but its approval is not required."
    elif kind is H:
        sv += "."
        en += "."
    else:
        sv += "; fackligt godkännande krävs."
        en += "; union approval is required."
    return Reason(f"{RULE_ID}.{UNION_APPROVAL}.{state}", kind, sv, en, _C_UNION, more)


# -- Combining --------------------------------------------------------------------------


def _combine(reasons: Iterable[Reason], unknown_sets: Iterable[InformationSet]) -> Verdict:
    """Kleene's AND over the reasons: any fails decides, then any unknown, else eligible;
    warnings come with every outcome."""
    unique = tuple(dict.fromkeys(reasons))
    if any(r.kind is F for r in unique):
        return Outcome.NOT_ELIGIBLE, tuple(r for r in unique if r.kind in (F, W)), ()
    if any(r.kind is U for r in unique):
        open_ = tuple(r for r in unique if r.kind in (U, W))
        return Outcome.UNKNOWN, open_, tuple(dict.fromkeys(unknown_sets))
    return Outcome.ELIGIBLE, unique, ()


_DESCRIPTIONS = {
    "municipal-placement": "The placement's employer is another employer than the municipality.",
    TRADING_BAN: "No person with significant influence over the employer has a trading ban.",
    TAX_DEBT: "No tax debt at Kronofogden above employer_check.max_tax_debt_sek.",
    PAYMENT_REMARKS: (
        "No payment remark Arbetsförmedlingen did not assess as insignificant; remarks not "
        "assessed are judged by employer_check.remark_threshold_sek only when "
        "employer_check.remark_threshold_enabled."
    ),
    UNION_APPROVAL: (
        "The union approved the placement (required only when "
        "employer_check.union_approval_required)."
    ),
}


def _condition(reason: Reason) -> str:
    head, _, rest = reason.code.removeprefix(f"{RULE_ID}.").partition(".")
    return rest if head == "missing" else head


def _steps(prefix: str, reasons: Iterable[Reason]) -> list[TraceStep]:
    return [
        TraceStep(
            f"{prefix}{_condition(r)}",
            r.kind,
            _DESCRIPTIONS.get(_condition(r), "The employer can be checked."),
            r.citation,
            r.facts,
            r.code,
        )
        for r in reasons
    ]


# -- One employer, outside a case ---------------------------------------------------------


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
    reasons = assess_grounds(check, on, view)
    outcome, chosen, missing_sets = _combine(reasons, (InformationSet.EMPLOYER_CHECKS,))
    return Decision(
        RULE_ID,
        VERSION,
        on,
        outcome,
        chosen,
        missing_sets,
        check.organisation_number.masked,
        view.as_dict(),
        tuple(_steps("", reasons)),
    )


# -- The rule over a case -----------------------------------------------------------------

_PLANNED = InterventionStatus.PLANNED
_NO_PLANNED_VERDICT: Verdict = (Outcome.NOT_ELIGIBLE, (NO_PLANNED,), ())
# The reason of each undecided status of the checks.
_OPEN_REASONS = {
    status: (unknown.reason,)
    for status, unknown in unknowns(
        RULE_ID,
        InformationSet.EMPLOYER_CHECKS,
        CITATION,
        what_sv="om arbetsgivaren klarar kontrollen",
        what_en="whether the employer passes the check",
    ).items()
}


class EmployerCheckRule:
    """The ``employer-check`` rule over a case: every planned placement must pass.

    See the module documentation for the conditions and how the checks are matched.
    """

    __slots__ = ()

    id = RULE_ID
    version = VERSION
    title_en = "Employer check of the planned placements"
    title_sv = "Arbetsgivarkontroll av de planerade placeringarna"
    source_text = SOURCE_TEXT
    citation = CITATION
    parameters = PARAMETERS
    needs = (InformationSet.EMPLOYER_CHECKS,)

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """Assess every planned placement and combine (Kleene's AND)."""
        planned = [i for i in case.interventions if i.status is _PLANNED]
        if not planned:
            if trace is not None:
                trace.append(
                    TraceStep(
                        "planned-intervention",
                        F,
                        "The case has a municipal intervention with status planned.",
                        _C_PLACEMENT,
                        (),
                        NO_PLANNED.code,
                    )
                )
            return _NO_PLANNED_VERDICT
        answer = case.employer_checks
        reasons: list[Reason] = []
        for intervention in planned:
            found = self._assess(case, answer, intervention, on, params)
            if trace is not None:
                trace.extend(_steps(f"{intervention.intervention_id}:", found))
            reasons.extend(found)
        return _combine(reasons, (InformationSet.EMPLOYER_CHECKS,))

    @staticmethod
    def _assess(
        case: Case,
        answer: Answer[tuple[EmployerCheck, ...]],
        intervention: MunicipalIntervention,
        on: dt.date,
        params: ParameterView,
    ) -> tuple[Reason, ...]:
        facts: tuple[Fact, ...] = (("intervention", intervention.intervention_id),)
        org = intervention.provider.organisation_number
        if org is None:
            return (_NO_ORG.with_facts(*facts),)
        if _is_the_municipality(case, org):
            return (_municipal_placement(facts, org),)
        if not answer.is_decided:
            return _OPEN_REASONS[answer.status]
        check = _latest_check(answer, org, on)
        if check is None:
            return (_no_check(facts, org, case.municipality_organisation_number),)
        required = bool(params[_UNION_REQUIRED])
        return (
            *assess_grounds(check, on, params, facts),
            _union_approval(check, on, required, facts),
        )

    def __repr__(self) -> str:
        return f"EmployerCheckRule(id={self.id!r}, version={self.version!r})"


RULE = register_rule(EmployerCheckRule())
