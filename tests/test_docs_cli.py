"""The command-line reference (docs/reference/cli.md) covers every command and option.

The ``ssbx`` parser is the truth: for every command it registers, the reference must
have a section headed ``### `ssbx <command>` `` that names each of the command's options
(``--on``, ``--format``, ...). A command or option added without documentation fails
here, listing everything that is missing at once.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ssbx_model.cli import build_parser

CLI_MD = Path(__file__).resolve().parent.parent / "docs" / "reference" / "cli.md"


def commands() -> dict[str, argparse.ArgumentParser]:
    """Every ``ssbx`` command with its parser."""
    parser = build_parser()
    for action in parser._actions:  # argparse offers no public way to list subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the ssbx parser has no commands")


def options(parser: argparse.ArgumentParser) -> list[str]:
    """The long option strings of a command, without ``--help``."""
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        found.extend(s for s in action.option_strings if s.startswith("--"))
    return found


def sections(text: str) -> dict[str, str]:
    """The ``### `ssbx <command>` `` sections of the reference, by command."""
    found: dict[str, str] = {}
    heading = re.compile(r"^### `ssbx (?P<name>[\w-]+)`\s*$", re.MULTILINE)
    matches = list(heading.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        rest = text[match.end() : end]
        next_chapter = re.search(r"^## ", rest, re.MULTILINE)
        found[match["name"]] = rest[: next_chapter.start()] if next_chapter else rest
    return found


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    documented = sections(CLI_MD.read_text(encoding="utf-8"))
    missing: list[str] = []
    for name, parser in commands().items():
        section = documented.get(name)
        if section is None:
            missing.append(f"ssbx {name}: no section '### `ssbx {name}`'")
            continue
        missing.extend(
            f"ssbx {name} {option}: not named in its section"
            for option in options(parser)
            if not re.search(rf"{re.escape(option)}(?![\w-])", section)
        )
    assert not missing, f"{CLI_MD.name} is missing:\n  " + "\n  ".join(missing)


def test_the_reference_documents_no_command_that_does_not_exist() -> None:
    documented = set(sections(CLI_MD.read_text(encoding="utf-8")))
    assert documented <= set(commands()), documented - set(commands())


def test_the_exit_codes_are_documented() -> None:
    text = CLI_MD.read_text(encoding="utf-8")
    assert "## Exit codes" in text
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in text
