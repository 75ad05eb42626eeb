#!/usr/bin/env bash
# Where the PostgreSQL capture overhead goes (issue 4): pgbench's TPC-B script against the same database with hand-made
# variants of repl's capture triggers on all four tables, alternating, and each variant's TPS as a ratio of the plain
# run of the same round. Variants:
#   plain     no triggers
#   empty     AFTER row triggers whose plpgsql body is RETURN NULL (the cost of firing a trigger)
#   capture   the body repl generates: INSERT of the key into an unindexed log + the NOTIFY gate (sql/triggers/postgresql/capture.sql)
#   before    the same body in BEFORE row triggers
#   invoker   capture without SECURITY DEFINER
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

install() {
    local variant=$1 sql="DROP SCHEMA floor CASCADE; CREATE SCHEMA floor;"
    [ "$variant" = plain ] && { "${psql[@]}" -d "$db" -c "SET client_min_messages = warning; $sql" -c CHECKPOINT; return; }
    for pair in accounts:aid branches:bid tellers:tid history:hid; do
        local t=${pair%%:*} k=${pair##*:} timing=AFTER definer="SECURITY DEFINER" new old
        local gate="IF pg_catalog.pg_try_advisory_xact_lock(1919251564, 0) THEN PERFORM pg_catalog.pg_notify('floor', ''); END IF;"
        new="INSERT INTO floor.log_$t ($k) VALUES (NEW.$k); $gate RETURN NULL;"
        old="INSERT INTO floor.log_$t ($k) VALUES (OLD.$k); $gate RETURN NULL;"
        case $variant in
            empty) new="RETURN NULL;"; old="RETURN NULL;" ;;
            before) timing=BEFORE; new="INSERT INTO floor.log_$t ($k) VALUES (NEW.$k); $gate RETURN NEW;"
                    old="INSERT INTO floor.log_$t ($k) VALUES (OLD.$k); $gate RETURN OLD;" ;;
            invoker) definer="" ;;
        esac
        sql+=" CREATE TABLE floor.log_$t (txid xid8 NOT NULL DEFAULT pg_current_xact_id(), $k bigint,
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

echo "capture floor: pgbench TPC-B scale 10, 4 clients, ${seconds} s per run, $rounds round(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
    plain=""
    for variant in plain empty capture before invoker; do
        install "$variant"
        tps=$("$bin/pgbench" -n -c 4 -j 2 -T "$seconds" "$db" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
        [ "$variant" = plain ] && plain=$tps
        printf 'round %s %-8s %8.0f tps  ratio to plain %.2f  load %s\n' "$r" "$variant" "$tps" "$(awk -v a="$tps" -v b="$plain" 'BEGIN { print a / b }')" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
install plain
"${psql[@]}" -d postgres -c "DROP DATABASE $db"
