#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: a temporary data directory, loopback only.
#
#   eval "$(.ci/postgres.sh start)"   # prints the exports the tests read
#   .ci/postgres.sh restart           # (used by a test) restart the same server
#   .ci/postgres.sh stop              # stop it and delete the data directory
#
# start/restart/stop find the server through $SKILLTWIN_TEST_POSTGRES_DIR. The server refuses
# to run as root, so as root it runs as the 'postgres' user the Debian package creates.
set -euo pipefail

bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
    local found
    found=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    found=${found%/initdb}
    if [[ -z "$found" ]]; then
        echo "postgres.sh: no PostgreSQL server found; apt-get install -y postgresql" >&2
        exit 1
    fi
    echo "$found"
}

as_server_user() {
    if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bin dir port
    bin=$(bindir)
    dir=$(mktemp -d /tmp/skilltwin-pg.XXXXXX)
    chmod 755 "$dir"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi
    port=${SKILLTWIN_TEST_POSTGRES_PORT:-$(free_port)}
    as_server_user "$bin/initdb" -D "$dir/data" -U skilltwin --auth=trust -E UTF8 \
        --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir/port"; fi
    run_server "$bin" "$dir" start
    as_server_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U skilltwin skilltwin_test
    echo "export SKILLTWIN_TEST_POSTGRES_DIR=$dir"
    echo "export SKILLTWIN_TEST_POSTGRES_URL=postgresql+psycopg://skilltwin@127.0.0.1:$port/skilltwin_test"
}

run_server() {  # bin dir start|restart
    local port
    port=$(cat "$2/port")
    as_server_user "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $2 -c max_connections=100 -c fsync=on" \
        "$3" >/dev/null || { cat "$2/server.log" >&2; exit 1; }
}

stop() {
    local dir=${SKILLTWIN_TEST_POSTGRES_DIR:?set by postgres.sh start}
    if [[ -d "$dir/data" ]]; then
        as_server_user "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    restart) run_server "$(bindir)" "${SKILLTWIN_TEST_POSTGRES_DIR:?set by postgres.sh start}" restart ;;
    stop) stop ;;
    *) echo "usage: $0 start|restart|stop" >&2; exit 2 ;;
esac
