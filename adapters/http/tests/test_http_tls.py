"""Mutual TLS against the stub, with certificates made in the test (trustme)."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme
from http_helpers import fast_config, make_request

from ssbx_http import HttpSource, ServiceUnavailable, TlsError
from ssbx_http.stub import RunningStub, StubTls
from ssbx_model.errors import ValidationError


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA, the stub's certificate for 127.0.0.1, a client certificate signed by the CA,
    and a client certificate from another CA."""
    root = tmp_path_factory.mktemp("pki")
    ca = trustme.CA()
    other_ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1")
    client = ca.issue_cert("client@kommun.example")
    stranger = other_ca.issue_cert("client@elsewhere.example")
    files = {
        "ca": root / "ca.pem",
        "server_cert": root / "server.pem",
        "server_key": root / "server.key",
        "client": root / "client.pem",
        "stranger": root / "stranger.pem",
    }
    ca.cert_pem.write_to_path(str(files["ca"]))
    server.cert_chain_pems[0].write_to_path(str(files["server_cert"]))
    server.private_key_pem.write_to_path(str(files["server_key"]))
    client.private_key_and_cert_chain_pem.write_to_path(str(files["client"]))
    stranger.private_key_and_cert_chain_pem.write_to_path(str(files["stranger"]))
    return files


@pytest.fixture
def mtls_stub(pki: dict[str, Path], ssbx_stub_factory: Callable[..., RunningStub]) -> RunningStub:
    """A stub that requires client certificates signed by the test CA."""
    admin = ssl.create_default_context(cafile=str(pki["ca"]))
    admin.load_cert_chain(str(pki["client"]))
    tls = StubTls(pki["server_cert"], pki["server_key"], client_ca=pki["ca"])
    return ssbx_stub_factory(persons=5, tls=tls, admin_ssl=admin)


def test_a_client_with_a_valid_certificate_is_served(
    mtls_stub: RunningStub, pki: dict[str, Path]
) -> None:
    assert mtls_stub.base_url.startswith("https://127.0.0.1:")
    config = fast_config(mtls_stub.base_url, ca_bundle=pki["ca"], client_cert=pki["client"])
    with HttpSource(config) as source:
        case = source.fetch(make_request(mtls_stub.persons[0]))
    assert case.person == mtls_stub.persons[0]
    assert mtls_stub.admin.stats()["fetch_requests"] == 1


# Under TLS 1.3 the server checks the client certificate after the handshake; asyncio's
# TLS (and so uvicorn) then closes the connection without a readable alert, so the client
# sees a connection closed before any response. It is refused all the same: no request
# reaches the service, and the error says what it may mean.
REFUSED = (TlsError, ServiceUnavailable)


@pytest.mark.parametrize("client_cert", [None, "stranger"])
def test_a_client_without_a_valid_certificate_is_refused(
    mtls_stub: RunningStub, pki: dict[str, Path], client_cert: str | None
) -> None:
    cert = pki[client_cert] if client_cert else None
    config = fast_config(mtls_stub.base_url, ca_bundle=pki["ca"], client_cert=cert, retries=2)
    with HttpSource(config) as source, pytest.raises(REFUSED) as caught:
        source.fetch(make_request(mtls_stub.persons[0]))
    assert mtls_stub.admin.stats()["fetch_requests"] == 0
    if isinstance(caught.value, ServiceUnavailable):
        assert caught.value.cause_type == "RemoteProtocolError"
        assert "refuse the client certificate" in str(caught.value)


def test_a_server_the_client_does_not_trust_is_refused(
    mtls_stub: RunningStub, pki: dict[str, Path]
) -> None:
    # Trust only the system store: the test CA's server certificate is not in it.
    config = fast_config(mtls_stub.base_url, client_cert=pki["client"])
    with HttpSource(config) as source, pytest.raises(TlsError, match="TLS handshake failed"):
        source.fetch(make_request(mtls_stub.persons[0]))


@pytest.mark.anyio
async def test_the_async_source_speaks_mutual_tls(
    mtls_stub: RunningStub, pki: dict[str, Path]
) -> None:
    from ssbx_http import AsyncHttpSource

    good = fast_config(mtls_stub.base_url, ca_bundle=pki["ca"], client_cert=pki["client"])
    async with AsyncHttpSource(good) as source:
        assert (await source.fetch(make_request(mtls_stub.persons[1]))).person
    bad = fast_config(mtls_stub.base_url, ca_bundle=pki["ca"], retries=1)
    async with AsyncHttpSource(bad) as source:
        with pytest.raises(REFUSED):
            await source.fetch(make_request(mtls_stub.persons[1]))


def test_unreadable_certificate_files_are_a_configuration_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    with pytest.raises(ValidationError) as caught:
        fast_config("https://127.0.0.1:1", client_cert=junk).ssl_context()
    assert caught.value.paths == ["client_cert"]
    with pytest.raises(ValidationError) as caught:
        fast_config("https://127.0.0.1:1", ca_bundle=tmp_path / "missing.pem").ssl_context()
    assert caught.value.paths == ["ca_bundle"]
