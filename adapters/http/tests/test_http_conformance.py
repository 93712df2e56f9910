"""ssbx_model's conformance suite (InformationSource contracts) against the HTTP sources
and the stub, both as subclassed contracts and through the ``--ssbx-adapter`` option."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence

import pytest

from ssbx_http.stub.conformance import (
    StubbedAsyncHttpSource,
    StubbedHttpSource,
    async_http_source,
    http_source,
)
from ssbx_model.case import Case
from ssbx_model.testing.conformance import (
    AsyncInformationSourceContract,
    InformationSourceContract,
    ports_of,
    sample_cases,
)


@pytest.mark.parametrize("body_format", ["xml", "json"])
class TestHttpSource(InformationSourceContract):
    """The sync source, in both body formats."""

    @pytest.fixture
    def source_cases(self) -> Sequence[Case]:
        return sample_cases()

    @pytest.fixture
    def information_source(self, body_format: str) -> Iterator[StubbedHttpSource]:
        source = http_source(sample_cases(), body_format=body_format)
        yield source
        source.close()


@pytest.mark.parametrize("body_format", ["xml", "json"])
class TestAsyncHttpSource(AsyncInformationSourceContract):
    """The async source, in both body formats."""

    @pytest.fixture
    def source_cases(self) -> Sequence[Case]:
        return sample_cases()

    @pytest.fixture
    def async_information_source(self, body_format: str) -> Iterator[StubbedAsyncHttpSource]:
        source = async_http_source(sample_cases(), body_format=body_format)
        yield source
        source.close()


def test_the_factories_build_the_ports_they_claim() -> None:
    sync, asynchronous = http_source(), async_http_source()
    try:
        assert ports_of(sync) == {"InformationSource"}
        assert ports_of(asynchronous) == {"AsyncInformationSource"}
    finally:
        sync.close()
        asynchronous.close()


def test_the_suite_passes_through_the_command_line_option(tmp_path: object) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "--ssbx-adapter=ssbx_http.stub.conformance:http_source",
            "--ssbx-adapter=ssbx_http.stub.conformance:async_http_source",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "4 passed" in result.stdout
