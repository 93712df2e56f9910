"""The ``ssbx-stub`` command: serve the stub, print its OpenAPI description or roster.

::

    ssbx-stub serve --port 8080 --seed 1 --persons 200 --error-rate 0.1
    ssbx-stub serve --port 0 --data cases/ --tls-cert s.pem --tls-key s.key --tls-ca ca.pem
    ssbx-stub openapi > openapi.json
    ssbx-stub persons --seed 1 --persons 200

``serve`` prints one line ``ssbx-stub: serving <what> at <url>`` once it listens (with
``--port 0`` the URL names the port chosen), then serves until interrupted.

Exit codes: 0 success, 2 bad arguments or data (a message on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import sys
from collections.abc import Sequence

from ssbx_model.errors import SsbxError
from ssbx_model.information.sets import InformationSet

__all__ = ["build_parser", "main"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date YYYY-MM-DD") from None


def _data_options(parser: argparse.ArgumentParser, *, directory: bool = True) -> None:
    group = parser.add_argument_group("data (synthetic unless --data is given)")
    if directory:
        group.add_argument(
            "--data", metavar="DIR", help="serve the *.xml / *.json case files of DIR"
        )
    group.add_argument("--seed", type=int, default=0, help="seed of the synthetic data (0)")
    group.add_argument("--persons", type=int, default=100, help="synthetic people (100)")
    group.add_argument(
        "--as-of", type=_date, default=None, help="date the synthetic data describes (2024-06-03)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ssbx-stub``."""
    parser = argparse.ArgumentParser(
        prog="ssbx-stub", description="The reference SSBTX stub service with fault injection."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the stub")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one (8080)")
    _data_options(serve)
    faults = serve.add_argument_group("faults (also switchable at run time: POST /v1/_faults)")
    faults.add_argument("--latency-ms", type=float, default=0.0, help="added to every fetch")
    faults.add_argument("--latency-jitter-ms", type=float, default=0.0, help="plus 0..this")
    faults.add_argument("--reset-rate", type=float, default=0.0, help="TCP reset, no answer")
    faults.add_argument("--timeout-rate", type=float, default=0.0, help="hang --hang-s")
    faults.add_argument("--hang-s", type=float, default=30.0, help="how long a timeout hangs")
    faults.add_argument("--error-rate", type=float, default=0.0, help="answer --error-status")
    faults.add_argument("--error-status", type=int, default=503, help="status of errors (503)")
    faults.add_argument(
        "--truncate-rate", type=float, default=0.0, help="body shorter than Content-Length"
    )
    faults.add_argument("--cut-rate", type=float, default=0.0, help="document cut half way")
    faults.add_argument("--malformed-rate", type=float, default=0.0, help="a body that is no case")
    faults.add_argument(
        "--malformed-kind",
        choices=["not-xml", "invalid-xml", "invalid-case"],
        default="not-xml",
    )
    faults.add_argument(
        "--unavailable-set",
        action="append",
        default=[],
        choices=[s.value for s in InformationSet],
        metavar="SET",
        help="answer this information set 'unavailable' (repeatable)",
    )
    faults.add_argument("--unavailable-reason", default=None, help="the reason given")
    faults.add_argument("--faults-first", type=int, default=None, help="only the first K fetches")
    faults.add_argument("--fault-seed", type=int, default=None, help="seed of the fault dice")
    tls = serve.add_argument_group("TLS")
    tls.add_argument("--tls-cert", help="server certificate (PEM)")
    tls.add_argument("--tls-key", help="server private key (PEM)")
    tls.add_argument("--tls-ca", help="require client certificates signed by this CA (mTLS)")
    serve.add_argument("--access-log", action="store_true", help="log each request's line")

    commands.add_parser("openapi", help="print the OpenAPI description")

    persons = commands.add_parser(
        "persons", help="print the (fictitious) identity numbers the synthetic data holds"
    )
    _data_options(persons, directory=False)
    return parser


def _book(args: argparse.Namespace) -> object:
    from ssbx_http.stub.data import DEFAULT_AS_OF, CaseBook

    if getattr(args, "data", None):
        return CaseBook.from_directory(args.data)
    return CaseBook.synthetic(seed=args.seed, persons=args.persons, on=args.as_of or DEFAULT_AS_OF)


def _serve(args: argparse.Namespace) -> int:
    from ssbx_http.stub.app import StubState
    from ssbx_http.stub.data import CaseBook
    from ssbx_http.stub.faults import Faults
    from ssbx_http.stub.server import StubServer, StubTls

    settings: dict[str, object] = {
        "latency_ms": args.latency_ms,
        "latency_jitter_ms": args.latency_jitter_ms,
        "reset_rate": args.reset_rate,
        "timeout_rate": args.timeout_rate,
        "hang_s": args.hang_s,
        "error_rate": args.error_rate,
        "error_status": args.error_status,
        "truncate_rate": args.truncate_rate,
        "cut_rate": args.cut_rate,
        "malformed_rate": args.malformed_rate,
        "malformed_kind": args.malformed_kind,
        "unavailable_sets": args.unavailable_set,
        "first": args.faults_first,
        "seed": args.fault_seed,
    }
    if args.unavailable_reason is not None:
        settings["unavailable_reason"] = args.unavailable_reason
    faults = Faults.from_json(settings)
    if bool(args.tls_cert) != bool(args.tls_key) or (args.tls_ca and not args.tls_cert):
        print(
            "ssbx-stub: --tls-cert and --tls-key go together; --tls-ca needs both", file=sys.stderr
        )
        return 2
    tls = StubTls(args.tls_cert, args.tls_key, args.tls_ca) if args.tls_cert else None
    book = _book(args)
    assert isinstance(book, CaseBook)
    # The register lives as long as the process: keep the cyclic garbage collector from
    # walking it again and again (a full collection over 10,000 cases is a pause that
    # shows in every request's tail latency).
    gc.collect()
    gc.freeze()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    server = StubServer(
        StubState(book, faults=faults),
        host=args.host,
        port=args.port,
        tls=tls,
        access_log=args.access_log,
        log_level="info",
    )
    print(f"ssbx-stub: serving {book.description} at {server.base_url}", flush=True)
    if faults.active:
        print(f"ssbx-stub: faults {json.dumps(faults.to_json())}", flush=True)
    server.serve()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ssbx-stub``; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "openapi":
            from ssbx_http.stub.app import openapi_document

            print(json.dumps(openapi_document(), indent=2, ensure_ascii=False))
            return 0
        if args.command == "persons":
            from ssbx_http.stub.data import CaseBook

            book = _book(args)
            assert isinstance(book, CaseBook)
            # Synthetic test numbers (birth numbers 980-999), printed on purpose: a CI
            # script needs to know whom to ask for.
            for person in book.persons():
                print(person.reveal())
            return 0
        return _serve(args)
    except SsbxError as exc:
        print(f"ssbx-stub: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
