"""The reference SSBTX stub service: synthetic or file-based cases over the same HTTP API
the client uses, with switchable fault injection.

Start it from the command line (``ssbx-stub serve``), from Python (:func:`start_stub`),
or in tests with the pytest fixtures ``ssbx_stub`` and ``ssbx_stub_factory``.
"""

from ssbx_http.stub.admin import StubAdmin
from ssbx_http.stub.app import StubState, StubStats, create_app, openapi_document
from ssbx_http.stub.data import CaseBook
from ssbx_http.stub.faults import Faults
from ssbx_http.stub.running import RunningStub, start_stub
from ssbx_http.stub.server import StubServer, StubTls

__all__ = [
    "CaseBook",
    "Faults",
    "RunningStub",
    "StubAdmin",
    "StubServer",
    "StubState",
    "StubStats",
    "StubTls",
    "create_app",
    "openapi_document",
    "start_stub",
]
