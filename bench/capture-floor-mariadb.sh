#!/usr/bin/env bash
# Where the MariaDB capture overhead goes (issue 4): the TPC-B statements of bench capture, run by mariadb-slap (4 clients,
# one statement per round trip) against the same database with hand-made variants of repl's capture triggers on all four
# tables, alternating, each variant's TPS as a ratio of the plain run of the same round. Variants:
#   plain      no triggers
#   empty      the triggers repl generates with a body that only sets a user variable (the cost of firing a trigger)
#   unversioned  the log insert into a plain InnoDB log without indexes (no transaction id: the cost of the insert itself)
#   noindex    the system-versioned log (transaction id = ROW START) without the txid and txid_end indexes
#   capture    what repl installs (sql/triggers/mysql/capture.sql): versioned log with both indexes
# Usage: bash eng/servers.sh up && bash bench/capture-floor-mariadb.sh [rounds] [transactions per run]
# Connects as root through the test server's socket (.servers/mariadb/mariadb.sock, or REPL_TEST_MYSQL_SOCKET).
set -euo pipefail
rounds=${1:-2}
transactions=${2:-20000}
socket=${REPL_TEST_MYSQL_SOCKET:-$(cd "$(dirname "$0")/.." && pwd)/.servers/mariadb/mariadb.sock}
db=bench_capture_floor
mariadb=(mariadb --socket="$socket" -uroot)
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat > "$script" <<'SQL'
SET @aid = FLOOR(1 + RAND() * 1000000), @bid = FLOOR(1 + RAND() * 10), @tid = FLOOR(1 + RAND() * 100), @delta = FLOOR(RAND() * 10001) - 5000;
START TRANSACTION;
UPDATE accounts SET abalance = abalance + @delta WHERE aid = @aid;
SELECT abalance FROM accounts WHERE aid = @aid;
UPDATE tellers SET tbalance = tbalance + @delta WHERE tid = @tid;
UPDATE branches SET bbalance = bbalance + @delta WHERE bid = @bid;
INSERT INTO history (tid, bid, aid, delta, mtime) VALUES (@tid, @bid, @aid, @delta, CURRENT_TIMESTAMP(6));
COMMIT;
SQL

"${mariadb[@]}" -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db; USE $db;
CREATE TABLE branches (bid INT PRIMARY KEY, bbalance INT NOT NULL, filler CHAR(88)) ENGINE=InnoDB;
CREATE TABLE tellers (tid INT PRIMARY KEY, bid INT NOT NULL, tbalance INT NOT NULL, filler CHAR(84)) ENGINE=InnoDB;
CREATE TABLE accounts (aid INT PRIMARY KEY, bid INT NOT NULL, abalance INT NOT NULL, filler CHAR(84)) ENGINE=InnoDB;
CREATE TABLE history (hid BIGINT AUTO_INCREMENT PRIMARY KEY, tid INT, bid INT, aid INT, delta INT, mtime DATETIME(6), filler CHAR(22)) ENGINE=InnoDB;
INSERT INTO branches SELECT seq, 0, '' FROM seq_1_to_10;
INSERT INTO tellers SELECT seq, (seq - 1) DIV 10 + 1, 0, '' FROM seq_1_to_100;
INSERT INTO accounts SELECT seq, (seq - 1) DIV 100000 + 1, 0, '' FROM seq_1_to_1000000;"

install() {
    local variant=$1 sql="USE $db;" t k type log body
    for pair in accounts:aid:INT branches:bid:INT tellers:tid:INT history:hid:BIGINT; do
        t=${pair%%:*} k=${pair#*:} type=${pair##*:}
        k=${k%%:*}
        sql+="DROP TRIGGER IF EXISTS floor_i_$t; DROP TRIGGER IF EXISTS floor_u_$t; DROP TRIGGER IF EXISTS floor_d_$t;
              DROP TABLE IF EXISTS log_$t;"
        [ "$variant" = plain ] && continue
        case $variant in
            unversioned) log="CREATE TABLE log_$t ($k $type NOT NULL, logged_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB" ;;
            noindex) log="CREATE TABLE log_$t ($k $type NOT NULL, logged_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                          txid BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, txid_end BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE,
                          PERIOD FOR SYSTEM_TIME (txid, txid_end)) ENGINE=InnoDB WITH SYSTEM VERSIONING" ;;
            *) log="CREATE TABLE log_$t ($k $type NOT NULL, logged_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                          txid BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, txid_end BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE,
                          PERIOD FOR SYSTEM_TIME (txid, txid_end), INDEX (txid), INDEX (txid_end)) ENGINE=InnoDB WITH SYSTEM VERSIONING" ;;
        esac
        sql+="$log;"
        if [ "$variant" = empty ]; then
            sql+="CREATE TRIGGER floor_i_$t AFTER INSERT ON $t FOR EACH ROW SET @floor = NEW.$k;
                  CREATE TRIGGER floor_u_$t AFTER UPDATE ON $t FOR EACH ROW BEGIN IF NOT (OLD.$k <=> NEW.$k) THEN SET @floor = OLD.$k; END IF; SET @floor = NEW.$k; END;
                  CREATE TRIGGER floor_d_$t AFTER DELETE ON $t FOR EACH ROW SET @floor = OLD.$k;"
        else
            sql+="CREATE TRIGGER floor_i_$t AFTER INSERT ON $t FOR EACH ROW INSERT INTO log_$t ($k) VALUES (NEW.$k);
                  CREATE TRIGGER floor_u_$t AFTER UPDATE ON $t FOR EACH ROW BEGIN IF NOT (OLD.$k <=> NEW.$k) THEN INSERT INTO log_$t ($k) VALUES (OLD.$k); END IF; INSERT INTO log_$t ($k) VALUES (NEW.$k); END;
                  CREATE TRIGGER floor_d_$t AFTER DELETE ON $t FOR EACH ROW INSERT INTO log_$t ($k) VALUES (OLD.$k);"
        fi
    done
    "${mariadb[@]}" --delimiter='//' -e "$(sed 's/;$/\/\//; s/; *$/\/\//' <<<"$sql" | sed 's/;\([[:space:]]*\)\(DROP\|CREATE\)/\/\/\1\2/g')"
}

echo "capture floor (mariadb): TPC-B statements by mariadb-slap, 4 clients, $transactions transactions per run, $rounds round(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
    plain=""
    for variant in ${VARIANTS:-plain empty unversioned noindex capture}; do
        install "$variant"
        seconds=$(mariadb-slap --socket="$socket" -uroot --create-schema="$db" --no-drop --concurrency=4 --iterations=1 \
            --query="$script" --delimiter=";" --number-of-queries=$((transactions * 8)) 2>/dev/null | sed -n 's/.*Average number of seconds to run all queries: \([0-9.]*\).*/\1/p')
        tps=$(awk -v n="$transactions" -v s="$seconds" 'BEGIN { print n / s }')
        [ "$variant" = plain ] && plain=$tps
        printf 'round %s %-12s %6.0f tps  ratio to plain %.2f  load %s\n' "$r" "$variant" "$tps" "$(awk -v a="$tps" -v b="$plain" 'BEGIN { print a / b }')" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
"${mariadb[@]}" -N -e "SELECT CONCAT('last run logged ', (SELECT COUNT(*) FROM $db.log_history), ' history rows of ', (SELECT COUNT(*) FROM $db.history))" 2>/dev/null || true
"${mariadb[@]}" -e "DROP DATABASE $db"
