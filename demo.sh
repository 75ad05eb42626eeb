#!/usr/bin/env bash
# The README's demo command. The news-site demo (examples/news-site) arrives with the examples issue; until then
# this says so plainly and runs nothing.
echo "The repl demo (news-site example: PostgreSQL/MariaDB master, PostgreSQL, MariaDB and SQLite slaves) is not built yet."
echo "Run ./test.sh to see init and replay work end to end against real servers."
exit 0
