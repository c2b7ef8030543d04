#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for Haul's tests and benchmarks: `start DIR PORT` makes one
# in DIR (if absent) listening on 127.0.0.1:PORT and prints the URL its superuser connects with;
# `stop DIR` stops it. Password authentication over TCP (scram-sha-256), so the tests exercise
# the password handling a real unit's server needs. The server refuses to run as root: as root,
# the cluster is made and run as the `postgres` user that Debian's package creates.
set -euo pipefail
command="${1:-}"; dir="${2:-}"; port="${3:-54329}"
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 64; }
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "pg-test-cluster: PostgreSQL's server is not installed (Debian: apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
password="haul-test-superuser"
case "$command" in
start)
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres: "$dir"
        pwfile="$(mktemp)"; echo "$password" > "$pwfile"; chmod 644 "$pwfile"
        as_owner "$bin/initdb" -D "$dir" -U haul_admin --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c max_connections=60" start >/dev/null
    fi
    echo "postgres://haul_admin:$password@127.0.0.1:$port/postgres?sslmode=disable"
    ;;
stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null
    ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 64 ;;
esac
