"""ssbx_inuk: the INUK monthly report, submitted to a REST endpoint over httpx.

:class:`InukSink` is a :class:`~ssbx_model.ports.ReportSink`: it sends the records of an
INUK report (:func:`ssbx_model.reports.build_inuk`) in chunks, each chunk with an
``Idempotency-Key`` and each record with its stable ``record_id``, retries what failed,
and commits the submission for a receipt. Submit through
:func:`ssbx_model.reports.submit_report` so that the ledger makes re-runs idempotent.

The loopback stub endpoint for tests is :mod:`ssbx_inuk.stub` (extra ``stub``).
"""

from ssbx_inuk._sink import (
    CONTENT_REFUSALS,
    DEFAULT_CHUNK_SIZE,
    PROTOCOL,
    InukSink,
    SubmissionRefused,
    create_sink,
)

__all__ = [
    "CONTENT_REFUSALS",
    "DEFAULT_CHUNK_SIZE",
    "PROTOCOL",
    "InukSink",
    "SubmissionRefused",
    "create_sink",
]
