#!/usr/bin/env bash
# Runs pytest once for the core's tests and once per adapter's tests.
#
# Separate runs keep each distribution's conftest.py and helper modules apart (several
# adapters have a tests/conftest.py; one pytest process would import them under one
# name). Every run goes ahead even when an earlier one fails, so one report shows every
# failure; the exit code is non-zero when any run failed or collected no tests.
#
# The core's tests run in parallel (pytest-xdist): one worker per CPU, at most four, each
# test file kept whole on one worker (module fixtures run once). SSBX_TEST_WORKERS sets the
# number of workers (0: in this process, as before). The adapters' tests run in one
# process: some share a PostgreSQL database and a port.
set -uo pipefail
python="${PYTHON:-.venv/bin/python}"
workers="${SSBX_TEST_WORKERS:-auto}"
status=0
for dir in tests adapters/*/tests; do
  [[ -d "$dir" ]] || continue
  parallel=()
  if [[ "$dir" == tests ]]; then
    parallel=(--numprocesses "$workers" --dist loadfile)
    if [[ "$workers" == auto ]]; then
      parallel+=(--maxprocesses 4)  # caps "auto" only: an explicit number is taken as is
    fi
  fi
  echo "== pytest $dir"
  # ${a[@]+"${a[@]}"}: an empty array under `set -u` on bash before 4.4 too.
  "$python" -m pytest "$dir" ${parallel[@]+"${parallel[@]}"} "$@"
  code=$?
  if [[ $code -ne 0 ]]; then
    echo "== pytest $dir failed (exit $code)"
    status=1
  fi
done
exit $status
