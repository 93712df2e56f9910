"""``ssbx synth``: write a synthetic municipality (fictitious test data) to a directory."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ssbx_model import codec
from ssbx_model.cli._common import add_on_option, reference_date
from ssbx_model.cli._progress import Progress, plural
from ssbx_model.synth import generate

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``synth`` command."""
    parser = sub.add_parser(
        "synth",
        help="write a synthetic municipality (fictitious cases) to a directory",
        description=(
            "Generate fictitious people of one municipality, shaped like the seeds (a KAA "
            "register, young people in category 15, adults on social assistance with AF "
            "programs), and write them as cases.xml and cases.jsonl, with the INUK "
            "activity-name mapping and a summary. Identity numbers use birth numbers "
            "980-999 (Skatteverket's test range). Deterministic for the same arguments."
        ),
    )
    parser.add_argument("--persons", type=int, required=True, help="how many people")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write")
    parser.add_argument("--municipality", default="1287", help="municipality code (1287)")
    parser.add_argument(
        "--format",
        choices=("json", "table"),
        default="table",
        help="summary format on standard output (table)",
    )
    add_on_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate and write; print a summary."""
    if args.persons < 0:
        print("ssbx synth: --persons must not be negative")
        return 2
    on = reference_date(args)
    out: Path = args.out
    # Two files of every person: the bar counts cases written.
    with Progress("synth", total=2 * args.persons, label="cases written") as progress:
        town = generate(persons=args.persons, seed=args.seed, on=on, municipality=args.municipality)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("cases.xml", "cases.jsonl"):
            codec.dump_path(progress.counting(town.cases), out / name)
    lines = ["[mapping]", f'municipality = "{args.municipality}"', "", "[activities]"]
    lines += [f'"{name}" = "{code}"' for name, code in sorted(town.inuk_mapping.items())]
    (out / "inuk-mapping.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = {
        "municipality": args.municipality,
        "on": on.isoformat(),
        "seed": args.seed,
        "persons": len(town.cases),
        "profiles": town.profiles,
        "files": ["cases.xml", "cases.jsonl", "inuk-mapping.toml"],
    }
    # TOML, not JSON: the directory is also a data directory for `ssbx-stub serve --data`,
    # which reads every .xml and .json file in it as a case document.
    profile_lines = [f'"{name}" = {count}' for name, count in town.profiles.items()]
    (out / "summary.toml").write_text(
        f'municipality = "{args.municipality}"\non = {on.isoformat()}\nseed = {args.seed}\n'
        f"persons = {len(town.cases)}\n\n[profiles]\n" + "\n".join(profile_lines) + "\n",
        encoding="utf-8",
    )
    if args.format == "json":
        print(json.dumps(summary))
    else:
        profiles = ", ".join(f"{n} {k}" for k, n in town.profiles.items())
        print(f"{len(town.cases)} fictitious people ({profiles}) as of {on} written to {out}/")
    progress.summary(f"{plural(len(town.cases), 'case')} written to {out}/ (.xml and .jsonl)")
    return 0
