#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for the store's PostgreSQL tests: initdb in a
# temporary folder (as the `postgres` user when run as root: the server refuses to run as root),
# a free port on 127.0.0.1, a database `deadzone_test` with PostGIS, trust authentication on the
# loopback only.
#
#   eval "$(tools/pg_test_cluster.sh start)"   # exports DEADZONE_TEST_PG_URI and DEADZONE_TEST_PG_DIR
#   ctest --test-dir build ...                  # the pg tests read DEADZONE_TEST_PG_URI
#   tools/pg_test_cluster.sh restart            # (used by a test) fast restart, same port
#   tools/pg_test_cluster.sh env                # prints the export lines again
#   tools/pg_test_cluster.sh stop               # stops the server and deletes the folder
#
# restart/env/stop find the cluster through $DEADZONE_TEST_PG_DIR (or a folder given after the verb).
set -euo pipefail

die() { echo "pg_test_cluster: $*" >&2; exit 1; }

pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$bin" && -x "$bin/initdb" ]] || die "no PostgreSQL server installed (Debian: apt-get install postgresql-15 postgresql-15-postgis-3)"
    echo "$bin"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    local port tries=0
    while (( tries++ < 200 )); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "no free port found on 127.0.0.1"
}

cluster_dir() {
    local dir="${1:-${DEADZONE_TEST_PG_DIR:-}}"
    [[ -n "$dir" && -f "$dir/env" ]] || die "no cluster: set DEADZONE_TEST_PG_DIR or give its folder (from 'start')"
    echo "$dir"
}

start() {
    local bin dir port uri
    bin=$(pg_bin)
    ls "$(dirname "$bin")"/../../../share/postgresql/*/extension/postgis.control >/dev/null 2>&1 ||
        die "PostGIS is not installed (Debian: apt-get install postgresql-15-postgis-3)"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/deadzone-pg.XXXXXX")
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    port=$(free_port)
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    # Only the loopback, a socket in the folder; fsync stays on (the restart test relies on it).
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=60" start >/dev/null ||
        { cat "$dir/server.log" >&2; die "the server did not start"; }
    "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE deadzone_test" >/dev/null
    "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d deadzone_test -v ON_ERROR_STOP=1 \
        -c "CREATE EXTENSION postgis" >/dev/null
    uri="postgresql://postgres@127.0.0.1:$port/deadzone_test"
    {
        echo "export DEADZONE_TEST_PG_URI='$uri'"
        echo "export DEADZONE_TEST_PG_DIR='$dir'"
    } >"$dir/env"
    cat "$dir/env"
    echo "pg_test_cluster: PostgreSQL running at $uri (folder $dir)" >&2
}

restart() {
    local dir
    dir=$(cluster_dir "${1:-}")
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast restart >/dev/null
}

stop() {
    local dir
    dir=$(cluster_dir "${1:-}")
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null 2>&1 || true
    rm -rf -- "$dir"
    echo "pg_test_cluster: stopped and removed $dir" >&2
}

case "${1:-}" in
start) start ;;
restart) restart "${2:-}" ;;
stop) stop "${2:-}" ;;
env) cat "$(cluster_dir "${2:-}")/env" ;;
*) die "usage: $0 start|restart|env|stop [folder]" ;;
esac
