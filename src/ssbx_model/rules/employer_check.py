"""Rule ``employer-check``: does the employer of a planned placement pass the employer check?

Source (SKR, Processkartläggning del 2 (2022-03-11), "Samverkansprocess praktik/arbetsträning",
Tabell 6, "Arbetsgivarkontroll"; the scanned text with its Swedish letters restored):

    Vid placering hos annan arbetsgivare i kommun önskar man kunna utföra en
    arbetsgivarkontroll likt den Arbetsförmedlingen gör med syfte att säkerställa att
    ingen arbetsgivare eller anordnare har:
      • Näringsförbud — ingen person med väsentligt inflytande i företaget får ha
        näringsförbud.
      • Skatteskuld som gått till indrivning hos Kronofogden — inga skatteskulder får
        finnas hos Kronofogden för indrivning.
      • Betalningsanmärkningar som inte är obetydliga — betalningsanmärkningar som
        Arbetsförmedlingen inte kan bedöma som obetydliga.

Citation: SKR, Processkartläggning del 2 (2022-03-11), Tabell 6, "Arbetsgivarkontroll"; förordning
(2017:462) om särskilda insatser för personer med funktionsnedsättning som medför nedsatt
arbetsförmåga (the grounds on which AF may refuse an employer support).

Each of the three grounds (the ``employer-check-ground`` code list) is assessed on its
own and gives one reason, ``employer-check.<ground>.holds``, ``.fails`` or
``.not-checked`` (a ``None`` field of :class:`~ssbx_model.information.EmployerCheck`):

- ``trading-ban``: fails when the check says a person with significant influence has a
  trading ban (``trading_ban``) or an owner with significant influence is listed with one;
  holds only when the check says no one has (``trading_ban = False``): the owners listed
  may not be everyone with influence.
- ``tax-debt``: fails when the debt sent to Kronofogden for collection is above
  ``employer_check.max_tax_debt_sek`` (0: any debt fails, as the report words it).
- ``payment-remarks``: fails when the payment remarks registered on or before the date add
  up to more than ``employer_check.insignificant_payment_remarks_sek`` (0: every remark
  fails; AF publishes no amount, see the parameter's note).

The check **fails** (``not_eligible``) when any ground fails, whatever is unknown about
the others; it **passes** (``eligible``) when every ground holds; otherwise it is
``unknown`` and the reasons name the grounds not checked (missing ``employer_checks``).

For a case, the employers are the providers of the municipal interventions with status
``planned``: each provider's organisation number is matched with the latest check of
that number made on or before the date in the case's ``employer_checks`` set (no
organisation number, or no check: unknown). Every planned placement must pass. No planned
intervention: not eligible, with a reason saying there is nothing to check.

:func:`check_employer` runs the same assessment on one check, outside any person's case
(e.g. a vendor vetting an employer before offering placements there).

Organisation numbers of legal persons are public and shown; a sole trader's is a
personnummer and is shown masked (``YYMMDD-****``). Owners' names never appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ssbx_model.case import Case
from ssbx_model.codes import EMPLOYER_CHECK_GROUND, load
from ssbx_model.information._base import Answer
from ssbx_model.information.employer import EmployerCheck, PaymentRemark
from ssbx_model.information.intervention import InterventionStatus, MunicipalIntervention
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules import parameters as _parameters
from ssbx_model.rules.engine import (
    Decision,
    Fact,
    Outcome,
    QuickVerdict,
    Reason,
    ReasonKind,
    TraceStep,
    Verdict,
    is_decided,
    register_rule,
    unknowns,
)
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
VERSION = "1"
SEED = "SKR, Processkartläggning del 2 (2022-03-11)"
CITATION = (
    f"{SEED}, 'Samverkansprocess praktik/arbetsträning', Tabell 6, 'Arbetsgivarkontroll'; "
    "förordning (2017:462) om särskilda insatser för personer med funktionsnedsättning som "
    "medför nedsatt arbetsförmåga"
)
SOURCE_TEXT = (
    "Vid placering hos annan arbetsgivare i kommun önskar man kunna utföra en "
    "arbetsgivarkontroll likt den Arbetsförmedlingen gör med syfte att säkerställa att "
    "ingen arbetsgivare eller anordnare har: Näringsförbud — ingen person med väsentligt "
    "inflytande i företaget får ha näringsförbud. Skatteskuld som gått till indrivning hos "
    "Kronofogden — inga skatteskulder får finnas hos Kronofogden för indrivning. "
    "Betalningsanmärkningar som inte är obetydliga — betalningsanmärkningar som "
    "Arbetsförmedlingen inte kan bedöma som obetydliga."
)
_MAX_TAX = "employer_check.max_tax_debt_sek"
_MAX_REMARKS = "employer_check.insignificant_payment_remarks_sek"
PARAMETERS = (_MAX_TAX, _MAX_REMARKS)

TRADING_BAN = "trading-ban"
TAX_DEBT = "tax-debt"
PAYMENT_REMARKS = "payment-remarks"
#: The grounds, as codes of the ``employer-check-ground`` list, in the order assessed.
GROUNDS = (TRADING_BAN, TAX_DEBT, PAYMENT_REMARKS)

_GROUND_LIST = load(EMPLOYER_CHECK_GROUND)
_CITE = {g: _GROUND_LIST.get(g).citation for g in GROUNDS}
_LABEL_SV = {g: _GROUND_LIST.get(g).label_sv for g in GROUNDS}
_LABEL_EN = {g: _GROUND_LIST.get(g).label_en for g in GROUNDS}
_C_PLANNED = f"{SEED}, Tabell 6 ('Vid placering hos annan arbetsgivare i kommun')"

H, F, U = ReasonKind.HOLDS, ReasonKind.FAILS, ReasonKind.UNKNOWN


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
_REMARKS_HOLDS = _r(
    PAYMENT_REMARKS,
    "holds",
    H,
    "Arbetsgivaren har inga betalningsanmärkningar som inte är obetydliga.",
    "The employer has no payment remarks that are not insignificant.",
)
_REMARKS_UNKNOWN = _not_checked(PAYMENT_REMARKS)

NO_PLANNED = Reason(
    f"{RULE_ID}.no-planned-intervention",
    F,
    "Ärendet har ingen planerad insats (status planerad) vars arbetsgivare kan kontrolleras.",
    "The case has no planned intervention (status planned) whose employer can be checked.",
    _C_PLANNED,
)
_NO_ORG = Reason(
    f"{RULE_ID}.no-organisation-number",
    U,
    "Anordnaren av den planerade insatsen saknar organisationsnummer: arbetsgivaren kan inte "
    "kontrolleras.",
    "The provider of the planned intervention has no organisation number: the employer "
    "cannot be checked.",
    _C_PLANNED,
)
_NO_CHECK = Reason(
    f"{RULE_ID}.no-check-for-employer",
    U,
    "Det finns ingen arbetsgivarkontroll för anordnaren av den planerade insatsen (gjord "
    "senast den dagen): gör kontrollen.",
    "There is no employer check of the planned intervention's provider (made on or before "
    "the date): run the check.",
    _C_PLANNED,
)


def _banned_owners(check: EmployerCheck) -> int:
    return sum(1 for o in check.owners if o.significant_influence and o.trading_ban)


def _ban_kind(check: EmployerCheck, banned: int) -> ReasonKind:
    # ``banned``: the influential owners with a trading ban (_banned_owners).
    if check.trading_ban or banned:
        return F
    return H if check.trading_ban is False else U


def _tax_kind(check: EmployerCheck, limit: int) -> ReasonKind:
    debt = check.tax_debt_at_kronofogden_sek
    if debt is None:
        return U
    return F if debt > limit else H


def _counted_remarks(check: EmployerCheck, on: dt.date) -> list[PaymentRemark]:
    return [r for r in check.payment_remarks or () if r.registered_on <= on]


def _remarks_kind(check: EmployerCheck, on: dt.date, limit: int) -> ReasonKind:
    # The kind of the payment-remarks ground, for deciding without building the reason.
    if check.payment_remarks is None:
        return U
    return F if sum(r.amount_sek for r in _counted_remarks(check, on)) > limit else H


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


def _tax_debt(check: EmployerCheck, limit: int, facts: tuple[Fact, ...]) -> Reason:
    debt = check.tax_debt_at_kronofogden_sek
    kind = _tax_kind(check, limit)
    if debt is None:
        return _TAX_UNKNOWN.with_facts(*facts, ("ground", TAX_DEBT))
    more = (*facts, ("ground", TAX_DEBT), ("tax_debt_sek", debt), ("max_tax_debt_sek", limit))
    if kind is F:
        return _r(
            TAX_DEBT,
            "fails",
            F,
            f"Skatteskuld hos Kronofogden för indrivning: {debt} kr (gränsen är {limit} kr).",
            f"Tax debt at Kronofogden for collection: SEK {debt} (the limit is SEK {limit}).",
        ).with_facts(*more)
    return _TAX_HOLDS.with_facts(*more)


def _payment_remarks(
    check: EmployerCheck, on: dt.date, limit: int, facts: tuple[Fact, ...]
) -> Reason:
    if check.payment_remarks is None:
        return _REMARKS_UNKNOWN.with_facts(*facts, ("ground", PAYMENT_REMARKS))
    counted = _counted_remarks(check, on)
    total = sum(r.amount_sek for r in counted)
    more = (
        *facts,
        ("ground", PAYMENT_REMARKS),
        ("payment_remarks", len(counted)),
        ("payment_remarks_sek", total),
        ("insignificant_up_to_sek", limit),
    )
    if total > limit:
        return _r(
            PAYMENT_REMARKS,
            "fails",
            F,
            f"Betalningsanmärkningar som inte är obetydliga: {len(counted)} st, sammanlagt "
            f"{total} kr (obetydligt är högst {limit} kr).",
            f"Payment remarks that are not insignificant: {len(counted)}, SEK {total} in all "
            f"(insignificant is at most SEK {limit}).",
        ).with_facts(*more)
    return _REMARKS_HOLDS.with_facts(*more)


def assess_grounds(
    check: EmployerCheck,
    on: dt.date,
    params: Mapping[str, Scalar],
    facts: tuple[Fact, ...] = (),
) -> tuple[Reason, Reason, Reason]:
    """One reason per ground (trading ban, tax debt, payment remarks), in that order.

    Each reason's kind is ``holds``, ``fails`` or ``unknown`` (not checked); its facts
    start with ``facts`` and name the ground. ``params`` must hold the two thresholds
    ``employer_check.max_tax_debt_sek`` and
    ``employer_check.insignificant_payment_remarks_sek``.
    """
    base = (
        *facts,
        ("organisation_number", check.organisation_number.masked),
        ("checked_on", check.checked_on),
    )
    return (
        _trading_ban(check, base),
        _tax_debt(check, int(params[_MAX_TAX]), base),
        _payment_remarks(check, on, int(params[_MAX_REMARKS]), base),
    )


def _combine(reasons: Iterable[Reason], unknown_sets: Iterable[InformationSet]) -> Verdict:
    """Kleene's AND over the reasons: any fails decides, then any unknown, else eligible."""
    unique = tuple(dict.fromkeys(reasons))
    fails = tuple(r for r in unique if r.kind is F)
    if fails:
        return Outcome.NOT_ELIGIBLE, fails, ()
    open_ = tuple(r for r in unique if r.kind is U)
    if open_:
        return Outcome.UNKNOWN, open_, tuple(dict.fromkeys(unknown_sets))
    return Outcome.ELIGIBLE, unique, ()


def _steps(prefix: str, reasons: Iterable[Reason]) -> list[TraceStep]:
    return [
        TraceStep(
            f"{prefix}{dict(r.facts).get('ground', r.code.rsplit('.', 1)[-1])}",
            r.kind,
            _DESCRIPTIONS.get(str(dict(r.facts).get("ground")), "The employer can be checked."),
            r.citation,
            r.facts,
            r.code,
        )
        for r in reasons
    ]


_DESCRIPTIONS = {
    TRADING_BAN: "No person with significant influence over the employer has a trading ban.",
    TAX_DEBT: "No tax debt at Kronofogden above employer_check.max_tax_debt_sek.",
    PAYMENT_REMARKS: (
        "Payment remarks add up to at most employer_check.insignificant_payment_remarks_sek."
    ),
}


def check_employer(
    check: EmployerCheck, on: dt.date, parameters: Mapping[str, Scalar] | None = None
) -> Decision:
    """The employer check of one employer on ``on``, outside any person's case.

    ``parameters`` overrides the thresholds (what-if), e.g.
    ``{"employer_check.insignificant_payment_remarks_sek": 5000}``. The decision's
    ``subject`` is the organisation number (masked for a sole trader), its outcome
    eligible (passes), not_eligible (fails; the reasons name the failing grounds) or
    unknown (the reasons name the grounds not checked; missing ``employer_checks``). The
    trace is built at once (one step per ground). The check is taken as given whatever
    its date (the case rule only uses checks made on or before ``on``); payment remarks
    registered after ``on`` do not count.

    Raises:
        RuleError: if an override names an unknown parameter or has the wrong type.
    """
    view = _parameters.default().view(PARAMETERS, on, parameters)
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


def _kind(
    answer: Answer[tuple[EmployerCheck, ...]],
    intervention: MunicipalIntervention,
    on: dt.date,
    params: ParameterView,
) -> ReasonKind:
    # The combined kind of the reasons ``EmployerCheckRule._assess`` gives: fails if a
    # ground fails, else unknown if one is not checked (or there is nothing to check).
    if intervention.provider.organisation_number is None or not is_decided(answer):
        return U
    check = _latest_check(answer, intervention, on)
    if check is None:
        return U
    kinds = (
        _ban_kind(check, _banned_owners(check)),
        _tax_kind(check, int(params[_MAX_TAX])),
        _remarks_kind(check, on, int(params[_MAX_REMARKS])),
    )
    if F in kinds:
        return F
    return U if U in kinds else H


_NO_PLANNED_VERDICT: Verdict = (Outcome.NOT_ELIGIBLE, (NO_PLANNED,), ())
_LAZY_NOT_ELIGIBLE: QuickVerdict = (Outcome.NOT_ELIGIBLE, None, ())
_LAZY_UNKNOWN: QuickVerdict = (Outcome.UNKNOWN, None, (InformationSet.EMPLOYER_CHECKS,))
_LAZY_ELIGIBLE: QuickVerdict = (Outcome.ELIGIBLE, None, ())


def _latest_check(
    answer: Answer[tuple[EmployerCheck, ...]], intervention: MunicipalIntervention, on: dt.date
) -> EmployerCheck | None:
    org = intervention.provider.organisation_number
    found: EmployerCheck | None = None
    for check in answer.items():
        if (
            check.organisation_number == org
            and check.checked_on <= on
            and (found is None or check.checked_on > found.checked_on)
        ):
            found = check
    return found


_PLANNED = InterventionStatus.PLANNED
# The reason of each undecided status of the checks, computed once (the cached
# :func:`missing`).
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
    """The ``employer-check`` rule over a case: every planned placement's employer must pass.

    See the module documentation for the grounds and how the checks are matched.
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
        """Assess the employer of every planned intervention and combine (Kleene's AND)."""
        planned = [i for i in case.interventions if i.status is _PLANNED]
        if not planned:
            if trace is not None:
                trace.append(
                    TraceStep(
                        "planned-intervention",
                        F,
                        "The case has a municipal intervention with status planned.",
                        _C_PLANNED,
                        (),
                        NO_PLANNED.code,
                    )
                )
            return Outcome.NOT_ELIGIBLE, (NO_PLANNED,), ()
        answer = case.employer_checks
        reasons: list[Reason] = []
        for intervention in planned:
            found = self._assess(case, answer, intervention, on, params)
            if trace is not None:
                trace.extend(_steps(f"{intervention.intervention_id}:", found))
            reasons.extend(found)
        return _combine(reasons, (InformationSet.EMPLOYER_CHECKS,))

    def decide(self, case: Case, on: dt.date, params: ParameterView) -> QuickVerdict:
        """The outcome :meth:`check` gives, from the kinds of the grounds alone (the
        reasons, with their texts and facts, are built by :meth:`check` when asked for)."""
        answer = case.employer_checks
        planned = False
        open_ = False
        for intervention in case.interventions:
            if intervention.status is not _PLANNED:
                continue
            planned = True
            kind = _kind(answer, intervention, on, params)
            if kind is F:
                return _LAZY_NOT_ELIGIBLE
            if kind is U:
                open_ = True
        if not planned:
            return _NO_PLANNED_VERDICT
        return _LAZY_UNKNOWN if open_ else _LAZY_ELIGIBLE

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
        if not is_decided(answer):
            return _OPEN_REASONS[answer.status]
        check = _latest_check(answer, intervention, on)
        if check is None:
            return (_NO_CHECK.with_facts(*facts, ("organisation_number", org.masked)),)
        return assess_grounds(check, on, params, facts)

    def __repr__(self) -> str:
        return f"EmployerCheckRule(id={self.id!r}, version={self.version!r})"


RULE = register_rule(EmployerCheckRule())
