"""InukSink passes the core's ReportSink contract against the loopback INUK stub."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator

import pytest
from ssbx_inuk import InukSink
from ssbx_inuk.stub import InukStubServer, InukStubState

from ssbx_model.ports import ReportPayload
from ssbx_model.testing.conformance import ReportSinkContract


def inuk_document(variant: bytes) -> ReportPayload:
    """A valid INUK payload whose records depend on ``variant`` (equal variants, equal bytes)."""
    tag = hashlib.sha256(variant).hexdigest()[:8]
    body = {
        "format": "ssbx-inuk/1",
        "report": "inuk",
        "period": "2024-03",
        "municipality": "1287",
        "records": [{"record_id": f"{tag}-{i}", "person": f"pk_{tag}{i}"} for i in range(3)],
    }
    return ReportPayload(
        "inuk", "2024-03", "1287", "application/json", json.dumps(body).encode(), 3
    )


class TestInukSinkContract(ReportSinkContract):
    """The generic contract, with real INUK documents and the stub endpoint."""

    @pytest.fixture
    def report_sink(self) -> Iterator[InukSink]:
        with InukStubServer(InukStubState()) as server, InukSink(server.base_url) as sink:
            yield sink

    @pytest.fixture
    def report_payload(self) -> Callable[[bytes], ReportPayload]:
        return inuk_document
