#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server on loopback, then stops it.
#
# Installs Debian's postgresql package when the server binaries are missing (CI machines
# may be fresh), creates a cluster in a temporary directory, starts it on a free port and
# exports SSBX_TEST_POSTGRES_URL for the SQL adapter's tests. The server is stopped and the
# directory removed whatever the command's outcome; the command's exit code is kept.
#
# SSBX_POSTGRES=skip runs the command without PostgreSQL (the PostgreSQL tests then fail
# loudly rather than pass unnoticed, unless the caller deselects them with -m "not postgres").
set -euo pipefail

if [[ "${SSBX_POSTGRES:-}" == "skip" ]]; then
  exec "$@"
fi

find_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/initdb" ]]; then echo "$d"; fi
  done | sort -V | tail -n 1
}

bindir="$(find_bindir)"
if [[ -z "$bindir" ]]; then
  echo "with-postgres: installing PostgreSQL from Debian packages" >&2
  if [[ "$(id -u)" -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  bindir="$(find_bindir)"
fi

workdir="$(mktemp -d /tmp/ssbx-pg.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
run_as=()
if [[ "$(id -u)" -eq 0 ]]; then
  # initdb refuses to run as root: use the postgres system user created by the package.
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U ssbx --auth=trust -E UTF8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$workdir -c fsync=off -c max_connections=200" \
  start >/dev/null
"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U ssbx ssbx_test

export SSBX_TEST_POSTGRES_URL="postgresql+psycopg://ssbx@127.0.0.1:$port/ssbx_test"
set +e
"$@"
status=$?
set -e
exit $status
