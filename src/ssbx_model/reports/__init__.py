"""The reports municipalities owe, built from cases, and their submission through a ledger.

One builder per report, each a pure function of the cases, the period and parameters
(it evaluates the rules it needs itself) returning a typed, immutable report that
serialises deterministically to JSON and CSV:

=====================  ==============================  =========  ==================================
report                 builder                         period     who is identified how
=====================  ==============================  =========  ==================================
INUK (to AF)           :func:`build_inuk`              month      pseudonymous key per person
Dua category 15 (AF)   :func:`build_skat15`            month      personnummer (AF knows the person)
KAA (to SCB)           :func:`build_kaa_scb`           half-year  personnummer (SCB's register)
Kolada                 :func:`build_kolada`            year       nobody: counts, small cells hidden
Socialstyrelsen        :func:`build_socialstyrelsen`   month      a pseudonym, or personnummer
=====================  ==============================  =========  ==================================

A report becomes a :class:`~ssbx_model.ports.ReportPayload` with ``report.to_payload()``
and leaves through :func:`submit_report`, which records it in a
:class:`~ssbx_model.ports.SubmissionLedger` so that a re-run is idempotent, a crash loses
and duplicates nothing, and a closed INUK month is never changed.
"""

from ssbx_model.reports._common import (
    Column,
    HalfYear,
    Month,
    Notice,
    ReportInputError,
    ReportKind,
    ReportPeriod,
    Year,
    canonical_json,
    last_whole_period,
    parse_period,
    write_csv,
)
from ssbx_model.reports.inuk import (
    InukMapping,
    InukRecord,
    InukReport,
    build_inuk,
    example_mapping,
    load_inuk_mapping,
    month_closes_at,
)
from ssbx_model.reports.kaa_scb import KaaIntervention, KaaPerson, KaaScbReport, build_kaa_scb
from ssbx_model.reports.kolada import (
    KoladaCell,
    KoladaReport,
    KoladaRow,
    build_kolada,
    suppress_small_cells,
)
from ssbx_model.reports.skat15 import Skat15Report, Skat15Row, build_skat15
from ssbx_model.reports.socialstyrelsen import (
    SocialstyrelsenCorrection,
    SocialstyrelsenRecord,
    SocialstyrelsenReport,
    build_socialstyrelsen,
    submit_socialstyrelsen,
)
from ssbx_model.reports.submit import (
    ClosedPeriodError,
    LateSubmissionError,
    SubmissionOutcome,
    SubmissionResult,
    idempotency_key,
    submit_report,
)

__all__ = [
    "ClosedPeriodError",
    "Column",
    "HalfYear",
    "InukMapping",
    "InukRecord",
    "InukReport",
    "KaaIntervention",
    "KaaPerson",
    "KaaScbReport",
    "KoladaCell",
    "KoladaReport",
    "KoladaRow",
    "LateSubmissionError",
    "Month",
    "Notice",
    "ReportInputError",
    "ReportKind",
    "ReportPeriod",
    "Skat15Report",
    "Skat15Row",
    "SocialstyrelsenCorrection",
    "SocialstyrelsenRecord",
    "SocialstyrelsenReport",
    "SubmissionOutcome",
    "SubmissionResult",
    "Year",
    "build_inuk",
    "build_kaa_scb",
    "build_kolada",
    "build_skat15",
    "build_socialstyrelsen",
    "canonical_json",
    "example_mapping",
    "idempotency_key",
    "last_whole_period",
    "load_inuk_mapping",
    "month_closes_at",
    "parse_period",
    "submit_report",
    "submit_socialstyrelsen",
    "suppress_small_cells",
    "write_csv",
]
