"""``ssbx demo``: the main job end to end, on embedded defaults.

Everything stays on this machine: a SQLite file and key files under ``./.ssbx-demo/``, the
reference stub service and an INUK endpoint on free loopback ports, started and stopped
by the demo. The steps:

1. generate a synthetic municipality (:mod:`ssbx_model.synth`) and write it as XML;
2. start the stub service on that data and fetch every person's information through the
   HTTP adapter, as an employment officer (labour-market purpose) and as a social worker
   (social-assistance purpose), each read filtered by the access policy and audited;
3. add the municipality's own facts (schooling, KAA register, consultations, SFI hours,
   employer checks, decisions on försörjningsstöd, consultations with AF about planned
   interventions, interventions) to the social worker's view and store the cases;
4. evaluate every registered rule for every person and store the decisions;
5. build the INUK, category-15, KAA-to-SCB and Kolada reports, write them to
   ``./.ssbx-demo/out/`` and submit them through the ledger (INUK over HTTP to a local
   endpoint, the others to ``out/submitted/``);
6. print a summary.

Re-running is safe: unchanged cases are not rewritten, decisions already stored for the
reference date are not stored again, and the ledger keeps a report from being submitted
twice (a closed INUK month is never changed).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ssbx_model import codec
from ssbx_model.access import FilteredCase, default_policy
from ssbx_model.audited import AuditedAsyncSource
from ssbx_model.case import Case
from ssbx_model.cli._common import add_format_option, add_on_option, reference_date
from ssbx_model.clock import utc_now
from ssbx_model.errors import ReportError, SsbxError
from ssbx_model.information import AnswerStatus, InformationSet
from ssbx_model.ports import FetchRequest, Receipt, ReportPayload, Requester
from ssbx_model.pseudonym import Pseudonymizer
from ssbx_model.purpose import Purpose, Role
from ssbx_model.reports import (
    HalfYear,
    Month,
    Year,
    build_inuk,
    build_kaa_scb,
    build_kolada,
    build_skat15,
    load_inuk_mapping,
    submit_report,
)
from ssbx_model.reports._common import SerialisableReport
from ssbx_model.rules import Decision, Outcome, evaluate_many, rule_ids
from ssbx_model.synth import generate

__all__ = ["DirectorySink", "register", "run"]

#: Sets the municipality keeps in its own systems (not fetched from a provider).
MUNICIPAL_SETS = (
    InformationSet.SCHOOLING,
    InformationSet.KAA_REGISTER,
    InformationSet.CONSULTATIONS,
    InformationSet.SFI_HOURS,
    InformationSet.EMPLOYER_CHECKS,
    InformationSet.INCOME_SUPPORT,
    InformationSet.INTERVENTION_CONSULTATIONS,
)

#: Who reads, for which purpose, in the demo.
READERS = (
    (Requester("demo-arbetskonsulent", Role.EMPLOYMENT_OFFICER, "1287"), Purpose.LABOUR_MARKET),
    (Requester("demo-socialsekreterare", Role.SOCIAL_WORKER, "1287"), Purpose.SOCIAL_ASSISTANCE),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``demo`` command."""
    parser = sub.add_parser(
        "demo",
        help="run the main job end to end on embedded defaults (SQLite, loopback stub)",
        description=(
            "Generate a synthetic municipality, fetch every person through the HTTP adapter "
            "from a stub service on loopback as an employment officer and as a social "
            "worker, evaluate every rule, build the INUK, category-15, KAA and Kolada "
            "reports, store everything in SQLite with the submission ledger and print a "
            "summary. Nothing leaves this machine. Safe to re-run."
        ),
    )
    add_on_option(parser)
    add_format_option(parser)
    parser.add_argument("--persons", type=int, default=400, help="people to generate (400)")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed (2026)")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(".ssbx-demo"),
        help="working directory for the database, keys and outputs (./.ssbx-demo)",
    )
    parser.add_argument("--fresh", action="store_true", help="delete the working directory first")
    parser.set_defaults(func=run)


@attrs.define
class DirectorySink:
    """A ReportSink that files each payload under ``directory``, once per key.

    Stands in for the file uploads of AF's Excel template and SCB's KAA collection.
    """

    directory: Path
    clock: Callable[[], dt.datetime]

    def submit(self, payload: ReportPayload, *, idempotency_key: str) -> Receipt:
        """Write ``payload.body`` to ``<directory>/<report>-<period>-<key>``; idempotent."""
        self.directory.mkdir(parents=True, exist_ok=True)
        suffix = ".csv" if "csv" in payload.media_type else ".json"
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:12]
        target = self.directory / f"{payload.report}-{payload.period}-{digest}{suffix}"
        duplicate = target.exists()
        if not duplicate:
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(payload.body)
            partial.replace(target)  # atomic: a crash never leaves half a file under the name
        return Receipt(idempotency_key, self.clock(), target.name, duplicate)


def _key_file(path: Path, size: int = 32) -> Path:
    """``path``, holding a secret (hex text, mode 0600) made on first use; read it with
    :meth:`Pseudonymizer.from_file`, as ``ssbx report --key-file`` does."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(size) + "\n")
    return path


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<44}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


async def _fetch_all(
    source: AuditedAsyncSource,
    people: Sequence[Any],
    requester: Requester,
    purpose: Purpose,
    on: dt.date,
    advance: Callable[[], None],
    concurrency: int = 16,
) -> list[FilteredCase | SsbxError]:
    sets = frozenset(InformationSet) - frozenset(MUNICIPAL_SETS)
    gate = asyncio.Semaphore(concurrency)

    async def one(person: Any) -> FilteredCase | SsbxError:
        async with gate:
            request = FetchRequest(person, sets, purpose, on, requester)
            try:
                return await source.fetch_filtered(request)
            except SsbxError as exc:  # kept per person: one failure never stops the batch
                return exc
            finally:
                advance()

    return list(await asyncio.gather(*(one(p) for p in people)))


def _merge(fetched: Case, own: Case) -> Case:
    """The social worker's view plus the municipality's own facts about the person."""
    own_sets: dict[str, Any] = {s.value: own.answer(s) for s in MUNICIPAL_SETS}
    return attrs.evolve(fetched, interventions=own.interventions, **own_sets)


def _require_adapters() -> tuple[Any, Any, Any, Any]:
    try:
        import ssbx_excel
        import ssbx_http
        import ssbx_inuk
        import ssbx_sql
    except ImportError as exc:
        raise SsbxError(
            f"the demo needs the reference adapters ({exc.name} is missing): install "
            "adapters/http, adapters/sql, adapters/inuk and adapters/excel (make demo does)"
        ) from None
    return ssbx_http, ssbx_sql, ssbx_inuk, ssbx_excel


def run(args: argparse.Namespace) -> int:
    """Run the demo; return the exit code."""
    started = time.perf_counter()
    ssbx_http, ssbx_sql, ssbx_inuk, ssbx_excel = _require_adapters()
    from ssbx_http.stub.running import start_stub
    from ssbx_inuk.stub import InukStubServer, InukStubState

    on = reference_date(args)
    root: Path = args.dir
    if args.fresh and root.exists():
        shutil.rmtree(root)
    data_dir, out_dir = root / "data", root / "out"
    for directory in (data_dir, out_dir):
        directory.mkdir(parents=True, exist_ok=True)
    # With --format json, progress and notes go to standard error, the summary to stdout.
    console = Console(stderr=args.format == "json")
    console.rule(f"ssbx demo: municipality 1287, reference date {on.isoformat()}")

    # 1. The synthetic municipality, written as a case document the stub serves.
    town = generate(persons=args.persons, seed=args.seed, on=on)
    own = {case.person: case for case in town.cases}
    codec.dump_path(town.cases, data_dir / "cases.xml")
    mapping_path = data_dir / "inuk-mapping.toml"
    mapping_lines = [
        "[mapping]",
        'municipality = "1287"',
        'category_list = "inuk-category"',
        "",
        "[activities]",
    ]
    mapping_lines += [
        f'"{name}" = "{category}"' for name, category in sorted(town.inuk_mapping.items())
    ]
    mapping_path.write_text("\n".join(mapping_lines) + "\n", encoding="utf-8")
    console.print(
        f"Generated {len(town.cases)} fictitious people "
        + ", ".join(f"{n} {k}" for k, n in town.profiles.items())
        + f" → {data_dir / 'cases.xml'}"
    )

    store = ssbx_sql.create_store(
        f"sqlite:///{root / 'ssbx.sqlite3'}", key_file=root / "store.key", create_key_file=True
    )
    pseudonymizer = Pseudonymizer.from_file(_key_file(root / "audit.key"), domain="ssbx-demo-audit")
    statistics_keys = Pseudonymizer.from_file(
        _key_file(root / "statistics.key"), domain="ssbx-demo"
    )
    policy = default_policy()
    views: dict[Role, list[FilteredCase | SsbxError]] = {}
    decisions: list[Decision] = []
    withheld = WithheldTally()
    reports: list[tuple[str, SerialisableReport | None, str]] = []
    submissions: list[tuple[str, str]] = []
    try:
        with start_stub(data=data_dir) as stub, _progress(console) as progress:
            config = ssbx_http.HttpSourceConfig(
                stub.base_url, max_concurrency=16, deadline=30.0, allow_plain_http_loopback=True
            )
            people = [case.person for case in town.cases]
            # 2. Fetch through the HTTP adapter, filtered and audited per reader.
            for requester, purpose in READERS:
                task = progress.add_task(
                    f"fetch as {requester.role.value} ({purpose.value})", total=len(people)
                )

                async def fetch(
                    requester: Requester = requester, purpose: Purpose = purpose, task: Any = task
                ) -> list[FilteredCase | SsbxError]:
                    async with ssbx_http.AsyncHttpSource(config) as http:
                        source = AuditedAsyncSource(
                            http, audit=store, pseudonymizer=pseudonymizer, policy=policy
                        )
                        return await _fetch_all(
                            source, people, requester, purpose, on, lambda: progress.advance(task)
                        )

                views[requester.role] = asyncio.run(fetch())

            # 3. The social worker's view plus the municipality's own facts, stored.
            merged: list[Case] = []
            task = progress.add_task("store cases (SQLite, sealed identities)", total=len(people))
            saved = {"new": 0, "updated": 0, "unchanged": 0}
            for result in views[Role.SOCIAL_WORKER]:
                if isinstance(result, SsbxError):
                    progress.advance(task)
                    continue
                case = _merge(result.case, own[result.case.person])
                merged.append(case)
                stored = store.load_case(case.person)
                if stored is not None and stored.case == case:
                    saved["unchanged"] += 1
                else:
                    store.save_case(case, expected_version=stored.version if stored else None)
                    saved["new" if stored is None else "updated"] += 1
                progress.advance(task)

            # 4. Every rule for every person; decisions for this date stored once.
            ids = rule_ids()
            task = progress.add_task(f"evaluate {len(ids)} rules", total=len(merged))
            for case in merged:
                case_decisions = list(evaluate_many([case], ids, on))
                decisions.extend(case_decisions)
                withheld.tally(case, case_decisions)
                already = {d.rule_id for d in store.load_decisions(case.person) if d.on == on}
                fresh = [d for d in case_decisions if d.rule_id not in already]
                if fresh:
                    store.save_decisions(case.person, fresh)
                progress.advance(task)

        # 5. Reports, written and submitted through the ledger.
        month = Month.of(on).previous()
        half = HalfYear.of(on).previous()
        year = Year.of(on)  # the year so far: the synthetic interventions are recent
        builders: list[tuple[str, Callable[[], SerialisableReport]]] = [
            (
                "inuk",
                lambda: build_inuk(
                    merged,
                    month,
                    municipality="1287",
                    pseudonymizer=statistics_keys,
                    mapping=load_inuk_mapping(mapping_path),
                ),
            ),
            ("skat15", lambda: build_skat15(merged, month, municipality="1287")),
            ("kaa-scb", lambda: build_kaa_scb(merged, half, municipality="1287")),
            ("kolada", lambda: build_kolada(merged, year, municipality="1287")),
        ]
        state = InukStubState()
        with InukStubServer(state) as inuk_endpoint:
            inuk_sink = ssbx_inuk.InukSink(inuk_endpoint.base_url)
            files = DirectorySink(out_dir / "submitted", utc_now)
            for name, build in builders:
                try:
                    report = build()
                except ReportError as exc:
                    reports.append((name, None, f"not built: {exc}".splitlines()[0]))
                    continue
                written = _write(report, name, out_dir, ssbx_excel)
                reports.append((name, report, written))
                sink = inuk_sink if name == "inuk" else files
                try:
                    submission = submit_report(report, sink, store, utc_now)
                    submissions.append((name, str(submission.outcome)))
                except ReportError as exc:
                    submissions.append((name, f"refused: {str(exc).splitlines()[0]}"))
            inuk_sink.close()
        audit_events = len(store.events())
        ledger = store.entries()
    finally:
        store.close()

    # 6. The summary.
    summary = _summary(on, views, decisions, reports, submissions, ledger, audit_events, saved)
    summary["rule_notes"] = rule_notes(decisions, withheld, Role.SOCIAL_WORKER)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    if args.format == "json":
        print(json.dumps(summary))
        return 0
    _print_tables(console, summary)
    console.print(
        f"Outputs in {out_dir}/, database {root / 'ssbx.sqlite3'} "
        f"(identity numbers sealed; keys in {root}/*.key). Finished in {summary['seconds']} s."
    )
    return 0


def _short_reason(reason: str) -> str:
    """The gist of a withheld set's reason, for a table cell."""
    if reason.startswith("not permitted"):
        return "not permitted for the role"
    return reason.split(" (")[0].split(":")[0][:32]


def _write(report: SerialisableReport, name: str, out_dir: Path, ssbx_excel: Any) -> str:
    stem = f"{name}-{report.period}"
    (out_dir / f"{stem}.json").write_bytes(report.to_json_bytes())
    (out_dir / f"{stem}.csv").write_bytes(report.to_csv())
    kinds = ["json", "csv"]
    if name == "skat15":
        ssbx_excel.write_skat15_workbook(report, out_dir / f"{stem}.xlsx")
        kinds.append("xlsx")
    return "/".join(kinds)


class WithheldTally:
    """Per rule, how many *unknown* decisions wanted a set the access policy withheld."""

    def __init__(self) -> None:
        self.counts: dict[str, collections.Counter[InformationSet]] = collections.defaultdict(
            collections.Counter
        )

    def tally(self, case: Case, decisions: Iterable[Decision]) -> None:
        """Count the withheld sets named as missing by ``decisions`` about ``case``."""
        for decision in decisions:
            if decision.outcome is not Outcome.UNKNOWN:
                continue
            for which in decision.missing:
                if case.answer(which).status is AnswerStatus.WITHHELD:
                    self.counts[decision.rule_id][which] += 1


def rule_notes(
    decisions: Sequence[Decision], withheld: WithheldTally, role: Role
) -> dict[str, list[str]]:
    """Why a rule's outcome table looks as it does, per rule: the sets the access policy
    withheld from ``role`` that left decisions unknown, an outcome a rule cannot give
    (a rule that reads no information set is never unknown), and one reason behind
    every decision of an outcome when an outcome is missing (e.g. a parameter that
    closes the rule on the date)."""
    from ssbx_model.rules import get_rule

    notes: dict[str, list[str]] = collections.defaultdict(list)
    by_rule: dict[str, list[Decision]] = collections.defaultdict(list)
    for decision in decisions:
        by_rule[decision.rule_id].append(decision)
    for rule_id, made in sorted(by_rule.items()):
        for which, count in withheld.counts[rule_id].most_common():
            notes[rule_id].append(
                f"{count} unknown: {which.value} withheld from the {role.value} by the "
                "access policy"
            )
        if not get_rule(rule_id).needs:
            notes[rule_id].append("never unknown: reads only the case itself")
        outcomes = {d.outcome for d in made}
        if len(outcomes) == 1 and not withheld.counts[rule_id]:
            codes = {d.reasons[0].code for d in made if d.reasons}
            if len(codes) == 1:
                reason = made[0].reasons[0]
                gist = reason.message_en.split(" (")[0].rstrip(".")
                notes[rule_id].append(f"every decision {reason.code}: {gist}")
    return dict(notes)


def _summary(
    on: dt.date,
    views: dict[Role, list[FilteredCase | SsbxError]],
    decisions: Iterable[Decision],
    reports: list[tuple[str, SerialisableReport | None, str]],
    submissions: list[tuple[str, str]],
    ledger: Sequence[Any],
    audit_events: int,
    saved: dict[str, int],
) -> dict[str, Any]:
    """What the demo did, as plain data (printed as tables or as JSON)."""
    roles = []
    for role, results in views.items():
        released = withheld = failed = 0
        reasons: collections.Counter[str] = collections.Counter()
        for result in results:
            if isinstance(result, SsbxError):
                failed += 1
                continue
            for which, answer in result.case.answers():
                if which in MUNICIPAL_SETS or answer.status is AnswerStatus.NOT_REQUESTED:
                    continue
                if answer.status is AnswerStatus.WITHHELD:
                    withheld += 1
                    reasons[_short_reason(answer.reason or "")] += 1
                else:
                    released += 1
        roles.append(
            {
                "role": role.value,
                "people": len(results),
                "released": released,
                "withheld": withheld,
                "withheld_reasons": dict(reasons.most_common()),
                "failed": failed,
            }
        )
    counts: dict[str, collections.Counter[Outcome]] = collections.defaultdict(collections.Counter)
    for decision in decisions:
        counts[decision.rule_id][decision.outcome] += 1
    rules = {rule_id: {o.value: counts[rule_id][o] for o in Outcome} for rule_id in sorted(counts)}
    submitted = dict(submissions)
    built = [
        {
            "report": name,
            "period": str(report.period) if report else None,
            "records": report.record_count if report else None,
            "excluded": len(getattr(report, "excluded", ())) if report else None,
            "files": files,
            "ledger": submitted.get(name),
        }
        for name, report, files in reports
    ]
    return {
        "on": on.isoformat(),
        "roles": roles,
        "rules": rules,
        "reports": built,
        "cases_stored": saved,
        "audit_events": audit_events,
        "ledger_entries": len(ledger),
    }


def _print_tables(console: Console, summary: dict[str, Any]) -> None:
    seen = Table(title="What each role may see (sets per person, summed)")
    for column in ("role", "people", "released", "withheld", "top reason withheld", "failed"):
        seen.add_column(column)
    for row in summary["roles"]:
        top = next(iter(row["withheld_reasons"]), "-")
        seen.add_row(
            row["role"],
            str(row["people"]),
            str(row["released"]),
            str(row["withheld"]),
            top,
            str(row["failed"]),
        )
    console.print(seen)
    outcomes = Table(title="Rule outcomes (the social worker's view)")
    for column in ("rule", "eligible", "not eligible", "unknown", "note"):
        outcomes.add_column(column)
    notes = summary.get("rule_notes", {})
    for rule_id, c in summary["rules"].items():
        outcomes.add_row(
            rule_id,
            *(str(c[o.value]) for o in (Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE, Outcome.UNKNOWN)),
            "\n".join(notes.get(rule_id, ())),
        )
    console.print(outcomes)
    table = Table(title="Reports")
    for column in ("report", "period", "records", "excluded", "files", "ledger"):
        table.add_column(column)
    for row in summary["reports"]:
        table.add_row(
            *(
                "-" if row[k] is None else str(row[k])
                for k in ("report", "period", "records", "excluded", "files", "ledger")
            )
        )
    console.print(table)
    saved = summary["cases_stored"]
    console.print(
        f"Cases stored: {saved['new']} new, {saved['updated']} updated (a new fetch is a new "
        f"version), {saved['unchanged']} unchanged. Audit events in the store: "
        f"{summary['audit_events']}. Ledger entries: {summary['ledger_entries']}."
    )
