#!/usr/bin/env bash
# The README's test command: build, start the private test servers, run every test, stop the servers,
# and end with one line `N passed, N failed, N skipped`. Extra arguments go to `dotnet test`
# (e.g. ./test.sh --filter "FullyQualifiedName~Catalog").
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=$(mktemp -d)
started_servers=

cleanup() {
    if [ -n "$started_servers" ]; then bash eng/servers.sh down || true; fi
    rm -rf "$results"
    started_servers=
}
trap cleanup EXIT

if ! dotnet build Replicator.sln -c Release -warnaserror --nologo -v quiet; then
    echo "build failed"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

# Leave servers that were already running (a developer's) running afterwards. The status is captured first:
# piping it into `grep -q` under pipefail could fail the pipeline with SIGPIPE and skip starting the servers.
server_status=$(bash eng/servers.sh status)
if ! grep -q down <<<"$server_status"; then
    eval "$(bash eng/servers.sh env)"
elif bash eng/servers.sh up; then
    started_servers=1
    eval "$(bash eng/servers.sh env)"
else
    echo "test servers did not start; integration tests will $([ "${CI:-}" = true ] && echo fail || echo skip)"
fi

dotnet test Replicator.sln -c Release --no-build --nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(get passed)))
    failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
    skipped=$((skipped + $(get notExecuted)))
done
# A crashed test host leaves no counters: count it as a failure rather than a silent pass.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
cleanup 2>&1
started_servers=
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
