#!/usr/bin/env bash
# Private PostgreSQL 15 and MariaDB servers for repl's tests and demo, on 127.0.0.1 only.
#
#   eng/servers.sh up     install what is missing, start both servers (idempotent)
#   eng/servers.sh down   stop the servers this script started (by their pid files)
#   eng/servers.sh env    print `export` lines with the connection strings tests read
#   eng/servers.sh status say which servers are running
#   eng/servers.sh down-pg|up-pg|down-mysql|up-mysql  stop or start one server only (fault tests; same data folder)
#
# Data lives in $REPL_SERVERS_DIR (default: .servers/ in the repository, git-ignored). Ports come from
# REPL_PG_PORT (default 55432) and REPL_MYSQL_PORT (default 53306) so they do not clash with system servers.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
pg_port=${REPL_PG_PORT:-55432}
my_port=${REPL_MYSQL_PORT:-53306}
pg_bin=${REPL_PG_BIN:-/usr/lib/postgresql/15/bin}
# The MariaDB test account; a test password, not a secret, and never printed by repl.
my_user=repl
my_password=repl-test-pw

servers_dir() {
    local dir=${REPL_SERVERS_DIR:-$repo/.servers}
    mkdir -p "$dir"
    # initdb refuses root, so the postgres user must reach the folder; fall back to /tmp when it cannot.
    if ! su postgres -s /bin/sh -c "test -w '$dir' || test -x '$dir'" 2>/dev/null; then
        chmod 0755 "$dir" 2>/dev/null || true
    fi
    if ! su postgres -s /bin/sh -c "cd '$dir'" 2>/dev/null; then
        dir=/tmp/repl-servers-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)
        mkdir -p "$dir"
    fi
    printf '%s' "$dir"
}

log() { printf 'servers: %s\n' "$*" >&2; }

ensure_packages() {
    if [ ! -x "$pg_bin/postgres" ]; then
        log "installing postgresql-15"
        apt_install postgresql-15 postgresql-client-15
    fi
    if ! command -v mariadbd >/dev/null 2>&1 || ! command -v mariadb >/dev/null 2>&1; then
        log "installing mariadb-server (not present on this machine)"
        apt_install mariadb-server mariadb-client
    fi
}

# repl's optional C capture trigger (ext/postgresql): built and installed into the server's library and extension
# folders, so tests can CREATE EXTENSION repl_capture. Needs root (the folders are the system's) and the server's
# development files. Optional, so never fatal: without it the demo runs with PL/pgSQL triggers and the tests that need
# it skip (or, under CI=true, fail saying why).
ensure_capture_extension() {
    local pg_config=${pg_bin%/bin}/bin/pg_config build_log=$repo/ext/postgresql/build.log
    if [ "$(id -u)" != 0 ]; then
        [ -f "$("$pg_config" --pkglibdir 2>/dev/null)/repl_capture.so" ] || log "not root: repl_capture extension not installed (make -C ext/postgresql install as root)"
        return 0
    fi
    if [ ! -f "/usr/include/postgresql/15/server/postgres.h" ]; then
        log "installing postgresql-server-dev-15 (to build ext/postgresql)"
        ( apt_install postgresql-server-dev-15 ) || { log "could not install postgresql-server-dev-15: repl_capture extension not built"; return 0; }
    fi
    # make rebuilds only when the source changed; install copies the library, control and script files.
    make -s -C "$repo/ext/postgresql" PG_CONFIG="$pg_config" install >"$build_log" 2>&1 \
        || log "building ext/postgresql failed (see $build_log): repl_capture extension not installed"
}

apt_updated=
apt_install() {
    if [ "$(id -u)" != 0 ]; then
        log "need root to apt-get install $*; install them and run again"; exit 2
    fi
    if [ -z "$apt_updated" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2; apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

pg_up() {
    local dir=$1/pg
    if [ -f "$dir/data/postmaster.pid" ] && su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$dir/data' status" >/dev/null 2>&1; then
        log "postgresql already running on port $pg_port"; return
    fi
    mkdir -p "$dir"; chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        log "initdb $dir/data"
        su postgres -s /bin/sh -c "$pg_bin/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 2; }
        cat >>"$dir/data/postgresql.conf" <<CONF
# repl test server: small machine, many short-lived test databases
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_locks_per_transaction = 256
CONF
    fi
    rm -f "$dir/data/postmaster.pid"
    su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$dir/data' -l '$dir/server.log' -w -t 60 \
        -o \"-p $pg_port -k '$dir' -c listen_addresses=127.0.0.1\" start" >/dev/null \
        || { tail -20 "$dir/server.log" >&2; exit 2; }
    log "postgresql started on 127.0.0.1:$pg_port"
}

pg_down() {
    local dir=$1/pg
    [ -f "$dir/data/postmaster.pid" ] || return 0
    su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    log "postgresql stopped"
}

my_cnf() {
    local dir=$1/mariadb
    cat >"$dir/my.cnf" <<CNF
[mariadbd]
datadir=$dir/data
socket=$dir/mariadb.sock
pid-file=$dir/mariadb.pid
log-error=$dir/server.log
port=$my_port
bind-address=127.0.0.1
user=mysql
local-infile=1
skip-name-resolve
innodb_buffer_pool_size=256M
innodb_flush_log_at_trx_commit=2
max_connections=300
character-set-server=utf8mb4
collation-server=utf8mb4_bin
[client]
socket=$dir/mariadb.sock
CNF
}

my_ping() { mariadb-admin --defaults-file="$1/mariadb/my.cnf" -uroot ping >/dev/null 2>&1; }

my_up() {
    local dir=$1/mariadb
    mkdir -p "$dir"; chown mysql: "$dir"
    my_cnf "$1"
    if my_ping "$1"; then log "mariadb already running on port $my_port"; return; fi
    if [ ! -d "$dir/data/mysql" ]; then
        log "mariadb-install-db $dir/data"
        mariadb-install-db --defaults-file="$dir/my.cnf" --user=mysql --auth-root-authentication-method=normal \
            --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 2; }
    fi
    rm -f "$dir/mariadb.pid"
    nohup mariadbd --defaults-file="$dir/my.cnf" >/dev/null 2>&1 &
    for _ in $(seq 1 120); do
        my_ping "$1" && break
        sleep 0.5
    done
    my_ping "$1" || { tail -20 "$dir/server.log" >&2; exit 2; }
    mariadb --defaults-file="$dir/my.cnf" -uroot <<SQL
CREATE USER IF NOT EXISTS '$my_user'@'%' IDENTIFIED BY '$my_password';
GRANT ALL PRIVILEGES ON *.* TO '$my_user'@'%' WITH GRANT OPTION;
SQL
    log "mariadb started on 127.0.0.1:$my_port"
}

my_down() {
    local dir=$1/mariadb pid
    [ -f "$dir/mariadb.pid" ] || return 0
    pid=$(cat "$dir/mariadb.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    rm -f "$dir/mariadb.pid"
    log "mariadb stopped"
}

print_env() {
    cat <<ENV
export REPL_TEST_PG='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'
export REPL_TEST_MYSQL='Server=127.0.0.1;Port=$my_port;User ID=$my_user;Password=$my_password;AllowLoadLocalInfile=true;AllowUserVariables=true'
export REPL_TEST_PG_BIN='$pg_bin'
export REPL_TEST_SERVERS_DIR='$(servers_dir)'
ENV
}

cmd=${1:-}
case "$cmd" in
    up) ensure_packages; ensure_capture_extension; dir=$(servers_dir); pg_up "$dir"; my_up "$dir" ;;
    down) dir=$(servers_dir); my_down "$dir"; pg_down "$dir" ;;
    env) print_env ;;
    up-pg) dir=$(servers_dir); pg_up "$dir" ;;
    down-pg) dir=$(servers_dir); pg_down "$dir" ;;
    up-mysql) dir=$(servers_dir); my_up "$dir" ;;
    down-mysql) dir=$(servers_dir); my_down "$dir" ;;
    status)
        dir=$(servers_dir)
        if su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$dir/pg/data' status" >/dev/null 2>&1; then echo "postgresql: up ($pg_port)"; else echo "postgresql: down"; fi
        if [ -f "$dir/mariadb/my.cnf" ] && my_ping "$dir"; then echo "mariadb: up ($my_port)"; else echo "mariadb: down"; fi ;;
    *) echo "usage: eng/servers.sh up|down|env|status|up-pg|down-pg|up-mysql|down-mysql" >&2; exit 2 ;;
esac
