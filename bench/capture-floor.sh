#!/usr/bin/env bash
# Where the PostgreSQL capture overhead goes (issue 4): pgbench's TPC-B script against the same database with hand-made
# variants of repl's capture triggers on all four tables, alternating, and each variant's TPS as a ratio of the plain
# run of the same round. Variants:
#   plain     no triggers
#   empty     AFTER row triggers whose plpgsql body is RETURN NULL (the cost of firing a trigger)
#   capture   the body repl generates: INSERT of the key into an unindexed log + the NOTIFY gate (sql/triggers/postgresql/capture.sql)
#   before    the same body in BEFORE row triggers
#   invoker   capture without SECURITY DEFINER
#   native_silent  the same without the NOTIFY
#   native    the C trigger function of ext/postgresql (repl_capture), same log and gate; needs the extension installed
# Usage: bash eng/servers.sh up && eval "$(bash eng/servers.sh env)" && bash bench/capture-floor.sh [rounds] [seconds]
set -euo pipefail
rounds=${1:-2}
seconds=${2:-15}
bin=${REPL_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}
cs=${REPL_TEST_PG:?run: eval "\$(bash eng/servers.sh env)"}
field() { tr ';' '\n' <<<"$cs" | sed -n "s/^$1=//Ip" | head -1; }
export PGHOST=$(field Host) PGPORT=$(field Port) PGUSER=$(field Username)
db=bench_capture_floor
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1)

"${psql[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
"$bin/pgbench" -i -s 10 -q -n "$db" >/dev/null 2>&1
"${psql[@]}" -d "$db" -c "ALTER TABLE pgbench_history ADD COLUMN hid bigserial PRIMARY KEY" -c "CREATE SCHEMA floor" -c "VACUUM ANALYZE"
variants=${VARIANTS:-plain empty capture before invoker native}
case " $variants " in *" native"*) "${psql[@]}" -d "$db" -c "CREATE EXTENSION repl_capture" ;; esac

install() {
    local variant=$1 sql="" drop
    # The C variant's triggers name their log in an argument, so dropping the schema does not drop them.
    for drop in accounts branches tellers history; do
        sql+="DROP TRIGGER IF EXISTS floor_i ON pgbench_$drop; DROP TRIGGER IF EXISTS floor_u ON pgbench_$drop;
              DROP TRIGGER IF EXISTS floor_k ON pgbench_$drop; DROP TRIGGER IF EXISTS floor_d ON pgbench_$drop;"
    done
    sql+="DROP SCHEMA floor CASCADE; CREATE SCHEMA floor;"
    [ "$variant" = plain ] && { "${psql[@]}" -d "$db" -c "SET client_min_messages = warning; $sql" -c CHECKPOINT; return; }
    for pair in accounts:aid:int branches:bid:int tellers:tid:int history:hid:bigint; do
        local t=${pair%%:*} k=${pair#*:} type=${pair##*:} timing=AFTER definer="SECURITY DEFINER" new old
        k=${k%%:*}
        local gate="IF pg_catalog.pg_try_advisory_xact_lock(1919251564, 0) THEN PERFORM pg_catalog.pg_notify('floor', ''); END IF;"
        new="INSERT INTO floor.log_$t ($k) VALUES (NEW.$k); $gate RETURN NULL;"
        old="INSERT INTO floor.log_$t ($k) VALUES (OLD.$k); $gate RETURN NULL;"
        case $variant in
            empty) new="RETURN NULL;"; old="RETURN NULL;" ;;
            before) timing=BEFORE; new="INSERT INTO floor.log_$t ($k) VALUES (NEW.$k); $gate RETURN NEW;"
                    old="INSERT INTO floor.log_$t ($k) VALUES (OLD.$k); $gate RETURN OLD;" ;;
            invoker) definer="" ;;
        esac
        if [ "$variant" = native ] || [ "$variant" = native_silent ]; then
            local channel=floor
            [ "$variant" = native_silent ] && channel=""
            sql+=" CREATE TABLE floor.log_$t (txid xid8 NOT NULL DEFAULT pg_current_xact_id(), $k $type,
                     logged_at timestamptz NOT NULL DEFAULT clock_timestamp());
                   CREATE TRIGGER floor_i AFTER INSERT ON pgbench_$t FOR EACH ROW EXECUTE FUNCTION repl_capture('floor.log_$t', 'new', '$channel');
                   CREATE TRIGGER floor_u AFTER UPDATE ON pgbench_$t FOR EACH ROW EXECUTE FUNCTION repl_capture('floor.log_$t', 'new', '$channel');
                   CREATE TRIGGER floor_k AFTER UPDATE ON pgbench_$t FOR EACH ROW WHEN (OLD.$k IS DISTINCT FROM NEW.$k) EXECUTE FUNCTION repl_capture('floor.log_$t', 'old', '$channel');
                   CREATE TRIGGER floor_d AFTER DELETE ON pgbench_$t FOR EACH ROW EXECUTE FUNCTION repl_capture('floor.log_$t', 'old', '$channel');"
            continue
        fi
        sql+=" CREATE TABLE floor.log_$t (txid xid8 NOT NULL DEFAULT pg_current_xact_id(), $k $type,
                 logged_at timestamptz NOT NULL DEFAULT clock_timestamp());
               CREATE FUNCTION floor.new_$t() RETURNS trigger LANGUAGE plpgsql $definer AS \$f\$ BEGIN $new END \$f\$;
               CREATE FUNCTION floor.old_$t() RETURNS trigger LANGUAGE plpgsql $definer AS \$f\$ BEGIN $old END \$f\$;
               CREATE TRIGGER floor_i $timing INSERT ON pgbench_$t FOR EACH ROW EXECUTE FUNCTION floor.new_$t();
               CREATE TRIGGER floor_u $timing UPDATE ON pgbench_$t FOR EACH ROW EXECUTE FUNCTION floor.new_$t();
               CREATE TRIGGER floor_k $timing UPDATE ON pgbench_$t FOR EACH ROW WHEN (OLD.$k IS DISTINCT FROM NEW.$k) EXECUTE FUNCTION floor.old_$t();
               CREATE TRIGGER floor_d $timing DELETE ON pgbench_$t FOR EACH ROW EXECUTE FUNCTION floor.old_$t();"
    done
    "${psql[@]}" -d "$db" -c "SET client_min_messages = warning; $sql" -c CHECKPOINT
}

# CPU time of the whole server (postmaster, its children, and the children it reaped: the benchmark's backends) in clock
# ticks: unlike TPS it hardly moves when other work on the machine comes and goes.
postmaster=$(head -1 "$("${psql[@]}" -d "$db" -Atc "SHOW data_directory")/postmaster.pid")
server_ticks() {
    local total=0 pid f
    for pid in $postmaster $(pgrep -P "$postmaster"); do
        f=($(cut -d')' -f2 "/proc/$pid/stat" 2>/dev/null)) || continue
        [ "${#f[@]}" -gt 14 ] || continue
        total=$((total + f[11] + f[12]))
        [ "$pid" = "$postmaster" ] && total=$((total + f[13] + f[14]))
    done
    echo "$total"
}

echo "capture floor: pgbench TPC-B scale 10, 4 clients, ${seconds} s per run, $rounds round(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
    plain=""
    for variant in $variants; do
        install "$variant"
        ticks=$(server_ticks)
        out=$("$bin/pgbench" -n -c 4 -j 2 -T "$seconds" "$db" 2>/dev/null)
        sleep 1 # until the postmaster has reaped the benchmark's backends: their time then counts in its children's time
        ticks=$(( $(server_ticks) - ticks ))
        tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
        txs=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
        cpu=$(awk -v t="$ticks" -v n="$txs" 'BEGIN { print t * 10000 / n }')
        [ "$variant" = plain ] && { plain=$tps; plain_cpu=$cpu; }
        printf 'round %s %-14s %6.0f tps  ratio to plain %.2f   server CPU %4.0f us/tx  plain/this %.2f   load %s\n' "$r" "$variant" "$tps" \
            "$(awk -v a="$tps" -v b="$plain" 'BEGIN { print a / b }')" "$cpu" "$(awk -v a="$plain_cpu" -v b="$cpu" 'BEGIN { print a / b }')" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
install plain; [ -n "${KEEP:-}" ] && install "$KEEP"
[ -n "${KEEP:-}" ] || "${psql[@]}" -d postgres -c "DROP DATABASE $db"
