"""The pytest plugin (entry point ``pytest11``) that runs the adapter conformance suite.

Opt-in: nothing runs unless ``--ssbx-adapter=package.module:factory`` is given.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--ssbx-adapter``."""
    group = parser.getgroup("ssbx", "ssbx_model adapter conformance")
    group.addoption(
        "--ssbx-adapter",
        action="append",
        default=[],
        metavar="MODULE:FACTORY",
        help="run the ssbx_model conformance suite against the adapter this factory builds",
    )
