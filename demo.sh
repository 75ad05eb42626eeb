#!/usr/bin/env bash
# The README's demo command: the news site of the book (examples/news-site) replicated from a PostgreSQL master
# (./demo.sh mariadb: a MariaDB master) to a PostgreSQL, a MariaDB and a SQLite slave, while a load generator writes.
#
# Steps: build repl and the load generator (when sources changed), start the private servers (only when they are
# not already running), create the master and empty slave databases afresh, seed the master, `repl init`, then the
# load generator together with one `repl replay` service per node, `repl snapshot AdminUsers`, one last
# `repl replay --once` per node, and finally `repl status` and `repl verify` (or, while those verbs are not built, the
# load generator's own row-by-row comparison). Details of every step are in .demo/*.log. Stops everything it started,
# also on failure or Ctrl-C. Never prints a password.
#
#   ./demo.sh [postgresql|mariadb]      DEMO_SECONDS=20 DEMO_TRANSACTIONS=4000 bound the load
set -euo pipefail
cd "$(dirname "$0")"
repo=$(pwd)

master_kind=${1:-postgresql}
case "$master_kind" in
    postgresql) config=examples/news-site/repl.json; schema=examples/news-site/master-postgresql.sql ;;
    mariadb | mysql) master_kind=mariadb; config=examples/news-site/repl.mariadb-master.json; schema=examples/news-site/master-mariadb.sql ;;
    *) echo "usage: ./demo.sh [postgresql|mariadb]" >&2; exit 2 ;;
esac
seconds=${DEMO_SECONDS:-20}
transactions=${DEMO_TRANSACTIONS:-4000}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work=$repo/.demo
mkdir -p "$work"
rm -f "$work"/*.log
started_servers=
service_pids=()
clock_start=$(date +%s)

say() { printf '%-9s %s\n' "$1" "$2"; }
elapsed() { echo $(($(date +%s) - clock_start)); }

# The terminal, kept on fds 3 and 4: a signal's trap runs inside whatever redirection the interrupted step had.
exec 3>&1 4>&2
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    exec 1>&3 2>&4
    for pid in "${service_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${service_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "$started_servers" ]; then
        bash eng/servers.sh down 2>>"$work/servers.log" || true
        say servers "stopped (this demo started them)"
    fi
    if [ "$status" -ne 0 ]; then say failed "exit $status after $(elapsed) s; see $work/*.log"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a step quietly into its log; on failure shows the end of the log and stops the demo.
run() {
    local log=$work/$1.log; shift
    if ! "$@" >"$log" 2>&1; then
        echo "--- $log (last lines)" >&2
        tail -20 "$log" >&2
        return 2
    fi
}

# 1. Build once, then run the built dlls: repeated `dotnet run` would cost seconds per call.
repl_dll=src/Replicator/bin/Release/net10.0/repl.dll
load_dll=examples/news-site/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll
stale() {
    local dll=$1; shift
    [ ! -f "$dll" ] || [ -n "$(find "$@" -newer "$dll" -type f ! -path '*/bin/*' ! -path '*/obj/*' -print -quit)" ]
}
if stale "$load_dll" examples/news-site/LoadGenerator src/Schema Directory.Build.props Directory.Packages.props; then
    say build "dotnet build -c Release: the load generator"
    run build-load dotnet build examples/news-site/LoadGenerator -c Release --nologo
fi
if stale "$repl_dll" src sql Directory.Build.props Directory.Packages.props; then
    say build "dotnet build -c Release: repl"
    run build-repl dotnet build src/Replicator -c Release --nologo
fi
repl() { dotnet "$repo/$repl_dll" "$@" --config "$repo/$config"; }
load() { dotnet "$repo/$load_dll" --config "$repo/$config" "$@"; }

# 2. The private servers: leave running ones alone (tests or another checkout may use them), stop only ours.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_port=${REPL_PG_PORT:-55432}
my_port=${REPL_MYSQL_PORT:-53306}
if port_open "$pg_port" && port_open "$my_port"; then
    say servers "PostgreSQL on 127.0.0.1:$pg_port and MariaDB on 127.0.0.1:$my_port already running; leaving them running"
else
    say servers "starting private PostgreSQL and MariaDB (eng/servers.sh up)"
    started_servers=1
    run servers bash eng/servers.sh up
fi
eval "$(bash eng/servers.sh env)"

# 3. Fresh databases. Connection strings reach repl and the load generator through REPL_ environment overrides of
# the example config, as in production: the MariaDB password is never in a file or on a command line.
my_password=$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$REPL_TEST_MYSQL")
pg_sql() { psql "host=127.0.0.1 port=$pg_port user=postgres dbname=$1" -v ON_ERROR_STOP=1 -q -X; }
my_sql() { MYSQL_PWD=$my_password mariadb -h127.0.0.1 -P"$my_port" -urepl "$@"; }
pg_cs() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"; }
my_cs() { echo "Server=127.0.0.1;Port=$my_port;User ID=repl;Password=$my_password;Database=$1"; }

{
    for db in news_pg1 $([ "$master_kind" = postgresql ] && echo news_master); do
        echo "DROP DATABASE IF EXISTS $db WITH (FORCE); CREATE DATABASE $db;" | pg_sql postgres
    done
    for db in news_maria $([ "$master_kind" = mariadb ] && echo news_master); do
        my_sql -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    done
    rm -f "$work"/news_local.db*
    if [ "$master_kind" = postgresql ]; then pg_sql news_master <"$schema"; else my_sql news_master <"$schema"; fi
} >"$work/databases.log" 2>&1 || { tail -20 "$work/databases.log" >&2; exit 2; }
if [ "$master_kind" = postgresql ]; then export REPL_master__connectionString; REPL_master__connectionString=$(pg_cs news_master)
else export REPL_master__connectionString; REPL_master__connectionString=$(my_cs news_master); fi
export REPL_nodes__pg1__connectionString REPL_nodes__maria__connectionString REPL_nodes__local__connectionString
REPL_nodes__pg1__connectionString=$(pg_cs news_pg1)
REPL_nodes__maria__connectionString=$(my_cs news_maria)
REPL_nodes__local__connectionString="Data Source=$work/news_local.db"
say master "$master_kind database news_master with $schema; slaves: PostgreSQL news_pg1, MariaDB news_maria, SQLite .demo/news_local.db"

# 4. A starting site, then repl init: capture on the master, slave tables and apply routines, initial copy.
run seed load --seed
say seed "$(tail -1 "$work/seed.log" | sed 's/^load: //')"
t=$(date +%s)
run init repl init
say init "master instrumented, 3 slaves created and loaded in $(($(date +%s) - t)) s ($work/init.log)"

# 5. Site traffic on the master while one replay service per node applies it (as systemd would run them).
# Started as direct children (not through a shell function) so that $! is the service itself and SIGTERM reaches it.
for node in pg1 maria local; do
    dotnet "$repo/$repl_dll" replay --node "$node" --config "$repo/$config" >"$work/replay-$node.log" 2>&1 &
    service_pids+=($!)
done
say replay "services started for pg1, maria, local (logs: $work/replay-*.log)"
run load load --seconds "$seconds" --transactions "$transactions"
say load "$(tail -1 "$work/load.log" | sed 's/^load: //')"

# 6. The cron job's snapshot of the small table, then stop the services (SIGTERM: each finishes its cycle).
run snapshot repl snapshot AdminUsers
while read -r line; do say snapshot "$line"; done <"$work/snapshot.log"
for pid in "${service_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${service_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
service_pids=()
for node in pg1 maria local; do
    applied=$(sed -n 's/.*node [a-z0-9]*: applied \([0-9]*\) transaction.*/\1/p' "$work/replay-$node.log" | awk '{ t += $1; n++ } END { printf "%d transactions in %d cycles", t, n }')
    failures=$(grep -c "cycle failed" "$work/replay-$node.log" || true)
    say replay "service $node applied $applied while the load ran ($failures failed cycles), stopped by SIGTERM"
done

# 7. One last cycle per node: everything committed on the master before it started is applied.
for node in pg1 maria local; do
    run "once-$node" repl replay --node "$node" --once
    say once "$(tail -1 "$work/once-$node.log")"
done

# 8. Status and verification by repl's own verbs.
set +e; repl status >"$work/status.log" 2>&1; status_exit=$?; set -e
sed 's/^/status    /' "$work/status.log"
say status "exit $status_exit"
set +e; repl verify >"$work/verify.log" 2>&1; verified=$?; set -e
sed 's/^/          /' "$work/verify.log"
if [ "$verified" -eq 0 ]; then
    say verify "OK: every slave equals the master ($(elapsed) s in all)"
else
    say verify "FAILED (exit $verified): see above and $work/verify.log"
    exit 1
fi
