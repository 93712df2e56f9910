#!/usr/bin/env bash
# Runs pytest once for the core's tests and once per adapter's tests.
#
# Separate runs keep each distribution's conftest.py and helper modules apart (several
# adapters have a tests/conftest.py; one pytest process would import them under one
# name). Every run goes ahead even when an earlier one fails, so one report shows every
# failure; the exit code is non-zero when any run failed or collected no tests.
set -uo pipefail
python="${PYTHON:-.venv/bin/python}"
status=0
for dir in tests adapters/*/tests; do
  [[ -d "$dir" ]] || continue
  echo "== pytest $dir"
  "$python" -m pytest "$dir" "$@"
  code=$?
  if [[ $code -ne 0 ]]; then
    echo "== pytest $dir failed (exit $code)"
    status=1
  fi
done
exit $status
