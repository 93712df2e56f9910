#!/bin/sh
# The declared range of the codec's dependencies, tested: the codec and model tests run
# against the OLDEST attrs, cattrs and msgspec that pyproject.toml allows (each pinned to
# its lower bound, read from pyproject.toml), then against the NEWEST ones, each time in a
# throw-away virtual environment. `make compat` runs it; `make test` depends on it.
#
# Needs a Python 3.11+ that can create a venv (PYTHON, as the Makefile picks it) and a
# package index (PyPI) for the versions not in pip's cache. The pip cache is shared
# between runs, so a second run downloads nothing. Set SSBX_COMPAT_TESTS to run other
# tests, SSBX_COMPAT_KEEP=1 to keep the environments (their paths are printed).
set -eu

PYTHON=${PYTHON:-python3}
root=$(cd "$(dirname "$0")/.." && pwd)
# The codec and model tests that touch attrs, cattrs and msgspec; the fuzz-like, memory
# and schema-validator tests run once, in `make pytest`.
tests=${SSBX_COMPAT_TESTS:-"tests/test_codec_json.py tests/test_codec_xml.py
  tests/test_codec_converter.py tests/test_codec_streaming.py tests/test_codec_encodings.py
  tests/test_codec_empty_input.py tests/test_codec_all_problems.py
  tests/test_codec_public_construction.py tests/test_codec_differential.py
  tests/test_information.py tests/test_case.py tests/test_identity.py tests/test_calendar.py"}
work=$(mktemp -d "${TMPDIR:-/tmp}/ssbx-compat.XXXXXX")
if [ "${SSBX_COMPAT_KEEP:-0}" != 1 ]; then
  trap 'rm -rf "$work"' EXIT
fi

# pyproject.toml is the one place the range is written: the lower bounds of the ranged
# dependencies become '==' pins, and the test tools come from the dev extra as declared.
"$PYTHON" - "$root/pyproject.toml" "$work" <<'PY'
import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["project"]
out = Path(sys.argv[2])
ranged = ("attrs", "cattrs", "msgspec")
pins = {}
for requirement in project["dependencies"]:
    found = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*", requirement)
    if found and found[1].lower() in ranged:
        pins[found[1].lower()] = found[2]
missing = [name for name in ranged if name not in pins]
if missing:
    sys.exit(f"dependency-range: no '>=' lower bound for {', '.join(missing)} in pyproject.toml")
(out / "oldest.txt").write_text("".join(f"{n}=={v}\n" for n, v in pins.items()))
tools = ("pytest", "pytest-asyncio", "hypothesis", "xmlschema", "jsonschema")
dev = [r for r in project["optional-dependencies"]["dev"]
       if re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower() in tools]
(out / "tools.txt").write_text("".join(f"{r}\n" for r in dev))
PY

run() {
  label=$1
  shift
  venv="$work/$label"
  echo "dependency-range: $label ($*)"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "$@" "$root" -r "$work/tools.txt"
  "$venv/bin/python" - <<'PY'
from importlib.metadata import version
print("dependency-range:", ", ".join(f"{n} {version(n)}" for n in ("attrs", "cattrs", "msgspec")))
PY
  # From the repository root (the tests import their helpers from tests/), against the
  # installed package: src/ is not on the path.
  (cd "$root" && HYPOTHESIS_PROFILE=dev SSBX_DIFFERENTIAL_EXAMPLES=25 \
    "$venv/bin/python" -m pytest -x -q \
    -p no:cacheprovider $tests)
}

run oldest --constraint "$work/oldest.txt"
run newest --upgrade --upgrade-strategy eager
echo "dependency-range: the declared range works at both ends"
